"""Schema migrations, run programmatically with Alembic (no ``alembic.ini``).

The scripts live in ``service/migrations`` (``env.py``, ``versions/``). The database URL is handed to
``env.py`` through ``Config.attributes``, never through the ini file (where ``%`` would be interpolated).
The schema is created ONLY here: the app and the tests never call ``metadata.create_all``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from service.db import make_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config for ``url`` with the project's script location."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` up to ``revision`` (default: the newest)."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    """Migrate the database at ``url`` down to ``revision`` (``base``: an empty schema)."""
    command.downgrade(alembic_config(url), revision)


def revision(url: str, message: str, autogenerate: bool = True) -> None:
    """Write a new migration script; with ``autogenerate``, the difference between the models and ``url``."""
    command.revision(alembic_config(url), message=message, autogenerate=autogenerate)


def head() -> str:
    """The newest revision of the scripts."""
    current = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert current is not None, "no migration scripts"
    return current


def current(url: str) -> str | None:
    """The revision the database at ``url`` is at; ``None`` for a database never migrated."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
