"""The capacitated exam solver: every hard constraint kept, the cost as the scorer computes it,
infeasible sessions explained, Toronto sessions dispatched to the uncapacitated solver."""

from __future__ import annotations

import importlib
import time
from pathlib import Path

import pytest
from exam_sessions import build_session
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datasets.itc2007_exam import read_exam
from models.course_instance import Rule
from models.exam_instance import ExamInstance, ExamRules
from models.exam_scoring import score
from solver.course.result import SolveStatus
from solver.exam import anneal as kernel
from solver.exam import solve, solve_exams
from solver.exam.construct import construct
from solver.exam.problem import ExamProblem

KINDS = ["after", "exclusion", "coincidence"]


def _check(instance: ExamInstance, time_limit: float = 1.0, seed: int = 0):
    result = solve_exams(instance, time_limit=time_limit, workers=1, seed=seed)
    assert result.timetable is not None, result.explanation
    report = score(instance, result.timetable)
    assert report.hard_violations == 0, report.details
    assert result.cost == report.cost
    return result, report


def test_every_hard_constraint_is_kept() -> None:
    inst = build_session(
        {
            "a": {"s1", "s2"},
            "b": {"s1"},
            "c": {"s2", "s3"},
            "big": {f"x{i}" for i in range(8)},
            "solo": {"y1"},
            "long": {"z1"},
            "late": {"w1"},
            "early": {"w2"},
            "twin1": {"v1"},
            "twin2": {"v2"},
            "apart1": {"u1"},
            "apart2": {"u2"},
        },
        periods=6,
        rooms=[("R0", 8, 0), ("R1", 3, 1)],
        relations=[
            ("late", "after", "early"),
            ("twin1", "coincidence", "twin2"),
            ("apart1", "exclusion", "apart2"),
        ],
        exclusive=["solo"],
        durations={"long": 170},
        period_minutes={4: 180},
        unavailable={"a": [0, 1, 2]},
    )
    result, _ = _check(inst)
    p = result.timetable.placements
    assert p["a"].period not in (p["b"].period, p["c"].period)  # a shares students with b and with c
    assert p["long"].period == 4  # the only period long enough
    assert p["late"].period > p["early"].period
    assert p["twin1"].period == p["twin2"].period
    assert p["apart1"].period != p["apart2"].period
    assert p["a"].period >= 3
    assert p["big"].room == "R0"  # only R0 seats 8
    assert not [e for e, q in p.items() if e != "solo" and (q.period, q.room) == (p["solo"].period, p["solo"].room)]


