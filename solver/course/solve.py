"""Orchestration of a course timetabling solve.

1. Counting checks: an instance that obviously cannot fit is reported with the reason.
2. Construction: CP-SAT finds a timetable satisfying every hard constraint (or proves none
   exists, and :mod:`solver.course.explain` says why).
3. Annealing: one simulated-annealing chain per worker (threads; the compiled kernel releases
   the GIL) improves the soft cost; the best chain wins.
4. Decomposition (:mod:`solver.course.decompose`): CP-SAT optimises the times of the whole week with
   rooms only counted (hinted with the annealer's best), rooms are assigned per period, and a cold
   annealing from there repairs room stability. A second basin: on ITC2007 comp04 the annealing
   stalls at 37 on every seed, this path reaches the optimum 35.
5. Large-neighbourhood search: CP-SAT re-solves freed parts of the timetable exactly.
6. Polish: a short cold annealing from the best timetable.

Time shares after construction: 65 % annealing, 10 % time step of the decomposition, 15 % annealing
after it, 5 % LNS, 5 % polish. Before the decomposition the split was 80 / 10 LNS / 10 polish
(measured, 60 s, 2 workers: with 60/30/10 comp05 356, comp12 329, comp07 20; with 85/5/10 comp05
323, comp12 340, comp07 14: the LNS rarely improves on a cold annealing result, the annealing time
matters). The chains form a portfolio of starting temperatures: tight instances (ITC2007 comp05,
comp12) gain from a hot start, loose ones (comp07) from a cooler one; measured in 30 s single-chain
runs (T0 8 / 3 / 1.5: comp05 355 / 465 / 688, comp12 351 / 366 / 422, comp07 30 / 22 / 22).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np
from ortools.sat.python import cp_model

from models.course_instance import CourseInstance
from models.course_timetable import CourseTimetable
from solver.course.anneal import AnnealState
from solver.course.cpsat_model import build_model
from solver.course.decompose import times_then_rooms
from solver.course.explain import conflicting_rules, counting_reasons, describe_core
from solver.course.lns import NEIGHBOURHOODS, choose_free, configure, solve_neighbourhood
from solver.course.problem import HARD_WEIGHT, Problem
from solver.course.result import Progress, ProgressCallback, SolveResult, SolveStatus

ANNEAL_SHARE, TIMES_SHARE, REPAIR_SHARE, LNS_SHARE = 0.65, 0.1, 0.15, 0.05
HOT = (8.0, 3.0, 5.0, 12.0)
"""Starting temperature of annealing chain i (cycled)."""
COLD, POLISH_HOT = 0.05, 0.5
CHUNK = 100_000
"""Annealing moves between clock checks (about 0.1 s)."""


class _Run:
    """Clock, progress reporting and the best timetable so far."""

    def __init__(self, problem: Problem, time_limit: float, callback: ProgressCallback | None) -> None:
        self.problem = problem
        self.start = time.monotonic()
        self.deadline = self.start + time_limit
        self.callback = callback
        self.history: list[Progress] = []
        self.best: tuple[np.ndarray, np.ndarray] | None = None
        self.best_cost: int | None = None

    def left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def offer(self, lec_t: np.ndarray, lec_r: np.ndarray, cost: int, phase: str) -> bool:
        if self.best_cost is not None and cost >= self.best_cost:
            return False
        self.best, self.best_cost = (lec_t.copy(), lec_r.copy()), cost
        self.report(phase)
        return True

    def report(self, phase: str) -> None:
        event = Progress(elapsed=round(self.elapsed(), 3), cost=self.best_cost, bound=None, phase=phase)
        self.history.append(event)
        if self.callback is not None:
            self.callback(event)


def solve(
    instance: CourseInstance,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    params: str | None = None,
    progress: ProgressCallback | None = None,
) -> SolveResult:
    """Best timetable found within ``time_limit`` seconds.

    ``workers`` is the number of parallel annealing chains and of CP-SAT search workers, ``seed``
    makes runs repeatable (given the same timing), ``params`` is a raw CP-SAT parameter string
    (protobuf text format, e.g. ``"linearization_level:2"``) applied to every CP-SAT call,
    ``progress`` receives :class:`Progress` events.
    """
    if time_limit <= 0:
        raise ValueError(f"time limit must be positive, got {time_limit}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    problem = Problem.build(instance)
    run = _Run(problem, time_limit, progress)

    reasons = counting_reasons(problem)
    if reasons:
        return _result(run, SolveStatus.INFEASIBLE, explanation=reasons)

    status, start = _construct(problem, run, workers, seed, params)
    if start is None:
        explanation: list[str] = []
        if status == SolveStatus.INFEASIBLE:
            core = conflicting_rules(problem, max(1.0, run.left()), workers, seed, params)
            explanation = describe_core(core)
        return _result(run, status, explanation=explanation)

    state = AnnealState(problem, *start)
    run.offer(state.lec_t, state.lec_r, state.cost(), "construction")
    if run.best_cost:
        budget = run.left()
        _anneal(problem, run, budget * ANNEAL_SHARE, workers, seed, HOT, COLD, "annealing")
        _decompose(problem, run, budget * TIMES_SHARE, budget * REPAIR_SHARE, workers, seed, params)
        _lns(problem, run, budget * LNS_SHARE, workers, seed, params)
        _anneal(problem, run, run.left(), workers, seed + 7919, (POLISH_HOT,), COLD, "polish")
    return _result(run, SolveStatus.FEASIBLE)


def _construct(
    problem: Problem, run: _Run, workers: int, seed: int, params: str | None
) -> tuple[SolveStatus, tuple[np.ndarray, np.ndarray] | None]:
    """A timetable satisfying all hard constraints, found by CP-SAT."""
    model, v, _ = build_model(problem, with_objective=False)
    solver = cp_model.CpSolver()
    configure(solver, run.left(), workers, seed, params)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE or status == cp_model.MODEL_INVALID:
        return SolveStatus.INFEASIBLE, None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return SolveStatus.UNKNOWN, None
    return SolveStatus.FEASIBLE, v.extract(solver, problem)


def _decompose(
    problem: Problem, run: _Run, budget: float, repair: float, workers: int, seed: int, params: str | None
) -> None:
    """Times then rooms from the annealer's best times, then a cold annealing from that timetable."""
    if budget <= 0.5 or run.best is None or not run.best_cost:
        return
    found = times_then_rooms(problem, run.best, budget, workers, seed, params)
    if found is not None:
        _anneal(problem, run, repair, workers, seed + 104_729, (POLISH_HOT,), COLD, "decomposition", start=found)


