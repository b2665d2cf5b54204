"""Course timetabling instance: the weekly lesson timetable of a university.

The ITC2007 curriculum-based course timetabling problem (CB-CTT) is a special case:
- the week is a grid of ``days`` x ``periods_per_day`` periods (a university "pair" is a period);
  a period is addressed as ``(day, period)`` with both counted from 0;
- every course has a number of weekly lectures (lessons) that must all be placed in distinct
  periods, each in one room;
- a curriculum is a set of courses attended by the same students (an academic group, or a
  stream of several groups attending a lecture together): its courses must not overlap;
- courses taught by the same teacher must not overlap.

Beyond ITC2007 a registrar needs room types, teacher availability and daily limits, group daily
loads and windows. Each such rule is a :class:`Rule`: off, soft with a weight per unit of
violation, or hard. ``Rules()`` gives the ITC2007 (UD2) formulation; :func:`formulation` gives
the published UD1-UD5 formulations of Bonutti et al. (2012).

Instances validate on construction and raise :class:`InstanceError` naming the offending item.
"""

from __future__ import annotations

from collections import Counter
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Slot = tuple[int, int]
"""A period of the week as ``(day, period_of_day)``, both from 0."""

NonNegative = Annotated[int, Field(ge=0)]


class InstanceError(Exception):
    """An instance (or a timetable for it) is inconsistent; the message names the item.

    Deliberately not a ``ValueError``: pydantic would wrap it into a ``ValidationError``.
    """


class LessonKind(StrEnum):
    LECTURE = "lecture"
    PRACTICE = "practice"
    LAB = "lab"


class Rule(BaseModel):
    """A constraint of the timetable: off, soft (``weight`` per unit of violation) or hard."""

    model_config = ConfigDict(frozen=True)

    hard: bool = False
    weight: NonNegative = 0

    @property
    def active(self) -> bool:
        return self.hard or self.weight > 0

    def describe(self) -> str:
        if self.hard:
            return "hard"
        return f"soft x{self.weight}" if self.weight else "off"


OFF = Rule()


class Rules(BaseModel):
    """Which constraints apply and how much each unit of violation costs.

    Defaults are the ITC2007 track 3 weights (UD2): room capacity 1 per student over capacity,
    minimum working days 5 per missing day, isolated lecture 2 per lecture and curriculum, room
    stability 1 per extra room used by a course.
    """

    model_config = ConfigDict(frozen=True)

    room_capacity: Rule = Rule(weight=1)
    """Students of a course above the capacity of its room, per lecture."""
    min_working_days: Rule = Rule(weight=5)
    """Days missing to spread a course over its minimum number of working days."""
    isolated_lectures: Rule = Rule(weight=2)
    """A curriculum's lecture with no lecture of the same curriculum in an adjacent period."""
    room_stability: Rule = Rule(weight=1)
    """Each distinct room beyond the first used by a course."""
    windows: Rule = OFF
    """Free periods between a curriculum's first and last lecture of a day (UD3-UD5 compactness)."""
    group_daily_load: Rule = OFF
    """Lectures below the minimum or above the maximum of a curriculum's day (days with lessons)."""
    teacher_daily_load: Rule = OFF
    """Lectures of a teacher in a day above the teacher's maximum."""
    room_suitability: Rule = Rule(hard=True)
    """A lecture in a room listed as unsuitable for its course (ectt room constraints)."""
    double_lectures: Rule = OFF
    """A lecture of a double-lecture course not next to another of its lectures in the same room."""
    travel_distance: Rule = OFF
    """Consecutive lectures of a curriculum in rooms of different buildings."""

    min_daily_lectures: NonNegative = 0
    """Default minimum lessons in a curriculum's day with lessons (per-curriculum override)."""
    max_daily_lectures: NonNegative | None = None
    """Default maximum lessons in a curriculum's day (``None``: no maximum)."""

    def soft_items(self) -> list[tuple[str, Rule]]:
        return [(name, rule) for name, rule in self.items() if rule.active and not rule.hard]

    def items(self) -> list[tuple[str, Rule]]:  # type: ignore[override]
        return [(name, getattr(self, name)) for name in RULE_NAMES]


