"""The people's view of a timetable: lessons by group, teacher and room, the scorer's conflicts on the
lessons they name, what moved between versions, and the exam session grid (samples: tests/timetable_samples.py)."""

from __future__ import annotations

import datetime as dt

from timetable_samples import LABELS, SESSION_INSTANCE, SESSION_TIMETABLE, WEEK_INSTANCE, WEEK_TIMETABLE

from models import course_scoring, exam_scoring
from models.course_timetable import CourseTimetable
from models.exam_instance import ExamInstance, ExamRoom, ExamTimetable
from models.timetable_view import Labels, course_week, exam_session, lesson_problems, moved_lessons


def test_week_lessons_carry_titles_teachers_rooms_and_curricula_as_groups() -> None:
    week = course_week(WEEK_INSTANCE, WEEK_TIMETABLE, LABELS)
    assert (week.days, week.pairs) == (6, 4)
    assert [(x.course, x.day, x.pair) for x in week.lessons] == [
        ("HIST", 0, 0), ("MATH", 0, 0), ("PHYS", 1, 3), ("MATH", 2, 1)]  # fmt: skip
    hist = week.lessons[0]
    assert (hist.title, hist.kind, hist.teacher_name, hist.room_name) == (
        "HKZ1101 History of Kazakhstan", "lecture", "Abenov A.B.", "B-12 (main)")  # fmt: skip
    assert hist.groups == ("IT-25-2",)
    assert week.lessons[1].groups == ("IT-25-1", "IT-25-2")
    assert week.lessons[2].kind == "practice"


def test_selections_by_group_teacher_and_room() -> None:
    week = course_week(WEEK_INSTANCE, WEEK_TIMETABLE, LABELS)
    assert {x.course for x in week.of_group("IT-25-1").lessons} == {"MATH", "PHYS"}
    assert {x.course for x in week.of_teacher("t1").lessons} == {"MATH", "HIST"}
    assert {x.course for x in week.of_room("B-12").lessons} == {"PHYS", "HIST"}
    assert week.of_group("nobody").lessons == ()
    assert week.groups() == ["IT-25-1", "IT-25-2"]
    assert week.teachers() == {"t1": "Abenov A.B.", "t2": "Serikova A."}


def test_grid_is_pairs_by_days() -> None:
    grid = course_week(WEEK_INSTANCE, WEEK_TIMETABLE, LABELS).grid()
    assert len(grid) == 4 and all(len(row) == 6 for row in grid)
    assert [x.course for x in grid[0][0]] == ["HIST", "MATH"]
    assert [x.course for x in grid[3][1]] == ["PHYS"]
    assert grid[1][0] == []


def test_explicit_groups_replace_the_curricula() -> None:
    labels = LABELS.model_copy(update={"groups": {"MATH": ("G1", "G2")}})
    week = course_week(WEEK_INSTANCE, WEEK_TIMETABLE, labels)
    assert {x.course: x.groups for x in week.lessons} == {"MATH": ("G1", "G2"), "HIST": (), "PHYS": ()}


def test_the_scorer_conflicts_mark_exactly_the_lessons_they_name() -> None:
    report = course_scoring.score(WEEK_INSTANCE, WEEK_TIMETABLE)
    assert report.hard["Conflicts"] == 1  # MATH and HIST share teacher t1 and curriculum IT-25-2: one pair
    week = course_week(WEEK_INSTANCE, WEEK_TIMETABLE, LABELS, report)
    marked = {(x.course, x.day, x.pair): x.problems for x in week.lessons if x.conflicted}
    assert set(marked) == {("MATH", 0, 0), ("HIST", 0, 0)}
    assert all("MATH and HIST" in text for problems in marked.values() for text in problems)
    assert week.conflicts == 2 and week.problems == ()


def test_room_clashes_mark_every_lesson_in_the_room_and_unplaced_lectures_are_general() -> None:
    timetable = CourseTimetable.of([("MATH", "A-101", 0, 0), ("PHYS", "A-101", 0, 0), ("HIST", "B-12", 4, 2)])
    report = course_scoring.score(WEEK_INSTANCE, timetable)
    by_lesson, general = lesson_problems(WEEK_INSTANCE, timetable, report)
    assert set(by_lesson) == {("MATH", 0, 0), ("PHYS", 0, 0)}
    assert any("2 lectures in room A-101" in text for text in by_lesson[("PHYS", 0, 0)])
    assert general == ["Too few lectures for course MATH"]
    assert course_week(WEEK_INSTANCE, timetable, LABELS, report).problems == ("Too few lectures for course MATH",)


