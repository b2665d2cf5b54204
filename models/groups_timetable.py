"""From sections to a course timetabling instance, and the student conflicts of a timetable.

:func:`timetable_instance` turns a :class:`~models.groups.Grouping` into a
:class:`~models.course_instance.CourseInstance`, so that a registrar goes from enrollment results to
a draft timetable (``registrar timetable solve``):

- a course per section: id = section id, weekly lectures = the kind's ``lessons``, students = the
  section's size, kind, room type = the kind's ``room_type``, minimum working days = min(lessons,
  2, days);
- a teacher per course: from ``teachers`` (section id -> teacher id) where given; otherwise the
  sections of each discipline and kind are packed in order onto placeholder teachers
  ``<discipline>.<L|P|B>-T<n>`` of at most ``teacher_load`` weekly lessons (the department assigns
  real teachers later; a placeholder keeps a teacher's sections apart in time);
- curricula (courses that must not overlap because students attend both):

  * ``"students"`` (exact): one curriculum per distinct combination of sections of a student, so
    a timetable without curriculum conflicts has no student conflict at all;
  * ``"groups"`` (the office's traditional way): one curriculum per academic group holding, per
    discipline and kind, the section with most of the group's students (ties: the first id);
    students outside their group's sections may then have conflicts. Students without a group get
    their own combinations' curricula.

:func:`student_conflicts` counts, for every student, the lessons they have in a period beyond the
first (a student with three lessons at once has two conflicts), from the sections and the timetable
alone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Literal

from models.course_instance import Course, CourseInstance, Curriculum, Room, Rules, Teacher
from models.course_timetable import CourseTimetable
from models.enrollment import EnrollmentInstance
from models.groups import Grouping

CurriculaMode = Literal["students", "groups"]
KIND_LETTER = {"lecture": "L", "practice": "P", "lab": "B"}


def timetable_instance(
    instance: EnrollmentInstance,
    grouping: Grouping,
    rooms: tuple[Room, ...],
    *,
    days: int = 6,
    periods_per_day: int = 6,
    rules: Rules | None = None,
    teachers: Mapping[str, str] | None = None,
    teacher_load: int = 16,
    curricula: CurriculaMode = "students",
    name: str | None = None,
) -> CourseInstance:
    """The course timetabling instance of ``grouping`` (see the module docstring).

    Raises :class:`~models.course_instance.InstanceError` (e.g. no room of a required type) or
    :class:`ValueError` for a section of an unknown discipline or kind, or a bad mode or load.
    """
    if teacher_load < 1:
        raise ValueError(f"teacher load must be at least 1 lesson a week, got {teacher_load}")
    if curricula not in ("students", "groups"):
        raise ValueError(f"unknown curricula mode {curricula!r}: expected students or groups")
    disciplines = instance.discipline_by_id
    courses: list[Course] = []
    assigned = dict(teachers or {})
    load: dict[str, int] = defaultdict(int)
    packed: dict[tuple[str, str], int] = defaultdict(int)
    for section in grouping.sections:
        discipline = disciplines.get(section.discipline)
        if discipline is None or section.kind not in discipline.rules.kinds:
            raise ValueError(f"section {section.id}: no {section.kind} lessons of discipline {section.discipline!r}")
        rule = discipline.rules.rule(section.kind)
        teacher = assigned.get(section.id)
        if teacher is None:
            key = (section.discipline, KIND_LETTER[section.kind.value])
            teacher = f"{key[0]}.{key[1]}-T{packed[key]}"
            if packed[key] == 0 or load[teacher] + rule.lessons > teacher_load:  # a new placeholder
                packed[key] += 1
                teacher = f"{key[0]}.{key[1]}-T{packed[key]}"
        load[teacher] += rule.lessons
        courses.append(
            Course(
                id=section.id,
                teacher=teacher,
                lectures=rule.lessons,
                min_working_days=min(rule.lessons, 2, days),
                students=len(section.students),
                kind=section.kind,
                room_type=rule.room_type,
            )
        )
    return CourseInstance(
        name=name or f"{instance.name}-timetable",
        days=days,
        periods_per_day=periods_per_day,
        rooms=rooms,
        teachers=tuple(Teacher(id=t) for t in load),
        courses=tuple(courses),
        curricula=_curricula(instance, grouping, curricula),
        rules=rules or Rules(),
    )


def _curricula(instance: EnrollmentInstance, grouping: Grouping, mode: CurriculaMode) -> tuple[Curriculum, ...]:
    combination = grouping.student_sections()
    out: list[Curriculum] = []
    seen: set[tuple[str, ...]] = set()
    if mode == "groups":
        held: dict[str, dict[tuple[str, str], Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
        group_of = {s.id: s.group for s in instance.students}
        for section in grouping.sections:
            for sid in section.students:
                group = group_of.get(sid)
                if group is not None:
                    held[group][section.discipline, section.kind.value][section.id] += 1
        for group in sorted(held):
            chosen = sorted(min(c, key=lambda s: (-c[s], s)) for c in held[group].values())
            out.append(Curriculum(id=group, courses=tuple(chosen)))
        students = [s.id for s in instance.students if s.group is None]
    else:
        students = [s.id for s in instance.students]
    for sid in students:
        courses = combination.get(sid, ())
        if courses and courses not in seen:
            seen.add(courses)
            out.append(Curriculum(id=f"C{len(seen):05d}", courses=courses))
    return tuple(out)


def student_conflicts(grouping: Grouping, timetable: CourseTimetable) -> int:
    """Lessons students have in a period beyond their first there, summed over students and periods."""
    periods: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for placement in timetable:
        periods[placement.course].append((placement.day, placement.period))
    total = 0
    for sections in grouping.student_sections().values():
        busy = Counter(slot for section in sections for slot in periods.get(section, ()))
        total += sum(n - 1 for n in busy.values() if n > 1)
    return total
