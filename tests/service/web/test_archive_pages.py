"""The archive pages through the Flask test client, on both databases: the whole life of personal files by form
(nomenclature, preparing, inventory compiled, approved by the registrar, accepted with a file missing, lending
and return, condition), the storage log with alerts, an act of destruction approved by someone other than its
compiler before anything is destroyed, and the role rules (archivist keeps, registrar approves, vice-rector
approves acts and reads, a student reaches nothing)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from service_testing import Api, csrf_token, make_user, web_login

from models.iin import make_iin

Body = Callable[..., dict[str, Any]]


@pytest.fixture
def leavers(app: Flask, api: Api, student_body: Body, password_hash: str) -> list[int]:
    """Three graduates with personal-file documents (3, 4, 5 pages); users: registrar, archivist, vice-rector,
    a student."""
    ids = []
    for serial, name in ((1, "Serikova"), (2, "Abenov"), (3, "Myrzakhmetov")):
        student = api.create("/students", **student_body(serial, iin=make_iin(dt.date(2007, 3, 12), "male", serial),
                                                         last_name=name, status="graduated"))  # fmt: skip
        api.create("/personal-file-documents", student_id=student["id"], kind="application", title="Application",
                   received_on="2015-08-01", pages=2 + serial)  # fmt: skip
        ids.append(student["id"])
    make_user(app, "aliya", ["registrar"], password_hash)
    make_user(app, "keeper", ["archivist"], password_hash)
    make_user(app, "rector", ["vice_rector"], password_hash)
    make_user(app, "arman", ["student"], password_hash, student_id=ids[0])
    return ids


def signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert web_login(client, username).status_code == 302
    return client


def post(client: FlaskClient, path: str, **form: str) -> Any:
    return client.post(path, data={"csrf_token": csrf_token(client, path)} | form)


def problems(response: Any) -> list[str]:
    return [html.unescape(p) for p in re.findall(r'<p class="problem">(.*?)</p>', response.get_data(as_text=True))]


def test_personal_files_through_the_archive(app: Flask, api: Api, leavers: list[int]) -> None:
    keeper, registrar = signed_in(app, "keeper"), signed_in(app, "aliya")
    added = post(keeper, "/archive/nomenclature", action="add", year="2019", index="04-12",
                 title="Personal files of graduates", retention_years="5", article="art. 589")  # fmt: skip
    assert added.status_code == 302
    both = post(keeper, "/archive/nomenclature", action="add", year="2019", index="04-13", title="x",
                retention_years="5", permanent="on", article="1")  # fmt: skip
    assert both.status_code == 422 and "either permanent or a number of years" in " ".join(problems(both))
    page = keeper.get("/archive/nomenclature?year=2019").get_data(as_text=True)
    assert "04-12" in page and "5 years" in page and "art. 589" in page and "04-13" not in page
    heading = api.get("/archive/nomenclature?year=2019")["items"][0]["id"]
    prepared = post(keeper, "/archive/files", action="prepare", kind="graduate_personal_file",
                    nomenclature_item_id=str(heading), end_date="2019-06-30")  # fmt: skip
    assert prepared.status_code == 302
    listing = keeper.get("/archive/files?state=prepared").get_data(as_text=True)
    assert "3 files" in listing and "Abenov Arman" in listing and "2025-01-01" in listing
    compiled = post(keeper, "/archive/inventories", action="compile", year="2019", kind="graduate_personal_file",
                    compiled_on="2026-07-01")  # fmt: skip
    assert compiled.status_code == 302
    path = compiled.headers["Location"]
    page = keeper.get(path).get_data(as_text=True)
    assert "Draft; 3 files, 12 pages" in page and "Approve" not in page  # only the registrar approves
    numbered = re.findall(r"<tr><td>(\d+)</td><td><a [^>]*>([^<]+)</a>", page)
    assert numbered == [("1", "Abenov Arman"), ("2", "Myrzakhmetov Arman"), ("3", "Serikova Arman")]
    assert post(keeper, path, action="approve", approved_on="2026-07-02").status_code == 403
    early = post(registrar, path, action="approve", approved_on="2026-06-30")
    assert early.status_code == 422 and "before the inventory was compiled" in " ".join(problems(early))
    assert post(registrar, path, action="approve", approved_on="2026-07-02").status_code == 302
    wrong = post(keeper, path, action="accept", accepted_on="2026-07-03", missing="2, 9")
    assert wrong.status_code == 422 and "numbers 9 are not in inventory" in " ".join(problems(wrong))
    assert post(keeper, path, action="accept", accepted_on="2026-07-03", missing="x").status_code == 422
    assert api.get("/archive/files?state=prepared")["total"] == 3  # nothing half-done
    accepted = post(keeper, path, action="accept", accepted_on="2026-07-03", missing="2", location="R1-04")
    assert accepted.status_code == 302
    states = {f["title"]: f["state"] for f in api.get("/archive/files")["items"]}
    assert states == {"Abenov Arman": "in_archive", "Myrzakhmetov Arman": "not_received",
                      "Serikova Arman": "in_archive"}  # fmt: skip
    pdf = keeper.get(f"/api/archive/inventories/{path.rsplit('/', 1)[1]}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    abenov = next(f for f in api.get("/archive/files")["items"] if f["title"] == "Abenov Arman")["id"]
    file_path = f"/archive/files/{abenov}"
    assert post(keeper, file_path, action="lend", borrower="Dean's office", purpose="check",
                lent_on="2026-09-01", due_on="2026-09-10").status_code == 302  # fmt: skip
    again = post(keeper, file_path, action="lend", borrower="X", purpose="y", lent_on="2026-09-02")
    assert again.status_code == 409 and "is lent to Dean's office" in " ".join(problems(again))
    loan = api.get(f"/archive/loans?file_id={abenov}")["items"][0]["id"]
    assert post(keeper, file_path, action="return", loan_id=str(loan), returned_on="2026-09-05",
                condition="damaged", note="torn cover").status_code == 302  # fmt: skip
    assert post(keeper, file_path, action="condition", checked_on="2026-09-20", condition="restored").status_code == 302
    page = keeper.get(file_path).get_data(as_text=True)
    assert "torn cover" in page and "restored" in page and "2026-09-05 (keeper)" in page and "R1-04" in page
    assert post(keeper, file_path, action="burn").status_code == 400


def test_storage_log_with_alerts(app: Flask, api: Api, leavers: list[int]) -> None:
    keeper = signed_in(app, "keeper")
    assert post(keeper, "/archive/storage", action="record", room="R1", measured_at="2026-03-01T09:00",
                temperature="18", humidity="52").status_code == 302  # fmt: skip
    hot = post(keeper, "/archive/storage", action="record", room="R1", measured_at="2026-03-02T09:00",
               temperature="23.5", humidity="52")  # fmt: skip
    assert hot.status_code == 302
    page = keeper.get("/archive/storage").get_data(as_text=True)
    assert "Alert: temperature 23.5 °C is above the norm 17-19 °C" in page
    alerts = keeper.get("/archive/storage?alerts=1").get_data(as_text=True)
    assert "2026-03-02 09:00" in alerts and "2026-03-01 09:00" not in alerts
    assert "above the norm" in keeper.get("/archive").get_data(as_text=True)
    bad = post(keeper, "/archive/storage", action="record", room="R1", measured_at="2026-03-02T10:00",
               temperature="18", humidity="101")  # fmt: skip
    assert bad.status_code == 422 and "humidity" in " ".join(problems(bad))
    assert api.get("/archive/storage-readings")["total"] == 2


def test_destruction_act_needs_approval_by_another(app: Flask, api: Api, leavers: list[int]) -> None:
    five = api.create("/archive/nomenclature", year=2019, index="01-05", title="Timetables", retention_years=5,
                      article="art. 1")  # fmt: skip
    case = api.create("/archive/files", nomenclature_item_id=five["id"], kind="case", title="Timetables 2019",
                      start_date="2019-01-10", end_date="2019-12-20", pages=40)  # fmt: skip
    inventory = api.create("/archive/inventories", year=2019, kind="case", compiled_on="2026-07-01")
    api.post(f"/archive/inventories/{inventory['id']}/approve", approved_on="2026-07-02")
    api.post(f"/archive/inventories/{inventory['id']}/accept", accepted_on="2026-07-03")
    keeper, registrar, rector = signed_in(app, "keeper"), signed_in(app, "aliya"), signed_in(app, "rector")
    none = post(keeper, "/archive/acts", action="compile", kind="destruction", compiled_on="2024-12-31")
    assert none.status_code == 409 and "no file in the archive" in " ".join(problems(none))
    compiled = post(keeper, "/archive/acts", action="compile", kind="destruction", compiled_on="2026-09-01")
    assert compiled.status_code == 302
    path = compiled.headers["Location"]
    page = keeper.get(path).get_data(as_text=True)
    assert "Timetables 2019" in page and "nothing may be removed" in page and 'value="approve"' not in page
    early = post(keeper, path, action="execute", executed_on="2026-09-02")
    assert early.status_code == 409 and "nothing is removed before approval" in " ".join(problems(early))
    assert post(keeper, path, action="approve", approved_on="2026-09-02").status_code == 403
    assert api.get(f"/archive/files/{case['id']}")["state"] == "in_archive"
    assert post(rector, path, action="execute", executed_on="2026-09-02").status_code == 403
    assert post(rector, path, action="approve", approved_on="2026-09-02").status_code == 302
    assert post(registrar, path, action="approve", approved_on="2026-09-02").status_code == 409
    assert post(keeper, path, action="execute", executed_on="2026-09-03").status_code == 302
    assert api.get(f"/archive/files/{case['id']}")["state"] == "destroyed"
    page = keeper.get(path).get_data(as_text=True)
    assert "Executed" in page and "carried out on 2026-09-03 by keeper" in page
    acts = rector.get("/archive/acts").get_data(as_text=True)
    assert "2026-destruction-1" in acts and 'value="compile"' not in acts
    assert post(rector, "/archive/acts", action="compile", kind="transfer", compiled_on="2026-09-01").status_code == 403


@pytest.mark.parametrize("path", ["/archive", "/archive/files", "/archive/inventories", "/archive/storage",
                                  "/archive/acts", "/archive/nomenclature"])  # fmt: skip
def test_a_student_reaches_no_archive_page(app: Flask, leavers: list[int], path: str) -> None:
    student = signed_in(app, "arman")
    assert student.get(path).status_code == 403
    assert "Archive" not in student.get("/").get_data(as_text=True)
    assert app.test_client().get(path).status_code == 302  # anonymous: to the login page
