"""From the records of an academic period to the solver instances (:mod:`models`) and their legends.

A *legend* is the JSON dict kept next to an instance (on the job and on every version) that names the
instance's ids in the records' terms, so pages and exports never need the solver's ids.

Lesson timetable (:func:`lesson_instance`), rules:

- the week is 6 days (Monday to Saturday) x 6 pairs (:data:`DAYS`, :data:`PAIRS`);
- every section of the period gives a PRACTICE course ``<code>-P-<group>``: its teacher, students =
  the enrolments placed in the section (the group's students when none is placed yet), ``2`` lessons a
  week for a discipline of 5 or more credits, else ``1`` (:func:`practice_lessons`), in a classroom or
  a lab (:data:`PRACTICE_ROOM_TYPES`; the other rooms, lecture halls and gyms, are unsuitable for it), or
  in any room when the university has neither;
- the sections of one discipline code whose academic groups share a lecture stream give one LECTURE
  course ``<code>-L-<stream>`` (a group in no stream: ``<code>-L-<group>``): 1 lesson a week, the
  teacher of its first section (by id), students = the sum of its sections', room type
  ``lecture_hall`` when the university has such rooms;
- a section without a teacher gets a placeholder teacher ``unassigned-<section id>`` (keeps nothing
  apart but its own lessons); the department assigns one later;
- curricula: one per academic group (its lectures and practices), plus one per distinct set of courses
  of a student that is not already within their group's (a student in another group's section);
- rules: ITC2007 (UD2) weights plus windows and daily load as in the synthetic university
  (:func:`datasets.synthetic_university.registrar_rules`).

Exam session (:func:`exam_instance`), rules:

- every section of the period whose discipline's control is ``exam`` and that has students gives
  an exam ``<code>-<group>`` of :data:`EXAM_MINUTES` minutes, examiner = its teacher, students = the
  enrolments placed in it (ids ``s<student id>``), group = its academic group;
- periods: two sittings (:data:`SITTINGS`) of every Monday-to-Saturday day of the period's session
  weeks (``session_first_week`` .. ``session_last_week``, week 1 starting at ``starts_on``);
- rooms: every room with its seats; weightings: two in a row 20, two in a day 10; a group's exams
  should have a free day between them (soft, 5 per missing day).

Group formation (:func:`enrollment_instance`), rules: the students with a submitted or confirmed
registration form for the period and the disciplines on it (by discipline code), each student's
programme code, year of study (from the admission year and the period's academic year, 1-7), language
and academic group; a lecture stream of at most :data:`LECTURE_SEATS` students (the largest lecture
hall when the university has one) and practice groups of at most :data:`PRACTICE_SEATS` (the largest
classroom), neither mixing languages, with :func:`practice_lessons` practices a week. The result feeds
:func:`solver.groups.form.form_sections`.

Problems of the records (no sections, no rooms, no session days, an instance the models refuse)
raise :class:`RecordsProblem` naming the problem; the API answers it with 422.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from datasets.synthetic_university import registrar_rules
from models.course_instance import Course, CourseInstance, Curriculum, InstanceError, LessonKind, Room, Rule, Teacher
from models.enrollment import EnrollmentError, EnrollmentInstance, RuleBook, SectionRule, build_instance
from models.enrollment import Student as EnrollmentStudent
from models.exam_instance import Exam, ExamInstance, ExamRoom, ExamRules, Period, Weightings
from service.models import (
    AcademicGroup,
    Enrolment,
    PlanDiscipline,
    Programme,
    Registration,
    Section,
    Stream,
    Student,
)
from service.models import Period as AcademicPeriod
from service.models import Room as RoomRecord
from service.models import Teacher as TeacherRecord

KINDS = ("lessons", "exams")
"""Kinds of timetable: the weekly lessons and the exam session of a period."""
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
PAIRS = ("08:30", "10:10", "11:50", "14:00", "15:40", "17:20")
"""Start of each pair (a 80-minute lesson) of the day."""
LECTURE_HALL = "lecture_hall"
PRACTICE_ROOM_TYPES = frozenset({"classroom", "lab"})
"""Room types a practice is held in (when the university has any such room)."""
EXAM_MINUTES = 120
SITTINGS = (dt.time(9, 0), dt.time(14, 0))
SITTING_MINUTES = 180
LECTURE_SEATS, PRACTICE_SEATS = 150, 30
"""Section sizes of group formation when the university has no lecture hall / classroom."""


class RecordsProblem(Exception):
    """The records of the period cannot make an instance; the message names the problem."""


@dataclass(frozen=True)
class Built:
    """An instance (as a model object) and its legend."""

    instance: CourseInstance | ExamInstance
    legend: dict[str, Any]

    def instance_json(self) -> dict[str, Any]:
        return self.instance.model_dump(mode="json")


def practice_lessons(credits: int) -> int:
    """Weekly practice lessons of a discipline: 2 from 5 credits up, else 1."""
    return 2 if credits >= 5 else 1


def build(db: Session, period_id: int, kind: str) -> Built:
    """The instance of ``kind`` (``lessons`` or ``exams``) for the period; :class:`RecordsProblem` if impossible."""
    if kind == "lessons":
        return lesson_instance(db, period_id)
    if kind == "exams":
        return exam_instance(db, period_id)
    raise RecordsProblem(f"unknown kind of timetable {kind!r}: expected one of {', '.join(KINDS)}")


def _period(db: Session, period_id: int) -> AcademicPeriod:
    period = db.get(AcademicPeriod, period_id)
    if period is None:
        raise RecordsProblem(f"there is no period {period_id}")
    return period


def _period_legend(period: AcademicPeriod) -> dict[str, Any]:
    return {
        "id": period.id,
        "kind": period.kind,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
    }


@dataclass
class _Records:
    """The period's sections with what the instances need about them."""

    sections: list[Section]
    groups: dict[int, AcademicGroup]
    teachers: dict[int, TeacherRecord]
    students: dict[int, list[int]]
    """Section id -> ids of the students placed in it."""
    rooms: list[RoomRecord]


