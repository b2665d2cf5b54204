"""Schemas of rooms; the room types are the timetabling engine's (:mod:`datasets.synthetic_university`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from service.schemas.common import Code, InputModel, OutputModel, SearchQuery

RoomType = Literal["lecture_hall", "classroom", "computer_lab", "lab", "gym"]


class RoomCreate(InputModel):
    """A room with a unique code, its building, seats and type."""

    code: Code
    building: str = Field(min_length=1, max_length=32)
    capacity: int = Field(ge=1, le=2000)
    """Seats."""
    type: RoomType


class RoomOut(OutputModel):
    id: int
    code: str
    building: str
    capacity: int
    type: RoomType


class RoomQuery(SearchQuery):
    building: str | None = None
    type: RoomType | None = None
    min_capacity: int | None = Field(None, ge=1)
    """Rooms with at least this many seats."""
