"""Property-based fuzz of the whole API from its OpenAPI document (schemathesis), signed in as a registrar,
on both databases: no generated request gets a 5xx, every status is one the document lists for the
operation, and every answer matches its documented schema.

Every documented operation gets its own hypothesis run of :data:`EXAMPLES` cases; the database holds
a small organisation (``org``) so that low ids exist and lookups get past 404. One test per database
runs them all (a test per operation spent most of its time setting up). schemathesis's own
``from_fixture`` loader does not run under pytest 9, so its strategies are driven by hypothesis here.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

Org = dict[str, dict[str, Any]]
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = 6


def test_every_operation_survives_generated_requests(app: Flask, client: FlaskClient, org: Org) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    authorization = client.environ_base["HTTP_AUTHORIZATION"]
    operations = [(path, method.upper()) for path, item in schema.raw_schema["paths"].items() for method in item]
    assert len(operations) > 60
    for path, method in operations:

        @given(case=schema[path][method].as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case: Any) -> None:
            response = case.call(headers={"Authorization": authorization})
            case.validate_response(response, checks=CHECKS)

        try:
            fuzz()
        except Exception as exc:
            raise AssertionError(f"{method} {path}: {exc}") from exc
