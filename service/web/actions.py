"""Carrying out a form's action on a page: all or nothing, every problem shown to the user.

:func:`attempt` runs the action (which commits); a refusal (a pydantic validation error or an API error)
rolls the session back and becomes the list of problems and the HTTP status the page is shown with, so a
page answers a bad form with the same status as the API (422, 409, 403) and nothing half-written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import flash, request
from pydantic import ValidationError

from service import db
from service.errors import ApiError, field_errors


def attempt(action: Callable[[], Any], done: str) -> tuple[list[str], int]:
    """Run ``action``; on success flash ``done`` and return ``([], 200)``, else ``(problems, status)``."""
    try:
        action()
    except ValidationError as exc:
        db.session().rollback()
        return [f"{e.field}: {e.message}" if e.field else e.message for e in field_errors(exc)], 422
    except ApiError as exc:
        db.session().rollback()
        return [f"{e.field}: {e.message}" if e.field else e.message for e in exc.errors], exc.status
    flash(done)
    return [], 200


def form_values(names: tuple[str, ...], defaults: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The posted values of ``names`` (an empty input is absent), over ``defaults``."""
    values = dict(defaults or {})
    for name in names:
        text = request.form.get(name, "").strip()
        if text:
            values[name] = text
    return values


def checked(name: str) -> bool:
    """Whether the checkbox ``name`` was ticked."""
    return request.form.get(name) in ("on", "true", "1", "yes")
