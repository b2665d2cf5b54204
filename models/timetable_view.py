"""What the people of a university see of a timetable: the week of a group, a teacher or a room.

A :class:`Week` is the lesson timetable read for people rather than solvers: every placed lecture of a
:class:`~models.course_timetable.CourseTimetable` becomes a :class:`Lesson` with its day and pair (both
from 0; a *pair* is a period of the day), the course, its title and kind, its teacher and room (ids and
display names) and the academic groups attending it. :meth:`Week.of_group`, :meth:`Week.of_teacher` and
:meth:`Week.of_room` select one person's or room's lessons; :meth:`Week.grid` lays them out as pairs x
days for a page or a printout.

Which groups attend a course is given by :class:`Labels` ``groups`` (course id -> group names); without
it, the curricula of the instance that hold the course are its groups (for an ITC2007 file, a
curriculum; for a timetable built from the records, the academic group or stream).

Conflicts are the scorer's own: :func:`course_week` with a :class:`~models.score_report.ScoreReport`
attaches to each lesson the hard violations (the ``[H]`` detail lines) that name it, so a page can
highlight exactly what the independent scorer counts. A hard detail that names no lesson at a period
(too few lectures of a course, a curriculum's day) is kept in :attr:`Week.problems`.

An exam session reads the same way (:class:`Sitting`, :class:`Session`, :func:`exam_session`): a grid of
days (dates) x the exam periods of a day, with the exams, rooms, examiners and groups.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Mapping

from pydantic import BaseModel, ConfigDict, Field

from models.course_instance import CourseInstance
from models.course_timetable import CourseTimetable
from models.exam_instance import ExamInstance, ExamTimetable
from models.score_report import ScoreReport

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""Day 0 of a week is a Monday (the Kazakh teaching week is Monday to Saturday)."""


class Labels(BaseModel):
    """Display names for the ids of an instance; an id without a name shows as itself."""

    model_config = ConfigDict(frozen=True)

    titles: Mapping[str, str] = Field(default_factory=dict)
    """course id -> title (e.g. the discipline's code and name)."""
    teachers: Mapping[str, str] = Field(default_factory=dict)
    """teacher id -> name."""
    rooms: Mapping[str, str] = Field(default_factory=dict)
    """room id -> name (e.g. its code and building)."""
    groups: Mapping[str, tuple[str, ...]] | None = None
    """course (or exam) id -> the academic groups attending; ``None``: the instance's curricula (exams: the
    exam's ``group``)."""


class Lesson(BaseModel):
    """One weekly lesson: ``day`` and ``pair`` from 0, with who teaches it, where, and to whom."""

    model_config = ConfigDict(frozen=True)

    day: int
    pair: int
    course: str
    title: str
    kind: str
    teacher: str
    teacher_name: str
    room: str
    room_name: str
    groups: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    """The scorer's hard violations naming this lesson (without the ``[H]`` prefix)."""

    @property
    def conflicted(self) -> bool:
        return bool(self.problems)


class Week(BaseModel):
    """The lessons of a week of ``days`` x ``pairs``, ordered by day, pair, title."""

    model_config = ConfigDict(frozen=True)

    days: int
    pairs: int
    lessons: tuple[Lesson, ...] = ()
    problems: tuple[str, ...] = ()
    """Hard violations that name no lesson at a period (e.g. a course with too few lectures)."""

    def where(self, keep: Callable[[Lesson], bool]) -> Week:
        return self.model_copy(update={"lessons": tuple(lesson for lesson in self.lessons if keep(lesson))})

    def of_group(self, group: str) -> Week:
        return self.where(lambda lesson: group in lesson.groups)

    def of_teacher(self, teacher: str) -> Week:
        return self.where(lambda lesson: lesson.teacher == teacher)

    def of_room(self, room: str) -> Week:
        return self.where(lambda lesson: lesson.room == room)

    def at(self, day: int, pair: int) -> list[Lesson]:
        return [lesson for lesson in self.lessons if lesson.day == day and lesson.pair == pair]

    def grid(self) -> list[list[list[Lesson]]]:
        """``grid[pair][day]``: the lessons at that pair of that day (usually zero or one)."""
        cells: list[list[list[Lesson]]] = [[[] for _ in range(self.days)] for _ in range(self.pairs)]
        for lesson in self.lessons:
            cells[lesson.pair][lesson.day].append(lesson)
        return cells

    @property
    def conflicts(self) -> int:
        """Lessons with at least one hard violation."""
        return sum(lesson.conflicted for lesson in self.lessons)

    def groups(self) -> list[str]:
        return sorted({g for lesson in self.lessons for g in lesson.groups})

    def teachers(self) -> dict[str, str]:
        """teacher id -> name, by name."""
        return dict(sorted({(l.teacher, l.teacher_name) for l in self.lessons}, key=lambda t: (t[1], t[0])))  # noqa: E741

    def rooms(self) -> dict[str, str]:
        """room id -> name, by name."""
        return dict(sorted({(l.room, l.room_name) for l in self.lessons}, key=lambda t: (t[1], t[0])))  # noqa: E741


