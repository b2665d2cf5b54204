"""The database: declarative base, one engine per app, one session per request.

- :class:`Base` carries a naming convention, so constraints have the same names on SQLite and
  PostgreSQL and in the migrations (``uq_students_iin``, ``fk_students_group_id_groups``, ...).
- :func:`make_engine` turns on foreign-key enforcement for SQLite (off by default there).
- :func:`session` is the request's session: opened on first use, kept on ``flask.g``, rolled back
  (if a view left a transaction open) and closed when the app context ends. Views commit explicitly.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
EXTENSION = "registrar.db"


class Base(DeclarativeBase):
    """Base of the records models (:mod:`service.models`)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite connections get ``PRAGMA foreign_keys = ON``."""
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _foreign_keys(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

    return engine


def init_app(app: Flask) -> None:
    """Bind an engine and a session factory to ``app`` (from ``DATABASE_URL``) and close sessions on teardown."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions[EXTENSION] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine(app: Flask | None = None) -> Engine:
    """The app's engine (default: the current app)."""
    factory: sessionmaker[Session] = (app or current_app).extensions[EXTENSION]
    bound = factory.kw["bind"]
    assert isinstance(bound, Engine)
    return bound


def session() -> Session:
    """The current request's (app context's) session."""
    if "db_session" not in g:
        g.db_session = current_app.extensions[EXTENSION]()
    return g.db_session


def dispose(app: Flask) -> None:
    """Close the pooled connections of ``app``'s engine (tests and shutdown)."""
    engine(app).dispose()


def _close_session(_exc: BaseException | None) -> None:
    db_session: Session | None = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
