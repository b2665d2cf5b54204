"""Graduation lists, honours, rankings and GPA statistics with a chart, from the registered result sources
(SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from campus import Campus
from flask.testing import FlaskClient
from service_testing import Api

from models.transcript import ResultLine
from service.documents import results

Body = Callable[..., dict[str, Any]]
LETTERS = {1: ["A", "A-"], 2: ["A", "C+", "A", "A"], 3: ["B", "B"], 4: ["A", "A-"]}
"""Student serial -> letters of 5-credit disciplines. 1: GPA 3.835, honours; 2: (60 + 11.65) / 20 = 3.5825 but a
C+, no honours; 3: 3.0; 4: the same as 1 (a tie)."""
POINTS = {"A": 4.0, "A-": 3.67, "B": 3.0, "C+": 2.33}


@pytest.fixture
def graded() -> Iterator[dict[int, int]]:
    serial_of: dict[int, int] = {}

    def source(_db: Any, student: Any) -> list[ResultLine]:
        letters = LETTERS.get(serial_of.get(student.id, 0), [])
        return [ResultLine(semester=1, code=f"D{i}", name_en=f"Discipline {i}", credits=5, letter=letter,
                           points=POINTS[letter]) for i, letter in enumerate(letters)]  # fmt: skip

    results.RESULT_SOURCES.append(source)
    yield serial_of
    results.RESULT_SOURCES.remove(source)


def test_graduates_honours_ranks_and_statistics(api: Api, student_body: Body, graded: dict[int, int],
                                                client_as: Callable[..., FlaskClient]) -> None:  # fmt: skip
    for serial in (1, 2, 3, 4):
        student = api.create("/students", **student_body(serial, last_name=f"Student{serial}", status="graduated"))
        graded[student["id"]] = serial
    active = api.create("/students", **student_body(5, last_name="Active"))
    graded[active["id"]] = 3
    graduates = api.get("/graduation/graduates")["items"]
    by_name = {g["full_name"].split()[0]: g for g in graduates}
    assert [g["full_name"].split()[0] for g in graduates] == ["Student1", "Student4", "Student2", "Student3"]
    assert (by_name["Student1"]["rank"], by_name["Student4"]["rank"], by_name["Student2"]["rank"],
            by_name["Student3"]["rank"]) == (1, 1, 3, 4)  # fmt: skip
    assert by_name["Student1"]["gpa_display"] == "3.84" and by_name["Student1"]["with_honours"] is True
    assert by_name["Student2"]["gpa_display"] == "3.58" and by_name["Student2"]["with_honours"] is False
    honours = api.get("/graduation/graduates?honours=true")["items"]
    assert {h["full_name"].split()[0] for h in honours} == {"Student1", "Student4"}
    ranking = api.get("/graduation/ranking")["items"]
    assert [r["student_id"] for r in ranking] == [active["id"]] and ranking[0]["rank"] == 1
    stats = api.get("/graduation/statistics")["programmes"][0]
    assert (stats["students"], stats["with_honours"], stats["highest"]) == (4, 2, pytest.approx(3.835))
    assert stats["median"] == pytest.approx((3.5825 + 3.835) / 2)
    chart = api.client.get("/api/graduation/statistics.png")
    assert chart.status_code == 200 and chart.mimetype == "image/png" and chart.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert api.get("/graduation/graduates?year=1990")["total"] == 0
    Api(client_as("vice_rector")).get("/graduation/graduates")
    Api(client_as("archivist")).fails("GET", "/graduation/graduates", 403)


def test_graduation_ranking_agrees_with_the_api_rankings(campus: Campus, api: Api) -> None:
    """``/graduation/ranking`` (transcripts) and ``/rankings`` (SQL over the enrolments) rank a programme by the
    same GPA, with the same ranks and the same order of a tie (last name, first name, id): a retake replacing
    an FX, a tie between namesakes where the lower id has a middle name, a student without grades."""
    namesake = campus.student("Abenov", middle_name="Serikovich")
    plain = campus.student("Abenov")
    retaker, idle, kim = campus.student("Dosanov"), campus.student("Omarov"), campus.student("Kim", first_name="Dana")
    marks = {namesake["id"]: (85, 85), plain["id"]: (85, 85), retaker["id"]: (90, 90), kim["id"]: (70, 75)}
    forms = {s["id"]: campus.confirmed(s) for s in (namesake, plain, retaker, idle, kim)}
    for student_id, (rk, exam) in marks.items():
        for code in ("PRG", "MATH", "HIST"):
            failing = student_id == retaker["id"] and code == "PRG"
            campus.grade(forms[student_id], code, 80 if failing else rk, 40 if failing else exam)
    campus.on("2026-01-20")
    spring = campus.confirmed(retaker, "spring", "PRG")
    campus.on("2026-05-20")
    campus.marks(campus.section_of(spring, "PRG"), {"enrolment_id": campus.enrolment_of(spring, "PRG"), "exam": 80})

    programme = campus.org["programme"]["id"]
    sql = api.get(f"/rankings?scope=programme&programme_id={programme}")["items"]
    transcripts = [r for r in api.get(f"/graduation/ranking?programme_id={programme}")["items"] if r["rank"]]
    assert [(r["student_id"], r["rank"], r["gpa"], r["gpa_display"]) for r in sql] == [
        (r["student_id"], r["rank"], r["gpa"], r["gpa_display"]) for r in transcripts
    ]
    assert [r["student_id"] for r in sql] == [retaker["id"], namesake["id"], plain["id"], kim["id"]]
    assert [r["rank"] for r in sql] == [1, 2, 2, 4]
    assert idle["id"] not in {r["student_id"] for r in sql}


def test_honours_rule_is_stored_and_versioned(api: Api, student_body: Body, graded: dict[int, int],
                                              client_as: Callable[..., FlaskClient]) -> None:  # fmt: skip
    for serial in (1, 2):
        student = api.create("/students", **student_body(serial, last_name=f"Student{serial}", status="graduated"))
        graded[student["id"]] = serial
    default = api.get("/graduation/honours-rule")
    assert default["version"] is None and default["rule"] == {"min_gpa": 3.5, "max_retakes": 0, "lowest_letter": "B-"}
    honoured = {g["full_name"].split()[0] for g in api.get("/graduation/graduates?honours=true")["items"]}
    assert honoured == {"Student1"}
    path = "/graduation/honours-rule"
    assert (
        "not a letter of the grading scale"
        in api.fails("POST", path, 422, {"rule": {"min_gpa": 3.5, "lowest_letter": "Q"}, "reason": "council"})[
            "rule.lowest_letter"
        ]
    )
    assert (
        "above the highest grade points"
        in api.fails("POST", path, 422, {"rule": {"min_gpa": 4.5}, "reason": "council"})["rule.min_gpa"]
    )
    api.fails("POST", path, 422, {"rule": {"min_gpa": 3.5}})  # a reason is required
    Api(client_as("vice_rector")).fails("POST", path, 403, {"rule": {"min_gpa": 3.5}, "reason": "x"})
    changed = api.client.post(f"/api{path}", json={"rule": {"min_gpa": 3.5, "max_retakes": 0, "lowest_letter": None},
                                                   "reason": "academic council, minutes 7"})  # fmt: skip
    assert changed.status_code == 201, changed.json
    assert changed.json["version"] is not None and changed.json["changed_by"] == "registrar-test"
    honoured = {g["full_name"].split()[0] for g in api.get("/graduation/graduates?honours=true")["items"]}
    assert honoured == {"Student1", "Student2"}  # a C+ no longer excludes honours
    assert Api(client_as("vice_rector")).get(path)["rule"]["lowest_letter"] is None
