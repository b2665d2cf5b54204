"""The route registry: one decorator declares a JSON endpoint, validates its input and records its schemas.

:func:`endpoint` adds a Flask route and keeps an :class:`Endpoint` on the view (``view.api_endpoint``).
The same pydantic models then do both jobs, so the document cannot drift from the checks:

- the body is parsed with ``body.model_validate_json(..., strict=True)``: no JSON -> 400, a wrong
  type or a broken rule -> 422 with one entry per field; numbers in strings are not accepted;
- the query string is parsed with ``query.model_validate`` (lax: query values are text); unknown or
  repeated parameters -> 422;
- the view's result is serialized through ``response`` (``from_attributes``: a view may return an ORM row);
- :mod:`service.api.openapi` builds ``/api/openapi.json`` from the recorded endpoints.

Every endpoint declares its role rule (``roles=``, a :class:`~service.auth.roles.RoleRule`) and every
call first goes through :func:`service.auth.authorize` with it: 401 for an anonymous caller, 403 for a
caller without a fitting role, before the input is even parsed. An endpoint without a rule cannot be
declared. Writes to records are ``audited``: the OpenAPI document shows their ``X-Reason`` header.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, Response, request
from pydantic import BaseModel, ValidationError

from service.auth import RoleRule, authorize
from service.errors import BadRequest, FieldError, Unprocessable, field_errors

View = Callable[..., Any]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Endpoint:
    """What one route accepts and returns; ``response=None`` with status 204: no body."""

    method: str
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    errors: tuple[int, ...] = ()
    """Error statuses besides the ones implied by the input (400/422 for a body, 422 for a query)."""
    description: str = ""
    roles: RoleRule | None = None
    """Who may call it (:mod:`service.auth.roles`); ``None`` only on a spec that was never registered."""
    audited: bool = False
    """A change to records: it takes the ``X-Reason`` header and writes the audit log."""
    files: tuple[str, ...] = ()
    """Media types of file answers the view may return instead of JSON (a ``flask.Response``, e.g. CSV)."""

    @property
    def error_statuses(self) -> tuple[int, ...]:
        implied = {400, 422} if self.body else set()
        if self.query:
            implied.add(422)
        if self.roles is not None and not self.roles.public:
            implied.add(401)
            if not self.roles.signed_in:
                implied.add(403)
        return tuple(sorted(implied | set(self.errors)))


def endpoint(
    bp: Blueprint,
    rule: str,
    method: str,
    *,
    name: str,
    summary: str,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    errors: tuple[int, ...] = (),
    description: str = "",
    roles: RoleRule | None = None,
    audited: bool = False,
    files: tuple[str, ...] = (),
) -> Callable[[View], View]:
    """Declare ``method rule`` on ``bp`` as endpoint ``name``; the view gets path args, ``query=`` and ``body=``.

    ``roles`` is required: who may call it. A path argument ``<int:id>`` implies a 404 answer. The view
    returns an instance of ``response`` (or an object with its attributes), or ``None`` for status 204; with
    ``files``, it may also return a ``flask.Response`` of one of those media types (a file download), which is
    sent as it is.
    """
    if not isinstance(roles, RoleRule):
        raise TypeError(f"endpoint {bp.name}.{name} ({method} {rule}) declares no role rule: pass roles=...")
    if "<" in rule:
        errors = (*errors, 404)
    spec = Endpoint(method, summary, bp.name, body, query, response, status, errors, description, roles, audited,
                    files)  # fmt: skip

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(**path: Any) -> Response:
            authorize(roles)
            kwargs = dict(path)
            if query is not None:
                kwargs["query"] = parse_query(query)
            if body is not None:
                kwargs["body"] = parse_body(body)
            result = view(**kwargs)
            if files and isinstance(result, Response):
                return result
            if response is None:
                return Response(status=status)
            data = result if isinstance(result, response) else response.model_validate(result, from_attributes=True)
            # pydantic-core writes the JSON itself: several times faster than model_dump() + json.dumps
            return Response(data.model_dump_json(), status=status, mimetype="application/json")

        wrapper.api_endpoint = spec  # type: ignore[attr-defined]
        bp.add_url_rule(rule, endpoint=name, view_func=wrapper, methods=[method])
        return wrapper

    return decorator


def parse_body(schema: type[M]) -> M:
    """The request body validated strictly as ``schema``; 400 if it is not JSON, 422 with field errors otherwise."""
    try:
        return schema.model_validate_json(request.get_data(), strict=True)
    except ValidationError as exc:
        invalid = [e for e in exc.errors(include_url=False) if e["type"] == "json_invalid"]
        if invalid:
            reason = invalid[0]["msg"].removeprefix("Invalid JSON: ")
            raise BadRequest(f"the request body is not valid JSON: {reason}") from None
        raise Unprocessable(field_errors(exc)) from None


def parse_query(schema: type[M]) -> M:
    """The query string validated as ``schema``; 422 with field errors for bad, unknown or repeated parameters."""
    repeated = [FieldError(key, "given more than once") for key in request.args if len(request.args.getlist(key)) > 1]
    if repeated:
        raise Unprocessable(repeated)
    try:
        return schema.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise Unprocessable(field_errors(exc)) from None
