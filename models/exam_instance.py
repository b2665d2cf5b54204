"""Exam timetabling instance: the examination session of a university.

Every exam is placed in one period (a slot of the session: a date, a start time and a duration)
and, when the instance has rooms, in one room; several exams may share a room if its capacity
allows. Two kinds of instance are supported:

- ``"itc2007"``: the ITC2007 examination track (McCollum et al. 2007). Periods have a date, a start
  time, a duration in minutes and a penalty; rooms have a capacity in seats and a penalty. Hard
  relations between exams (:class:`Relation`: coincidence, exclusion, after) and exclusive rooms
  apply, and the institutional weightings (:class:`Weightings`) price two exams of a student in a
  row, two in a day, within the period spread, mixed durations in a room and large exams late in
  the session.
- ``"toronto"``: the uncapacitated Toronto benchmark of Carter, Laporte and Lee (1996). There are
  no rooms, periods are numbered slots (no date, start or duration) and the only cost is the
  proximity cost: for each student and each pair of the student's exams 1, 2, 3, 4 or 5 slots
  apart, 16, 8, 4, 2 or 1 (:data:`PROXIMITY_WEIGHTS`), the sum divided by the number of students.

Periods with the same date form a day; periods without a date are each a day of their own. On top
of ITC2007 a registrar sets :class:`ExamRules` (each a :class:`~models.course_instance.Rule`: off,
soft with a weight per unit, or hard): at most K exams per student per day, and a minimum number of
free days between consecutive exams of an academic group. Both are off by default.

Instances validate on construction and raise :class:`~models.course_instance.InstanceError`
naming the offending item. A solution is an :class:`ExamTimetable`: exam id -> (period, room).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.course_instance import OFF, InstanceError, Rule

NonNegative = Annotated[int, Field(ge=0)]

PROXIMITY_WEIGHTS: tuple[int, ...] = (16, 8, 4, 2, 1)
"""Toronto proximity cost of two exams of a student 1, 2, 3, 4, 5 slots apart (``2 ** (5 - d)``)."""

ExamKind = Literal["itc2007", "toronto"]


class Exam(BaseModel):
    """An exam: its duration in minutes and the students sitting it."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    duration: NonNegative = 0
    """Minutes; must not exceed the duration of the exam's period (hard, ITC2007)."""
    students: frozenset[str] = frozenset()
    examiner: str | None = None
    group: str | None = None
    """The academic group (cohort) whose exam this is, for :attr:`ExamRules.group_free_days`."""
    unavailable: frozenset[int] = frozenset()
    """Period indices in which the exam may not be held (hard), e.g. after a change to the session."""

    @property
    def size(self) -> int:
        """Number of students (seats needed)."""
        return len(self.students)


class Period(BaseModel):
    """A period (slot) of the session. ``index`` is its position in the session, from 0."""

    model_config = ConfigDict(frozen=True)

    index: NonNegative
    date: dt.date | None = None
    start: dt.time | None = None
    duration: NonNegative | None = None
    """Minutes available; ``None``: unlimited (Toronto slots)."""
    penalty: NonNegative = 0
    """Soft cost of each exam placed in this period (ITC2007 period penalty)."""


class ExamRoom(BaseModel):
    """An exam room: capacity in seats, shared by the exams placed in it in one period."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    capacity: NonNegative
    penalty: NonNegative = 0
    """Soft cost of each exam placed in this room (ITC2007 room penalty)."""


class RelationKind(StrEnum):
    COINCIDENCE = "coincidence"
    """Both exams in the same period (ITC2007 ``EXAM_COINCIDENCE``)."""
    EXCLUSION = "exclusion"
    """The exams in different periods (ITC2007 ``EXCLUSION``)."""
    AFTER = "after"
    """``first`` in a strictly later period than ``second`` (ITC2007 ``first, AFTER, second``)."""


class Relation(BaseModel):
    """A hard period relation between two distinct exams."""

    model_config = ConfigDict(frozen=True)

    kind: RelationKind
    first: str
    second: str

    @property
    def key(self) -> tuple[RelationKind, str, str] | tuple[RelationKind, frozenset[str]]:
        """Identity of the relation: coincidence and exclusion are symmetric, after is not."""
        if self.kind is RelationKind.AFTER:
            return (self.kind, self.first, self.second)
        return (self.kind, frozenset((self.first, self.second)))

    def describe(self) -> str:
        return f"{self.kind.value}({self.first}, {self.second})"


class FrontLoad(BaseModel):
    """ITC2007 ``FRONTLOAD,largest,last_periods,weight``: each of the ``largest`` exams with the most
    students placed in one of the ``last_periods`` last periods of the session costs ``weight``."""

    model_config = ConfigDict(frozen=True)

    largest: NonNegative = 0
    last_periods: NonNegative = 0
    weight: NonNegative = 0


class Weightings(BaseModel):
    """ITC2007 institutional weightings (all 0: no soft cost but room and period penalties)."""

    model_config = ConfigDict(frozen=True)

    two_in_a_row: NonNegative = 0
    """``TWOINAROW``: per student and pair of the student's exams in consecutive periods of one day."""
    two_in_a_day: NonNegative = 0
    """``TWOINADAY``: per student and pair of the student's exams on one day, not consecutive."""
    period_spread: NonNegative = 0
    """``PERIODSPREAD`` g, a number of periods (not a weight): each pair of a student's exams 1..g
    periods apart costs 1."""
    non_mixed_durations: NonNegative = 0
    """``NONMIXEDDURATIONS``: per room and period, per distinct exam duration beyond the first."""
    front_load: FrontLoad = FrontLoad()


