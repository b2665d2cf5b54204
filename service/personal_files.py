"""Personal files: the checklist of a student's file, the report of incomplete files, and personal-data changes.

The requirements are :data:`models.personal_file.DEFAULT_REQUIREMENTS` unless the app's config sets
``PERSONAL_FILE_REQUIREMENTS`` (a list of :class:`~models.personal_file.Requirement` or of their dicts).
A change of personal data is applied to the student's record and registered, field by field, with the
order or document that justifies it, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from flask import current_app, has_app_context
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from models.personal_file import (
    DEFAULT_REQUIREMENTS,
    ChecklistItem,
    HeldDocument,
    ItemState,
    Requirement,
    StudentFacts,
    checklist,
)
from service import audit
from service.errors import Conflict, FieldError, NotFound, Unprocessable, field_errors
from service.models import PersonalDataChange, PersonalFileDocument, Student
from service.schemas.personal_files import PersonalDataChangeCreate
from service.schemas.students import StudentCreate

REQUIREMENTS = TypeAdapter(list[Requirement])
PERSONAL_FIELDS = ("last_name", "first_name", "middle_name", "iin", "birth_date", "sex", "citizenship")


def requirements() -> list[Requirement]:
    """The checklist requirements in force (config ``PERSONAL_FILE_REQUIREMENTS`` or the defaults)."""
    configured = current_app.config.get("PERSONAL_FILE_REQUIREMENTS") if has_app_context() else None
    if configured is None:
        return list(DEFAULT_REQUIREMENTS)
    return REQUIREMENTS.validate_python(configured)


def full_name(student: Student) -> str:
    return " ".join(n for n in (student.last_name, student.first_name, student.middle_name) if n)


def facts(student: Student) -> StudentFacts:
    return StudentFacts(funding=student.funding, citizenship=student.citizenship)  # type: ignore[arg-type]


def held(document: PersonalFileDocument) -> HeldDocument:
    return HeldDocument(kind=document.kind, copies=document.copies, expires_on=document.expires_on)  # type: ignore[arg-type]


def documents_of(db: Session, student_id: int) -> list[PersonalFileDocument]:
    statement = select(PersonalFileDocument).where(PersonalFileDocument.student_id == student_id)
    return list(db.scalars(statement.order_by(PersonalFileDocument.received_on, PersonalFileDocument.id)))


def student_checklist(
    db: Session, student: Student, on: dt.date
) -> tuple[list[ChecklistItem], list[PersonalFileDocument]]:
    """The checklist of ``student``'s file on ``on`` and the documents it holds."""
    documents = documents_of(db, student.id)
    return checklist(facts(student), [held(d) for d in documents], on, requirements()), documents


def incomplete_files(db: Session, conditions: Sequence[ColumnElement[bool]], on: dt.date,
                     kind: str | None = None) -> tuple[list[dict[str, Any]], int]:  # fmt: skip
    """The students matching ``conditions`` whose file lacks a required document on ``on`` (ordered by name),
    and how many students were checked. ``kind``: only files where that kind is missing or expired."""
    students = list(db.scalars(select(Student).where(*conditions).order_by(Student.last_name, Student.first_name,
                                                                           Student.id)))  # fmt: skip
    by_student: dict[int, list[HeldDocument]] = defaultdict(list)
    ids = [s.id for s in students]
    for start in range(0, len(ids), 1000):  # bounded IN lists
        chunk = ids[start : start + 1000]
        for document in db.scalars(select(PersonalFileDocument).where(PersonalFileDocument.student_id.in_(chunk))):
            by_student[document.student_id].append(held(document))
    rules = requirements()
    out = []
    for student in students:
        items = checklist(facts(student), by_student[student.id], on, rules)
        missing = [i.kind for i in items if i.state is ItemState.MISSING]
        expired = [i.kind for i in items if i.state is ItemState.EXPIRED]
        if not missing and not expired:
            continue
        if kind is not None and kind not in missing and kind not in expired:
            continue
        out.append({"student_id": student.id, "iin": student.iin, "full_name": full_name(student),
                    "group_id": student.group_id, "programme_id": student.programme_id, "missing": missing,
                    "expired": expired})  # fmt: skip
    return out, len(students)


def _text(value: Any) -> str | None:
    return None if value is None else value.isoformat() if isinstance(value, dt.date) else str(value)


def change_personal_data(
    db: Session, student: Student, data: PersonalDataChangeCreate, actor: str
) -> list[PersonalDataChange]:
    """Apply ``data`` to ``student`` and register each changed field (not committed).

    422: the justifying document is not in this student's file, a field keeps its value, or the record would
    be invalid (an IIN not agreeing with the birth date); 409: the new IIN belongs to another student.
    """
    if data.document_id is not None:
        document = db.get(PersonalFileDocument, data.document_id)
        if document is None or document.student_id != student.id:
            raise Unprocessable(f"no document {data.document_id} in the personal file of student {student.id}",
                                field="document_id")  # fmt: skip
    given = data.changes.model_dump(include=data.changes.model_fields_set)
    unchanged = [FieldError(f"changes.{f}", f"is already {_text(v)}") for f, v in given.items()
                 if getattr(student, f) == v]  # fmt: skip
    if unchanged:
        raise Unprocessable(unchanged)
    stored = {f: getattr(student, f) for f in StudentCreate.model_fields}
    try:
        StudentCreate.model_validate(stored | given)
    except ValidationError as exc:
        raise Unprocessable([FieldError(f"changes.{e.field}", e.message) for e in field_errors(exc)]) from None
    if "iin" in given:
        other = db.scalar(select(Student.id).where(Student.iin == given["iin"], Student.id != student.id))
        if other is not None:
            raise Conflict(f"IIN {given['iin']} belongs to student {other}", field="changes.iin")
    change_id, at = uuid.uuid4().hex, dt.datetime.now(dt.UTC)
    rows = []
    for field in PERSONAL_FIELDS:
        if field not in given:
            continue
        rows.append(PersonalDataChange(change_id=change_id, student_id=student.id, field=field,
                                       old_value=_text(getattr(student, field)), new_value=_text(given[field]),
                                       effective_on=data.effective_on, order_number=data.order_number,
                                       order_date=data.order_date, document_id=data.document_id, registered_at=at,
                                       registered_by=actor))  # fmt: skip
        setattr(student, field, given[field])
    db.add_all(rows)
    db.flush()
    justification = "; ".join(part for part in (
        f"order {data.order_number} of {data.order_date}" if data.order_number else None,
        f"personal file document {data.document_id}" if data.document_id is not None else None) if part)  # fmt: skip
    audit.log_changes(db, "students", student.id, "update", {r.field: (r.old_value, r.new_value) for r in rows},
                      audit.request_reason() or justification)  # fmt: skip
    return rows


def find_student(db: Session, student_id: int) -> Student:
    student = db.get(Student, student_id) if 0 < student_id <= 2**31 - 1 else None
    if student is None:
        raise NotFound(f"no student with id {student_id}")
    return student


