"""ITC2007 track 3 (curriculum-based course timetabling) files: ``.ctt``, ``.ectt`` and solutions.

``.ctt``: seven header lines (``Name:``, ``Courses:``, ``Rooms:``, ``Days:``, ``Periods_per_day:``,
``Curricula:``, ``Constraints:``), then sections ``COURSES:`` (``course teacher lectures
min_working_days students``), ``ROOMS:`` (``room capacity``), ``CURRICULA:`` (``curriculum n
course...``), ``UNAVAILABILITY_CONSTRAINTS:`` (``course day period``) and ``END.``.

``.ectt`` (Udine extended format) adds ``Min_Max_Daily_Lectures: min max``,
``UnavailabilityConstraints: n`` and ``RoomConstraints: n`` to the header, a double-lectures flag
to each course, a building to each room, and a ``ROOM_CONSTRAINTS:`` section of unsuitable
``course room`` pairs. Which weights apply is not in the file: pass a formulation (UD1-UD5).

A solution has one line per lecture: ``course room day period``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from datasets.text_lines import FormatError, Lines
from models.course_instance import (
    Course,
    CourseInstance,
    Curriculum,
    InstanceError,
    Room,
    Rules,
    Teacher,
    formulation,
)
from models.course_timetable import CourseTimetable, Placement


def read_ctt(path: str | Path, rules: Rules | None = None) -> CourseInstance:
    """Read an ITC2007 ``.ctt`` instance (UD2 weights unless ``rules`` is given)."""
    return _read(path, extended=False, rules=rules or Rules())


def read_ectt(path: str | Path, formulation_name: str = "UD2") -> CourseInstance:
    """Read a Udine ``.ectt`` instance under formulation ``UD1``..``UD5``."""
    return _read(path, extended=True, formulation_name=formulation_name)


def read_instance(path: str | Path, formulation_name: str = "UD2") -> CourseInstance:
    """Read ``.ctt`` or ``.ectt`` by extension."""
    if str(path).endswith(".ectt"):
        return read_ectt(path, formulation_name)
    if formulation_name.upper() != "UD2":
        return read_ctt(path, formulation(formulation_name))
    return read_ctt(path)


def _read(
    path: str | Path, *, extended: bool, rules: Rules | None = None, formulation_name: str = "UD2"
) -> CourseInstance:
    f = Lines(path)
    (name,) = f.header("Name")
    n_courses = f.header_int("Courses")
    n_rooms = f.header_int("Rooms")
    days = f.header_int("Days")
    ppd = f.header_int("Periods_per_day")
    n_curricula = f.header_int("Curricula")
    n_room_constraints = 0
    if extended:
        low, high = f.header("Min_Max_Daily_Lectures", 2)
        line = f.rows[f.pos - 1][0]
        min_daily = f.integer(low, "the minimum daily lectures", line)
        max_daily = f.integer(high, "the maximum daily lectures", line)
        n_unavailable = f.header_int("UnavailabilityConstraints")
        n_room_constraints = f.header_int("RoomConstraints")
        try:
            rules = formulation(formulation_name, min_daily, max_daily)
        except InstanceError as err:
            raise FormatError(path, None, str(err)) from None
    else:
        n_unavailable = f.header_int("Constraints")
    assert rules is not None

    f.section("COURSES:")
    raw_courses: list[tuple[int, list[str]]] = list(
        f.records(
            n_courses,
            6 if extended else 5,
            "a course: name teacher lectures min_days students" + (" double_lectures" if extended else ""),
        )
    )
    course_ids = {tokens[0] for _, tokens in raw_courses}
    f.section("ROOMS:")
    rooms = []
    for n, tokens in f.records(
        n_rooms, 3 if extended else 2, "a room: name capacity" + (" building" if extended else "")
    ):
        rooms.append(
            Room(
                id=tokens[0],
                capacity=f.integer(tokens[1], f"the capacity of room {tokens[0]}", n),
                building=tokens[2] if extended else "main",
            )
        )
    f.section("CURRICULA:")
    curricula = []
    for n, tokens in f.records(n_curricula, None, "a curriculum: name count courses..."):
        if len(tokens) < 2:
            raise f.error(f"expected a curriculum: name count courses..., found {' '.join(tokens)!r}", n)
        count = f.integer(tokens[1], f"the course count of curriculum {tokens[0]}", n)
        if len(tokens) != count + 2:
            raise f.error(f"curriculum {tokens[0]} announces {count} courses but lists {len(tokens) - 2}", n)
        for course_id in tokens[2:]:
            if course_id not in course_ids:
                raise f.error(f"curriculum {tokens[0]} lists unknown course {course_id!r}", n)
        curricula.append((n, tokens[0], tuple(tokens[2:])))

    f.section("UNAVAILABILITY_CONSTRAINTS:")
    unavailable: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for n, tokens in f.records(n_unavailable, 3, "an unavailability: course day period"):
        day = f.integer(tokens[1], "the day", n)
        period = f.integer(tokens[2], "the period", n)
        if tokens[0] not in course_ids:
            raise f.error(f"unavailability of unknown course {tokens[0]!r}", n)
        if day >= days or period >= ppd:
            raise f.error(f"period ({day}, {period}) is outside the {days} x {ppd} week", n)
        unavailable[tokens[0]].add((day, period))
    unsuitable: dict[str, set[str]] = defaultdict(set)
    if extended:
        f.section("ROOM_CONSTRAINTS:")
        room_ids = {room.id for room in rooms}
        for n, tokens in f.records(n_room_constraints, 2, "a room constraint: course room"):
            if tokens[0] not in course_ids:
                raise f.error(f"room constraint of unknown course {tokens[0]!r}", n)
            if tokens[1] not in room_ids:
                raise f.error(f"room constraint of course {tokens[0]} names unknown room {tokens[1]!r}", n)
            unsuitable[tokens[0]].add(tokens[1])
    f.section("END.")

    courses = []
    for n, tokens in raw_courses:
        cid = tokens[0]
        lectures = f.integer(tokens[2], f"the lectures of course {cid}", n)
        min_days = f.integer(tokens[3], f"the minimum working days of course {cid}", n)
        students = f.integer(tokens[4], f"the students of course {cid}", n)
        double = extended and f.integer(tokens[5], f"the double-lectures flag of course {cid}", n) > 0
        courses.append(
            Course(
                id=cid,
                teacher=tokens[1],
                lectures=lectures,
                min_working_days=min_days,
                students=students,
                unavailable=frozenset(unavailable.get(cid, ())),
                unsuitable_rooms=frozenset(unsuitable.get(cid, ())),
                double_lectures=double,
            )
        )
    teachers = [Teacher(id=t) for t in dict.fromkeys(c.teacher for c in courses)]
    try:
        return CourseInstance(
            name=name,
            days=days,
            periods_per_day=ppd,
            rooms=tuple(rooms),
            teachers=tuple(teachers),
            courses=tuple(courses),
            curricula=tuple(Curriculum(id=q, courses=cs) for _, q, cs in curricula),
            rules=rules,
        )
    except InstanceError as err:
        raise FormatError(path, None, str(err)) from None


def write_ctt(instance: CourseInstance, path: str | Path, extended: bool = False) -> None:
    """Write ``instance`` as ``.ctt`` (or ``.ectt`` with ``extended``). Course-level data only:
    teacher unavailability is folded into each course's unavailable periods."""
    unavailable = []
    for c in instance.courses:
        blocked = c.unavailable | instance.teacher_by_id[c.teacher].unavailable
        unavailable += [f"{c.id} {d} {p}" for d, p in sorted(blocked)]
    room_constraints = [f"{c.id} {r}" for c in instance.courses for r in sorted(c.unsuitable_rooms)]
    lines = [
        f"Name: {instance.name}",
        f"Courses: {len(instance.courses)}",
        f"Rooms: {len(instance.rooms)}",
        f"Days: {instance.days}",
        f"Periods_per_day: {instance.periods_per_day}",
        f"Curricula: {len(instance.curricula)}",
    ]
    if extended:
        low, high = instance.rules.min_daily_lectures, instance.rules.max_daily_lectures
        lines += [
            f"Min_Max_Daily_Lectures: {low} {instance.periods_per_day if high is None else high}",
            f"UnavailabilityConstraints: {len(unavailable)}",
            f"RoomConstraints: {len(room_constraints)}",
        ]
    else:
        lines.append(f"Constraints: {len(unavailable)}")
    lines += ["", "COURSES:"]
    for c in instance.courses:
        row = f"{c.id} {c.teacher} {c.lectures} {c.min_working_days} {c.students}"
        lines.append(row + (f" {int(c.double_lectures)}" if extended else ""))
    lines += ["", "ROOMS:"]
    lines += [f"{r.id}\t{r.capacity}" + (f"\t{r.building}" if extended else "") for r in instance.rooms]
    lines += ["", "CURRICULA:"]
    lines += [f"{q.id}  {len(q.courses)}  {' '.join(q.courses)}" for q in instance.curricula]
    lines += ["", "UNAVAILABILITY_CONSTRAINTS:", *unavailable]
    if extended:
        lines += ["", "ROOM_CONSTRAINTS:", *room_constraints]
    lines += ["", "END.", ""]
    _write_text(path, "\n".join(lines))


