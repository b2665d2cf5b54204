"""The audit log: every change to a record is written in the same transaction as the change itself.

One row per changed field (:class:`~service.models.AuditEntry`): who (the signed-in user, or
``cli:<login>`` outside a request), when (UTC), what (entity = table name, id, field), the old and the
new value (JSON), and why. The reason comes from the ``X-Reason`` request header (UTF-8 text,
percent-encoded if it is not ASCII, or raw UTF-8; at most 500 characters; a broken encoding is a 422)
or from a web form (:func:`set_reason`).

:mod:`service.records.crud` logs every create, update and delete of every resource. Other areas call
:func:`log_changes` (or :func:`log_change`) with their own changes *before* they commit, so the change
and its audit rows are committed or rolled back together::

    old = student.status
    student.status = "expelled"
    log_change(db, "students", student.id, "status", old, "expelled", reason="order 123-P")
    db.commit()

The log is append-only: nothing in the service updates or deletes it, and the database refuses to
(triggers installed by migration ``0002_access``).
"""

from __future__ import annotations

import datetime as dt
import getpass
import uuid
from collections.abc import Mapping
from contextlib import suppress
from typing import Any, Literal
from urllib.parse import unquote

from flask import g, has_request_context, request
from pydantic_core import to_jsonable_python
from sqlalchemy.orm import Session

from service.auth import current_user
from service.errors import FieldError, Unprocessable
from service.models import AuditEntry

REASON_HEADER = "X-Reason"
MAX_REASON = 500
Action = Literal["create", "update", "delete"]
Changes = Mapping[str, tuple[Any, Any]]
"""Field -> (old value, new value)."""


def set_reason(reason: str | None) -> None:
    """The reason for the changes of this request (a web form's field); overrides the header."""
    g.audit_reason = _checked(reason) if reason else None


def request_reason() -> str | None:
    """The reason of the current request: :func:`set_reason`, else the ``X-Reason`` header; 422 if too long."""
    if not has_request_context():
        return None
    if "audit_reason" in g:
        reason: str | None = g.audit_reason
        return reason
    header = request.headers.get(REASON_HEADER)
    if not header:
        return None
    with suppress(UnicodeEncodeError, UnicodeDecodeError):  # header bytes arrive as Latin-1; maybe raw UTF-8
        header = header.encode("latin-1").decode("utf-8")
    try:
        return _checked(unquote(header, errors="strict"))
    except UnicodeDecodeError:
        raise Unprocessable([FieldError(REASON_HEADER, "is not valid percent-encoded UTF-8 text")]) from None


def _checked(reason: str) -> str | None:
    text = " ".join(reason.split())
    if len(text) > MAX_REASON:
        raise Unprocessable([FieldError(REASON_HEADER, f"a reason has at most {MAX_REASON} characters")])
    if "\x00" in text:
        raise Unprocessable([FieldError(REASON_HEADER, "must not contain NUL characters")])
    return text or None


def who() -> tuple[int | None, str]:
    """``(user id, name)`` of whoever makes the change: the signed-in user, else ``cli:<login>``."""
    actor = current_user()
    if actor is not None:
        return actor.user_id, actor.username
    if has_request_context():
        return None, "anonymous"
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - a process without a login name
        login = "unknown"
    return None, f"cli:{login}"[:80]


def as_json(value: Any) -> Any:
    """``value`` as JSON data (dates as ISO strings, sets as lists)."""
    return to_jsonable_python(value)


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields of ``new`` whose JSON value differs from ``old``'s, as ``(old, new)`` JSON pairs."""
    out = {}
    for name, value in new.items():
        before, after = as_json(old.get(name)), as_json(value)
        if before != after:
            out[name] = (before, after)
    return out


def log_changes(db: Session, entity: str, entity_id: int, action: Action, changes: Changes,
                reason: str | None = None) -> str | None:  # fmt: skip
    """Add one audit row per field of ``changes`` (not committed: commit with the change); returns the change id.

    ``reason`` defaults to the request's (:func:`request_reason`). Nothing is written when ``changes`` is empty.
    """
    if not changes:
        return None
    change_id = uuid.uuid4().hex
    user_id, actor = who()
    at = dt.datetime.now(dt.UTC)
    reason = reason if reason is not None else request_reason()
    for field, (old, new) in changes.items():
        db.add(AuditEntry(change_id=change_id, at=at, user_id=user_id, actor=actor, action=action, entity=entity,
                          entity_id=entity_id, field=field, old_value=as_json(old), new_value=as_json(new),
                          reason=reason))  # fmt: skip
    return change_id


def log_change(db: Session, entity: str, entity_id: int, field: str, old: Any, new: Any,
               reason: str | None = None) -> str | None:  # fmt: skip
    """Log an update of one field (see :func:`log_changes`); nothing if ``old`` equals ``new``."""
    return log_changes(db, entity, entity_id, "update", diff({field: old}, {field: new}), reason)
