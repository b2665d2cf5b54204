"""Teachers."""

from __future__ import annotations

from flask import Blueprint

from service.auth import EVERY_ROLE, REGISTRAR
from service.models import Department, Teacher
from service.records.crud import Resource, register
from service.schemas.teachers import TeacherCreate, TeacherOut, TeacherQuery

bp = Blueprint("teachers", __name__)

TEACHERS = Resource(
    "/teachers",
    Teacher,
    TeacherCreate,
    TeacherOut,
    TeacherQuery,
    references={"department_id": Department},
    unique=[("code",)],
    search=("code", "last_name", "first_name"),
    read=EVERY_ROLE,
    write=REGISTRAR,
)
register(bp, TEACHERS, "teachers")
