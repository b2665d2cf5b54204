"""Configuration of the records service, read from the environment.

Variables (all optional):

- ``REGISTRAR_DATABASE_URL``: the SQLAlchemy URL of the database, e.g.
  ``postgresql+psycopg://registrar@127.0.0.1:5432/registrar``; default: the SQLite file
  ``registrar.sqlite3`` in the Flask instance folder (``instance/`` next to the package in a clone).
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
ENV_KEYS: tuple[str, ...] = ("DATABASE_URL", "SECRET_KEY")
"""Config keys read from ``REGISTRAR_<KEY>``."""
DATABASE_FILE = "registrar.sqlite3"
"""Name of the default SQLite database in the instance folder."""


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The config keys set (non-empty) in ``environ`` (default ``os.environ``), without the prefix."""
    environ = os.environ if environ is None else environ
    return {key: environ[ENV_PREFIX + key] for key in ENV_KEYS if environ.get(ENV_PREFIX + key)}


def default_database_url(instance_path: str | Path) -> str:
    """``sqlite:///<instance folder>/registrar.sqlite3`` (the folder is created by the app factory)."""
    return f"sqlite:///{Path(instance_path) / DATABASE_FILE}"