def test_a_clean_timetable_has_no_conflicts() -> None:
    timetable = CourseTimetable.of([("MATH", "A-101", 0, 0), ("MATH", "A-101", 2, 1), ("PHYS", "B-12", 1, 3),
                                    ("HIST", "B-12", 0, 1)])  # fmt: skip
    report = course_scoring.score(WEEK_INSTANCE, timetable)
    assert report.feasible
    assert course_week(WEEK_INSTANCE, timetable, LABELS, report).conflicts == 0


def test_placements_the_scorer_skips_are_not_lessons() -> None:
    timetable = CourseTimetable.of([("MATH", "A-101", 0, 0), ("NOPE", "A-101", 1, 1), ("PHYS", "C-1", 1, 1),
                                    ("HIST", "B-12", 9, 0)])  # fmt: skip
    assert [x.course for x in course_week(WEEK_INSTANCE, timetable).lessons] == ["MATH"]


def test_moved_lessons_compare_versions() -> None:
    before = course_week(WEEK_INSTANCE, WEEK_TIMETABLE, LABELS)
    after = course_week(WEEK_INSTANCE, CourseTimetable.of([("MATH", "A-101", 0, 0), ("MATH", "A-101", 2, 1),
                        ("PHYS", "B-12", 1, 3), ("HIST", "B-12", 0, 2)]), LABELS)  # fmt: skip
    gone, came = moved_lessons(before, after)
    assert [(x.course, x.day, x.pair) for x in gone] == [("HIST", 0, 0)]
    assert [(x.course, x.day, x.pair) for x in came] == [("HIST", 0, 2)]
    assert moved_lessons(before, before) == ([], [])


def test_exam_session_grid_by_day_and_period_with_conflicts() -> None:
    report = exam_scoring.score(SESSION_INSTANCE, SESSION_TIMETABLE)
    session = exam_session(SESSION_INSTANCE, SESSION_TIMETABLE, LABELS, report)
    assert session.dates == (dt.date(2026, 1, 12), dt.date(2026, 1, 13))
    assert session.slots == 2 and session.starts == (dt.time(9), dt.time(14))
    assert session.periods == ((0, 0), (0, 1), (1, 0), (1, 1))
    grid = session.grid()
    assert sorted(s.exam for s in grid[0][0]) == ["E-MATH", "E-PHYS"]
    assert [s.exam for s in grid[1][1]] == ["E-HIST"]
    assert {s.exam for s in session.sittings if s.conflicted} == {"E-MATH", "E-PHYS"}
    math = next(s for s in session.sittings if s.exam == "E-MATH")
    assert (math.examiner_name, math.room_name, math.groups, math.students, math.minutes) == (
        "Abenov A.B.", "A-101 (main)", ("IT-25-1",), 2, 120)  # fmt: skip
    assert {s.exam for s in session.of_group("IT-25-2").sittings} == {"E-HIST"}
    assert {s.exam for s in session.of_teacher("t1").sittings} == {"E-MATH", "E-HIST"}
    assert {s.exam for s in session.of_room("B-12").sittings} == {"E-PHYS", "E-HIST"}
    assert session.groups() == ["IT-25-1", "IT-25-2"]
    assert session.teachers() == {"t1": "Abenov A.B.", "t2": "Serikova A."}
    assert session.rooms() == {"A-101": "A-101 (main)", "B-12": "B-12 (main)"}


def test_exam_room_overflow_marks_every_exam_in_the_room_then() -> None:
    fields = {name: getattr(SESSION_INSTANCE, name) for name in type(SESSION_INSTANCE).model_fields}
    small = ExamInstance(**(fields | {"rooms": (ExamRoom(id="A-101", capacity=2),)}))
    timetable = ExamTimetable.of({"E-MATH": (1, "A-101"), "E-HIST": (1, "A-101"), "E-PHYS": (2, "A-101")})
    report = exam_scoring.score(small, timetable)
    assert report.hard["RoomOccupancy"] == 1
    session = exam_session(small, timetable, Labels(), report)
    assert {s.exam for s in session.sittings if s.conflicted} == {"E-MATH", "E-HIST"}
