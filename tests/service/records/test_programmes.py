"""Programmes, study plans and plan disciplines: codes and levels, credits, semesters, uniqueness."""

from __future__ import annotations

from typing import Any

import pytest
from service_testing import Api

Org = dict[str, dict[str, Any]]


def programme(org: Org, **changes: Any) -> dict[str, Any]:
    body = {"code": "7M06101", "name_en": "Computer Science", "level": "master", "faculty_id": org["faculty"]["id"]}
    return body | changes


def test_programme_default_credits_by_level(api: Api, org: Org) -> None:
    master = api.create("/programmes", **programme(org))
    assert master["credits"] == 120 and master["department_id"] is None
    doctor = api.create("/programmes", **programme(org, code="8D06101", level="doctorate"))
    assert doctor["credits"] == 180
    medicine = api.create("/programmes", **programme(org, code="6B10101", level="bachelor", credits=300))
    assert medicine["credits"] == 300
    assert api.get(f"/programmes/{master['id']}") == master
    assert {p["code"] for p in api.get("/programmes?level=bachelor")["items"]} == {"6B06101", "6B10101"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "6B0610"}, "code"),
        ({"code": "5B070300"}, "code"),
        ({"code": "6B06101", "level": "master"}, "level"),
        ({"level": "specialist"}, "level"),
        ({"credits": 0}, "credits"),
        ({"credits": "240"}, "credits"),
        ({"faculty_id": 999}, "faculty_id"),
        ({"department_id": 999}, "department_id"),
    ],
)
def test_programme_field_errors(api: Api, org: Org, changes: dict[str, Any], field: str) -> None:
    assert set(api.fails("POST", "/programmes", 422, programme(org, **changes))) == {field}


def test_programme_department_of_another_faculty(api: Api, org: Org) -> None:
    other = api.create("/faculties", code="FEN", name_en="Engineering")
    errors = api.fails("POST", "/programmes", 422, programme(org, faculty_id=other["id"],
                                                            department_id=org["department"]["id"]))  # fmt: skip
    assert "another faculty" in errors["department_id"]


def test_programme_conflicts_and_update(api: Api, org: Org) -> None:
    assert api.fails("POST", "/programmes", 409, programme(org, code="6B06101", level="bachelor")) == {
        "code": "a programme with code 6B06101 already exists"
    }
    changed = api.patch(f"/programmes/{org['programme']['id']}", name_ru="Информатика", credits=250)
    assert changed["name_ru"] == "Информатика" and changed["credits"] == 250
    assert "level" in api.fails("PATCH", f"/programmes/{org['programme']['id']}", 422, {"level": "master"})
    assert "programmes" in api.fails("DELETE", f"/departments/{org['department']['id']}", 409)[None]


def test_study_plan_with_disciplines(api: Api, org: Org) -> None:
    plan = api.create("/study-plans", programme_id=org["programme"]["id"], admission_year=2025, title="CS 2025")
    assert plan["disciplines"] == [] and plan["total_credits"] == 0
    body = {"plan_id": plan["id"], "semester": 1, "code": "PRG1101", "name_en": "Programming", "credits": 5,
            "control": "exam"}  # fmt: skip
    first = api.create("/plan-disciplines", **body)
    assert first["component"] == "compulsory"
    api.create("/plan-disciplines", **body | {"semester": 2, "control": "course_work", "credits": 6})
    api.create("/plan-disciplines", **body | {"code": "PE1101", "name_en": "Physical Education",
                                              "control": "differentiated_credit", "component": "elective"})  # fmt: skip
    stored = api.get(f"/study-plans/{plan['id']}")
    assert stored["total_credits"] == 16
    order = [(d["semester"], d["code"]) for d in stored["disciplines"]]
    assert order == [(1, "PE1101"), (1, "PRG1101"), (2, "PRG1101")]
    assert api.get(f"/plan-disciplines?plan_id={plan['id']}&semester=1&control=exam")["total"] == 1
    assert api.fails("POST", "/plan-disciplines", 409, body) == {
        "code": f"a study plan discipline with plan_id {plan['id']} and semester 1 and code PRG1101 already exists"
    }
    assert set(api.fails("POST", "/plan-disciplines", 422, body | {"semester": 9})) == {"semester"}
    assert set(api.fails("POST", "/plan-disciplines", 422, body | {"semester": 13})) == {"semester"}
    assert set(api.fails("POST", "/plan-disciplines", 422, body | {"control": "essay", "credits": 0})) == {
        "control",
        "credits",
    }
    assert api.patch(f"/plan-disciplines/{first['id']}", credits=6)["credits"] == 6
    again = {"programme_id": org["programme"]["id"], "admission_year": 2025}
    assert set(api.fails("POST", "/study-plans", 409, again)) == {"admission_year"}
    assert api.patch(f"/study-plans/{plan['id']}", title="CS, admitted 2025")["title"] == "CS, admitted 2025"
    assert set(api.fails("POST", "/study-plans", 422, {"programme_id": 999, "admission_year": 1800})) == {
        "admission_year"
    }
    # A plan and its disciplines go together.
    assert api.client.delete(f"/api/study-plans/{plan['id']}").status_code == 204
    assert api.get("/plan-disciplines")["total"] == 0
