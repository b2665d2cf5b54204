"""Organisational structure: faculties and departments (chairs)."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base
from service.models.names import NamesMixin


class Faculty(NamesMixin, Base):
    """A faculty (school) of the university, e.g. ``FIT`` Faculty of Information Technologies."""

    __tablename__ = "faculties"
    label: ClassVar[str] = "faculty"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    departments: Mapped[list[Department]] = relationship(back_populates="faculty")


class Department(NamesMixin, Base):
    """A department (chair); ``faculty_id`` None: a university-wide department (e.g. physical education)."""

    __tablename__ = "departments"
    label: ClassVar[str] = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    faculty_id: Mapped[int | None] = mapped_column(ForeignKey("faculties.id"), index=True)
    faculty: Mapped[Faculty | None] = relationship(back_populates="departments")