RULE_NAMES: tuple[str, ...] = (
    "room_capacity",
    "min_working_days",
    "isolated_lectures",
    "room_stability",
    "windows",
    "group_daily_load",
    "teacher_daily_load",
    "room_suitability",
    "double_lectures",
    "travel_distance",
)


def formulation(name: str, min_daily: int = 0, max_daily: int | None = None) -> Rules:
    """The weights of the UD1-UD5 formulations (Bonutti, De Cesco, Di Gaspero, Schaerf 2012).

    UD2 is ITC2007 track 3. Room suitability is hard in UD4, soft x3 in UD3, and not
    considered in UD1, UD2 and UD5.
    """
    key = name.upper()
    soft = lambda w: Rule(weight=w)  # noqa: E731
    table: dict[str, dict[str, Rule]] = {
        "UD1": dict(room_capacity=soft(1), min_working_days=soft(5), isolated_lectures=soft(1)),
        "UD2": dict(
            room_capacity=soft(1),
            min_working_days=soft(5),
            isolated_lectures=soft(2),
            room_stability=soft(1),
        ),
        "UD3": dict(
            room_capacity=soft(1),
            windows=soft(4),
            room_suitability=soft(3),
            group_daily_load=soft(2),
        ),
        "UD4": dict(
            room_capacity=soft(1),
            min_working_days=soft(1),
            windows=soft(1),
            double_lectures=soft(1),
            group_daily_load=soft(1),
            room_suitability=Rule(hard=True),
        ),
        "UD5": dict(
            room_capacity=soft(1),
            min_working_days=soft(5),
            windows=soft(2),
            isolated_lectures=soft(1),
            travel_distance=soft(2),
            group_daily_load=soft(2),
        ),
    }
    if key not in table:
        raise InstanceError(f"unknown formulation {name!r}: expected one of {', '.join(table)}")
    rules = {rule: OFF for rule in RULE_NAMES} | table[key]
    return Rules(**rules, min_daily_lectures=min_daily, max_daily_lectures=max_daily)


class Room(BaseModel):
    """A room: lecture hall, classroom, computer lab, ... with a seat capacity."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    capacity: NonNegative
    type: str = "general"
    building: str = "main"


class Teacher(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    unavailable: frozenset[Slot] = frozenset()
    max_daily_lectures: NonNegative | None = None
    """Maximum lessons a day (applies through ``Rules.teacher_daily_load``)."""


class Course(BaseModel):
    """A course section to timetable: its weekly lectures share a teacher and an audience."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    teacher: str = Field(min_length=1)
    lectures: NonNegative
    """Lectures (lessons) a week, each in a distinct period."""
    min_working_days: NonNegative = 0
    """The lectures should spread over at least this many days."""
    students: NonNegative = 0
    kind: LessonKind = LessonKind.LECTURE
    room_type: str | None = None
    """Required room type (hard); ``None`` accepts any room."""
    unavailable: frozenset[Slot] = frozenset()
    unsuitable_rooms: frozenset[str] = frozenset()
    """Rooms that do not suit the course (see ``Rules.room_suitability``)."""
    double_lectures: bool = False
    """Lectures of a day should be in consecutive periods of one room (``Rules.double_lectures``)."""


