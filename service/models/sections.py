"""Sections: the offering of a study-plan discipline in a period to an academic group, taught by a teacher.

A section's enrolments are its grade sheet. The grade-entry deadlines are the period's; the registrar
may reopen one control of a sheet until a later date (:class:`SheetReopening`).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base
from service.models.programmes import PlanDiscipline


class Section(Base):
    """A discipline (of a study plan) offered in a period to one academic group, with its teacher."""

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("period_id", "plan_discipline_id", "group_id"),)
    label: ClassVar[str] = "section"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    plan_discipline_id: Mapped[int] = mapped_column(ForeignKey("plan_disciplines.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teachers.id"), index=True)
    discipline: Mapped[PlanDiscipline] = relationship(lazy="joined", innerjoin=True)

    @property
    def code(self) -> str:
        return self.discipline.code

    @property
    def name_en(self) -> str:
        return self.discipline.name_en

    @property
    def credits(self) -> int:
        return self.discipline.credits

    @property
    def control(self) -> str:
        return self.discipline.control


class SheetReopening(Base):
    """The registrar's permission to enter one control's marks of a section after its deadline, until ``until``."""

    __tablename__ = "sheet_reopenings"
    label: ClassVar[str] = "reopening"

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"), index=True)
    control: Mapped[str] = mapped_column(String(8))
    """``rk1``, ``rk2`` or ``exam``."""
    until: Mapped[dt.date]
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(String(100))
