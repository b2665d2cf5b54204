"""API errors and the JSON error handlers.

Every error answer has one shape, ``{"errors": [{"field": "iin", "message": "..."}]}`` (``field`` is
``null`` when the error concerns the whole request):

- 400: the body is not JSON (:class:`BadRequest`);
- 422: a value has the wrong type or breaks a rule, one entry per field (:class:`Unprocessable`);
- 401: not signed in, or a bad, expired or revoked token (:class:`Unauthorized`, with ``WWW-Authenticate``);
- 403: signed in, but the role rule or a row-level rule refuses (:class:`Forbidden`);
- 404: an unknown id or route (:class:`NotFound`);
- 409: a unique value already taken, or a record still referenced (:class:`Conflict`);
- 422 also for a value the database itself refuses (a safety net behind the schemas);
- 405 and other HTTP errors: the status with its description;
- 500: only for bugs; the exception is logged and the session rolled back, no details leak out.

Outside ``/api`` the web interface turns the same errors into HTML pages (and a 401 into the login
page) through the handler it registers as ``app.extensions["registrar.page_errors"]``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, jsonify
from pydantic import ValidationError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException


@dataclass(frozen=True)
class FieldError:
    """One problem: the field (dotted path; ``None``: the whole request) and what is wrong."""

    field: str | None
    message: str

    def as_json(self) -> dict[str, str | None]:
        return {"field": self.field, "message": self.message}


class ApiError(Exception):
    """An error answered with :attr:`status` and the field errors."""

    status = 400
    headers: dict[str, str] = {}  # noqa: RUF012 (a class default, never mutated)

    def __init__(self, errors: Iterable[FieldError] | str, field: str | None = None) -> None:
        self.errors = [FieldError(field, errors)] if isinstance(errors, str) else list(errors)
        super().__init__("; ".join(f"{e.field or '(request)'}: {e.message}" for e in self.errors))


class BadRequest(ApiError):
    status = 400


class Unauthorized(ApiError):
    status = 401
    headers = {"WWW-Authenticate": 'Bearer realm="registrar"'}  # noqa: RUF012


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    status = 409


class Unprocessable(ApiError):
    status = 422


def field_errors(error: ValidationError) -> list[FieldError]:
    """Pydantic's errors as field errors; the location is joined with dots (``disciplines.0.credits``)."""
    out = []
    for item in error.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"]) or None
        message = item["msg"].removeprefix("Value error, ")
        out.append(FieldError(field, message))
    return out


def error_response(status: int, errors: Iterable[FieldError]) -> Response:
    response = jsonify({"errors": [e.as_json() for e in errors]})
    response.status_code = status
    return response


def init_app(app: Flask) -> None:
    """Register the JSON handlers for :class:`ApiError`, HTTP errors and unexpected exceptions."""
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DataError, _data_error)
    app.register_error_handler(Exception, _unexpected)


def _answer(status: int, errors: Iterable[FieldError]) -> Response:
    """The page error of the web interface if it wants this request, else the JSON error."""
    errors = list(errors)
    pages = current_app.extensions.get("registrar.page_errors")
    if pages is not None:
        page = pages(status, [e.message if e.field is None else f"{e.field}: {e.message}" for e in errors])
        if page is not None:
            return page  # type: ignore[no-any-return]
    return error_response(status, errors)


def _rollback() -> None:
    db_session = g.get("db_session")
    if db_session is not None:
        db_session.rollback()


def _api_error(error: ApiError) -> Response:
    _rollback()
    response = _answer(error.status, error.errors)
    if response.is_json:
        response.headers.update(error.headers)
    return response


def _http_error(error: HTTPException) -> Response:
    response = error.get_response()
    message = f"{error.name}: {error.description}" if error.description else error.name
    body = _answer(error.code or 500, [FieldError(None, message)])
    for header in ("Allow", "Retry-After"):
        if header in response.headers:
            body.headers[header] = response.headers[header]
    return body


def _data_error(error: DataError) -> Response:
    """A value the schemas let through but the database refused (a safety net: the schemas should catch it)."""
    current_app.logger.warning("database refused a value: %s", error.orig)
    _rollback()
    return _answer(422, [FieldError(None, "a value does not fit the database (too long or out of range)")])


def _unexpected(error: Exception) -> Response:
    current_app.logger.exception("unhandled error: %s", error)
    _rollback()
    return _answer(500, [FieldError(None, "internal error: the server failed; the failure was logged")])
