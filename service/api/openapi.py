"""The OpenAPI 3.1 document of the JSON API, built from the route registry.

Nothing here is written by hand per endpoint: for every Flask route whose view carries an
:class:`~service.api.routing.Endpoint`, the operation comes from its rule (path and its parameters),
its query model (one parameter per field), its body model (the request body) and its response model.
All component schemas come from pydantic's ``models_json_schema`` (JSON Schema 2020-12, which OpenAPI
3.1 uses), so the document shows exactly what the endpoints validate.

Access: two security schemes, ``bearerAuth`` (an API token) and ``sessionCookie`` (the web login);
each operation lists them (none for a public one), states its role rule in ``x-roles`` and in its
description, and documents 401/403. Audited writes document the optional ``X-Reason`` header.
"""

from __future__ import annotations

import re
from importlib import metadata
from typing import Any, Literal

from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from service.api.routing import Endpoint
from service.schemas.common import ErrorResponse

OPENAPI_VERSION = "3.1.0"
REF_TEMPLATE = "#/components/schemas/{model}"
_PATH_ARG = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
_CONVERTER_SCHEMAS: dict[str, dict[str, Any]] = {"int": {"type": "integer"}, "float": {"type": "number"}}
_STATUS_TEXT = {
    200: "OK",
    201: "Created",
    204: "Deleted",
    400: "The body is not JSON",
    401: "Not signed in, or the token is unknown, expired or revoked",
    403: "Signed in, but the role rule or a row-level rule refuses",
    404: "No such record",
    409: "Conflict with an existing record",
    422: "Invalid values (one entry per field)",
}

Mode = Literal["validation", "serialization"]
SECURITY_SCHEMES: dict[str, Any] = {
    "bearerAuth": {"type": "http", "scheme": "bearer", "description": "An API token (`registrar users token`)."},
    "sessionCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
        "description": "The web login's session; writes then also need the X-CSRFToken header.",
    },
}
REASON_HEADER: dict[str, Any] = {
    "name": "X-Reason",
    "in": "header",
    "required": False,
    "description": "Why the change is made, kept in the audit log (UTF-8; percent-encode non-ASCII text). "
    "Required for some fields (e.g. a student's status).",
    "schema": {"type": "string", "maxLength": 500},
}


def registered_endpoints(app: Flask) -> list[tuple[str, str, Endpoint]]:
    """``(flask rule, endpoint name, spec)`` of every route that has an :class:`Endpoint`, in URL-map order."""
    out = []
    for rule in app.url_map.iter_rules():
        spec = getattr(app.view_functions[rule.endpoint], "api_endpoint", None)
        if isinstance(spec, Endpoint):
            out.append((rule.rule, rule.endpoint, spec))
    return out


def openapi_path(rule: str) -> str:
    """A Flask rule as an OpenAPI path: ``/api/students/<int:id>`` -> ``/api/students/{id}``."""
    return _PATH_ARG.sub(lambda m: "{" + m["name"] + "}", rule)


def build_document(app: Flask, title: str = "registrar records service") -> dict[str, Any]:
    """The OpenAPI document of ``app``'s registered endpoints."""
    endpoints = registered_endpoints(app)
    wanted: list[tuple[type[BaseModel], Mode]] = [(ErrorResponse, "serialization")]
    for _, _, spec in endpoints:
        if spec.body:
            wanted.append((spec.body, "validation"))
        if spec.response:
            wanted.append((spec.response, "serialization"))
    refs, definitions = models_json_schema(list(dict.fromkeys(wanted)), ref_template=REF_TEMPLATE)
    components: dict[str, Any] = dict(definitions.get("$defs", {}))
    error_ref = refs[ErrorResponse, "serialization"]
    paths: dict[str, dict[str, Any]] = {}
    for rule, name, spec in endpoints:
        operation: dict[str, Any] = {"operationId": name, "summary": spec.summary, "tags": [spec.tag]}
        description = spec.description
        if spec.roles is not None:
            description = (description + "\n\n" if description else "") + "Access: " + spec.roles.describe() + "."
            operation["security"] = [] if spec.roles.public else [{"bearerAuth": []}, {"sessionCookie": []}]
            operation["x-roles"] = {"roles": sorted(spec.roles.roles), "scoped": dict(spec.roles.scopes),
                                    "public": spec.roles.public, "signed_in": spec.roles.signed_in}  # fmt: skip
        if description:
            operation["description"] = description
        parameters = _path_parameters(rule)
        if spec.audited:
            parameters.append(REASON_HEADER)
        if spec.query:
            parameters += _query_parameters(spec.query, components)
        if parameters:
            operation["parameters"] = parameters
        if spec.body:
            schema = refs[spec.body, "validation"]
            operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
        responses: dict[str, Any] = {}
        success: dict[str, Any] = {"description": _STATUS_TEXT.get(spec.status, "OK")}
        if spec.response:
            success["content"] = {"application/json": {"schema": refs[spec.response, "serialization"]}}
        elif spec.status != 204:
            success["content"] = {"application/json": {"schema": {"type": "object"}}}
        for media_type in spec.files:
            success.setdefault("content", {})[media_type] = {"schema": {"type": "string", "format": "binary"}}
        responses[str(spec.status)] = success
        for status in spec.error_statuses:
            content = {"application/json": {"schema": error_ref}}
            responses[str(status)] = {"description": _STATUS_TEXT.get(status, "Error"), "content": content}
        operation["responses"] = responses
        paths.setdefault(openapi_path(rule), {})[spec.method.lower()] = operation
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": title,
            "version": _version(),
            "description": "Academic records of the Office of the Registrar. Sign in with an API token "
            "(`Authorization: Bearer <token>`) or the web login; every operation states the roles it needs.",
        },
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": SECURITY_SCHEMES},
        "security": [{"bearerAuth": []}, {"sessionCookie": []}],
    }


def _path_parameters(rule: str) -> list[dict[str, Any]]:
    return [
        {
            "name": m["name"],
            "in": "path",
            "required": True,
            "schema": _CONVERTER_SCHEMAS.get(m["converter"] or "", {"type": "string"}),
        }
        for m in _PATH_ARG.finditer(rule)
    ]


def _query_parameters(model: type[BaseModel], components: dict[str, Any]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=REF_TEMPLATE)
    components.update(schema.get("$defs", {}))
    required = set(schema.get("required", ()))
    out = []
    for name, prop in schema.get("properties", {}).items():
        prop = _without_null(prop)
        parameter: dict[str, Any] = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if "description" in prop:
            parameter["description"] = prop["description"]
        out.append(parameter)
    return out


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional query parameter's schema without its null branch (a query string cannot say null: omit it)."""
    options = schema.get("anyOf")
    if not options or {"type": "null"} not in options:
        return schema
    rest = [option for option in options if option != {"type": "null"}]
    base = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
    return base | (rest[0] if len(rest) == 1 else {"anyOf": rest})


def _version() -> str:
    try:
        return metadata.version("registrar")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a tree that was never installed
        return "0.0.0"
