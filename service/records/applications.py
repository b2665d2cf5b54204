"""Applications about the movement of the contingent (rules: :mod:`service.schemas.applications`).

- ``GET /applications`` (filters: kind, state, student, unused; ``q`` in the applicant's IIN or last name),
  ``POST /applications``, ``GET /applications/{id}``;
- ``POST /applications/{id}/decision``: the next step of the review (409 for a step not allowed);
- ``POST /applications/{id}/documents``: attach a document reference (409 once decided).

Access: the record keepers (registrar, vice-rector, exam coordinator, archivist) read every application;
the registrar submits (for any student or applicant), reviews and attaches documents; a student reads
and submits only their own applications and attaches documents to them.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from service.api.routing import endpoint
from service.auth import REGISTRAR, allow, has_full_access, require_actor
from service.auth.roles import RECORD_READERS
from service.contingent.applications import attach, decide, find_application, submit
from service.db import session
from service.errors import Forbidden
from service.models import Application, Order, OrderItem
from service.schemas.applications import (
    ApplicationCreate,
    ApplicationDecision,
    ApplicationOut,
    ApplicationQuery,
    DocumentIn,
)
from service.schemas.common import Page

bp = Blueprint("applications", __name__)
OWN = "own applications"
APPLICATION_READERS = allow(*RECORD_READERS).scoped(student=OWN)
APPLICANTS = REGISTRAR.scoped(student=OWN)


def _own_only(student_id: int | None) -> None:
    """403 unless the caller has a full role or is the student ``student_id``."""
    if has_full_access():
        return
    actor = require_actor()
    if student_id is None or actor.student_id != student_id:
        raise Forbidden(f"{actor.username} may act only on their own applications (student {actor.student_id})")


def _used() -> Any:
    """Condition: an order in force (not a cancelled one) acted on the application."""
    cancelled = select(Order.cancels_id).where(Order.cancels_id.is_not(None))
    in_force = (
        select(OrderItem.application_id)
        .join(Order, Order.id == OrderItem.order_id)
        .where(and_(OrderItem.application_id.is_not(None), Order.id.not_in(cancelled)))
    )
    return Application.id.in_(in_force)


@endpoint(
    bp,
    "/applications",
    "GET",
    name="list_applications",
    summary="List applications",
    query=ApplicationQuery,
    response=Page[ApplicationOut],
    roles=APPLICATION_READERS,
)
def list_applications(query: ApplicationQuery) -> Page[Any]:
    db = session()
    conditions: list[Any] = []
    if not has_full_access():
        conditions.append(Application.student_id == require_actor().student_id)
    for name in ("kind", "state"):
        value = getattr(query, name)
        if value is not None:
            conditions.append(getattr(Application, name) == value.value)
    if query.student_id is not None:
        conditions.append(Application.student_id == query.student_id)
    if query.unused is not None:
        conditions.append(~_used() if query.unused else _used())
    if query.q:
        pattern = "%" + query.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            or_(
                Application.applicant_iin.ilike(pattern, escape="\\"),
                Application.applicant_last_name.ilike(pattern, escape="\\"),
            )
        )
    total = db.scalar(select(func.count()).select_from(Application).where(*conditions)) or 0
    rows = db.scalars(
        select(Application)
        .where(*conditions)
        .options(selectinload(Application.documents), selectinload(Application.items).selectinload(OrderItem.order))
        .order_by(Application.id)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    items = [ApplicationOut.model_validate(row) for row in rows]
    return Page[ApplicationOut](items=items, total=total, page=query.page, per_page=query.per_page)


@endpoint(
    bp,
    "/applications",
    "POST",
    name="submit_application",
    summary="Submit an application",
    body=ApplicationCreate,
    response=ApplicationOut,
    status=201,
    roles=APPLICANTS,
    audited=True,
)
def create_application(body: ApplicationCreate) -> Any:
    _own_only(body.student_id)
    return submit(session(), body)


@endpoint(
    bp,
    "/applications/<int:id>",
    "GET",
    name="get_application",
    summary="Get an application",
    response=ApplicationOut,
    roles=APPLICATION_READERS,
)
def get_application(id: int) -> Any:
    application = find_application(session(), id)
    _own_only(application.student_id)
    return application


@endpoint(
    bp,
    "/applications/<int:id>/decision",
    "POST",
    name="decide_application",
    summary="The next step of an application's review",
    body=ApplicationDecision,
    response=ApplicationOut,
    errors=(409,),
    roles=REGISTRAR,
    audited=True,
)
def decide_application(id: int, body: ApplicationDecision) -> Any:
    return decide(session(), id, body)


@endpoint(
    bp,
    "/applications/<int:id>/documents",
    "POST",
    name="attach_document",
    summary="Attach a document reference to an application",
    body=DocumentIn,
    response=ApplicationOut,
    status=201,
    errors=(409,),
    roles=APPLICANTS,
    audited=True,
)
def attach_document(id: int, body: DocumentIn) -> Any:
    _own_only(find_application(session(), id).student_id)
    return attach(session(), id, body)
