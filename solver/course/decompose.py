"""Times first, then rooms: two exact CP-SAT steps that see what the annealer's moves cannot.

1. The time-only model (:func:`solver.course.cpsat_model.build_time_model`): a boolean per course and
   period, rooms only counted per period. It is small, and CP-SAT optimises the time-dependent costs
   (minimum working days, isolated lectures, windows, daily loads) of the whole week at once.
2. The room step: every course gets a home room (largest courses first, the fitting room free in
   most of its periods), then in each period a minimum-cost assignment of lectures to rooms
   (OR-Tools min-cost flow) pays for capacity and suitability and for leaving the home room. The
   exact room model with the times fixed (``build_model(periods=...)``) is much slower on the same
   question (comp04: 16 s to a first assignment on 2 busy cores), and the cold annealing that
   follows in :mod:`solver.course.solve` repairs what the greedy home rooms leave.

Room stability is invisible to step 1, so the result can be worse than the annealer's best; the
caller keeps it only when it is better. On ITC2007 comp04 (optimum 35) the annealer stalls at 37 in
300 s on every seed tried, while this decomposition returns 36 (times 35 + stability 1) and a cold
annealing from there reaches 35.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from solver.course.anneal import W_STAB
from solver.course.cpsat_model import build_time_model
from solver.course.lns import configure
from solver.course.problem import Problem


def times_then_rooms(
    problem: Problem,
    hint: tuple[np.ndarray, np.ndarray] | None,
    time_limit: float,
    workers: int,
    seed: int,
    params: str | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """A timetable from the two steps within about ``time_limit`` seconds, or None if the time step finds
    nothing or no room assignment exists for its times.

    ``hint`` (lecture periods and rooms, e.g. the annealer's best) seeds the time step.
    """
    model, v, _ = build_time_model(problem)
    if hint is not None:
        hinted = set(zip(problem.lecture_course().tolist(), hint[0].tolist(), strict=True))
        for (c, t), var in v.busy.items():
            model.add_hint(var, (c, t) in hinted)
    solver = cp_model.CpSolver()
    configure(solver, time_limit, workers, seed, params)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    periods = _lecture_periods(problem, solver, v.busy)
    rooms = assign_rooms(problem, periods)
    return None if rooms is None else (periods, rooms)


def _lecture_periods(problem: Problem, solver: cp_model.CpSolver, busy: dict) -> np.ndarray:
    """The period of every lecture in lecture order (a course's lectures by period)."""
    periods: list[int] = []
    for c in range(problem.n_courses):
        periods += [t for t in range(problem.n_periods) if (c, t) in busy and solver.boolean_value(busy[(c, t)])]
    return np.array(periods, dtype=np.int64)


def assign_rooms(problem: Problem, periods: np.ndarray) -> np.ndarray | None:
    """Rooms for lectures at the given periods (lecture order), or None if some period has no
    assignment into allowed rooms. Costs per lecture: the course's capacity and suitability cost of
    the room, plus the room stability weight when it is not the course's home room."""
    lec_c = problem.lecture_course()
    home = _home_rooms(problem, lec_c, periods)
    w_stab = max(1, int(problem.weights[W_STAB]))
    rooms = np.full(len(lec_c), -1, dtype=np.int64)
    for t in np.unique(periods):
        lectures = np.flatnonzero(periods == t)
        flow = min_cost_flow.SimpleMinCostFlow()
        n, source = len(lectures), len(lectures) + problem.n_rooms
        sink = source + 1
        arcs: dict[int, tuple[int, int]] = {}
        for i, lec in enumerate(lectures):
            c = int(lec_c[lec])
            flow.add_arc_with_capacity_and_unit_cost(source, i, 1, 0)
            for r in np.flatnonzero(problem.room_ok[c]):
                cost = int(problem.lecture_cost[c, r]) + (0 if r == home[c] else w_stab)
                arcs[flow.add_arc_with_capacity_and_unit_cost(i, n + int(r), 1, cost)] = (int(lec), int(r))
        for r in range(problem.n_rooms):
            flow.add_arc_with_capacity_and_unit_cost(n + r, sink, 1, 0)
        flow.set_node_supply(source, n)
        flow.set_node_supply(sink, -n)
        if flow.solve() != flow.OPTIMAL:
            return None
        for arc, (lec, r) in arcs.items():
            if flow.flow(arc):
                rooms[lec] = r
    return rooms


def _home_rooms(problem: Problem, lec_c: np.ndarray, periods: np.ndarray) -> np.ndarray:
    """Per course, the allowed room that is free in most of its periods, cheapest first; largest
    courses choose first."""
    taken = np.zeros((problem.n_rooms, problem.n_periods), dtype=np.int64)
    home = np.full(problem.n_courses, -1, dtype=np.int64)
    for c in np.argsort(-problem.students, kind="stable"):
        mine = periods[lec_c == c]
        allowed = np.flatnonzero(problem.room_ok[c])
        if len(mine) == 0 or len(allowed) == 0:
            continue
        clashes = taken[np.ix_(allowed, mine)].sum(axis=1)
        cost = problem.lecture_cost[c, allowed]
        capacity = np.array([problem.instance.rooms[r].capacity for r in allowed])
        best = int(allowed[np.lexsort((capacity, cost, clashes))[0]])
        home[c] = best
        taken[best, mine] += 1
    return home