def test_hard_registrar_rules_are_kept() -> None:
    rules = ExamRules(daily_exams=Rule(hard=True), max_daily_exams=1, group_free_days=Rule(hard=True), min_free_days=1)
    inst = build_session(
        {"a": {"s"}, "b": {"s"}, "c": {"s"}, "g1": {"t1"}, "g2": {"t2"}},
        periods=10,
        groups={"g1": "grp", "g2": "grp"},
        rules=rules,
    )
    result, report = _check(inst)
    p = result.timetable.placements
    assert len({p[e].period // 2 for e in "abc"}) == 3  # three different days
    assert abs(p["g1"].period // 2 - p["g2"].period // 2) >= 2  # at least one free day between
    assert report.hard["StudentDailyLimit"] == 0 and report.hard["GroupFreeDays"] == 0


def test_soft_costs_are_minimised_on_a_small_session() -> None:
    # Two exams of one student in a 4-period session, 2 periods a day: the best is a day apart and
    # outside the period spread of 3 (periods 0 and 3 are 3 apart: spread 1 student).
    inst = build_session({"a": {"s"}, "b": {"s"}}, periods=6, rooms=[("R0", 10, 0)])
    result, report = _check(inst, time_limit=2.0)
    assert report.cost == 0
    assert result.status == SolveStatus.OPTIMAL


def test_infeasible_session_is_explained() -> None:
    inst = build_session({"a": {"s1", "s2"}, "b": {"s1", "s3"}, "c": {"s2", "s3"}}, periods=2)
    result = solve_exams(inst, time_limit=2, workers=1)
    assert result.status == SolveStatus.INFEASIBLE and result.timetable is None
    assert "exams a, b, c pairwise share students" in result.explanation[0]


def test_infeasibility_proven_by_cpsat_is_explained() -> None:
    # b fits only the last period, a must come after b: no counting argument sees it.
    inst = build_session(
        {"a": {"s1"}, "b": {"s2"}}, periods=3, relations=[("a", "after", "b")], unavailable={"b": [0, 1]}
    )
    result = solve_exams(inst, time_limit=5, workers=1)
    assert result.status == SolveStatus.INFEASIBLE
    assert "CP-SAT" in result.explanation[0] and "after(a, b)" in result.explanation[0]


def test_toronto_sessions_go_to_the_uncapacitated_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = build_session({"a": {"s"}, "b": {"s"}}, periods=3, kind="toronto")
    calls = []
    solve_module = importlib.import_module("solver.exam.solve")  # the package's `solve` is the function
    monkeypatch.setattr(solve_module, "solve_uncapacitated", lambda *a, **k: calls.append(a) or "uncapacitated")
    assert solve(plain, time_limit=1) == "uncapacitated" and calls
    related = build_session({"a": {"s"}, "b": {"t"}}, periods=3, kind="toronto", relations=[("a", "after", "b")])
    result = solve(related, time_limit=1, workers=1)
    assert result.timetable is not None
    assert result.timetable["a"].period > result.timetable["b"].period
    assert result.timetable["a"].room is None
    assert score(related, result.timetable).hard_violations == 0


@st.composite
def small_sessions(draw: st.DrawFn) -> ExamInstance:
    n = draw(st.integers(1, 8))
    students = draw(st.lists(st.sets(st.integers(0, n - 1), min_size=1, max_size=3), min_size=1, max_size=15))
    exams = {f"e{i}": {f"s{k}" for k, taken in enumerate(students) if i in taken} for i in range(n)}
    ids = list(exams)
    pick = st.sampled_from(ids)
    relations = draw(
        st.lists(
            st.tuples(pick, st.sampled_from(KINDS), pick).filter(lambda x: x[0] != x[2]),
            max_size=2,
            unique_by=lambda x: (x[1], frozenset((x[0], x[2]))),
        )
    )
    return build_session(
        exams,
        periods=draw(st.integers(1, 6)),
        per_day=draw(st.integers(1, 3)),
        rooms=[("R0", draw(st.integers(1, 6)), 1), ("R1", draw(st.integers(1, 6)), 0)],
        relations=relations,
        exclusive=draw(st.sets(pick, max_size=1)),
        durations={e: draw(st.sampled_from([60, 150])) for e in ids},
        period_minutes={0: 180},
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_sessions())
def test_returned_timetables_are_valid_by_the_scorer(instance: ExamInstance) -> None:
    result = solve_exams(instance, time_limit=0.3, workers=1, seed=1)
    if result.status == SolveStatus.INFEASIBLE:
        assert result.explanation and result.timetable is None
        return
    if result.status == SolveStatus.UNKNOWN:
        assert result.timetable is None
        return
    report = score(instance, result.timetable)
    assert report.hard_violations == 0, report.details
    assert result.cost == report.cost


def test_itc2007_set_12_is_solved_and_verified(data_dir: Path) -> None:
    inst = read_exam(data_dir / "itc2007-exam" / "exam_comp_set12.exam")
    result, report = _check(inst, time_limit=4.0)
    assert result.status == SolveStatus.FEASIBLE and report.cost > 0


def test_annealing_keeps_its_budget_when_the_start_is_slow(monkeypatch: pytest.MonkeyPatch) -> None:
    """The annealing budget runs from the moment it is given: time spent sampling the start
    temperature (or loading and compiling the kernels, on a first run) is not added on top."""
    module = importlib.import_module("solver.exam.solve")
    sample = module.start_temperature

    def slow_sample(*args: object) -> float:
        time.sleep(1.5)  # stands for compiling the kernels on a first run
        return sample(*args)

    monkeypatch.setattr(module, "start_temperature", slow_sample)
    # One student with 12 exams in 12 periods, two a day: two in a row cannot be avoided (cost > 0).
    inst = build_session({f"e{i}": {"s"} for i in range(12)}, periods=12, rooms=[("R0", 10, 0)])
    problem = ExamProblem.build(inst)
    built = construct(problem, time.monotonic() + 30.0, workers=1)
    assert built.t is not None and built.r is not None
    st = kernel.new_state(problem.arrays, built.t, built.r, problem.n_students)
    run = module._Run(problem, 60.0, None)
    run.offer(st.t, st.r, int(st.cost[kernel.SOFT]), "construction")
    began = time.monotonic()
    module.anneal_chains(problem, run, st, 3.0, 2, 0)
    assert time.monotonic() - began <= 3.0 + 0.5
    assert run.best_cost is not None and run.best_cost > 0
