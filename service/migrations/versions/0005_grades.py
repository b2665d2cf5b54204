"""Registration, sections, grades and settings: registration forms and their disciplines (enrolments, which
carry the marks and results), sections with sheet reopenings, versioned settings (grading policy, credit
limits), and the add/drop deadlines of each period.

Existing periods get add/drop deadlines at the end of their first and second weeks (never after the
RK1 grade-entry deadline).

Revision ID: 0005_grades
Revises: 0004_documents
Create Date: 2026-11-28 14:52:44.741892
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_grades"
down_revision: str | None = "0004_documents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "setting_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_setting_versions")),
    )
    with op.batch_alter_table("setting_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_setting_versions_key"), ["key"], unique=False)

    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"], name=op.f("fk_registrations_period_id_periods")),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name=op.f("fk_registrations_student_id_students")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
        sa.UniqueConstraint("student_id", "period_id", name=op.f("uq_registrations_student_id_period_id")),
    )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registrations_period_id"), ["period_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_registrations_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_registrations_student_id"), ["student_id"], unique=False)

    op.create_table(
        "sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("plan_discipline_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], name=op.f("fk_sections_group_id_groups")),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"], name=op.f("fk_sections_period_id_periods")),
        sa.ForeignKeyConstraint(
            ["plan_discipline_id"],
            ["plan_disciplines.id"],
            name=op.f("fk_sections_plan_discipline_id_plan_disciplines"),
        ),
        sa.ForeignKeyConstraint(["teacher_id"], ["teachers.id"], name=op.f("fk_sections_teacher_id_teachers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sections")),
        sa.UniqueConstraint(
            "period_id",
            "plan_discipline_id",
            "group_id",
            name=op.f("uq_sections_period_id_plan_discipline_id_group_id"),
        ),
    )
    with op.batch_alter_table("sections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sections_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sections_period_id"), ["period_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sections_plan_discipline_id"), ["plan_discipline_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sections_teacher_id"), ["teacher_id"], unique=False)

    op.create_table(
        "enrolments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("plan_discipline_id", sa.Integer(), nullable=False),
        sa.Column("credits", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("retake_of_id", sa.Integer(), nullable=True),
        sa.Column("marks_carried", sa.Boolean(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("current1", sa.Numeric(precision=5, scale=2, asdecimal=False), nullable=True),
        sa.Column("midterm1", sa.Numeric(precision=5, scale=2, asdecimal=False), nullable=True),
        sa.Column("current2", sa.Numeric(precision=5, scale=2, asdecimal=False), nullable=True),
        sa.Column("midterm2", sa.Numeric(precision=5, scale=2, asdecimal=False), nullable=True),
        sa.Column("exam", sa.Numeric(precision=5, scale=2, asdecimal=False), nullable=True),
        sa.Column("admitted", sa.Boolean(), nullable=True),
        sa.Column("letter", sa.String(length=8), nullable=True),
        sa.Column("points_hundredths", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("graded_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"], name=op.f("fk_enrolments_period_id_periods")),
        sa.ForeignKeyConstraint(
            ["plan_discipline_id"],
            ["plan_disciplines.id"],
            name=op.f("fk_enrolments_plan_discipline_id_plan_disciplines"),
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_enrolments_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["retake_of_id"], ["enrolments.id"], name=op.f("fk_enrolments_retake_of_id_enrolments")
        ),
        sa.ForeignKeyConstraint(["section_id"], ["sections.id"], name=op.f("fk_enrolments_section_id_sections")),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name=op.f("fk_enrolments_student_id_students")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolments")),
        sa.UniqueConstraint(
            "registration_id", "plan_discipline_id", name=op.f("uq_enrolments_registration_id_plan_discipline_id")
        ),
    )
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enrolments_period_id"), ["period_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enrolments_plan_discipline_id"), ["plan_discipline_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enrolments_registration_id"), ["registration_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enrolments_retake_of_id"), ["retake_of_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enrolments_section_id"), ["section_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enrolments_student_id"), ["student_id"], unique=False)

    op.create_table(
        "sheet_reopenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("control", sa.String(length=8), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["section_id"], ["sections.id"], name=op.f("fk_sheet_reopenings_section_id_sections"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sheet_reopenings")),
    )
    with op.batch_alter_table("sheet_reopenings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sheet_reopenings_section_id"), ["section_id"], unique=False)

    with op.batch_alter_table("periods", schema=None) as batch_op:
        batch_op.add_column(sa.Column("add_deadline", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("drop_deadline", sa.Date(), nullable=True))
    _backfill_add_drop_deadlines()
    with op.batch_alter_table("periods", schema=None) as batch_op:
        batch_op.alter_column("add_deadline", existing_type=sa.Date(), nullable=False)
        batch_op.alter_column("drop_deadline", existing_type=sa.Date(), nullable=False)


def _backfill_add_drop_deadlines() -> None:
    """Add: the end of week 1; drop: the end of week 2; neither after the RK1 deadline."""
    periods = sa.table(
        "periods",
        sa.column("id", sa.Integer()),
        sa.column("starts_on", sa.Date()),
        sa.column("rk1_deadline", sa.Date()),
        sa.column("add_deadline", sa.Date()),
        sa.column("drop_deadline", sa.Date()),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(periods.c.id, periods.c.starts_on, periods.c.rk1_deadline)).all()
    for period_id, starts_on, rk1_deadline in rows:
        connection.execute(
            periods.update()
            .where(periods.c.id == period_id)
            .values(
                add_deadline=min(starts_on + dt.timedelta(days=6), rk1_deadline),
                drop_deadline=min(starts_on + dt.timedelta(days=13), rk1_deadline),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("periods", schema=None) as batch_op:
        batch_op.drop_column("drop_deadline")
        batch_op.drop_column("add_deadline")

    with op.batch_alter_table("sheet_reopenings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sheet_reopenings_section_id"))

    op.drop_table("sheet_reopenings")
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrolments_student_id"))
        batch_op.drop_index(batch_op.f("ix_enrolments_section_id"))
        batch_op.drop_index(batch_op.f("ix_enrolments_retake_of_id"))
        batch_op.drop_index(batch_op.f("ix_enrolments_registration_id"))
        batch_op.drop_index(batch_op.f("ix_enrolments_plan_discipline_id"))
        batch_op.drop_index(batch_op.f("ix_enrolments_period_id"))

    op.drop_table("enrolments")
    with op.batch_alter_table("sections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sections_teacher_id"))
        batch_op.drop_index(batch_op.f("ix_sections_plan_discipline_id"))
        batch_op.drop_index(batch_op.f("ix_sections_period_id"))
        batch_op.drop_index(batch_op.f("ix_sections_group_id"))

    op.drop_table("sections")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registrations_student_id"))
        batch_op.drop_index(batch_op.f("ix_registrations_status"))
        batch_op.drop_index(batch_op.f("ix_registrations_period_id"))

    op.drop_table("registrations")
    with op.batch_alter_table("setting_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_setting_versions_key"))

    op.drop_table("setting_versions")
