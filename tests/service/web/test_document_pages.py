"""The pages of documents and personal files through the Flask test client, on both databases: issuing a document
by form and downloading its PDF, refusals shown on the form with nothing registered, revocation, the personal-file
checklist and the incomplete-files report, and the role rules (registrar, archivist, student: only their own)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from service_testing import Api, csrf_token, make_user, web_login

from models.iin import make_iin

Body = Callable[..., dict[str, Any]]
TODAY = dt.date.today()
YEAR = TODAY.year


@pytest.fixture
def people(app: Flask, api: Api, student_body: Body, password_hash: str) -> dict[str, Any]:
    """Two active students, a student user for the first; a registrar, an archivist and an advisor."""
    first = api.create("/students", **student_body(1, last_name="Nurlanov"))
    second = api.create("/students", **student_body(2, iin=make_iin(dt.date(2007, 3, 12), "male", 2),
                                                    last_name="Omarov", first_name="Dias"))  # fmt: skip
    make_user(app, "aliya", ["registrar"], password_hash)
    make_user(app, "arman", ["student"], password_hash, student_id=first["id"])
    make_user(app, "keeper", ["archivist"], password_hash)
    return {"first": first["id"], "second": second["id"]}


def signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert web_login(client, username).status_code == 302
    return client


def issue(client: FlaskClient, **form: str) -> Any:
    return client.post("/documents/new", data={"csrf_token": csrf_token(client, "/documents/new")} | form)


def test_registrar_issues_a_document_and_downloads_its_pdf(app: Flask, api: Api, people: dict[str, Any]) -> None:
    registrar = signed_in(app, "aliya")
    form = registrar.get(f"/documents/new?student_id={people['first']}").get_data(as_text=True)
    assert "Nurlanov" in form and 'name="kind"' in form and 'value="study_certificate"' in form
    done = issue(registrar, student_id=str(people["first"]), kind="study_certificate", language="ru",
                 on=TODAY.isoformat())  # fmt: skip
    assert done.status_code == 302, done.get_data(as_text=True)
    page = registrar.get(done.headers["Location"]).get_data(as_text=True)
    stored = api.get(f"/documents?student_id={people['first']}")["items"]
    assert len(stored) == 1 and stored[0]["number"] == f"SC-{YEAR}-000001"
    assert f"SC-{YEAR}-000001" in page and stored[0]["code"] in page and "The document is issued." in page
    pdf = registrar.get(f"/api/documents/{stored[0]['id']}/pdf")  # the page's link, signed by the session
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    record = registrar.get(f"/students/{people['first']}").get_data(as_text=True)
    assert f"SC-{YEAR}-000001" in record and "Issue a document" in record


def test_refusals_are_shown_and_nothing_is_registered(app: Flask, api: Api, people: dict[str, Any]) -> None:
    registrar = signed_in(app, "aliya")
    refused = issue(registrar, student_id=str(people["first"]), kind="diploma_supplement", language="en")
    assert refused.status_code == 409 and "a diploma supplement is for graduates" in refused.get_data(as_text=True)
    refused = issue(registrar, student_id=str(people["first"]), kind="transcript", language="en", on=TODAY.isoformat())
    assert refused.status_code == 422 and "only for a study_certificate" in refused.get_data(as_text=True)
    refused = issue(registrar, student_id="999999", kind="transcript", language="en")
    assert refused.status_code == 422 and "no student with id 999999" in refused.get_data(as_text=True)
    refused = issue(registrar, student_id=str(people["first"]), kind="study_certificate", language="ru",
                    on=(TODAY + dt.timedelta(days=1)).isoformat())  # fmt: skip
    assert refused.status_code == 422 and "in the future" in refused.get_data(as_text=True)
    no_token = registrar.post("/documents/new", data={"student_id": str(people["first"]), "kind": "transcript",
                                                      "language": "en"})  # fmt: skip
    assert no_token.status_code == 400
    assert api.get("/documents")["total"] == 0


def test_revocation_by_form(app: Flask, api: Api, people: dict[str, Any]) -> None:
    registrar = signed_in(app, "aliya")
    location = issue(registrar, student_id=str(people["first"]), kind="transcript", language="en").headers["Location"]
    token = csrf_token(registrar, location)
    assert registrar.post(location, data={"csrf_token": token, "reason": ""}).status_code == 422
    assert registrar.post(location, data={"csrf_token": token, "reason": "lost"}).status_code == 302
    page = registrar.get(location).get_data(as_text=True)
    assert "revoked" in page and "lost" in page and 'name="reason"' not in page
    assert api.get("/documents")["items"][0]["revoked_reason"] == "lost"


def test_who_sees_which_documents(app: Flask, api: Api, people: dict[str, Any]) -> None:
    registrar = signed_in(app, "aliya")
    own = issue(registrar, student_id=str(people["first"]), kind="transcript", language="kk").headers["Location"]
    other = issue(registrar, student_id=str(people["second"]), kind="transcript", language="kk").headers["Location"]
    student = signed_in(app, "arman")
    listing = student.get("/documents").get_data(as_text=True)
    assert f"TR-{YEAR}-000001" in listing and f"TR-{YEAR}-000002" not in listing and "Issue a document" not in listing
    assert student.get(own).status_code == 200 and student.get(other).status_code == 403
    assert student.get(f"/api/documents/{own.rsplit('/', 1)[1]}/pdf").status_code == 200
    assert student.get(f"/api/documents/{other.rsplit('/', 1)[1]}/pdf").status_code == 403
    assert student.get("/documents/new").status_code == 403
    assert student.post(own, data={"csrf_token": csrf_token(student, own), "reason": "mine"}).status_code == 403
    record = student.get(f"/students/{people['first']}").get_data(as_text=True)
    assert f"TR-{YEAR}-000001" in record and "Issue a document" not in record
    keeper = signed_in(app, "keeper")
    assert f"TR-{YEAR}-000002" in keeper.get("/documents").get_data(as_text=True)
    assert keeper.get("/documents/new").status_code == 403
    assert api.get("/documents")["total"] == 2


def test_personal_file_checklist_and_report(app: Flask, api: Api, people: dict[str, Any]) -> None:
    registrar = signed_in(app, "aliya")
    path = f"/students/{people['first']}/personal-file"
    page = registrar.get(path + "?on=2026-03-02").get_data(as_text=True)
    assert "Checklist on 2026-03-02" in page and "missing" in page and 'name="received_on"' in page
    token = csrf_token(registrar, path)
    added = registrar.post(path, data={"csrf_token": token, "kind": "identity_copy", "title": "ID card",
                                       "issued_on": "2016-03-01", "expires_on": "2026-02-28",
                                       "received_on": "2025-08-01"})  # fmt: skip
    assert added.status_code == 302
    refused = registrar.post(path, data={"csrf_token": token, "kind": "application", "title": "Application",
                                         "issued_on": "2025-08-02", "received_on": "2025-08-01"})  # fmt: skip
    assert refused.status_code == 422 and "before issued_on" in refused.get_data(as_text=True)
    assert api.get(f"/personal-file-documents?student_id={people['first']}")["total"] == 1
    page = registrar.get(path + "?on=2026-03-02").get_data(as_text=True)
    assert "expired on 2026-02-28" in page and "ID card" in page
    assert "present" in registrar.get(path + "?on=2026-02-01").get_data(as_text=True)
    assert registrar.get(path + "?on=someday").status_code == 400
    report = registrar.get("/personal-files/incomplete?on=2026-03-02").get_data(as_text=True)
    assert "2 of 2 files incomplete on 2026-03-02" in report and "Nurlanov" in report and "Omarov" in report
    report = registrar.get("/personal-files/incomplete?kind=identity_copy&on=2026-02-01").get_data(as_text=True)
    assert "Omarov" in report and "Nurlanov" not in report
    assert registrar.get("/personal-files/incomplete?kind=passport").status_code == 422
    student = signed_in(app, "arman")
    own = student.get(path)
    assert own.status_code == 200 and 'name="received_on"' not in own.get_data(as_text=True)
    assert student.post(path, data={"csrf_token": csrf_token(student, path), "kind": "application", "title": "x",
                                    "received_on": "2025-08-01"}).status_code == 403  # fmt: skip
    assert student.get(f"/students/{people['second']}/personal-file").status_code == 403
    assert student.get("/personal-files/incomplete").status_code == 403
    keeper = signed_in(app, "keeper")
    assert "Omarov" in keeper.get("/personal-files/incomplete").get_data(as_text=True)
    assert "Incomplete files" in keeper.get("/").get_data(as_text=True)


def test_personal_data_change_by_form(app: Flask, api: Api, people: dict[str, Any]) -> None:
    registrar = signed_in(app, "aliya")
    path = f"/students/{people['first']}/personal-file"
    permit = api.create("/personal-file-documents", student_id=people["first"], kind="residence_permit",
                        title="Residence permit", reference="RP 77", received_on="2025-08-01")  # fmt: skip
    token = csrf_token(registrar, path)
    unjustified = registrar.post(path, data={"csrf_token": token, "action": "change", "citizenship": "RU",
                                             "effective_on": "2025-09-01"})  # fmt: skip
    assert unjustified.status_code == 422 and "needs its justification" in unjustified.get_data(as_text=True)
    assert api.get(f"/students/{people['first']}")["citizenship"] == "KZ"
    done = registrar.post(path, data={"csrf_token": token, "action": "change", "citizenship": "RU",
                                      "effective_on": "2025-09-01", "document_id": str(permit["id"])})  # fmt: skip
    assert done.status_code == 302
    page = registrar.get(path).get_data(as_text=True)
    assert "citizenship" in page and "RU" in page and f"document {permit['id']}" in page
    assert api.get(f"/students/{people['first']}")["citizenship"] == "RU"
    assert 'name="last_name"' not in page and "change-of-name order" in page
    student = signed_in(app, "arman")
    refused = student.post(path, data={"csrf_token": csrf_token(student, path), "action": "change",
                                       "citizenship": "KZ", "effective_on": "2025-09-02",
                                       "document_id": str(permit["id"])})  # fmt: skip
    assert refused.status_code == 403 and api.get(f"/students/{people['first']}")["citizenship"] == "RU"
