"""Audit-log entries of the academic records (:mod:`service.audit`): registrations, enrolments (with their
marks and results), sections, sheet reopenings and settings versions.

Each helper adds rows to the session, to be committed with the change itself; the entity is the table
name and the reason defaults to the request's ``X-Reason`` header.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from service import audit

REGISTRATION_FIELDS = ("student_id", "period_id", "status", "decided_by", "note")
ENROLMENT_FIELDS = (
    "registration_id", "student_id", "period_id", "plan_discipline_id", "credits", "kind", "attempt", "retake_of_id",
    "marks_carried", "section_id", "current1", "midterm1", "current2", "midterm2", "exam", "admitted", "letter",
    "points_hundredths", "outcome",
)  # fmt: skip
SECTION_FIELDS = ("period_id", "plan_discipline_id", "group_id", "teacher_id")


def snapshot(row: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` on ``row`` now (to compare after a change)."""
    return {name: getattr(row, name) for name in fields}


def created(db: Session, row: Any, fields: Iterable[str], reason: str | None = None) -> None:
    """Log the creation of ``row`` (flushed: it has its id) with its non-empty ``fields``."""
    values = {name: (None, value) for name, value in snapshot(row, fields).items() if value is not None}
    audit.log_changes(db, row.__tablename__, row.id, "create", values, reason)


def deleted(db: Session, row: Any, fields: Iterable[str], reason: str | None = None) -> None:
    """Log the deletion of ``row`` with its last non-empty ``fields``."""
    values = {name: (value, None) for name, value in snapshot(row, fields).items() if value is not None}
    audit.log_changes(db, row.__tablename__, row.id, "delete", values, reason)


def updated(db: Session, row: Any, before: dict[str, Any], reason: str | None = None) -> None:
    """Log the fields of ``before`` whose value on ``row`` changed since the snapshot."""
    audit.log_changes(db, row.__tablename__, row.id, "update", audit.diff(before, snapshot(row, before)), reason)
