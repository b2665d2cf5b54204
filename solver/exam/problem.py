"""The exam timetabling problem as arrays, for the compiled search and the CP-SAT models.

:class:`ExamProblem` turns an :class:`~models.exam_instance.ExamInstance` (ITC2007 or Toronto)
into integer arrays indexed by exam, period and room (positions in the instance). A Toronto
instance gets one virtual room of unlimited capacity, so the same machinery solves and repairs
both kinds.

Cost model (the scorer's, :mod:`models.exam_scoring`):

- a pair of exams sharing ``w`` students in periods ``a != b`` costs ``w * pair_cost[a, b]``:
  ITC2007 two in a row, two in a day and period spread, or the Toronto proximity 16/8/4/2/1;
  in the same period it is a hard conflict;
- per exam: its period's penalty, its room's penalty, the front-load weight if it is one of the
  largest exams placed in the last periods;
- per room and period: ``non_mixed`` per distinct duration beyond the first;
- registrar rules (off, soft or hard): exams per student per day above ``daily_limit``, missing
  free days between consecutive exams of a group.

Hard constraints: no conflicts, seats within capacity, an exclusive exam alone in its room,
exam duration within the period's, no unavailable period, AFTER / EXCLUSION / COINCIDENCE
relations (a coincidence of two exams sharing students is ignored, as in ITC2007), and the
registrar rules marked hard.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import networkx as nx
import numpy as np

from models.exam_instance import PROXIMITY_WEIGHTS, ExamInstance, ExamTimetable, RelationKind
from solver.exam.graph import ExamGraph

UNLIMITED = 1 << 40
"""Capacity of the virtual room of an uncapacitated (Toronto) instance."""
RULE_OFF, RULE_SOFT, RULE_HARD = 0, 1, 2


# Columns of Arrays.ex (per exam), .per (per period), .room (per room), .prm (scalars)
SIZE, DUR, FRONT, EXCL, BLOCK, GROUP, MOVABLE = range(7)
PPEN, DAY, DAYNUM, LATE = range(4)
CAP, RPEN = range(2)
NON_MIXED, FRONT_W, DAILY_MODE, DAILY_LIMIT, DAILY_W, GROUP_MODE, GROUP_NEED, GROUP_W, N_DURS, N_DAYS = range(10)
# Kinds of Arrays.rel entries: (other exam, kind) of exam e
EARLIER, LATER, APART, TOGETHER = range(4)
"""The other exam must be strictly earlier (e AFTER it), strictly later (it AFTER e), in another
period (EXCLUSION), in the same period (COINCIDENCE)."""


class Arrays(NamedTuple):
    """What the compiled kernels read, as a few packed arrays: numba calls are much faster with
    explicit array arguments than with one large named tuple, so kernels take ``*arrays``."""

    adj_ptr: np.ndarray  # conflict graph (CSR): neighbours of exam e are adj_idx[adj_ptr[e]:adj_ptr[e + 1]]
    adj_idx: np.ndarray
    adj_w: np.ndarray  # shared students
    pair_cost: np.ndarray  # (T, T): cost per shared student of two exams in periods a and b
    ex: np.ndarray  # (E, 7): SIZE, DUR (duration index), FRONT, EXCL, BLOCK, GROUP (-1 none), MOVABLE
    period_ok: np.ndarray  # (E, T) bool: duration fits and the period is not unavailable
    per: np.ndarray  # (T, 4): PPEN (penalty), DAY (index), DAYNUM (calendar day from 0), LATE (front-load)
    room: np.ndarray  # (R, 2): CAP, RPEN
    rel_ptr: np.ndarray  # relations of exam e: rel[rel_ptr[e]:rel_ptr[e + 1]] rows (other, kind)
    rel: np.ndarray
    blk_ptr: np.ndarray  # coincidence blocks (CSR over block index)
    blk_idx: np.ndarray
    grp_ptr: np.ndarray  # academic groups' exams (CSR over group index)
    grp_idx: np.ndarray
    stu_ptr: np.ndarray  # students of each exam (daily rule only; CSR over exams)
    stu_idx: np.ndarray
    prm: np.ndarray  # scalars, see the column names above


def _csr(lists: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(x) for x in lists])
    flat = np.array([v for x in lists for v in x], dtype=np.int64)
    return ptr, flat


@dataclass(frozen=True)
class ExamProblem:
    """An :class:`ExamInstance` as arrays (:attr:`arrays`) plus the maps back to ids."""

    instance: ExamInstance
    graph: ExamGraph
    arrays: Arrays
    toronto: bool
    ignored_coincidences: tuple[tuple[int, int], ...]
    """Coincidence relations between exams sharing students (ignored, as the ITC2007 rules say)."""

    @property
    def n_exams(self) -> int:
        return len(self.arrays.ex)

    @property
    def n_periods(self) -> int:
        return len(self.arrays.per)

    @property
    def n_rooms(self) -> int:
        return len(self.arrays.room)

    @property
    def n_durations(self) -> int:
        return int(self.arrays.prm[N_DURS])

    @property
    def n_days(self) -> int:
        return int(self.arrays.prm[N_DAYS])

    @property
    def n_students(self) -> int:
        return len(self.instance.students)

    @property
    def daily_rule(self) -> bool:
        return bool(self.arrays.prm[DAILY_MODE] != RULE_OFF)

    @property
    def size(self) -> np.ndarray:
        return self.arrays.ex[:, SIZE]

    @property
    def capacity(self) -> np.ndarray:
        return self.arrays.room[:, CAP]

    def blocks(self) -> list[list[int]]:
        """Every coincidence block (exams that must share a period; most are single exams)."""
        a = self.arrays
        return [[int(e) for e in a.blk_idx[a.blk_ptr[k] : a.blk_ptr[k + 1]]] for k in range(len(a.blk_ptr) - 1)]

    @classmethod
    def build(cls, instance: ExamInstance) -> ExamProblem:
        graph = ExamGraph.build(instance)
        toronto = instance.kind == "toronto"
        exams, periods = instance.exams, instance.periods
        n, T = len(exams), len(periods)
        index = instance.exam_index
        if toronto:
            room = np.array([[UNLIMITED, 0]], dtype=np.int64)
        else:
            room = np.array([[r.capacity, r.penalty] for r in instance.rooms], dtype=np.int64).reshape(-1, 2)
        durations = sorted({e.duration for e in exams}) or [0]
        period_ok = np.ones((n, T), dtype=np.bool_)
        for i, exam in enumerate(exams):
            for t, period in enumerate(periods):
                if period.duration is not None and exam.duration > period.duration:
                    period_ok[i, t] = False
            for t in exam.unavailable:
                period_ok[i, t] = False
        day = np.array(instance.period_day, dtype=np.int64)

        rel: list[list[tuple[int, int]]] = [[] for _ in exams]
        ignored: list[tuple[int, int]] = []
        blocks = nx.Graph()
        blocks.add_nodes_from(range(n))
        for relation in instance.relations:
            a, b = index[relation.first], index[relation.second]
            if relation.kind is RelationKind.AFTER:
                rel[a].append((b, EARLIER))
                rel[b].append((a, LATER))
            elif relation.kind is RelationKind.EXCLUSION:
                rel[a].append((b, APART))
                rel[b].append((a, APART))
            elif exams[a].students & exams[b].students:
                ignored.append((a, b))
            else:
                rel[a].append((b, TOGETHER))
                rel[b].append((a, TOGETHER))
                blocks.add_edge(a, b)
        rel_ptr = np.zeros(n + 1, dtype=np.int64)
        rel_ptr[1:] = np.cumsum([len(x) for x in rel])
        rel_rows = np.array([row for x in rel for row in x], dtype=np.int64).reshape(-1, 2)
        block_of = np.zeros(n, dtype=np.int64)
        members: list[list[int]] = []
        for k, component in enumerate(sorted(nx.connected_components(blocks), key=min)):
            members.append(sorted(component))
            for e in component:
                block_of[e] = k

        rules = instance.rules
        daily_mode = _mode(rules.daily_exams.hard, rules.daily_exams.weight)
        group_mode = _mode(rules.group_free_days.hard, rules.group_free_days.weight)
        student_ix = {s: k for k, s in enumerate(sorted(instance.students))} if daily_mode else {}
        st_lists = [sorted(student_ix[s] for s in e.students) for e in exams] if daily_mode else [[] for _ in exams]
        groups = sorted({e.group for e in exams if e.group is not None})
        group_ix = {g: k for k, g in enumerate(groups)}
        grp_lists: list[list[int]] = [[] for _ in groups]
        for i, exam in enumerate(exams):
            if exam.group is not None:
                grp_lists[group_ix[exam.group]].append(i)
        day_num = np.array(instance.period_day_number, dtype=np.int64)
        if T:
            day_num -= day_num.min()

        w = instance.weightings
        largest = set() if toronto else {index[e] for e in instance.largest_exams}
        front_from = T if toronto else T - w.front_load.last_periods
        ex = np.zeros((n, 7), dtype=np.int64)
        for i, exam in enumerate(exams):
            ex[i] = (
                exam.size,
                durations.index(exam.duration),
                i in largest,
                exam.id in instance.exclusive,
                block_of[i],
                group_ix[exam.group] if exam.group is not None else -1,
                1,
            )
        per = np.zeros((T, 4), dtype=np.int64)
        for t, period in enumerate(periods):
            per[t] = (0 if toronto else period.penalty, day[t], day_num[t], t >= front_from)
        prm = np.zeros(10, dtype=np.int64)
        prm[NON_MIXED] = 0 if toronto else w.non_mixed_durations
        prm[FRONT_W] = 0 if toronto else w.front_load.weight
        prm[DAILY_MODE], prm[DAILY_LIMIT], prm[DAILY_W] = daily_mode, rules.max_daily_exams, rules.daily_exams.weight
        prm[GROUP_MODE], prm[GROUP_NEED] = group_mode, rules.min_free_days + 1
        prm[GROUP_W] = rules.group_free_days.weight
        prm[N_DURS], prm[N_DAYS] = len(durations), int(day.max()) + 1 if T else 0
        arrays = Arrays(
            graph.adj_ptr,
            graph.adj_idx,
            graph.adj_w,
            _pair_costs(instance, day),
            ex,
            period_ok,
            per,
            room,
            rel_ptr,
            rel_rows,
            *_csr(members),
            *_csr(grp_lists),
            *_csr(st_lists),
            prm,
        )
        return cls(instance, graph, arrays, toronto, tuple(ignored))

    def with_movable(self, movable: np.ndarray) -> ExamProblem:
        """The same problem where the search moves only the exams with ``movable`` true."""
        ex = self.arrays.ex.copy()
        ex[:, MOVABLE] = np.asarray(movable, dtype=np.bool_)
        arrays = self.arrays._replace(ex=ex)
        return ExamProblem(self.instance, self.graph, arrays, self.toronto, self.ignored_coincidences)

    # --- timetables <-> arrays ------------------------------------------------------------------
    def to_timetable(self, t: np.ndarray, r: np.ndarray) -> ExamTimetable:
        """An :class:`ExamTimetable` of the placed exams (``t[e] >= 0``)."""
        rooms = self.instance.rooms
        rows = {}
        for exam, te, re in zip(self.instance.exams, t, r, strict=True):
            if te >= 0:
                rows[exam.id] = (int(te), None if self.toronto else rooms[int(re)].id)
        return ExamTimetable.of(rows)

    def from_timetable(self, timetable: ExamTimetable) -> tuple[np.ndarray, np.ndarray]:
        """Period and room arrays of ``timetable`` (-1 for an exam it does not place, or places in a
        period or room the instance lacks)."""
        t = np.full(self.n_exams, -1, dtype=np.int64)
        r = np.full(self.n_exams, -1, dtype=np.int64)
        room_ix = {room.id: k for k, room in enumerate(self.instance.rooms)}
        for k, exam in enumerate(self.instance.exams):
            placement = timetable.get(exam.id)
            if placement is None or placement.period >= self.n_periods:
                continue
            if self.toronto:
                t[k], r[k] = placement.period, 0
            elif placement.room in room_ix:
                t[k], r[k] = placement.period, room_ix[placement.room]
        return t, r

    def exam_names(self, exams: Sequence[int]) -> str:
        return ", ".join(self.instance.exams[e].id for e in exams)


def _mode(hard: bool, weight: int) -> int:
    if hard:
        return RULE_HARD
    return RULE_SOFT if weight > 0 else RULE_OFF


def _pair_costs(instance: ExamInstance, day: np.ndarray) -> np.ndarray:
    """Cost per shared student of two exams in periods a and b (0 on the diagonal)."""
    T = len(instance.periods)
    gap = np.abs(np.arange(T)[:, None] - np.arange(T)[None, :])
    if instance.kind == "toronto":
        prox = np.zeros(max(T, len(PROXIMITY_WEIGHTS) + 1), dtype=np.int64)
        prox[1 : len(PROXIMITY_WEIGHTS) + 1] = PROXIMITY_WEIGHTS
        return prox[gap].astype(np.int64)
    w = instance.weightings
    same_day = day[:, None] == day[None, :]
    cost = np.where(same_day & (gap == 1), w.two_in_a_row, 0)
    cost += np.where(same_day & (gap > 1), w.two_in_a_day, 0)
    cost += np.where((gap >= 1) & (gap <= w.period_spread), 1, 0)
    return cost.astype(np.int64)


def shared_students(instance: ExamInstance, exams: Sequence[str]) -> dict[tuple[str, str], int]:
    """Students shared by each pair of ``exams`` (pairs with none left out)."""
    shared: dict[tuple[str, str], int] = defaultdict(int)
    by_id = instance.exam_by_id
    for i, a in enumerate(exams):
        for b in exams[i + 1 :]:
            n = len(by_id[a].students & by_id[b].students)
            if n:
                shared[(a, b)] = n
    return dict(shared)
