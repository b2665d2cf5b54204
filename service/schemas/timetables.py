"""Schemas of the timetable workflow: solve jobs, timetable versions, transitions, edits and comparisons, and
the group formations of ``groups`` jobs.

Rules (the work is done by :mod:`service.timetabling`):

- a solve job names a period and a kind (``lessons``, ``exams`` or ``groups``: sections from the period's
  registrations) and a time limit of 1-3600 seconds (default 30); a repair job only the time limit;
- every change of a version (a transition, a move) carries the ``revision`` the caller read: a stale
  one is refused with 409;
- returning a version needs a ``comment`` (at most 2000 characters);
- a lesson is addressed by its course, day (0 = Monday), pair (0 = the first) and room; an exam by its
  id; a move names the new day and pair (or sitting) and optionally a new room.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from service.schemas.common import InputModel, ListQuery, OutputModel, UtcDateTime

Kind = Literal["lessons", "exams"]
JobKind = Literal["lessons", "exams", "groups"]
JobStatus = Literal["queued", "running", "finished", "failed", "cancelled"]
VersionStatus = Literal["draft", "submitted", "approved", "returned", "published", "superseded"]
TimeLimit = Annotated[float, Field(ge=1, le=3600, allow_inf_nan=False)]
Revision = Annotated[int, Field(ge=1, le=2**31 - 1)]
ItemId = Annotated[str, Field(min_length=1, max_length=100)]
Day = Annotated[int, Field(ge=0, le=6)]
Pair = Annotated[int, Field(ge=0, le=11)]


class SolveStart(InputModel):
    """Start a solve of the period's timetable of ``kind`` (or the formation of its groups) from its records."""

    period_id: int
    kind: JobKind
    time_limit: TimeLimit = 30.0
    """Seconds the solver may take."""


class RepairStart(InputModel):
    """Start a repair of the version: a valid timetable with as few lessons (exams) moved as possible."""

    revision: Revision
    """The revision the repair starts from (409 if the version changed since)."""
    time_limit: TimeLimit = 30.0


class JobOut(OutputModel):
    id: int
    kind: str
    """``lessons``, ``exams``, ``repair`` or ``groups``."""
    period_id: int
    timetable_id: int | None
    """The timetable solved or repaired (``null`` for a ``groups`` job)."""
    base_version_id: int | None
    status: JobStatus
    time_limit: float
    created_at: UtcDateTime
    created_by: str
    started_at: UtcDateTime | None
    finished_at: UtcDateTime | None
    heartbeat_at: UtcDateTime | None
    worker: str | None
    attempts: int
    elapsed: float | None
    """Seconds the solver has run (updated while it runs)."""
    best_cost: int | None
    """Timetables: the best cost found; groups: the number of sections."""
    best_bound: int | None
    """Timetables: the solver's bound; groups: the scorer's lower bound on the number of sections."""
    phase: str | None
    error: str | None
    """Why the job failed."""
    version_id: int | None
    """The draft the job wrote (timetable jobs)."""
    formation_id: int | None
    """The group formation the job wrote (``groups`` jobs)."""


class JobQuery(ListQuery):
    status: JobStatus | None = None
    kind: Literal["lessons", "exams", "repair", "groups"] | None = None
    period_id: int | None = None
    timetable_id: int | None = None


class VersionOut(OutputModel):
    """A timetable version without its placements."""

    id: int
    timetable_id: int
    period_id: int
    kind: Kind
    number: int
    status: VersionStatus
    revision: int
    """Send it back with every change (optimistic locking)."""
    based_on_id: int | None
    source: str
    job_id: int | None
    hard: dict[str, int]
    soft: dict[str, int]
    hard_violations: int
    cost: int
    edits: int
    comment: str | None
    created_at: UtcDateTime
    created_by: str
    updated_at: UtcDateTime
    updated_by: str
    submitted_at: UtcDateTime | None
    submitted_by: str | None
    decided_at: UtcDateTime | None
    decided_by: str | None
    published_at: UtcDateTime | None
    published_by: str | None


class LessonOut(OutputModel):
    course: str
    kind: str
    discipline: str
    name: str
    groups: list[str]
    teacher: str | None
    teacher_name: str | None
    room: str
    day: int
    pair: int


class ExamOut(OutputModel):
    exam: str
    discipline: str
    name: str
    groups: list[str]
    teacher: str | None
    teacher_name: str | None
    students: int
    room: str | None
    period: int
    date: str | None
    start: str | None


class VersionDetail(VersionOut):
    """A version with its lessons (lesson timetables) or exams (exam sessions) and its legend."""

    lessons: list[LessonOut] | None
    exams: list[ExamOut] | None
    legend: dict[str, Any]


class VersionQuery(ListQuery):
    period_id: int | None = None
    kind: Kind | None = None
    status: VersionStatus | None = None


class PublishedQuery(InputModel):
    period_id: int
    kind: Kind


class Transition(InputModel):
    """A workflow step of a version."""

    revision: Revision
    comment: Annotated[str, Field(max_length=2000)] | None = None
    """Why (required to return a version)."""


class LessonMove(InputModel):
    """Move one lesson: where it is now and where it goes."""

    revision: Revision
    course: ItemId
    day: Day
    pair: Pair
    room: ItemId
    to_day: Day
    to_pair: Pair
    to_room: ItemId | None = None
    """Default: the same room."""


class ExamMove(InputModel):
    """Move one exam to another sitting (and room)."""

    revision: Revision
    exam: ItemId
    to_period: Annotated[int, Field(ge=0, le=10_000)]
    to_room: ItemId | None = None


class EditOut(OutputModel):
    """The edited version (a new draft when an approved or published one was edited) and what the edit did."""

    version: VersionOut
    hard_before: int
    hard_after: int
    cost_before: int
    cost_after: int
    cost_change: int
    new_violations: list[str]
    """The scorer's lines of the hard violations the edit introduced."""


class MovedOut(OutputModel):
    item: str
    """The course (lessons) or exam."""
    before: list[Any] | None
    """``[room, day, pair]`` / ``[sitting, room]`` in the first version; null: not there."""
    after: list[Any] | None


class CompareOut(OutputModel):
    from_version: int
    to_version: int
    moved: list[MovedOut]


class FormationSectionOut(OutputModel):
    """One formed section."""

    discipline: str
    """The discipline's code."""
    discipline_name: str
    kind: str
    """``lecture`` (a lecture stream), ``practice`` (a practice group) or ``lab``."""
    section: str
    """The section's name, unique in the formation."""
    language: str
    """The students' languages of instruction joined by ``+``."""
    size: int
    students: list[str]
    """``s<student id>`` per student."""
    parent: str | None
    """The section of the next coarser kind that contains this one (a practice group's stream)."""
    children: list[str]
    """The sections of the next finer kind that make this one up (a stream's practice groups)."""


class FormationOut(OutputModel):
    """The sections a ``groups`` job formed and the independent scorer's breakdown."""

    id: int
    period_id: int
    job_id: int | None
    hard: dict[str, int]
    """Violations per hard rule: Coverage, Registration, Capacity, MinSize, Language, Nesting."""
    terms: dict[str, int]
    """Objective terms: Sections, TeachingLessons, LowerBound, AboveBound, Imbalance, PoolsOver1, MaxImbalance,
    Splits, Strays, Combinations, Groups."""
    hard_violations: int
    created_at: UtcDateTime
    created_by: str
    sections: list[FormationSectionOut]
