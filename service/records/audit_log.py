"""``/audit``: the audit log, read only (registrar). There is no endpoint to change or delete entries.

The total stops counting at :data:`~service.schemas.audit.COUNT_LIMIT` matching entries, so reading the
newest page of a log of millions stays fast; filter (entity, id, time) for exact counts of a record.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint
from sqlalchemy import func, select

from service.api.routing import endpoint
from service.auth import REGISTRAR
from service.db import session
from service.models import AuditEntry
from service.records.crud import page_total
from service.schemas.audit import COUNT_LIMIT, AuditEntryOut, AuditPage, AuditQuery

bp = Blueprint("audit", __name__)
DESCRIPTION = "Filter by entity and id, field, action, user, change id and time (since/until, UTC)."


def _utc(moment: dt.datetime, naive: bool) -> dt.datetime:
    """``moment`` in UTC; naive for SQLite, which stores the UTC time without a zone."""
    moment = moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return moment.replace(tzinfo=None) if naive else moment


@endpoint(bp, "/audit", "GET", name="list_audit", summary="Read the audit log (newest first)", query=AuditQuery,
          response=AuditPage, roles=REGISTRAR, description=DESCRIPTION)  # fmt: skip
def audit_view(query: AuditQuery) -> AuditPage:
    db = session()
    naive = db.get_bind().dialect.name == "sqlite"
    conditions = []
    for name in ("entity", "entity_id", "field", "action", "change_id"):
        value = getattr(query, name)
        if value is not None:
            conditions.append(getattr(AuditEntry, name) == value)
    if query.user is not None:
        conditions.append(AuditEntry.actor == query.user)
    if query.since is not None:
        conditions.append(AuditEntry.at >= _utc(query.since, naive))
    if query.until is not None:
        conditions.append(AuditEntry.at < _utc(query.until, naive))
    rows = db.scalars(select(AuditEntry).where(*conditions).order_by(AuditEntry.id.desc()).limit(query.per_page)
                      .offset((query.page - 1) * query.per_page)).all()  # fmt: skip
    capped = select(AuditEntry.id).where(*conditions).limit(COUNT_LIMIT + 1).subquery()
    total = page_total(db, query, len(rows), select(func.count()).select_from(capped))
    items = [AuditEntryOut.model_validate(row) for row in rows]
    return AuditPage(items=items, total=min(total, COUNT_LIMIT), page=query.page, per_page=query.per_page,
                     total_is_lower_bound=total > COUNT_LIMIT)  # fmt: skip
