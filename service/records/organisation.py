"""Faculties and departments."""

from __future__ import annotations

from flask import Blueprint

from service.auth import EVERY_ROLE, REGISTRAR
from service.models import Department, Faculty
from service.records.crud import Resource, register
from service.schemas.common import SearchQuery
from service.schemas.organisation import DepartmentCreate, DepartmentOut, DepartmentQuery, FacultyCreate, FacultyOut

NAME_COLUMNS = ("code", "name_en", "name_kk", "name_ru")
bp = Blueprint("organisation", __name__)

FACULTIES = Resource(
    "/faculties",
    Faculty,
    FacultyCreate,
    FacultyOut,
    SearchQuery,
    unique=[("code",)],
    search=NAME_COLUMNS,
    read=EVERY_ROLE,
    write=REGISTRAR,
)
DEPARTMENTS = Resource(
    "/departments",
    Department,
    DepartmentCreate,
    DepartmentOut,
    DepartmentQuery,
    references={"faculty_id": Faculty},
    unique=[("code",)],
    search=NAME_COLUMNS,
    read=EVERY_ROLE,
    write=REGISTRAR,
)
register(bp, FACULTIES, "faculties")
register(bp, DEPARTMENTS, "departments")
