"""Course registration: a student's registration form for a period and its disciplines (enrolments).

An :class:`Enrolment` is one discipline on a registration form. Once the form is confirmed it is placed
in a :class:`~service.models.sections.Section` and becomes a row of that section's grade sheet: the
marks the teacher enters and the result computed from them by the grading policy are kept on it.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import Boolean, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base
from service.models.programmes import PlanDiscipline

Mark = Numeric(5, 2, asdecimal=False)
"""A mark 0-100 with two decimals (exact ``numeric`` on PostgreSQL; read back as the float it prints as)."""


class Registration(Base):
    """A student's registration form for one academic period: draft, submitted, confirmed or returned."""

    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("student_id", "period_id"),)
    label: ClassVar[str] = "registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[dt.datetime]
    """UTC, like every timestamp of the records."""
    submitted_at: Mapped[dt.datetime | None]
    decided_at: Mapped[dt.datetime | None]
    """When the advisor confirmed or returned the form."""
    decided_by: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(String(500))
    """The advisor's reason for returning the form."""
    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", passive_deletes=True, order_by="Enrolment.id"
    )

    @property
    def total_credits(self) -> int:
        return sum(e.credits for e in self.enrolments)


class Enrolment(Base):
    """A discipline on a registration form and, once placed in a section, its grade-sheet row.

    ``student_id``, ``period_id`` and ``credits`` repeat the registration's student and period and the
    discipline's credits at registration, so GPA and rankings are sums over this one table.
    ``points_hundredths`` holds the grade points x 100 (3.67 -> 367) so sums stay exact on every database.
    """

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("registration_id", "plan_discipline_id"),)
    label: ClassVar[str] = "enrolment"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    plan_discipline_id: Mapped[int] = mapped_column(ForeignKey("plan_disciplines.id"), index=True)
    credits: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    """``compulsory`` or ``elective`` (from the plan's semester) or ``retake`` (an academic debt)."""
    attempt: Mapped[int]
    """1 for the first study of the discipline, 2 and 3 for retakes."""
    retake_of_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id"), index=True)
    """The failed attempt this one retakes."""
    marks_carried: Mapped[bool] = mapped_column(Boolean)
    """A retake of the exam only (after FX): RK1 and RK2 marks come from the failed attempt and are locked."""
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"), index=True)
    current1: Mapped[float | None] = mapped_column(Mark)
    midterm1: Mapped[float | None] = mapped_column(Mark)
    current2: Mapped[float | None] = mapped_column(Mark)
    midterm2: Mapped[float | None] = mapped_column(Mark)
    exam: Mapped[float | None] = mapped_column(Mark)
    admitted: Mapped[bool | None] = mapped_column(Boolean)
    letter: Mapped[str | None] = mapped_column(String(8))
    """The final letter; ``None`` while the discipline is in progress."""
    points_hundredths: Mapped[int | None]
    outcome: Mapped[str | None] = mapped_column(String(16))
    graded_at: Mapped[dt.datetime | None]
    registration: Mapped[Registration] = relationship(back_populates="enrolments")
    discipline: Mapped[PlanDiscipline] = relationship(lazy="joined", innerjoin=True)

    @property
    def points(self) -> float | None:
        return None if self.points_hundredths is None else self.points_hundredths / 100

    @property
    def has_marks(self) -> bool:
        return any(getattr(self, f) is not None for f in ("current1", "midterm1", "current2", "midterm2", "exam"))
