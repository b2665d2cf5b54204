"""Why a course timetable cannot be built, in terms a scheduler understands.

First cheap counting arguments (each names the course, curriculum, teacher or room type that
cannot fit), then, if none applies but CP-SAT proves the instance infeasible, a small set of
rules (course lecture counts, curriculum and teacher no-overlap) that cannot hold together,
found with CP-SAT assumptions.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model

from solver.course.cpsat_model import build_model
from solver.course.lns import configure
from solver.course.problem import Problem


def counting_reasons(problem: Problem) -> list[str]:
    """Necessary conditions that fail: each a sentence naming what does not fit."""
    inst = problem.instance
    reasons: list[str] = []
    usable = problem.available & problem.room_ok.any(axis=1)[:, None]
    for c, course in enumerate(inst.courses):
        if course.lectures and not problem.room_ok[c].any():
            reasons.append(f"course {course.id}: no room is allowed for it (room type or suitability)")
        elif course.lectures > int(usable[c].sum()):
            reasons.append(
                f"course {course.id}: {course.lectures} lectures but only {int(usable[c].sum())} periods "
                "where the course and its teacher are available"
            )
    for q, curriculum in enumerate(inst.curricula):
        courses = problem.courses_of(q)
        need = int(problem.lectures[courses].sum())
        open_periods = int(usable[courses].any(axis=0).sum())
        if need > open_periods:
            reasons.append(
                f"curriculum {curriculum.id}: its courses have {need} lectures a week but only "
                f"{open_periods} periods are open to them"
            )
    by_teacher: dict[int, list[int]] = defaultdict(list)
    for c in range(problem.n_courses):
        by_teacher[int(problem.teacher[c])].append(c)
    for k, courses in by_teacher.items():
        need = int(problem.lectures[courses].sum())
        open_periods = int(usable[courses].any(axis=0).sum())
        if need > open_periods:
            reasons.append(
                f"teacher {inst.teachers[k].id}: {need} lectures a week but available in only {open_periods} periods"
            )
        limit = int(problem.t_max[k])
        if inst.rules.teacher_daily_load.hard and need > limit * problem.n_days:
            reasons.append(
                f"teacher {inst.teachers[k].id}: {need} lectures a week exceed {limit} a day x {problem.n_days} days"
            )
    by_rooms: dict[tuple[bool, ...], int] = defaultdict(int)
    for c in range(problem.n_courses):
        by_rooms[tuple(problem.room_ok[c])] += int(problem.lectures[c])
    for allowed in by_rooms:
        # All courses whose allowed rooms lie inside this set compete for it.
        mask = np.array(allowed)
        competing = sum(n for other, n in by_rooms.items() if not (np.array(other) & ~mask).any())
        capacity = int(mask.sum()) * problem.n_periods
        if competing > capacity:
            rooms = ", ".join(inst.rooms[r].id for r in np.flatnonzero(mask))
            reasons.append(
                f"rooms {rooms}: {competing} lectures can only use these rooms but they offer {capacity} "
                "room-periods a week"
            )
    return reasons


def conflicting_rules(
    problem: Problem, time_limit: float = 30.0, workers: int = 2, seed: int = 0, params: str | None = None
) -> list[str] | None:
    """A small set of rules that cannot all hold, or None if none was found in time."""
    assumptions: dict[str, cp_model.IntVar] = {}
    model, _, _ = build_model(problem, with_objective=False, assumptions=assumptions)
    model.add_assumptions(list(assumptions.values()))
    solver = cp_model.CpSolver()
    configure(solver, time_limit, workers, seed, params)
    solver.parameters.num_workers = 1  # core extraction needs a single worker
    if solver.solve(model) != cp_model.INFEASIBLE:
        return None
    names = {lit.index: name for name, lit in assumptions.items()}
    core = [names[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in names]
    return sorted(core)


def describe_core(core: list[str] | None) -> list[str]:
    """Sentences for a set of conflicting rules from :func:`conflicting_rules`."""
    if core is None:
        return ["CP-SAT proved the hard constraints contradictory, but no smaller explanation was found in time"]
    described = []
    for item in core:
        kind, name = item.split(":", 1)
        if kind == "course":
            described.append(f"course {name} gets all its weekly lectures")
        else:
            described.append(f"the courses of {kind} {name} do not overlap")
    return ["these rules cannot all hold together (with rooms and availability): " + "; ".join(described)]


def explain(problem: Problem, time_limit: float = 30.0, workers: int = 2, seed: int = 0) -> list[str]:
    """Counting reasons if any, else a conflicting set of rules."""
    return counting_reasons(problem) or describe_core(conflicting_rules(problem, time_limit, workers, seed))
