"""Changes to an exam session: each kind applied, and malformed or unknown changes named."""

from __future__ import annotations

import datetime as dt

import pytest

from models.course_instance import InstanceError
from models.exam_changes import apply_changes
from models.exam_instance import Exam, ExamInstance, ExamRoom, ExamTimetable, Period


def session(kind: str = "itc2007") -> ExamInstance:
    toronto = kind == "toronto"
    return ExamInstance(
        kind=kind,  # type: ignore[arg-type]
        exams=(Exam(id="a", students=frozenset({"s1"})), Exam(id="b", students=frozenset({"s2", "s3"}))),
        periods=tuple(
            Period(index=t) if toronto else Period(index=t, date=dt.date(2024, 1, 1 + t), duration=120)
            for t in range(4)
        ),
        rooms=() if toronto else (ExamRoom(id="R0", capacity=10), ExamRoom(id="R1", capacity=5)),
    )


def test_each_kind_of_change() -> None:
    inst = session()
    old = ExamTimetable.of({"a": (2, "R0"), "b": (1, "R1")})
    assert apply_changes(inst, ["move:a"], old).exam_by_id["a"].unavailable == {2}
    assert apply_changes(inst, ["forbid:b:0,2-3"]).exam_by_id["b"].unavailable == {0, 2, 3}
    closed = apply_changes(inst, ["close-period:1"])
    assert all(e.unavailable == {1} for e in closed.exams)
    assert [r.id for r in apply_changes(inst, ["remove-room:R1"]).rooms] == ["R0"]
    assert apply_changes(inst, ["capacity:R0:3"]).room_by_id["R0"].capacity == 3
    enrolled = apply_changes(inst, ["enrol:a:@b,s9"]).exam_by_id["a"]
    assert enrolled.students == {"s1", "s2", "s3", "s9"}
    both = apply_changes(inst, ["forbid:a:0", "forbid:a:1"])
    assert both.exam_by_id["a"].unavailable == {0, 1}
    assert inst.exam_by_id["a"].unavailable == frozenset()  # the original is unchanged


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("teleport:a", "unknown kind 'teleport'"),
        ("forbid:zz:1", "unknown exam 'zz'"),
        ("forbid:a:9", "period 9 is outside 0..3"),
        ("forbid:a:3-1", "period range '3-1' is empty"),
        ("forbid:a:x", "a period must be a non-negative integer, got 'x'"),
        ("forbid:a", "expected forbid:EXAM:PERIODS"),
        ("remove-room:R9", "unknown room 'R9'"),
        ("capacity:R0:-1", "seats must be a non-negative integer"),
        ("enrol:a:@zz", "unknown exam 'zz'"),
        ("enrol:a:", "expected enrol:EXAM:STUDENTS"),
        ("move:a", "the timetable does not place exam a"),
    ],
)
def test_bad_changes_are_named(change: str, message: str) -> None:
    with pytest.raises(InstanceError, match=message.replace("(", r"\(").replace(".", r"\.")) as err:
        apply_changes(session(), [change])
    assert f"change {change!r}" in str(err.value)


def test_toronto_sessions_have_no_rooms_to_change() -> None:
    with pytest.raises(InstanceError, match="a Toronto instance has no rooms"):
        apply_changes(session("toronto"), ["remove-room:R0"])
    assert apply_changes(session("toronto"), ["forbid:a:0"]).exam_by_id["a"].unavailable == {0}
