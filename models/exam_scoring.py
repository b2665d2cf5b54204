"""The exam scorer: recomputes every hard violation and soft cost of an exam timetable.

Independent of any solver. It follows the ITC2007 examination track rules (McCollum et al. 2007;
the counting of Müller's ITC2007 evaluator where the rules leave a choice) and, for Toronto
instances, the standard proximity cost. Placements naming an unknown exam, period or room, or
lacking a room on an instance with rooms, are skipped with a warning (the exam is then unassigned);
a room given on a Toronto instance is ignored with a warning.

Hard violations (counts):

- Unassigned: exams without a placement;
- Conflicts: per student and period, the student's exams there beyond the first;
- RoomOccupancy: per room and period, students (seats) beyond the room's capacity;
- PeriodUtilisation: exams longer (minutes) than their period;
- Coincidence: coincidence relations whose exams are in different periods; as the ITC2007 rules
  say, a coincidence between two exams that share a student is ignored;
- Exclusion: exclusion relations whose exams are in the same period;
- After: after relations whose ``first`` exam is not in a strictly later period than ``second``;
- RoomExclusive: exclusive-room exams sharing their room and period with another exam;
- Unavailable: exams placed in a period listed in their ``unavailable`` periods (reported only
  when some exam has such periods, so the ITC2007 layout is unchanged);

the room terms apply to instances with rooms, the relation terms to both kinds; relations with an
unassigned exam are not counted (the exam counts as Unassigned).

Soft costs of an ``itc2007`` instance (weights from :class:`~models.exam_instance.Weightings`); a
"pair" is a pair of exams of one student, so a pair shared by n students counts n times:

- TwoInARow: pairs in consecutive periods of the same day (never across days, so never with one
  period a day), x ``two_in_a_row``;
- TwoInADay: pairs on the same day in non-consecutive periods (needs three periods a day or more),
  x ``two_in_a_day``;
- PeriodSpread: pairs 1..g periods apart (g = ``period_spread``, across days too), x 1;
- NonMixedDurations: per room and period, distinct exam durations beyond the first,
  x ``non_mixed_durations``;
- FrontLoad: the ``largest`` exams by number of students (ties by exam order) placed in one of the
  ``last_periods`` last periods, x ``weight``;
- RoomPenalty: the penalty of each exam's room, summed over exams;
- PeriodPenalty: the penalty of each exam's period, summed over exams.

Soft cost of a ``toronto`` instance: Proximity, the raw sum over students of 16, 8, 4, 2, 1 per
pair 1, 2, 3, 4, 5 slots apart; :attr:`ExamScoreReport.proximity` divides it by the number of
students (students sitting at least one exam), as a float.

Registrar rules (:class:`~models.exam_instance.ExamRules`), either kind, only when active:
StudentDailyLimit (per student and day, exams beyond ``max_daily_exams``) and GroupFreeDays (per
pair of consecutive exams of a group, missing free days); soft: units x weight, hard: units counted
as hard violations.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations, pairwise

from models.course_instance import Rule
from models.exam_instance import PROXIMITY_WEIGHTS, ExamInstance, ExamTimetable, RelationKind
from models.score_report import ScoreReport

ITC_HARD = (
    "Unassigned",
    "Conflicts",
    "RoomOccupancy",
    "PeriodUtilisation",
    "Coincidence",
    "Exclusion",
    "After",
    "RoomExclusive",
)
TORONTO_HARD = ("Unassigned", "Conflicts", "Coincidence", "Exclusion", "After")
ITC_SOFT = (
    "TwoInARow",
    "TwoInADay",
    "PeriodSpread",
    "NonMixedDurations",
    "FrontLoad",
    "RoomPenalty",
    "PeriodPenalty",
)
RULE_LABELS: dict[str, str] = {"daily_exams": "StudentDailyLimit", "group_free_days": "GroupFreeDays"}


@dataclass
class ExamScoreReport(ScoreReport):
    """Hard violations (counts) and soft costs (weighted, integers) of an exam timetable.

    Toronto: ``soft["Proximity"]`` is the raw (undivided) proximity sum.
    """

    kind: str = "itc2007"
    proximity: float | None = None
    """Toronto: the proximity cost per student (``soft["Proximity"] / students``); else ``None``."""

    @property
    def objective(self) -> float:
        """The benchmark's objective: Toronto the proximity per student, ITC2007 the cost."""
        return self.proximity if self.proximity is not None else float(self.cost)

    def extra_lines(self) -> list[str]:
        return [] if self.proximity is None else [f"Proximity per student : {self.proximity:.6f}"]


