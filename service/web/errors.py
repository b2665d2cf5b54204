"""Error pages: outside ``/api`` an error is an HTML page, and an anonymous visitor is sent to the login page.

:mod:`service.errors` asks :func:`page_error` first; it answers ``None`` for API requests, which keep
their JSON errors.
"""

from __future__ import annotations

from flask import Flask, Response, make_response, redirect, render_template, request, url_for

PAGE_ERRORS = "registrar.page_errors"
TITLES = {400: "Bad request", 401: "Sign in", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
          409: "Conflict", 422: "Invalid input", 500: "Server error"}  # fmt: skip


def page_error(status: int, messages: list[str]) -> Response | None:
    """The HTML answer for an error on a page, or ``None`` for an API request."""
    if request.path == "/api" or request.path.startswith("/api/"):
        return None
    if status == 401:
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("web.login", next=target))  # type: ignore[return-value]
    title = TITLES.get(status, "Error")
    return make_response(render_template("web/error.html", status=status, title=title, messages=messages), status)


def init_app(app: Flask) -> None:
    app.extensions[PAGE_ERRORS] = page_error
