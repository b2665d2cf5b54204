"""Repair an exam timetable after a change, moving as few exams as possible.

An exam *moves* when its period or its room changes (an exam the old timetable did not place is
placed without counting as a move). Lexicographic, with CP-SAT (:mod:`solver.exam.cpsat_model`,
exact rooms):

1. the exams involved in a hard violation of the old timetable under the changed instance are
   freed, every other exam stays where it was; if no valid timetable exists that way, the freed
   set grows (exams sharing students, a room or a relation with a freed exam), up to every exam;
2. CP-SAT minimises the number of freed exams that do not keep their old period and room;
3. with that number fixed, CP-SAT minimises the part of the soft cost that is linear in one exam's
   placement (period and room penalties, front load, pair costs with exams that stay);
4. the annealing of :mod:`solver.exam.anneal` polishes the full cost, moving only exams that
   already moved (so the number of moves cannot grow).

The number of moves is *proven minimal* when CP-SAT proved step 2 optimal with every exam free,
or when it equals the number of exams whose old placement is impossible on its own (in an
unavailable period, a lost room, a room too small for it, or not placed).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from models.exam_instance import ExamInstance, ExamPlacement, ExamTimetable
from solver.course.result import SolveStatus
from solver.exam import anneal as kernel
from solver.exam.construct import configure
from solver.exam.cpsat_model import build_period_model
from solver.exam.explain import conflicting_constraints, counting_reasons, describe_core
from solver.exam.problem import (
    APART,
    CAP,
    EARLIER,
    EXCL,
    FRONT,
    FRONT_W,
    LATE,
    PPEN,
    RPEN,
    SIZE,
    TOGETHER,
    ExamProblem,
)
from solver.exam.solve import anneal_chains

POLISH_SECONDS = 1.0
"""Base polishing time (plus 0.05 s per moved exam): only the moved exams move, a small search."""
MOVES_SHARE, COST_SHARE = 0.7, 0.15
"""Shares of the time limit for the fewest moves (all neighbourhood levels) and the cost step;
the rest polishes."""
ALL_FREE_VARS = 5_000
"""Up to this many exams x periods x rooms every exam is free from the start (exact minimum)."""
MAX_ROOM_VARS = 400_000
"""Largest freed exams x periods x rooms modelled; a larger neighbourhood is not tried."""


@dataclass
class MovedExam:
    exam: str
    old: ExamPlacement | None
    new: ExamPlacement


@dataclass
class ExamRepairResult:
    status: SolveStatus
    """FEASIBLE when a valid timetable was found, INFEASIBLE (with ``explanation``) or UNKNOWN."""
    timetable: ExamTimetable | None
    moved: list[MovedExam] = field(default_factory=list)
    moves: int | None = None
    moves_proven_minimal: bool = False
    cost: int | None = None
    """Soft cost of the repaired timetable (the scorer's total)."""
    freed: int = 0
    """Exams the final CP-SAT step was allowed to move."""
    elapsed: float = 0.0
    explanation: list[str] = field(default_factory=list)


def repair(
    instance: ExamInstance,
    old: ExamTimetable,
    *,
    time_limit: float = 30.0,
    workers: int = 2,
    seed: int = 0,
    params: str | None = None,
) -> ExamRepairResult:
    """A valid timetable for ``instance`` close to ``old`` (see the module docstring)."""
    if time_limit <= 0:
        raise ValueError(f"time limit must be positive, got {time_limit}")
    start = time.monotonic()
    deadline = start + time_limit

    def done(status: SolveStatus, **kw) -> ExamRepairResult:
        return ExamRepairResult(status, kw.pop("timetable", None), elapsed=time.monotonic() - start, **kw)

    problem = ExamProblem.build(instance)
    reasons = counting_reasons(problem)
    if reasons:
        return done(SolveStatus.INFEASIBLE, explanation=reasons)
    a = problem.arrays
    E = problem.n_exams
    old_t, old_r = problem.from_timetable(old)
    st = kernel.new_state(a, old_t, old_r, problem.n_students)
    placed = old_t >= 0
    if st.cost[kernel.HARD] == 0 and placed.all():
        return done(
            SolveStatus.FEASIBLE, timetable=problem.to_timetable(old_t, old_r), moves=0,
            moves_proven_minimal=True, cost=int(st.cost[kernel.SOFT]),
        )  # fmt: skip
    had = np.array([old.get(e.id) is not None for e in instance.exams], dtype=bool)
    lower = _moves_lower_bound(problem, st, had)
    free = _involved(problem, st)
    if E * problem.n_periods * max(1, problem.n_rooms) <= ALL_FREE_VARS:
        free = set(range(E))
    moves_end = start + time_limit * MOVES_SHARE
    found = None
    retried = False
    while True:
        everything = len(free) == E
        if len(free) * problem.n_periods * max(1, problem.n_rooms) > MAX_ROOM_VARS and not everything:
            break
        left = moves_end - time.monotonic()
        if left <= 0.2:
            break
        step_limit = left if everything or retried else 0.5 * left
        status, solution = _fewest_moves(problem, free, old_t, old_r, step_limit, workers, seed, params)
        if status == "found":
            found = solution
            break
        if status == "infeasible" and everything:  # every exam free: the changed session has no timetable
            core = conflicting_constraints(problem, max(1.0, deadline - time.monotonic()), seed=seed)
            return done(SolveStatus.INFEASIBLE, explanation=describe_core(problem, core))
        if status == "unknown":
            if retried or everything:
                break
            retried = True  # the same neighbourhood once more, with all the time left for this step
            continue
        retried = False
        grown = _grow(problem, free, old_t, old_r)
        free = grown if len(grown) > len(free) else set(range(E))
    if found is None:
        why = f"no valid timetable found moving only the {len(free)} exams nearest to the change in time"
        return done(SolveStatus.UNKNOWN, explanation=[why], freed=len(free))
    pm, keep, moves, proven_level, t_new, r_new = found
    # Cost step: the same number of moves, least linear cost.
    t_new, r_new = _cheapest(problem, pm, keep, moves, free, old_t, t_new, r_new, deadline, workers, seed, params)
    # Polish: only exams that moved may move again.
    st = kernel.new_state(a, t_new, r_new, problem.n_students)
    moved_mask = (t_new != old_t) | (r_new != old_r)
    if moved_mask.any() and time.monotonic() < deadline - 0.1:
        polish = problem.with_movable(moved_mask)
        run = _Polish(t_new, r_new, int(st.cost[kernel.SOFT]))
        pst = kernel.new_state(polish.arrays, t_new, r_new, problem.n_students)
        budget = min(0.9 * (deadline - time.monotonic()), POLISH_SECONDS + 0.05 * int(moved_mask.sum()))
        anneal_chains(polish, run, pst, budget, workers, seed, "polish")
        t_new, r_new = run.best
        st = kernel.new_state(a, t_new, r_new, problem.n_students)
    soft, hard = kernel.full_cost(a, st)
    if hard:
        raise AssertionError(f"internal error: the repaired timetable has {hard} hard units")
    timetable = problem.to_timetable(t_new, r_new)
    moved = _moved(problem, old, timetable, old_t)
    count = sum(1 for m in moved if m.old is not None)
    return done(
        SolveStatus.FEASIBLE,
        timetable=timetable,
        moved=moved,
        moves=count,
        moves_proven_minimal=proven_level or count == lower,
        cost=soft,
        freed=len(free),
    )


class _Polish:
    """The best timetable offered by the polishing chains (the interface of solve._Run)."""

    def __init__(self, t: np.ndarray, r: np.ndarray, cost: int) -> None:
        self.best = (t.copy(), r.copy())
        self.best_cost = cost
        import threading

        self.lock = threading.Lock()

    def offer(self, t: np.ndarray, r: np.ndarray, cost: int, phase: str) -> None:
        with self.lock:
            if cost < self.best_cost:
                self.best, self.best_cost = (t.copy(), r.copy()), cost


def _impossible(problem: ExamProblem, t: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Exams whose old placement is impossible on its own: unplaced, unavailable period, room
    too small for the exam alone."""
    a = problem.arrays
    out = t < 0
    for e in np.flatnonzero(~out):
        out[e] = not a.period_ok[e, t[e]] or a.ex[e, SIZE] > a.room[r[e], CAP]
    return out


def _violations(problem: ExamProblem, t: np.ndarray, r: np.ndarray) -> list[list[int]]:
    """Groups of exams of which at least one must move for the timetable to become valid: each
    exam placed impossibly on its own, the exams of an overfull room (or of a room shared with
    an exclusive exam), two exams sharing students in a period, two exams breaking a relation."""
    a = problem.arrays
    groups = [[int(e)] for e in np.flatnonzero(_impossible(problem, t, r))]
    cells: dict[tuple[int, int], list[int]] = {}
    for e in range(problem.n_exams):
        if t[e] >= 0:
            cells.setdefault((int(t[e]), int(r[e])), []).append(e)
    for (_, rr), exams in cells.items():
        seats = int(a.ex[exams, SIZE].sum())
        if seats > a.room[rr, CAP] or (len(exams) > 1 and a.ex[exams, EXCL].any()):
            groups.append(exams)
    for e in range(problem.n_exams):
        if t[e] < 0:
            continue
        for j in problem.graph.neighbours(e):
            if j > e and t[j] == t[e]:
                groups.append([e, int(j)])
        for i in range(a.rel_ptr[e], a.rel_ptr[e + 1]):
            j, kind = int(a.rel[i, 0]), int(a.rel[i, 1])
            if t[j] < 0 or (kind != EARLIER and j < e):
                continue
            broken = (
                (kind == EARLIER and t[e] <= t[j])
                or (kind == APART and t[e] == t[j])
                or (kind == TOGETHER and t[e] != t[j])
            )
            if broken:
                groups.append([e, j])
    return groups


def _involved(problem: ExamProblem, st: kernel.State) -> set[int]:
    """Exams taking part in a hard violation of the state (or not placed)."""
    out = {e for group in _violations(problem, st.t, st.r) for e in group}
    if not out and st.cost[kernel.HARD] > 0:  # registrar rules: free every exam, CP-SAT sorts it out
        out = set(range(problem.n_exams))
    return out


def _moves_lower_bound(problem: ExamProblem, st: kernel.State, had: np.ndarray) -> int:
    """Disjoint violation groups, each needing a move of one of its exams that the old timetable
    placed (exams it did not place are placed without counting)."""
    used: set[int] = set()
    bound = 0
    for group in sorted(_violations(problem, st.t, st.r), key=len):
        members = [e for e in group if had[e]]
        if members and not used.intersection(group) and len(members) == len(group):
            used.update(group)
            bound += 1
    lost = [e for e in np.flatnonzero(had & (st.t < 0)) if int(e) not in used]  # placed in a lost room
    return bound + len(lost)


def _grow(problem: ExamProblem, free: set[int], t: np.ndarray, r: np.ndarray) -> set[int]:
    """``free`` with the exams sharing students, a relation or an old room and period with it."""
    a = problem.arrays
    grown = set(free)
    cells = {(int(t[e]), int(r[e])) for e in free if t[e] >= 0}
    periods = {int(t[e]) for e in free if t[e] >= 0}
    for e in free:
        grown.update(int(j) for j in problem.graph.neighbours(e))
        grown.update(int(j) for j in a.rel[a.rel_ptr[e] : a.rel_ptr[e + 1], 0])
    for e in range(problem.n_exams):
        if t[e] >= 0 and ((int(t[e]), int(r[e])) in cells or (problem.toronto and int(t[e]) in periods)):
            grown.add(e)
    return grown


def _fewest_moves(
    problem: ExamProblem,
    free: set[int],
    old_t: np.ndarray,
    old_r: np.ndarray,
    time_limit: float,
    workers: int,
    seed: int,
    params: str | None,
):
    """CP-SAT with the exams outside ``free`` fixed: fewest freed exams leaving their placement.

    Returns ("found", (model, keep literals, moves expression, proven over every exam, t, r)),
    ("infeasible", None) or ("unknown", None)."""
    E = problem.n_exams
    fixed = {e: (int(old_t[e]), int(old_r[e])) for e in range(E) if e not in free}
    pm = build_period_model(problem, fixed=fixed, rooms=True)
    keep = {}
    for e in sorted(free):
        if old_t[e] < 0:
            continue
        var = pm.x.get((e, int(old_t[e]))) if problem.toronto else pm.z.get((e, int(old_t[e]), int(old_r[e])))
        if var is not None:
            keep[e] = var
    movable = [e for e in free if old_t[e] >= 0]
    moves = len(movable) - sum(keep.values()) if keep else pm.model.new_constant(len(movable))
    for (e, tt), var in pm.x.items():
        pm.model.add_hint(var, bool(old_t[e] == tt))
    for (e, tt, rr), var in pm.z.items():
        pm.model.add_hint(var, bool(old_t[e] == tt and old_r[e] == rr))
    pm.model.minimize(moves)
    solver = cp_model.CpSolver()
    configure(solver, time_limit, workers, seed, params)
    status = solver.solve(pm.model)
    if status == cp_model.INFEASIBLE:
        return "infeasible", None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "unknown", None
    t, r = _extract(problem, pm, solver, free, old_t, old_r)
    best = round(solver.objective_value)
    proven = status == cp_model.OPTIMAL and len(free) == E
    pm.model.add(moves <= best)
    return "found", (pm, keep, moves, proven, t, r)


def _extract(problem, pm, solver, free, old_t, old_r) -> tuple[np.ndarray, np.ndarray]:
    t, r = old_t.copy(), old_r.copy()
    for (e, tt), var in pm.x.items():
        if solver.boolean_value(var):
            t[e] = tt
            r[e] = 0
    for (e, _, rr), var in pm.z.items():
        if solver.boolean_value(var):
            r[e] = rr
    return t, r


def _cheapest(problem, pm, keep, moves, free, old_t, t, r, deadline, workers, seed, params):
    """The same number of moves, least linear cost (see the module docstring); the phase-1
    timetable if CP-SAT finds nothing better in its share of the time."""
    a = problem.arrays
    terms = []
    fixed_t = {e: int(old_t[e]) for e in range(problem.n_exams) if e not in free}
    for (e, tt), var in pm.x.items():
        c = int(a.per[tt, PPEN]) + (int(a.prm[FRONT_W]) if a.ex[e, FRONT] and a.per[tt, LATE] else 0)
        for i in range(a.adj_ptr[e], a.adj_ptr[e + 1]):
            j = int(a.adj_idx[i])
            if j in fixed_t and fixed_t[j] != tt:
                c += int(a.adj_w[i]) * int(a.pair_cost[tt, fixed_t[j]])
        if c:
            terms.append(c * var)
    for (_, _, rr), var in pm.z.items():
        if a.room[rr, RPEN]:
            terms.append(int(a.room[rr, RPEN]) * var)
    if not terms:
        return t, r
    pm.model.clear_hints()
    for (e, tt), var in pm.x.items():
        pm.model.add_hint(var, bool(t[e] == tt))
    for (e, tt, rr), var in pm.z.items():
        pm.model.add_hint(var, bool(t[e] == tt and r[e] == rr))
    pm.model.minimize(sum(terms))
    solver = cp_model.CpSolver()
    left = deadline - time.monotonic()
    configure(solver, max(0.2, min(left * COST_SHARE / (1 - MOVES_SHARE), left * 0.5)), workers, seed, params)
    status = solver.solve(pm.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return t, r
    return _extract(problem, pm, solver, free, old_t, r)


def _moved(problem: ExamProblem, old: ExamTimetable, new: ExamTimetable, old_t: np.ndarray) -> list[MovedExam]:
    """Exams placed differently from ``old`` (``old`` None: not placed before), in exam order."""
    out = []
    for exam in problem.instance.exams:
        before, after = old.get(exam.id), new.get(exam.id)
        if after is not None and before != after:
            out.append(MovedExam(exam.id, before, after))
    return out
