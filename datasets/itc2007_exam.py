"""ITC2007 examination track files: ``.exam`` instances and ``.sln`` solutions.

An ``.exam`` file has comma-separated lines in six sections, in this order:

- ``[Exams:N]``: N lines ``duration, student, student, ...`` (minutes, then integer student ids);
  exams are numbered from 0 in file order (exam id ``"0"``, ``"1"``, ...);
- ``[Periods:N]``: ``dd:mm:yyyy, hh:mm:ss, duration, penalty``; periods with the same date form a day;
- ``[Rooms:N]``: ``capacity, penalty``; rooms are numbered from 0 (room id ``"0"``, ...);
- ``[PeriodHardConstraints]``: ``e1, EXAM_COINCIDENCE|EXCLUSION|AFTER, e2`` (AFTER: e1 strictly
  later than e2);
- ``[RoomHardConstraints]``: ``e, ROOM_EXCLUSIVE``;
- ``[InstitutionalWeightings]``: ``TWOINAROW, w``, ``TWOINADAY, w``, ``PERIODSPREAD, g``,
  ``NONMIXEDDURATIONS, w``, ``FRONTLOAD, largest, last_periods, w`` (missing ones are 0).

The competition files list some symmetric relations in both directions (``0, EXCLUSION, 8`` and
``8, EXCLUSION, 0``) and a few coincidences of an exam with itself: the reader keeps each relation
once and drops the trivially true self-coincidences. A solution has one line ``period, room`` per
exam in exam order (indices from 0); ``-1, -1`` marks an unassigned exam.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from datasets.itc2007_ctt import _write_text
from datasets.text_lines import FormatError, Lines
from models.course_instance import InstanceError
from models.exam_instance import (
    Exam,
    ExamInstance,
    ExamRoom,
    ExamTimetable,
    FrontLoad,
    Period,
    Relation,
    RelationKind,
    Weightings,
)

_SECTION = re.compile(r"\[(\w+)(?::(\d+))?\]")
_KINDS = {
    "EXAM_COINCIDENCE": RelationKind.COINCIDENCE,
    "EXCLUSION": RelationKind.EXCLUSION,
    "AFTER": RelationKind.AFTER,
}
_KIND_NAMES = {kind: name for name, kind in _KINDS.items()}
_WEIGHTINGS = {"TWOINAROW": 1, "TWOINADAY": 1, "PERIODSPREAD": 1, "NONMIXEDDURATIONS": 1, "FRONTLOAD": 3}


def read_exam(path: str | Path, name: str | None = None) -> ExamInstance:
    """Read an ITC2007 ``.exam`` file (``name`` defaults to the file's stem)."""
    f = Lines(path, separator=",")
    exams: list[Exam] = []
    for n, tokens in _records(f, "Exams", None, "an exam: duration, student, ..."):
        duration = f.integer(tokens[0], f"the duration of exam {len(exams)}", n)
        students = frozenset(str(f.integer(t, f"a student of exam {len(exams)}", n)) for t in tokens[1:])
        exams.append(Exam(id=str(len(exams)), duration=duration, students=students))

    periods = []
    for n, tokens in _records(f, "Periods", 4, "a period: dd:mm:yyyy, hh:mm:ss, duration, penalty"):
        index = len(periods)
        try:
            date = dt.datetime.strptime(tokens[0], "%d:%m:%Y").date()
        except ValueError:
            raise f.error(f"expected a date dd:mm:yyyy for period {index}, found {tokens[0]!r}", n) from None
        try:
            start = dt.time.fromisoformat(tokens[1])
        except ValueError:
            raise f.error(f"expected a time hh:mm:ss for period {index}, found {tokens[1]!r}", n) from None
        duration = f.integer(tokens[2], f"the duration of period {index}", n)
        penalty = f.integer(tokens[3], f"the penalty of period {index}", n)
        periods.append(Period(index=index, date=date, start=start, duration=duration, penalty=penalty))

    rooms = []
    for n, tokens in _records(f, "Rooms", 2, "a room: capacity, penalty"):
        index = len(rooms)
        capacity = f.integer(tokens[0], f"the capacity of room {index}", n)
        penalty = f.integer(tokens[1], f"the penalty of room {index}", n)
        rooms.append(ExamRoom(id=str(index), capacity=capacity, penalty=penalty))

    n_exams = len(exams)

    def exam_ref(token: str, line: int) -> str:
        index = f.integer(token, "an exam number", line)
        if index >= n_exams:
            raise f.error(f"exam {index} does not exist (exams are 0..{n_exams - 1})", line)
        return str(index)

    _section(f, "PeriodHardConstraints", counted=False)
    relations: dict[object, Relation] = {}
    for n, tokens in _until_section(f):
        if len(tokens) != 3 or tokens[1] not in _KINDS:
            raise f.error(f"expected 'exam, EXAM_COINCIDENCE|EXCLUSION|AFTER, exam', found {', '.join(tokens)!r}", n)
        first, second = exam_ref(tokens[0], n), exam_ref(tokens[2], n)
        kind = _KINDS[tokens[1]]
        if first == second:
            if kind is RelationKind.COINCIDENCE:
                continue
            raise f.error(f"{tokens[1]} relates exam {first} to itself, which no timetable can satisfy", n)
        relation = Relation(kind=kind, first=first, second=second)
        relations.setdefault(relation.key, relation)

    _section(f, "RoomHardConstraints", counted=False)
    exclusive = set()
    for n, tokens in _until_section(f):
        if len(tokens) != 2 or tokens[1] != "ROOM_EXCLUSIVE":
            raise f.error(f"expected 'exam, ROOM_EXCLUSIVE', found {', '.join(tokens)!r}", n)
        exclusive.add(exam_ref(tokens[0], n))

    _section(f, "InstitutionalWeightings", counted=False)
    values: dict[str, list[int]] = {}
    for n, tokens in _until_section(f):
        key = tokens[0]
        if key not in _WEIGHTINGS:
            raise f.error(f"expected one of {', '.join(_WEIGHTINGS)}, found {key!r}", n)
        if len(tokens) != _WEIGHTINGS[key] + 1:
            raise f.error(f"expected {key} followed by {_WEIGHTINGS[key]} value(s), found {', '.join(tokens)!r}", n)
        if key in values:
            raise f.error(f"{key} given twice", n)
        values[key] = [f.integer(t, f"the {key} value", n) for t in tokens[1:]]
    if (row := f.peek()) is not None:
        raise f.error(f"unexpected line after [InstitutionalWeightings]: {', '.join(row[1])!r}", row[0])

    largest, last, weight = values.get("FRONTLOAD", [0, 0, 0])
    weightings = Weightings(
        two_in_a_row=values.get("TWOINAROW", [0])[0],
        two_in_a_day=values.get("TWOINADAY", [0])[0],
        period_spread=values.get("PERIODSPREAD", [0])[0],
        non_mixed_durations=values.get("NONMIXEDDURATIONS", [0])[0],
        front_load=FrontLoad(largest=largest, last_periods=last, weight=weight),
    )
    try:
        return ExamInstance(
            name=name if name is not None else Path(path).stem,
            kind="itc2007",
            exams=tuple(exams),
            periods=tuple(periods),
            rooms=tuple(rooms),
            relations=tuple(relations.values()),
            exclusive=frozenset(exclusive),
            weightings=weightings,
        )
    except InstanceError as err:
        raise FormatError(path, None, str(err)) from None


def _records(f: Lines, title: str, fields: int | None, what: str) -> Iterator[tuple[int, list[str]]]:
    """The N records of the counted section ``[title:N]``, each with ``fields`` fields."""
    count = _section(f, title, counted=True)
    for found in range(count):
        row = f.peek()
        if row is not None and row[1][0].startswith("["):
            raise f.error(f"section [{title}:{count}] announces {count} lines but has {found}", row[0])
        n, tokens = f.next(what)
        if fields is not None and len(tokens) != fields:
            raise f.error(f"expected {what} ({fields} fields), found {', '.join(tokens)!r}", n)
        yield n, tokens


def _section(f: Lines, title: str, counted: bool) -> int:
    """Consume the header ``[title:N]`` (``counted``) or ``[title]``; return N (0 if not counted)."""
    expected = f"[{title}:N]" if counted else f"[{title}]"
    n, tokens = f.next(f"section {expected}")
    match = _SECTION.fullmatch(",".join(tokens))
    if not match or match.group(1) != title or (match.group(2) is not None) != counted:
        raise f.error(f"expected section {expected}, found {', '.join(tokens)!r}", n)
    return int(match.group(2)) if counted else 0


def _until_section(f: Lines) -> Iterator[tuple[int, list[str]]]:
    """The rows up to the next ``[...]`` header or the end of the file."""
    while (row := f.peek()) is not None and not row[1][0].startswith("["):
        f.pos += 1
        yield row


def exam_text(instance: ExamInstance) -> str:
    """``instance`` in the ``.exam`` format. Exams and rooms are written by position; student ids
    that are not all integers are renumbered from 0 in sorted order; examiners and groups, which the
    format lacks, are dropped. Raises :class:`InstanceError` for a period without date or duration."""
    numbers = {s: s for s in instance.students}
    if not all(s.isdigit() for s in instance.students):
        numbers = {s: str(n) for n, s in enumerate(sorted(instance.students))}
    index = instance.exam_index
    lines = [f"[Exams:{len(instance.exams)}]"]
    for exam in instance.exams:
        students = sorted(exam.students, key=lambda s: (len(numbers[s]), numbers[s]))
        lines.append(", ".join([str(exam.duration), *(numbers[s] for s in students)]))
    lines.append(f"[Periods:{len(instance.periods)}]")
    for p in instance.periods:
        if p.date is None or p.duration is None:
            raise InstanceError(f"period {p.index} has no date or no duration: the ITC2007 format needs both")
        start = (p.start or dt.time()).strftime("%H:%M:%S")
        lines.append(f"{p.date.strftime('%d:%m:%Y')}, {start}, {p.duration}, {p.penalty}")
    lines.append(f"[Rooms:{len(instance.rooms)}]")
    lines += [f"{r.capacity}, {r.penalty}" for r in instance.rooms]
    lines.append("[PeriodHardConstraints]")
    lines += [f"{index[r.first]}, {_KIND_NAMES[r.kind]}, {index[r.second]}" for r in instance.relations]
    lines.append("[RoomHardConstraints]")
    lines += [f"{index[e]}, ROOM_EXCLUSIVE" for e in sorted(instance.exclusive, key=index.__getitem__)]
    w = instance.weightings
    fl = w.front_load
    lines += [
        "[InstitutionalWeightings]",
        f"TWOINAROW, {w.two_in_a_row}",
        f"TWOINADAY, {w.two_in_a_day}",
        f"PERIODSPREAD, {w.period_spread}",
        f"NONMIXEDDURATIONS, {w.non_mixed_durations}",
        f"FRONTLOAD, {fl.largest}, {fl.last_periods}, {fl.weight}",
        "",
    ]
    return "\n".join(lines)


def write_exam(instance: ExamInstance, path: str | Path) -> None:
    """Write :func:`exam_text` atomically."""
    _write_text(path, exam_text(instance))


def read_solution(path: str | Path, instance: ExamInstance | None = None) -> ExamTimetable:
    """Read ``period, room`` lines, one per exam in exam order; ``-1, -1`` leaves an exam unassigned.

    With ``instance`` the lines map to its exams and rooms (by position) and must be one per exam,
    with periods and rooms in range; without it exam and room ids are the line and room numbers."""
    f = Lines(path, separator=",")
    if instance is not None and len(f.rows) != len(instance.exams):
        line = f.rows[-1][0] if f.rows else None
        raise FormatError(path, line, f"expected {len(instance.exams)} lines, one per exam, found {len(f.rows)}")
    placements = {}
    for position, (n, tokens) in enumerate(f.rows):
        if len(tokens) != 2:
            raise f.error(f"expected 'period, room', found {', '.join(tokens)!r}", n)
        if tokens == ["-1", "-1"]:
            continue
        period = f.integer(tokens[0], "the period", n)
        room = f.integer(tokens[1], "the room", n)
        exam_id, room_id = str(position), str(room)
        if instance is not None:
            exam_id = instance.exams[position].id
            if period >= len(instance.periods):
                raise f.error(f"period {period} is outside 0..{len(instance.periods) - 1}", n)
            if room >= len(instance.rooms):
                raise f.error(f"room {room} is outside 0..{len(instance.rooms) - 1}", n)
            room_id = instance.rooms[room].id
        placements[exam_id] = (period, room_id)
    return ExamTimetable.of(placements)


def solution_text(instance: ExamInstance, timetable: ExamTimetable) -> str:
    """``period, room`` per exam of ``instance`` in exam order (room by position); ``-1, -1`` for an
    exam the timetable does not place (or places in an unknown room)."""
    rooms = {r.id: n for n, r in enumerate(instance.rooms)}
    rows = []
    for exam in instance.exams:
        placement = timetable.get(exam.id)
        if placement is None or placement.room not in rooms:
            rows.append("-1, -1\n")
        else:
            rows.append(f"{placement.period}, {rooms[placement.room]}\n")
    return "".join(rows)


def write_solution(instance: ExamInstance, timetable: ExamTimetable, path: str | Path) -> None:
    """Write :func:`solution_text` atomically."""
    _write_text(path, solution_text(instance, timetable))
