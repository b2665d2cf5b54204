"""Records: organisation, programmes and study plans, calendar, rooms, teachers, groups and streams, students.

Revision ID: 0001_records
Revises: (none: the first revision)
Create Date: 2026-11-28 12:45:16.591181
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_records"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "academic_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_academic_years")),
        sa.UniqueConstraint("start_year", name=op.f("uq_academic_years_start_year")),
    )
    op.create_table(
        "faculties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_kk", sa.String(length=200), nullable=True),
        sa.Column("name_ru", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faculties")),
        sa.UniqueConstraint("code", name=op.f("uq_faculties_code")),
    )
    op.create_table(
        "rooms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("building", sa.String(length=32), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rooms")),
        sa.UniqueConstraint("code", name=op.f("uq_rooms_code")),
    )
    op.create_table(
        "streams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_streams")),
        sa.UniqueConstraint("code", name=op.f("uq_streams_code")),
    )
    op.create_table(
        "departments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("faculty_id", sa.Integer(), nullable=True),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_kk", sa.String(length=200), nullable=True),
        sa.Column("name_ru", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["faculty_id"], ["faculties.id"], name=op.f("fk_departments_faculty_id_faculties")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departments")),
        sa.UniqueConstraint("code", name=op.f("uq_departments_code")),
    )
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_departments_faculty_id"), ["faculty_id"], unique=False)

    op.create_table(
        "periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("academic_year_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("rk1_week", sa.Integer(), nullable=False),
        sa.Column("rk2_week", sa.Integer(), nullable=False),
        sa.Column("session_first_week", sa.Integer(), nullable=False),
        sa.Column("session_last_week", sa.Integer(), nullable=False),
        sa.Column("rk1_deadline", sa.Date(), nullable=False),
        sa.Column("rk2_deadline", sa.Date(), nullable=False),
        sa.Column("exam_deadline", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["academic_year_id"], ["academic_years.id"], name=op.f("fk_periods_academic_year_id_academic_years")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_periods")),
        sa.UniqueConstraint("academic_year_id", "kind", name=op.f("uq_periods_academic_year_id_kind")),
    )
    with op.batch_alter_table("periods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_periods_academic_year_id"), ["academic_year_id"], unique=False)

    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("credits", sa.Integer(), nullable=False),
        sa.Column("faculty_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_kk", sa.String(length=200), nullable=True),
        sa.Column("name_ru", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_programmes_department_id_departments")
        ),
        sa.ForeignKeyConstraint(["faculty_id"], ["faculties.id"], name=op.f("fk_programmes_faculty_id_faculties")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
        sa.UniqueConstraint("code", name=op.f("uq_programmes_code")),
    )
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programmes_department_id"), ["department_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_programmes_faculty_id"), ["faculty_id"], unique=False)

    op.create_table(
        "teachers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("middle_name", sa.String(length=100), nullable=True),
        sa.Column("position", sa.String(length=32), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_teachers_department_id_departments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teachers")),
        sa.UniqueConstraint("code", name=op.f("uq_teachers_code")),
    )
    with op.batch_alter_table("teachers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_teachers_department_id"), ["department_id"], unique=False)

    op.create_table(
        "groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("admission_year", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("advisor_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["advisor_id"], ["teachers.id"], name=op.f("fk_groups_advisor_id_teachers")),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"], name=op.f("fk_groups_programme_id_programmes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_groups")),
        sa.UniqueConstraint("code", name=op.f("uq_groups_code")),
    )
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_groups_advisor_id"), ["advisor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_groups_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "study_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("admission_year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"], name=op.f("fk_study_plans_programme_id_programmes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_plans")),
        sa.UniqueConstraint("programme_id", "admission_year", name=op.f("uq_study_plans_programme_id_admission_year")),
    )
    with op.batch_alter_table("study_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_plans_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "plan_disciplines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("semester", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("credits", sa.Integer(), nullable=False),
        sa.Column("control", sa.String(length=32), nullable=False),
        sa.Column("component", sa.String(length=16), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_kk", sa.String(length=200), nullable=True),
        sa.Column("name_ru", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["study_plans.id"], name=op.f("fk_plan_disciplines_plan_id_study_plans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_disciplines")),
        sa.UniqueConstraint("plan_id", "semester", "code", name=op.f("uq_plan_disciplines_plan_id_semester_code")),
    )
    with op.batch_alter_table("plan_disciplines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_disciplines_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "stream_groups",
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], name=op.f("fk_stream_groups_group_id_groups")),
        sa.ForeignKeyConstraint(
            ["stream_id"], ["streams.id"], name=op.f("fk_stream_groups_stream_id_streams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("stream_id", "group_id", name=op.f("pk_stream_groups")),
    )
    with op.batch_alter_table("stream_groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stream_groups_group_id"), ["group_id"], unique=False)

    op.create_table(
        "students",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("iin", sa.String(length=12), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("middle_name", sa.String(length=100), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=8), nullable=False),
        sa.Column("citizenship", sa.String(length=2), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("study_form", sa.String(length=16), nullable=False),
        sa.Column("funding", sa.String(length=16), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("admission_year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], name=op.f("fk_students_group_id_groups")),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"], name=op.f("fk_students_programme_id_programmes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_students")),
        sa.UniqueConstraint("iin", name=op.f("uq_students_iin")),
    )
    with op.batch_alter_table("students", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_students_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_students_last_name"), ["last_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_students_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_students_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("students", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_students_status"))
        batch_op.drop_index(batch_op.f("ix_students_programme_id"))
        batch_op.drop_index(batch_op.f("ix_students_last_name"))
        batch_op.drop_index(batch_op.f("ix_students_group_id"))

    op.drop_table("students")
    with op.batch_alter_table("stream_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stream_groups_group_id"))

    op.drop_table("stream_groups")
    with op.batch_alter_table("plan_disciplines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_disciplines_plan_id"))

    op.drop_table("plan_disciplines")
    with op.batch_alter_table("study_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_plans_programme_id"))

    op.drop_table("study_plans")
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_groups_programme_id"))
        batch_op.drop_index(batch_op.f("ix_groups_advisor_id"))

    op.drop_table("groups")
    with op.batch_alter_table("teachers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_teachers_department_id"))

    op.drop_table("teachers")
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programmes_faculty_id"))
        batch_op.drop_index(batch_op.f("ix_programmes_department_id"))

    op.drop_table("programmes")
    with op.batch_alter_table("periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_periods_academic_year_id"))

    op.drop_table("periods")
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_departments_faculty_id"))

    op.drop_table("departments")
    op.drop_table("streams")
    op.drop_table("rooms")
    op.drop_table("faculties")
    op.drop_table("academic_years")
