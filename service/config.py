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
  life of the process (sessions do not survive a restart; set it in production);
- the limits of failed sign-ins (:mod:`service.auth.throttle`), whole numbers: ``REGISTRAR_LOGIN_ACCOUNT_LIMIT``
  (failures of one username, default 5) and ``REGISTRAR_LOGIN_ADDRESS_LIMIT`` (failures from one client
  address, default 30) within ``REGISTRAR_LOGIN_WINDOW`` seconds (default 900) lock that account or address
  for ``REGISTRAR_LOGIN_LOCKOUT`` seconds (default 300), twice as long for each further lock within a day, at
  most ``REGISTRAR_LOGIN_LOCKOUT_MAX`` seconds (default 3600); a limit of 0 turns that limit off.

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
    "LOGIN_ACCOUNT_LIMIT",
    "LOGIN_ADDRESS_LIMIT",
    "LOGIN_WINDOW",
    "LOGIN_LOCKOUT",
    "LOGIN_LOCKOUT_MAX",
    "BROKER_URL",
    "JOB_LEASE_SECONDS",
    "LOCAL_JOBS",
    "JOB_QUEUE",
)
"""Config keys read from ``REGISTRAR_<KEY>``."""
BOOLEAN_KEYS = frozenset({"SESSION_COOKIE_SECURE"})
"""Keys whose value is a flag: ``1``, ``true``, ``yes`` or ``on`` (any case) mean true, anything else false."""
INTEGER_KEYS = frozenset({"LOGIN_ACCOUNT_LIMIT", "LOGIN_ADDRESS_LIMIT", "LOGIN_WINDOW", "LOGIN_LOCKOUT",
                          "LOGIN_LOCKOUT_MAX"})  # fmt: skip
"""Keys whose value is a whole number, 0 or more (``ValueError`` naming the variable otherwise)."""
DATABASE_FILE = "registrar.sqlite3"
"""Name of the default SQLite database in the instance folder."""


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, str | bool | int]:
    """The config keys set (non-empty) in ``environ`` (default ``os.environ``), without the prefix.

    Raises ``ValueError`` naming the variable when a whole-number key holds anything else."""
    environ = os.environ if environ is None else environ
    out: dict[str, str | bool | int] = {}
    for key in ENV_KEYS:
        value = environ.get(ENV_PREFIX + key)
        if not value:
            continue
        if key in BOOLEAN_KEYS:
            out[key] = value.strip().lower() in {"1", "true", "yes", "on"}
        elif key in INTEGER_KEYS:
            out[key] = whole_number(ENV_PREFIX + key, value)
        else:
            out[key] = value
    return out


def whole_number(name: str, value: str) -> int:
    """``value`` as an integer of at least 0; ``ValueError`` naming ``name`` otherwise."""
    text = value.strip()
    if not text.isdigit() or not text.isascii():
        raise ValueError(f"{name} must be a whole number of 0 or more, not {value!r}")
    return int(text)


def default_database_url(instance_path: str | Path) -> str:
    """``sqlite:///<instance folder>/registrar.sqlite3`` (the folder is created by the app factory)."""
    return f"sqlite:///{Path(instance_path) / DATABASE_FILE}"
