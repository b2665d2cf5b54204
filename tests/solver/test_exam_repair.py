"""Exam repair: valid timetables after each kind of change, the fewest moved exams, infeasible
changes explained; repair never moves more exams than a full re-solve."""

from __future__ import annotations

from exam_sessions import build_session
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.exam_changes import apply_changes
from models.exam_instance import ExamInstance, ExamTimetable
from models.exam_scoring import score
from solver.course.result import SolveStatus
from solver.exam import solve_exams
from solver.exam.repair import repair

SESSION = {
    "a": {"s1", "s2"},
    "b": {"s1"},
    "c": {"s2", "s3"},
    "d": {"s4"},
    "e": {"s5", "s6"},
    "f": {"s7"},
}
OLD = ExamTimetable.of({"a": (0, "R0"), "b": (1, "R0"), "c": (2, "R0"), "d": (0, "R1"), "e": (3, "R1"), "f": (3, "R0")})


def base() -> ExamInstance:
    return build_session(SESSION, periods=5, rooms=[("R0", 3, 0), ("R1", 2, 0)])


def _valid(instance: ExamInstance, timetable: ExamTimetable | None) -> None:
    assert timetable is not None
    assert score(instance, timetable).hard_violations == 0


def test_old_timetable_is_valid_and_a_no_change_repair_keeps_it() -> None:
    inst = base()
    _valid(inst, OLD)
    result = repair(inst, OLD, time_limit=5, workers=1)
    assert result.moves == 0 and result.moves_proven_minimal
    assert result.timetable == OLD


def test_forbidden_period_moves_only_that_exam() -> None:
    inst = apply_changes(base(), ["forbid:d:0"])
    result = repair(inst, OLD, time_limit=5, workers=1)
    _valid(inst, result.timetable)
    assert result.moves == 1 and result.moves_proven_minimal
    assert [m.exam for m in result.moved] == ["d"]
    assert result.moved[0].old.period == 0 and result.moved[0].new.period != 0
    assert result.cost == score(inst, result.timetable).cost


def test_move_change_needs_the_timetable_and_moves_the_exam() -> None:
    inst = apply_changes(base(), ["move:a"], OLD)
    result = repair(inst, OLD, time_limit=5, workers=1)
    _valid(inst, result.timetable)
    assert result.timetable["a"].period != 0
    assert result.moves == 1


def test_lost_room_moves_its_exams() -> None:
    inst = apply_changes(base(), ["remove-room:R1"])
    result = repair(inst, OLD, time_limit=5, workers=1)
    _valid(inst, result.timetable)
    assert sorted(m.exam for m in result.moved) == ["d", "e"]
    assert result.moves_proven_minimal


def test_capacity_cut_and_new_enrolments() -> None:
    inst = apply_changes(base(), ["capacity:R0:2", "enrol:f:@b"])
    result = repair(inst, OLD, time_limit=5, workers=1)
    _valid(inst, result.timetable)
    # a (2 seats) still fits R0; f now has b's student s1 too (2 seats, no clash at period 3); c
    # (2 seats) fits; so nothing has to move.
    assert result.moves == 0
    crowded = apply_changes(base(), ["enrol:d:s1,s9"])  # d (period 0) now shares s1 with a
    result = repair(crowded, OLD, time_limit=5, workers=1)
    _valid(crowded, result.timetable)
    assert result.moves == 1


def test_change_without_any_valid_timetable_is_explained() -> None:
    inst = apply_changes(base(), ["close-period:0-3"])
    result = repair(inst, OLD, time_limit=5, workers=1)
    assert result.status == SolveStatus.INFEASIBLE and result.timetable is None
    assert result.explanation


def test_toronto_timetables_are_repaired() -> None:
    inst = build_session({"a": {"s1"}, "b": {"s1"}, "c": {"s2"}}, periods=4, kind="toronto")
    old = ExamTimetable.of({"a": (0, None), "b": (2, None), "c": (2, None)})
    changed = apply_changes(inst, ["enrol:c:s1"])  # c now clashes with b
    result = repair(changed, old, time_limit=5, workers=1)
    _valid(changed, result.timetable)
    assert result.moves == 1 and result.timetable["a"].room is None


@st.composite
def cases(draw: st.DrawFn) -> tuple[ExamInstance, str]:
    n = draw(st.integers(2, 7))
    students = draw(st.lists(st.sets(st.integers(0, n - 1), min_size=1, max_size=3), min_size=1, max_size=12))
    exams = {f"e{i}": {f"s{k}" for k, taken in enumerate(students) if i in taken} for i in range(n)}
    periods = draw(st.integers(3, 6))
    inst = build_session(exams, periods=periods, rooms=[("R0", 4, 1), ("R1", 4, 0)])
    change = draw(st.sampled_from([f"forbid:e0:{draw(st.integers(0, periods - 1))}", "remove-room:R1", "enrol:e1:@e0"]))
    return inst, change


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_repair_is_valid_and_moves_no_more_than_a_full_resolve(case: tuple[ExamInstance, str]) -> None:
    inst, change = case
    first = solve_exams(inst, time_limit=0.3, workers=1, seed=3)
    if first.timetable is None:
        return
    changed = apply_changes(inst, [change])
    fresh = solve_exams(changed, time_limit=0.3, workers=1, seed=4)
    result = repair(changed, first.timetable, time_limit=3, workers=1)
    if fresh.timetable is None:
        assert result.status != SolveStatus.FEASIBLE or result.timetable is not None
        return
    assert result.status == SolveStatus.FEASIBLE
    _valid(changed, result.timetable)
    assert result.moves_proven_minimal
    assert result.moves <= len(fresh.timetable.moved_from(first.timetable))
