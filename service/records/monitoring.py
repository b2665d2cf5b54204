"""Calendar monitoring: grade sheets not filled in by their deadline, and students not admitted to the exam.

Access: the registrar, vice-rector, exam coordinator and archivist see every section (a dean's office
filters by ``faculty_id``); a teacher sees only the sections they teach.
"""

from __future__ import annotations

from flask import Blueprint

from service.academic import monitoring
from service.api.routing import endpoint
from service.auth import allow, has_full_access, require_actor
from service.auth.roles import RECORD_READERS
from service.db import session
from service.schemas.common import Page
from service.schemas.monitoring import NotAdmittedQuery, NotAdmittedStudent, OverdueQuery, OverdueSheet

bp = Blueprint("monitoring", __name__)
WATCHERS = allow(*RECORD_READERS).scoped(teacher="sections they teach")


def own_sections(teacher_id: int | None) -> int | None:
    """The teacher filter: a caller who only teaches sees their own sections whatever they asked for."""
    if has_full_access():
        return teacher_id
    own = require_actor().teacher_id
    return own if own is not None else -1


@endpoint(bp, "/monitoring/overdue-sheets", "GET", name="list_overdue_sheets",
          summary="Grade sheets with marks still missing after their control's deadline", query=OverdueQuery,
          response=Page[OverdueSheet], roles=WATCHERS)  # fmt: skip
def overdue_sheets(query: OverdueQuery) -> Page[OverdueSheet]:
    query = query.model_copy(update={"teacher_id": own_sections(query.teacher_id)})
    return monitoring.overdue_sheets(session(), query)


@endpoint(bp, "/monitoring/not-admitted", "GET", name="list_not_admitted",
          summary="Students not admitted to the exam (a rating below the admission minimum)", query=NotAdmittedQuery,
          response=Page[NotAdmittedStudent], roles=WATCHERS)  # fmt: skip
def not_admitted(query: NotAdmittedQuery) -> Page[NotAdmittedStudent]:
    query = query.model_copy(update={"teacher_id": own_sections(query.teacher_id)})
    return monitoring.not_admitted(session(), query)