class ExamRules(BaseModel):
    """Rules a registrar adds to ITC2007; both off by default.

    - ``daily_exams``: a student sits at most ``max_daily_exams`` exams a day; one unit per exam
      beyond it, per student and day.
    - ``group_free_days``: between two consecutive exams of an academic group (in period order) at
      least ``min_free_days`` days free of its exams; one unit per missing day, that is
      ``max(0, min_free_days + 1 - (day2 - day1))`` with days counted in calendar days between the
      dates (by period index when periods have no date). Two exams of a group on one day miss
      ``min_free_days + 1`` days.
    """

    model_config = ConfigDict(frozen=True)

    daily_exams: Rule = OFF
    max_daily_exams: int = Field(default=1, ge=1)
    group_free_days: Rule = OFF
    min_free_days: NonNegative = 1


class ExamInstance(BaseModel):
    """A complete exam timetabling problem. Validated on construction."""

    model_config = ConfigDict(frozen=True)

    name: str = "instance"
    kind: ExamKind = "itc2007"
    exams: tuple[Exam, ...]
    periods: tuple[Period, ...]
    rooms: tuple[ExamRoom, ...] = ()
    relations: tuple[Relation, ...] = ()
    exclusive: frozenset[str] = frozenset()
    """Exams that need their room alone (ITC2007 ``ROOM_EXCLUSIVE``)."""
    weightings: Weightings = Weightings()
    rules: ExamRules = ExamRules()

    @cached_property
    def exam_by_id(self) -> dict[str, Exam]:
        return {e.id: e for e in self.exams}

    @cached_property
    def exam_index(self) -> dict[str, int]:
        return {e.id: n for n, e in enumerate(self.exams)}

    @cached_property
    def room_by_id(self) -> dict[str, ExamRoom]:
        return {r.id: r for r in self.rooms}

    @cached_property
    def students(self) -> frozenset[str]:
        """Every student sitting at least one exam."""
        return frozenset().union(*(e.students for e in self.exams))

    @cached_property
    def student_exams(self) -> dict[str, tuple[str, ...]]:
        """student -> the student's exams, in exam order."""
        out: dict[str, list[str]] = defaultdict(list)
        for exam in self.exams:
            for student in exam.students:
                out[student].append(exam.id)
        return {s: tuple(ids) for s, ids in out.items()}

    @cached_property
    def period_day(self) -> tuple[int, ...]:
        """Day index (from 0) of each period: periods with the same date form a day, in order;
        a period without a date is a day of its own."""
        days: list[int] = []
        for p in self.periods:
            prev = self.periods[p.index - 1] if p.index else None
            same = prev is not None and p.date is not None and prev.date == p.date
            days.append(days[-1] if same else (days[-1] + 1 if days else 0))
        return tuple(days)

    @cached_property
    def period_day_number(self) -> tuple[int, ...]:
        """A calendar day number per period (the date's ordinal; the period index without a date):
        the difference of two is the number of calendar days between them."""
        return tuple(p.date.toordinal() if p.date is not None else p.index for p in self.periods)

    @property
    def days(self) -> int:
        return self.period_day[-1] + 1 if self.periods else 0

    @cached_property
    def largest_exams(self) -> tuple[str, ...]:
        """The front-load exams: the ``front_load.largest`` exams with most students, ties broken
        by exam order."""
        ranked = sorted(self.exams, key=lambda e: (-e.size, self.exam_index[e.id]))
        return tuple(e.id for e in ranked[: self.weightings.front_load.largest])

    @model_validator(mode="after")
    def _check(self) -> Self:
        _unique("exam", [e.id for e in self.exams])
        _unique("room", [r.id for r in self.rooms])
        for n, period in enumerate(self.periods):
            if period.index != n:
                raise InstanceError(f"period {n}: index {period.index} does not match its position {n}")
        dated = [p.date is not None for p in self.periods]
        if any(dated) and not all(dated):
            missing = dated.index(False) if dated[0] else dated.index(True)
            raise InstanceError(f"period {missing}: either every period has a date or none has")
        for prev, period in zip(self.periods, self.periods[1:], strict=False):
            if prev.date is not None and period.date is not None and _when(period) < _when(prev):
                raise InstanceError(f"period {period.index}: it starts before period {prev.index} (not in time order)")
        if self.kind == "toronto":
            if self.rooms:
                raise InstanceError("a Toronto instance is uncapacitated: it has no rooms")
            if self.exclusive:
                raise InstanceError("a Toronto instance has no rooms, so no exclusive-room exams")
        elif self.exams and not self.rooms:
            raise InstanceError("the instance has exams but no rooms")
        if self.exams and not self.periods:
            raise InstanceError("the instance has exams but no periods")
        exams = self.exam_by_id
        seen: dict[object, Relation] = {}
        for relation in self.relations:
            where = f"relation {relation.describe()}"
            for exam_id in (relation.first, relation.second):
                if exam_id not in exams:
                    raise InstanceError(f"{where}: unknown exam {exam_id!r}")
            if relation.first == relation.second:
                raise InstanceError(f"{where}: relates an exam to itself")
            if relation.key in seen:
                raise InstanceError(f"{where}: duplicate of {seen[relation.key].describe()}")
            seen[relation.key] = relation
        for exam_id in sorted(self.exclusive - exams.keys()):
            raise InstanceError(f"exclusive-room exam {exam_id!r} is unknown")
        for exam in self.exams:
            outside = sorted(t for t in exam.unavailable if t >= len(self.periods))
            if outside:
                raise InstanceError(
                    f"exam {exam.id}: unavailable period {outside[0]} is outside 0..{len(self.periods) - 1}"
                )
        return self


