"""Educational programmes and their study plans (disciplines per semester)."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base
from service.models.names import NamesMixin


class Programme(NamesMixin, Base):
    """An educational programme with its state classifier code (``6B06102``) and level."""

    __tablename__ = "programmes"
    label: ClassVar[str] = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    level: Mapped[str] = mapped_column(String(16))
    credits: Mapped[int]
    faculty_id: Mapped[int] = mapped_column(ForeignKey("faculties.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)


class StudyPlan(Base):
    """The study plan (working curriculum) of a programme for the students admitted in one year."""

    __tablename__ = "study_plans"
    __table_args__ = (UniqueConstraint("programme_id", "admission_year"),)
    label: ClassVar[str] = "study plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    admission_year: Mapped[int]
    title: Mapped[str | None] = mapped_column(String(200))
    disciplines: Mapped[list[PlanDiscipline]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(PlanDiscipline.semester, PlanDiscipline.code)",
    )

    @property
    def total_credits(self) -> int:
        return sum(d.credits for d in self.disciplines)


class PlanDiscipline(NamesMixin, Base):
    """A discipline of a study plan in one semester, with its credits and form of final control."""

    __tablename__ = "plan_disciplines"
    __table_args__ = (UniqueConstraint("plan_id", "semester", "code"),)
    label: ClassVar[str] = "study plan discipline"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("study_plans.id", ondelete="CASCADE"), index=True)
    semester: Mapped[int]
    code: Mapped[str] = mapped_column(String(32))
    credits: Mapped[int]
    control: Mapped[str] = mapped_column(String(32))
    component: Mapped[str] = mapped_column(String(16))
    plan: Mapped[StudyPlan] = relationship(back_populates="disciplines")
