"""The grades pages through the Flask test client, on both databases: the record book section of the student
page, the teacher's list of grade sheets and the sheet with its marks form (deadlines, all or nothing, the
same role rules as the API)."""

from __future__ import annotations

from typing import Any

import pytest
from campus import Campus
from flask import Flask
from flask.testing import FlaskClient
from service_testing import Api, csrf_token, make_user, web_login


def signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert web_login(client, username).status_code == 302
    return client


@pytest.fixture
def taught(app: Flask, campus: Campus, api: Api, password_hash: str) -> dict[str, Any]:
    """A confirmed autumn form, PRG taught by the advisor teacher (user ``abenov``); users for roles; 2025-10-01."""
    student = campus.student("Nurlanov")
    registration = campus.confirmed(student)
    section = campus.section_of(registration, "PRG")
    api.patch(f"/sections/{section}", teacher_id=campus.advisor["id"])
    make_user(app, "abenov", ["teacher"], password_hash, teacher_id=campus.advisor["id"])
    other = api.create("/teachers", code="Kim_DS", last_name="Kim", first_name="Dana")
    make_user(app, "kim", ["teacher"], password_hash, teacher_id=other["id"])
    make_user(app, "arman", ["student"], password_hash, student_id=student["id"])
    make_user(app, "aliya", ["registrar"], password_hash)
    make_user(app, "rector", ["vice_rector"], password_hash)
    campus.on("2025-10-01")
    return {"student": student, "registration": registration, "section": section,
            "enrolment": campus.enrolment_of(registration, "PRG")}  # fmt: skip


def test_teacher_lists_and_fills_a_sheet(app: Flask, api: Api, campus: Campus, taught: dict[str, Any]) -> None:
    client = signed_in(app, "abenov")
    listing = client.get("/grade-sheets").get_data(as_text=True)
    assert f"/grade-sheets/{taught['section']}" in listing and "MATH" not in listing
    path = f"/grade-sheets/{taught['section']}"
    page = client.get(path).get_data(as_text=True)
    key = f"{taught['enrolment']}-current1"
    assert f'name="{key}"' in page and "RK1: open until 2025-10-25" in page
    assert f'name="{taught["enrolment"]}-exam" value="" size="4" inputmode="decimal" aria-label="exam of Nurlanov" ' \
           "disabled" not in page  # fmt: skip
    token = csrf_token(client, path)
    saved = client.post(path, data={"csrf_token": token, key: "80", f"{taught['enrolment']}-midterm1": "91,5",
                                    "reason": "sheet of week 8"})  # fmt: skip
    assert saved.status_code == 302
    assert "Marks saved (1 student)" in client.get(path).get_data(as_text=True)
    row = api.get(f"/sections/{taught['section']}/grade-sheet")["rows"][0]
    assert (row["current1"], row["midterm1"], row["rk1"]) == (80.0, 91.5, 85.75)
    assert api.get("/audit?entity=enrolments&field=current1")["items"][0]["reason"] == "sheet of week 8"
    refused = client.post(path, data={"csrf_token": token, key: "101", f"{taught['enrolment']}-exam": "x"})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Nothing was saved" in text and "is not a number" in text
    assert api.get(f"/sections/{taught['section']}/grade-sheet")["rows"][0]["current1"] == 80.0
    campus.on("2025-10-26")
    late = client.get(path).get_data(as_text=True)
    assert "RK1: closed since 2025-10-25" in late
    assert 'aria-label="current1 of Nurlanov" disabled' in late


def test_sheet_rules_of_the_pages(app: Flask, taught: dict[str, Any]) -> None:
    path = f"/grade-sheets/{taught['section']}"
    kim = signed_in(app, "kim")
    assert kim.get(path).status_code == 403
    assert "Nurlanov" not in kim.get("/grade-sheets").get_data(as_text=True)
    rector = signed_in(app, "rector")
    page = rector.get(path).get_data(as_text=True)
    assert "Save marks" not in page and "disabled" in page
    assert rector.post(path, data={"csrf_token": csrf_token(rector, path),
                                   f"{taught['enrolment']}-current1": "70"}).status_code == 403  # fmt: skip
    assert signed_in(app, "arman").get(path).status_code == 403
    assert app.test_client().get(path).status_code == 302  # to the login page
    registrar = signed_in(app, "aliya")
    assert "PRG" in registrar.get(f"/grade-sheets?period={taught['registration']['period_id']}").get_data(as_text=True)


def test_record_book_on_the_student_page(app: Flask, campus: Campus, taught: dict[str, Any]) -> None:
    campus.grade(taught["registration"], "PRG", 90, 95)  # 0.6 x 90 + 0.4 x 95 = 92 -> A-
    student_page = f"/students/{taught['student']['id']}"
    own = signed_in(app, "arman").get(student_page).get_data(as_text=True)
    assert "Grades and GPA" in own and "A-" in own and "Autumn 2025/2026" in own
    assert "Cumulative GPA <strong>3.67</strong>" in own
    teacher_view = signed_in(app, "abenov").get(student_page)
    assert teacher_view.status_code == 200 and "Grades and GPA" not in teacher_view.get_data(as_text=True)
