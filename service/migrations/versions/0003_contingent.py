"""Contingent movement: applications and their documents, orders and their items, the status history of every
student, the movement policy. Every student already recorded gets a first history entry ("record") dated the
day of the migration, with the year of study estimated from the admission year.

Revision ID: 0003_contingent
Revises: 0002_access
Create Date: 2026-11-28 14:54:21.445909
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_contingent"
down_revision: str | None = "0002_access"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "movement_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy", sa.JSON(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movement_settings")),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("signatory", sa.String(length=200), nullable=False),
        sa.Column("basis", sa.String(length=1000), nullable=False),
        sa.Column("cancels_id", sa.Integer(), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["cancels_id"], ["orders.id"], name=op.f("fk_orders_cancels_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("cancels_id", name=op.f("uq_orders_cancels_id")),
        sa.UniqueConstraint("kind", "year", "sequence", name=op.f("uq_orders_kind_year_sequence")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orders_date"), ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_orders_kind"), ["kind"], unique=False)

    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=True),
        sa.Column("applicant_iin", sa.String(length=12), nullable=True),
        sa.Column("applicant_last_name", sa.String(length=100), nullable=True),
        sa.Column("applicant_first_name", sa.String(length=100), nullable=True),
        sa.Column("applicant_middle_name", sa.String(length=100), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=False),
        sa.Column("request", sa.String(length=2000), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_note", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name=op.f("fk_applications_student_id_students")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applications_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_applications_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_applications_student_id"), ["student_id"], unique=False)

    op.create_table(
        "application_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=500), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_documents_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_documents")),
    )
    with op.batch_alter_table("application_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_application_documents_application_id"), ["application_id"], unique=False)

    op.create_table(
        "order_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_order_items_application_id_applications")
        ),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_order_items_order_id_orders")),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name=op.f("fk_order_items_student_id_students")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_items")),
        sa.UniqueConstraint("order_id", "student_id", name=op.f("uq_order_items_order_id_student_id")),
    )
    with op.batch_alter_table("order_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_items_application_id"), ["application_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_items_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_items_student_id"), ["student_id"], unique=False)

    op.create_table(
        "student_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("order_item_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("year_of_study", sa.Integer(), nullable=False),
        sa.Column("study_form", sa.String(length=16), nullable=False),
        sa.Column("funding", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("leave_ground", sa.String(length=32), nullable=True),
        sa.Column("leave_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_item_id"], ["order_items.id"], name=op.f("fk_student_states_order_item_id_order_items")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"], name=op.f("fk_student_states_programme_id_programmes")
        ),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name=op.f("fk_student_states_student_id_students")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_student_states")),
    )
    with op.batch_alter_table("student_states", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_student_states_effective_on"), ["effective_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_student_states_order_item_id"), ["order_item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_student_states_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index("ix_student_states_student_id_effective_on", ["student_id", "effective_on"], unique=False)

    _record_existing_students()


def _record_existing_students() -> None:
    """A "record" history entry, dated today, for every student (their state as stored)."""
    connection = op.get_bind()
    today = dt.date.today()
    academic_year = today.year if today.month >= 9 else today.year - 1  # academic years start on 1 September
    rows = connection.execute(
        sa.text(
            "SELECT s.id, s.status, s.programme_id, s.study_form, s.funding, s.language, s.admission_year, p.credits "
            "FROM students s JOIN programmes p ON p.id = s.programme_id ORDER BY s.id"
        )
    ).all()
    states = sa.table(
        "student_states",
        *(sa.column(name) for name in ("student_id", "effective_on", "kind", "status", "programme_id",
                                       "year_of_study", "study_form", "funding", "language")),
    )  # fmt: skip
    entries = [
        {
            "student_id": row.id,
            "effective_on": today,
            "kind": "record",
            "status": row.status,
            "programme_id": row.programme_id,
            "year_of_study": max(1, min(math.ceil(row.credits / 60), academic_year - row.admission_year + 1)),
            "study_form": row.study_form,
            "funding": row.funding,
            "language": row.language,
        }
        for row in rows
    ]
    if entries:
        op.bulk_insert(states, entries)


def downgrade() -> None:
    with op.batch_alter_table("student_states", schema=None) as batch_op:
        batch_op.drop_index("ix_student_states_student_id_effective_on")
        batch_op.drop_index(batch_op.f("ix_student_states_programme_id"))
        batch_op.drop_index(batch_op.f("ix_student_states_order_item_id"))
        batch_op.drop_index(batch_op.f("ix_student_states_effective_on"))

    op.drop_table("student_states")
    with op.batch_alter_table("order_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_items_student_id"))
        batch_op.drop_index(batch_op.f("ix_order_items_order_id"))
        batch_op.drop_index(batch_op.f("ix_order_items_application_id"))

    op.drop_table("order_items")
    with op.batch_alter_table("application_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_documents_application_id"))

    op.drop_table("application_documents")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applications_student_id"))
        batch_op.drop_index(batch_op.f("ix_applications_state"))
        batch_op.drop_index(batch_op.f("ix_applications_kind"))

    op.drop_table("applications")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_kind"))
        batch_op.drop_index(batch_op.f("ix_orders_date"))

    op.drop_table("orders")
    op.drop_table("movement_settings")