def _records(db: Session, period: AcademicPeriod) -> _Records:
    sections = list(db.scalars(select(Section).where(Section.period_id == period.id).order_by(Section.id)))
    if not sections:
        raise RecordsProblem(f"period {period.id} ({period.kind} {period.starts_on.year}) has no sections")
    rooms = list(db.scalars(select(RoomRecord).order_by(RoomRecord.code)))
    if not rooms:
        raise RecordsProblem("there are no rooms: add rooms before building a timetable")
    groups = {
        g.id: g for g in db.scalars(select(AcademicGroup).where(AcademicGroup.id.in_({s.group_id for s in sections})))
    }
    teacher_ids = {s.teacher_id for s in sections if s.teacher_id is not None}
    teachers = {t.id: t for t in db.scalars(select(TeacherRecord).where(TeacherRecord.id.in_(teacher_ids)))}
    students: dict[int, list[int]] = defaultdict(list)
    rows = db.execute(
        select(Enrolment.section_id, Enrolment.student_id)
        .where(Enrolment.period_id == period.id, Enrolment.section_id.is_not(None))
        .order_by(Enrolment.student_id)
    )
    for section_id, student_id in rows:
        students[section_id].append(student_id)
    return _Records(sections, groups, teachers, students, rooms)


def _group_sizes(db: Session, group_ids: set[int]) -> dict[int, int]:
    rows = db.execute(
        select(Student.group_id, func.count()).where(Student.group_id.in_(group_ids)).group_by(Student.group_id)
    )
    return {group_id: n for group_id, n in rows}


def _teacher_label(teacher: TeacherRecord | None) -> str | None:
    if teacher is None:
        return None
    return f"{teacher.last_name} {teacher.first_name[:1]}."


