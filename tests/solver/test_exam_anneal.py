"""The compiled exam search kernel: its incremental cost always equals a recomputation and the
independent scorer, whatever moves it makes; strict annealing never adds a hard violation."""

from __future__ import annotations

import numpy as np
from exam_sessions import build_session
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.course_instance import Rule
from models.exam_instance import ExamInstance, ExamRules
from models.exam_scoring import score
from solver.exam import anneal as kernel
from solver.exam.problem import ExamProblem

ALL_MOVES = np.array([0.4, 0.2, 0.3, 0.1])
KINDS = ["after", "exclusion", "coincidence"]


@st.composite
def sessions(draw: st.DrawFn) -> ExamInstance:
    n = draw(st.integers(2, 9))
    students = draw(st.lists(st.sets(st.integers(0, n - 1), min_size=1, max_size=3), min_size=1, max_size=20))
    exams = {f"e{i}": {f"s{k}" for k, taken in enumerate(students) if i in taken} for i in range(n)}
    periods = draw(st.integers(2, 6))
    ids = list(exams)
    pick = st.sampled_from(ids)
    relations = draw(
        st.lists(
            st.tuples(pick, st.sampled_from(KINDS), pick).filter(lambda x: x[0] != x[2]),
            max_size=3,
            unique_by=lambda r: (r[1], frozenset((r[0], r[2]))),
        )
    )
    rules = ExamRules(
        daily_exams=draw(st.sampled_from([Rule(), Rule(weight=3), Rule(hard=True)])),
        max_daily_exams=1,
        group_free_days=draw(st.sampled_from([Rule(), Rule(weight=2), Rule(hard=True)])),
        min_free_days=1,
    )
    return build_session(
        exams,
        periods=periods,
        per_day=draw(st.integers(1, 3)),
        rooms=[("R0", draw(st.integers(1, 8)), 2), ("R1", draw(st.integers(1, 8)), 0)],
        relations=relations,
        exclusive=draw(st.sets(st.sampled_from(ids), max_size=2)),
        durations={e: draw(st.sampled_from([60, 90, 150])) for e in ids},
        period_minutes={t: draw(st.sampled_from([120, 180])) for t in range(periods)},
        period_penalty={t: draw(st.integers(0, 3)) for t in range(periods)},
        groups={e: draw(st.sampled_from(["g1", "g2", None])) for e in ids},
        unavailable={ids[0]: draw(st.sets(st.integers(0, periods - 1), max_size=1))},
        rules=rules,
    )


def _scorer_cost(problem: ExamProblem, state: kernel.State) -> tuple[int, int]:
    report = score(problem.instance, problem.to_timetable(state.t, state.r))
    return report.cost, report.hard_violations


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions(), st.integers(0, 10_000))
def test_incremental_cost_matches_recomputation_and_scorer(instance: ExamInstance, seed: int) -> None:
    problem = ExamProblem.build(instance)
    a = problem.arrays
    rng = np.random.default_rng(seed)
    t = rng.integers(0, problem.n_periods, problem.n_exams)
    r = rng.integers(0, problem.n_rooms, problem.n_exams)
    state = kernel.new_state(a, t, r, problem.n_students)
    soft, hard = kernel.full_cost(a, state)
    assert kernel.cost_of(state) == (soft, hard)
    scorer_soft, scorer_hard = _scorer_cost(problem, state)
    assert soft == scorer_soft
    assert (hard == 0) == (scorer_hard == 0)
    # Penalty-mode annealing makes every kind of move, accepted or undone.
    kernel.anneal(a, state, 300, 50.0, 5.0, seed, ALL_MOVES, False, 20, problem.n_exams)
    assert kernel.cost_of(state) == kernel.full_cost(a, state)
    scorer_soft, scorer_hard = _scorer_cost(problem, state)
    assert state.cost[kernel.SOFT] == scorer_soft
    assert (state.cost[kernel.HARD] == 0) == (scorer_hard == 0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions(), st.integers(0, 10_000))
def test_strict_annealing_keeps_a_feasible_timetable_feasible(instance: ExamInstance, seed: int) -> None:
    problem = ExamProblem.build(instance)
    a = problem.arrays
    state = kernel.new_state(a, np.full(problem.n_exams, -1), np.full(problem.n_exams, -1), problem.n_students)
    kernel.greedy(a, state, np.arange(problem.n_exams), seed, 1000)
    kernel.anneal(a, state, 2000, 5000.0, 100.0, seed, ALL_MOVES, False, 1000, problem.n_exams)
    if state.cost[kernel.BEST_HARD] > 0:
        return  # no feasible timetable reached (or none exists): nothing to check
    kernel.load(a, state, state.best[0].copy(), state.best[1].copy())
    kernel.anneal(a, state, 2000, 20.0, 0.5, seed + 1, ALL_MOVES, True, 1, problem.n_exams)
    assert state.cost[kernel.HARD] == 0 and state.cost[kernel.BEST_HARD] == 0
    best = kernel.new_state(a, state.best[0], state.best[1], problem.n_students)
    assert kernel.cost_of(best) == (int(state.cost[kernel.BEST_SOFT]), 0)
    assert _scorer_cost(problem, best) == (int(state.cost[kernel.BEST_SOFT]), 0)


def test_relocate_reports_each_hard_constraint() -> None:
    inst = build_session(
        {"a": {"s1"}, "b": {"s1"}, "c": {"s2"}, "d": {"s3"}},
        periods=3,
        rooms=[("R0", 2, 0), ("R1", 5, 0)],
        relations=[("c", "after", "d")],
        exclusive=["d"],
        durations={"a": 150},
        period_minutes={0: 180},
    )
    problem = ExamProblem.build(inst)
    a = problem.arrays
    state = kernel.new_state(a, np.array([0, 1, 2, 1]), np.array([1, 1, 1, 0]), problem.n_students)
    assert kernel.cost_of(state)[1] == 0
    a_, b, c = range(3)
    _, dh = kernel.relocate(*a, *state, b, 0, 0)  # b joins a's period: a conflict (1 student)
    assert dh == 1
    kernel.relocate(*a, *state, b, 1, 1)
    _, dh = kernel.relocate(*a, *state, a_, 1, 1)  # a (150 min) into a 120-minute period, with b: 2 units
    assert dh == 2
    kernel.relocate(*a, *state, a_, 0, 1)
    _, dh = kernel.relocate(*a, *state, c, 1, 1)  # c no longer after d (period 1): 1 unit
    assert dh == 1
    kernel.relocate(*a, *state, c, 2, 1)
    _, dh = kernel.relocate(*a, *state, c, 1, 0)  # c (1 seat) joins exclusive d in R0 and is not after it
    assert dh == 2
    kernel.relocate(*a, *state, c, 2, 1)
    assert kernel.cost_of(state) == kernel.full_cost(a, state)
    assert kernel.cost_of(state)[1] == 0
