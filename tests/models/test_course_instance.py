"""Validation of course timetabling instances and the UD1-UD5 formulations."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import ValidationError

from models.course_instance import (
    Course,
    CourseInstance,
    Curriculum,
    InstanceError,
    Room,
    Rule,
    Rules,
    Teacher,
    formulation,
)


def make(**changes: Any) -> CourseInstance:
    """A valid 2-day x 4-period instance, with ``changes`` applied to its fields."""
    fields: dict[str, Any] = {
        "days": 2,
        "periods_per_day": 4,
        "rooms": (Room(id="R1", capacity=30), Room(id="Lab", capacity=20, type="lab")),
        "teachers": (Teacher(id="t1"), Teacher(id="t2")),
        "courses": (Course(id="A", teacher="t1", lectures=2), Course(id="B", teacher="t2", lectures=3)),
        "curricula": (Curriculum(id="Q", courses=("A", "B")),),
    }
    return CourseInstance(**(fields | changes))


def test_valid_instance_properties() -> None:
    instance = make()
    assert instance.periods == 8
    assert instance.lectures == 5
    assert instance.slots()[:5] == [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0)]
    assert set(instance.course_by_id) == {"A", "B"}
    assert instance.room_by_id["Lab"].type == "lab"
    assert instance.teacher_by_id["t2"].id == "t2"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rooms": (Room(id="R1", capacity=1), Room(id="R1", capacity=2))}, "duplicate room id 'R1'"),
        ({"teachers": (Teacher(id="t1"), Teacher(id="t2"), Teacher(id="t1"))}, "duplicate teacher id 't1'"),
        (
            {"courses": (Course(id="A", teacher="t1", lectures=1), Course(id="A", teacher="t2", lectures=1))},
            "duplicate course id 'A'",
        ),
        (
            {"curricula": (Curriculum(id="Q", courses=("A",)), Curriculum(id="Q", courses=("B",)))},
            "duplicate curriculum id 'Q'",
        ),
        ({"curricula": (Curriculum(id="Q", courses=("A", "B", "A")),)}, "duplicate curriculum 'Q': course id 'A'"),
        ({"courses": (Course(id="A", teacher="nobody", lectures=1),)}, "course 'A': unknown teacher 'nobody'"),
        ({"curricula": (Curriculum(id="Q", courses=("A", "Z")),)}, "curriculum 'Q': unknown course 'Z'"),
        (
            {"courses": (Course(id="A", teacher="t1", lectures=1, unavailable=frozenset({(2, 0)})),)},
            "course 'A': unavailable period (2, 0) is outside the 2 x 4 week",
        ),
        (
            {"teachers": (Teacher(id="t1", unavailable=frozenset({(0, 4)})), Teacher(id="t2"))},
            "teacher 't1': unavailable period (0, 4) is outside the 2 x 4 week",
        ),
        (
            {"courses": (Course(id="A", teacher="t1", lectures=9),)},
            "course 'A': 9 lectures do not fit into the 8 periods of the week",
        ),
        (
            {"courses": (Course(id="A", teacher="t1", lectures=3, min_working_days=3),)},
            "course 'A': minimum working days 3 exceeds the 2 days of the week",
        ),
        (
            {"curricula": (Curriculum(id="Q", courses=("A",), min_daily_lectures=3, max_daily_lectures=2),)},
            "curriculum 'Q': minimum daily lectures 3 exceeds maximum 2",
        ),
        ({"rules": Rules(min_daily_lectures=4, max_daily_lectures=1)}, "curriculum 'Q': minimum daily lectures 4"),
        (
            {"courses": (Course(id="A", teacher="t1", lectures=1, room_type="gym"),)},
            "course 'A': no room has the required type 'gym'",
        ),
        (
            {"courses": (Course(id="A", teacher="t1", lectures=1, unsuitable_rooms=frozenset({"R9"})),)},
            "course 'A': unknown unsuitable room 'R9'",
        ),
        ({"rooms": ()}, "the instance has lectures but no rooms"),
    ],
)
def test_invalid_instance_names_the_item(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InstanceError, match=re.escape(message)):
        make(**changes)


def test_curriculum_override_makes_inconsistent_defaults_valid() -> None:
    rules = Rules(min_daily_lectures=4, max_daily_lectures=1)
    instance = make(rules=rules, curricula=(Curriculum(id="Q", courses=("A",), min_daily_lectures=1),))
    assert instance.daily_limits(instance.curricula[0]) == (1, 1)


def test_daily_limits_default_and_override() -> None:
    rules = Rules(min_daily_lectures=2, max_daily_lectures=5)
    curricula = (
        Curriculum(id="Q1", courses=("A",)),
        Curriculum(id="Q2", courses=("B",), max_daily_lectures=3),
        Curriculum(id="Q3", courses=("B",), min_daily_lectures=0, max_daily_lectures=2),
    )
    instance = make(rules=rules, curricula=curricula)
    assert [instance.daily_limits(q) for q in curricula] == [(2, 5), (2, 3), (0, 2)]
    assert make().daily_limits(make().curricula[0]) == (0, None)


def test_instance_without_lectures_needs_no_rooms() -> None:
    instance = make(rooms=(), courses=(Course(id="A", teacher="t1", lectures=0),), curricula=())
    assert instance.lectures == 0


def test_instance_error_is_not_wrapped_by_pydantic() -> None:
    assert not issubclass(InstanceError, ValueError)
    with pytest.raises(InstanceError):
        make(courses=(Course(id="A", teacher="nobody", lectures=1),))


@pytest.mark.parametrize(
    "build",
    [
        lambda: Room(id="R", capacity=-1),
        lambda: Room(id="", capacity=1),
        lambda: Course(id="A", teacher="t", lectures=-1),
        lambda: Course(id="A", teacher="t", lectures=1, students=-5),
        lambda: Course(id="A", teacher="t", lectures=1, min_working_days=-1),
        lambda: Teacher(id="t", max_daily_lectures=-1),
        lambda: Curriculum(id="Q", courses=(), min_daily_lectures=-1),
        lambda: Rule(weight=-1),
        lambda: Rules(min_daily_lectures=-1),
        lambda: make(days=0),
        lambda: make(periods_per_day=0),
    ],
)
def test_negative_sizes_are_rejected(build: Any) -> None:
    with pytest.raises(ValidationError):
        build()


def test_rule_describe_and_active() -> None:
    assert (Rule().active, Rule().describe()) == (False, "off")
    assert (Rule(weight=3).active, Rule(weight=3).describe()) == (True, "soft x3")
    assert (Rule(hard=True).active, Rule(hard=True).describe()) == (True, "hard")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("UD1", {"room_capacity": "soft x1", "min_working_days": "soft x5", "isolated_lectures": "soft x1"}),
        (
            "UD2",
            {
                "room_capacity": "soft x1",
                "min_working_days": "soft x5",
                "isolated_lectures": "soft x2",
                "room_stability": "soft x1",
            },
        ),
        (
            "UD3",
            {
                "room_capacity": "soft x1",
                "windows": "soft x4",
                "room_suitability": "soft x3",
                "group_daily_load": "soft x2",
            },
        ),
        (
            "UD4",
            {
                "room_capacity": "soft x1",
                "min_working_days": "soft x1",
                "windows": "soft x1",
                "double_lectures": "soft x1",
                "group_daily_load": "soft x1",
                "room_suitability": "hard",
            },
        ),
        (
            "UD5",
            {
                "room_capacity": "soft x1",
                "min_working_days": "soft x5",
                "windows": "soft x2",
                "isolated_lectures": "soft x1",
                "travel_distance": "soft x2",
                "group_daily_load": "soft x2",
            },
        ),
    ],
)
def test_formulation_weights(name: str, expected: dict[str, str]) -> None:
    rules = formulation(name)
    assert {rule: r.describe() for rule, r in rules.items() if r.active} == expected


def test_formulation_is_case_insensitive_and_takes_daily_limits() -> None:
    rules = formulation("ud3", min_daily=2, max_daily=4)
    assert rules == formulation("UD3", 2, 4)
    assert (rules.min_daily_lectures, rules.max_daily_lectures) == (2, 4)


def test_ud2_soft_rules_match_the_defaults() -> None:
    assert formulation("UD2").soft_items() == Rules().soft_items()


def test_unknown_formulation_raises() -> None:
    with pytest.raises(InstanceError, match="unknown formulation 'UD9'"):
        formulation("UD9")