def score(instance: ExamInstance, timetable: ExamTimetable) -> ExamScoreReport:
    """Score ``timetable`` against ``instance``; never raises on a bad timetable."""
    return _Scorer(instance, timetable).report


class _Scorer:
    def __init__(self, instance: ExamInstance, timetable: ExamTimetable) -> None:
        self.inst = instance
        self.toronto = instance.kind == "toronto"
        self.report = ExamScoreReport(kind=instance.kind)
        self.period: dict[str, int] = {}
        self.room: dict[str, str] = {}
        self._read(timetable)
        self.report.hard = {name: 0 for name in (TORONTO_HARD if self.toronto else ITC_HARD)}
        if any(e.unavailable for e in instance.exams):
            self.report.hard["Unavailable"] = 0
        self.day = instance.period_day
        self.pairs = self._student_pairs()
        self._unassigned()
        self._conflicts()
        if not self.toronto:
            self._rooms()
            self._period_utilisation()
        self._relations()
        self._unavailable()
        if not self.toronto:
            self._room_exclusive()
            self._itc_soft()
        else:
            self._proximity()
        self._registrar_rules()

    # --- reading -------------------------------------------------------------------------
    def _read(self, timetable: ExamTimetable) -> None:
        inst, warn = self.inst, self.report.warnings.append
        for exam, placement in timetable.placements.items():
            if exam not in inst.exam_by_id:
                warn(f"Nonexisting exam {exam} (entry skipped)")
            elif placement.period >= len(inst.periods):
                warn(f"Nonexisting period {placement.period} for exam {exam} (entry skipped)")
            elif not self.toronto and placement.room is None:
                warn(f"No room for exam {exam} (entry skipped)")
            elif not self.toronto and placement.room not in inst.room_by_id:
                warn(f"Nonexisting room {placement.room} for exam {exam} (entry skipped)")
            else:
                if self.toronto and placement.room is not None:
                    warn(f"Room {placement.room} of exam {exam} ignored (Toronto instances have no rooms)")
                self.period[exam] = placement.period
                if placement.room is not None and not self.toronto:
                    self.room[exam] = placement.room

    def _detail(self, hard: bool, text: str) -> None:
        self.report.details.append(f"[{'H' if hard else 'S'}] {text}")

    def _when(self, t: int) -> str:
        period = self.inst.periods[t]
        if period.date is None:
            return f"period {t}"
        return f"period {t} (day {self.day[t]}, {period.date.isoformat()})"

    def _student_pairs(self) -> dict[tuple[str, str], int]:
        """(exam a, exam b) in exam order, both assigned -> students sitting both."""
        pairs: dict[tuple[str, str], int] = defaultdict(int)
        for exams in self.inst.student_exams.values():
            placed = [e for e in exams if e in self.period]
            for a, b in combinations(placed, 2):
                pairs[(a, b)] += 1
        return pairs

    # --- hard ----------------------------------------------------------------------------
    def _unassigned(self) -> None:
        for exam in self.inst.exams:
            if exam.id not in self.period:
                self.report.hard["Unassigned"] += 1
                self._detail(True, f"Exam {exam.id} is not assigned")

    def _conflicts(self) -> None:
        total = 0
        for exams in self.inst.student_exams.values():
            periods = [self.period[e] for e in exams if e in self.period]
            total += len(periods) - len(set(periods))
        self.report.hard["Conflicts"] = total
        for (a, b), n in sorted(self.pairs.items(), key=self._pair_order):
            if self.period[a] == self.period[b]:
                self._detail(True, f"Exams {a} and {b} share {n} students at {self._when(self.period[a])}")

    def _pair_order(self, item: tuple[tuple[str, str], int]) -> tuple[int, int]:
        index = self.inst.exam_index
        return (index[item[0][0]], index[item[0][1]])

    def _room_use(self) -> dict[tuple[str, int], list[str]]:
        use: dict[tuple[str, int], list[str]] = defaultdict(list)
        for exam in self.inst.exams:
            if exam.id in self.room:
                use[(self.room[exam.id], self.period[exam.id])].append(exam.id)
        order = {r.id: n for n, r in enumerate(self.inst.rooms)}
        return dict(sorted(use.items(), key=lambda kv: (kv[0][1], order[kv[0][0]])))

    def _rooms(self) -> None:
        exams, rooms = self.inst.exam_by_id, self.inst.room_by_id
        for (room_id, t), ids in self._room_use().items():
            seats = sum(exams[e].size for e in ids)
            over = seats - rooms[room_id].capacity
            if over > 0:
                self.report.hard["RoomOccupancy"] += over
                self._detail(
                    True,
                    f"Room {room_id} holds {seats} students at {self._when(t)}, capacity {rooms[room_id].capacity}",
                )

    def _period_utilisation(self) -> None:
        for exam in self.inst.exams:
            if exam.id not in self.period:
                continue
            t = self.period[exam.id]
            available = self.inst.periods[t].duration
            if available is not None and exam.duration > available:
                self.report.hard["PeriodUtilisation"] += 1
                self._detail(True, f"Exam {exam.id} lasts {exam.duration} min, {self._when(t)} only {available} min")

    def _relations(self) -> None:
        exams = self.inst.exam_by_id
        for relation in self.inst.relations:
            a, b = relation.first, relation.second
            if a not in self.period or b not in self.period:
                continue
            pa, pb = self.period[a], self.period[b]
            if relation.kind is RelationKind.COINCIDENCE:
                violated = pa != pb and not (exams[a].students & exams[b].students)
                label, what = "Coincidence", "are not in the same period"
            elif relation.kind is RelationKind.EXCLUSION:
                violated = pa == pb
                label, what = "Exclusion", "are in the same period"
            else:
                violated = pa <= pb
                label, what = "After", f"are in periods {pa} and {pb} (the first must be later)"
            if violated:
                self.report.hard[label] += 1
                self._detail(True, f"Exams {a} and {b} of {relation.describe()} {what}")

    def _unavailable(self) -> None:
        if "Unavailable" not in self.report.hard:
            return
        for exam in self.inst.exams:
            if exam.id in self.period and self.period[exam.id] in exam.unavailable:
                self.report.hard["Unavailable"] += 1
                self._detail(True, f"Exam {exam.id} is at {self._when(self.period[exam.id])}, where it is unavailable")

    def _room_exclusive(self) -> None:
        use = self._room_use()
        for exam in self.inst.exams:
            if exam.id in self.inst.exclusive and exam.id in self.room:
                key = (self.room[exam.id], self.period[exam.id])
                others = [e for e in use[key] if e != exam.id]
                if others:
                    self.report.hard["RoomExclusive"] += 1
                    self._detail(
                        True,
                        f"Exclusive exam {exam.id} shares room {key[0]} at {self._when(key[1])} "
                        f"with {', '.join(others)}",
                    )

    # --- soft ----------------------------------------------------------------------------
    def _itc_soft(self) -> None:
        w = self.inst.weightings
        units = dict.fromkeys(ITC_SOFT, 0)
        spread = w.period_spread
        for (a, b), n in sorted(self.pairs.items(), key=self._pair_order):
            pa, pb = sorted((self.period[a], self.period[b]))
            gap = pb - pa
            if gap == 0:
                continue
            if self.day[pa] == self.day[pb]:
                term = "TwoInARow" if gap == 1 else "TwoInADay"
                units[term] += n
                self._detail(False, f"{term}: exams {a} and {b} at periods {pa} and {pb}, {n} students")
            if gap <= spread:
                units["PeriodSpread"] += n
                self._detail(False, f"PeriodSpread: exams {a} and {b} {gap} periods apart, {n} students")
        exams = self.inst.exam_by_id
        for (room_id, t), ids in self._room_use().items():
            durations = {exams[e].duration for e in ids}
            if len(durations) > 1:
                units["NonMixedDurations"] += len(durations) - 1
                self._detail(
                    False, f"NonMixedDurations: room {room_id} at {self._when(t)} has durations {sorted(durations)}"
                )
        threshold = len(self.inst.periods) - w.front_load.last_periods
        for exam_id in self.inst.largest_exams:
            if exam_id in self.period and self.period[exam_id] >= threshold:
                units["FrontLoad"] += 1
                self._detail(False, f"FrontLoad: large exam {exam_id} at {self._when(self.period[exam_id])}")
        for exam in self.inst.exams:
            if exam.id not in self.room:
                continue
            room_penalty = self.inst.room_by_id[self.room[exam.id]].penalty
            period_penalty = self.inst.periods[self.period[exam.id]].penalty
            units["RoomPenalty"] += room_penalty
            units["PeriodPenalty"] += period_penalty
            if room_penalty:
                self._detail(False, f"RoomPenalty: exam {exam.id} in room {self.room[exam.id]}: {room_penalty}")
            if period_penalty:
                self._detail(False, f"PeriodPenalty: exam {exam.id} at period {self.period[exam.id]}: {period_penalty}")
        weights = {
            "TwoInARow": w.two_in_a_row,
            "TwoInADay": w.two_in_a_day,
            "PeriodSpread": 1,
            "NonMixedDurations": w.non_mixed_durations,
            "FrontLoad": w.front_load.weight,
            "RoomPenalty": 1,
            "PeriodPenalty": 1,
        }
        self.report.units.update(units)
        self.report.soft.update({term: units[term] * weights[term] for term in ITC_SOFT})

    def _proximity(self) -> None:
        total = 0
        for (a, b), n in sorted(self.pairs.items(), key=self._pair_order):
            gap = abs(self.period[a] - self.period[b])
            if 1 <= gap <= len(PROXIMITY_WEIGHTS):
                total += PROXIMITY_WEIGHTS[gap - 1] * n
                self._detail(False, f"Proximity: exams {a} and {b} {gap} slots apart, {n} students")
        self.report.units["Proximity"] = total
        self.report.soft["Proximity"] = total
        students = len(self.inst.students)
        self.report.proximity = total / students if students else 0.0

    # --- registrar rules -------------------------------------------------------------------
    def _registrar_rules(self) -> None:
        rules = self.inst.rules
        measures = {"daily_exams": self._daily_exams, "group_free_days": self._group_free_days}
        for name, measure in measures.items():
            rule: Rule = getattr(rules, name)
            if not rule.active:
                continue
            label = RULE_LABELS[name]
            units = measure(rule.hard)
            self.report.units[label] = units
            if rule.hard:
                self.report.hard[label] = units
            else:
                self.report.soft[label] = units * rule.weight

    def _daily_exams(self, hard: bool) -> int:
        limit, total = self.inst.rules.max_daily_exams, 0
        for student, exams in sorted(self.inst.student_exams.items()):
            per_day: dict[int, int] = defaultdict(int)
            for e in exams:
                if e in self.period:
                    per_day[self.day[self.period[e]]] += 1
            for day, n in sorted(per_day.items()):
                if n > limit:
                    total += n - limit
                    self._detail(hard, f"Student {student} has {n} exams on day {day} (maximum {limit})")
        return total

    def _group_free_days(self, hard: bool) -> int:
        need, total = self.inst.rules.min_free_days, 0
        day_number = self.inst.period_day_number
        groups: dict[str, list[str]] = defaultdict(list)
        for exam in self.inst.exams:
            if exam.group is not None and exam.id in self.period:
                groups[exam.group].append(exam.id)
        for group, ids in sorted(groups.items()):
            ordered = sorted(ids, key=lambda e: (self.period[e], self.inst.exam_index[e]))
            for a, b in pairwise(ordered):
                apart = day_number[self.period[b]] - day_number[self.period[a]]
                missing = need + 1 - apart
                if missing > 0:
                    total += missing
                    self._detail(
                        hard,
                        f"Group {group}: exams {a} and {b} have {max(apart - 1, 0)} free days between them "
                        f"(minimum {need})",
                    )
        return total
