"""Schemas of faculties and departments."""

from __future__ import annotations

from service.schemas.common import Code, Names, NamesOut, SearchQuery


class FacultyCreate(Names):
    """A faculty: a unique code (``FIT``) and its names."""

    code: Code


class FacultyOut(NamesOut):
    id: int
    code: str


class DepartmentCreate(Names):
    """A department: a unique code, its names and its faculty (none: university-wide)."""

    code: Code
    faculty_id: int | None = None


class DepartmentOut(NamesOut):
    id: int
    code: str
    faculty_id: int | None


class DepartmentQuery(SearchQuery):
    faculty_id: int | None = None
