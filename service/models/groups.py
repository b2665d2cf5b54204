"""Academic groups and lecture streams (sets of groups taught together)."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base


class AcademicGroup(Base):
    """An academic group (``IS-23-1k``): students of one programme and admission year taught in one language."""

    __tablename__ = "groups"
    label: ClassVar[str] = "academic group"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    admission_year: Mapped[int]
    language: Mapped[str] = mapped_column(String(2))
    advisor_id: Mapped[int | None] = mapped_column(ForeignKey("teachers.id"), index=True)


stream_groups = Table(
    "stream_groups",
    Base.metadata,
    Column("stream_id", ForeignKey("streams.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("groups.id"), primary_key=True, index=True),
)
"""Membership of groups in streams; deleting a stream removes its memberships, a group in a stream stays."""


class Stream(Base):
    """A lecture stream: academic groups that attend lectures together (``CS-25-kk``)."""

    __tablename__ = "streams"
    label: ClassVar[str] = "stream"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    language: Mapped[str | None] = mapped_column(String(2))
    groups: Mapped[list[AcademicGroup]] = relationship(secondary=stream_groups, order_by=AcademicGroup.code)

    @property
    def group_ids(self) -> list[int]:
        return [g.id for g in self.groups]
