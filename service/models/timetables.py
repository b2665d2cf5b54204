"""Timetables of the service: one per academic period and kind, their versions, and the solve jobs.

- :class:`Timetable`: the lesson timetable (``kind="lessons"``) or the exam session (``kind="exams"``)
  of one academic period; unique per (period, kind). It holds versions.
- :class:`TimetableVersion`: one complete timetable, numbered 1, 2, ... within its timetable. It keeps
  the solver instance it was made for (``instance``: a :class:`~models.course_instance.CourseInstance`
  or :class:`~models.exam_instance.ExamInstance` as JSON), the ``legend`` naming the instance's ids in
  the records' terms (see :mod:`service.timetabling.instances`), the solution (``placements``: lesson
  rows ``[course, room, day, period]`` or exam rows ``[exam, period, room]``) and the scorer's
  breakdown (``hard``, ``soft``, ``hard_violations``, ``cost``). Status: ``draft`` -> ``submitted`` ->
  ``approved`` or ``returned`` -> ``published``; a published version is ``superseded`` when another
  one of its timetable is published. At most one version per timetable is published (a partial
  unique index). ``revision`` counts the changes of the row: the optimistic lock (SQLAlchemy's
  ``version_id_col``; the API also compares the caller's number and answers 409 when it is stale).
- :class:`SolveJob`: a background solve (``kind``: ``lessons``, ``exams``, ``repair`` or ``groups``) of
  one period (``period_id``): ``queued`` -> ``running`` (``elapsed`` seconds, ``best_cost``,
  ``best_bound``, ``phase``, ``heartbeat_at``) -> ``finished`` (``version_id``: the draft it wrote, or
  ``formation_id``: the group formation), ``failed`` (``error``) or ``cancelled``. Timetable jobs name
  their ``timetable_id``; a ``groups`` job has none. The instance is built from the records when the
  job is created and stored on it, so a worker needs only the job row. ``lease`` is the token of the
  attempt running it: only that attempt may finish the job, and its result and the job's new state are
  written in one transaction.
- :class:`GroupFormation`: the sections a ``groups`` job formed from a period's registrations: the
  instance (a :class:`~models.enrollment.EnrollmentInstance` as JSON), the sections (a
  :class:`~models.groups.Grouping`'s sections as JSON) and the independent scorer's breakdown
  (:mod:`models.groups_scoring`: ``hard`` counts per rule, objective ``terms``, ``hard_violations``).

Times are UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base

Timestamp = DateTime(timezone=True)


class Timetable(Base):
    """The lesson timetable or the exam session of one academic period (holds its versions)."""

    __tablename__ = "timetables"
    __table_args__ = (UniqueConstraint("period_id", "kind"),)
    label: ClassVar[str] = "timetable"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    """``lessons`` or ``exams``."""
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp)


class TimetableVersion(Base):
    """One complete version of a timetable with its instance, solution, scores and workflow state."""

    __tablename__ = "timetable_versions"
    __table_args__ = (
        UniqueConstraint("timetable_id", "number"),
        Index(
            "uq_timetable_versions_published",
            "timetable_id",
            unique=True,
            sqlite_where=text("status = 'published'"),
            postgresql_where=text("status = 'published'"),
        ),
    )
    label: ClassVar[str] = "timetable version"

    id: Mapped[int] = mapped_column(primary_key=True)
    timetable_id: Mapped[int] = mapped_column(ForeignKey("timetables.id"), index=True)
    number: Mapped[int]
    """1, 2, ... within the timetable."""
    status: Mapped[str] = mapped_column(String(16), index=True)
    revision: Mapped[int] = mapped_column()
    """The optimistic lock: 1 when created, +1 at every change of the row."""
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("timetable_versions.id"))
    """The version this one was copied or repaired from."""
    source: Mapped[str] = mapped_column(String(16))
    """``solve``, ``repair`` or ``copy`` (a new draft of an approved or published version)."""
    job_id: Mapped[int | None]
    """The solve job that wrote it (no foreign key: jobs refer to versions, a cycle would need ALTER)."""
    instance: Mapped[dict[str, Any]] = mapped_column(JSON)
    legend: Mapped[dict[str, Any]] = mapped_column(JSON)
    placements: Mapped[list[Any]] = mapped_column(JSON)
    hard: Mapped[dict[str, int]] = mapped_column(JSON)
    soft: Mapped[dict[str, int]] = mapped_column(JSON)
    hard_violations: Mapped[int]
    cost: Mapped[int]
    edits: Mapped[int]
    """Manual moves made in this version."""
    comment: Mapped[str | None] = mapped_column(String(2000))
    """The vice-rector's comment when returning it (or approving it with a remark)."""
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(Timestamp)
    updated_by: Mapped[str] = mapped_column(String(100))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    submitted_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    published_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    published_by: Mapped[str | None] = mapped_column(String(100))

    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012 (read once by the mapper)


class GroupFormation(Base):
    """Sections formed for a period's registrations by a ``groups`` job, with the scorer's breakdown."""

    __tablename__ = "group_formations"
    label: ClassVar[str] = "group formation"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    job_id: Mapped[int | None]
    """The job that formed it (no foreign key: jobs refer to formations, a cycle would need ALTER)."""
    instance: Mapped[dict[str, Any]] = mapped_column(JSON)
    sections: Mapped[list[Any]] = mapped_column(JSON)
    """``[{"id", "discipline", "kind", "students", "parent"}, ...]``: the sections of a Grouping."""
    hard: Mapped[dict[str, int]] = mapped_column(JSON)
    terms: Mapped[dict[str, int]] = mapped_column(JSON)
    hard_violations: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp)
    created_by: Mapped[str] = mapped_column(String(100))


class SolveJob(Base):
    """A background solve of a timetable or of a period's groups (see the module docstring for its states)."""

    __tablename__ = "solve_jobs"
    label: ClassVar[str] = "solve job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    """``lessons``, ``exams`` (a solve from the records), ``repair`` (of ``base_version_id``) or ``groups``
    (sections from the period's registrations)."""
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    timetable_id: Mapped[int | None] = mapped_column(ForeignKey("timetables.id"), index=True)
    """The timetable solved or repaired (``None`` for a ``groups`` job)."""
    base_version_id: Mapped[int | None] = mapped_column(ForeignKey("timetable_versions.id"))
    status: Mapped[str] = mapped_column(String(16), index=True)
    time_limit: Mapped[float] = mapped_column(Float)
    """Seconds the solver may take; the runner kills it a grace period after."""
    instance: Mapped[dict[str, Any]] = mapped_column(JSON)
    legend: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp)
    created_by: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    finished_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    lease: Mapped[str | None] = mapped_column(String(32))
    worker: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int]
    elapsed: Mapped[float | None] = mapped_column(Float)
    best_cost: Mapped[int | None]
    best_bound: Mapped[int | None]
    phase: Mapped[str | None] = mapped_column(String(100))
    cancel_requested: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("timetable_versions.id"))
    """The draft the job wrote (finished timetable jobs)."""
    formation_id: Mapped[int | None] = mapped_column(ForeignKey("group_formations.id"))
    """The formation the job wrote (finished ``groups`` jobs)."""
