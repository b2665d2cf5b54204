"""Test helpers of the records-service tests (a module of its own: test modules import it, never ``conftest``)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient


class Api:
    """The test client with assertions for the JSON API."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def create(self, path: str, **body: Any) -> dict[str, Any]:
        """POST ``body``; asserts 201 and returns the created record."""
        response = self.client.post(f"/api{path}", json=body)
        assert response.status_code == 201, response.json
        return response.json  # type: ignore[return-value]

    def get(self, path: str, expect: int = 200) -> Any:
        response = self.client.get(f"/api{path}")
        assert response.status_code == expect, response.json
        return response.json

    def patch(self, path: str, expect: int = 200, **body: Any) -> Any:
        response = self.client.patch(f"/api{path}", json=body)
        assert response.status_code == expect, response.json
        return response.json

    def fails(self, method: str, path: str, status: int, body: Any = None) -> dict[str | None, str]:
        """Send a request that must fail with ``status``; returns ``{field: message}`` of the errors."""
        response = self.client.open(f"/api{path}", method=method, json=body)
        assert response.status_code == status, response.json
        assert response.is_json and set(response.json) == {"errors"}, response.data
        return {e["field"]: e["message"] for e in response.json["errors"]}
