"""Students (no delete: a student leaves the contingent by a change of status, and the record stays).

Access: registrar, vice-rector, exam coordinator and archivist read every student; a student only their
own record, an advisor their groups' students, a teacher the students they teach; the registrar changes them.
The status changes only by an order, which writes the audit log with the order's number as the reason.

Database rules (beyond the schema):

- the student's group, if any, belongs to the student's programme;
- a new student is taken on record in the status history (kind ``record``, dated the day of entry);
- status, programme, form of study, funding and language change only by a registered order
  (``POST /api/orders``: :mod:`service.records.orders`), so a change here is refused (422);
- personal data changes only with its justification, registered (:mod:`service.personal_files`): names by a
  change-of-name order, the IIN, birth date, sex and citizenship through
  ``POST /api/students/<id>/personal-data-changes`` with an order or a document of the personal file; a change
  here is refused (422); the group may be changed here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint
from sqlalchemy.orm import Session

from service.auth import REGISTRAR, allow, student_filter
from service.auth.roles import RECORD_READERS
from service.contingent.history import record_student
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


def student_rules(db: Session, data: StudentCreate, row: Any) -> list[FieldError]:
    if row is not None:
        personal = [
            FieldError(name, f"is personal data: {PERSONAL_PATH[name]}; it is {getattr(row, name)}")
            for name in PERSONAL_PATH
            if getattr(data, name) != getattr(row, name)
        ]
        if personal:
            return personal
        moved = [
            FieldError(
                name,
                f"changes only by a registered order (POST /api/orders, e.g. {ORDER_FOR[name]}); "
                f"it is {getattr(row, name)}",
            )
            for name in ORDER_FOR
            if getattr(data, name) != getattr(row, name)
        ]
        if moved:
            return moved
    if data.group_id is None:
        return []
    group = db.get(AcademicGroup, data.group_id)
    assert group is not None  # checked as a reference
    if group.programme_id != data.programme_id:
        programme = db.get(Programme, group.programme_id)
        code = programme.code if programme else group.programme_id
        return [FieldError("group_id", f"group {group.code} belongs to programme {code}, not the student's")]
    return []


ORDER_FOR: dict[str, str] = {
    "status": "expulsion, academic leave, return from leave, reinstatement, graduation",
    "programme_id": "transfer within the university",
    "study_form": "transfer within the university",
    "funding": "transfer within the university",
    "language": "transfer within the university",
}
"""Student fields kept in the status history, and the orders that change them."""
_BY_NAME_ORDER = "it changes by a change-of-name order (POST /api/orders, kind change_of_name)"
_BY_CHANGE = ("it changes through POST /api/students/<id>/personal-data-changes, with the order or document "
              "that justifies it")  # fmt: skip
PERSONAL_PATH: dict[str, str] = {"last_name": _BY_NAME_ORDER, "first_name": _BY_NAME_ORDER,
                                 "middle_name": _BY_NAME_ORDER, "iin": _BY_CHANGE, "birth_date": _BY_CHANGE,
                                 "sex": _BY_CHANGE, "citizenship": _BY_CHANGE}  # fmt: skip
"""Personal data, and the one way each field changes (registered with its justification)."""


def apply_student(db: Session, row: Student, data: StudentCreate) -> None:
    """Copy the fields; a new student is also taken on record in the status history (dated today)."""
    for name in StudentCreate.model_fields:
        setattr(row, name, getattr(data, name))
    if row.id is None:
        db.add(row)
        db.flush()
        record_student(db, row, dt.date.today())


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
    apply=apply_student,
)
register(bp, STUDENTS, "students")
