"""The archive over the API: preparing personal files, inventories (numbering, approval, acceptance), loans,
condition, storage readings with alerts, acts of destruction and transfer (nothing removed before approval),
and the role rules (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from service_testing import Api

Body = Callable[..., dict[str, Any]]


def item(api: Api, index: str, years: int | None, **extra: Any) -> dict[str, Any]:
    retention = {"retention_years": years} if years else {"permanent": True}
    return api.create(
        "/archive/nomenclature", year=2026, index=index, title=f"Cases {index}", article="art. 1", **retention, **extra
    )


def leaver(api: Api, body: Body, serial: int, last_name: str, status: str, pages: int | None = 3) -> dict[str, Any]:
    student = api.create("/students", **body(serial, last_name=last_name, status=status))
    api.create(
        "/personal-file-documents",
        student_id=student["id"],
        kind="application",
        title="Application",
        received_on="2022-08-01",
        pages=pages,
    )
    api.create(
        "/personal-file-documents",
        student_id=student["id"],
        kind="photos",
        title="Photos",
        copies=6,
        received_on="2022-08-02",
        pages=1,
    )
    return student


def in_archive(api: Api, kind: str, year: int, accepted_on: str = "2026-07-10", **approve: Any) -> dict[str, Any]:
    """Compile, approve and accept the inventory of the prepared files of ``kind`` and ``year``."""
    inventory = api.client.post(
        "/api/archive/inventories", json={"year": year, "kind": kind, "compiled_on": f"{max(year, 2026)}-07-01"}
    )
    assert inventory.status_code == 201, inventory.json
    number = inventory.json["id"]
    assert (
        api.client.post(
            f"/api/archive/inventories/{number}/approve", json={"approved_on": f"{max(year, 2026)}-07-02"}
        ).status_code
        == 200
    )
    accepted = api.client.post(f"/api/archive/inventories/{number}/accept", json={"accepted_on": accepted_on} | approve)
    assert accepted.status_code == 200, accepted.json
    return accepted.json  # type: ignore[no-any-return]


def case(api: Api, nomenclature_id: int, title: str, end: str) -> dict[str, Any]:
    return api.create(
        "/archive/files",
        nomenclature_item_id=nomenclature_id,
        kind="case",
        title=title,
        start_date=f"{end[:4]}-01-10",
        end_date=end,
        pages=40,
    )


def test_nomenclature_rules(api: Api) -> None:
    created = item(api, "04-12", 75)
    assert (created["retention_years"], created["permanent"]) == (75, False)
    errors = api.fails(
        "POST",
        "/archive/nomenclature",
        422,
        {"year": 2026, "index": "01-01", "title": "Orders", "article": "12", "retention_years": 5, "permanent": True},
    )
    assert "either permanent or a number of years" in errors[None]
    errors = api.fails(
        "POST", "/archive/nomenclature", 422, {"year": 2026, "index": "01-01", "title": "Orders", "article": "12"}
    )
    assert "needs a number of years, or permanent" in errors[None]
    assert (
        "already exists"
        in api.fails(
            "POST",
            "/archive/nomenclature",
            409,
            {"year": 2026, "index": "04-12", "title": "Again", "article": "1", "permanent": True},
        )["index"]
    )
    assert api.get("/archive/nomenclature?q=04-")["total"] == 1
    assert api.get("/archive/nomenclature?permanent=true")["total"] == 0


def test_personal_files_are_prepared_numbered_and_accepted(api: Api, student_body: Body) -> None:
    personal = item(api, "04-12", 75)
    leaver(api, student_body, 1, "Serikova", "graduated")
    leaver(api, student_body, 2, "Abenov", "graduated")
    leaver(api, student_body, 3, "Myrzakhmetov", "graduated")
    expelled = leaver(api, student_body, 4, "Bekov", "expelled")
    active = leaver(api, student_body, 5, "Dauletov", "active")
    prepared = api.client.post(
        "/api/archive/files/prepare",
        json={"kind": "graduate_personal_file", "nomenclature_item_id": personal["id"], "end_date": "2026-06-30"},
    )
    assert prepared.status_code == 201, prepared.json
    files = prepared.json["items"]
    assert [f["title"] for f in files] == ["Abenov Arman", "Myrzakhmetov Arman", "Serikova Arman"]
    assert {(f["pages"], f["start_date"], f["year"], f["state"]) for f in files} == {
        (4, "2022-08-01", 2026, "prepared")
    }
    assert files[0]["retention"] == "75 years" and files[0]["expires_on"] == "2102-01-01"
    again = api.client.post(
        "/api/archive/files/prepare",
        json={"kind": "graduate_personal_file", "nomenclature_item_id": personal["id"], "end_date": "2026-06-30"},
    )
    assert again.status_code == 201 and again.json["items"] == []
    body = {
        "nomenclature_item_id": personal["id"],
        "kind": "graduate_personal_file",
        "start_date": "2022-08-01",
        "end_date": "2026-06-30",
    }
    assert (
        "is active, not graduated"
        in api.fails("POST", "/archive/files", 409, body | {"student_id": active["id"]})["student_id"]
    )
    assert (
        "already has archive file"
        in api.fails("POST", "/archive/files", 409, body | {"student_id": files[0]["student_id"]})["student_id"]
    )
    expelled_file = api.create(
        "/archive/files",
        **body | {"kind": "expelled_personal_file", "student_id": expelled["id"], "end_date": "2026-02-15"},
    )
    assert expelled_file["title"] == "Bekov Arman" and expelled_file["pages"] == 4

    inventory = api.client.post(
        "/api/archive/inventories", json={"year": 2026, "kind": "graduate_personal_file", "compiled_on": "2026-07-01"}
    ).json
    assert inventory["number"] == "2026-graduate_personal_file-1" and inventory["state"] == "draft"
    assert [(line["number"], line["title"]) for line in inventory["lines"]] == [
        (1, "Abenov Arman"),
        (2, "Myrzakhmetov Arman"),
        (3, "Serikova Arman"),
    ]
    assert (inventory["files"], inventory["pages"], inventory["first_date"], inventory["last_date"]) == (
        3,
        12,
        "2022-08-01",
        "2026-06-30",
    )
    api.fails(
        "POST",
        "/archive/inventories",
        409,
        {"year": 2026, "kind": "graduate_personal_file", "compiled_on": "2026-07-01"},
    )
    # A corrected title before approval: the numbers follow the alphabet again when approved.
    api.patch(f"/archive/files/{files[0]['id']}", title="Zhaksylykov Arman")
    api.fails(
        "POST",
        f"/api/archive/inventories/{inventory['id']}/accept".removeprefix("/api"),
        409,
        {"accepted_on": "2026-07-10"},
    )
    approved = api.client.post(
        f"/api/archive/inventories/{inventory['id']}/approve", json={"approved_on": "2026-07-02"}
    )
    assert [line["title"] for line in approved.json["lines"]] == [
        "Myrzakhmetov Arman",
        "Serikova Arman",
        "Zhaksylykov Arman",
    ]
    assert "only its location" in api.fails("PATCH", f"/archive/files/{files[0]['id']}", 409, {"pages": 9})[None]
    errors = api.fails(
        "POST", f"/archive/inventories/{inventory['id']}/accept", 422, {"accepted_on": "2026-07-10", "missing": [4]}
    )
    assert "numbers 4 are not in inventory" in errors["missing"]
    accepted = api.client.post(
        f"/api/archive/inventories/{inventory['id']}/accept",
        json={"accepted_on": "2026-07-10", "missing": [2], "location": "R1-S3"},
    ).json
    assert accepted["state"] == "accepted" and accepted["accepted_by"] == "registrar-test"
    assert [line["state"] for line in accepted["lines"]] == ["in_archive", "not_received", "in_archive"]
    assert api.get("/archive/files?state=in_archive")["total"] == 2
    assert api.get(f"/archive/files/{files[0]['id']}")["location"] == "R1-S3"
    api.fails("POST", f"/archive/inventories/{inventory['id']}/approve", 409, {"approved_on": "2026-07-20"})


def test_unknown_pages_are_named(api: Api, student_body: Body) -> None:
    personal = item(api, "04-12", 75)
    student = leaver(api, student_body, 1, "Serikova", "graduated", pages=None)
    errors = api.fails(
        "POST",
        "/archive/files/prepare",
        422,
        {"kind": "graduate_personal_file", "nomenclature_item_id": personal["id"], "end_date": "2026-06-30"},
    )
    assert f"{student['id']} (Serikova Arman)" in errors["kind"]
    assert api.get("/archive/files")["total"] == 0  # nothing half-done


def test_loans_and_condition(api: Api, student_body: Body) -> None:
    other = item(api, "01-05", 5)
    file = case(api, other["id"], "Timetables 2024", "2024-12-20")
    lend_body = {"borrower": "Dean's office, A. Kim", "purpose": "check", "lent_on": "2026-08-01"}
    assert "only a file in the archive" in api.fails("POST", f"/archive/files/{file['id']}/loans", 409, lend_body)[None]
    in_archive(api, "case", 2024)
    loan = api.create(f"/archive/files/{file['id']}/loans", **lend_body)
    assert loan["due_on"] == "2026-08-31" and loan["lent_by"] == "registrar-test"
    assert "is lent to Dean's office" in api.fails("POST", f"/archive/files/{file['id']}/loans", 409, lend_body)[None]
    assert api.get("/archive/loans?open=true")["total"] == 1
    assert api.get("/archive/loans?overdue_on=2026-08-31")["total"] == 0
    assert api.get("/archive/loans?overdue_on=2026-09-01")["total"] == 1
    errors = api.fails(
        "POST", f"/archive/loans/{loan['id']}/return", 422, {"returned_on": "2026-07-01", "condition": "intact"}
    )
    assert "before the file was lent" in errors["returned_on"]
    back = api.client.post(
        f"/api/archive/loans/{loan['id']}/return", json={"returned_on": "2026-08-20", "condition": "damaged"}
    )
    assert back.status_code == 200 and back.json["received_by"] == "registrar-test"
    api.fails("POST", f"/archive/loans/{loan['id']}/return", 409, {"returned_on": "2026-08-21", "condition": "intact"})
    detail = api.get(f"/archive/files/{file['id']}")
    assert (detail["state"], detail["condition"]) == ("in_archive", "damaged")
    assert [c["condition"] for c in detail["condition_checks"]] == ["damaged"] and len(detail["loans"]) == 1
    assert (
        "cannot become intact"
        in api.fails(
            "POST", f"/archive/files/{file['id']}/condition", 409, {"checked_on": "2026-09-01", "condition": "intact"}
        )["condition"]
    )
    api.create(f"/archive/files/{file['id']}/condition", checked_on="2026-09-10", condition="restored", note="rebound")
    assert api.get("/archive/files?condition=restored")["total"] == 1


def test_destruction_only_after_approval_of_expired_cases(api: Api, client_as: Callable[..., FlaskClient]) -> None:
    five = item(api, "01-05", 5)
    personal = item(api, "04-12", 75)
    old = case(api, five["id"], "Timetables 2019", "2019-12-20")
    young = case(api, five["id"], "Timetables 2021", "2021-06-20")
    kept = case(api, personal["id"], "Reports 2019", "2019-11-01")
    in_archive(api, "case", 2019)
    in_archive(api, "case", 2021)
    assert api.get(f"/archive/files/{old['id']}")["expires_on"] == "2025-01-01"
    assert (
        "no file in the archive"
        in api.fails("POST", "/archive/acts", 409, {"kind": "destruction", "compiled_on": "2024-12-31"})["kind"]
    )
    act = api.create("/archive/acts", kind="destruction", compiled_on="2026-09-01")
    assert [i["file_id"] for i in act["items"]] == [old["id"]] and act["items"][0]["due_on"] == "2025-01-01"
    assert act["number"] == "2026-destruction-1" and act["state"] == "draft"
    assert young["id"] not in [i["file_id"] for i in act["items"]] and kept["id"] not in [
        i["file_id"] for i in act["items"]
    ]
    errors = api.fails("POST", f"/archive/acts/{act['id']}/execute", 409, {"executed_on": "2026-09-02"})
    assert "nothing is removed before approval" in errors[None]
    assert api.get(f"/archive/files/{old['id']}")["state"] == "in_archive"
    assert (
        "another person approves"
        in api.fails("POST", f"/archive/acts/{act['id']}/approve", 409, {"approved_on": "2026-09-02"})[None]
    )
    archivist = Api(client_as("archivist"))
    archivist.fails("POST", f"/archive/acts/{act['id']}/approve", 403, {"approved_on": "2026-09-02"})
    vice_rector = Api(client_as("vice_rector", username="rector"))
    approved = vice_rector.client.post(f"/api/archive/acts/{act['id']}/approve", json={"approved_on": "2026-09-02"})
    assert approved.status_code == 200 and approved.json["approved_by"] == "rector"
    # A file lent after approval must come back before the act is carried out.
    loan = api.create(f"/archive/files/{old['id']}/loans", borrower="Auditor", purpose="audit", lent_on="2026-09-03")
    assert (
        f"{old['id']} (lent)"
        in archivist.fails("POST", f"/archive/acts/{act['id']}/execute", 409, {"executed_on": "2026-09-04"})[None]
    )
    api.create("/archive/nomenclature", year=2027, index="x", title="x", article="x", permanent=True)
    assert (
        api.client.post(
            f"/api/archive/loans/{loan['id']}/return", json={"returned_on": "2026-09-05", "condition": "intact"}
        ).status_code
        == 200
    )
    done = archivist.client.post(f"/api/archive/acts/{act['id']}/execute", json={"executed_on": "2026-09-06"})
    assert done.status_code == 200 and done.json["state"] == "executed"
    assert api.get(f"/archive/files/{old['id']}")["state"] == "destroyed"
    history = api.get(f"/audit?entity=archive_files&entity_id={old['id']}&field=state")["items"]
    changes = [(h["old_value"], h["new_value"]) for h in history]
    assert changes[:2] == [("in_archive", "destroyed"), ("lent", "in_archive")]
    assert history[0]["reason"] == "act 2026-destruction-1" and history[0]["actor"].startswith("archivist")
    assert api.get(f"/archive/files/{young['id']}")["state"] == "in_archive"
    api.fails("DELETE", f"/archive/acts/{act['id']}", 409)
    api.fails(
        "POST", f"/archive/files/{old['id']}/loans", 409, {"borrower": "x", "purpose": "x", "lent_on": "2026-09-07"}
    )


def test_transfer_of_permanent_cases(api: Api) -> None:
    permanent = item(api, "01-01", None)
    five = item(api, "01-05", 5)
    due = case(api, permanent["id"], "Orders 2015", "2015-12-30")
    case(api, five["id"], "Timetables 2015", "2015-12-30")
    in_archive(api, "case", 2015)
    assert api.get(f"/archive/files/{due['id']}")["transfer_due_on"] == "2026-01-01"
    api.fails("POST", "/archive/acts", 409, {"kind": "transfer", "compiled_on": "2025-12-31"})
    act = api.create("/archive/acts", kind="transfer", compiled_on="2026-02-01")
    assert [i["file_id"] for i in act["items"]] == [due["id"]] and act["items"][0]["retention"] == "permanent"
    # A draft can be discarded, and its files are free for the next act.
    api.client.delete(f"/api/archive/acts/{act['id']}")
    api.fails("GET", f"/archive/acts/{act['id']}", 404)
    again = api.create("/archive/acts", kind="transfer", compiled_on="2026-02-01")
    assert again["number"] == "2026-transfer-1"


def test_storage_readings_raise_alerts(api: Api) -> None:
    fine = api.create(
        "/archive/storage-readings", room="R1", measured_at="2026-03-01T09:00:00Z", temperature=18, humidity=52
    )
    assert fine["alert"] is None
    hot = api.create(
        "/archive/storage-readings", room="R1", measured_at="2026-03-02T09:00:00Z", temperature=23.5, humidity=61
    )
    assert hot["alert"] == "temperature 23.5 °C is above the norm 17-19 °C; humidity 61 % is above the norm 50-55 %"
    assert [r["id"] for r in api.get("/archive/storage-readings?alerts=true")["items"]] == [hot["id"]]
    assert api.get("/archive/storage-readings?since=2026-03-02T00:00:00Z")["total"] == 1
    assert "humidity" in api.fails(
        "POST",
        "/archive/storage-readings",
        422,
        {"room": "R1", "measured_at": "2026-03-02T09:00:00Z", "temperature": 18, "humidity": 101},
    )
    assert api.get("/archive/norms")["temperature_min"] == 17


@pytest.mark.parametrize("role", ["student", "teacher", "advisor", "scheduler", "exam_coordinator"])
def test_only_the_record_keepers_reach_the_archive(
    role: str, client_as: Callable[..., FlaskClient], api: Api, org: dict[str, Any], student_body: Body
) -> None:
    links: dict[str, Any] = {}
    if role in ("teacher", "advisor"):
        links["teacher_id"] = org["teacher"]["id"]
    if role == "student":
        links["student_id"] = api.create("/students", **student_body())["id"]
    outsider = Api(client_as(role, **links))
    for path in ("/archive/files", "/archive/nomenclature", "/archive/acts", "/archive/storage-readings"):
        outsider.fails("GET", path, 403)
    outsider.fails("POST", "/archive/storage-readings", 403, {})


def test_vice_rector_reads_but_does_not_keep(client_as: Callable[..., FlaskClient]) -> None:
    vice_rector = Api(client_as("vice_rector"))
    assert vice_rector.get("/archive/files")["total"] == 0
    vice_rector.fails("POST", "/archive/nomenclature", 403, {})
    archivist = Api(client_as("archivist"))
    assert archivist.create(
        "/archive/nomenclature", year=2026, index="04-12", title="Personal files", retention_years=75, article="art. 1"
    )["id"]


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_inventory_and_act_pdfs(api: Api, student_body: Body, client_as: Callable[..., FlaskClient]) -> None:
    personal = item(api, "04-12", 5)
    leaver(api, student_body, 1, "Serikova", "graduated")
    leaver(api, student_body, 2, "Abenov", "graduated", pages=7)
    api.create("/archive/files/prepare", kind="graduate_personal_file", nomenclature_item_id=personal["id"],
               end_date="2019-06-30")  # fmt: skip
    inventory = api.create("/archive/inventories", year=2019, kind="graduate_personal_file", compiled_on="2026-07-01")
    draft = api.client.get(f"/api/archive/inventories/{inventory['id']}/pdf")
    assert draft.status_code == 200 and draft.mimetype == "application/pdf"
    assert "DRAFT" in pdf_text(draft.data)
    in_archive_id = inventory["id"]
    api.post(f"/archive/inventories/{in_archive_id}/approve", approved_on="2026-07-02")
    api.post(f"/archive/inventories/{in_archive_id}/accept", accepted_on="2026-07-03")
    text = pdf_text(api.client.get(f"/api/archive/inventories/{in_archive_id}/pdf").data)
    assert "Inventory No. 2019-graduate_personal_file-1" in text and "DRAFT" not in text
    lines = [line.split() for line in text.splitlines() if line.strip()[:1].isdigit() and "Arman" in line]
    assert [(words[0], words[1]) for words in lines] == [("1", "Abenov"), ("2", "Serikova")]
    assert "2 files, numbered from 1 to 2," in " ".join(text.split()) and "12 pages in all" in " ".join(text.split())
    assert "Accepted into the archive on 2026-07-03" in text
    act = api.create("/archive/acts", kind="destruction", compiled_on="2026-09-01")
    text = " ".join(pdf_text(api.client.get(f"/api/archive/acts/{act['id']}/pdf").data).split())
    assert "Act No. 2026-destruction-1" in text and "DRAFT: not approved; nothing may be destroyed" in text
    assert "Abenov Arman 2019 8 5 years 2025-01-01" in text and "2 files, 12 pages in all" in text
    rector = Api(client_as("vice_rector", username="rector"))
    rector.post(f"/archive/acts/{act['id']}/approve", approved_on="2026-09-02")
    text = " ".join(pdf_text(api.client.get(f"/api/archive/acts/{act['id']}/pdf").data).split())
    assert "DRAFT" not in text and "Approved on 2026-09-02 by rector" in text
    assert api.client.get("/api/archive/acts/999/pdf").status_code == 404
    assert Api(client_as("scheduler")).client.get(f"/api/archive/acts/{act['id']}/pdf").status_code == 403