_COURSE_PERIOD = re.compile(r"\bperiod (\d+) \(day \d+, timeslot \d+\)")
_COURSE_NAMES = (
    re.compile(r"^Courses (\S+) and (\S+) "),
    re.compile(r"^Course (\S+) "),
    re.compile(r"\bfor course (\S+) at "),
)
_ROOM_AT = re.compile(r"\blectures in room (\S+) at ")


def lesson_problems(instance: CourseInstance, timetable: CourseTimetable, report: ScoreReport) -> tuple[
    dict[tuple[str, int, int], list[str]], list[str]]:  # fmt: skip
    """The scorer's hard details by lesson: ``{(course, day, pair): [detail, ...]}`` and the rest.

    A detail names a lesson when it names a period (``period t (day d, timeslot s)``) and either courses
    (``Courses a and b``, ``Course c``, ``for course c``) or a room (``n lectures in room r``: every lesson
    in that room then).
    """
    ppd = instance.periods_per_day
    placed: dict[tuple[str, int], list[str]] = defaultdict(list)
    for p in timetable:
        placed[(p.room, p.day * ppd + p.period)].append(p.course)
    by_lesson: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    general: list[str] = []
    for line in report.details:
        if not line.startswith("[H] "):
            continue
        text = line[4:]
        period = _COURSE_PERIOD.search(text)
        courses: list[str] = []
        if period:
            room = _ROOM_AT.search(text)
            if room:
                courses = placed.get((room.group(1), int(period.group(1))), [])
            else:
                for pattern in _COURSE_NAMES:
                    if match := pattern.search(text):
                        courses = list(match.groups())
                        break
        if not courses:
            general.append(text)
            continue
        t = int(period.group(1))  # type: ignore[union-attr]
        for course in dict.fromkeys(courses):
            by_lesson[(course, t // ppd, t % ppd)].append(text)
    return dict(by_lesson), general


def course_week(
    instance: CourseInstance,
    timetable: CourseTimetable,
    labels: Labels | None = None,
    report: ScoreReport | None = None,
) -> Week:
    """The week of ``timetable``: every placement naming a known course and room inside the week (others
    are the scorer's warnings, not lessons), with the hard violations of ``report`` attached."""
    labels = labels or Labels()
    groups = labels.groups
    if groups is None:
        of_course: dict[str, list[str]] = defaultdict(list)
        for curriculum in instance.curricula:
            for course in curriculum.courses:
                of_course[course].append(curriculum.id)
        groups = {course: tuple(ids) for course, ids in of_course.items()}
    problems, general = lesson_problems(instance, timetable, report) if report else ({}, [])
    lessons = []
    for p in timetable:
        course = instance.course_by_id.get(p.course)
        if course is None or p.room not in instance.room_by_id:
            continue
        if p.day >= instance.days or p.period >= instance.periods_per_day:
            continue
        lessons.append(
            Lesson(
                day=p.day,
                pair=p.period,
                course=course.id,
                title=labels.titles.get(course.id, course.id),
                kind=course.kind.value,
                teacher=course.teacher,
                teacher_name=labels.teachers.get(course.teacher, course.teacher),
                room=p.room,
                room_name=labels.rooms.get(p.room, p.room),
                groups=tuple(groups.get(course.id, ())),
                problems=tuple(problems.get((course.id, p.day, p.period), ())),
            )
        )
    lessons.sort(key=lambda lesson: (lesson.day, lesson.pair, lesson.title, lesson.course))
    return Week(days=instance.days, pairs=instance.periods_per_day, lessons=tuple(lessons), problems=tuple(general))


def moved_lessons(before: Week, after: Week) -> tuple[list[Lesson], list[Lesson]]:
    """What moved between two versions: lessons of ``before`` not in ``after`` (where they were) and of
    ``after`` not in ``before`` (where they are now), compared by course, day, pair and room."""

    def key(lesson: Lesson) -> tuple[str, int, int, str]:
        return (lesson.course, lesson.day, lesson.pair, lesson.room)

    def minus(a: Week, b: Week) -> list[Lesson]:
        left: dict[tuple[str, int, int, str], int] = defaultdict(int)
        for lesson in b.lessons:
            left[key(lesson)] += 1
        out = []
        for lesson in a.lessons:
            if left[key(lesson)]:
                left[key(lesson)] -= 1
            else:
                out.append(lesson)
        return out

    return minus(before, after), minus(after, before)


# --- exam sessions ------------------------------------------------------------------------------


class Sitting(BaseModel):
    """One exam in its period and room. ``day`` is the session day (from 0), ``slot`` the period's place in
    its day (from 0)."""

    model_config = ConfigDict(frozen=True)

    exam: str
    title: str
    period: int
    day: int
    slot: int
    date: dt.date | None
    start: dt.time | None
    minutes: int
    room: str | None
    room_name: str
    examiner: str | None
    examiner_name: str
    groups: tuple[str, ...] = ()
    students: int = 0
    problems: tuple[str, ...] = ()

    @property
    def conflicted(self) -> bool:
        return bool(self.problems)


class Session(BaseModel):
    """An exam session's sittings on ``days`` (their dates, ``None`` for undated periods) x ``slots``."""

    model_config = ConfigDict(frozen=True)

    dates: tuple[dt.date | None, ...]
    slots: int
    starts: tuple[dt.time | None, ...] = ()
    """The start time of each slot of a day, where the periods give one (the first found)."""
    periods: tuple[tuple[int, int], ...] = ()
    """``(day, slot)`` of each period of the instance, by period index."""
    sittings: tuple[Sitting, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def days(self) -> int:
        return len(self.dates)

    def where(self, keep: Callable[[Sitting], bool]) -> Session:
        return self.model_copy(update={"sittings": tuple(s for s in self.sittings if keep(s))})

    def of_group(self, group: str) -> Session:
        return self.where(lambda s: group in s.groups)

    def of_teacher(self, teacher: str) -> Session:
        return self.where(lambda s: s.examiner == teacher)

    def of_room(self, room: str) -> Session:
        return self.where(lambda s: s.room == room)

    def grid(self) -> list[list[list[Sitting]]]:
        """``grid[day][slot]``: the exams of that period."""
        cells: list[list[list[Sitting]]] = [[[] for _ in range(self.slots)] for _ in range(self.days)]
        for sitting in self.sittings:
            cells[sitting.day][sitting.slot].append(sitting)
        return cells

    @property
    def conflicts(self) -> int:
        return sum(s.conflicted for s in self.sittings)

    def groups(self) -> list[str]:
        return sorted({g for s in self.sittings for g in s.groups})

    def teachers(self) -> dict[str, str]:
        """examiner id -> name, by name."""
        found = {(s.examiner, s.examiner_name) for s in self.sittings if s.examiner}
        return dict(sorted(found, key=lambda t: (t[1], t[0])))

    def rooms(self) -> dict[str, str]:
        """room id -> name, by name."""
        found = {(s.room, s.room_name) for s in self.sittings if s.room}
        return dict(sorted(found, key=lambda t: (t[1], t[0])))


_EXAM_NAMES = (re.compile(r"^Exams (\S+) and (\S+) "), re.compile(r"^(?:Exclusive )?[Ee]xam (\S+) "))
_EXAM_ROOM = re.compile(r"^Room (\S+) holds \d+ students at period (\d+)\b")


def exam_session(
    instance: ExamInstance,
    timetable: ExamTimetable,
    labels: Labels | None = None,
    report: ScoreReport | None = None,
) -> Session:
    """The session of ``timetable`` with the hard violations of ``report`` attached to the exams they name
    (``Exams a and b``, ``Exam e``, or every exam of ``Room r holds n students at period t``)."""
    labels = labels or Labels()
    day_of = instance.period_day
    slot_of: list[int] = []
    for p in instance.periods:
        same_day = p.index and day_of[p.index - 1] == day_of[p.index]
        slot_of.append(slot_of[-1] + 1 if same_day else 0)
    slots = max(slot_of, default=-1) + 1
    dates: list[dt.date | None] = [None] * instance.days
    starts: list[dt.time | None] = [None] * slots
    for p in instance.periods:
        dates[day_of[p.index]] = p.date
        starts[slot_of[p.index]] = starts[slot_of[p.index]] or p.start
    marks: dict[str, list[str]] = defaultdict(list)
    general: list[str] = []
    for line in report.details if report else ():
        if not line.startswith("[H] "):
            continue
        text = line[4:]
        named: list[str] = []
        if room := _EXAM_ROOM.search(text):
            where = (room.group(1), int(room.group(2)))
            named = [e for e in timetable if (timetable[e].room, timetable[e].period) == where]
        else:
            for pattern in _EXAM_NAMES:
                if match := pattern.search(text):
                    named = [e for e in match.groups() if e in timetable.placements]
                    break
        if not named:
            general.append(text)
        for exam in dict.fromkeys(named):
            marks[exam].append(text)
    sittings = []
    for exam_id in timetable:
        exam = instance.exam_by_id.get(exam_id)
        placement = timetable[exam_id]
        if exam is None or placement.period >= len(instance.periods):
            continue
        period = instance.periods[placement.period]
        groups = labels.groups.get(exam_id, ()) if labels.groups is not None else ((exam.group,) if exam.group else ())
        room = placement.room
        sittings.append(
            Sitting(
                exam=exam_id,
                title=labels.titles.get(exam_id, exam_id),
                period=placement.period,
                day=day_of[placement.period],
                slot=slot_of[placement.period],
                date=period.date,
                start=period.start,
                minutes=exam.duration or (period.duration or 0),
                room=room,
                room_name=labels.rooms.get(room, room) if room else "",
                examiner=exam.examiner,
                examiner_name=labels.teachers.get(exam.examiner, exam.examiner) if exam.examiner else "",
                groups=tuple(groups),
                students=exam.size,
                problems=tuple(marks.get(exam_id, ())),
            )
        )
    sittings.sort(key=lambda s: (s.period, s.title, s.exam))
    return Session(dates=tuple(dates), slots=slots, starts=tuple(starts), sittings=tuple(sittings),
                   periods=tuple(zip(day_of, slot_of, strict=True)), problems=tuple(general))  # fmt: skip
