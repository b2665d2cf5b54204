"""Documents, personal files and the archive: issued documents and verification attempts, personal-file
documents and personal-data changes, the nomenclature of cases, archive files, inventories, loans,
condition checks, storage readings, and acts of destruction and transfer.

Revision ID: 0004_documents
Revises: 0003_contingent
Create Date: 2026-11-28 15:15:10
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_documents"
down_revision: str | None = "0003_contingent"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "archive_acts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("compiled_on", sa.Date(), nullable=False),
        sa.Column("compiled_by", sa.String(length=80), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("approved_by", sa.String(length=80), nullable=True),
        sa.Column("executed_on", sa.Date(), nullable=True),
        sa.Column("executed_by", sa.String(length=80), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_acts")),
        sa.UniqueConstraint("kind", "year", "sequence", name=op.f("uq_archive_acts_kind_year_sequence")),
    )
    op.create_table(
        "archive_inventories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("compiled_on", sa.Date(), nullable=False),
        sa.Column("compiled_by", sa.String(length=80), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("approved_by", sa.String(length=80), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("accepted_by", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_inventories")),
        sa.UniqueConstraint("year", "kind", "sequence", name=op.f("uq_archive_inventories_year_kind_sequence")),
    )
    op.create_table(
        "nomenclature_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("index", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("retention_years", sa.Integer(), nullable=True),
        sa.Column("permanent", sa.Boolean(), nullable=False),
        sa.Column("article", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "(permanent AND retention_years IS NULL) OR (NOT permanent AND retention_years IS NOT NULL)",
            name=op.f("ck_nomenclature_items_retention"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nomenclature_items")),
        sa.UniqueConstraint("year", "index", name=op.f("uq_nomenclature_items_year_index")),
    )
    op.create_table(
        "storage_readings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room", sa.String(length=64), nullable=False),
        sa.Column("measured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("temperature", sa.Float(), nullable=False),
        sa.Column("humidity", sa.Float(), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("alert", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storage_readings")),
    )
    with op.batch_alter_table("storage_readings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_storage_readings_measured_at"), ["measured_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_storage_readings_room"), ["room"], unique=False)

    op.create_table(
        "verification_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("genuine", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_attempts")),
    )
    with op.batch_alter_table("verification_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_verification_attempts_client_at", ["client", "at"], unique=False)
        batch_op.create_index("ix_verification_attempts_number_at", ["number", "at"], unique=False)

    op.create_table(
        "archive_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nomenclature_item_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("condition", sa.String(length=16), nullable=False),
        sa.Column("location", sa.String(length=100), nullable=True),
        sa.Column("inventory_id", sa.Integer(), nullable=True),
        sa.Column("inventory_number", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["inventory_id"], ["archive_inventories.id"], name=op.f("fk_archive_files_inventory_id_archive_inventories")
        ),
        sa.ForeignKeyConstraint(
            ["nomenclature_item_id"],
            ["nomenclature_items.id"],
            name=op.f("fk_archive_files_nomenclature_item_id_nomenclature_items"),
        ),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name=op.f("fk_archive_files_student_id_students")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_files")),
        sa.UniqueConstraint(
            "inventory_id", "inventory_number", name=op.f("uq_archive_files_inventory_id_inventory_number")
        ),
        sa.UniqueConstraint("student_id", name=op.f("uq_archive_files_student_id")),
    )
    with op.batch_alter_table("archive_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archive_files_inventory_id"), ["inventory_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_archive_files_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_archive_files_nomenclature_item_id"), ["nomenclature_item_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_archive_files_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_archive_files_year"), ["year"], unique=False)

    op.create_table(
        "issued_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(length=80), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name=op.f("fk_issued_documents_student_id_students")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_documents")),
        sa.UniqueConstraint("kind", "year", "sequence", name=op.f("uq_issued_documents_kind_year_sequence")),
        sa.UniqueConstraint("number", name=op.f("uq_issued_documents_number")),
    )
    with op.batch_alter_table("issued_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issued_documents_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_issued_documents_student_id"), ["student_id"], unique=False)

    op.create_table(
        "personal_file_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["student_id"], ["students.id"], name=op.f("fk_personal_file_documents_student_id_students")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_file_documents")),
    )
    with op.batch_alter_table("personal_file_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_personal_file_documents_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_personal_file_documents_student_id"), ["student_id"], unique=False)

    op.create_table(
        "archive_act_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["act_id"], ["archive_acts.id"], name=op.f("fk_archive_act_items_act_id_archive_acts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["archive_files.id"], name=op.f("fk_archive_act_items_file_id_archive_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_act_items")),
        sa.UniqueConstraint("act_id", "file_id", name=op.f("uq_archive_act_items_act_id_file_id")),
        sa.UniqueConstraint("act_id", "position", name=op.f("uq_archive_act_items_act_id_position")),
    )
    with op.batch_alter_table("archive_act_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archive_act_items_act_id"), ["act_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_archive_act_items_file_id"), ["file_id"], unique=False)

    op.create_table(
        "archive_condition_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("condition", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("checked_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["archive_files.id"], name=op.f("fk_archive_condition_checks_file_id_archive_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_condition_checks")),
    )
    with op.batch_alter_table("archive_condition_checks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archive_condition_checks_file_id"), ["file_id"], unique=False)

    op.create_table(
        "archive_loans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("borrower", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=300), nullable=False),
        sa.Column("lent_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("lent_by", sa.String(length=80), nullable=False),
        sa.Column("returned_on", sa.Date(), nullable=True),
        sa.Column("received_by", sa.String(length=80), nullable=True),
        sa.Column("condition_on_return", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["file_id"], ["archive_files.id"], name=op.f("fk_archive_loans_file_id_archive_files")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_loans")),
    )
    with op.batch_alter_table("archive_loans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archive_loans_file_id"), ["file_id"], unique=False)

    op.create_table(
        "personal_data_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.String(length=32), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("old_value", sa.String(length=100), nullable=True),
        sa.Column("new_value", sa.String(length=100), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("order_number", sa.String(length=64), nullable=True),
        sa.Column("order_date", sa.Date(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registered_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["personal_file_documents.id"],
            name=op.f("fk_personal_data_changes_document_id_personal_file_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["students.id"], name=op.f("fk_personal_data_changes_student_id_students")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_data_changes")),
    )
    with op.batch_alter_table("personal_data_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_personal_data_changes_change_id"), ["change_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_personal_data_changes_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_personal_data_changes_student_id"), ["student_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("personal_data_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_personal_data_changes_student_id"))
        batch_op.drop_index(batch_op.f("ix_personal_data_changes_document_id"))
        batch_op.drop_index(batch_op.f("ix_personal_data_changes_change_id"))

    op.drop_table("personal_data_changes")
    with op.batch_alter_table("archive_loans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archive_loans_file_id"))

    op.drop_table("archive_loans")
    with op.batch_alter_table("archive_condition_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archive_condition_checks_file_id"))

    op.drop_table("archive_condition_checks")
    with op.batch_alter_table("archive_act_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archive_act_items_file_id"))
        batch_op.drop_index(batch_op.f("ix_archive_act_items_act_id"))

    op.drop_table("archive_act_items")
    with op.batch_alter_table("personal_file_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_personal_file_documents_student_id"))
        batch_op.drop_index(batch_op.f("ix_personal_file_documents_kind"))

    op.drop_table("personal_file_documents")
    with op.batch_alter_table("issued_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issued_documents_student_id"))
        batch_op.drop_index(batch_op.f("ix_issued_documents_kind"))

    op.drop_table("issued_documents")
    with op.batch_alter_table("archive_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archive_files_year"))
        batch_op.drop_index(batch_op.f("ix_archive_files_state"))
        batch_op.drop_index(batch_op.f("ix_archive_files_nomenclature_item_id"))
        batch_op.drop_index(batch_op.f("ix_archive_files_kind"))
        batch_op.drop_index(batch_op.f("ix_archive_files_inventory_id"))

    op.drop_table("archive_files")
    with op.batch_alter_table("verification_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_verification_attempts_number_at")
        batch_op.drop_index("ix_verification_attempts_client_at")

    op.drop_table("verification_attempts")
    with op.batch_alter_table("storage_readings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_storage_readings_room"))
        batch_op.drop_index(batch_op.f("ix_storage_readings_measured_at"))

    op.drop_table("storage_readings")
    op.drop_table("nomenclature_items")
    op.drop_table("archive_inventories")
    op.drop_table("archive_acts")
