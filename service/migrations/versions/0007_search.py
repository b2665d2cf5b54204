"""The student search index and the login throttles.

- ``ix_students_search`` on ``students (iin, last_name, first_name)``: on PostgreSQL a GIN index with the
  trigram operator class of the ``pg_trgm`` extension (created here if the server offers it; it is a trusted
  extension, so the database owner may create it), which answers the search's ``ILIKE '%q%'`` for a ``q`` of
  3 characters or more from the index instead of scanning every student. Without ``pg_trgm`` on the server,
  and on SQLite, it is a plain index and the search scans the table as before.
- ``login_throttles``: failed sign-ins per account and per client address, and their locks
  (:mod:`service.auth.throttle`).

The downgrade drops both but leaves the ``pg_trgm`` extension installed (other objects may use it).

Revision ID: 0007_search
Revises: 0005_grades
Create Date: 2026-11-28 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_search"
down_revision: str | None = "0005_grades"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCHED = ("iin", "last_name", "first_name")


def upgrade() -> None:
    bind = op.get_bind()
    trigrams = bind.dialect.name == "postgresql" and bind.scalar(
        sa.text("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")
    )
    if trigrams:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index("ix_students_search", "students", list(SEARCHED), postgresql_using="gin",
                        postgresql_ops=dict.fromkeys(SEARCHED, "gin_trgm_ops"))  # fmt: skip
    else:
        op.create_index("ix_students_search", "students", list(SEARCHED))

    op.create_table(
        "login_throttles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lockouts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_throttles")),
        sa.UniqueConstraint("kind", "subject", name=op.f("uq_login_throttles_kind_subject")),
    )


def downgrade() -> None:
    op.drop_table("login_throttles")
    op.drop_index("ix_students_search", table_name="students")