def _anneal(
    problem: Problem,
    run: _Run,
    budget: float,
    workers: int,
    seed: int,
    hot: tuple[float, ...],
    cold: float,
    phase: str,
    start: tuple[np.ndarray, np.ndarray] | None = None,
) -> None:
    """Parallel annealing chains from ``start`` (default: the best timetable); chain i cools from
    ``hot[i]`` to ``cold``."""
    start = start if start is not None else run.best
    if budget <= 0.05 or start is None or not run.best_cost:
        return
    states = [AnnealState(problem, *start) for _ in range(workers)]
    end = time.monotonic() + budget

    def chain(i: int) -> None:
        state, began = states[i], time.monotonic()
        best = state.cost()
        round_ = 0
        while best > 0:
            now = time.monotonic()
            if now >= end:
                break
            f0 = (now - began) / max(1e-9, end - began)
            f1 = min(1.0, f0 + 0.1 / max(0.1, end - began))
            h = hot[i % len(hot)]
            t0, t1 = h * (cold / h) ** f0, h * (cold / h) ** f1
            _, best = state.run(CHUNK, t0, t1, seed * 1_000_003 + i * 7_777 + round_, best)
            round_ += 1

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(chain, range(workers)))
    for state in states:
        if hasattr(state, "best_t"):
            state.load(state.best_t, state.best_r)
            run.offer(state.lec_t, state.lec_r, state.cost(), phase)


def _lns(problem: Problem, run: _Run, budget: float, workers: int, seed: int, params: str | None) -> None:
    """CP-SAT re-solves of random neighbourhoods, kept when not worse."""
    if run.best is None or not run.best_cost:
        return
    end = time.monotonic() + budget
    rng = np.random.default_rng(seed)
    state = AnnealState(problem, *run.best)
    cost = state.cost()
    size = max(10, min(60, len(state.lec_c) // 6))
    while cost > 0 and (left := end - time.monotonic()) > 0.5:
        kind = NEIGHBOURHOODS[int(rng.integers(len(NEIGHBOURHOODS)))]
        free = choose_free(problem, state.lec_t, rng, kind, size)
        found = solve_neighbourhood(
            problem, state.lec_t.copy(), state.lec_r.copy(), free, min(3.0, left), workers,
            int(rng.integers(1 << 30)), params,
        )  # fmt: skip
        if found is None:
            continue
        old = (state.lec_t.copy(), state.lec_r.copy())
        state.load(*found)
        new = state.cost()
        if new <= cost:
            cost = new
            run.offer(state.lec_t, state.lec_r, cost, f"lns:{kind}")
        else:
            state.load(*old)


def _result(run: _Run, status: SolveStatus, explanation: list[str] | None = None) -> SolveResult:
    problem = run.problem
    timetable: CourseTimetable | None = None
    cost: int | None = None
    bound: int | None = None
    explanation = list(explanation or [])
    if run.best is not None:
        timetable = problem.to_timetable(*run.best)
        soft = AnnealState(_soft_only(problem), *run.best).cost()
        hard_units = (int(run.best_cost or 0) - soft) // HARD_WEIGHT
        cost = soft
        if hard_units:
            status = SolveStatus.UNKNOWN
            explanation.append(f"no timetable found that keeps every rule marked hard ({hard_units} violations left)")
        elif cost == 0:
            status, bound = SolveStatus.OPTIMAL, 0
    if problem.lectures.sum() == 0 and timetable is None:
        timetable, cost, bound, status = CourseTimetable(), 0, 0, SolveStatus.OPTIMAL
    run.report("done")
    return SolveResult(
        status=status,
        timetable=timetable,
        cost=cost,
        bound=bound,
        elapsed=run.elapsed(),
        explanation=explanation,
        history=run.history,
    )


def _soft_only(problem: Problem) -> Problem:
    """The same problem with rules marked hard weighing nothing (the scorer's soft cost)."""
    return replace(problem, weights=np.where(problem.weights >= HARD_WEIGHT, 0, problem.weights))
