"""Orchestration of an exam timetabling solve (ITC2007 with rooms, or any instance with relations
or registrar rules; plain Toronto sessions go to :mod:`solver.exam.uncapacitated`).

1. Counting checks (:mod:`solver.exam.explain`): a session that obviously cannot be scheduled is
   reported with the reason.
2. Construction (:mod:`solver.exam.construct`): greedy, repair annealing, CP-SAT.
3. Annealing: one simulated-annealing chain per worker (threads; the compiled kernel releases
   the GIL) over timetables without hard violations, cooling geometrically over the time left
   from a start temperature sampled from the instance; the best chain wins.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from models.exam_instance import ExamInstance
from solver.course.result import Progress, ProgressCallback, SolveStatus
from solver.exam import anneal as kernel
from solver.exam.construct import construct
from solver.exam.explain import conflicting_constraints, counting_reasons, describe_core
from solver.exam.problem import ExamProblem
from solver.exam.uncapacitated import ExamSolveResult, solve_uncapacitated

PROBS_ROOMS = np.array([0.45, 0.15, 0.38, 0.02])
PROBS_NO_ROOMS = np.array([0.55, 0.0, 0.43, 0.02])
"""Shares of move, room, Kempe-chain and period-swap moves (with several rooms / one room)."""
HOT = 0.25
"""Start temperature: HOT x the mean soft cost increase of random moves."""
COLD = 0.15
"""End temperature (absolute; costs are integers): a move adding 1 is accepted with probability
exp(-1 / 0.15), about 0.1 %. It was 0.02 x the mean increase, 1.0 and 4.2 on ITC2007 sets 1 and 2,
where a quarter of the moves were still accepted at the end: the chains never froze. On set 2,
2 M moves of one chain gave 932 with that end and 426 ending at 0.3; 300 s (2 workers) had given 842."""
CHUNK_SECONDS = 0.1
"""Target duration of one annealing call between clock checks: its moves are sized from the
measured rate (growing at most twofold from one call to the next, as a short call overstates the
rate on a loaded machine), so the last call ends at the deadline."""
MIN_CHUNK, MAX_CHUNK = 200, 200_000


def solve(
    instance: ExamInstance,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    params: str | None = None,
    progress: ProgressCallback | None = None,
) -> ExamSolveResult:
    """Best exam timetable found within ``time_limit`` seconds; any kind of instance.

    A Toronto instance without relations or registrar rules goes to
    :func:`~solver.exam.uncapacitated.solve_uncapacitated`, anything else to :func:`solve_exams`."""
    rules = instance.rules
    if (
        instance.kind == "toronto"
        and not instance.relations
        and not rules.daily_exams.active
        and not rules.group_free_days.active
        and not any(e.unavailable for e in instance.exams)
    ):
        return solve_uncapacitated(instance, time_limit=time_limit, workers=workers, seed=seed, progress=progress)
    return solve_exams(instance, time_limit=time_limit, workers=workers, seed=seed, params=params, progress=progress)


class _Run:
    """Clock, progress reporting and the best timetable so far (thread-safe offers)."""

    def __init__(self, problem: ExamProblem, time_limit: float, callback: ProgressCallback | None) -> None:
        self.problem = problem
        self.start = time.monotonic()
        self.deadline = self.start + time_limit
        self.callback = callback
        self.history: list[Progress] = []
        self.best: tuple[np.ndarray, np.ndarray] | None = None
        self.best_cost: int | None = None
        self.lock = threading.Lock()

    def left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def offer(self, t: np.ndarray, r: np.ndarray, cost: int, phase: str) -> None:
        with self.lock:
            if self.best_cost is not None and cost >= self.best_cost:
                return
            self.best, self.best_cost = (t.copy(), r.copy()), cost
            self.report(phase)

    def report(self, phase: str, cost: int | None = None) -> None:
        value = self.best_cost if cost is None else cost
        event = Progress(elapsed=round(time.monotonic() - self.start, 3), cost=value, bound=None, phase=phase)
        self.history.append(event)
        if self.callback is not None:
            self.callback(event)


def solve_exams(
    instance: ExamInstance,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    params: str | None = None,
    progress: ProgressCallback | None = None,
) -> ExamSolveResult:
    """Best timetable without hard violations found within ``time_limit`` seconds (see the module
    docstring). ``workers``: annealing chains and CP-SAT workers; ``params``: raw CP-SAT parameters."""
    if time_limit <= 0:
        raise ValueError(f"time limit must be positive, got {time_limit}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    problem = ExamProblem.build(instance)
    run = _Run(problem, time_limit, progress)
    reasons = counting_reasons(problem)
    if reasons:
        return _result(run, SolveStatus.INFEASIBLE, reasons)
    if problem.n_exams == 0:
        run.offer(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 0, "construction")
        return _result(run, SolveStatus.OPTIMAL)

    built = construct(
        problem,
        run.deadline,
        workers=workers,
        seed=seed,
        params=params,
        note=lambda phase, hard: run.report(f"{phase}: {hard} hard units", None),
    )
    if built.status == "infeasible":
        core = conflicting_constraints(problem, max(1.0, run.left()), seed=seed, params=params)
        return _result(run, SolveStatus.INFEASIBLE, describe_core(problem, core))
    if built.t is None or built.r is None:
        why = [f"no timetable without hard violations found in time ({built.hard} hard units left)"]
        return _result(run, SolveStatus.UNKNOWN, why)
    st = kernel.new_state(problem.arrays, built.t, built.r, problem.n_students)
    run.offer(st.t, st.r, int(st.cost[kernel.SOFT]), "construction")
    if run.best_cost:
        anneal_chains(problem, run, st, run.left(), workers, seed)
    return _result(run, SolveStatus.OPTIMAL if run.best_cost == 0 else SolveStatus.FEASIBLE)


def start_temperature(problem: ExamProblem, st: kernel.State, seed: int) -> float:
    """The mean soft cost increase of random moves (at least 1)."""
    deltas = kernel.sample_deltas(problem.arrays, st, 400, seed)
    return max(1.0, float(deltas.mean())) if len(deltas) else 1.0


def anneal_chains(
    problem: ExamProblem, run: _Run, st: kernel.State, budget: float, workers: int, seed: int, phase: str = "annealing"
) -> None:
    """``workers`` strict annealing chains from ``st`` for ``budget`` seconds; offers the best."""
    end = time.monotonic() + budget  # before the sampling: its time (and compiling) is in the budget
    if budget <= 0.05:
        return
    mean = start_temperature(problem, st, seed)
    hot, cold = max(HOT * mean, 2 * COLD), COLD
    probs = PROBS_ROOMS if problem.n_rooms > 1 else PROBS_NO_ROOMS
    states = [st] + [kernel.new_state(problem.arrays, st.t, st.r, problem.n_students) for _ in range(workers - 1)]
    # Load (or compile) the kernel now, so that the clock checks between calls keep the deadline.
    kernel.anneal(problem.arrays, st, 0, hot, cold, seed, probs, True, 1, problem.n_exams)

    def chain(i: int) -> None:
        state, began = states[i], time.monotonic()
        span = max(1e-3, end - began)
        moves, k = MIN_CHUNK, 0
        while state.cost[kernel.BEST_SOFT] > 0 and (now := time.monotonic()) < end:
            f0 = (now - began) / span
            f1 = min(1.0, f0 + CHUNK_SECONDS / span)
            t0, t1 = hot * (cold / hot) ** f0, hot * (cold / hot) ** f1
            before = int(state.cost[kernel.BEST_SOFT])
            kernel.anneal(
                problem.arrays, state, moves, t0, t1, seed * 1_000_003 + i * 7_919 + k, probs, True, 1,
                problem.n_exams,
            )  # fmt: skip
            if state.cost[kernel.BEST_SOFT] < before:
                run.offer(state.best[0], state.best[1], int(state.cost[kernel.BEST_SOFT]), phase)
            k += 1
            after = time.monotonic()
            rate = moves / max(after - now, 1e-6)
            moves = int(min(2 * moves, MAX_CHUNK, max(MIN_CHUNK, rate * min(CHUNK_SECONDS, end - after))))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(chain, range(workers)))


def _result(run: _Run, status: SolveStatus, explanation: list[str] | None = None) -> ExamSolveResult:
    problem = run.problem
    timetable = None
    cost = run.best_cost
    if run.best is not None:
        t, r = run.best
        st = kernel.new_state(problem.arrays, t, r, problem.n_students)
        soft, hard = kernel.full_cost(problem.arrays, st)
        if hard:  # never expected: the search keeps every timetable it offers free of hard violations
            raise AssertionError(f"internal error: the best timetable has {hard} hard units")
        cost = soft
        timetable = problem.to_timetable(t, r)
    run.report("done")
    per_student = None
    if problem.toronto and cost is not None:
        per_student = cost / max(1, len(problem.instance.students))
    return ExamSolveResult(
        status=status,
        timetable=timetable,
        cost=cost,
        proximity=per_student,
        elapsed=time.monotonic() - run.start,
        explanation=list(explanation or []),
        history=run.history,
    )
