"""Migrations: they alone create the schema, it matches the models, and it goes down and up again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from service import migrate
from service.db import Base, make_engine

SERVICE = Path(migrate.__file__).resolve().parent


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def model_differences(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))
    finally:
        engine.dispose()


def test_upgrade_creates_the_schema_on_an_empty_database(empty_database_url: str) -> None:
    assert tables(empty_database_url) == set()
    assert migrate.current(empty_database_url) is None
    migrate.upgrade(empty_database_url)
    assert migrate.current(empty_database_url) == migrate.head()
    assert tables(empty_database_url) == set(Base.metadata.tables) | {"alembic_version"}
    assert model_differences(empty_database_url) == []


def test_downgrade_and_upgrade_round_trip(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url)
    migrate.downgrade(empty_database_url, "base")
    assert migrate.current(empty_database_url) is None
    assert tables(empty_database_url) == {"alembic_version"}
    migrate.upgrade(empty_database_url)
    assert migrate.current(empty_database_url) == migrate.head()
    assert model_differences(empty_database_url) == []


def test_schema_is_created_only_by_migrations() -> None:
    offenders = [p for p in SERVICE.rglob("*.py") if ".create_all(" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_grades_migration_gives_existing_periods_add_drop_deadlines(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url, "0001_records")
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO academic_years (id, start_year, starts_on, ends_on) "
                                    "VALUES (1, 2025, '2025-09-01', '2026-08-15')"))  # fmt: skip
            connection.execute(
                text(
                    "INSERT INTO periods (id, academic_year_id, kind, starts_on, ends_on, rk1_week, rk2_week, "
                    "session_first_week, session_last_week, rk1_deadline, rk2_deadline, exam_deadline) VALUES "
                    "(1, 1, 'autumn', '2025-09-01', '2026-01-04', 8, 15, 16, 18, '2025-10-25', '2025-12-13', "
                    "'2026-01-03'), (2, 1, 'summer', '2026-06-01', '2026-07-12', 1, 5, 6, 6, '2026-06-03', "
                    "'2026-07-04', '2026-07-11')"
                )
            )
        migrate.upgrade(empty_database_url)
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, add_deadline, drop_deadline FROM periods ORDER BY id")).all()
    finally:
        engine.dispose()
    as_dates = [(i, dt.date.fromisoformat(str(a)), dt.date.fromisoformat(str(d))) for i, a, d in rows]
    assert as_dates == [
        (1, dt.date(2025, 9, 7), dt.date(2025, 9, 14)),
        (2, dt.date(2026, 6, 3), dt.date(2026, 6, 3)),  # capped at the RK1 deadline
    ]


def test_group_formations_migration_gives_existing_jobs_their_period(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url, "0006_timetables")
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO academic_years (id, start_year, starts_on, ends_on) "
                                    "VALUES (1, 2025, '2025-09-01', '2026-08-15')"))  # fmt: skip
            connection.execute(
                text(
                    "INSERT INTO periods (id, academic_year_id, kind, starts_on, ends_on, rk1_week, rk2_week, "
                    "session_first_week, session_last_week, rk1_deadline, rk2_deadline, exam_deadline, "
                    "add_deadline, drop_deadline) VALUES (7, 1, 'autumn', '2025-09-01', '2026-01-04', 8, 15, 16, "
                    "18, '2025-10-25', '2025-12-13', '2026-01-03', '2025-09-07', '2025-09-14')"
                )
            )
            connection.execute(text("INSERT INTO timetables (id, period_id, kind, created_at) "
                                    "VALUES (3, 7, 'lessons', '2025-09-01 10:00:00+00:00')"))  # fmt: skip
            connection.execute(
                text(
                    "INSERT INTO solve_jobs (id, kind, timetable_id, status, time_limit, instance, legend, "
                    "created_at, created_by, attempts, cancel_requested) VALUES (5, 'lessons', 3, 'finished', 30, "
                    "'{}', '{}', '2025-09-01 10:00:00+00:00', 'scheduler', 1, false)"
                )
            )
        migrate.upgrade(empty_database_url)
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, period_id, timetable_id, formation_id FROM solve_jobs")).all()
        assert [tuple(r) for r in rows] == [(5, 7, 3, None)]
        migrate.downgrade(empty_database_url, "0006_timetables")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT id, timetable_id FROM solve_jobs")).all() == [(5, 3)]
    finally:
        engine.dispose()
