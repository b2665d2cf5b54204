"""The student search index without a GIN pending list.

A GIN index with ``fastupdate`` (PostgreSQL's default) queues new entries in a pending list until a vacuum
merges them, and the planner prices an index scan by that list: after a few thousand changed students the
search's ``ILIKE '%q%'`` was planned as a scan of every student (2.8 ms each for the page and its count, on
3,204 students) instead of the trigram index (0.2 ms). Students change rarely, so the index is updated
directly (``fastupdate = off``) and its pending list is merged now. Only on PostgreSQL with the trigram
index of ``0007_search``; nothing elsewhere.

Revision ID: 0010_search_fastupdate
Revises: 0009_group_formations
Create Date: 2026-11-28 22:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_search_fastupdate"
down_revision: str | None = "0009_group_formations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_students_search"


def _gin_index() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    method = bind.scalar(
        sa.text("SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE c.relname = :name"),
        {"name": INDEX},
    )
    return method == "gin"


def upgrade() -> None:
    if _gin_index():
        op.execute(f"ALTER INDEX {INDEX} SET (fastupdate = off)")
        op.execute(f"SELECT gin_clean_pending_list('{INDEX}'::regclass)")


def downgrade() -> None:
    if _gin_index():
        op.execute(f"ALTER INDEX {INDEX} RESET (fastupdate)")
