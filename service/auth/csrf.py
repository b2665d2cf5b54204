"""CSRF protection (Flask-WTF's :class:`~flask_wtf.csrf.CSRFProtect`) of requests a browser could forge.

A write (POST, PUT, PATCH, DELETE) must carry the session's CSRF token (the form field ``csrf_token``
or the header ``X-CSRFToken``) unless it is authenticated by an ``Authorization`` header, which a
browser never adds by itself. An API write with neither a header nor a signed-in session is not
checked here: it is refused with 401 by the role rule. A missing or wrong token is a 400.
"""

from __future__ import annotations

from flask import Flask, request, session
from flask_wtf.csrf import CSRFProtect

from service.auth.identity import SESSION_USER

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
csrf = CSRFProtect()


def init_app(app: Flask, api_prefix: str) -> None:
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # valid as long as the session
    csrf.init_app(app)

    @app.before_request
    def _check_csrf() -> None:
        if request.method in SAFE_METHODS or "Authorization" in request.headers:
            return
        if request.path.startswith(api_prefix + "/") and SESSION_USER not in session:
            return
        csrf.protect()