def _when(period: Period) -> tuple[dt.date, dt.time]:
    assert period.date is not None
    return (period.date, period.start or dt.time())


def _unique(kind: str, ids: list[str]) -> None:
    repeated = [name for name, n in Counter(ids).items() if n > 1]
    if repeated:
        raise InstanceError(f"duplicate {kind} id {repeated[0]!r}")


class ExamPlacement(BaseModel):
    """An exam's period index (from 0) and room id (``None`` for Toronto instances)."""

    model_config = ConfigDict(frozen=True)

    period: NonNegative
    room: str | None = None


class ExamTimetable(BaseModel):
    """A (possibly partial) exam timetable: exam id -> placement."""

    model_config = ConfigDict(frozen=True)

    placements: dict[str, ExamPlacement] = Field(default_factory=dict)

    @classmethod
    def of(cls, rows: Mapping[str, tuple[int, str | None]] | Iterable[tuple[str, int, str | None]]) -> ExamTimetable:
        """From ``{exam: (period, room)}`` or ``(exam, period, room)`` rows."""
        items = rows.items() if isinstance(rows, Mapping) else ((e, (p, r)) for e, p, r in rows)
        return cls(placements={e: ExamPlacement(period=p, room=r) for e, (p, r) in items})

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]
        return iter(self.placements)

    def __len__(self) -> int:
        return len(self.placements)

    def __getitem__(self, exam: str) -> ExamPlacement:
        return self.placements[exam]

    def get(self, exam: str) -> ExamPlacement | None:
        return self.placements.get(exam)

    def check_ids(self, instance: ExamInstance) -> None:
        """Raise :class:`InstanceError` for a placement naming an unknown exam, period or room, or
        lacking a room on an instance with rooms."""
        for exam, placement in self.placements.items():
            where = f"placement of exam {exam!r}"
            if exam not in instance.exam_by_id:
                raise InstanceError(f"{where}: unknown exam")
            if placement.period >= len(instance.periods):
                raise InstanceError(f"{where}: period {placement.period} is outside 0..{len(instance.periods) - 1}")
            if instance.rooms and placement.room is None:
                raise InstanceError(f"{where}: no room")
            if placement.room is not None and placement.room not in instance.room_by_id:
                raise InstanceError(f"{where}: unknown room {placement.room!r}")

    def moved_from(self, other: ExamTimetable) -> list[str]:
        """Exams placed here differently from ``other`` (or not placed in ``other``), in this order."""
        return [e for e, p in self.placements.items() if other.placements.get(e) != p]
