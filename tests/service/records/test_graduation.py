"""Graduation lists, honours, rankings and GPA statistics with a chart, from the registered result sources
(SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
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
