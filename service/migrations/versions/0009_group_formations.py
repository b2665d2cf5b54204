"""Group formation jobs: the ``group_formations`` table (sections formed from a period's registrations with
the scorer's breakdown); a solve job names its period (``solve_jobs.period_id``, filled from the job's
timetable for the jobs there are), a ``groups`` job has no timetable (``timetable_id`` becomes nullable)
and keeps its result in ``formation_id``.

Revision ID: 0009_group_formations
Revises: 0006_timetables
Create Date: 2026-11-28 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_group_formations"
down_revision: str | None = "0006_timetables"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "group_formations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("instance", sa.JSON(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("hard", sa.JSON(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("hard_violations", sa.Integer(), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"], name=op.f("fk_group_formations_period_id_periods")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_formations")),
    )
    with op.batch_alter_table("group_formations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_formations_period_id"), ["period_id"], unique=False)

    with op.batch_alter_table("solve_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("period_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("formation_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE solve_jobs SET period_id = "
        "(SELECT timetables.period_id FROM timetables WHERE timetables.id = solve_jobs.timetable_id)"
    )
    with op.batch_alter_table("solve_jobs", schema=None) as batch_op:
        batch_op.alter_column("period_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("timetable_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f("ix_solve_jobs_period_id"), ["period_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_solve_jobs_period_id_periods"), "periods", ["period_id"], ["id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_solve_jobs_formation_id_group_formations"), "group_formations", ["formation_id"], ["id"]
        )


def downgrade() -> None:
    # groups jobs have no timetable: they go with their formations
    op.execute("DELETE FROM solve_jobs WHERE timetable_id IS NULL")
    with op.batch_alter_table("solve_jobs", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_solve_jobs_formation_id_group_formations"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_solve_jobs_period_id_periods"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_solve_jobs_period_id"))
        batch_op.alter_column("timetable_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("formation_id")
        batch_op.drop_column("period_id")
    with op.batch_alter_table("group_formations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_formations_period_id"))
    op.drop_table("group_formations")
