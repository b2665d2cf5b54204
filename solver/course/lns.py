"""Large-neighbourhood search with CP-SAT: free part of the timetable, re-solve it exactly.

Neighbourhoods (picked at random):

- ``curricula``: the lectures of a random curriculum and of curricula sharing courses with it;
- ``periods``: every lecture in a few random periods (rooms and times among them are re-decided);
- ``day``: every lecture on one random day, plus the lectures of the same courses on another day;
- ``teacher``: every lecture of a few random teachers' courses.

A neighbourhood is re-solved from a hint of the current timetable with a short time limit; the
result is kept when the exact (annealer's) cost does not get worse.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from solver.course.cpsat_model import build_model
from solver.course.problem import Problem

NEIGHBOURHOODS = ("curricula", "periods", "day", "teacher")


def choose_free(problem: Problem, lec_t: np.ndarray, rng: np.random.Generator, kind: str, size: int) -> np.ndarray:
    """Boolean mask of the lectures to free, about ``size`` of them."""
    lec_c = problem.lecture_course()
    free = np.zeros(len(lec_c), dtype=np.bool_)
    if kind == "curricula" and problem.n_curricula:
        courses: set[int] = set()
        queue = [int(rng.integers(problem.n_curricula))]
        seen = set(queue)
        total = 0
        while queue and total < size:
            q = queue.pop(0)
            for c in map(int, problem.courses_of(q)):
                if c not in courses:
                    courses.add(c)
                    total += int(problem.lectures[c])
                for q2 in map(int, problem.curricula_of(c)):
                    if q2 not in seen:
                        seen.add(q2)
                        queue.append(q2)
            rng.shuffle(queue)
        free[np.isin(lec_c, list(courses))] = True
    elif kind == "periods":
        per_period = max(1, len(lec_c) // problem.n_periods)
        k = max(2, size // per_period)
        periods = rng.choice(problem.n_periods, size=min(k, problem.n_periods), replace=False)
        free[np.isin(lec_t, periods)] = True
    elif kind == "day":
        d = int(rng.integers(problem.n_days))
        on_day = lec_t // problem.ppd == d
        courses = np.unique(lec_c[on_day])
        d2 = int(rng.integers(problem.n_days))
        free[on_day | (np.isin(lec_c, courses) & (lec_t // problem.ppd == d2))] = True
    else:
        teachers = rng.permutation(problem.n_teachers)
        chosen: list[int] = []
        for k in teachers:
            chosen.append(int(k))
            if problem.lectures[np.isin(problem.teacher, chosen)].sum() >= size:
                break
        free[np.isin(problem.teacher[lec_c], chosen)] = True
    if free.sum() > 2 * size:
        idx = np.flatnonzero(free)
        keep = rng.choice(idx, size=2 * size, replace=False)
        free[:] = False
        free[keep] = True
    return free


def solve_neighbourhood(
    problem: Problem,
    lec_t: np.ndarray,
    lec_r: np.ndarray,
    free: np.ndarray,
    time_limit: float,
    workers: int,
    seed: int,
    params: str | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Re-place the free lectures optimally (within ``time_limit``); None if nothing found."""
    model, v, _ = build_model(problem, free=free, current=(lec_t, lec_r))
    lec_c = problem.lecture_course()
    for lec in np.flatnonzero(free):
        var = v.x.get((int(lec_c[lec]), int(lec_t[lec]), int(lec_r[lec])))
        if var is not None and not isinstance(var, int):
            model.add_hint(var, True)
    solver = cp_model.CpSolver()
    configure(solver, time_limit, workers, seed, params)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return v.extract(solver, problem)


def configure(solver: cp_model.CpSolver, time_limit: float, workers: int, seed: int, params: str | None) -> None:
    """Apply the common parameters, then the raw CP-SAT parameter text (it wins)."""
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    if params:
        from google.protobuf import text_format

        text_format.Merge(params, solver.parameters)
