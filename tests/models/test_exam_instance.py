"""Exam instance model: construction, derived views (days, students, largest exams) and validation errors."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from models.course_instance import InstanceError, Rule
from models.exam_instance import (
    Exam,
    ExamInstance,
    ExamRoom,
    ExamRules,
    ExamTimetable,
    FrontLoad,
    Period,
    Relation,
    RelationKind,
    Weightings,
)

D1, D2, D3 = dt.date(2024, 1, 10), dt.date(2024, 1, 11), dt.date(2024, 1, 13)


def periods() -> tuple[Period, ...]:
    """Day 0: periods 0, 1, 2; day 1: 3, 4; day 2 (two calendar days later): 5."""
    slots = [(D1, 9), (D1, 13), (D1, 17), (D2, 9), (D2, 13), (D3, 9)]
    return tuple(
        Period(index=n, date=d, start=dt.time(h), duration=180, penalty=7 if n == 5 else 0)
        for n, (d, h) in enumerate(slots)
    )


def exams() -> tuple[Exam, ...]:
    return (
        Exam(id="A", duration=120, students=frozenset({"s1", "s2"}), examiner="Dr X", group="G1"),
        Exam(id="B", duration=120, students=frozenset({"s1", "s3"}), group="G1"),
        Exam(id="C", duration=90, students=frozenset({"s2"})),
    )


def build(**changes) -> ExamInstance:
    fields = dict(
        name="toy",
        exams=exams(),
        periods=periods(),
        rooms=(ExamRoom(id="R0", capacity=10), ExamRoom(id="R1", capacity=3, penalty=4)),
    )
    return ExamInstance(**(fields | changes))


def test_a_valid_instance_and_its_views() -> None:
    inst = build()
    assert inst.kind == "itc2007"
    assert inst.students == {"s1", "s2", "s3"}
    assert inst.student_exams == {"s1": ("A", "B"), "s2": ("A", "C"), "s3": ("B",)}
    assert inst.period_day == (0, 0, 0, 1, 1, 2)
    assert inst.days == 3
    assert inst.period_day_number[5] - inst.period_day_number[3] == 2  # calendar days, not session days
    assert inst.exam_by_id["A"].size == 2
    assert inst.exam_index == {"A": 0, "B": 1, "C": 2}
    assert inst.rules == ExamRules() and not inst.rules.daily_exams.active and not inst.rules.group_free_days.active


def test_periods_without_dates_are_each_a_day() -> None:
    inst = ExamInstance(kind="toronto", exams=exams(), periods=tuple(Period(index=t) for t in range(4)))
    assert inst.period_day == (0, 1, 2, 3)
    assert inst.period_day_number == (0, 1, 2, 3)
    assert inst.periods[0].duration is None


def test_largest_exams_break_ties_by_exam_order() -> None:
    inst = build(weightings=Weightings(front_load=FrontLoad(largest=2, last_periods=1, weight=5)))
    assert inst.largest_exams == ("A", "B")  # A and B both have 2 students; C has 1
    assert build().largest_exams == ()


def test_relations_are_symmetric_except_after() -> None:
    excl = Relation(kind=RelationKind.EXCLUSION, first="A", second="B")
    assert excl.key == Relation(kind=RelationKind.EXCLUSION, first="B", second="A").key
    after = Relation(kind=RelationKind.AFTER, first="A", second="B")
    assert after.key != Relation(kind=RelationKind.AFTER, first="B", second="A").key
    assert after.describe() == "after(A, B)"
    build(relations=(after, Relation(kind=RelationKind.AFTER, first="B", second="A")))  # contradictory, not invalid


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (dict(exams=(*exams(), Exam(id="A"))), "duplicate exam id 'A'"),
        (dict(rooms=(ExamRoom(id="R", capacity=1), ExamRoom(id="R", capacity=2))), "duplicate room id 'R'"),
        (dict(periods=(Period(index=1),)), r"period 0: index 1 does not match its position 0"),
        (dict(periods=(*periods(), Period(index=6))), r"period 6: either every period has a date or none has"),
        (
            dict(periods=(Period(index=0, date=D2), Period(index=1, date=D1))),
            r"period 1: it starts before period 0 \(not in time order\)",
        ),
        (dict(kind="toronto"), "a Toronto instance is uncapacitated: it has no rooms"),
        (dict(kind="toronto", rooms=(), exclusive=frozenset({"A"})), "no exclusive-room exams"),
        (dict(rooms=()), "the instance has exams but no rooms"),
        (dict(periods=()), "the instance has exams but no periods"),
        (
            dict(relations=(Relation(kind=RelationKind.COINCIDENCE, first="A", second="Z"),)),
            r"relation coincidence\(A, Z\): unknown exam 'Z'",
        ),
        (
            dict(relations=(Relation(kind=RelationKind.AFTER, first="A", second="A"),)),
            r"relation after\(A, A\): relates an exam to itself",
        ),
        (
            dict(
                relations=(
                    Relation(kind=RelationKind.EXCLUSION, first="A", second="B"),
                    Relation(kind=RelationKind.EXCLUSION, first="B", second="A"),
                )
            ),
            r"relation exclusion\(B, A\): duplicate of exclusion\(A, B\)",
        ),
        (dict(exclusive=frozenset({"Q"})), "exclusive-room exam 'Q' is unknown"),
    ],
)
def test_inconsistent_instances_name_the_item(changes: dict, message: str) -> None:
    with pytest.raises(InstanceError, match=message):
        build(**changes)


def test_field_constraints() -> None:
    with pytest.raises(ValidationError):
        Exam(id="A", duration=-1)
    with pytest.raises(ValidationError):
        Exam(id="")
    with pytest.raises(ValidationError):
        ExamRoom(id="R", capacity=-5)
    with pytest.raises(ValidationError):
        ExamRules(daily_exams=Rule(hard=True), max_daily_exams=0)
    with pytest.raises(ValidationError):
        ExamInstance(kind="other", exams=(), periods=())  # type: ignore[arg-type]


def test_models_are_frozen() -> None:
    inst = build()
    with pytest.raises(ValidationError):
        inst.name = "x"  # type: ignore[misc]


def test_timetable_construction_and_lookups() -> None:
    by_mapping = ExamTimetable.of({"A": (0, "R0"), "B": (3, "R1")})
    by_rows = ExamTimetable.of([("A", 0, "R0"), ("B", 3, "R1")])
    assert by_mapping == by_rows
    assert len(by_rows) == 2 and list(by_rows) == ["A", "B"]
    assert by_rows["B"].period == 3 and by_rows["B"].room == "R1"
    assert by_rows.get("C") is None
    by_rows.check_ids(build())


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"Z": (0, "R0")}, "placement of exam 'Z': unknown exam"),
        ({"A": (6, "R0")}, r"placement of exam 'A': period 6 is outside 0..5"),
        ({"A": (0, None)}, "placement of exam 'A': no room"),
        ({"A": (0, "R9")}, "placement of exam 'A': unknown room 'R9'"),
    ],
)
def test_timetable_check_ids(rows: dict, message: str) -> None:
    with pytest.raises(InstanceError, match=message):
        ExamTimetable.of(rows).check_ids(build())


def test_moved_from_lists_exams_placed_differently() -> None:
    before = ExamTimetable.of({"A": (0, "R0"), "B": (3, "R1"), "C": (4, "R0")})
    after = ExamTimetable.of({"A": (0, "R0"), "B": (3, "R0"), "C": (5, "R0")})
    assert after.moved_from(before) == ["B", "C"]
    assert before.moved_from(before) == []
