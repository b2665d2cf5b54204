"""A first timetable without hard violations.

1. Greedy: blocks of coincident exams in order of fewest allowed periods, then most students in
   conflict, then most students, each into the period where it breaks the fewest hard
   constraints (then adds the least cost), each exam into its best room.
2. Repair by annealing with hard violations priced at :data:`HARD_W` per unit (loose instances
   are feasible after a few seconds; ITC2007 sets 2, 3 and 11 straight after the greedy), on
   instances with more than :data:`CPSAT_FIRST_EXAMS` exams.
3. If violations remain: CP-SAT on the period assignment with the rooms in aggregate (exact rooms
   for small instances), hinted with the least violated timetable so far; each period's rooms are
   then packed exactly (:func:`~solver.exam.cpsat_model.pack_rooms`), and any period that does
   not pack is handed back to the repair annealing. CP-SAT also proves infeasibility.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from solver.exam import anneal as kernel
from solver.exam.cpsat_model import build_period_model, pack_rooms
from solver.exam.problem import CAP, SIZE, ExamProblem

HARD_W = 10_000
"""Price of one hard unit while repairing (soft costs only break ties)."""
REPAIR_PROBS = np.array([0.5, 0.15, 0.33, 0.02])
EXACT_ROOMS_LIMIT = 10_000
"""Largest exams x periods x rooms for which CP-SAT models rooms exactly."""
CHUNK = 20_000
PACKING_ROUNDS = 10
"""CP-SAT solves with cuts for sets of exams that do not pack into the rooms, per construction."""
CPSAT_FIRST_EXAMS = 400
"""Up to this many exams CP-SAT runs before the repair annealing (it finds ITC2007 sets 4, 6, 9,
10 and 12 feasible in seconds; on the large sets the annealing is faster)."""


@dataclass
class Construction:
    status: str
    """``"feasible"``, ``"infeasible"`` (proven by CP-SAT) or ``"unknown"`` (time ran out)."""
    t: np.ndarray | None = None
    r: np.ndarray | None = None
    hard: int | None = None
    """Hard units left in the best timetable found (``"unknown"`` only)."""


def block_order(problem: ExamProblem, rng: np.random.Generator) -> np.ndarray:
    """Exams hardest first: fewest allowed periods (over the block), most conflicting students,
    most students; random ties."""
    a = problem.arrays
    allowed = a.period_ok.sum(axis=1)
    weight = np.zeros(problem.n_exams, dtype=np.int64)
    np.add.at(weight, np.repeat(np.arange(problem.n_exams), np.diff(a.adj_ptr)), a.adj_w)
    for block in problem.blocks():
        if len(block) > 1:
            allowed[block] = a.period_ok[block].all(axis=0).sum()
            weight[block] = weight[block].sum()
    noise = rng.random(problem.n_exams)
    return np.lexsort((noise, -a.ex[:, SIZE], -weight, allowed)).astype(np.int64)


def repair_anneal(problem: ExamProblem, st: kernel.State, deadline: float, seed: int) -> None:
    """Anneal with hard units priced at HARD_W until none is left or the deadline passes; the
    state ends at the least violated timetable seen."""
    a = problem.arrays
    start = time.monotonic()
    span = max(1e-3, deadline - start)
    hot, cold = 2.0 * HARD_W, 0.01 * HARD_W
    k = 0
    while st.cost[kernel.BEST_HARD] > 0 and (now := time.monotonic()) < deadline:
        f = (now - start) / span
        t0 = hot * (cold / hot) ** min(f, 1.0)
        kernel.anneal(a, st, CHUNK, t0, t0 * 0.9, seed + k, REPAIR_PROBS, False, HARD_W, problem.n_exams)
        k += 1
    kernel.load(a, st, st.best[0].copy(), st.best[1].copy())


def construct(
    problem: ExamProblem,
    deadline: float,
    *,
    workers: int = 2,
    seed: int = 0,
    params: str | None = None,
    note: Callable[[str, int], None] | None = None,
) -> Construction:
    """A timetable without hard violations found before ``deadline`` (``time.monotonic()``)."""
    rng = np.random.default_rng(seed)
    E = problem.n_exams
    note = note or (lambda phase, hard: None)
    st = kernel.new_state(problem.arrays, np.full(E, -1), np.full(E, -1), problem.n_students)
    kernel.greedy(problem.arrays, st, block_order(problem, rng), seed, HARD_W)
    note("greedy", int(st.cost[kernel.HARD]))
    cpsat_first = problem.n_exams <= CPSAT_FIRST_EXAMS
    if st.cost[kernel.HARD] > 0 and not cpsat_first:
        now = time.monotonic()
        repair_anneal(problem, st, now + min(10.0, 0.25 * (deadline - now)), seed)
        note("repair", int(st.cost[kernel.HARD]))
    attempt = 0
    while st.cost[kernel.HARD] > 0 and time.monotonic() < deadline:
        now = time.monotonic()
        found = _cpsat(problem, st, now + max(1.0, 0.5 * (deadline - now)), workers, seed + attempt, params)
        if found == "infeasible":
            return Construction("infeasible")
        note("cp-sat", int(st.cost[kernel.HARD]))
        if st.cost[kernel.HARD] > 0:
            now = time.monotonic()
            repair_anneal(problem, st, now + max(1.0, 0.5 * (deadline - now)), seed + 1000 * (attempt + 1))
            note("repair", int(st.cost[kernel.HARD]))
        attempt += 1
    if st.cost[kernel.HARD] > 0:
        return Construction("unknown", hard=int(st.cost[kernel.HARD]))
    return Construction("feasible", st.t.copy(), st.r.copy())


def _cpsat(problem: ExamProblem, st: kernel.State, deadline: float, workers: int, seed: int, params: str | None) -> str:
    """Solve the period model (hinted with the state); load its timetable into the state. Rooms
    are packed per period; a set of exams that no packing fits becomes a cut (not all of them in
    one period) and CP-SAT solves again, up to :data:`PACKING_ROUNDS` times; a period that still
    does not pack gets a best-fit packing (the repair annealing takes it from there). Returns
    ``"infeasible"``, ``"found"`` or ``"unknown"``."""
    E, T, R = problem.n_exams, problem.n_periods, problem.n_rooms
    exact = E * T * R <= EXACT_ROOMS_LIMIT and not problem.toronto
    pm = build_period_model(problem, rooms=exact)
    hint_t = st.t.copy()
    rooms_hint = st.r.copy()
    for round_ in range(PACKING_ROUNDS):
        pm.model.clear_hints()
        for (e, t), var in pm.x.items():
            pm.model.add_hint(var, bool(hint_t[e] == t))
        solver = cp_model.CpSolver()
        for_feasibility(solver, workers)
        configure(solver, max(0.5, deadline - time.monotonic()), workers, seed + round_, params)
        status = solver.solve(pm.model)
        if status == cp_model.INFEASIBLE:
            return "infeasible"
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return "unknown"
        periods = pm.periods(solver, range(E))
        t = np.array([periods[e] for e in range(E)], dtype=np.int64)
        r = np.zeros(E, dtype=np.int64)
        unpacked: list[list[int]] = []
        if exact:
            for (e, _, rr), var in pm.z.items():
                if solver.boolean_value(var):
                    r[e] = rr
        elif not problem.toronto:
            for tt in range(T):
                exams = [e for e in range(E) if t[e] == tt]
                packed, proven = pack_rooms(
                    problem, exams, prefer={e: int(rooms_hint[e]) for e in exams if rooms_hint[e] >= 0}
                )
                if packed is None:
                    packed = _best_fit(problem, exams)
                    if proven:
                        unpacked.append(exams)
                for e, rr in packed.items():
                    r[e] = rr
        if not unpacked or time.monotonic() >= deadline or round_ == PACKING_ROUNDS - 1:
            break
        # The rooms are the same in every period: these exams never pack together.
        for exams in unpacked:
            for tt in range(T):
                lits = [pm.x[e, tt] for e in exams if (e, tt) in pm.x]
                if len(lits) == len(exams):
                    pm.model.add(sum(lits) <= len(exams) - 1)
        hint_t, rooms_hint = t, r
    kernel.load(problem.arrays, st, t, r)
    return "found"


def _best_fit(problem: ExamProblem, exams: list[int]) -> dict[int, int]:
    """Largest exam first into the room with the most seats left (may overfill)."""
    a = problem.arrays
    left = a.room[:, CAP].astype(np.int64).copy()
    out = {}
    for e in sorted(exams, key=lambda x: -a.ex[x, SIZE]):
        rr = int(np.argmax(left))
        out[e] = rr
        left[rr] -= a.ex[e, SIZE]
    return out


def for_feasibility(solver: cp_model.CpSolver, workers: int) -> None:
    """Stop at the first solution and search it without the LP relaxation first (on ITC2007 set
    4, 2 workers: about 1.3 s of CPU instead of 1.4-6 s with the default portfolio; 1 worker with
    the default search found none in 30 s)."""
    solver.parameters.stop_after_first_solution = True
    if workers == 1:
        solver.parameters.linearization_level = 0
    else:
        solver.parameters.subsolvers.extend(["no_lp", "default_lp"])


def configure(solver: cp_model.CpSolver, time_limit: float, workers: int, seed: int, params: str | None) -> None:
    """Time limit, workers, seed and raw CP-SAT parameters (protobuf text) for ``solver``."""
    if params:
        from google.protobuf import text_format

        text_format.Merge(params, solver.parameters)
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