def read_solution(path: str | Path, instance: CourseInstance | None = None) -> CourseTimetable:
    """Read ``course room day period`` lines; with ``instance``, unknown ids are errors."""
    f = Lines(path)
    placements = []
    for n, tokens in f.rows:
        if len(tokens) != 4:
            raise f.error(f"expected 'course room day period', found {' '.join(tokens)!r}", n)
        course, room = tokens[0], tokens[1]
        day, period = f.integer(tokens[2], "the day", n), f.integer(tokens[3], "the period", n)
        if instance is not None:
            if course not in instance.course_by_id:
                raise f.error(f"unknown course {course!r}", n)
            if room not in instance.room_by_id:
                raise f.error(f"unknown room {room!r}", n)
            if day >= instance.days:
                raise f.error(f"day {day} is outside 0..{instance.days - 1}", n)
            if period >= instance.periods_per_day:
                raise f.error(f"period {period} is outside 0..{instance.periods_per_day - 1}", n)
        placements.append(Placement(course=course, room=room, day=day, period=period))
    return CourseTimetable(placements=tuple(placements))


def solution_text(timetable: CourseTimetable) -> str:
    """The timetable as ``course room day period`` lines, sorted by course, day and period."""
    rows = sorted(timetable, key=lambda p: (p.course, p.day, p.period))
    return "".join(f"{p.course} {p.room} {p.day} {p.period}\n" for p in rows)


def write_solution(timetable: CourseTimetable, path: str | Path) -> None:
    """Write :func:`solution_text` atomically."""
    _write_text(path, solution_text(timetable))


def _write_text(path: str | Path, text: str) -> None:
    """Write atomically: a reader never sees a half-written file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
