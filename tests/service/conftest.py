"""Fixtures of the records-service tests.

Every test that takes ``app``, ``client``, ``api`` or ``database_url`` runs twice: on a SQLite file and
on PostgreSQL (``[sqlite]`` / ``[postgresql]`` in the test id). For PostgreSQL the session creates
fresh databases named ``registrar_test_<random>`` through the server's ``postgres`` (or ``test``)
database and drops them at the end, so no other data is touched. The server is
``$REGISTRAR_TEST_POSTGRES`` (default ``postgresql://postgres@127.0.0.1:5432``). If it cannot be
reached the PostgreSQL cases are skipped with the reason, except in CI (``CI=true``), where they fail.

The schema always comes from the migrations (``service.migrate.upgrade``), never from ``create_all``.

Authentication: ``client`` and ``api`` act as a registrar (an API token of a user made for the test);
``anonymous`` is a client without credentials; ``client_as(*roles, teacher_id=, student_id=)`` makes a
user with those roles and returns a client holding their token. Users get the password
:data:`service_testing.PASSWORD` (hashed once per session).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from campus import Campus
from flask import Flask
from flask.testing import FlaskClient
from service_testing import PASSWORD, Api, bearer_client
from sqlalchemy import Connection, delete, text
from werkzeug.security import generate_password_hash

from models.iin import make_iin
from service import create_app, db, migrate
from service.db import Base

BACKENDS = ("sqlite", "postgresql")
POSTGRES = os.environ.get("REGISTRAR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
MAINTENANCE_DATABASES = ("postgres", "test")


class PostgresDatabases:
    """Creates throw-away databases on the server and drops them all at :meth:`drop_all`."""

    def __init__(self, server: str, maintenance: str) -> None:
        self.server, self.maintenance = server, maintenance
        self.created: list[str] = []

    def _admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(f"{self.server}/{self.maintenance}", autocommit=True, connect_timeout=5)

    def create(self) -> str:
        """A new empty database; its SQLAlchemy URL."""
        name = f"registrar_test_{secrets.token_hex(6)}"
        with self._admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return f"{self.server.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"

    def drop_all(self) -> None:
        with self._admin() as connection:
            for name in self.created:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.clear()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases]:
    """The PostgreSQL server's database factory; skip (fail in CI) when the server is unreachable."""
    problems = []
    for maintenance in MAINTENANCE_DATABASES:
        try:
            psycopg.connect(f"{POSTGRES}/{maintenance}", connect_timeout=5).close()
        except psycopg.OperationalError as exc:
            problems.append(f"{maintenance}: {' '.join(str(exc).split())}")
            continue
        databases = PostgresDatabases(POSTGRES, maintenance)
        yield databases
        databases.drop_all()
        return
    reason = f"PostgreSQL at {POSTGRES} is unreachable ({'; '.join(problems)})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must test PostgreSQL (.ci/run starts it)")
    pytest.skip(f"{reason}; start it to run the PostgreSQL cases")


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new database with no tables at all, of the current backend."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    return request.getfixturevalue("postgres").create()


@pytest.fixture(scope="session")
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database of the current backend migrated to the newest revision, shared by the session."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'records.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres").create()
    migrate.upgrade(url)
    return url


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """The app on the migrated database; every table is emptied after the test."""
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test"})
    yield app
    with db.engine(app).begin() as connection, append_only_triggers_off(connection):
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
    db.dispose(app)


class append_only_triggers_off:
    """Within one transaction, lift the audit log's append-only triggers to empty it between tests (tests only)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.sqlite_triggers: list[tuple[str, str]] = []

    def __enter__(self) -> None:
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            return
        query = text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
        self.sqlite_triggers = [(name, sql) for name, sql in self.connection.execute(query)]
        for name, _ in self.sqlite_triggers:
            self.connection.execute(text(f'DROP TRIGGER "{name}"'))

    def __exit__(self, *exc: object) -> None:
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
        for _, sql in self.sqlite_triggers:
            self.connection.execute(text(sql))


@pytest.fixture(scope="session")
def password_hash() -> str:
    """The hash of :data:`PASSWORD`, computed once (scrypt takes tens of milliseconds)."""
    return generate_password_hash(PASSWORD)


@pytest.fixture
def client_as(app: Flask, password_hash: str) -> Callable[..., FlaskClient]:
    """``client_as("advisor", teacher_id=3, username=...)``: a client with a token of a new user holding the roles."""
    made: list[int] = []

    def make(*roles: str, username: str | None = None, **links: int | None) -> FlaskClient:
        made.append(len(made) + 1)
        name = username or f"{'-'.join(roles) or 'norole'}-{len(made)}".replace("_", "-")
        return bearer_client(app, name, list(roles), password_hash, **links)

    return make


@pytest.fixture
def client(client_as: Callable[..., FlaskClient]) -> FlaskClient:
    """A client acting as a registrar (user ``registrar-test``)."""
    return client_as("registrar", username="registrar-test")


@pytest.fixture
def anonymous(app: Flask) -> FlaskClient:
    """A client with no credentials."""
    return app.test_client()


@pytest.fixture
def api(client: FlaskClient) -> Api:
    return Api(client)


@pytest.fixture
def org(api: Api) -> dict[str, dict[str, Any]]:
    """A faculty, a department, a bachelor's programme, a teacher and a Kazakh-language group of 2025."""
    faculty = api.create("/faculties", code="FIT", name_en="Faculty of Information Technologies")
    department = api.create(
        "/departments", code="CS", name_en="Department of Computer Science", faculty_id=faculty["id"]
    )
    programme = api.create(
        "/programmes",
        code="6B06101",
        name_en="Computer Science",
        name_kk="Информатика",
        level="bachelor",
        faculty_id=faculty["id"],
        department_id=department["id"],
    )
    teacher = api.create("/teachers", code="Abenov_AB", last_name="Abenov", first_name="Aidar",
                         department_id=department["id"])  # fmt: skip
    group = api.create("/groups", code="CS-25-1k", programme_id=programme["id"], admission_year=2025, language="kk",
                       advisor_id=teacher["id"])  # fmt: skip
    return {"faculty": faculty, "department": department, "programme": programme, "teacher": teacher, "group": group}


@pytest.fixture
def student_body(org: dict[str, dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """``student_body(serial=1, **changes)``: a valid new student of ``org``'s group (born 2007-03-12, male)."""

    def make(serial: int = 1, **changes: Any) -> dict[str, Any]:
        return _student(org, serial) | changes

    return make


def _student(org: dict[str, dict[str, Any]], serial: int) -> dict[str, Any]:
    return {
        "iin": make_iin(dt.date(2007, 3, 12), "male", serial),
        "last_name": "Nurlanov",
        "first_name": "Arman",
        "birth_date": "2007-03-12",
        "sex": "male",
        "language": "kk",
        "funding": "state_grant",
        "programme_id": org["programme"]["id"],
        "group_id": org["group"]["id"],
        "admission_year": 2025,
    }


@pytest.fixture
def campus(app: Flask, api: Api, org: dict[str, dict[str, Any]]) -> Campus:
    """Calendar 2025/2026 (+ autumn 2026), the 2025 cohort's study plan; today is 2025-09-03 (add/drop open)."""
    built = Campus(app, api, org)
    built.on("2025-09-03")
    return built
