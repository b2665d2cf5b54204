"""Configuration of the records service, read from the environment.

Variables (all optional):

- ``REGISTRAR_DATABASE_URL``: the SQLAlchemy URL of the database, e.g.
  ``postgresql+psycopg://registrar@127.0.0.1:5432/registrar``; default: the SQLite file
  ``registrar.sqlite3`` in the Flask instance folder (``instance/`` next to the package in a clone).
- ``REGISTRAR_SESSION_COOKIE_SECURE``: ``1``/``true`` sends the session cookie only over HTTPS (set it
  when the service is behind TLS); default off, so the login works on a plain local port;
- ``REGISTRAR_BROKER_URL``: a Celery broker (``redis://127.0.0.1:6379/0``): solve jobs go to ``registrar worker``
  processes; default none: jobs run in the web process's own runner (:mod:`service.timetabling.runner`);
- ``REGISTRAR_JOB_LEASE_SECONDS``: a running job without heartbeat for this long is failed (default 30);
- ``REGISTRAR_JOB_QUEUE``: the broker queue of the jobs (default ``registrar-jobs``; the workers read the same);
- ``REGISTRAR_LOCAL_JOBS``: jobs the in-process runner solves at once (default 1);
- ``REGISTRAR_SECRET_KEY``: the key that signs web sessions and CSRF tokens; default: a random key for the
  life of the process (sessions do not survive a restart; set it in production).

Inside the app the values are ``app.config["DATABASE_URL"]`` and ``app.config["SECRET_KEY"]``;
``create_app(config)`` overrides both the environment and the defaults.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ENV_PREFIX = "REGISTRAR_"
ENV_KEYS: tuple[str, ...] = (
    "DATABASE_URL",
    "SECRET_KEY",
    "SESSION_COOKIE_SECURE",
    "BROKER_URL",
    "JOB_LEASE_SECONDS",
    "LOCAL_JOBS",
    "JOB_QUEUE",
)
"""Config keys read from ``REGISTRAR_<KEY>``."""
BOOLEAN_KEYS = frozenset({"SESSION_COOKIE_SECURE"})
"""Keys whose value is a flag: ``1``, ``true``, ``yes`` or ``on`` (any case) mean true, anything else false."""
DATABASE_FILE = "registrar.sqlite3"
"""Name of the default SQLite database in the instance folder."""


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, str | bool]:
    """The config keys set (non-empty) in ``environ`` (default ``os.environ``), without the prefix."""
    environ = os.environ if environ is None else environ
    out: dict[str, str | bool] = {}
    for key in ENV_KEYS:
        value = environ.get(ENV_PREFIX + key)
        if value:
            out[key] = value.strip().lower() in {"1", "true", "yes", "on"} if key in BOOLEAN_KEYS else value
    return out


def default_database_url(instance_path: str | Path) -> str:
    """``sqlite:///<instance folder>/registrar.sqlite3`` (the folder is created by the app factory)."""
    return f"sqlite:///{Path(instance_path) / DATABASE_FILE}"
