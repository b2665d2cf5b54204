"""The instance as index arrays, shared by the CP-SAT models and the annealer.

Courses, rooms, teachers and curricula become indices in instance order; a period of the week is
``t = day * periods_per_day + period``. Hard rules other than the built-in ones are kept as
penalties with weight :data:`HARD_WEIGHT` in the local search, so that no improving move trades
one of them for soft cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.course_instance import CourseInstance
from models.course_timetable import CourseTimetable, Placement

HARD_WEIGHT = 100_000
"""Weight per unit of a rule marked hard, inside the local search's objective."""

NO_LIMIT = 1_000_000


def _weight(instance: CourseInstance, name: str) -> int:
    rule = getattr(instance.rules, name)
    return HARD_WEIGHT if rule.hard else rule.weight


@dataclass(frozen=True)
class Problem:
    instance: CourseInstance
    n_courses: int
    n_rooms: int
    n_days: int
    ppd: int
    lectures: np.ndarray  # [C] lectures per week
    students: np.ndarray  # [C]
    min_days: np.ndarray  # [C]
    teacher: np.ndarray  # [C] teacher index
    double: np.ndarray  # [C] 1 if double lectures wanted
    available: np.ndarray  # [C, T] course and its teacher available
    room_ok: np.ndarray  # [C, R] hard-allowed room (type, hard suitability, hard capacity)
    lecture_cost: np.ndarray  # [C, R] weighted capacity + soft suitability cost of one lecture
    cq_ptr: np.ndarray  # CSR: curricula of course c are cq_idx[cq_ptr[c]:cq_ptr[c+1]]
    cq_idx: np.ndarray
    qc_ptr: np.ndarray  # CSR: courses of curriculum q
    qc_idx: np.ndarray
    q_min: np.ndarray  # [Q] minimum daily lectures (days with lectures)
    q_max: np.ndarray  # [Q] maximum daily lectures
    t_max: np.ndarray  # [K] teacher maximum daily lectures
    building: np.ndarray  # [R] building index
    weights: np.ndarray  # [w_mwd, w_iso, w_stab, w_win, w_load, w_tload, w_double, w_travel]
    conflict: np.ndarray  # [C, C] same course, a shared curriculum or the same teacher

    @property
    def n_periods(self) -> int:
        return self.n_days * self.ppd

    @property
    def n_curricula(self) -> int:
        return len(self.q_min)

    @property
    def n_teachers(self) -> int:
        return len(self.t_max)

    def curricula_of(self, c: int) -> np.ndarray:
        return self.cq_idx[self.cq_ptr[c] : self.cq_ptr[c + 1]]

    def courses_of(self, q: int) -> np.ndarray:
        return self.qc_idx[self.qc_ptr[q] : self.qc_ptr[q + 1]]

    @classmethod
    def build(cls, instance: CourseInstance) -> Problem:
        inst, rules = instance, instance.rules
        C, R, D, P = len(inst.courses), len(inst.rooms), inst.days, inst.periods_per_day
        course_ix = {c.id: n for n, c in enumerate(inst.courses)}
        teacher_ix = {t.id: n for n, t in enumerate(inst.teachers)}
        available = np.ones((C, D * P), dtype=np.bool_)
        room_ok = np.ones((C, R), dtype=np.bool_)
        lecture_cost = np.zeros((C, R), dtype=np.int64)
        w_cap = _weight(inst, "room_capacity")
        w_suit = _weight(inst, "room_suitability")
        for c, course in enumerate(inst.courses):
            blocked = course.unavailable | inst.teacher_by_id[course.teacher].unavailable
            for d, p in blocked:
                available[c, d * P + p] = False
            for r, room in enumerate(inst.rooms):
                over = max(0, course.students - room.capacity)
                if course.room_type is not None and room.type != course.room_type:
                    room_ok[c, r] = False
                if rules.room_capacity.hard and over:
                    room_ok[c, r] = False
                if room.id in course.unsuitable_rooms:
                    if rules.room_suitability.hard:
                        room_ok[c, r] = False
                    else:
                        lecture_cost[c, r] += w_suit
                if not rules.room_capacity.hard:
                    lecture_cost[c, r] += w_cap * over
        curricula_of: list[list[int]] = [[] for _ in range(C)]
        qc_ptr, qc_idx = [0], []
        q_min, q_max = [], []
        for q, curriculum in enumerate(inst.curricula):
            for cid in curriculum.courses:
                curricula_of[course_ix[cid]].append(q)
                qc_idx.append(course_ix[cid])
            qc_ptr.append(len(qc_idx))
            low, high = inst.daily_limits(curriculum)
            q_min.append(low)
            q_max.append(NO_LIMIT if high is None else high)
        cq_ptr, cq_idx = [0], []
        for qs in curricula_of:
            cq_idx += qs
            cq_ptr.append(len(cq_idx))
        buildings = {b: n for n, b in enumerate(dict.fromkeys(r.building for r in inst.rooms))}
        weights = [
            _weight(inst, name)
            for name in (
                "min_working_days",
                "isolated_lectures",
                "room_stability",
                "windows",
                "group_daily_load",
                "teacher_daily_load",
                "double_lectures",
                "travel_distance",
            )
        ]
        i64 = np.int64
        return cls(
            instance=inst,
            n_courses=C,
            n_rooms=R,
            n_days=D,
            ppd=P,
            lectures=np.array([c.lectures for c in inst.courses], dtype=i64),
            students=np.array([c.students for c in inst.courses], dtype=i64),
            min_days=np.array([c.min_working_days for c in inst.courses], dtype=i64),
            teacher=np.array([teacher_ix[c.teacher] for c in inst.courses], dtype=i64),
            double=np.array([int(c.double_lectures) for c in inst.courses], dtype=i64),
            available=available,
            room_ok=room_ok,
            lecture_cost=lecture_cost,
            cq_ptr=np.array(cq_ptr, dtype=i64),
            cq_idx=np.array(cq_idx, dtype=i64),
            qc_ptr=np.array(qc_ptr, dtype=i64),
            qc_idx=np.array(qc_idx, dtype=i64),
            q_min=np.array(q_min, dtype=i64),
            q_max=np.array(q_max, dtype=i64),
            t_max=np.array(
                [NO_LIMIT if t.max_daily_lectures is None else t.max_daily_lectures for t in inst.teachers],
                dtype=i64,
            ),
            building=np.array([buildings[r.building] for r in inst.rooms], dtype=i64),
            weights=np.array(weights, dtype=i64),
            conflict=_conflict_matrix(C, curricula_of, [teacher_ix[c.teacher] for c in inst.courses]),
        )

    def lecture_course(self) -> np.ndarray:
        """Course index of every lecture, lectures of a course consecutive."""
        return np.repeat(np.arange(self.n_courses, dtype=np.int64), self.lectures)

    def to_timetable(self, lec_t: np.ndarray, lec_r: np.ndarray) -> CourseTimetable:
        inst, ppd = self.instance, self.ppd
        return CourseTimetable(
            placements=tuple(
                Placement(
                    course=inst.courses[c].id,
                    room=inst.rooms[int(r)].id,
                    day=int(t) // ppd,
                    period=int(t) % ppd,
                )
                for c, t, r in zip(self.lecture_course(), lec_t, lec_r, strict=True)
            )
        )


def _conflict_matrix(n_courses: int, curricula_of: list[list[int]], teacher: list[int]) -> np.ndarray:
    """Courses that may not share a period: the same course, a common curriculum or teacher."""
    conflict = np.eye(n_courses, dtype=np.bool_)
    members: dict[int, list[int]] = {}
    for c, qs in enumerate(curricula_of):
        for q in qs:
            members.setdefault(q, []).append(c)
    for group in members.values():
        conflict[np.ix_(group, group)] = True
    by_teacher: dict[int, list[int]] = {}
    for c, k in enumerate(teacher):
        by_teacher.setdefault(k, []).append(c)
    for group in by_teacher.values():
        conflict[np.ix_(group, group)] = True
    return conflict
