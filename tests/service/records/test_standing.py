"""The electronic record book, GPA per period and cumulative, rankings and the transfer list, through the API;
every GPA recomputed independently with models.grading."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from campus import Campus
from flask.testing import FlaskClient
from service_testing import Api

from models.grading import display_gpa, gpa


def grade_all(campus: Campus, registration: dict[str, Any], marks: dict[str, tuple[float, float | None]],
              period: str = "autumn") -> None:  # fmt: skip
    for code, (rk, exam) in marks.items():
        campus.grade(registration, code, rk, exam, period)


def test_record_book_with_a_retake(campus: Campus, api: Api) -> None:
    student = campus.student()
    autumn = campus.confirmed(student, "autumn", "ELA")
    # PRG FX (0 x 6), MATH 90 -> A- (3.67 x 5), HIST 70 -> C+ (2.33 x 5), ELA 60 -> C- (1.67 x 5)
    grade_all(campus, autumn, {"PRG": (80, 40), "MATH": (90, 90), "HIST": (70, 70), "ELA": (60, 60)})
    book = api.get(f"/students/{student['id']}/record-book")
    first = book["periods"][0]
    expected = gpa([(0, 6), (3.67, 5), (2.33, 5), (1.67, 5)])
    assert (first["academic_year"], first["kind"], first["credits_graded"]) == ("2025/2026", "autumn", 21)
    assert first["gpa"] == expected == first["cumulative_gpa"]
    assert first["gpa_display"] == display_gpa(expected) == "1.83"
    assert {e["code"]: e["letter"] for e in first["entries"]} == {"PRG": "FX", "MATH": "A-", "HIST": "C+", "ELA": "C-"}
    prg = next(e for e in first["entries"] if e["code"] == "PRG")
    assert (prg["rk1"], prg["rk2"], prg["final_percent"], prg["outcome"]) == (80.0, 80.0, 64.0, "fx_retake_exam")
    assert [(d["code"], d["failures"], d["retake_status"], d["retake_enrolment_id"]) for d in book["debts"]] == [
        ("PRG", 1, "retake", None)
    ]
    assert book["credits_earned"] == 15
    campus.on("2026-01-20")
    spring = campus.confirmed(student, "spring", "PRG")
    pending = api.get(f"/students/{student['id']}/record-book")["debts"]
    assert pending[0]["retake_enrolment_id"] == campus.enrolment_of(spring, "PRG")
    campus.on("2026-05-20")
    campus.marks(campus.section_of(spring, "PRG"), {"enrolment_id": campus.enrolment_of(spring, "PRG"), "exam": 80})
    grade_all(campus, spring, {"DB": (95, 95), "OS": (50, 50), "ALG": (85, 85)}, "spring")
    book = api.get(f"/students/{student['id']}/record-book")
    autumn_period, spring_period = book["periods"]
    assert autumn_period["gpa"] == expected  # the period keeps its FX
    counted = {(p["kind"], e["code"]): e["counted"] for p in book["periods"] for e in p["entries"]}
    assert counted["autumn", "PRG"] is False and counted["spring", "PRG"] is True and counted["autumn", "MATH"]
    spring_gpa = gpa([(4.0, 6), (1.0, 5), (3.33, 5), (3.0, 6)])  # DB A, OS D, ALG B+, PRG retake 80 -> B
    assert spring_period["gpa"] == spring_gpa
    cumulative = gpa([(3.67, 5), (2.33, 5), (1.67, 5), (4.0, 6), (1.0, 5), (3.33, 5), (3.0, 6)])
    assert spring_period["cumulative_gpa"] == cumulative == book["gpa"]
    assert book["debts"] == [] and book["credits_earned"] == 15 + 22


def test_record_book_access(campus: Campus, api: Api, client_as: Callable[..., FlaskClient]) -> None:
    mine, other = campus.student("Abenov"), campus.student("Beisenov")
    me = Api(client_as("student", student_id=mine["id"]))
    assert me.get(f"/students/{mine['id']}/record-book")["periods"] == []
    me.fails("GET", f"/students/{other['id']}/record-book", 403)
    advisor = Api(client_as("advisor", teacher_id=campus.advisor["id"]))
    assert advisor.get(f"/students/{other['id']}/record-book")["student_id"] == other["id"]
    kim = api.create("/teachers", code="Kim_DS", last_name="Kim", first_name="Dana")
    Api(client_as("teacher", teacher_id=kim["id"])).fails("GET", f"/students/{mine['id']}/record-book", 403)
    api.fails("GET", "/students/999999/record-book", 404)


@pytest.fixture
def three(campus: Campus) -> list[dict[str, Any]]:
    """Three students of the group graded in autumn: GPA 4.0, 3.0 and 3.0 (a tie)."""
    students = [campus.student("Abenov"), campus.student("Beisenov"), campus.student("Dosanov")]
    registrations = [campus.confirmed(s) for s in students]
    for registration, (rk, exam) in zip(registrations, [(95, 95), (80, 80), (80, 80)], strict=True):
        grade_all(campus, registration, {code: (rk, exam) for code in ("PRG", "MATH", "HIST")})
    return students


def test_rankings_with_a_tie(campus: Campus, api: Api, three: list[dict[str, Any]]) -> None:
    for query in (f"scope=group&group_id={campus.group['id']}",
                  f"scope=programme&programme_id={campus.org['programme']['id']}",
                  f"scope=year&year_of_study=1&academic_year_id={campus.year['id']}",
                  f"scope=group&group_id={campus.group['id']}&period_id={campus.periods['autumn']['id']}"):  # fmt: skip
        ranking = api.get(f"/rankings?{query}")
        assert [(r["last_name"], r["rank"], r["gpa_display"]) for r in ranking["items"]] == [
            ("Abenov", 1, "4.00"), ("Beisenov", 2, "3.00"), ("Dosanov", 2, "3.00")
        ], query  # fmt: skip
        assert ranking["total"] == 3 and ranking["items"][0]["credits"] == 16
    assert api.get(f"/rankings?scope=year&year_of_study=2&academic_year_id={campus.year['id']}")["total"] == 0
    assert api.get(f"/rankings?scope=group&group_id={campus.group['id']}&period_id="
                   f"{campus.periods['spring']['id']}")["total"] == 0  # fmt: skip
    page = api.get(f"/rankings?scope=group&group_id={campus.group['id']}&per_page=2&page=2")
    assert [r["last_name"] for r in page["items"]] == ["Dosanov"]


@pytest.mark.parametrize(
    ("query", "field"),
    [("scope=group", "group_id"), ("scope=group&group_id=999999", "group_id"), ("scope=year", "year_of_study"),
     ("scope=programme&programme_id=0", "programme_id"), ("scope=group&group_id=1&period_id=999999", "period_id"),
     ("scope=year&year_of_study=1&academic_year_id=999999", "academic_year_id"), ("scope=class", "scope")],
)  # fmt: skip
def test_ranking_query_errors(api: Api, org: dict[str, dict[str, Any]], query: str, field: str) -> None:
    assert field in api.fails("GET", f"/rankings?{query}", 422)


def test_an_advisor_sees_only_their_groups_ranking(campus: Campus, client_as: Callable[..., FlaskClient],
                                                    three: list[dict[str, Any]]) -> None:  # fmt: skip
    advisor = Api(client_as("advisor", teacher_id=campus.advisor["id"]))
    assert advisor.get(f"/rankings?scope=group&group_id={campus.group['id']}")["total"] == 3
    advisor.fails("GET", f"/rankings?scope=programme&programme_id={campus.org['programme']['id']}", 403)
    Api(client_as("student", student_id=three[0]["id"])).fails("GET", "/rankings?scope=group&group_id=1", 403)


def test_transfer_list(campus: Campus, api: Api) -> None:
    weak, debtor, good, idle = (campus.student(n) for n in ("Abenov", "Beisenov", "Dosanov", "Omarov"))
    forms = {s["last_name"]: campus.confirmed(s) for s in (weak, debtor, good, idle)}  # Omarov: never graded
    grade_all(campus, forms["Abenov"], {c: (50, 50) for c in ("PRG", "MATH", "HIST")})  # all D: 1.0
    grade_all(campus, forms["Beisenov"], {"PRG": (95, 10), "MATH": (95, 95), "HIST": (95, 95)})
    grade_all(campus, forms["Dosanov"], {c: (95, 95) for c in ("PRG", "MATH", "HIST")})
    listed = api.get(f"/transfer-list?academic_year_id={campus.year['id']}")
    rows = {r["last_name"]: r for r in listed["items"]}
    assert set(rows) == {"Abenov", "Beisenov", "Omarov"}
    assert (rows["Abenov"]["gpa"], rows["Abenov"]["threshold"], rows["Abenov"]["reasons"]) == (1.0, 1.8, ["gpa"])
    debtor_gpa = gpa([(0, 6), (4.0, 5), (4.0, 5)])  # 2.5: above 1.80, but PRG is owed
    debtor = rows["Beisenov"]
    assert (debtor["gpa"], debtor["debts"], debtor["reasons"]) == (debtor_gpa, 1, ["debt"])
    assert (rows["Omarov"]["gpa"], rows["Omarov"]["reasons"]) == (None, ["gpa"])
    only_gpa = api.get(f"/transfer-list?academic_year_id={campus.year['id']}&reason=gpa")["items"]
    assert {r["last_name"] for r in only_gpa} == {"Abenov", "Omarov"}
    assert api.get(f"/transfer-list?academic_year_id={campus.year['id']}&faculty_id=999")["total"] == 0
    assert "academic_year_id" in api.fails("GET", "/transfer-list?academic_year_id=999999", 422)
    assert "academic_year_id" in api.fails("GET", "/transfer-list", 422)


@pytest.mark.parametrize(("threshold", "listed"), [(1.0, False), (1.0001, True)])
def test_transfer_threshold_boundary_from_the_stored_policy(campus: Campus, api: Api, threshold: float,
                                                            listed: bool) -> None:  # fmt: skip
    api.post("/grading-policy", 201, policy={"transfer_thresholds": [{"level": "bachelor", "from_year": 1,
                                                                       "min_gpa": threshold}]},
             reason="council decision 9")  # fmt: skip
    grade_all(campus, campus.confirmed(campus.student()), {c: (50, 50) for c in ("PRG", "MATH", "HIST")})
    rows = api.get(f"/transfer-list?academic_year_id={campus.year['id']}")["items"]
    assert bool(rows) is listed  # GPA exactly 1.0: reaching the threshold is enough
