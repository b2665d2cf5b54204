"""Personal-data changes reference the registered order that justifies them (``personal_data_changes.order_id``).

Rows registered before keep the order's number and date as they were typed, with no reference.

Revision ID: 0008_archive_web
Revises: 0007_search
Create Date: 2026-11-28 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_archive_web"
down_revision: str | None = "0007_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("personal_data_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_personal_data_changes_order_id"), ["order_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_personal_data_changes_order_id_orders"), "orders", ["order_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("personal_data_changes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_personal_data_changes_order_id_orders"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_personal_data_changes_order_id"))
        batch_op.drop_column("order_id")
