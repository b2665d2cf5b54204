"""Personal files over the API: documents, the checklist on a day, the incomplete-files report, personal-data
changes with their justification, and who may see what (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from movement_testing import enroll, register
from service_testing import Api

from models.contingent import MovementPolicy
from models.iin import make_iin

Body = Callable[..., dict[str, Any]]
COMPLETE = (
    "application",
    "identity_copy",
    "education_certificate",
    "test_certificate",
    "medical_certificate",
    "order_copy",
    "grant_certificate",
)


def add_document(api: Api, student_id: int, kind: str, **extra: Any) -> dict[str, Any]:
    body = {"student_id": student_id, "kind": kind, "title": kind.replace("_", " "), "received_on": "2025-08-01"}
    return api.create("/personal-file-documents", **(body | extra))


def fill_file(api: Api, student_id: int) -> None:
    for kind in COMPLETE:
        add_document(api, student_id, kind, pages=2)
    add_document(api, student_id, "photos", copies=6, pages=1)


def test_checklist_present_missing_expired(api: Api, student_body: Body) -> None:
    student = api.create("/students", **student_body())
    empty = api.get(f"/students/{student['id']}/personal-file?on=2026-03-01")
    assert empty["complete"] is False and empty["documents"] == []
    assert {i["state"] for i in empty["checklist"]} == {"missing"}
    assert "contract" not in {i["kind"] for i in empty["checklist"]}  # a state-grant student
    fill_file(api, student["id"])
    full = api.get(f"/students/{student['id']}/personal-file?on=2026-03-01")
    assert full["complete"] is True and len(full["documents"]) == 8
    add_id = add_document(api, student["id"], "other")  # not required, harmless
    assert add_id["kind"] == "other"
    identity = next(d for d in full["documents"] if d["kind"] == "identity_copy")
    api.patch(f"/personal-file-documents/{identity['id']}", issued_on="2016-03-01", expires_on="2026-02-28")
    later = api.get(f"/students/{student['id']}/personal-file?on=2026-03-01")
    item = next(i for i in later["checklist"] if i["kind"] == "identity_copy")
    assert later["complete"] is False and item["state"] == "expired" and item["expired_on"] == "2026-02-28"
    assert api.get(f"/students/{student['id']}/personal-file?on=2026-02-28")["complete"] is True


def test_document_rules(api: Api, student_body: Body) -> None:
    student = api.create("/students", **student_body())
    body = {"student_id": student["id"], "kind": "identity_copy", "title": "ID", "received_on": "2025-08-01"}
    errors = api.fails("POST", "/personal-file-documents", 422, body | {"issued_on": "2025-09-01"})
    assert "received_on 2025-08-01 is before issued_on 2025-09-01" in errors[None]
    errors = api.fails(
        "POST", "/personal-file-documents", 422, body | {"issued_on": "2020-01-01", "expires_on": "2019-01-01"}
    )
    assert "expires_on" in errors[None]
    assert (
        "no student with id 999"
        in api.fails("POST", "/personal-file-documents", 422, body | {"student_id": 999})["student_id"]
    )
    assert "kind" in api.fails("POST", "/personal-file-documents", 422, body | {"kind": "passport_scan"})


def test_incomplete_files_report(api: Api, student_body: Body) -> None:
    complete = api.create(
        "/students",
        **student_body(
            1,
            last_name="Abenova",
            first_name="Dana",
            sex="female",
            iin=make_iin(__import__("datetime").date(2007, 3, 12), "female", 1),
        ),
    )
    fill_file(api, complete["id"])
    lacking = api.create("/students", **student_body(2, last_name="Bekov"))
    add_document(api, lacking["id"], "application")
    paid = api.create("/students", **student_body(3, last_name="Ermekov", funding="paid"))
    fill_file(api, paid["id"])  # has a grant certificate, lacks the contract
    report = api.get("/personal-files/incomplete?on=2026-03-01")
    assert report["checked"] == 3 and report["total"] == 2
    assert [r["student_id"] for r in report["items"]] == [lacking["id"], paid["id"]]
    assert report["items"][1]["missing"] == ["contract"] and report["items"][1]["expired"] == []
    assert "application" not in report["items"][0]["missing"]
    only_contract = api.get("/personal-files/incomplete?kind=contract")
    assert [r["student_id"] for r in only_contract["items"]] == [paid["id"]]
    assert api.get("/personal-files/incomplete?status=graduated")["checked"] == 0
    assert api.get("/personal-files/incomplete?per_page=1&page=2")["items"][0]["student_id"] == paid["id"]


def test_personal_data_change_is_justified_applied_and_registered(api: Api, org: dict[str, Any]) -> None:
    api.client.post("/api/contingent/policy",
                    json=MovementPolicy(applications_required=frozenset()).model_dump(mode="json"))  # fmt: skip
    sid, other = enroll(api, org, [1, 2])
    path = f"/students/{sid}/personal-data-changes"
    errors = api.fails("POST", path, 422, {"changes": {"citizenship": "RU"}, "effective_on": "2026-02-01"})
    assert "justification" in errors[None]
    errors = api.fails("POST", path, 422, {"changes": {"last_name": "Serikov"}, "effective_on": "2026-02-01",
                                           "document_id": 1})  # fmt: skip
    assert "a name changes by a change-of-name order" in errors[None]
    foreign_doc = add_document(api, other, "identity_copy")
    errors = api.fails("POST", path, 422, {"changes": {"citizenship": "RU"}, "effective_on": "2026-02-01",
                                           "document_id": foreign_doc["id"]})  # fmt: skip
    assert "no document" in errors["document_id"]
    theirs = register(api, "change_of_name", "2026-01-30", [{"student_id": other, "last_name": "Omarov"}])
    errors = api.fails("POST", path, 422, {"changes": {"citizenship": "RU"}, "effective_on": "2026-02-01",
                                           "order_id": theirs["id"]})  # fmt: skip
    assert errors["order_id"] == f"order {theirs['number']} does not list student {sid}"
    assert (
        "no registered order with id 9999"
        in api.fails(
            "POST", path, 422, {"changes": {"citizenship": "RU"}, "effective_on": "2026-02-01", "order_id": 9999}
        )["order_id"]
    )
    renamed = register(api, "change_of_name", "2026-01-30", [{"student_id": sid, "last_name": "Serikov",
                                                              "middle_name": "Bolatuly"}])  # fmt: skip
    errors = api.fails("POST", path, 422, {"changes": {"citizenship": "KZ"}, "effective_on": "2026-02-01",
                                           "order_id": renamed["id"]})  # fmt: skip
    assert errors["changes.citizenship"] == "is already KZ"
    # The change-of-name order registered its own changes, with the order.
    rows = api.get(path)["items"]
    assert [(r["field"], r["old_value"], r["new_value"], r["order_id"], r["order_number"]) for r in rows] == [
        ("last_name", "Nurlanov", "Serikov", renamed["id"], renamed["number"]),
        ("middle_name", None, "Bolatuly", renamed["id"], renamed["number"]),
    ]
    assert rows[0]["change_id"] == rows[1]["change_id"] and rows[0]["registered_by"] == "registrar-test"
    assert rows[0]["effective_on"] == "2026-01-30" and api.get(f"/students/{sid}")["last_name"] == "Serikov"
    changed = api.client.post(f"/api{path}", json={"changes": {"citizenship": "RU"}, "effective_on": "2026-02-01",
                                                   "order_id": renamed["id"]})  # fmt: skip
    assert changed.status_code == 201, changed.json
    assert [(r["field"], r["order_number"], r["order_date"]) for r in changed.json["items"]] == [
        ("citizenship", renamed["number"], "2026-01-30")
    ]
    logged = api.get(f"/audit?entity=students&entity_id={sid}&action=update&field=citizenship")["items"]
    assert [(e["new_value"], e["reason"]) for e in logged] == [("RU", f"order {renamed['number']} of 2026-01-30")]
    # Cancelling the change of name restores the names and registers that too; a cancelled order justifies nothing.
    cancel = register(api, "cancellation", "2026-02-10", [], cancels_order_id=renamed["id"])
    rows = api.get(path)["items"]
    assert [(r["field"], r["new_value"], r["order_id"]) for r in rows[-2:]] == [
        ("last_name", "Nurlanov", cancel["id"]),
        ("middle_name", None, cancel["id"]),
    ]
    errors = api.fails("POST", path, 422, {"changes": {"citizenship": "KZ"}, "effective_on": "2026-02-11",
                                           "order_id": renamed["id"]})  # fmt: skip
    assert "was cancelled" in errors["order_id"]


def test_personal_data_change_keeps_the_iin_consistent(api: Api, student_body: Body) -> None:
    import datetime as dt

    student = api.create("/students", **student_body())
    other = api.create("/students", **student_body(2))
    document = add_document(api, student["id"], "identity_copy", reference="N123")
    path = f"/students/{student['id']}/personal-data-changes"
    base = {"effective_on": "2026-02-01", "document_id": document["id"]}
    errors = api.fails("POST", path, 422, base | {"changes": {"birth_date": "2007-03-13"}})
    assert "does not agree with the IIN" in errors["changes.birth_date"]
    assert "IIN" in api.fails("POST", path, 409, base | {"changes": {"iin": other["iin"]}})["changes.iin"]
    new_iin = make_iin(dt.date(2007, 3, 13), "male", 5)
    response = api.client.post(f"/api{path}", json=base | {"changes": {"iin": new_iin, "birth_date": "2007-03-13"}})
    assert response.status_code == 201, response.json
    stored = api.get(f"/students/{student['id']}")
    assert (stored["iin"], stored["birth_date"]) == (new_iin, "2007-03-13")


def test_who_sees_personal_files(api: Api, student_body: Body, client_as: Callable[..., FlaskClient]) -> None:
    mine = api.create("/students", **student_body())
    theirs = api.create("/students", **student_body(2))
    add_document(api, mine["id"], "application")
    add_document(api, theirs["id"], "application")
    student = Api(client_as("student", student_id=mine["id"]))
    assert student.get(f"/students/{mine['id']}/personal-file")["student_id"] == mine["id"]
    student.fails("GET", f"/students/{theirs['id']}/personal-file", 403)
    assert [d["student_id"] for d in student.get("/personal-file-documents")["items"]] == [mine["id"]]
    student.fails("GET", "/personal-files/incomplete", 403)
    student.fails("POST", "/personal-file-documents", 403, {})
    archivist = Api(client_as("archivist"))
    assert archivist.get("/personal-file-documents")["total"] == 2
    archivist.fails("POST", f"/students/{mine['id']}/personal-data-changes", 403, {})
    Api(client_as("scheduler")).fails("GET", f"/students/{mine['id']}/personal-file", 403)
