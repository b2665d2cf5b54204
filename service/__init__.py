"""The records service: a Flask application over the registrar's academic records.

``create_app()`` builds the app (the flaskr / microblog application-factory pattern):

- configuration from the environment (:mod:`service.config`), overridden by ``config``;
- one SQLAlchemy engine per app and one session per request (:mod:`service.db`);
- JSON error handlers: 400/422 with field-level messages, 401, 403, 404, 409, and 500 only for real
  bugs (:mod:`service.errors`);
- authentication (API tokens, the web session) and a role rule on every endpoint, CSRF protection of
  cookie-authenticated writes (:mod:`service.auth`);
- the JSON API under ``/api``: one blueprint per area of the records (:mod:`service.records`) and the
  OpenAPI document at ``/api/openapi.json`` (:mod:`service.api`);
- the web pages (login, student search, a student's record; :mod:`service.web`).

The schema is created only by the Alembic migrations (``registrar db upgrade``, :mod:`service.migrate`):
the app never calls ``create_all``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from service import api, db, errors, web
from service.auth import csrf
from service.config import default_database_url, from_environment


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The records service app; ``config`` (e.g. ``{"DATABASE_URL": ...}``) overrides the environment."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        DATABASE_URL=None,
        SECRET_KEY=None,
        API_MAX_PER_PAGE=200,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=8),
    )
    app.config.update(from_environment())
    if config:
        app.config.update(config)
    if not app.config["DATABASE_URL"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = default_database_url(app.instance_path)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    db.init_app(app)
    errors.init_app(app)
    csrf.init_app(app, api.API_PREFIX)
    api.init_app(app)
    web.init_app(app)
    return app
