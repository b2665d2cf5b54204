"""Issued documents: numbers and codes, PDFs read back with pdftotext in the three languages, who qualifies for
which document, the public verification (revealing nothing, rate limited), and who sees what (SQLite and
PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from campus import Campus
from flask import Flask
from flask.testing import FlaskClient
from service_testing import Api

from models.transcript import ResultLine
from service import db
from service.documents import results
from service.documents.issuing import CODE_ALPHABET, new_code, normal_code
from service.models import VerificationAttempt

Body = Callable[..., dict[str, Any]]
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


@pytest.fixture
def on_day(app: Flask) -> Flask:
    app.config["UNIVERSITY_NAME"] = {"en": "Steppe University", "kk": "Дала университеті", "ru": "Университет Степи"}
    return app


@pytest.fixture
def graded() -> Iterator[None]:
    """A result source giving every student two semesters of results (one retake): GPA (20 + 11.65 + 16.02) / 16
    = 2.979 -> 2.98, 16 credits earned."""

    def source(_db: Any, _student: Any) -> list[ResultLine]:
        return [
            ResultLine(semester=1, code="PRG101", name_en="Programming", name_kk="Бағдарламалау",
                       name_ru="Программирование", credits=5, percent=96, letter="A", points=4.0),
            ResultLine(semester=1, code="MAT101", name_en="Calculus", name_kk="Математикалық талдау", credits=5,
                       percent=45, letter="FX", points=0),
            ResultLine(semester=1, code="MAT101", name_en="Calculus", name_kk="Математикалық талдау", credits=5,
                       attempt=2, percent=72, letter="C+", points=2.33),
            ResultLine(semester=2, code="HIS102", name_en="History of Kazakhstan", name_kk="Қазақстан тарихы",
                       credits=6, percent=77, letter="B-", points=2.67),
        ]  # fmt: skip

    results.RESULT_SOURCES.append(source)
    yield
    results.RESULT_SOURCES.remove(source)


def issue(api: Api, kind: str, student_id: int, language: str = "en", **extra: Any) -> dict[str, Any]:
    return api.create("/documents", kind=kind, student_id=student_id, language=language, **extra)


def test_codes_are_random_and_not_sequential() -> None:
    codes = [new_code() for _ in range(3000)]
    assert len(set(codes)) == len(codes)
    for code in codes[:50]:
        assert len(code) == 14 and code[4] == code[9] == "-"
        assert set(code.replace("-", "")) <= set(CODE_ALPHABET)
    for position in (0, 5, 13):  # every position spreads over the whole alphabet
        assert {c[position] for c in codes} == set(CODE_ALPHABET)
    assert normal_code(" abcd-efgh-jklo ") == "ABCD-EFGH-JK10"


def test_certificate_of_study_in_three_languages(on_day: Flask, api: Api, student_body: Body) -> None:
    today = dt.date.today()
    student = api.create("/students", **student_body())  # on record (status history) from today
    before = (today - dt.timedelta(days=1)).isoformat()
    errors = api.fails("POST", "/documents", 409, {"kind": "study_certificate", "student_id": student["id"],
                                                   "language": "en", "on": before})  # fmt: skip
    assert f"not yet a student on {before}" in errors["on"]
    certificate = issue(api, "study_certificate", student["id"], "kk", on=today.isoformat())
    assert certificate["number"] == f"SC-{today.year}-000001" and certificate["issued_on"] == today.isoformat()
    year = min(4, today.year - 2025 + (today.month >= 9))
    assert certificate["data"]["year_of_study"] == year and certificate["data"]["on"] == today.isoformat()
    text = pdf_text(api.client.get(f"/api/documents/{certificate['id']}/pdf").data)
    assert "Оқу орнынан анықтама" in text and "Дала университеті" in text
    assert "Nurlanov Arman" in text and today.isoformat() in text and "күндізгі" in text
    assert certificate["code"] in text and certificate["number"] in text
    russian = issue(api, "study_certificate", student["id"], "ru")
    assert russian["number"] == f"SC-{today.year}-000002" and russian["code"] != certificate["code"]
    text = pdf_text(api.client.get(f"/api/documents/{russian['id']}/pdf").data)
    assert "Справка с места учёбы" in text and "государственный образовательный грант" in text
    assert today.isoformat() in text  # 'on' defaults to the day of issue
    after = (today + dt.timedelta(days=1)).isoformat()
    errors = api.fails("POST", "/documents", 422, {"kind": "study_certificate", "student_id": student["id"],
                                                   "language": "en", "on": after})  # fmt: skip
    assert "in the future" in errors["on"]
    assert "only for a study_certificate" in api.fails("POST", "/documents", 422, {
        "kind": "transcript", "student_id": student["id"], "language": "en", "on": "2026-03-01"})[None]  # fmt: skip
    assert "no student" in api.fails("POST", "/documents", 422, {"kind": "transcript", "student_id": 999,
                                                                 "language": "en"})["student_id"]  # fmt: skip


def test_transcript_pdf_lists_every_discipline(on_day: Flask, graded: None, api: Api, student_body: Body) -> None:
    student = api.create("/students", **student_body())
    transcript = issue(api, "transcript", student["id"], "en")
    data = transcript["data"]["transcript"]
    assert data["gpa_display"] == "2.98" and data["earned_credits"] == 16 and data["retakes"] == 1
    text = pdf_text(api.client.get(f"/api/documents/{transcript['id']}/pdf").data)
    for expected in ("Academic transcript", "Steppe University", "Programming", "PRG101", "History of Kazakhstan",
                     "C+", "2.33", "B-", "GPA: 2.98", "Credits earned: 16"):  # fmt: skip
        assert expected in " ".join(text.split()), expected
    kazakh = pdf_text(api.client.get(f"/api/documents/{issue(api, 'transcript', student['id'], 'kk')['id']}/pdf").data)
    assert "Академиялық транскрипт" in kazakh and "Қазақстан тарихы" in kazakh and "Бағдарламалау" in kazakh


def test_who_gets_which_document(on_day: Flask, graded: None, api: Api, student_body: Body) -> None:
    active = api.create("/students", **student_body(1))
    expelled = api.create("/students", **student_body(2, status="expelled"))
    graduated = api.create("/students", **student_body(3, status="graduated"))
    assert "academic certificate is for a student who left" in api.fails("POST", "/documents", 409, {
        "kind": "academic_certificate", "student_id": active["id"], "language": "en"})[None]  # fmt: skip
    certificate = issue(api, "academic_certificate", expelled["id"], "ru")
    text = pdf_text(api.client.get(f"/api/documents/{certificate['id']}/pdf").data)
    assert "Академическая справка" in text and "Ректор" in text and "Программирование" in text
    api.fails("POST", "/documents", 409, {"kind": "student_card", "student_id": expelled["id"], "language": "en"})
    api.fails("POST", "/documents", 409, {"kind": "study_certificate", "student_id": graduated["id"],
                                          "language": "en"})  # fmt: skip
    api.fails("POST", "/documents", 409, {"kind": "diploma_supplement", "student_id": active["id"], "language": "en"})
    supplement = issue(api, "diploma_supplement", graduated["id"], "en")
    sections = supplement["data"]["sections"]
    assert len(sections) == 8 and sections["4_contents_and_results"]["gpa"] == "2.98"
    assert sections["4_contents_and_results"]["with_honours"] is False
    assert "Diploma supplement" in pdf_text(api.client.get(f"/api/documents/{supplement['id']}/pdf").data)


def test_student_card_with_photo_place_and_qr(on_day: Flask, api: Api, student_body: Body) -> None:
    student = api.create("/students", **student_body())
    card = issue(api, "student_card", student["id"], "kk")
    assert card["data"]["valid_until"] == "2029-08-31"  # admitted 2025, 240 credits: 4 years
    pdf = api.client.get(f"/api/documents/{card['id']}/pdf").data
    text = pdf_text(pdf)
    assert "Студенттік билет" in text and "Фото 3x4" in text and card["code"] in text
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    fields = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in info.splitlines())}
    assert fields["Pages"] == "1" and fields["Page size"].startswith("242.6")  # 85.6 mm = 242.6 pt wide


def test_verification_reveals_only_genuineness(on_day: Flask, api: Api, student_body: Body,
                                               anonymous: FlaskClient) -> None:  # fmt: skip
    student = api.create("/students", **student_body())
    document = issue(api, "student_card", student["id"])
    good = anonymous.get(f"/api/verify?number={document['number']}&code={document['code'].lower()}")
    assert good.status_code == 200 and good.json == {"genuine": True}
    wrong = anonymous.get(f"/api/verify?number={document['number']}&code=AAAA-BBBB-CCCC")
    unknown = anonymous.get(f"/api/verify?number={document['number'][:-3]}999&code=AAAA-BBBB-CCCC")
    assert wrong.json == unknown.json == {"genuine": False}
    page = anonymous.get(f"/verify?number={document['number']}&code={document['code']}")
    assert page.status_code == 200 and b"Genuine" in page.data
    assert b"Not confirmed" in anonymous.get("/verify?number=X&code=Y").data
    revoked = api.client.post(f"/api/documents/{document['id']}/revoke", json={"reason": "lost, reissued"})
    assert revoked.status_code == 200 and revoked.json["revoked_reason"] == "lost, reissued"
    after = anonymous.get(f"/api/verify?number={document['number']}&code={document['code']}", environ_base={
        "REMOTE_ADDR": "10.0.0.9"})  # fmt: skip
    assert after.json == {"genuine": False}
    api.fails("POST", f"/documents/{document['id']}/revoke", 409, {"reason": "again"})


def test_verification_is_rate_limited(on_day: Flask, api: Api, student_body: Body, anonymous: FlaskClient) -> None:
    student = api.create("/students", **student_body())
    document = issue(api, "student_card", student["id"])
    number, code = document["number"], document["code"]
    for _ in range(5):  # five wrong guesses from one address
        assert anonymous.get(f"/api/verify?number={number}&code=0000-0000-0000").json == {"genuine": False}
    # The number is now locked for everyone for the window, even with the right code.
    other = anonymous.get(f"/api/verify?number={number}&code={code}", environ_base={"REMOTE_ADDR": "10.1.1.1"})
    assert other.status_code == 429 and int(other.headers["Retry-After"]) > 3000
    assert "too many failed checks of this number" in other.json["errors"][0]["message"]
    # Per address: 10 checks in 10 minutes, then 429 for any number.
    for i in range(5):
        anonymous.get(f"/api/verify?number=SC-2026-00000{i}&code=X")
    limited = anonymous.get(f"/api/verify?number=TR-2026-000001&code={code}")
    assert limited.status_code == 429 and "from your address" in limited.json["errors"][0]["message"]
    assert anonymous.get("/verify?number=TR-2026-000001&code=X").status_code == 429
    # Attempts older than the windows no longer count.
    with on_day.app_context():
        session = db.session()
        for attempt in session.query(VerificationAttempt):
            attempt.at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
        session.commit()
    assert anonymous.get(f"/api/verify?number={number}&code={code}").json == {"genuine": True}


def test_who_sees_documents(on_day: Flask, api: Api, student_body: Body, client_as: Callable[..., FlaskClient]) -> None:
    mine = api.create("/students", **student_body(1))
    theirs = api.create("/students", **student_body(2))
    own = issue(api, "study_certificate", mine["id"])
    other = issue(api, "study_certificate", theirs["id"])
    student = Api(client_as("student", student_id=mine["id"]))
    assert [d["id"] for d in student.get("/documents")["items"]] == [own["id"]]
    assert student.client.get(f"/api/documents/{own['id']}/pdf").status_code == 200
    student.fails("GET", f"/documents/{other['id']}", 403)
    student.fails("GET", f"/documents/{other['id']}/pdf", 403)
    student.fails("POST", "/documents", 403, {"kind": "student_card", "student_id": mine["id"], "language": "en"})
    archivist = Api(client_as("archivist"))
    assert archivist.get("/documents")["total"] == 2
    archivist.fails("POST", "/documents", 403, {})
    logged = api.get(f"/audit?entity=issued_documents&entity_id={own['id']}")["items"]
    assert {e["field"] for e in logged} >= {"number", "kind", "student_id"} and "code" not in {
        e["field"] for e in logged
    }


def test_transcript_from_the_grade_sheets(campus: Campus, api: Api) -> None:
    """PRG: RK 90, exam 100 -> 0.6 x 90 + 0.4 x 100 = 94 -> A- (3.67, 6 credits); MATH: 80, 70 -> 48 + 28 = 76 ->
    B- (2.67, 5); HIST: 60, 60 -> 60 -> C- (1.67, 5). GPA (22.02 + 13.35 + 8.35) / 16 = 2.7325 -> 2.73."""
    student = campus.student()
    registration = campus.confirmed(student)
    campus.grade(registration, "PRG", 90, 100)
    campus.grade(registration, "MATH", 80, 70)
    campus.grade(registration, "HIST", 60, 60)
    transcript = issue(api, "transcript", student["id"], "en")["data"]["transcript"]
    assert [(line["code"], line["letter"], line["percent"]) for line in transcript["lines"]] == [
        ("HIST", "C-", 60), ("MATH", "B-", 76), ("PRG", "A-", 94)]  # fmt: skip
    assert transcript["gpa_display"] == "2.73" and transcript["earned_credits"] == 16
