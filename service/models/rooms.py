"""Rooms (auditoriums) of the university's buildings."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base


class Room(Base):
    """A room: its code (``A-101``), building, seats and type (the timetable's room types)."""

    __tablename__ = "rooms"
    label: ClassVar[str] = "room"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    building: Mapped[str] = mapped_column(String(32))
    capacity: Mapped[int]
    type: Mapped[str] = mapped_column(String(32))
