"""CP-SAT models of the exam timetabling hard constraints.

:func:`build_period_model` places exams in periods: a boolean per exam and allowed period (the
exam's duration fits and the period is not unavailable), one period per exam, no two exams sharing
students in a period (one at-most-one per period and clique of a clique cover of the conflict
graph), AFTER / EXCLUSION / COINCIDENCE relations, the registrar rules marked hard, and rooms in
aggregate: for every capacity level c, the exams of more than c students in a period fit in the
seats of the rooms larger than c (exact when there is one room; a relaxation of the packing
otherwise). With ``rooms=True`` it adds a boolean per exam, period and room that fits the exam, and
the exact room constraints (seats per room and period, exclusive rooms): exact but large, for
small instances and sub-problems.

:func:`pack_rooms` assigns rooms to the exams of one period (first-fit decreasing, then CP-SAT).

Exams can be *fixed* to a period (and room) and left out of the model except for what they take
(periods of their neighbours, seats); assumption literals can switch constraint groups on, for
explanations (:mod:`solver.exam.explain`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from solver.exam.problem import (
    APART,
    CAP,
    DAILY_LIMIT,
    DAILY_MODE,
    DAYNUM,
    EARLIER,
    EXCL,
    GROUP_MODE,
    GROUP_NEED,
    RULE_HARD,
    SIZE,
    TOGETHER,
    ExamProblem,
)


@dataclass
class PeriodModel:
    """A CP-SAT model over exam periods (and rooms) with its variables."""

    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    """(exam, period) -> the exam is in the period."""
    z: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    """(exam, period, room) -> the exam is in that room in the period (``rooms=True`` only)."""
    assumptions: dict[str, cp_model.IntVar] = field(default_factory=dict)
    """Name -> literal enabling a group of constraints (``assume=True`` only)."""

    def periods(self, solver: cp_model.CpSolver, exams: Iterable[int]) -> dict[int, int]:
        out = {}
        for e in exams:
            for (f, t), var in self._by_exam().get(e, []):
                if solver.boolean_value(var):
                    out[f] = t
        return out

    def _by_exam(self) -> dict[int, list[tuple[tuple[int, int], cp_model.IntVar]]]:
        if not hasattr(self, "_cache"):
            cache: dict[int, list] = defaultdict(list)
            for key, var in self.x.items():
                cache[key[0]].append((key, var))
            self._cache = cache
        return self._cache


def clique_cover(problem: ExamProblem, exams: set[int] | None = None) -> list[list[int]]:
    """Cliques of the conflict graph (restricted to ``exams``) covering each of its edges."""
    graph = problem.graph
    keep = set(range(problem.n_exams)) if exams is None else exams
    adj = {e: {int(j) for j in graph.neighbours(e)} & keep for e in keep}
    uncovered = {(a, b) for a in keep for b in adj[a] if a < b}
    degree = {e: len(adj[e]) for e in keep}
    cliques = []
    for a, b in sorted(uncovered, key=lambda ab: (-degree[ab[0]] - degree[ab[1]], ab)):
        if (a, b) not in uncovered:
            continue
        clique = [a, b]
        candidates = adj[a] & adj[b]
        while candidates:
            v = max(candidates, key=lambda c: (sum((min(c, m), max(c, m)) in uncovered for m in clique), degree[c], -c))
            clique.append(v)
            candidates &= adj[v]
        for i, p in enumerate(clique):
            for q in clique[i + 1 :]:
                uncovered.discard((min(p, q), max(p, q)))
        cliques.append(sorted(clique))
    return cliques


def build_period_model(
    problem: ExamProblem,
    *,
    fixed: Mapping[int, tuple[int, int]] | None = None,
    rooms: bool = False,
    assume: bool = False,
) -> PeriodModel:
    """The hard constraints over the exams not in ``fixed`` (exam -> (period, room)).

    With ``assume`` each group of constraints gets an enabling literal in ``assumptions``:
    ``exam:<i>`` (exam i gets a period), ``relation:<a>:<b>`` (each relation), ``rooms:<t>`` (the
    room capacity of period t), ``daily`` and ``group:<g>`` (hard registrar rules). Student
    conflicts and unavailable periods are always on."""
    fixed = dict(fixed or {})
    a = problem.arrays
    E, T, R = problem.n_exams, problem.n_periods, problem.n_rooms
    free = [e for e in range(E) if e not in fixed]
    free_set = set(free)
    pm = PeriodModel(cp_model.CpModel())
    m = pm.model

    def literal(name: str) -> cp_model.IntVar | None:
        if not assume:
            return None
        if name not in pm.assumptions:
            pm.assumptions[name] = m.new_bool_var(name)
        return pm.assumptions[name]

    def add(constraint: cp_model.Constraint, name: str) -> None:
        lit = literal(name)
        if lit is not None:
            constraint.only_enforce_if(lit)

    taken = np.zeros((T, R), dtype=np.int64)  # seats taken by fixed exams
    exclusive_taken = np.zeros((T, R), dtype=bool)
    used_taken = np.zeros((T, R), dtype=bool)
    blocked: dict[int, set[int]] = defaultdict(set)  # free exam -> periods of its fixed neighbours
    for e, (t, r) in fixed.items():
        taken[t, r] += a.ex[e, SIZE]
        used_taken[t, r] = True
        exclusive_taken[t, r] |= bool(a.ex[e, EXCL])
        for j in problem.graph.neighbours(e):
            blocked[int(j)].add(t)

    for e in free:
        options = [t for t in range(T) if a.period_ok[e, t] and t not in blocked[e]]
        for t in options:
            pm.x[e, t] = m.new_bool_var(f"x{e}_{t}")
        lits = [pm.x[e, t] for t in options]
        m.add_at_most_one(lits)
        add(m.add(sum(lits) >= 1), f"exam:{e}")
    # No student sits two exams in one period.
    for clique in clique_cover(problem, free_set):
        for t in range(T):
            lits = [pm.x[e, t] for e in clique if (e, t) in pm.x]
            if len(lits) > 1:
                m.add_at_most_one(lits)
    period_of = {e: _period_expr(pm, e, T) for e in free}
    for e in range(E):
        for i in range(a.rel_ptr[e], a.rel_ptr[e + 1]):
            j, kind = int(a.rel[i, 0]), int(a.rel[i, 1])
            if e in fixed and j in fixed:
                continue
            name = f"relation:{min(e, j)}:{max(e, j)}"
            pe = period_of[e] if e in free_set else fixed[e][0]
            pj = period_of[j] if j in free_set else fixed[j][0]
            if kind == EARLIER:
                add(m.add(pe >= pj + 1), name)
            elif kind == APART and e < j:
                add(m.add(pe != pj), name)
            elif kind == TOGETHER and e < j:
                add(m.add(pe == pj), name)
    _room_constraints(problem, pm, free, taken, exclusive_taken, used_taken, rooms, literal)
    _registrar_rules(problem, pm, free, fixed, literal)
    return pm


def _period_expr(pm: PeriodModel, e: int, T: int) -> cp_model.LinearExpr:
    return sum(t * pm.x[e, t] for t in range(T) if (e, t) in pm.x)


def _room_constraints(
    problem: ExamProblem,
    pm: PeriodModel,
    free: list[int],
    taken: np.ndarray,
    exclusive_taken: np.ndarray,
    used_taken: np.ndarray,
    rooms: bool,
    literal,
) -> None:
    a = problem.arrays
    m = pm.model
    T, R = problem.n_periods, problem.n_rooms
    cap = a.room[:, CAP]
    size = a.ex[:, SIZE]
    if problem.toronto:
        return
    if rooms:
        for e in free:
            for t in range(T):
                if (e, t) not in pm.x:
                    continue
                options = []
                for r in range(R):
                    if size[e] <= cap[r] - taken[t, r] and not exclusive_taken[t, r]:
                        if a.ex[e, EXCL] and used_taken[t, r]:
                            continue
                        pm.z[e, t, r] = m.new_bool_var(f"z{e}_{t}_{r}")
                        options.append(pm.z[e, t, r])
                m.add(sum(options) == pm.x[e, t])
        for t in range(T):
            lit = literal(f"rooms:{t}")
            for r in range(R):
                here = [(e, pm.z[e, t, r]) for e in free if (e, t, r) in pm.z]
                if not here:
                    continue
                c = m.add(sum(int(size[e]) * z for e, z in here) <= int(cap[r] - taken[t, r]))
                if lit is not None:
                    c.only_enforce_if(lit)
                for e, z in here:
                    if a.ex[e, EXCL]:
                        others = [w for f, w in here if f != e]
                        if others:
                            c = m.add(sum(others) == 0).only_enforce_if(z)
                            if lit is not None:
                                c.only_enforce_if([z, lit])
        return
    # Aggregate: at each capacity level, the exams too large for smaller rooms fit in the larger ones.
    levels = sorted({0, *(int(c) for c in cap)})
    room_of_size = {}
    for e in free:
        fitting = sorted(int(c) for c in cap if c >= size[e])
        room_of_size[e] = fitting[0] if fitting else int(size[e])
    for t in range(T):
        lit = literal(f"rooms:{t}")
        here = [e for e in free if (e, t) in pm.x]
        for level in levels:
            # An exclusive exam takes a whole room: at least the smallest room it fits in.
            demand = [(room_of_size[e] if a.ex[e, EXCL] else int(size[e]), pm.x[e, t]) for e in here if size[e] > level]
            if not demand:
                continue
            seats = int(sum(cap[r] - taken[t, r] for r in range(R) if cap[r] > level and not exclusive_taken[t, r]))
            if sum(d for d, _ in demand) <= seats:
                continue
            c = m.add(sum(d * x for d, x in demand) <= seats)
            if lit is not None:
                c.only_enforce_if(lit)
        exclusive = [pm.x[e, t] for e in here if a.ex[e, EXCL]]
        if exclusive:
            rooms_left = int(sum(1 for r in range(R) if not used_taken[t, r]))
            c = m.add(sum(exclusive) <= rooms_left)
            if lit is not None:
                c.only_enforce_if(lit)


def _registrar_rules(problem: ExamProblem, pm: PeriodModel, free: list[int], fixed, literal) -> None:
    a = problem.arrays
    m = pm.model
    inst = problem.instance
    T = problem.n_periods
    day = inst.period_day
    if a.prm[DAILY_MODE] == RULE_HARD:
        limit = int(a.prm[DAILY_LIMIT])
        lit = literal("daily")
        index = inst.exam_index
        sets = {tuple(sorted(index[x] for x in exams)) for exams in inst.student_exams.values() if len(exams) > limit}
        for exams in sets:
            for d in range(problem.n_days):
                lits = [pm.x[e, t] for e in exams for t in range(T) if day[t] == d and (e, t) in pm.x]
                fixed_here = sum(1 for e in exams if e in fixed and day[fixed[e][0]] == d)
                if len(lits) + fixed_here > limit:
                    c = m.add(sum(lits) <= limit - fixed_here)
                    if lit is not None:
                        c.only_enforce_if(lit)
    if a.prm[GROUP_MODE] == RULE_HARD:
        need = int(a.prm[GROUP_NEED])
        day_num = a.per[:, DAYNUM]
        for g in range(len(a.grp_ptr) - 1):
            members = [int(e) for e in a.grp_idx[a.grp_ptr[g] : a.grp_ptr[g + 1]]]
            lit = literal(f"group:{g}")
            # Every window of `need` consecutive calendar days holds at most one exam of the group.
            for start in sorted({int(d) for d in day_num}):
                window = [t for t in range(T) if start <= day_num[t] < start + need]
                lits = [pm.x[e, t] for e in members for t in window if (e, t) in pm.x]
                fixed_here = sum(1 for e in members if e in fixed and fixed[e][0] in window)
                if len(lits) + fixed_here > 1:
                    c = m.add(sum(lits) <= 1 - fixed_here)
                    if lit is not None:
                        c.only_enforce_if(lit)


def pack_rooms(
    problem: ExamProblem,
    exams: list[int],
    *,
    taken: np.ndarray | None = None,
    time_limit: float = 5.0,
    prefer: Mapping[int, int] | None = None,
) -> tuple[dict[int, int] | None, bool]:
    """Rooms for ``exams`` sharing one period: each room's seats hold its exams, an exclusive exam
    is alone in its room. ``taken`` (per room) are seats already used, ``prefer`` a room per exam
    to keep when possible. First-fit decreasing by size (preferred room first), then CP-SAT if
    that fails. Returns (exam -> room, True), or (None, True) if no packing exists, (None, False)
    if CP-SAT found none in time."""
    a = problem.arrays
    R = problem.n_rooms
    cap = a.room[:, CAP].astype(np.int64)
    size = a.ex[:, SIZE]
    left = cap - (taken if taken is not None else 0)
    used = np.zeros(R, dtype=bool) if taken is None else taken > 0
    prefer = dict(prefer or {})
    out: dict[int, int] = {}
    free_left = left.copy()
    alone = used.copy()
    ok = True
    for e in sorted(exams, key=lambda x: (not a.ex[x, EXCL], -size[x], x)):
        order = sorted(range(R), key=lambda r: (r != prefer.get(e, -1), free_left[r] - size[e]))
        for r in order:
            if free_left[r] < size[e]:
                continue
            if a.ex[e, EXCL] and (alone[r] or free_left[r] != left[r]):
                continue
            if not a.ex[e, EXCL] and r in out.values() and any(a.ex[x, EXCL] for x, q in out.items() if q == r):
                continue
            out[e] = r
            free_left[r] -= size[e]
            alone[r] = True
            break
        else:
            ok = False
            break
    if ok:
        return out, True
    m = cp_model.CpModel()
    z = {(e, r): m.new_bool_var(f"z{e}_{r}") for e in exams for r in range(R) if size[e] <= left[r]}
    for e in exams:
        m.add_exactly_one([z[e, r] for r in range(R) if (e, r) in z])
    for r in range(R):
        here = [(e, z[e, r]) for e in exams if (e, r) in z]
        if not here:
            continue
        m.add(sum(int(size[e]) * v for e, v in here) <= int(left[r]))
        for e, v in here:
            if a.ex[e, EXCL]:
                m.add(sum(w for f, w in here if f != e) == 0).only_enforce_if(v)
                if used[r]:
                    m.add(v == 0)
    if prefer:
        m.maximize(sum(z[e, r] for e, r in prefer.items() if (e, r) in z))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, status == cp_model.INFEASIBLE
    return {e: r for (e, r), v in z.items() if solver.boolean_value(v)}, True
