"""The audit log: one append-only row per changed field of a record.

Each change of a record writes one row per field it touched, all with the same ``change_id``:

- ``action`` ``create`` (``old_value`` null), ``update`` or ``delete`` (``new_value`` null);
- ``at`` is the UTC time, ``user_id``/``actor`` who made it (``actor`` keeps the username even if the
  user is later renamed; ``cli:<name>`` for command-line changes), ``reason`` why (the ``X-Reason``
  header of the API, or the form's reason on the web);
- values are JSON (dates as ISO strings), so any column type is kept as it was.

Rows are never updated or deleted: the service has no such operation, and the migration installs
database triggers (PostgreSQL and SQLite) that refuse ``UPDATE``, ``DELETE`` (and on PostgreSQL
``TRUNCATE``) on the table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base

AUDIT_ID = BigInteger().with_variant(Integer(), "sqlite")
"""A 64-bit id on PostgreSQL; SQLite autoincrements only ``INTEGER PRIMARY KEY`` (already 64-bit there)."""


class AuditEntry(Base):
    """One changed field of one record: who, when (UTC), what (entity, id, field), old and new value, why."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)
    label: ClassVar[str] = "audit entry"

    id: Mapped[int] = mapped_column(AUDIT_ID, primary_key=True)
    change_id: Mapped[str] = mapped_column(String(32), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int]
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str | None] = mapped_column(String(500))