def lesson_instance(db: Session, period_id: int) -> Built:
    """The weekly lesson timetabling instance of the period (rules in the module docstring)."""
    period = _period(db, period_id)
    rec = _records(db, period)
    sizes = _group_sizes(db, set(rec.groups))
    stream_of: dict[int, Stream] = {}
    for stream in db.scalars(select(Stream).order_by(Stream.code)):
        for group in stream.groups:
            stream_of.setdefault(group.id, stream)
    room_types = {r.type for r in rec.rooms}
    practice_rooms = [r.code for r in rec.rooms if r.type in PRACTICE_ROOM_TYPES]
    not_for_practice = (
        frozenset(r.code for r in rec.rooms if r.type not in PRACTICE_ROOM_TYPES) if practice_rooms else frozenset()
    )

    def size(section: Section) -> int:
        placed = rec.students.get(section.id)
        return len(placed) if placed else sizes.get(section.group_id, 0)

    def teacher_code(section: Section) -> str:
        teacher = rec.teachers.get(section.teacher_id) if section.teacher_id is not None else None
        return teacher.code if teacher is not None else f"unassigned-{section.id}"

    courses: list[Course] = []
    legend_courses: dict[str, dict[str, Any]] = {}
    group_courses: dict[int, list[str]] = defaultdict(list)
    course_of_section: dict[int, list[str]] = defaultdict(list)
    lectures: dict[tuple[str, str], list[Section]] = defaultdict(list)
    for section in rec.sections:
        group = rec.groups[section.group_id]
        audience = stream_of[group.id].code if group.id in stream_of else group.code
        lectures[section.code, audience].append(section)
    for (code, audience), sections in lectures.items():
        course_id = f"{code}-L-{audience}"
        first = next((s for s in sections if s.teacher_id is not None), sections[0])
        courses.append(
            Course(
                id=course_id,
                teacher=teacher_code(first),
                lectures=1,
                min_working_days=1,
                students=sum(size(s) for s in sections),
                kind=LessonKind.LECTURE,
                room_type=LECTURE_HALL if LECTURE_HALL in room_types else None,
            )
        )
        legend_courses[course_id] = _course_legend(rec, first, "lecture", sections)
        for s in sections:
            group_courses[s.group_id].append(course_id)
            course_of_section[s.id].append(course_id)
    for section in rec.sections:
        group = rec.groups[section.group_id]
        course_id = f"{section.code}-P-{group.code}"
        lessons = practice_lessons(section.credits)
        courses.append(
            Course(
                id=course_id,
                teacher=teacher_code(section),
                lectures=lessons,
                min_working_days=min(lessons, 2),
                students=size(section),
                kind=LessonKind.PRACTICE,
                unsuitable_rooms=not_for_practice,
            )
        )
        legend_courses[course_id] = _course_legend(rec, section, "practice", [section])
        group_courses[section.group_id].append(course_id)
        course_of_section[section.id].append(course_id)

    curricula = [
        Curriculum(id=rec.groups[g].code, courses=tuple(sorted(set(c))))
        for g, c in sorted(group_courses.items(), key=lambda item: rec.groups[item[0]].code)
    ]
    per_student: dict[int, set[str]] = defaultdict(set)
    for section_id, students in rec.students.items():
        for student in students:
            per_student[student].update(course_of_section.get(section_id, ()))
    covered = [set(q.courses) for q in curricula]
    seen: set[tuple[str, ...]] = set()
    for student in sorted(per_student):
        combination = tuple(sorted(per_student[student]))
        if combination in seen or any(set(combination) <= c for c in covered):
            continue
        seen.add(combination)
        curricula.append(Curriculum(id=f"S{len(seen):04d}", courses=combination))

    teacher_ids = sorted({c.teacher for c in courses})
    try:
        instance = CourseInstance(
            name=f"lessons-{period.kind}-{period.starts_on.year}",
            days=len(DAYS),
            periods_per_day=len(PAIRS),
            rooms=tuple(Room(id=r.code, capacity=r.capacity, type=r.type, building=r.building) for r in rec.rooms),
            teachers=tuple(Teacher(id=t) for t in teacher_ids),
            courses=tuple(courses),
            curricula=tuple(curricula),
            rules=registrar_rules(),
        )
    except InstanceError as err:
        raise RecordsProblem(f"the records do not make a lesson timetable: {err}") from None
    legend = {
        "kind": "lessons",
        "period": _period_legend(period),
        "days": list(DAYS),
        "pairs": list(PAIRS),
        "courses": legend_courses,
        "rooms": {
            r.code: {"id": r.id, "building": r.building, "capacity": r.capacity, "type": r.type} for r in rec.rooms
        },
        "teachers": {t.code: {"id": t.id, "name": _teacher_label(t)} for t in rec.teachers.values()},
    }
    return Built(instance, legend)


def _course_legend(rec: _Records, section: Section, kind: str, sections: list[Section]) -> dict[str, Any]:
    teacher = rec.teachers.get(section.teacher_id) if section.teacher_id is not None else None
    return {
        "kind": kind,
        "discipline": section.code,
        "name": section.name_en,
        "sections": [s.id for s in sections],
        "groups": sorted(rec.groups[s.group_id].code for s in sections),
        "teacher": teacher.code if teacher else None,
        "teacher_name": _teacher_label(teacher),
    }


