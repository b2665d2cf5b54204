"""Alembic environment of the records service: the URL comes from ``config.attributes["database_url"]``
(set by :mod:`service.migrate`); the target metadata is :data:`service.db.Base.metadata`."""

from __future__ import annotations

from alembic import context

import service.models  # noqa: F401  (registers every table on the metadata)
from service.db import Base, make_engine

config = context.config
url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
if not url:
    raise RuntimeError("no database URL: run migrations through `registrar db upgrade` or service.migrate")


def run_offline() -> None:
    """Emit SQL to stdout without a connection (``alembic upgrade --sql``)."""
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=True
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
