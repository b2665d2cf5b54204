"""The scorer on small hand-built instances: each constraint satisfied and violated, with hand-computed counts.

The week is 3 days x 4 periods unless a test says otherwise. Rooms: R1 (30 seats, building A), R2 (10 seats,
building B) and Lab (20 seats, type lab, building A). Unless a test is about teachers, every course has its own.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from models.course_instance import (
    OFF,
    RULE_NAMES,
    Course,
    CourseInstance,
    Curriculum,
    Room,
    Rule,
    Rules,
    Teacher,
    formulation,
)
from models.course_scoring import RULE_LABELS, ScoreReport, score
from models.course_timetable import CourseTimetable

ROOMS = (
    Room(id="R1", capacity=30, building="A"),
    Room(id="R2", capacity=10, building="B"),
    Room(id="Lab", capacity=20, type="lab", building="A"),
)

Row = tuple[str, str, int, int]


def course(course_id: str, lectures: int = 1, teacher: str | None = None, **fields: object) -> Course:
    return Course(id=course_id, teacher=teacher or f"t{course_id}", lectures=lectures, **fields)  # type: ignore[arg-type]


def curriculum(curriculum_id: str, *courses: str, **fields: object) -> Curriculum:
    return Curriculum(id=curriculum_id, courses=courses, **fields)  # type: ignore[arg-type]


def make(
    courses: Iterable[Course],
    curricula: Iterable[Curriculum] = (),
    rules: Rules | None = None,
    teachers: Iterable[Teacher] | None = None,
    days: int = 3,
    periods_per_day: int = 4,
) -> CourseInstance:
    courses = tuple(courses)
    if teachers is None:
        teachers = [Teacher(id=t) for t in dict.fromkeys(c.teacher for c in courses)]
    return CourseInstance(
        days=days,
        periods_per_day=periods_per_day,
        rooms=ROOMS,
        teachers=tuple(teachers),
        courses=courses,
        curricula=tuple(curricula),
        rules=rules or Rules(),
    )


def only(rule: str, weight: int = 1, **limits: int) -> Rules:
    """Rules with ``rule`` as the only active one, soft with ``weight``."""
    return Rules(**({name: OFF for name in RULE_NAMES} | {rule: Rule(weight=weight)}), **limits)


def run(instance: CourseInstance, *rows: Row) -> ScoreReport:
    return score(instance, CourseTimetable.of(rows))


# --- Lectures ---------------------------------------------------------------------------------


def test_lectures_all_placed() -> None:
    report = run(make([course("A", 2)]), ("A", "R1", 0, 0), ("A", "R1", 1, 0))
    assert report.hard["Lectures"] == 0
    assert report.feasible


def test_lectures_too_few() -> None:
    report = run(make([course("A", 3)]), ("A", "R1", 0, 0))
    assert report.hard["Lectures"] == 2
    assert "[H] Too few lectures for course A" in report.details
    assert not report.feasible


def test_lectures_too_many() -> None:
    report = run(make([course("A", 1)]), ("A", "R1", 0, 0), ("A", "R1", 0, 1), ("A", "R1", 1, 2))
    assert report.hard["Lectures"] == 2
    assert "[H] Too many lectures for course A" in report.details


def test_repeated_entry_is_skipped_with_a_warning() -> None:
    instance = make([course("A", 2, students=20)])
    report = run(instance, ("A", "R1", 0, 0), ("A", "R2", 0, 0), ("A", "R1", 1, 0))
    assert report.warnings == ["Repeated entry: A R2 0 0 (entry skipped)"]
    assert report.hard["Lectures"] == 0
    assert report.units["RoomCapacity"] == 0  # the first entry (R1, 30 seats) is kept, not R2 (10 seats)
    assert report.units["RoomStability"] == 0


# --- Conflicts --------------------------------------------------------------------------------


def test_curriculum_courses_in_distinct_periods() -> None:
    instance = make([course("A"), course("B")], [curriculum("Q", "A", "B")])
    assert run(instance, ("A", "R1", 0, 0), ("B", "R2", 0, 1)).hard["Conflicts"] == 0


def test_curriculum_conflict_counts_per_period() -> None:
    instance = make([course("A", 2), course("B", 2)], [curriculum("Q", "A", "B")])
    report = run(instance, ("A", "R1", 0, 0), ("B", "R2", 0, 0), ("A", "R1", 1, 1), ("B", "R2", 1, 1))
    assert report.hard["Conflicts"] == 2
    assert "[H] Courses A and B have both a lecture at period 0 (day 0, timeslot 0)" in report.details


def test_teacher_conflict() -> None:
    instance = make([course("A", teacher="t"), course("B", teacher="t")])
    assert run(instance, ("A", "R1", 0, 0), ("B", "R2", 0, 0)).hard["Conflicts"] == 1
    assert run(instance, ("A", "R1", 0, 0), ("B", "R2", 0, 1)).hard["Conflicts"] == 0


def test_unrelated_courses_may_share_a_period() -> None:
    instance = make([course("A"), course("B")], [curriculum("Q1", "A"), curriculum("Q2", "B")])
    assert run(instance, ("A", "R1", 0, 0), ("B", "R2", 0, 0)).hard["Conflicts"] == 0


def test_conflicting_pair_counts_once_however_many_reasons() -> None:
    courses = [course("A", teacher="t"), course("B", teacher="t")]
    instance = make(courses, [curriculum("Q1", "A", "B"), curriculum("Q2", "B", "A")])
    assert run(instance, ("A", "R1", 0, 0), ("B", "R2", 0, 0)).hard["Conflicts"] == 1


# --- Availability -----------------------------------------------------------------------------


def test_course_unavailability() -> None:
    instance = make([course("A", unavailable=frozenset({(0, 1)}))])
    assert run(instance, ("A", "R1", 0, 2)).hard["Availability"] == 0
    report = run(instance, ("A", "R1", 0, 1))
    assert report.hard["Availability"] == 1
    assert "[H] Course A has a lecture at unavailable period 1 (day 0, timeslot 1)" in report.details


def test_teacher_unavailability() -> None:
    instance = make([course("A", teacher="t")], teachers=[Teacher(id="t", unavailable=frozenset({(1, 0)}))])
    assert run(instance, ("A", "R1", 1, 0)).hard["Availability"] == 1
    assert run(instance, ("A", "R1", 1, 1)).hard["Availability"] == 0


def test_course_and_teacher_blocking_the_same_period_count_once() -> None:
    teachers = [Teacher(id="t", unavailable=frozenset({(1, 0)}))]
    instance = make([course("A", teacher="t", unavailable=frozenset({(1, 0)}))], teachers=teachers)
    assert run(instance, ("A", "R1", 1, 0)).hard["Availability"] == 1


# --- RoomOccupation ---------------------------------------------------------------------------


def test_room_occupation() -> None:
    instance = make([course("A"), course("B"), course("C"), course("D")])
    free = run(instance, ("A", "R1", 0, 0), ("B", "R1", 0, 1), ("C", "R2", 0, 0), ("D", "Lab", 0, 0))
    assert free.hard["RoomOccupation"] == 0
    shared = run(instance, ("A", "R1", 0, 0), ("B", "R1", 0, 0), ("C", "R1", 0, 0), ("D", "R2", 0, 0))
    assert shared.hard["RoomOccupation"] == 2
    assert "[H] 3 lectures in room R1 at period 0 (day 0, timeslot 0)" in shared.details


# --- RoomType ---------------------------------------------------------------------------------


def test_room_type() -> None:
    instance = make([course("A", room_type="lab"), course("B")])
    assert run(instance, ("A", "Lab", 0, 0), ("B", "Lab", 0, 1)).hard["RoomType"] == 0
    report = run(instance, ("A", "R1", 0, 0), ("B", "Lab", 0, 1))
    assert report.hard["RoomType"] == 1
    assert report.hard_violations == 1


# --- RoomCapacity -----------------------------------------------------------------------------


def test_room_capacity_satisfied_up_to_the_last_seat() -> None:
    instance = make([course("A", 2, students=30)], rules=only("room_capacity"))
    report = run(instance, ("A", "R1", 0, 0), ("A", "R1", 1, 0))
    assert report.soft == {"RoomCapacity": 0}


def test_room_capacity_counts_students_over_per_lecture() -> None:
    instance = make([course("A", 2, students=25)], rules=only("room_capacity"))
    report = run(instance, ("A", "R2", 0, 0), ("A", "R2", 1, 0))
    assert report.units["RoomCapacity"] == 30
    assert report.soft == {"RoomCapacity": 30}


def test_weights_multiply_units() -> None:
    instance = make([course("A", 2, students=25)], rules=only("room_capacity", weight=3))
    report = run(instance, ("A", "R2", 0, 0), ("A", "R1", 1, 0))
    assert report.units["RoomCapacity"] == 15
    assert report.soft == {"RoomCapacity": 45}
    assert report.cost == 45


# --- MinWorkingDays ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "missing"),
    [
        ([("A", "R1", 0, 0), ("A", "R1", 1, 0), ("A", "R1", 2, 3)], 0),
        ([("A", "R1", 0, 0), ("A", "R1", 0, 2), ("A", "R1", 1, 0)], 1),
        ([("A", "R1", 0, 0), ("A", "R1", 0, 1), ("A", "R1", 0, 2)], 2),
        ([("A", "R1", 1, 1)], 2),  # too few lectures also spread over too few days
    ],
)
def test_min_working_days(rows: list[Row], missing: int) -> None:
    instance = make([course("A", 3, min_working_days=3)], rules=only("min_working_days", weight=5))
    report = run(instance, *rows)
    assert report.units["MinWorkingDays"] == missing
    assert report.soft == {"MinWorkingDays": 5 * missing}


# --- IsolatedLectures -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "isolated"),
    [
        ([("A", "R1", 0, 0), ("B", "R1", 0, 1)], 0),
        ([("A", "R1", 0, 0), ("B", "R1", 0, 2)], 2),
        ([("A", "R1", 0, 3), ("B", "R1", 1, 0)], 2),  # the last period of a day is not next to the next day's first
        ([("A", "R1", 0, 1), ("B", "R2", 0, 1)], 2),  # two lectures alone in one period count twice
        ([("A", "R1", 0, 1), ("B", "R1", 0, 2), ("A", "R1", 2, 3)], 1),
        ([("A", "R1", 0, 1), ("C", "R1", 0, 2)], 1),  # C is in no curriculum: it neither counts nor helps
    ],
)
def test_isolated_lectures(rows: list[Row], isolated: int) -> None:
    instance = make(
        [course("A", 2), course("B"), course("C")], [curriculum("Q", "A", "B")], only("isolated_lectures", 2)
    )
    report = run(instance, *rows)
    assert report.units["IsolatedLectures"] == isolated
    assert report.soft == {"IsolatedLectures": 2 * isolated}


def test_isolated_lectures_count_per_curriculum() -> None:
    instance = make(
        [course("A"), course("B")], [curriculum("Q1", "A"), curriculum("Q2", "A", "B")], only("isolated_lectures")
    )
    report = run(instance, ("A", "R1", 0, 0), ("B", "R1", 2, 2))
    assert report.units["IsolatedLectures"] == 3  # A in Q1 and in Q2, B in Q2
    assert "[S] Curriculum Q1 has an isolated lecture at period 0 (day 0, timeslot 0)" in report.details


# --- RoomStability ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rooms", "extra"),
    [(("R1", "R1", "R1"), 0), (("R1", "R2", "R1"), 1), (("R1", "R2", "Lab"), 2)],
)
def test_room_stability(rooms: tuple[str, str, str], extra: int) -> None:
    instance = make([course("A", 3)], rules=only("room_stability"))
    report = run(instance, *[("A", room, day, 0) for day, room in enumerate(rooms)])
    assert report.soft == {"RoomStability": extra}


# --- CurriculumCompactness (windows) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "windows"),
    [
        ([("A", "R1", 0, 0), ("B", "R1", 0, 1)], 0),
        ([("A", "R1", 0, 0), ("B", "R1", 0, 3)], 2),
        ([("A", "R1", 0, 0), ("B", "R1", 1, 3)], 0),  # one lecture a day: no window
        ([("A", "R1", 0, 0), ("A", "R1", 0, 2), ("B", "R1", 0, 3)], 1),
        ([("A", "R1", 0, 0), ("B", "R1", 0, 2), ("C", "R1", 0, 1)], 1),  # C is in no curriculum
        ([("A", "R1", 0, 0), ("A", "R1", 0, 3), ("B", "R1", 1, 0), ("B", "R1", 1, 2)], 3),
    ],
)
def test_windows(rows: list[Row], windows: int) -> None:
    instance = make([course("A", 2), course("B", 2), course("C")], [curriculum("Q", "A", "B")], only("windows", 4))
    report = run(instance, *rows)
    assert report.units["CurriculumCompactness"] == windows
    assert report.soft == {"CurriculumCompactness": 4 * windows}


# --- StudentLoad ------------------------------------------------------------------------------

# Day 0: one lecture (one below a minimum of 2); day 1: four (one above a maximum of 3); day 2: none (not counted).
UNBALANCED: list[Row] = [("A", "R1", 0, 0), ("A", "R1", 1, 0), ("A", "R1", 1, 1), ("A", "R1", 1, 2), ("B", "R2", 1, 3)]


def load_instance(**limits: int | None) -> CourseInstance:
    rules = only("group_daily_load", 2, min_daily_lectures=2, max_daily_lectures=3)
    return make([course("A", 4), course("B", 1)], [curriculum("Q", "A", "B", **limits)], rules)


def test_student_load_within_limits() -> None:
    rows = [("A", "R1", 0, 0), ("A", "R1", 0, 1), ("A", "R1", 1, 0), ("A", "R1", 1, 1), ("B", "R2", 1, 2)]
    assert run(load_instance(), *rows).soft == {"StudentLoad": 0}


def test_student_load_below_minimum_and_above_maximum() -> None:
    report = run(load_instance(), *UNBALANCED)
    assert report.units["StudentLoad"] == 2
    assert report.soft == {"StudentLoad": 4}
    assert "[S] Curriculum Q has 1 lectures on day 0 (minimum 2)" in report.details
    assert "[S] Curriculum Q has 4 lectures on day 1 (maximum 3)" in report.details


@pytest.mark.parametrize(
    ("limits", "units"),
    [
        ({"min_daily_lectures": 1, "max_daily_lectures": 4}, 0),
        ({"max_daily_lectures": 4}, 1),  # the default minimum 2 still applies
        ({"min_daily_lectures": 0}, 1),  # the default maximum 3 still applies
        ({"min_daily_lectures": 3, "max_daily_lectures": 3}, 3),
    ],
)
def test_student_load_per_curriculum_override(limits: dict[str, int], units: int) -> None:
    assert run(load_instance(**limits), *UNBALANCED).units["StudentLoad"] == units


def test_student_load_without_maximum() -> None:
    instance = make([course("A", 4), course("B")], [curriculum("Q", "A", "B")], only("group_daily_load", 1))
    assert run(instance, *UNBALANCED).units["StudentLoad"] == 0


# --- TeacherLoad ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "excess"),
    [
        ([("A", "R1", 0, 0), ("A", "R1", 0, 1), ("B", "R2", 1, 2), ("B", "R2", 1, 3)], 0),
        ([("A", "R1", 0, 0), ("A", "R1", 0, 1), ("B", "R2", 0, 2), ("B", "R2", 1, 3)], 1),
        ([("A", "R1", 0, 0), ("A", "R1", 0, 1), ("B", "R2", 0, 2), ("B", "R2", 0, 3)], 2),
    ],
)
def test_teacher_load(rows: list[Row], excess: int) -> None:
    courses = [course("A", 2, teacher="t"), course("B", 2, teacher="t")]
    instance = make(courses, teachers=[Teacher(id="t", max_daily_lectures=2)], rules=only("teacher_daily_load"))
    report = run(instance, *rows)
    assert report.soft == {"TeacherLoad": excess}
    assert report.hard["Conflicts"] == 0


def test_teacher_load_without_maximum() -> None:
    instance = make([course("A", 4, teacher="t")], rules=only("teacher_daily_load"))
    rows = [("A", "R1", 0, p) for p in range(4)]
    assert run(instance, *rows).soft == {"TeacherLoad": 0}


# --- RoomConstraints --------------------------------------------------------------------------

UNSUITABLE: list[Row] = [("A", "R2", 0, 0), ("A", "R2", 1, 0), ("A", "R1", 2, 0)]


def unsuitable(name: str) -> CourseInstance:
    return make([course("A", 3, unsuitable_rooms=frozenset({"R2"}))], rules=formulation(name))


def test_room_constraints_satisfied() -> None:
    report = run(unsuitable("UD3"), ("A", "R1", 0, 0), ("A", "Lab", 1, 0), ("A", "R1", 2, 0))
    assert report.soft["RoomConstraints"] == 0


def test_room_constraints_soft_under_ud3() -> None:
    report = run(unsuitable("UD3"), *UNSUITABLE)
    assert report.units["RoomConstraints"] == 2
    assert report.soft["RoomConstraints"] == 6
    assert "RoomConstraints" not in report.hard
    assert report.feasible


def test_room_constraints_hard_under_ud4() -> None:
    report = run(unsuitable("UD4"), *UNSUITABLE)
    assert report.hard["RoomConstraints"] == 2
    assert "RoomConstraints" not in report.soft
    assert report.hard_violations == 2
    assert "[H] Room R2 is not suitable for course A at period 0 (day 0, timeslot 0)" in report.details


def test_room_constraints_ignored_under_ud2() -> None:
    report = run(unsuitable("UD2"), *UNSUITABLE)
    assert report.units["RoomConstraints"] == 2
    assert "RoomConstraints" not in report.hard
    assert "RoomConstraints" not in report.soft


# --- DoubleLectures ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "unpaired"),
    [
        ([("A", "R1", 0, 0), ("A", "R1", 0, 1)], 0),
        ([("A", "R1", 0, 0), ("A", "R2", 0, 1)], 2),  # adjacent but in different rooms
        ([("A", "R1", 0, 0), ("A", "R1", 0, 2)], 2),  # same room but not adjacent
        ([("A", "R1", 0, 0), ("A", "R1", 1, 0)], 0),  # one lecture a day needs no partner
        ([("A", "R1", 0, 3), ("A", "R1", 1, 0)], 0),  # not adjacent across days, one lecture a day each
        ([("A", "R1", 0, 0), ("A", "R1", 0, 1), ("A", "R1", 0, 3)], 1),
        ([("A", "R1", 0, 0), ("A", "R1", 0, 1), ("A", "R1", 0, 2)], 0),
    ],
)
def test_double_lectures(rows: list[Row], unpaired: int) -> None:
    instance = make([course("A", len(rows), double_lectures=True)], rules=only("double_lectures"))
    assert run(instance, *rows).soft == {"DoubleLectures": unpaired}


def test_double_lectures_only_for_flagged_courses() -> None:
    instance = make([course("A", 2)], rules=only("double_lectures"))
    assert run(instance, ("A", "R1", 0, 0), ("A", "R2", 0, 2)).soft == {"DoubleLectures": 0}


# --- TravelDistance ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "moves"),
    [
        ([("A", "R1", 0, 0), ("B", "Lab", 0, 1)], 0),  # R1 and Lab are both in building A
        ([("A", "R1", 0, 0), ("B", "R2", 0, 1)], 1),
        ([("A", "R1", 0, 0), ("B", "R2", 0, 2)], 0),  # not consecutive
        ([("A", "R1", 0, 3), ("B", "R2", 1, 0)], 0),  # not on the same day
        ([("A", "R1", 1, 1), ("A", "R2", 1, 2)], 1),  # a course's own consecutive lectures count too
        ([("A", "R1", 0, 0), ("B", "Lab", 0, 0), ("C", "R2", 0, 1), ("D", "R2", 0, 1)], 4),  # every pair counts
    ],
)
def test_travel_distance(rows: list[Row], moves: int) -> None:
    courses = [course("A", 2), course("B"), course("C"), course("D")]
    instance = make(courses, [curriculum("Q", "A", "B", "C", "D")], only("travel_distance", 2))
    report = run(instance, *rows)
    assert report.units["TravelDistance"] == moves
    assert report.soft == {"TravelDistance": 2 * moves}


# --- rules, reading, report -------------------------------------------------------------------


def test_a_hard_rule_moves_its_units_to_hard() -> None:
    rules = Rules(min_working_days=Rule(hard=True))
    instance = make([course("A", 3, min_working_days=3)], rules=rules)
    report = run(instance, ("A", "R1", 0, 0), ("A", "R1", 0, 1), ("A", "R1", 0, 2))
    assert report.hard["MinWorkingDays"] == 2
    assert "MinWorkingDays" not in report.soft
    assert report.hard_violations == 2
    assert not report.feasible
    assert "[H] The course A has only 1 days of lecture (minimum 3)" in report.details


def test_inactive_rules_are_measured_but_not_reported() -> None:
    instance = make([course("A"), course("B")], [curriculum("Q", "A", "B")], formulation("UD2"))
    report = run(instance, ("A", "R1", 0, 0), ("B", "R2", 0, 1))
    assert set(report.units) == set(RULE_LABELS.values())
    assert report.units["TravelDistance"] == 1
    assert "TravelDistance" not in report.soft
    assert not any("buildings" in line for line in report.details)


def test_unknown_entries_are_skipped_with_warnings() -> None:
    instance = make([course("A")], days=2, periods_per_day=4)
    report = run(
        instance,
        ("X", "R1", 0, 0),
        ("A", "R9", 0, 0),
        ("A", "R1", 2, 0),
        ("A", "R1", 0, 4),
        ("A", "R1", 1, 1),
    )
    assert report.warnings == [
        "Nonexisting course X (entry skipped)",
        "Nonexisting room R9 (entry skipped)",
        "Nonexisting day 2 (entry skipped)",
        "Nonexisting period 4 (entry skipped)",
    ]
    assert report.hard_violations == 0


def test_validator_text_of_a_feasible_timetable() -> None:
    instance = make([course("A", 2, students=12, min_working_days=2)], rules=formulation("UD2"))
    text = run(instance, ("A", "R2", 0, 0), ("A", "R1", 0, 1)).validator_text()
    lines = text.splitlines()
    assert "Violations of Lectures (hard) : 0" in lines
    assert "Cost of RoomCapacity (soft) : 2" in lines
    assert "Cost of MinWorkingDays (soft) : 5" in lines
    assert "Cost of RoomStability (soft) : 1" in lines
    assert lines[-1] == "Summary: Total Cost = 8"


def test_validator_text_with_violations_and_warnings() -> None:
    instance = make([course("A", 3)], rules=formulation("UD1"))
    text = run(instance, ("A", "R1", 0, 0), ("A", "R1", 0, 1), ("Z", "R1", 0, 0)).validator_text()
    lines = text.splitlines()
    assert lines[-2:] == ["There are 1 warnings!", "Summary: Violations = 1, Total Cost = 0"]
    assert "[H] Too few lectures for course A" in lines
