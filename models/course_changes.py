"""Changes to a course timetabling instance after a timetable was made (input to repair).

A change is written ``KIND:ARG[:ARG...]``; days and periods count from 0:

- ``forbid:COURSE:DAY[:PERIOD]``: the course may no longer meet on that day (or in that period);
- ``teacher-off:TEACHER:DAY[:PERIOD]``: the teacher is unavailable then;
- ``remove-room:ROOM``: the room is lost (its lectures must move);
- ``capacity:ROOM:SEATS``: the room's capacity changes;
- ``lectures:COURSE:N``: the course now has N weekly lectures.

:func:`apply_changes` returns a new, validated instance; a malformed or unknown change raises
:class:`~models.course_instance.InstanceError` naming it.
"""

from __future__ import annotations

from models.course_instance import CourseInstance, InstanceError, Slot

CHANGE_KINDS = ("forbid", "teacher-off", "remove-room", "capacity", "lectures")


def apply_changes(instance: CourseInstance, changes: list[str]) -> CourseInstance:
    for change in changes:
        instance = apply_change(instance, change)
    return instance


def apply_change(instance: CourseInstance, change: str) -> CourseInstance:
    kind, _, rest = change.partition(":")
    args = rest.split(":") if rest else []
    where = f"change {change!r}"
    if kind not in CHANGE_KINDS:
        raise InstanceError(f"{where}: unknown kind {kind!r}, expected one of {', '.join(CHANGE_KINDS)}")
    fields = {name: getattr(instance, name) for name in type(instance).model_fields}
    if kind in ("forbid", "teacher-off"):
        if len(args) not in (2, 3):
            raise InstanceError(f"{where}: expected {kind}:ID:DAY[:PERIOD]")
        slots = _slots(instance, args[1:], where)
        if kind == "forbid":
            course = _find(instance.course_by_id, args[0], "course", where)
            new = course.model_copy(update={"unavailable": course.unavailable | slots})
            fields["courses"] = tuple(new if c.id == course.id else c for c in instance.courses)
        else:
            teacher = _find(instance.teacher_by_id, args[0], "teacher", where)
            new = teacher.model_copy(update={"unavailable": teacher.unavailable | slots})
            fields["teachers"] = tuple(new if t.id == teacher.id else t for t in instance.teachers)
    elif kind == "remove-room":
        if len(args) != 1:
            raise InstanceError(f"{where}: expected remove-room:ROOM")
        room = _find(instance.room_by_id, args[0], "room", where)
        fields["rooms"] = tuple(r for r in instance.rooms if r.id != room.id)
        fields["courses"] = tuple(
            c.model_copy(update={"unsuitable_rooms": c.unsuitable_rooms - {room.id}}) for c in instance.courses
        )
    elif kind == "capacity":
        if len(args) != 2:
            raise InstanceError(f"{where}: expected capacity:ROOM:SEATS")
        room = _find(instance.room_by_id, args[0], "room", where)
        new_room = room.model_copy(update={"capacity": _count(args[1], "seats", where)})
        fields["rooms"] = tuple(new_room if r.id == room.id else r for r in instance.rooms)
    else:
        if len(args) != 2:
            raise InstanceError(f"{where}: expected lectures:COURSE:N")
        course = _find(instance.course_by_id, args[0], "course", where)
        new = course.model_copy(update={"lectures": _count(args[1], "lectures", where)})
        fields["courses"] = tuple(new if c.id == course.id else c for c in instance.courses)
    try:
        return CourseInstance(**fields)
    except InstanceError as err:
        raise InstanceError(f"{where}: {err}") from None


def _find(index: dict, key: str, what: str, where: str):
    if key not in index:
        raise InstanceError(f"{where}: unknown {what} {key!r}")
    return index[key]


def _count(text: str, what: str, where: str) -> int:
    if not text.isdigit():
        raise InstanceError(f"{where}: {what} must be a non-negative integer, got {text!r}")
    return int(text)


def _slots(instance: CourseInstance, args: list[str], where: str) -> frozenset[Slot]:
    day = _count(args[0], "the day", where)
    if day >= instance.days:
        raise InstanceError(f"{where}: day {day} is outside 0..{instance.days - 1}")
    if len(args) == 1:
        return frozenset((day, p) for p in range(instance.periods_per_day))
    period = _count(args[1], "the period", where)
    if period >= instance.periods_per_day:
        raise InstanceError(f"{where}: period {period} is outside 0..{instance.periods_per_day - 1}")
    return frozenset({(day, period)})
