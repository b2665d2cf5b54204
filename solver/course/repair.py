"""Repair a timetable after a change, moving as few lectures as possible.

Lexicographic, with CP-SAT on the full model (:mod:`solver.course.cpsat_model`):

1. minimise the number of lectures of the old timetable that do not stay in the same period and
   room (a lecture whose course lost lectures, or whose room is gone, counts as moved);
2. with that number fixed, minimise the soft cost (CP-SAT's terms; the returned cost is the exact
   one, recomputed).

Both phases start from the old timetable as a hint. New lectures (a course that gained lectures)
are placed, not counted as moves.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models.course_instance import CourseInstance
from models.course_timetable import CourseTimetable, Placement
from solver.course.anneal import AnnealState
from solver.course.cpsat_model import build_model
from solver.course.explain import conflicting_rules, counting_reasons, describe_core
from solver.course.lns import configure
from solver.course.problem import Problem
from solver.course.result import SolveStatus

MOVES_SHARE = 0.6
"""Share of the time limit for phase 1 (fewest moves)."""


@dataclass
class RepairResult:
    status: SolveStatus
    """OPTIMAL when both phases were proven optimal, FEASIBLE when a valid timetable was found."""
    timetable: CourseTimetable | None
    moved: list[tuple[Placement, Placement | None]] = field(default_factory=list)
    """(old placement, new placement of a lecture of that course, if any) for each moved lecture."""
    moves: int | None = None
    moves_proven_minimal: bool = False
    cost: int | None = None
    elapsed: float = 0.0
    explanation: list[str] = field(default_factory=list)


def repair(
    instance: CourseInstance,
    old: CourseTimetable,
    *,
    time_limit: float = 30.0,
    workers: int = 2,
    seed: int = 0,
    params: str | None = None,
) -> RepairResult:
    """A valid timetable for ``instance`` close to ``old`` (see the module docstring)."""
    if time_limit <= 0:
        raise ValueError(f"time limit must be positive, got {time_limit}")
    start = time.monotonic()
    problem = Problem.build(instance)
    reasons = counting_reasons(problem)
    if reasons:
        return RepairResult(SolveStatus.INFEASIBLE, None, elapsed=time.monotonic() - start, explanation=reasons)

    model, v, terms = build_model(problem)
    model.clear_objective()
    kept = _kept_literals(instance, problem, old, v)
    old_count = len(kept)
    present = [lit for _, lit in kept if lit is not None]
    moves = old_count - sum(present) if present else model.new_constant(old_count)
    for _, lit in kept:
        if lit is not None:
            model.add_hint(lit, True)
    model.minimize(moves)
    solver = cp_model.CpSolver()
    configure(solver, time_limit * MOVES_SHARE, workers, seed, params)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        core = conflicting_rules(problem, max(1.0, time_limit - (time.monotonic() - start)), workers, seed, params)
        return RepairResult(
            SolveStatus.INFEASIBLE, None, elapsed=time.monotonic() - start, explanation=describe_core(core)
        )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return RepairResult(SolveStatus.UNKNOWN, None, elapsed=time.monotonic() - start)
    proven = status == cp_model.OPTIMAL
    best_moves = round(solver.objective_value)
    first = v.extract(solver, problem)

    # Phase 2: the soft cost, with no more moves than phase 1 found.
    model.clear_hints()
    for var in v.x.values():
        model.add_hint(var, bool(solver.boolean_value(var)))
    model.add(moves <= best_moves)
    model.minimize(sum(w * e for w, e in terms))
    solver2 = cp_model.CpSolver()
    configure(solver2, max(0.1, time_limit - (time.monotonic() - start)), workers, seed, params)
    status2 = solver2.solve(model)
    lec_t, lec_r = v.extract(solver2, problem) if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE) else first
    optimal = proven and status2 == cp_model.OPTIMAL and not _beyond_cp_sat(problem)
    timetable = problem.to_timetable(lec_t, lec_r)
    return RepairResult(
        status=SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE,
        timetable=timetable,
        moved=_moved(old, timetable, instance),
        moves=best_moves,
        moves_proven_minimal=proven,
        cost=AnnealState(problem, lec_t, lec_r).cost(),
        elapsed=time.monotonic() - start,
    )


def _kept_literals(
    instance: CourseInstance, problem: Problem, old: CourseTimetable, v
) -> list[tuple[Placement, object]]:
    """Each old lecture with the literal 'it stays where it was' (None: it cannot stay)."""
    course_ix = {c.id: n for n, c in enumerate(instance.courses)}
    room_ix = {r.id: n for n, r in enumerate(instance.rooms)}
    per_course: dict[str, list[Placement]] = defaultdict(list)
    for p in old:
        if p.course in course_ix:
            per_course[p.course].append(p)
    kept: list[tuple[Placement, object]] = []
    for course_id, placements in per_course.items():
        c = course_ix[course_id]
        seen: set[tuple[int, int]] = set()
        for p in placements:
            t = p.day * problem.ppd + p.period
            r = room_ix.get(p.room)
            ok = r is not None and p.day < problem.n_days and p.period < problem.ppd and (t, r) not in seen
            lit = v.x.get((c, t, r)) if ok else None
            seen.add((t, r if r is not None else -1))
            kept.append((p, lit))
    return kept


def _beyond_cp_sat(problem: Problem) -> bool:
    """Double lectures and travel distance are not in CP-SAT's objective: no optimality claim then."""
    from solver.course.anneal import W_DOUBLE, W_TRAVEL

    return bool(problem.weights[W_DOUBLE] or problem.weights[W_TRAVEL])


def _moved(
    old: CourseTimetable, new: CourseTimetable, instance: CourseInstance
) -> list[tuple[Placement, Placement | None]]:
    """Old lectures not kept, each paired with a new lecture of the same course (if any)."""
    gone = old.moved_from(new)
    arrived = new.moved_from(old)
    by_course: dict[str, list[Placement]] = defaultdict(list)
    for p in arrived:
        by_course[p.course].append(p)
    pairs: list[tuple[Placement, Placement | None]] = []
    for p in gone:
        if p.course not in instance.course_by_id:
            continue
        target = by_course[p.course].pop(0) if by_course[p.course] else None
        pairs.append((p, target))
    return pairs
