"""Timetables: one per academic period and kind (lessons, exams), their versions (instance, solution,
scores, approval state; at most one published per timetable) and the background solve jobs.

Revision ID: 0006_timetables
Revises: 0008_archive_web
Create Date: 2026-11-28 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_timetables"
down_revision: str | None = "0008_archive_web"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "timetables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"], name=op.f("fk_timetables_period_id_periods")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timetables")),
        sa.UniqueConstraint("period_id", "kind", name=op.f("uq_timetables_period_id_kind")),
    )
    with op.batch_alter_table("timetables", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_timetables_period_id"), ["period_id"], unique=False)

    op.create_table(
        "timetable_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("timetable_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("based_on_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("instance", sa.JSON(), nullable=False),
        sa.Column("legend", sa.JSON(), nullable=False),
        sa.Column("placements", sa.JSON(), nullable=False),
        sa.Column("hard", sa.JSON(), nullable=False),
        sa.Column("soft", sa.JSON(), nullable=False),
        sa.Column("hard_violations", sa.Integer(), nullable=False),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.Column("edits", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(length=2000), nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("submitted_at", Timestamp, nullable=True),
        sa.Column("submitted_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", Timestamp, nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("published_at", Timestamp, nullable=True),
        sa.Column("published_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["based_on_id"],
            ["timetable_versions.id"],
            name=op.f("fk_timetable_versions_based_on_id_timetable_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["timetable_id"], ["timetables.id"], name=op.f("fk_timetable_versions_timetable_id_timetables")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timetable_versions")),
        sa.UniqueConstraint("timetable_id", "number", name=op.f("uq_timetable_versions_timetable_id_number")),
    )
    with op.batch_alter_table("timetable_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_timetable_versions_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_timetable_versions_timetable_id"), ["timetable_id"], unique=False)
        batch_op.create_index(
            "uq_timetable_versions_published",
            ["timetable_id"],
            unique=True,
            sqlite_where=sa.text("status = 'published'"),
            postgresql_where=sa.text("status = 'published'"),
        )

    op.create_table(
        "solve_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("timetable_id", sa.Integer(), nullable=False),
        sa.Column("base_version_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("time_limit", sa.Float(), nullable=False),
        sa.Column("instance", sa.JSON(), nullable=False),
        sa.Column("legend", sa.JSON(), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("started_at", Timestamp, nullable=True),
        sa.Column("finished_at", Timestamp, nullable=True),
        sa.Column("heartbeat_at", Timestamp, nullable=True),
        sa.Column("lease", sa.String(length=32), nullable=True),
        sa.Column("worker", sa.String(length=200), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("elapsed", sa.Float(), nullable=True),
        sa.Column("best_cost", sa.Integer(), nullable=True),
        sa.Column("best_bound", sa.Integer(), nullable=True),
        sa.Column("phase", sa.String(length=100), nullable=True),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["base_version_id"],
            ["timetable_versions.id"],
            name=op.f("fk_solve_jobs_base_version_id_timetable_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["timetable_id"], ["timetables.id"], name=op.f("fk_solve_jobs_timetable_id_timetables")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"], ["timetable_versions.id"], name=op.f("fk_solve_jobs_version_id_timetable_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_solve_jobs")),
    )
    with op.batch_alter_table("solve_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_solve_jobs_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_solve_jobs_timetable_id"), ["timetable_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("solve_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_solve_jobs_timetable_id"))
        batch_op.drop_index(batch_op.f("ix_solve_jobs_status"))
    op.drop_table("solve_jobs")
    with op.batch_alter_table("timetable_versions", schema=None) as batch_op:
        batch_op.drop_index("uq_timetable_versions_published")
        batch_op.drop_index(batch_op.f("ix_timetable_versions_timetable_id"))
        batch_op.drop_index(batch_op.f("ix_timetable_versions_status"))
    op.drop_table("timetable_versions")
    with op.batch_alter_table("timetables", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_timetables_period_id"))
    op.drop_table("timetables")
