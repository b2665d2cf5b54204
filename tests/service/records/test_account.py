"""Users over the API (registrar): create with validated roles and links, list with filters, change roles,
password and activity; users are never deleted and a registrar cannot lock themselves out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from service_testing import Api

Org = dict[str, dict[str, Any]]


def test_create_list_get_update_users(api: Api, org: Org, anonymous: FlaskClient) -> None:
    advisor = api.create("/users", username="abenov", full_name="Aidar Abenov", password="long enough",
                         roles=["teacher", "advisor"], teacher_id=org["teacher"]["id"])  # fmt: skip
    assert advisor["roles"] == ["advisor", "teacher"] and advisor["created_at"].endswith("Z")
    assert "password" not in advisor and "password_hash" not in advisor
    assert api.get(f"/users/{advisor['id']}") == advisor
    assert [u["username"] for u in api.get("/users?role=advisor")["items"]] == ["abenov"]
    assert api.get("/users?q=ABEN")["total"] == 1
    assert api.get("/users?active=false")["total"] == 0
    changed = api.patch(f"/users/{advisor['id']}", roles=["teacher"], active=False)
    assert changed["roles"] == ["teacher"] and changed["active"] is False
    assert api.client.delete(f"/api/users/{advisor['id']}").status_code == 405


def test_user_rules(api: Api, org: Org, student_body: Callable[..., dict[str, Any]]) -> None:
    body = {"username": "kim", "full_name": "Dana Kim", "password": "long enough"}
    assert "password" in api.fails("POST", "/users", 422, body | {"password": "short"})
    assert "username" in api.fails("POST", "/users", 422, body | {"username": "Kim Dana"})
    assert "roles.0" in api.fails("POST", "/users", 422, body | {"roles": ["dean"]})
    errors = api.fails("POST", "/users", 422, body | {"roles": ["student"]})
    assert "student_id" in errors[None]
    errors = api.fails("POST", "/users", 422, body | {"roles": ["advisor"], "teacher_id": 999})
    assert errors == {"teacher_id": "no teacher with id 999"}
    api.create("/users", **body, roles=["advisor"], teacher_id=org["teacher"]["id"])
    assert api.fails("POST", "/users", 409, body) == {"username": "a user with username kim already exists"}
    errors = api.fails("POST", "/users", 409, body | {"username": "kim2", "teacher_id": org["teacher"]["id"]})
    assert errors == {"teacher_id": f"teacher_id {org['teacher']['id']} is already linked to user kim"}
    assert api.fails("PATCH", "/users/999999", 404, {}) == {None: "no user with id 999999"}


def test_registrar_cannot_lock_themselves_out(api: Api) -> None:
    me = api.get("/me")
    errors = api.fails("PATCH", f"/users/{me['id']}", 409, {"roles": ["archivist"]})
    assert "cannot take the registrar role from yourself" in errors[None]
    api.fails("PATCH", f"/users/{me['id']}", 409, {"active": False})
    assert api.patch(f"/users/{me['id']}", roles=["registrar", "archivist"])["roles"] == ["archivist", "registrar"]


def test_new_password_works_and_role_change_applies_at_once(api: Api, client_as: Callable[..., FlaskClient]) -> None:
    other = client_as("archivist", username="nurlan")
    user = api.get("/users?q=nurlan")["items"][0]
    assert other.post("/api/faculties", json={"code": "F", "name_en": "F"}).status_code == 403
    api.patch(f"/users/{user['id']}", roles=["archivist", "registrar"])
    assert other.post("/api/faculties", json={"code": "F", "name_en": "F"}).status_code == 201
