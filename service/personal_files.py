"""Personal files: the checklist of a student's file, the report of incomplete files, and personal-data changes.

The requirements are :data:`models.personal_file.DEFAULT_REQUIREMENTS` unless the app's config sets
``PERSONAL_FILE_REQUIREMENTS`` (a list of :class:`~models.personal_file.Requirement` or of their dicts).
Personal data (names, IIN, birth date, sex, citizenship) change along exactly one path each, and every
change is registered here, field by field, with what justifies it, in the transaction that applies it:

- names: a change-of-name order (:mod:`service.contingent.orders`; also its cancellation), which calls
  :func:`register_order_changes`;
- IIN, birth date, sex, citizenship: :func:`change_personal_data`, justified by a registered order listing the
  student (not cancelled) or a document of the student's own personal file.

The student record's own update (``PUT``/``PATCH /api/students/<id>``) refuses all of them
(:mod:`service.records.students`).
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

from models.contingent import OrderKind, order_number
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
from service.models import Order, OrderItem, PersonalDataChange, PersonalFileDocument, Student
from service.row_audit import actor as current_actor
from service.schemas.personal_files import PersonalDataChangeCreate
from service.schemas.students import StudentCreate

REQUIREMENTS = TypeAdapter(list[Requirement])
PERSONAL_FIELDS = ("last_name", "first_name", "middle_name", "iin", "birth_date", "sex", "citizenship")
NAME_FIELDS = ("last_name", "first_name", "middle_name")


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


def justifying_order(db: Session, student: Student, order_id: int) -> Order:
    """The registered order ``order_id`` if it lists ``student`` and is in force; 422 naming the problem."""
    order = db.get(Order, order_id) if 0 < order_id <= 2**31 - 1 else None
    if order is None:
        raise Unprocessable(f"no registered order with id {order_id}", field="order_id")
    number = order_number(OrderKind(order.kind), order.year, order.sequence)
    if order.kind == OrderKind.CANCELLATION.value or order.cancelled_by is not None:
        what = "is a cancellation" if order.kind == OrderKind.CANCELLATION.value else "was cancelled"
        raise Unprocessable(f"order {number} {what}: it justifies no change", field="order_id")
    listed = db.scalar(select(OrderItem.id).where(OrderItem.order_id == order.id, OrderItem.student_id == student.id))
    if listed is None:
        raise Unprocessable(f"order {number} does not list student {student.id}", field="order_id")
    return order


def _register(db: Session, student: Student, changes: dict[str, tuple[Any, Any]], effective_on: dt.date,
              order: Order | None, document_id: int | None, actor: str) -> list[PersonalDataChange]:  # fmt: skip
    """Add a register row per changed field (in :data:`PERSONAL_FIELDS` order), sharing one change id."""
    change_id, at = uuid.uuid4().hex, dt.datetime.now(dt.UTC)
    number = order_number(OrderKind(order.kind), order.year, order.sequence) if order is not None else None
    rows = [PersonalDataChange(change_id=change_id, student_id=student.id, field=field,
                               old_value=_text(changes[field][0]), new_value=_text(changes[field][1]),
                               effective_on=effective_on, order_id=order.id if order else None, order_number=number,
                               order_date=order.date if order else None, document_id=document_id, registered_at=at,
                               registered_by=actor)
            for field in PERSONAL_FIELDS if field in changes]  # fmt: skip
    db.add_all(rows)
    db.flush()
    return rows


def register_order_changes(db: Session, student: Student, before: dict[str, Any], order: Order,
                           effective_on: dt.date) -> list[PersonalDataChange]:  # fmt: skip
    """Register the personal fields an order (a change of name, or the cancellation restoring one) changed:
    ``before`` are the student's values before the order was applied. Not committed."""
    changes = {f: (before[f], getattr(student, f)) for f in PERSONAL_FIELDS if f in before
               and before[f] != getattr(student, f)}  # fmt: skip
    if not changes:
        return []
    return _register(db, student, changes, effective_on, order, None, current_actor())


def change_personal_data(
    db: Session, student: Student, data: PersonalDataChangeCreate, actor: str
) -> list[PersonalDataChange]:
    """Apply ``data`` to ``student`` and register each changed field (not committed).

    422: the order is not a registered order listing the student in force, the document is not in this
    student's file, a field keeps its value, or the record would be invalid (an IIN not agreeing with the
    birth date); 409: the new IIN belongs to another student.
    """
    order = justifying_order(db, student, data.order_id) if data.order_id is not None else None
    if data.document_id is not None:
        document = db.get(PersonalFileDocument, data.document_id) if 0 < data.document_id <= 2**31 - 1 else None
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
    changes = {f: (getattr(student, f), given[f]) for f in PERSONAL_FIELDS if f in given}
    rows = _register(db, student, changes, data.effective_on, order, data.document_id, actor)
    for field, (_, new) in changes.items():
        setattr(student, field, new)
    justification = "; ".join(part for part in (
        f"order {rows[0].order_number} of {rows[0].order_date}" if order is not None else None,
        f"personal file document {data.document_id}" if data.document_id is not None else None) if part)  # fmt: skip
    audit.log_changes(db, "students", student.id, "update", {r.field: (r.old_value, r.new_value) for r in rows},
                      audit.request_reason() or justification)  # fmt: skip
    return rows


def find_student(db: Session, student_id: int) -> Student:
    student = db.get(Student, student_id) if 0 < student_id <= 2**31 - 1 else None
    if student is None:
        raise NotFound(f"no student with id {student_id}")
    return student