def session_days(period: AcademicPeriod) -> list[dt.date]:
    """Monday-to-Saturday days of the period's session weeks (week 1 starts on ``starts_on``)."""
    first = period.starts_on + dt.timedelta(weeks=period.session_first_week - 1)
    last = period.starts_on + dt.timedelta(weeks=period.session_last_week) - dt.timedelta(days=1)
    days = []
    day = first
    while day <= last:
        if day.weekday() < 6:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def exam_instance(db: Session, period_id: int) -> Built:
    """The exam session instance of the period (rules in the module docstring)."""
    period = _period(db, period_id)
    rec = _records(db, period)
    days = session_days(period)
    if not days:
        raise RecordsProblem(
            f"period {period.id} has no session days (weeks {period.session_first_week}-{period.session_last_week})"
        )
    exams: list[Exam] = []
    legend_exams: dict[str, dict[str, Any]] = {}
    for section in rec.sections:
        students = rec.students.get(section.id)
        if section.control != "exam" or not students:
            continue
        group = rec.groups[section.group_id]
        teacher = rec.teachers.get(section.teacher_id) if section.teacher_id is not None else None
        exam_id = f"{section.code}-{group.code}"
        exams.append(
            Exam(
                id=exam_id,
                duration=EXAM_MINUTES,
                students=frozenset(f"s{s}" for s in students),
                examiner=teacher.code if teacher else None,
                group=group.code,
            )
        )
        legend_exams[exam_id] = {
            "section": section.id,
            "discipline": section.code,
            "name": section.name_en,
            "groups": [group.code],
            "teacher": teacher.code if teacher else None,
            "teacher_name": _teacher_label(teacher),
            "students": len(students),
        }
    if not exams:
        raise RecordsProblem(f"period {period.id} has no section with an exam and students placed in it")
    periods = [
        Period(index=n, date=day, start=start, duration=SITTING_MINUTES)
        for n, (day, start) in enumerate((d, s) for d in days for s in SITTINGS)
    ]
    try:
        instance = ExamInstance(
            name=f"exams-{period.kind}-{period.starts_on.year}",
            kind="itc2007",
            exams=tuple(exams),
            periods=tuple(periods),
            rooms=tuple(ExamRoom(id=r.code, capacity=r.capacity) for r in rec.rooms),
            weightings=Weightings(two_in_a_row=20, two_in_a_day=10),
            rules=ExamRules(group_free_days=Rule(weight=5), min_free_days=1),
        )
    except InstanceError as err:
        raise RecordsProblem(f"the records do not make an exam session: {err}") from None
    legend = {
        "kind": "exams",
        "period": _period_legend(period),
        "exams": legend_exams,
        "periods": [
            {
                "index": p.index,
                "date": p.date.isoformat() if p.date else None,
                "start": p.start.strftime("%H:%M") if p.start else None,
            }
            for p in periods
        ],
        "rooms": {
            r.code: {"id": r.id, "building": r.building, "capacity": r.capacity, "type": r.type} for r in rec.rooms
        },
    }
    return Built(instance, legend)


def enrollment_instance(db: Session, period_id: int) -> EnrollmentInstance:
    """The group formation instance of the period's registrations (rules in the module docstring)."""
    period = _period(db, period_id)
    rows = db.execute(
        select(Student, PlanDiscipline.code, PlanDiscipline.credits, PlanDiscipline.name_en)
        .join(Enrolment, Enrolment.student_id == Student.id)
        .join(Registration, Registration.id == Enrolment.registration_id)
        .join(PlanDiscipline, PlanDiscipline.id == Enrolment.plan_discipline_id)
        .where(Registration.period_id == period.id, Registration.status.in_(("submitted", "confirmed")))
        .order_by(Student.id, PlanDiscipline.code)
    ).all()
    if not rows:
        raise RecordsProblem(f"period {period.id} has no submitted or confirmed registrations")
    programmes = {p.id: p.code for p in db.scalars(select(Programme))}
    groups = {g.id: g.code for g in db.scalars(select(AcademicGroup))}
    rooms = list(db.scalars(select(RoomRecord)))
    halls = [r.capacity for r in rooms if r.type == LECTURE_HALL]
    classrooms = [r.capacity for r in rooms if r.type == "classroom"]
    lecture_seats = max(halls) if halls else LECTURE_SEATS
    practice_seats = min(max(classrooms) if classrooms else PRACTICE_SEATS, lecture_seats)
    start_year = period.academic_year.start_year
    students: dict[int, EnrollmentStudent] = {}
    registrations: list[tuple[str, str]] = []
    credits: dict[str, int] = {}
    names: dict[str, str] = {}
    for student, code, discipline_credits, name in rows:
        if student.id not in students:
            students[student.id] = EnrollmentStudent(
                id=f"s{student.id}",
                programme=programmes[student.programme_id],
                year=min(7, max(1, start_year - student.admission_year + 1)),
                language=student.language,  # type: ignore[arg-type]
                group=groups.get(student.group_id) if student.group_id is not None else None,
            )
        registrations.append((f"s{student.id}", code))
        credits[code] = max(credits.get(code, 0), discipline_credits)
        names[code] = name
    rules = RuleBook(
        defaults={LessonKind.LECTURE: SectionRule(capacity=lecture_seats, room_type=LECTURE_HALL if halls else None)},
        disciplines={
            code: {
                LessonKind.PRACTICE: SectionRule(
                    capacity=practice_seats, lessons=practice_lessons(n), room_type="classroom" if classrooms else None
                )
            }
            for code, n in credits.items()
        },
    )
    try:
        return build_instance(
            list(students.values()), registrations, rules, names, name=f"groups-{period.kind}-{period.starts_on.year}"
        )
    except EnrollmentError as err:
        raise RecordsProblem(f"the registrations do not make a group formation instance: {err}") from None
