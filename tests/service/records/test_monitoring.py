"""Calendar monitoring: overdue grade sheets per control (deadlines, reopenings, filters) and students not
admitted to the exam; the teacher sees only their sections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from campus import Campus
from flask.testing import FlaskClient
from service_testing import Api


@pytest.fixture
def sheet(campus: Campus, api: Api) -> dict[str, Any]:
    """Two students confirmed in autumn; PRG taught by the advisor teacher; RK1 of the first one entered."""
    first = campus.confirmed(campus.student("Abenov"))
    second = campus.confirmed(campus.student("Beisenov"))
    section = campus.section_of(first, "PRG")
    api.patch(f"/sections/{section}", teacher_id=campus.advisor["id"])
    campus.on("2025-10-20")
    campus.marks(section, {"enrolment_id": campus.enrolment_of(first, "PRG"), "current1": 70, "midterm1": 70})
    return {"section": section, "first": first, "second": second}


def overdue(api: Api, query: str = "") -> list[tuple[str, str, int]]:
    items = api.get(f"/monitoring/overdue-sheets?per_page=200{query}")["items"]
    return [(o["code"], o["control"], o["missing"]) for o in items]


def test_nothing_is_overdue_before_the_deadline(campus: Campus, api: Api, sheet: dict[str, Any]) -> None:
    assert overdue(api, "&as_of=2025-10-25") == []


def test_overdue_per_control_and_reopening(campus: Campus, api: Api, sheet: dict[str, Any]) -> None:
    after = overdue(api, "&as_of=2025-10-26")
    assert ("PRG", "rk1", 1) in after and ("MATH", "rk1", 2) in after and len(after) == 3  # PRG, MATH, HIST
    campus.on("2025-10-26")
    item = api.get("/monitoring/overdue-sheets?control=rk1&teacher_id=" + str(campus.advisor["id"]))["items"]
    assert [(o["code"], o["deadline"], o["days_overdue"], o["students"]) for o in item] == [("PRG", "2025-10-25", 1, 2)]
    api.post(f"/sections/{sheet['section']}/reopenings", 201, control="rk1", until="2025-10-28", reason="memo")
    assert ("PRG", "rk1", 1) not in overdue(api, "&as_of=2025-10-27")
    later = api.get("/monitoring/overdue-sheets?as_of=2025-10-30&control=rk1&per_page=1")
    assert later["total"] == 3 and later["items"][0]["open_until"] == "2025-10-25"
    reopened = [o for o in api.get("/monitoring/overdue-sheets?as_of=2025-10-30&control=rk1")["items"]
                if o["section_id"] == sheet["section"]]  # fmt: skip
    assert reopened[0]["open_until"] == "2025-10-28" and reopened[0]["days_overdue"] == 2
    other_faculty = api.create("/faculties", code="FEN", name_en="Engineering")
    assert overdue(api, f"&as_of=2025-10-30&faculty_id={other_faculty['id']}") == []
    assert len(overdue(api, f"&as_of=2025-10-30&faculty_id={campus.org['faculty']['id']}&control=rk1")) == 3


def test_exam_is_overdue_only_for_admitted_students(campus: Campus, api: Api, sheet: dict[str, Any]) -> None:
    first, second = sheet["first"], sheet["second"]
    campus.grade(first, "MATH", 80, None)  # admitted, exam not entered
    campus.grade(second, "MATH", 30, None)  # not admitted: no exam due
    math = [o for o in api.get("/monitoring/overdue-sheets?as_of=2026-01-04&control=exam")["items"]
            if o["code"] == "MATH"]  # fmt: skip
    assert [(o["missing"], o["students"]) for o in math] == [(1, 2)]


def test_a_teacher_sees_only_their_sections(campus: Campus, api: Api, sheet: dict[str, Any],
                                            client_as: Callable[..., FlaskClient]) -> None:  # fmt: skip
    teacher = Api(client_as("teacher", teacher_id=campus.advisor["id"]))
    codes = {o["code"] for o in teacher.get("/monitoring/overdue-sheets?as_of=2025-10-30")["items"]}
    assert codes == {"PRG"}
    other = api.create("/teachers", code="Kim_DS", last_name="Kim", first_name="Dana")
    stranger = Api(client_as("teacher", teacher_id=other["id"]))
    assert stranger.get(f"/monitoring/overdue-sheets?as_of=2025-10-30&teacher_id={campus.advisor['id']}")["total"] == 0
    Api(client_as("student", student_id=campus.students[0]["id"])).fails("GET", "/monitoring/not-admitted", 403)


def test_not_admitted(campus: Campus, api: Api, sheet: dict[str, Any], client_as: Callable[..., FlaskClient]) -> None:
    section, first, second = sheet["section"], sheet["first"], sheet["second"]
    campus.marks(section, {"enrolment_id": campus.enrolment_of(second, "PRG"), "current1": 49.99, "midterm1": 49.99})
    campus.grade(first, "MATH", 40, None)
    items = api.get("/monitoring/not-admitted")["items"]
    assert [(i["last_name"], i["code"], i["rk1"], i["rk2"]) for i in items] == [
        ("Abenov", "MATH", 40.0, 40.0), ("Beisenov", "PRG", 49.99, None)
    ] or [(i["last_name"], i["code"], i["rk1"], i["rk2"]) for i in items] == [
        ("Beisenov", "PRG", 49.99, None), ("Abenov", "MATH", 40.0, 40.0)
    ]  # fmt: skip
    assert all(i["minimum"] == 50 for i in items)
    assert [i["code"] for i in api.get(f"/monitoring/not-admitted?section_id={section}")["items"]] == ["PRG"]
    teacher = Api(client_as("teacher", teacher_id=campus.advisor["id"]))
    assert [i["last_name"] for i in teacher.get("/monitoring/not-admitted")["items"]] == ["Beisenov"]
    assert api.get(f"/monitoring/not-admitted?group_id={campus.group['id']}&period_id="
                   f"{campus.periods['spring']['id']}")["total"] == 0  # fmt: skip
