"""Audit helpers for areas that change rows directly (not through :class:`~service.records.crud.Resource`).

Take :func:`snapshot` of a row before changing it, then :func:`log_row` after the change (before the commit):
one audit row per column that changed (``update``), or per column set (``create``), or held (``delete``),
written by :func:`service.audit.log_changes` in the same transaction as the change.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy.orm import Session

from service import audit
from service.db import Base


def snapshot(row: Base) -> dict[str, Any]:
    """The row's column values (without ``id``)."""
    return {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key != "id"}  # type: ignore[attr-defined]


Action = Literal["create", "update", "delete"]


def log_row(db: Session, row: Base, before: dict[str, Any] | None = None, action: Action | None = None,
            reason: str | None = None) -> None:  # fmt: skip
    """Log ``row``'s change: ``create`` when ``before`` is None, else ``update`` of the columns that differ
    (``action="delete"``: the values it held). Flushes first, so a new row has its id."""
    db.flush()
    table, row_id = str(row.__tablename__), int(row.id)  # type: ignore[attr-defined]
    after = snapshot(row)
    if action == "delete":
        changes = {k: (v, None) for k, v in after.items() if v is not None}
        audit.log_changes(db, table, row_id, "delete", changes, reason)
    elif before is None:
        audit.log_changes(db, table, row_id, "create", {k: (None, v) for k, v in after.items() if v is not None},
                          reason)  # fmt: skip
    else:
        audit.log_changes(db, table, row_id, "update", audit.diff(before, after), reason)


def actor() -> str:
    """Who makes the change, as the audit log names them (a username, or ``cli:<login>``)."""
    return audit.who()[1]
