"""Changes to an examination session after a timetable was made (input to exam repair).

A change is written ``KIND:ARG[:ARG...]``; periods count from 0:

- ``move:EXAM``: the exam must leave the period it has in the timetable (needs the timetable);
- ``forbid:EXAM:PERIODS``: the exam may not be held in these periods, ``PERIODS`` being a period
  ``5``, a range ``5-7`` or a list ``5,9,12-14``;
- ``close-period:PERIODS``: no exam may be held in these periods;
- ``remove-room:ROOM``: the room is lost (its exams must move);
- ``capacity:ROOM:SEATS``: the room now seats SEATS;
- ``enrol:EXAM:STUDENTS``: new students sit the exam, ``STUDENTS`` a list of student ids
  (``s1,s2``) or ``@OTHER``, the students of exam OTHER (a whole group), or both (``@OTHER,s9``).

:func:`apply_changes` returns a new, validated instance; a malformed or unknown change raises
:class:`~models.course_instance.InstanceError` naming it.
"""

from __future__ import annotations

from models.course_instance import InstanceError
from models.exam_instance import Exam, ExamInstance, ExamTimetable

CHANGE_KINDS = ("move", "forbid", "close-period", "remove-room", "capacity", "enrol")


def apply_changes(instance: ExamInstance, changes: list[str], timetable: ExamTimetable | None = None) -> ExamInstance:
    """``instance`` with every change applied in order (``timetable``: for ``move``)."""
    for change in changes:
        instance = apply_change(instance, change, timetable)
    return instance


def apply_change(instance: ExamInstance, change: str, timetable: ExamTimetable | None = None) -> ExamInstance:
    kind, _, rest = change.partition(":")
    args = rest.split(":") if rest else []
    where = f"change {change!r}"
    if kind not in CHANGE_KINDS:
        raise InstanceError(f"{where}: unknown kind {kind!r}, expected one of {', '.join(CHANGE_KINDS)}")
    fields = {name: getattr(instance, name) for name in type(instance).model_fields}
    if kind == "move":
        if len(args) != 1:
            raise InstanceError(f"{where}: expected move:EXAM")
        exam = _exam(instance, args[0], where)
        placement = timetable.get(exam.id) if timetable is not None else None
        if placement is None:
            raise InstanceError(f"{where}: the timetable does not place exam {exam.id}")
        fields["exams"] = _replace(
            instance, exam.model_copy(update={"unavailable": exam.unavailable | {placement.period}})
        )
    elif kind == "forbid":
        if len(args) != 2:
            raise InstanceError(f"{where}: expected forbid:EXAM:PERIODS")
        exam = _exam(instance, args[0], where)
        periods = _periods(instance, args[1], where)
        fields["exams"] = _replace(instance, exam.model_copy(update={"unavailable": exam.unavailable | periods}))
    elif kind == "close-period":
        if len(args) != 1:
            raise InstanceError(f"{where}: expected close-period:PERIODS")
        periods = _periods(instance, args[0], where)
        fields["exams"] = tuple(e.model_copy(update={"unavailable": e.unavailable | periods}) for e in instance.exams)
    elif kind == "remove-room":
        if len(args) != 1:
            raise InstanceError(f"{where}: expected remove-room:ROOM")
        room = _room(instance, args[0], where)
        fields["rooms"] = tuple(r for r in instance.rooms if r.id != room.id)
    elif kind == "capacity":
        if len(args) != 2:
            raise InstanceError(f"{where}: expected capacity:ROOM:SEATS")
        room = _room(instance, args[0], where)
        seats = _count(args[1], "seats", where)
        fields["rooms"] = tuple(
            r.model_copy(update={"capacity": seats}) if r.id == room.id else r for r in instance.rooms
        )
    else:
        if len(args) != 2 or not args[1]:
            raise InstanceError(f"{where}: expected enrol:EXAM:STUDENTS (ids, or @EXAM for that exam's students)")
        exam = _exam(instance, args[0], where)
        students: set[str] = set()
        for item in args[1].split(","):
            item = item.strip()
            if item.startswith("@"):
                students |= _exam(instance, item[1:], where).students
            elif item:
                students.add(item)
        fields["exams"] = _replace(instance, exam.model_copy(update={"students": exam.students | students}))
    if instance.kind == "toronto" and kind in ("remove-room", "capacity"):
        raise InstanceError(f"{where}: a Toronto instance has no rooms")
    try:
        return ExamInstance(**fields)
    except InstanceError as err:
        raise InstanceError(f"{where}: {err}") from None


def _replace(instance: ExamInstance, exam: Exam) -> tuple[Exam, ...]:
    return tuple(exam if e.id == exam.id else e for e in instance.exams)


def _exam(instance: ExamInstance, exam_id: str, where: str) -> Exam:
    if exam_id not in instance.exam_by_id:
        raise InstanceError(f"{where}: unknown exam {exam_id!r}")
    return instance.exam_by_id[exam_id]


def _room(instance: ExamInstance, room_id: str, where: str):
    if instance.kind == "toronto":
        raise InstanceError(f"{where}: a Toronto instance has no rooms")
    if room_id not in instance.room_by_id:
        raise InstanceError(f"{where}: unknown room {room_id!r}")
    return instance.room_by_id[room_id]


def _count(text: str, what: str, where: str) -> int:
    if not text.isdigit():
        raise InstanceError(f"{where}: {what} must be a non-negative integer, got {text!r}")
    return int(text)


def _periods(instance: ExamInstance, text: str, where: str) -> frozenset[int]:
    """``5``, ``5-7`` or ``5,9,12-14`` as period indices, each checked against the session."""
    out: set[int] = set()
    last = len(instance.periods) - 1
    for part in text.split(","):
        low, dash, high = part.strip().partition("-")
        first = _count(low, "a period", where)
        end = _count(high, "a period", where) if dash else first
        if end < first:
            raise InstanceError(f"{where}: period range {part!r} is empty")
        if end > last:
            raise InstanceError(f"{where}: period {end} is outside 0..{last}")
        out.update(range(first, end + 1))
    return frozenset(out)