class Curriculum(BaseModel):
    """Courses attended by the same students: an academic group or a stream of groups."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    courses: tuple[str, ...]
    min_daily_lectures: NonNegative | None = None
    """Overrides ``Rules.min_daily_lectures`` for this curriculum."""
    max_daily_lectures: NonNegative | None = None
    """Overrides ``Rules.max_daily_lectures`` for this curriculum."""


class CourseInstance(BaseModel):
    """A complete course timetabling problem. Validated on construction."""

    model_config = ConfigDict(frozen=True)

    name: str = "instance"
    days: int = Field(ge=1)
    periods_per_day: int = Field(ge=1)
    rooms: tuple[Room, ...]
    teachers: tuple[Teacher, ...]
    courses: tuple[Course, ...]
    curricula: tuple[Curriculum, ...] = ()
    rules: Rules = Rules()

    @property
    def periods(self) -> int:
        return self.days * self.periods_per_day

    @property
    def lectures(self) -> int:
        return sum(c.lectures for c in self.courses)

    def slots(self) -> list[Slot]:
        return [(d, p) for d in range(self.days) for p in range(self.periods_per_day)]

    @cached_property
    def course_by_id(self) -> dict[str, Course]:
        return {c.id: c for c in self.courses}

    @cached_property
    def room_by_id(self) -> dict[str, Room]:
        return {r.id: r for r in self.rooms}

    @cached_property
    def teacher_by_id(self) -> dict[str, Teacher]:
        return {t.id: t for t in self.teachers}

    def with_rules(self, rules: Rules) -> CourseInstance:
        """The same instance under other rules, validated again (``model_copy`` would skip it)."""
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        return CourseInstance(**(fields | {"rules": rules}))

    def daily_limits(self, curriculum: Curriculum) -> tuple[int, int | None]:
        low = curriculum.min_daily_lectures
        high = curriculum.max_daily_lectures
        return (
            self.rules.min_daily_lectures if low is None else low,
            self.rules.max_daily_lectures if high is None else high,
        )

    @model_validator(mode="after")
    def _check(self) -> Self:
        _unique("room", [r.id for r in self.rooms])
        _unique("teacher", [t.id for t in self.teachers])
        _unique("course", [c.id for c in self.courses])
        _unique("curriculum", [q.id for q in self.curricula])
        if not self.rooms and self.lectures:
            raise InstanceError("the instance has lectures but no rooms")
        teachers = self.teacher_by_id
        rooms = {r.id for r in self.rooms}
        room_types = {r.type for r in self.rooms}
        for teacher in self.teachers:
            self._check_slots(f"teacher {teacher.id!r}", teacher.unavailable)
        for course in self.courses:
            where = f"course {course.id!r}"
            if course.teacher not in teachers:
                raise InstanceError(f"{where}: unknown teacher {course.teacher!r}")
            self._check_slots(where, course.unavailable)
            if course.lectures > self.periods:
                raise InstanceError(
                    f"{where}: {course.lectures} lectures do not fit into the {self.periods} periods of the week"
                )
            if course.min_working_days > self.days:
                raise InstanceError(
                    f"{where}: minimum working days {course.min_working_days} exceeds the {self.days} days of the week"
                )
            if course.room_type is not None and course.room_type not in room_types:
                raise InstanceError(f"{where}: no room has the required type {course.room_type!r}")
            for room in sorted(course.unsuitable_rooms - rooms):
                raise InstanceError(f"{where}: unknown unsuitable room {room!r}")
        courses = self.course_by_id
        for curriculum in self.curricula:
            where = f"curriculum {curriculum.id!r}"
            for course_id in curriculum.courses:
                if course_id not in courses:
                    raise InstanceError(f"{where}: unknown course {course_id!r}")
            _unique(f"{where}: course", list(curriculum.courses))
            low, high = self.daily_limits(curriculum)
            if high is not None and low > high:
                raise InstanceError(f"{where}: minimum daily lectures {low} exceeds maximum {high}")
        return self

    def _check_slots(self, where: str, slots: frozenset[Slot]) -> None:
        for day, period in sorted(slots):
            if not (0 <= day < self.days and 0 <= period < self.periods_per_day):
                raise InstanceError(
                    f"{where}: unavailable period ({day}, {period}) is outside the "
                    f"{self.days} x {self.periods_per_day} week"
                )


def _unique(kind: str, ids: list[str]) -> None:
    repeated = [name for name, n in Counter(ids).items() if n > 1]
    if repeated:
        raise InstanceError(f"duplicate {kind} id {repeated[0]!r}")
