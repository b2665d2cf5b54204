"""Repair after a change: valid by the scorer, as few moved lectures as possible."""

from __future__ import annotations

import pytest

from models.course_changes import apply_change, apply_changes
from models.course_instance import Course, CourseInstance, Curriculum, InstanceError, Room, Rules, Teacher
from models.course_scoring import score
from models.course_timetable import CourseTimetable
from solver.course import SolveStatus, solve
from solver.course.repair import repair


def base() -> CourseInstance:
    courses = [Course(id=f"c{i}", teacher=f"t{i % 3}", lectures=2, students=20) for i in range(6)]
    return CourseInstance(
        days=3,
        periods_per_day=3,
        rooms=(Room(id="a", capacity=30), Room(id="b", capacity=30), Room(id="c", capacity=30)),
        teachers=tuple(Teacher(id=f"t{i}") for i in range(3)),
        courses=tuple(courses),
        curricula=(Curriculum(id="g1", courses=("c0", "c1", "c2")), Curriculum(id="g2", courses=("c3", "c4", "c5"))),
        rules=Rules(),
    )


@pytest.fixture(scope="module")
def solved() -> tuple[CourseInstance, CourseTimetable]:
    inst = base()
    result = solve(inst, time_limit=2, workers=1, seed=0)
    assert result.timetable is not None
    return inst, result.timetable


def test_unchanged_instance_needs_no_move(solved):
    inst, old = solved
    result = repair(inst, old, time_limit=5, workers=1)
    assert result.moves == 0 and result.moved == []
    assert score(inst, result.timetable).hard_violations == 0


def test_forbidden_period_moves_only_the_lecture_there(solved):
    inst, old = solved
    p = old.placements[0]
    changed = apply_change(inst, f"forbid:{p.course}:{p.day}:{p.period}")
    assert score(changed, old).hard["Availability"] == 1
    result = repair(changed, old, time_limit=5, workers=1)
    report = score(changed, result.timetable)
    assert report.hard_violations == 0
    assert result.moves == 1 and result.moves_proven_minimal
    assert [old_p for old_p, _ in result.moved] == [p]
    assert result.cost == report.cost


def test_lost_room_moves_its_lectures_and_no_more(solved):
    inst, old = solved
    in_room_a = [p for p in old if p.room == "a"]
    changed = apply_change(inst, "remove-room:a")
    result = repair(changed, old, time_limit=5, workers=1)
    assert score(changed, result.timetable).hard_violations == 0
    assert result.moves == len(in_room_a)
    assert {old_p for old_p, _ in result.moved} == set(in_room_a)


def test_repair_never_moves_more_than_a_fresh_solve(solved):
    inst, old = solved
    changed = apply_changes(inst, ["teacher-off:t0:0", "capacity:b:10"])
    fresh = solve(changed, time_limit=2, workers=1, seed=5).timetable
    result = repair(changed, old, time_limit=5, workers=1)
    assert score(changed, result.timetable).hard_violations == 0
    assert result.moves <= len(old.moved_from(fresh))


def test_impossible_change_is_explained(solved):
    inst, old = solved
    changed = apply_changes(inst, ["teacher-off:t0:0", "teacher-off:t0:1"])  # 4 lectures, 3 periods left
    result = repair(changed, old, time_limit=5, workers=1)
    assert result.status == SolveStatus.INFEASIBLE
    assert any("teacher t0" in line for line in result.explanation)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("explode:c0", "unknown kind"),
        ("forbid:nope:0", "unknown course"),
        ("forbid:c0:9", "day 9 is outside"),
        ("forbid:c0:0:7", "period 7 is outside"),
        ("remove-room:zz", "unknown room"),
        ("capacity:a:-3", "non-negative integer"),
        ("lectures:c0:99", "do not fit"),
        ("teacher-off:t0", "expected teacher-off"),
    ],
)
def test_bad_changes_are_refused_with_a_named_reason(change, message):
    with pytest.raises(InstanceError, match=message):
        apply_change(base(), change)
