"""Token authentication: 401 for anonymous, malformed, unknown, expired and revoked tokens and deactivated
users; 403 naming the role; token lifecycle through the API (create, list, revoke)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from service_testing import issue_token, make_user
from sqlalchemy import select

from service import db
from service.auth import tokens
from service.models import ApiToken, User


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def message(response) -> str:  # type: ignore[no-untyped-def]
    return str(response.json["errors"][0]["message"])


def test_anonymous_api_call_is_401_json(anonymous: FlaskClient) -> None:
    response = anonymous.get("/api/students")
    assert response.status_code == 401 and response.is_json
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "sign in" in message(response)
    assert anonymous.post("/api/faculties", json={"code": "X", "name_en": "X"}).status_code == 401
    assert anonymous.get("/api/openapi.json").status_code == 200


def test_forbidden_names_the_missing_role(client_as: Callable[..., FlaskClient]) -> None:
    archivist = client_as("archivist", username="arch")
    response = archivist.post("/api/faculties", json={"code": "FIT", "name_en": "IT"})
    assert response.status_code == 403 and response.is_json
    assert message(response) == "this needs the role registrar; arch has archivist"
    assert archivist.get("/api/faculties").status_code == 200
    assert client_as().get("/api/faculties").json["errors"][0]["message"].endswith("has no role")


def test_bad_authorization_headers_are_401(app: Flask, anonymous: FlaskClient, password_hash: str) -> None:
    for header in ("Basic abc", "Bearer", "Bearer   ", "token"):
        response = anonymous.get("/api/faculties", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert "must be 'Bearer <token>'" in message(response)
    response = anonymous.get("/api/faculties", headers=bearer("rgt_not-a-real-token"))
    assert response.status_code == 401 and message(response) == "unknown API token"


def test_expired_token_is_refused(app: Flask, anonymous: FlaskClient, password_hash: str) -> None:
    secret = issue_token(app, make_user(app, "erlan", ["registrar"], password_hash), days=1)
    assert anonymous.get("/api/faculties", headers=bearer(secret)).status_code == 200
    with app.app_context():
        session = db.session()
        token = session.scalar(select(ApiToken).where(ApiToken.token_hash == tokens.digest(secret)))
        assert token is not None
        token.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        session.commit()
    response = anonymous.get("/api/faculties", headers=bearer(secret))
    assert response.status_code == 401 and "expired at" in message(response)


def test_deactivated_user_is_refused(app: Flask, anonymous: FlaskClient, password_hash: str) -> None:
    user_id = make_user(app, "saule", ["vice_rector"], password_hash)
    secret = issue_token(app, user_id)
    with app.app_context():
        session = db.session()
        user = session.get(User, user_id)
        assert user is not None
        user.active = False
        session.commit()
    response = anonymous.get("/api/faculties", headers=bearer(secret))
    assert response.status_code == 401 and message(response) == "user saule is deactivated"


def test_token_lifecycle_through_the_api(client_as: Callable[..., FlaskClient], anonymous: FlaskClient) -> None:
    student_less = client_as("scheduler", username="planner")
    me = student_less.get("/api/me").json
    assert me["username"] == "planner" and me["roles"] == ["scheduler"]
    created = student_less.post("/api/me/tokens", json={"name": "import script", "days": 7})
    assert created.status_code == 201, created.json
    secret = created.json["token"]
    assert secret.startswith("rgt_") and created.json["prefix"] == secret[:12] and created.json["state"] == "active"
    assert anonymous.get("/api/me", headers=bearer(secret)).json["username"] == "planner"
    listed = student_less.get("/api/me/tokens").json
    assert listed["total"] == 2 and all("token" not in t for t in listed["items"])
    assert student_less.delete(f"/api/me/tokens/{created.json['id']}").status_code == 204
    response = anonymous.get("/api/me", headers=bearer(secret))
    assert response.status_code == 401 and "was revoked" in message(response)
    states = {t["id"]: t["state"] for t in student_less.get("/api/me/tokens").json["items"]}
    assert states[created.json["id"]] == "revoked"
    other = client_as("archivist")
    assert other.delete(f"/api/me/tokens/{created.json['id']}").status_code == 404
    bad = student_less.post("/api/me/tokens", json={"name": "x", "days": 366})
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "days"


def test_only_the_hash_of_a_token_is_stored(app: Flask, password_hash: str) -> None:
    secret = issue_token(app, make_user(app, "aidar", ["archivist"], password_hash))
    with app.app_context():
        stored = db.session().scalars(select(ApiToken)).one()
        assert stored.token_hash == tokens.digest(secret) != secret
        assert secret not in (stored.token_hash, stored.prefix) and stored.prefix == secret[:12]
