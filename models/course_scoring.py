"""The scorer: recomputes every hard violation and soft cost of a course timetable.

It is independent of any solver and follows the rules of the ITC2007 / Udine validator
(Di Gaspero and Schaerf): entries naming an unknown course, room, day or period, and a second
entry of a course in the same period, are skipped with a warning; hard violations are counted as

- Lectures: per course, |lectures placed - lectures required|;
- Conflicts: per pair of courses sharing a curriculum or a teacher, per period both use;
- Availability: per lecture placed in a period unavailable to its course or its teacher;
- RoomOccupation: per room and period, lectures beyond the first;
- RoomType: per lecture in a room of another type than its course requires;

and soft costs (weights from :class:`~models.course_instance.Rules`; a rule marked hard counts
its units as hard violations instead) as

- RoomCapacity: students over the room's capacity, per lecture;
- MinWorkingDays: days missing below a course's minimum working days;
- IsolatedLectures: per curriculum and period with lectures but none in an adjacent period of the
  same day, the number of lectures there;
- RoomStability: rooms beyond the first used by a course;
- CurriculumCompactness (windows): free periods between the first and last lecture of a
  curriculum's day;
- StudentLoad: per curriculum day with lectures, lectures below the minimum or above the maximum;
- TeacherLoad: per teacher day, lectures above the teacher's maximum;
- RoomConstraints: lectures in a room unsuitable for their course;
- DoubleLectures: on a day with two or more lectures of a double-lecture course, each lecture not
  adjacent to another of the course in the same room;
- TravelDistance: per curriculum, per pair of its lectures in consecutive periods of a day in
  rooms of different buildings.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from models.course_instance import CourseInstance, Rule
from models.course_timetable import CourseTimetable
from models.score_report import ScoreReport

__all__ = ["HARD_NAMES", "RULE_LABELS", "ScoreReport", "score"]

HARD_NAMES = ("Lectures", "Conflicts", "Availability", "RoomOccupation", "RoomType")

RULE_LABELS: dict[str, str] = {
    "room_capacity": "RoomCapacity",
    "min_working_days": "MinWorkingDays",
    "isolated_lectures": "IsolatedLectures",
    "room_stability": "RoomStability",
    "windows": "CurriculumCompactness",
    "group_daily_load": "StudentLoad",
    "teacher_daily_load": "TeacherLoad",
    "room_suitability": "RoomConstraints",
    "double_lectures": "DoubleLectures",
    "travel_distance": "TravelDistance",
}


def score(instance: CourseInstance, timetable: CourseTimetable) -> ScoreReport:
    """Score ``timetable`` against ``instance``; never raises on a bad timetable."""
    return _Scorer(instance, timetable).report


class _Scorer:
    def __init__(self, instance: CourseInstance, timetable: CourseTimetable) -> None:
        self.inst = instance
        self.ppd = instance.periods_per_day
        self.report = ScoreReport()
        self.at: dict[str, dict[int, str]] = {c.id: {} for c in instance.courses}
        """course -> period index -> room"""
        self._read(timetable)
        self.report.hard = {name: 0 for name in HARD_NAMES}
        self._lectures()
        self._conflicts()
        self._availability()
        self._room_occupation()
        self._room_type()
        measures = {
            "room_capacity": self._room_capacity,
            "min_working_days": self._min_working_days,
            "isolated_lectures": self._isolated_lectures,
            "room_stability": self._room_stability,
            "windows": self._windows,
            "group_daily_load": self._group_daily_load,
            "teacher_daily_load": self._teacher_daily_load,
            "room_suitability": self._room_suitability,
            "double_lectures": self._double_lectures,
            "travel_distance": self._travel_distance,
        }
        units: dict[str, int] = {}
        for name, measure in measures.items():
            start = len(self.report.details)
            units[name] = measure()
            if not self._rule(name).active:  # measured (``units``) but, like the validator, not reported
                del self.report.details[start:]
        for name, rule in instance.rules.items():
            label = RULE_LABELS[name]
            self.report.units[label] = units[name]
            if rule.hard:
                self.report.hard[label] = units[name]
            elif rule.weight:
                self.report.soft[label] = units[name] * rule.weight

    # --- reading -------------------------------------------------------------------------
    def _read(self, timetable: CourseTimetable) -> None:
        inst, warn = self.inst, self.report.warnings.append
        for p in timetable:
            entry = f"{p.course} {p.room} {p.day} {p.period}"
            if p.course not in inst.course_by_id:
                warn(f"Nonexisting course {p.course} (entry skipped)")
            elif p.room not in inst.room_by_id:
                warn(f"Nonexisting room {p.room} (entry skipped)")
            elif p.day >= inst.days:
                warn(f"Nonexisting day {p.day} (entry skipped)")
            elif p.period >= self.ppd:
                warn(f"Nonexisting period {p.period} (entry skipped)")
            elif (t := p.day * self.ppd + p.period) in self.at[p.course]:
                warn(f"Repeated entry: {entry} (entry skipped)")
            else:
                self.at[p.course][t] = p.room

    def _detail(self, hard: bool, text: str) -> None:
        self.report.details.append(f"[{'H' if hard else 'S'}] {text}")

    def _rule(self, name: str) -> Rule:
        return getattr(self.inst.rules, name)

    def _slot(self, t: int) -> str:
        return f"period {t} (day {t // self.ppd}, timeslot {t % self.ppd})"

    def _curriculum_periods(self) -> dict[str, dict[int, list[str]]]:
        """curriculum -> period -> rooms of its lectures there (one per lecture)."""
        out: dict[str, dict[int, list[str]]] = {}
        for q in self.inst.curricula:
            periods: dict[int, list[str]] = defaultdict(list)
            for c in q.courses:
                for t, room in self.at[c].items():
                    periods[t].append(room)
            out[q.id] = periods
        return out

    # --- hard ----------------------------------------------------------------------------
    def _lectures(self) -> None:
        for course in self.inst.courses:
            placed = len(self.at[course.id])
            if placed != course.lectures:
                self.report.hard["Lectures"] += abs(placed - course.lectures)
                few = "few" if placed < course.lectures else "many"
                self._detail(True, f"Too {few} lectures for course {course.id}")

    def _conflicts(self) -> None:
        pairs: set[tuple[str, str]] = set()
        index = {c.id: n for n, c in enumerate(self.inst.courses)}
        for q in self.inst.curricula:
            for a, b in combinations(q.courses, 2):
                pairs.add((a, b) if index[a] < index[b] else (b, a))
        by_teacher: dict[str, list[str]] = defaultdict(list)
        for c in self.inst.courses:
            by_teacher[c.teacher].append(c.id)
        for group in by_teacher.values():
            pairs.update(combinations(group, 2))
        for a, b in sorted(pairs, key=lambda ab: (index[ab[0]], index[ab[1]])):
            for t in sorted(self.at[a].keys() & self.at[b].keys()):
                self.report.hard["Conflicts"] += 1
                self._detail(True, f"Courses {a} and {b} have both a lecture at {self._slot(t)}")

    def _availability(self) -> None:
        inst = self.inst
        for course in inst.courses:
            blocked = course.unavailable | inst.teacher_by_id[course.teacher].unavailable
            for t in sorted(self.at[course.id]):
                if (t // self.ppd, t % self.ppd) in blocked:
                    self.report.hard["Availability"] += 1
                    self._detail(True, f"Course {course.id} has a lecture at unavailable {self._slot(t)}")

    def _room_occupation(self) -> None:
        used: dict[tuple[str, int], list[str]] = defaultdict(list)
        for course_id, periods in self.at.items():
            for t, room in periods.items():
                used[(room, t)].append(course_id)
        for (room, t), courses in sorted(used.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            if len(courses) > 1:
                self.report.hard["RoomOccupation"] += len(courses) - 1
                self._detail(True, f"{len(courses)} lectures in room {room} at {self._slot(t)}")

    def _room_type(self) -> None:
        for course in self.inst.courses:
            if course.room_type is None:
                continue
            for t, room in sorted(self.at[course.id].items()):
                if self.inst.room_by_id[room].type != course.room_type:
                    self.report.hard["RoomType"] += 1
                    self._detail(
                        True,
                        f"Course {course.id} needs a {course.room_type} room but has room {room} at {self._slot(t)}",
                    )

    # --- rules (soft or hard) --------------------------------------------------------------
    def _room_capacity(self) -> int:
        total, hard = 0, self._rule("room_capacity").hard
        for course in self.inst.courses:
            for t, room in sorted(self.at[course.id].items()):
                over = course.students - self.inst.room_by_id[room].capacity
                if over > 0:
                    total += over
                    self._detail(
                        hard, f"Room {room} too small for course {course.id} at {self._slot(t)}: {over} students over"
                    )
        return total

    def _min_working_days(self) -> int:
        total, hard = 0, self._rule("min_working_days").hard
        for course in self.inst.courses:
            days = len({t // self.ppd for t in self.at[course.id]})
            if days < course.min_working_days:
                total += course.min_working_days - days
                self._detail(
                    hard,
                    f"The course {course.id} has only {days} days of lecture (minimum {course.min_working_days})",
                )
        return total

    def _isolated_lectures(self) -> int:
        total, hard, ppd = 0, self._rule("isolated_lectures").hard, self.ppd
        for q_id, periods in self._curriculum_periods().items():
            for t in sorted(periods):
                before = t % ppd > 0 and periods.get(t - 1)
                after = t % ppd < ppd - 1 and periods.get(t + 1)
                if not before and not after:
                    total += len(periods[t])
                    self._detail(hard, f"Curriculum {q_id} has an isolated lecture at {self._slot(t)}")
        return total

    def _room_stability(self) -> int:
        total, hard = 0, self._rule("room_stability").hard
        for course in self.inst.courses:
            rooms = len(set(self.at[course.id].values()))
            if rooms > 1:
                total += rooms - 1
                self._detail(hard, f"Course {course.id} uses {rooms} different rooms")
        return total

    def _windows(self) -> int:
        total, hard, ppd = 0, self._rule("windows").hard, self.ppd
        for q_id, periods in self._curriculum_periods().items():
            for day in range(self.inst.days):
                used = [t for t in range(day * ppd, (day + 1) * ppd) if periods.get(t)]
                if len(used) >= 2:
                    gaps = (used[-1] - used[0] + 1) - len(used)
                    if gaps:
                        total += gaps
                        self._detail(hard, f"Curriculum {q_id} has {gaps} free periods between lectures on day {day}")
        return total

    def _group_daily_load(self) -> int:
        total, hard, ppd = 0, self._rule("group_daily_load").hard, self.ppd
        curricula = {q.id: q for q in self.inst.curricula}
        for q_id, periods in self._curriculum_periods().items():
            low, high = self.inst.daily_limits(curricula[q_id])
            for day in range(self.inst.days):
                n = sum(len(periods.get(t, ())) for t in range(day * ppd, (day + 1) * ppd))
                if n == 0:
                    continue
                if n < low:
                    total += low - n
                    self._detail(hard, f"Curriculum {q_id} has {n} lectures on day {day} (minimum {low})")
                elif high is not None and n > high:
                    total += n - high
                    self._detail(hard, f"Curriculum {q_id} has {n} lectures on day {day} (maximum {high})")
        return total

    def _teacher_daily_load(self) -> int:
        total, hard = 0, self._rule("teacher_daily_load").hard
        per_day: dict[tuple[str, int], int] = defaultdict(int)
        for course in self.inst.courses:
            for t in self.at[course.id]:
                per_day[(course.teacher, t // self.ppd)] += 1
        for (teacher_id, day), n in sorted(per_day.items()):
            high = self.inst.teacher_by_id[teacher_id].max_daily_lectures
            if high is not None and n > high:
                total += n - high
                self._detail(hard, f"Teacher {teacher_id} has {n} lectures on day {day} (maximum {high})")
        return total

    def _room_suitability(self) -> int:
        total, hard = 0, self._rule("room_suitability").hard
        for course in self.inst.courses:
            for t, room in sorted(self.at[course.id].items()):
                if room in course.unsuitable_rooms:
                    total += 1
                    self._detail(hard, f"Room {room} is not suitable for course {course.id} at {self._slot(t)}")
        return total

    def _double_lectures(self) -> int:
        total, hard, ppd = 0, self._rule("double_lectures").hard, self.ppd
        for course in self.inst.courses:
            if not course.double_lectures:
                continue
            at = self.at[course.id]
            for day in range(self.inst.days):
                first, last = day * ppd, (day + 1) * ppd - 1
                if sum(1 for t in range(first, last + 1) if t in at) < 2:
                    continue
                for t in range(first, last + 1):
                    if t not in at:
                        continue
                    paired = (t < last and at.get(t + 1) == at[t]) or (t > first and at.get(t - 1) == at[t])
                    if not paired:
                        total += 1
                        self._detail(hard, f"Course {course.id} has an unpaired lecture at {self._slot(t)}")
        return total

    def _travel_distance(self) -> int:
        total, hard, ppd = 0, self._rule("travel_distance").hard, self.ppd
        building = {r.id: r.building for r in self.inst.rooms}
        for q_id, periods in self._curriculum_periods().items():
            for t in sorted(periods):
                if t % ppd == ppd - 1:
                    continue
                for r1 in periods[t]:
                    for r2 in periods.get(t + 1, ()):
                        if building[r1] != building[r2]:
                            total += 1
                            self._detail(hard, f"Curriculum {q_id} moves between buildings after {self._slot(t)}")
        return total
