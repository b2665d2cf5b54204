"""The academic calendar: academic years and their periods (semesters) with control weeks and deadlines."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base


class AcademicYear(Base):
    """An academic year, e.g. 2025/2026 (``start_year`` 2025)."""

    __tablename__ = "academic_years"
    label: ClassVar[str] = "academic year"

    id: Mapped[int] = mapped_column(primary_key=True)
    start_year: Mapped[int] = mapped_column(unique=True)
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    periods: Mapped[list[Period]] = relationship(back_populates="academic_year", order_by="Period.starts_on")


class Period(Base):
    """An academic period (autumn, spring or summer semester) with its RK1, RK2 and session weeks
    (counted from 1 at ``starts_on``), the deadlines for entering the RK1, RK2 and exam grades, and the
    add/drop deadlines of course registration (last day to add a discipline, last day to drop one)."""

    __tablename__ = "periods"
    __table_args__ = (UniqueConstraint("academic_year_id", "kind"),)
    label: ClassVar[str] = "period"

    id: Mapped[int] = mapped_column(primary_key=True)
    academic_year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    rk1_week: Mapped[int]
    rk2_week: Mapped[int]
    session_first_week: Mapped[int]
    session_last_week: Mapped[int]
    rk1_deadline: Mapped[dt.date]
    rk2_deadline: Mapped[dt.date]
    exam_deadline: Mapped[dt.date]
    add_deadline: Mapped[dt.date]
    drop_deadline: Mapped[dt.date]
    academic_year: Mapped[AcademicYear] = relationship(back_populates="periods")
