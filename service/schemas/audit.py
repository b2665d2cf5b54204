"""Schemas of the audit log (read only)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, model_validator

from service.schemas.common import ListQuery, OutputModel, Page, UtcDateTime

COUNT_LIMIT = 1_000
"""The audit list counts at most this many matching entries: counting a log of millions would take seconds, and
even 10,000 took 1.5 ms of PostgreSQL per request of the newest page (1,000: 0.2 ms); filter for exact counts."""


class AuditEntryOut(OutputModel):
    """One changed field of one record."""

    id: int
    change_id: str
    """Shared by the rows of one change (one request's create, update or delete of one record)."""
    at: UtcDateTime
    """When, in UTC."""
    user_id: int | None
    actor: str
    """The username, or ``cli:<login>`` for a change from the command line."""
    action: Literal["create", "update", "delete"]
    entity: str
    """The table, e.g. ``students``."""
    entity_id: int
    field: str
    old_value: Any
    """JSON; null on create."""
    new_value: Any
    """JSON; null on delete."""
    reason: str | None


class AuditQuery(ListQuery):
    """Filters of the audit log; entries come newest first."""

    entity: str | None = Field(None, max_length=64)
    """Table name, e.g. ``students``."""
    entity_id: int | None = None
    field: str | None = Field(None, max_length=64)
    action: Literal["create", "update", "delete"] | None = None
    user: str | None = Field(None, max_length=80)
    """Username (or ``cli:<login>``) of whoever made the change."""
    change_id: str | None = Field(None, max_length=32)
    since: dt.datetime | None = None
    """Changes at or after this moment (ISO 8601; without a zone it is UTC)."""
    until: dt.datetime | None = None
    """Changes before this moment."""

    @model_validator(mode="after")
    def _order(self) -> AuditQuery:
        if self.since and self.until and _utc(self.until) <= _utc(self.since):
            raise ValueError("until must be after since")
        return self


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class AuditPage(Page[AuditEntryOut]):
    """One page of the audit log; ``total`` stops counting at 1,000 (then ``total_is_lower_bound`` is true)."""

    total_is_lower_bound: bool = False
