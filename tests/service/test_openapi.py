"""The OpenAPI document: valid OpenAPI 3.1, every route in it, and its schemas are the ones the endpoints enforce."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from service.api.openapi import openapi_path, registered_endpoints

METHODS = {"GET", "POST", "PATCH", "PUT", "DELETE"}


@pytest.fixture
def document(app: Flask) -> dict[str, Any]:
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json  # type: ignore[return-value]


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else schema


def test_document_is_valid_openapi(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_api_route_is_documented(app: Flask, document: dict[str, Any]) -> None:
    routes = {
        (openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in (rule.methods or set()) & METHODS
    }
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert routes == documented
    assert len(registered_endpoints(app)) == len(routes)
    operation_ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))
    for path in ("/api/students", "/api/students/{id}", "/api/study-plans", "/api/periods", "/api/openapi.json"):
        assert path in document["paths"]
    assert "delete" not in document["paths"]["/api/students/{id}"]


def test_request_schemas_are_what_endpoints_validate(app: Flask, client_as: Callable[..., FlaskClient],
                                                    document: dict[str, Any]) -> None:  # fmt: skip
    """For every body: sending {} reports exactly the required fields, and an unknown field is rejected.

    The caller holds every staff role, so each write's role gate lets it through to the body check."""
    client = client_as("registrar", "vice_rector", "scheduler", "exam_coordinator", "archivist")
    checked = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if "requestBody" not in operation:
                continue
            schema = resolve(document, operation["requestBody"]["content"]["application/json"]["schema"])
            assert schema["additionalProperties"] is False
            url = path.replace("{id}", "999999")
            response = client.open(url, method=method.upper(), json={})
            if method == "post":
                assert response.status_code == 422, (path, response.json)
                missing = {e["field"] for e in response.json["errors"]}
                assert missing == set(schema.get("required", [])), path
            else:
                assert "required" not in schema, path
                assert response.status_code == 404, (path, response.json)
            response = client.open(url, method=method.upper(), json={"not_a_field": 1})
            assert response.status_code == 422
            assert "not_a_field" in {e["field"] for e in response.json["errors"]}
            for name in schema["properties"]:
                assert name in app.view_functions[operation["operationId"]].api_endpoint.body.model_fields
            checked += 1
    assert checked >= 20


def test_query_parameters_are_what_endpoints_accept(app: Flask, client: FlaskClient, document: dict[str, Any]) -> None:
    """Every GET's query parameters are its query model's fields; every list (a Page) is paged."""
    lists = 0
    for path, item in document["paths"].items():
        operation = item.get("get")
        if not operation or "{" in path or path.endswith(".json") or path == "/api/me":
            continue
        query = app.view_functions[operation["operationId"]].api_endpoint.query
        names = {p["name"] for p in operation.get("parameters", ()) if p["in"] == "query"}
        assert names == set(query.model_fields if query else ())
        if query is None:
            assert client.get(path).status_code == 200
            continue
        assert client.get(path + "?no_such_filter=1").status_code == 422
        if any(field.is_required() for field in query.model_fields.values()):  # e.g. /api/verify
            assert client.get(path).status_code == 422
            continue
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        if answer.get("$ref", "").split("/")[-1].startswith("Page"):
            assert {"page", "per_page"} <= names
            required = {p["name"] for p in operation["parameters"] if p["required"]}
            assert client.get(path + "?per_page=1").status_code == (422 if required else 200)
            lists += 1
        else:
            assert client.get(path).status_code == 200
    assert lists >= 12


def test_responses_reference_components(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for item in document["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if status == "204":
                    assert "content" not in response
                    continue
                files = {media for media in response["content"] if media != "application/json"}
                assert all(response["content"][m]["schema"] == {"type": "string", "format": "binary"} for m in files)
                schema = response["content"]["application/json"]["schema"]
                if "$ref" in schema:
                    assert schema["$ref"].rsplit("/", 1)[1] in schemas
                if status.startswith(("4", "5")):
                    assert schema["$ref"].endswith("/ErrorResponse")
    student = schemas["StudentOut"]
    assert {"iin", "birth_date", "sex", "status", "funding"} <= set(student["required"])
    statuses = set(schemas["StudentCreate"]["properties"]["status"]["enum"])
    assert statuses == {"active", "on_leave", "expelled", "graduated", "not_enrolled"}
    state_form = document["paths"]["/api/reports/state-form"]["get"]["responses"]["200"]["content"]
    assert set(state_form) == {"application/json", "text/csv",
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip


def test_access_is_documented(document: dict[str, Any]) -> None:
    assert set(document["components"]["securitySchemes"]) == {"bearerAuth", "sessionCookie"}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            access = operation.get("x-roles")
            if path in ("/api/openapi.json", "/api/verify"):  # public
                assert "401" not in operation["responses"]
                continue
            assert access is not None, (method, path)
            assert "Access: " in operation["description"]
            assert operation["security"] == [{"bearerAuth": []}, {"sessionCookie": []}]
            assert "401" in operation["responses"], (method, path)
            assert ("403" in operation["responses"]) == (not access["signed_in"]), (method, path)
            reason = [p for p in operation.get("parameters", []) if p["name"] == "X-Reason"]
            assert bool(reason) == (method in ("post", "patch", "delete") and path.startswith(
                tuple(f"/api/{r}" for r in ("faculties", "departments", "programmes", "study-plans", "plan-disciplines",
                                            "academic-years", "periods", "rooms", "teachers", "groups", "streams",
                                            "students", "orders", "applications", "contingent/policy",
                                            "personal-file-documents", "archive", "grading-policy",
                                            "credit-limits", "registrations", "sections", "documents",
                                            "graduation/honours-rule", "timetable-jobs",
                                            "timetable-versions")))), (
                method, path)  # fmt: skip
    students = document["paths"]["/api/students"]["get"]["x-roles"]
    assert set(students["scoped"]) == {"student", "advisor", "teacher"}
