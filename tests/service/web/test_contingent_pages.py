"""The movement pages through the Flask test client, on both databases: registering orders by form (all students
or none, problems named per line), the register, reports with downloads, applications, the status-history
section, and the same role rules as the API."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from movement_testing import enroll
from service_testing import Api, csrf_token, make_user, web_login

from models.contingent import MovementPolicy
from models.iin import make_iin

Org = dict[str, dict[str, Any]]


@pytest.fixture
def school(app: Flask, api: Api, org: Org, password_hash: str) -> dict[str, Any]:
    """Two enrolled students, a registrar user, a student user for the first, an archivist; no applications needed."""
    api.client.post(
        "/api/contingent/policy", json=MovementPolicy(applications_required=frozenset()).model_dump(mode="json")
    )
    a, b = enroll(api, org, [1, 2])
    make_user(app, "aliya", ["registrar"], password_hash)
    make_user(app, "arman", ["student"], password_hash, student_id=a)
    make_user(app, "keeper", ["archivist"], password_hash)
    return {"a": a, "b": b, "iin_a": api.get(f"/students/{a}")["iin"]}


def signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert web_login(client, username).status_code == 302
    return client


def problems(page: str) -> list[str]:
    return re.findall(r"<li>(.*?)</li>", page)


def test_register_a_leave_by_form(app: Flask, api: Api, school: dict[str, Any]) -> None:
    client = signed_in(app, "aliya")
    form = client.get("/orders/new?kind=academic_leave").get_data(as_text=True)
    assert 'name="leave_ground"' in form and 'name="commission_number"' in form and 'name="programme_id"' not in form
    data = {
        "csrf_token": csrf_token(client, "/orders/new?kind=academic_leave"),
        "kind": "academic_leave",
        "date": "2025-10-03",
        "signatory": "A. Rector",
        "basis": "applications",
        "leave_ground": "military",
        "leave_until": "2026-11-01",
        "audit_reason": "dean's memo 4",
    }
    refused = client.post("/orders/new", data=data | {"students": f"{school['iin_a']}\n999999\nabc"})
    assert refused.status_code == 422
    assert problems(refused.get_data(as_text=True)) == [
        "line 3 (abc): &#39;abc&#39; is neither an IIN (12 digits) nor a student id"
    ]
    refused = client.post("/orders/new", data=data | {"students": f"{school['iin_a']}\n999999"})
    assert refused.status_code == 422
    assert problems(refused.get_data(as_text=True)) == ["line 2 (999999): student_id: no student with id 999999"]
    assert api.get(f"/students/{school['a']}")["status"] == "active"  # nothing half-applied
    done = client.post("/orders/new", data=data | {"students": f"{school['iin_a']}\n{school['b']}"})
    assert done.status_code == 302 and done.headers["Location"].startswith("/orders/")
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Order ALV-2025/001: Academic leave" in page and "Registered order ALV-2025/001: 2 student(s)." in page
    assert {api.get(f"/students/{s}")["status"] for s in (school["a"], school["b"])} == {"on_leave"}
    reasons = {e["reason"] for e in api.get(f"/audit?entity=students&entity_id={school['a']}&field=status")["items"]}
    assert "order ALV-2025/001 (Academic leave): dean's memo 4" in reasons
    no_token = client.post("/orders/new", data={k: v for k, v in data.items() if k != "csrf_token"})
    assert no_token.status_code == 400


def test_enroll_new_students_by_form(app: Flask, api: Api, org: Org, school: dict[str, Any]) -> None:
    client = signed_in(app, "aliya")
    iin = make_iin(dt.date(2007, 5, 1), "female", 9)
    data = {
        "csrf_token": csrf_token(client, "/orders/new?kind=enrollment"),
        "kind": "enrollment",
        "date": "2025-08-26",
        "signatory": "A. Rector",
        "basis": "admission",
        "programme_id": str(org["programme"]["id"]),
        "group_id": str(org["group"]["id"]),
        "study_form": "full_time",
        "funding": "paid",
        "language": "kk",
        "admission_year": "2025",
        "citizenship": "KZ",
    }
    bad = client.post("/orders/new", data=data | {"students": f"{iin}; Omarova"})
    assert "line 1" in problems(bad.get_data(as_text=True))[0] and bad.status_code == 422
    done = client.post("/orders/new", data=data | {"students": f"{iin}; Omarova; Aruzhan; Serikovna"})
    assert done.status_code == 302, problems(done.get_data(as_text=True))
    found = api.get(f"/students?iin={iin}")["items"][0]
    assert (found["sex"], found["birth_date"], found["middle_name"]) == ("female", "2007-05-01", "Serikovna")


def test_cancel_from_the_order_page(app: Flask, api: Api, school: dict[str, Any]) -> None:
    client = signed_in(app, "aliya")
    order = api.create(
        "/orders",
        kind="expulsion_non_payment",
        date="2025-10-01",
        signatory="R",
        basis="debt",
        items=[{"student_id": school["b"]}],
    )
    page = client.get(f"/orders/{order['id']}").get_data(as_text=True)
    link = f"/orders/new?kind=cancellation&amp;cancels={order['id']}"
    assert link in page
    form = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert f'value="{order["id"]}"' in form
    data = {
        "csrf_token": csrf_token(client, "/orders"),
        "kind": "cancellation",
        "date": "2025-10-05",
        "signatory": "R",
        "basis": "paid",
        "cancels_order_id": str(order["id"]),
    }
    assert client.post("/orders/new", data=data).status_code == 302
    assert api.get(f"/students/{school['b']}")["status"] == "active"
    register = client.get("/orders?kind=expulsion_non_payment").get_data(as_text=True)
    assert "cancelled by CAN-2025/001" in register


def test_reports_page(app: Flask, api: Api, school: dict[str, Any]) -> None:
    api.create(
        "/orders",
        kind="expulsion_non_payment",
        date="2025-10-01",
        signatory="R",
        basis="debt",
        items=[{"student_id": school["b"]}],
    )
    client = signed_in(app, "keeper")
    page = client.get("/contingent?report=movement&period=2025-10&by=programme").get_data(as_text=True)
    assert "<td>6B06101</td><td>2</td><td>0</td><td>1</td><td>1</td><td>1</td>" in page.replace("\n", "").replace(
        "    ", ""
    )
    assert "/api/reports/movement?period=2025-10&amp;on=" in page and "format=xlsx" in page
    form = client.get("/contingent?report=state-form&on=2025-10-15").get_data(as_text=True)
    assert "programme name" in form and "Computer Science" in form
    assert client.get("/api/reports/state-form?on=2025-10-15&format=csv").status_code == 200  # the download link
    bad = client.get("/contingent?report=movement&period=autumn").get_data(as_text=True)
    assert "not a period" in bad


def test_a_student_sees_own_history_and_applies(app: Flask, api: Api, school: dict[str, Any]) -> None:
    client = signed_in(app, "arman")
    record = client.get(f"/students/{school['a']}").get_data(as_text=True)
    assert "Status history" in record and "Enrollment" in record and "ENR-2025/001" in record
    assert 'href="/orders/' not in record  # a student does not open the register
    assert client.get("/orders").status_code == 403
    assert client.get("/contingent").status_code == 403
    assert client.get(f"/students/{school['b']}").status_code == 403
    assert "Orders" not in client.get("/").get_data(as_text=True)
    token = csrf_token(client, "/applications/new")
    sent = client.post(
        "/applications/new",
        data={
            "csrf_token": token,
            "kind": "academic_leave",
            "submitted_on": "2025-10-01",
            "request": "military service",
            "document_reference": "summons 17",
        },
    )
    assert sent.status_code == 302
    mine = api.get(f"/applications?student_id={school['a']}")["items"]
    assert len(mine) == 1 and mine[0]["documents"][0]["reference"] == "summons 17"
    other = api.create(
        "/applications",
        kind="academic_leave",
        student_id=school["b"],
        submitted_on="2025-10-01",
        submitted_by="student",
    )
    assert client.get(f"/applications/{other['id']}").status_code == 403
    listing = client.get("/applications").get_data(as_text=True)
    assert f"/applications/{mine[0]['id']}" in listing and f"/applications/{other['id']}" not in listing
    decide = client.post(
        f"/applications/{mine[0]['id']}",
        data={"csrf_token": token, "action": "decide", "state": "under_review", "on": "2025-10-02"},
    )
    assert decide.status_code == 403


def test_the_registrar_reviews_an_application(app: Flask, api: Api, school: dict[str, Any]) -> None:
    application = api.create(
        "/applications",
        kind="academic_leave",
        student_id=school["b"],
        submitted_on="2025-10-01",
        submitted_by="student",
    )
    client = signed_in(app, "aliya")
    path = f"/applications/{application['id']}"
    token = csrf_token(client, path)
    wrong = client.post(path, data={"csrf_token": token, "action": "decide", "state": "approved", "on": "2025-10-02"})
    assert wrong.status_code == 409 and "not approved" in wrong.get_data(as_text=True)
    for state in ("under_review", "approved"):
        response = client.post(path, data={"csrf_token": token, "action": "decide", "state": state, "on": "2025-10-02"})
        assert response.status_code == 302
    assert api.get(path)["state"] == "approved"


def test_anonymous_visitors_sign_in_first(anonymous: FlaskClient) -> None:
    for path in ("/orders", "/orders/new", "/contingent", "/applications", "/applications/new"):
        response = anonymous.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
