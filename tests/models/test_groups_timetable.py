"""From sections to a course timetabling instance, and student conflicts of a timetable."""

from __future__ import annotations

import pytest

from models.course_instance import InstanceError, LessonKind, Room
from models.course_timetable import CourseTimetable
from models.enrollment import Discipline, DisciplineRules, EnrollmentInstance, SectionRule, Student
from models.groups import Grouping, Section
from models.groups_timetable import student_conflicts, timetable_instance

L, P = LessonKind.LECTURE, LessonKind.PRACTICE
ROOMS = (
    Room(id="H", capacity=100, type="hall"),
    Room(id="C1", capacity=30, type="class"),
    Room(id="C2", capacity=30, type="class"),
)


def instance() -> EnrollmentInstance:
    students = tuple(Student(id=s, programme="P", year=1, language="kk", group="A") for s in ("a1", "a2", "a3"))
    students += (Student(id="x", programme="P", year=1, language="kk"),)
    rules = DisciplineRules(
        lecture=SectionRule(capacity=100, lessons=2, room_type="hall"),
        practice=SectionRule(capacity=2, room_type="class"),
    )
    elective = DisciplineRules(practice=SectionRule(capacity=30, lessons=3, room_type="class"))
    return EnrollmentInstance(
        students=students,
        disciplines=(
            Discipline(id="M", students=("a1", "a2", "a3", "x"), rules=rules),
            Discipline(id="E", students=("a1",), rules=elective),
        ),
    )


GROUPING = Grouping(
    sections=(
        Section(id="M.L1", discipline="M", kind=L, students=("a1", "a2", "a3", "x")),
        Section(id="M.P1", discipline="M", kind=P, students=("a1", "a2"), parent="M.L1"),
        Section(id="M.P2", discipline="M", kind=P, students=("a3", "x"), parent="M.L1"),
        Section(id="E.P1", discipline="E", kind=P, students=("a1",)),
    )
)


def test_courses_teachers_and_exact_curricula() -> None:
    ci = timetable_instance(instance(), GROUPING, ROOMS, days=5, periods_per_day=4, teacher_load=2)
    courses = ci.course_by_id
    assert courses["M.L1"].lectures == 2 and courses["M.L1"].students == 4 and courses["M.L1"].room_type == "hall"
    assert courses["M.L1"].min_working_days == 2 and courses["E.P1"].min_working_days == 2
    # Practice groups of M (1 lesson each) share a placeholder teacher of at most 2 lessons.
    assert courses["M.P1"].teacher == courses["M.P2"].teacher == "M.P-T1"
    assert courses["E.P1"].teacher == "E.P-T1"
    assert {q.courses for q in ci.curricula} == {("E.P1", "M.L1", "M.P1"), ("M.L1", "M.P1"), ("M.L1", "M.P2")}


def test_group_curricula_take_each_groups_main_sections() -> None:
    ci = timetable_instance(instance(), GROUPING, ROOMS, curricula="groups")
    by_id = {q.id: q.courses for q in ci.curricula}
    assert by_id["A"] == ("E.P1", "M.L1", "M.P1")  # group A: most in M.P1 (a1, a2)
    assert ("M.L1", "M.P2") in by_id.values()  # x, without a group, gets its own combination


def test_explicit_teachers_and_errors() -> None:
    ci = timetable_instance(instance(), GROUPING, ROOMS, teachers={"M.L1": "Abenov_AB"})
    assert ci.course_by_id["M.L1"].teacher == "Abenov_AB"
    with pytest.raises(InstanceError, match="no room has the required type 'hall'"):
        timetable_instance(instance(), GROUPING, ROOMS[1:])
    with pytest.raises(ValueError, match="unknown curricula mode"):
        timetable_instance(instance(), GROUPING, ROOMS, curricula="rooms")  # type: ignore[arg-type]
    stray = Grouping(sections=(Section(id="Z", discipline="NOPE", kind=L, students=()),))
    with pytest.raises(ValueError, match="section Z: no lecture lessons of discipline 'NOPE'"):
        timetable_instance(instance(), stray, ROOMS)


def test_student_conflicts() -> None:
    timetable = CourseTimetable.of(
        [
            ("M.L1", "H", 0, 0),
            ("M.L1", "H", 1, 0),
            ("M.P1", "C1", 0, 0),  # a1, a2: clash with the lecture
            ("M.P2", "C2", 0, 1),
            ("E.P1", "C1", 0, 1),
            ("E.P1", "C1", 1, 1),
            ("E.P1", "C1", 2, 0),
        ]
    )
    assert student_conflicts(GROUPING, timetable) == 2
    clean = CourseTimetable.of([("M.L1", "H", 0, 0), ("M.P1", "C1", 0, 1), ("M.P2", "C2", 0, 1), ("E.P1", "C1", 0, 2)])
    assert student_conflicts(GROUPING, clean) == 0
