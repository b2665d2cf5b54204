"""Test helpers of the records-service tests (a module of its own: test modules import it, never ``conftest``)."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from service import db
from service.auth import accounts, tokens
from service.schemas.users import UserCreate

PASSWORD = "correct horse battery"
"""The password of every user the tests make."""


def make_user(app: Flask, username: str, roles: list[str], password_hash: str | None = None, **links: Any) -> int:
    """Add a user with :data:`PASSWORD` and ``roles`` (committed); returns the id."""
    with app.app_context():
        session = db.session()
        data = UserCreate(username=username, full_name=username.title(), password=PASSWORD, roles=roles, **links)
        user = accounts.create_user(session, data, password_hash)
        session.commit()
        return user.id


def issue_token(app: Flask, user_id: int, days: int = 30) -> str:
    """A new API token of the user (committed); returns the secret."""
    from service.models import User

    with app.app_context():
        session = db.session()
        user = session.get(User, user_id)
        assert user is not None
        _, secret = tokens.issue(session, user, "tests", days)
        session.commit()
        return secret


def bearer_client(app: Flask, username: str, roles: list[str], password_hash: str | None = None,
                  **links: Any) -> FlaskClient:  # fmt: skip
    """A test client sending ``Authorization: Bearer`` with a token of a new user holding ``roles``."""
    client = app.test_client()
    secret = issue_token(app, make_user(app, username, roles, password_hash, **links))
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


class Api:
    """The test client with assertions for the JSON API."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def create(self, path: str, **body: Any) -> dict[str, Any]:
        """POST ``body``; asserts 201 and returns the created record."""
        response = self.client.post(f"/api{path}", json=body)
        assert response.status_code == 201, response.json
        return response.json  # type: ignore[return-value]

    def post(self, path: str, expect: int = 200, **body: Any) -> Any:
        """POST ``body`` (an empty body if none); asserts ``expect`` and returns the answer."""
        response = self.client.post(f"/api{path}", json=body)
        assert response.status_code == expect, response.json
        return response.json

    def delete(self, path: str, expect: int = 204) -> Any:
        response = self.client.delete(f"/api{path}")
        assert response.status_code == expect, response.json
        return response.json if response.is_json else None

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


CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of the client's session, read from a page's form."""
    page = client.get(path).get_data(as_text=True)
    found = CSRF_FIELD.search(page)
    assert found is not None, page
    return found.group(1) or found.group(2)


def web_login(client: FlaskClient, username: str, password: str = PASSWORD, next: str = "") -> Any:
    """Sign ``client`` in through the login form; returns the response (302 on success)."""
    token = csrf_token(client)
    return client.post("/login", data={"csrf_token": token, "username": username, "password": password, "next": next})
