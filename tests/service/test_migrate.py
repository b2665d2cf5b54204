"""Migrations: they alone create the schema, it matches the models, and it goes down and up again."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

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
