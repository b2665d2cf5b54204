"""Students (no delete: a student leaves the contingent by a change of status, and the record stays).

Database rule (beyond the schema): the student's group, if any, belongs to the student's programme.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from sqlalchemy.orm import Session

from service.errors import FieldError
from service.models import AcademicGroup, Programme, Student
from service.records.crud import Resource, register
from service.schemas.students import StudentCreate, StudentOut, StudentQuery

bp = Blueprint("students", __name__)


def student_rules(db: Session, data: StudentCreate, _row: Any) -> list[FieldError]:
    if data.group_id is None:
        return []
    group = db.get(AcademicGroup, data.group_id)
    assert group is not None  # checked as a reference
    if group.programme_id != data.programme_id:
        programme = db.get(Programme, group.programme_id)
        code = programme.code if programme else group.programme_id
        return [FieldError("group_id", f"group {group.code} belongs to programme {code}, not the student's")]
    return []


STUDENTS = Resource(
    "/students",
    Student,
    StudentCreate,
    StudentOut,
    StudentQuery,
    references={"programme_id": Programme, "group_id": AcademicGroup},
    unique=[("iin",)],
    search=("iin", "last_name", "first_name"),
    rules=student_rules,
    deletable=False,
)
register(bp, STUDENTS, "students")
