"""Students: the contingent."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base


class Student(Base):
    """A student with the IIN, personal data and the terms of study (programme, group, form, funding, status)."""

    __tablename__ = "students"
    __table_args__ = (
        Index("ix_students_search", "iin", "last_name", "first_name", postgresql_using="gin",
              postgresql_ops={"iin": "gin_trgm_ops", "last_name": "gin_trgm_ops", "first_name": "gin_trgm_ops"}),
    )  # fmt: skip
    """The search of ``q`` (a case-insensitive substring of IIN, last or first name): on PostgreSQL a trigram
    GIN index (``pg_trgm``) answers ``ILIKE '%q%'`` from the index for 3 characters or more; on SQLite it is a
    plain index and the search scans the table (migration ``0007_search``)."""
    label: ClassVar[str] = "student"

    id: Mapped[int] = mapped_column(primary_key=True)
    iin: Mapped[str] = mapped_column(String(12), unique=True)
    last_name: Mapped[str] = mapped_column(String(100), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[dt.date]
    sex: Mapped[str] = mapped_column(String(8))
    citizenship: Mapped[str] = mapped_column(String(2))
    language: Mapped[str] = mapped_column(String(2))
    study_form: Mapped[str] = mapped_column(String(16))
    funding: Mapped[str] = mapped_column(String(16))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), index=True)
    admission_year: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), index=True)
