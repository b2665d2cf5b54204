"""Schemas of teachers."""

from __future__ import annotations

from typing import Literal

from service.schemas.common import Code, InputModel, OutputModel, PersonName, SearchQuery

Position = Literal["assistant", "lecturer", "senior_lecturer", "associate_professor", "professor"]


class TeacherCreate(InputModel):
    """A teacher: a unique code (the timetabling engine's teacher id), names, position, department."""

    code: Code
    last_name: PersonName
    first_name: PersonName
    middle_name: PersonName | None = None
    """Patronymic, if any."""
    position: Position = "lecturer"
    department_id: int | None = None


class TeacherOut(OutputModel):
    id: int
    code: str
    last_name: str
    first_name: str
    middle_name: str | None
    position: Position
    department_id: int | None


class TeacherQuery(SearchQuery):
    department_id: int | None = None
    position: Position | None = None
