"""Explanations of sessions that cannot be scheduled, one deliberately infeasible case per reason,
and the feasible counterpart where it matters."""

from __future__ import annotations

from exam_sessions import build_session

from models.course_instance import Rule
from models.exam_instance import ExamRules
from solver.exam.explain import counting_reasons, explain
from solver.exam.problem import ExamProblem


def reasons(**kw) -> list[str]:
    exams = kw.pop("exams")
    return counting_reasons(ExamProblem.build(build_session(exams, **kw)))


def test_clique_larger_than_the_session_names_exams_and_students() -> None:
    found = reasons(exams={"a": {"s1", "s2"}, "b": {"s1", "s3"}, "c": {"s2", "s3"}}, periods=2)
    assert len(found) == 1
    assert "exams a, b, c pairwise share students" in found[0]
    assert "3 exams need 3 different periods but the session has 2 periods" in found[0]
    assert "students involved: s1, s2, s3" in found[0]
    assert reasons(exams={"a": {"s1", "s2"}, "b": {"s1", "s3"}, "c": {"s2", "s3"}}, periods=3) == []


def test_clique_against_the_periods_its_exams_may_use() -> None:
    # Three exams pairwise sharing students, four periods, but all three last 150 minutes and
    # only periods 0 and 1 are long enough (Hall's condition).
    found = reasons(
        exams={"a": {"s1", "s2"}, "b": {"s1", "s3"}, "c": {"s2", "s3"}},
        periods=4,
        durations={"a": 150, "b": 150, "c": 150},
        period_minutes={0: 180, 1: 180},
    )
    assert "only 2 periods suit them" in found[0]


def test_exclusions_count_like_shared_students() -> None:
    found = reasons(
        exams={"a": {"s1"}, "b": {"s2"}, "c": {"s3"}},
        periods=2,
        relations=[("a", "exclusion", "b"), ("b", "exclusion", "c"), ("a", "exclusion", "c")],
    )
    assert "exams a, b, c pairwise share students or must be apart" in found[0]


def test_exam_longer_than_every_period_and_larger_than_every_room() -> None:
    found = reasons(exams={"a": {"s1"}, "b": {f"x{i}" for i in range(12)}}, durations={"a": 200}, rooms=[("R0", 10, 0)])
    assert "exam a lasts 200 min but the longest period is 120 min" in found
    assert "exam b has 12 students but the largest room seats 10" in found


def test_exam_unavailable_wherever_it_fits() -> None:
    found = reasons(
        exams={"a": {"s1"}}, periods=3, durations={"a": 150}, period_minutes={2: 180}, unavailable={"a": [2]}
    )
    assert found == ["exam a is unavailable in every period it fits"]


def test_contradictory_relations() -> None:
    cycle = reasons(
        exams={"a": {"s1"}, "b": {"s2"}, "c": {"s3"}},
        relations=[("a", "after", "b"), ("b", "after", "c"), ("c", "after", "a")],
    )
    assert any("the AFTER relations form a cycle" in r for r in cycle)
    chain = reasons(
        exams={"a": {"s1"}, "b": {"s2"}, "c": {"s3"}}, periods=2, relations=[("a", "after", "b"), ("b", "after", "c")]
    )
    assert any("the AFTER relations chain 3 exams" in r for r in chain)
    both = reasons(exams={"a": {"s1"}, "b": {"s2"}}, relations=[("a", "coincidence", "b"), ("a", "exclusion", "b")])
    assert any("must be in the same period (coincidence) and in different periods" in r for r in both)
    # A coincidence chain a = b = c joining two exams that share a student.
    shared = reasons(
        exams={"a": {"s1"}, "b": {"s2"}, "c": {"s1"}}, relations=[("a", "coincidence", "b"), ("b", "coincidence", "c")]
    )
    assert any("share 1 student(s): s1" in r for r in shared)
    assert reasons(exams={"a": {"s1"}, "b": {"s2"}}, relations=[("a", "after", "b"), ("a", "coincidence", "b")])


def test_room_demand_above_capacity_in_every_period() -> None:
    found = reasons(
        exams={f"e{i}": {f"s{i}_{k}" for k in range(6)} for i in range(5)}, periods=2, rooms=[("R0", 10, 0)]
    )
    assert any("need 30 seats in the rooms, but those rooms offer 20" in r for r in found)
    exclusive = reasons(exams={f"e{i}": {f"s{i}"} for i in range(5)}, periods=2, exclusive=[f"e{i}" for i in range(5)])
    assert any("5 exams need a room to themselves" in r for r in exclusive)


def test_hard_registrar_rules_that_no_timetable_keeps() -> None:
    daily = reasons(
        exams={"a": {"s"}, "b": {"s"}, "c": {"s"}},
        periods=4,
        rules=ExamRules(daily_exams=Rule(hard=True), max_daily_exams=1),
    )
    assert any("student s sits 3 exams, but at most 1 a day over 2 days allows 2" in r for r in daily)
    group = reasons(
        exams={"a": {"s1"}, "b": {"s2"}, "c": {"s3"}},
        periods=6,
        groups={"a": "g", "b": "g", "c": "g"},
        rules=ExamRules(group_free_days=Rule(hard=True), min_free_days=1),
    )
    assert any("group g has 3 exams" in r and "the session spans 3" in r for r in group)


def test_cpsat_core_when_no_counting_argument_applies() -> None:
    inst = build_session(
        {"a": {"s1"}, "b": {"s2"}, "c": {"s3"}}, periods=3, relations=[("a", "after", "b")], unavailable={"b": [0, 1]}
    )
    verdict, lines = explain(ExamProblem.build(inst), time_limit=10)
    assert verdict is False
    assert lines[0].startswith("CP-SAT: exam")
    assert "cannot" in lines[0] and "given the relation after(a, b)" in lines[0]
    assert ", c" not in lines[0] and "exam c" not in lines[0]  # the core leaves c out


def test_a_feasible_session_is_reported_as_such() -> None:
    inst = build_session({"a": {"s1"}, "b": {"s1"}}, periods=2)
    assert explain(ExamProblem.build(inst), time_limit=10) == (True, [])
