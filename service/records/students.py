"""Students (no delete: a student leaves the contingent by a change of status, and the record stays).

Access: registrar, vice-rector, exam coordinator and archivist read every student; a student only their
own record, an advisor their groups' students, a teacher the students they teach; the registrar changes them.
A change of status needs a reason (the ``X-Reason`` header), kept in the audit log.

Database rule (beyond the schema): the student's group, if any, belongs to the student's programme.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from sqlalchemy.orm import Session

from service.auth import REGISTRAR, allow, student_filter
from service.auth.roles import RECORD_READERS
from service.errors import FieldError
from service.models import AcademicGroup, Programme, Student
from service.records.crud import Resource, register
from service.schemas.students import StudentCreate, StudentOut, StudentQuery

bp = Blueprint("students", __name__)

STUDENT_READERS = allow(*RECORD_READERS).scoped(
    student="own record", advisor="students of the groups they advise", teacher="students of the sections they teach"
)
"""Who reads students: the record keepers all of them; a student, advisor or teacher only their own
(:mod:`service.auth.scopes`; the teacher's scope comes with course registration)."""


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
    read=STUDENT_READERS,
    write=REGISTRAR,
    scope=student_filter,
    reason_required=frozenset({"status"}),
)
register(bp, STUDENTS, "students")
