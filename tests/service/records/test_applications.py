"""Applications through the API: who applies for what, the review's steps, documents, filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from movement_testing import approved, enroll, person, register
from service_testing import Api

from models.iin import make_iin

Org = dict[str, dict[str, Any]]


def test_submit_review_and_approve(api: Api, org: Org) -> None:
    (a,) = enroll(api, org, [1])
    application = api.create(
        "/applications",
        kind="academic_leave",
        student_id=a,
        submitted_on="2025-10-01",
        submitted_by="student",
        request="medical leave until June",
        documents=[
            {"kind": "medical_conclusion", "title": "MAC conclusion", "reference": "MAC-17", "issued_on": "2025-09-30"}
        ],
    )
    assert application["state"] == "submitted" and application["order_id"] is None
    assert [d["reference"] for d in application["documents"]] == ["MAC-17"]
    path = f"/applications/{application['id']}"
    attached = api.create(f"{path}/documents", kind="statement", title="Statement", reference="scan-2025-10-01.pdf")
    assert [d["kind"] for d in attached["documents"]] == ["medical_conclusion", "statement"]
    assert api.fails("POST", f"{path}/decision", 409, {"state": "approved", "on": "2025-10-02"}) == {
        "state": "an application that is submitted becomes rejected or under_review, not approved"
    }
    assert api.fails("POST", f"{path}/decision", 422, {"state": "under_review", "on": "2025-09-01"}) == {
        "on": "before the application was submitted on 2025-10-01"
    }
    reviewed = api.client.post(f"/api{path}/decision", json={"state": "under_review", "on": "2025-10-02"}).json
    assert reviewed["state"] == "under_review" and reviewed["decided_on"] == "2025-10-02"
    done = api.client.post(f"/api{path}/decision", json={"state": "approved", "on": "2025-10-03", "note": "ok"}).json
    assert done["state"] == "approved" and done["decision_note"] == "ok"
    assert api.fails("POST", f"{path}/decision", 409, {"state": "rejected", "on": "2025-10-04"}) == {
        "state": "the application is approved, which is final"
    }
    assert (
        "documents are closed"
        in api.fails("POST", f"{path}/documents", 409, {"kind": "x", "title": "x", "reference": "x"})[None]
    )


def test_reject_without_review(api: Api, org: Org) -> None:
    (a,) = enroll(api, org, [1])
    application = api.create(
        "/applications",
        kind="transfer_out",
        student_id=a,
        submitted_on="2025-10-01",
        submitted_by="dean's office for the student",
    )
    rejected = api.client.post(
        f"/api/applications/{application['id']}/decision",
        json={"state": "rejected", "on": "2025-10-01", "note": "no acceptance letter"},
    ).json
    assert rejected["state"] == "rejected"


def test_who_applies(api: Api, org: Org) -> None:
    (a,) = enroll(api, org, [1])
    base = {"submitted_on": "2025-07-01", "submitted_by": "applicant"}
    errors = api.fails("POST", "/applications", 422, base | {"kind": "admission", "student_id": a})
    assert set(errors) == {"student_id", "applicant_iin", "applicant_last_name", "applicant_first_name"}
    errors = api.fails(
        "POST",
        "/applications",
        422,
        base | {"kind": "academic_leave", "applicant_iin": make_iin(dt.date(2007, 1, 1), "male", 5)},
    )
    assert set(errors) == {"student_id", "applicant_iin"}
    bad_iin = api.fails(
        "POST",
        "/applications",
        422,
        base
        | {
            "kind": "admission",
            "applicant_iin": "123456789012",
            "applicant_last_name": "X",
            "applicant_first_name": "Y",
        },
    )
    assert set(bad_iin) == {"applicant_iin"}
    taken = api.fails(
        "POST",
        "/applications",
        422,
        base
        | {
            "kind": "transfer_in",
            "applicant_iin": person(1, org)["iin"],
            "applicant_last_name": "X",
            "applicant_first_name": "Y",
        },
    )
    assert "belongs to student" in taken["applicant_iin"]
    assert api.fails("POST", "/applications", 422, base | {"kind": "reinstatement", "student_id": 999}) == {
        "student_id": "no student with id 999"
    }
    assert api.fails("GET", "/applications/999", 404) == {None: "no application with id 999"}


def test_filters(api: Api, org: Org) -> None:
    a, b = enroll(api, org, [1, 2])
    leave = approved(api, "academic_leave", a)
    api.create(
        "/applications", kind="expulsion_own_request", student_id=b, submitted_on="2025-10-01", submitted_by="student"
    )
    api.create(
        "/applications",
        kind="admission",
        applicant_iin=make_iin(dt.date(2008, 5, 5), "female", 3),
        applicant_last_name="Omarova",
        applicant_first_name="Aruzhan",
        submitted_on="2025-07-01",
        submitted_by="applicant",
    )
    assert api.get("/applications")["total"] == 3
    assert api.get("/applications?state=approved")["items"][0]["id"] == leave
    assert api.get(f"/applications?student_id={b}")["total"] == 1
    assert api.get("/applications?kind=admission&q=omar")["total"] == 1
    assert api.get("/applications?unused=true")["total"] == 3
    register(
        api,
        "academic_leave",
        "2025-10-03",
        [{"student_id": a, "application_id": leave, "leave_ground": "military", "leave_until": "2026-11-01"}],
    )
    assert [x["id"] for x in api.get("/applications?unused=false")["items"]] == [leave]
    assert api.get("/applications?unused=true")["total"] == 2


def test_a_student_applies_only_for_themselves(api: Api, org: Org, client_as: Callable[..., FlaskClient]) -> None:
    a, b = enroll(api, org, [1, 2])
    student = client_as("student", student_id=a)
    body = {"kind": "academic_leave", "submitted_on": "2025-10-01", "submitted_by": "student"}
    own = student.post("/api/applications", json=body | {"student_id": a})
    assert own.status_code == 201
    assert student.post("/api/applications", json=body | {"student_id": b}).status_code == 403
    admission = {"kind": "admission", "submitted_on": "2025-07-01", "submitted_by": "x", "applicant_last_name": "X",
                 "applicant_first_name": "Y", "applicant_iin": make_iin(dt.date(2008, 1, 1), "male", 9)}  # fmt: skip
    assert student.post("/api/applications", json=admission).status_code == 403
    other = api.create("/applications", **body, student_id=b)
    assert [x["id"] for x in student.get("/api/applications").json["items"]] == [own.json["id"]]
    assert student.get(f"/api/applications/{other['id']}").status_code == 403
    document = {"kind": "statement", "title": "Statement", "reference": "scan.pdf"}
    assert student.post(f"/api/applications/{own.json['id']}/documents", json=document).status_code == 201
    assert student.post(f"/api/applications/{other['id']}/documents", json=document).status_code == 403
    decision = {"state": "under_review", "on": "2025-10-02"}
    assert student.post(f"/api/applications/{own.json['id']}/decision", json=decision).status_code == 403


def test_applications_and_the_policy_are_audited(api: Api, org: Org) -> None:
    (a,) = enroll(api, org, [1])
    application = approved(api, "academic_leave", a)
    states = api.get(f"/audit?entity=applications&entity_id={application}&field=state")["items"]
    assert [(e["action"], e["old_value"], e["new_value"]) for e in states] == [
        ("update", "under_review", "approved"),
        ("update", "submitted", "under_review"),
        ("create", None, "submitted"),
    ]
    policy = api.get("/contingent/policy") | {"lost_contact_min_missed_hours": 60}
    assert api.client.post("/api/contingent/policy", json=policy, headers={"X-Reason": "council 5"}).status_code == 200
    (change,) = api.get("/audit?entity=movement_settings")["items"]
    assert (change["field"], change["old_value"], change["new_value"], change["reason"]) == (
        "lost_contact_min_missed_hours",
        80,
        60,
        "council 5",
    )
    enrolled = api.get(f"/audit?entity=students&entity_id={a}&field=status")["items"]
    assert enrolled[0]["reason"] == "order ENR-2025/001 (Enrollment)"
