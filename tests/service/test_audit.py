"""The audit log: every create, update and delete of a record writes who, when, field, old and new value and
reason in the same transaction; failed writes leave nothing; the log is append-only in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from service_testing import Api
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from service import audit, db
from service.models import AuditEntry, Student

Org = dict[str, dict[str, Any]]
Body = Callable[..., dict[str, Any]]


def entries(app: Flask, entity: str, entity_id: int | None = None) -> list[AuditEntry]:
    with app.app_context():
        query = select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)
        if entity_id is not None:
            query = query.where(AuditEntry.entity_id == entity_id)
        return list(db.session().scalars(query))


def test_create_update_delete_are_logged_with_old_and_new_values(app: Flask, client: FlaskClient) -> None:
    before = dt.datetime.now(dt.UTC)
    created = client.post("/api/faculties", json={"code": "FIT", "name_en": "IT"}, headers={"X-Reason": "new faculty"})
    assert created.status_code == 201
    faculty_id = created.json["id"]
    rows = entries(app, "faculties", faculty_id)
    assert {(r.action, r.field, r.old_value, r.new_value) for r in rows} == {
        ("create", "code", None, "FIT"),
        ("create", "name_en", None, "IT"),
    }
    row = rows[0]
    assert row.actor == "registrar-test" and row.user_id is not None and row.reason == "new faculty"
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC)
    assert before - dt.timedelta(seconds=1) <= at <= dt.datetime.now(dt.UTC)
    assert len({r.change_id for r in rows}) == 1

    assert client.patch(f"/api/faculties/{faculty_id}", json={"name_en": "Information Technologies",
                                                              "code": "FIT"}).status_code == 200  # fmt: skip
    update = entries(app, "faculties", faculty_id)[2:]
    assert [(r.action, r.field, r.old_value, r.new_value, r.reason) for r in update] == [
        ("update", "name_en", "IT", "Information Technologies", None)
    ]
    assert client.patch(f"/api/faculties/{faculty_id}", json={"code": "FIT"}).status_code == 200
    assert len(entries(app, "faculties", faculty_id)) == 3  # a change to the same value writes nothing

    assert client.delete(f"/api/faculties/{faculty_id}").status_code == 204
    deleted = entries(app, "faculties", faculty_id)[3:]
    assert {(r.action, r.field, r.old_value, r.new_value) for r in deleted} == {
        ("delete", "code", "FIT", None),
        ("delete", "name_en", "Information Technologies", None),
    }


def test_status_changes_only_by_order_with_its_number_as_reason(app: Flask, api: Api, student_body: Body) -> None:
    student = api.create("/students", **student_body())
    refused = api.client.patch(f"/api/students/{student['id']}", json={"status": "on_leave"},
                               headers={"X-Reason": "order 12-P"})  # fmt: skip
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "status"
    assert api.get(f"/students/{student['id']}")["status"] == "active"
    reason = "Приказ №12-П от 01.12.2025"
    document = api.create("/personal-file-documents", student_id=student["id"], kind="residence_permit",
                          title="Residence permit", received_on="2025-08-01")  # fmt: skip
    response = api.client.post(f"/api/students/{student['id']}/personal-data-changes",
                               json={"changes": {"citizenship": "RU"}, "effective_on": "2025-11-01",
                                     "document_id": document["id"]},
                               headers={"X-Reason": quote(reason)})  # fmt: skip
    assert response.status_code == 201, response.json
    changed = [r for r in entries(app, "students", student["id"]) if r.action == "update"]
    assert {(r.field, r.old_value, r.new_value, r.reason) for r in changed} == {("citizenship", "KZ", "RU", reason)}
    order = api.client.post("/api/orders", headers={"X-Reason": quote(reason)}, json={
        "kind": "expulsion_non_payment", "date": dt.date.today().isoformat(), "signatory": "A. Rector",
        "basis": "debt", "items": [{"student_id": student["id"]}]})  # fmt: skip
    assert order.status_code == 201, order.json
    moved = [r for r in entries(app, "students", student["id"]) if r.action == "update"][1:]
    expected = f"order {order.json['number']} (Expulsion for non-payment): {reason}"
    assert {(r.field, r.old_value, r.new_value, r.reason) for r in moved} == {
        ("status", "active", "expelled", expected),
        ("group_id", student["group_id"], None, expected),
    }
    (logged,) = {r.new_value for r in entries(app, "orders", order.json["id"]) if r.field == "number"}
    assert logged == order.json["number"]
    created = [r for r in entries(app, "students", student["id"]) if r.action == "create"]
    assert {r.field: r.new_value for r in created}["birth_date"] == "2007-03-12"  # dates as ISO strings
    api.client.environ_base["HTTP_X_REASON"] = "x" * 501
    try:
        errors = api.fails(
            "POST",
            f"/students/{student['id']}/personal-data-changes",
            422,
            {"changes": {"citizenship": "KZ"}, "effective_on": "2025-11-02", "document_id": document["id"]},
        )
        assert errors == {"X-Reason": "a reason has at most 500 characters"}
    finally:
        del api.client.environ_base["HTTP_X_REASON"]


def test_failed_writes_leave_no_entries(app: Flask, api: Api, org: Org) -> None:
    count = len(entries(app, "faculties"))
    api.fails("POST", "/faculties", 409, {"code": "FIT", "name_en": "Again"})
    api.fails("POST", "/faculties", 422, {"code": "", "name_en": "Bad"})
    assert len(entries(app, "faculties")) == count
    api.fails("DELETE", f"/faculties/{org['faculty']['id']}", 409)
    assert [r.action for r in entries(app, "faculties", org["faculty"]["id"])] == ["create", "create"]


def test_lists_are_logged_as_values(app: Flask, api: Api, org: Org) -> None:
    group2 = api.create("/groups", code="CS-25-2k", programme_id=org["programme"]["id"], admission_year=2025,
                        language="kk")  # fmt: skip
    stream = api.create("/streams", code="CS-25-kk", language="kk", group_ids=[org["group"]["id"]])
    api.patch(f"/streams/{stream['id']}", group_ids=[org["group"]["id"], group2["id"]])
    update = [r for r in entries(app, "streams", stream["id"]) if r.action == "update"]
    assert [(r.field, r.old_value, r.new_value) for r in update] == [
        ("group_ids", [org["group"]["id"]], [org["group"]["id"], group2["id"]])
    ]


def test_other_areas_log_in_their_own_transaction(app: Flask, api: Api, student_body: Body) -> None:
    student_id = api.create("/students", **student_body())["id"]
    with app.app_context():
        session = db.session()
        student = session.get(Student, student_id)
        assert student is not None
        audit.log_change(session, "students", student_id, "status", student.status, "expelled", reason="order 7")
        student.status = "expelled"
        session.rollback()  # the change fails: its audit rows go with it
    assert [r.action for r in entries(app, "students", student_id)] == ["create"] * len(entries(app, "students"))
    with app.app_context():
        session = db.session()
        student = session.get(Student, student_id)
        assert student is not None
        assert audit.log_change(session, "students", student_id, "status", "active", "active") is None
        audit.log_change(session, "students", student_id, "status", student.status, "expelled", reason="order 7")
        student.status = "expelled"
        session.commit()
    last = entries(app, "students", student_id)[-1]
    assert (last.field, last.old_value, last.new_value, last.reason) == ("status", "active", "expelled", "order 7")
    assert last.actor.startswith("cli:") and last.user_id is None


def test_user_and_token_changes_are_logged_without_secrets(app: Flask, api: Api) -> None:
    user = api.create("/users", username="kim", full_name="Dana Kim", password="long enough", roles=["archivist"])
    api.patch(f"/users/{user['id']}", password="another one", roles=["archivist", "vice_rector"])
    rows = entries(app, "users", user["id"])
    values = {(r.action, r.field): (r.old_value, r.new_value) for r in rows}
    assert values[("create", "password")] == (None, "(set)")
    assert values[("update", "password")] == ("(hidden)", "(changed)")
    assert values[("update", "roles")] == (["archivist"], ["archivist", "vice_rector"])
    assert all("long enough" not in str(r.new_value) for r in rows)
    token = api.client.post("/api/me/tokens", json={"name": "script"}).json
    api.client.delete(f"/api/me/tokens/{token['id']}")
    actions = [(r.action, r.field) for r in entries(app, "api_tokens", token["id"])]
    assert ("update", "revoked_at") in actions and ("create", "prefix") in actions
    assert all(token["token"] not in str(r.new_value) for r in entries(app, "api_tokens"))


def test_the_log_has_no_write_api(client: FlaskClient) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert client.open("/api/audit", method=method, json={}).status_code == 405
        assert client.open("/api/audit/1", method=method, json={}).status_code == 404


def test_the_database_refuses_to_change_or_delete_entries(app: Flask, api: Api) -> None:
    api.create("/faculties", code="FIT", name_en="IT")
    engine = db.engine(app)
    statements = ["UPDATE audit_log SET reason = 'forged'", "DELETE FROM audit_log"]
    if engine.dialect.name == "postgresql":
        statements.append("TRUNCATE audit_log")
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    with engine.begin() as connection:
        assert connection.scalar(text("SELECT count(*) FROM audit_log WHERE reason = 'forged'")) == 0
        assert connection.scalar(text("SELECT count(*) FROM audit_log")) >= 2
        columns = "change_id, at, actor, action, entity, entity_id, field"
        values = "'x', CURRENT_TIMESTAMP, 'dba', 'update', 'faculties', 1, 'code'"
        connection.execute(text(f"INSERT INTO audit_log ({columns}) VALUES ({values})"))  # appending still works


def test_reason_header_encodings(app: Flask, api: Api) -> None:
    raw = "приказ 5".encode().decode("latin-1")  # raw UTF-8 bytes, as the server receives them
    cases = ((quote("приказ 5"), "приказ 5"), (raw, "приказ 5"), ("  order   7 ", "order 7"))
    for number, (header, stored) in enumerate(cases):
        response = api.client.post("/api/rooms", json={"code": f"R{number}", "building": "A", "capacity": 20,
                                   "type": "classroom"}, headers={"X-Reason": header})  # fmt: skip
        assert response.status_code == 201, response.json
        assert {r.reason for r in entries(app, "rooms", response.json["id"])} == {stored}
    response = api.client.post("/api/rooms", json={"code": "R9", "building": "A", "capacity": 20, "type": "classroom"},
                               headers={"X-Reason": "%B2%FF"})  # fmt: skip
    assert response.status_code == 422
    assert response.json["errors"] == [{"field": "X-Reason", "message": "is not valid percent-encoded UTF-8 text"}]
    assert len({r.entity_id for r in entries(app, "rooms")}) == 3  # the refused change left no entries
