"""Grade sheets: marks, ratings, admission, results by the stored policy, deadlines and reopenings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from campus import Campus
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from service_testing import Api

from models.grading import GradingPolicy, Rounding


@pytest.fixture
def sheet(campus: Campus) -> dict[str, Any]:
    """A confirmed autumn form of one student; the PRG section and enrolment; today 2025-10-01."""
    registration = campus.confirmed(campus.student())
    campus.on("2025-10-01")
    return {"registration": registration, "section": campus.section_of(registration, "PRG"),
            "enrolment": campus.enrolment_of(registration, "PRG")}  # fmt: skip


def row(answer: dict[str, Any], enrolment: int) -> dict[str, Any]:
    return next(r for r in answer["rows"] if r["enrolment_id"] == enrolment)


def test_sheet_shows_windows_and_rows(campus: Campus, api: Api, sheet: dict[str, Any]) -> None:
    answer = api.get(f"/sections/{sheet['section']}/grade-sheet")
    assert answer["section"]["code"] == "PRG" and answer["section"]["credits"] == 6
    assert [(w["control"], w["deadline"], w["open"]) for w in answer["controls"]] == [
        ("rk1", "2025-10-25", True), ("rk2", "2025-12-13", True), ("exam", "2026-01-03", True)
    ]  # fmt: skip
    first = row(answer, sheet["enrolment"])
    assert first["rk1"] is None and first["admitted"] is None and first["letter"] is None
    assert first["attempt"] == 1 and first["kind"] == "compulsory"
    api.get("/sections/999999/grade-sheet", 404)


def test_ratings_admission_and_result(campus: Campus, api: Api, sheet: dict[str, Any]) -> None:
    section, enrolment = sheet["section"], sheet["enrolment"]
    answer = campus.marks(section, {"enrolment_id": enrolment, "current1": 80, "midterm1": 91.5})
    assert row(answer, enrolment)["rk1"] == 85.75 and row(answer, enrolment)["admitted"] is None
    answer = campus.marks(section, {"enrolment_id": enrolment, "current2": 70, "midterm2": 90})
    graded = row(answer, enrolment)
    assert (graded["rk2"], graded["admission_rating"], graded["admitted"]) == (80.0, 82.875, True)
    assert graded["letter"] is None  # admitted, the exam is still to come
    errors = campus.marks(section, {"enrolment_id": enrolment, "exam": 100.001}, expect=422)
    assert set(errors["errors"][0]) == {"field", "message"} and errors["errors"][0]["field"] == "rows.0.exam"
    graded = row(campus.marks(section, {"enrolment_id": enrolment, "exam": 90}), enrolment)
    # final = 0.6 x 82.875 + 0.4 x 90 = 85.725 -> 86 -> B+
    assert (graded["final_percent"], graded["final_rounded"], graded["letter"], graded["points"]) == (
        85.725, 86, "B+", 3.33,
    )  # fmt: skip
    assert graded["outcome"] == "passed"
    registration = api.get(f"/registrations/{sheet['registration']['id']}")
    assert {e["code"]: e["letter"] for e in registration["enrolments"]}["PRG"] == "B+"


@pytest.mark.parametrize(
    ("current", "midterm", "admitted"),
    [(49.99, 49.99, False), (49.99, 50, False), (50, 50, True), (49.98, 50.02, True)],
)
def test_admission_boundary(
    campus: Campus, sheet: dict[str, Any], current: float, midterm: float, admitted: bool
) -> None:
    section, enrolment = sheet["section"], sheet["enrolment"]
    campus.marks(section, {"enrolment_id": enrolment, "current1": current, "midterm1": midterm,
                           "current2": 90, "midterm2": 90})  # fmt: skip
    answer = campus.api.get(f"/sections/{section}/grade-sheet")
    assert row(answer, enrolment)["admitted"] is admitted
    if admitted:
        assert row(answer, enrolment)["letter"] is None
        return
    assert (row(answer, enrolment)["letter"], row(answer, enrolment)["outcome"]) == ("F", "not_admitted")
    errors = campus.marks(section, {"enrolment_id": enrolment, "exam": 90}, expect=422)["errors"]
    assert errors == [{"field": "rows.0.exam", "message": "an exam mark 90.0 is given but the student is not "
                       "admitted to the exam"}]  # fmt: skip


def test_not_admitted_as_soon_as_one_rating_fails(campus: Campus, sheet: dict[str, Any]) -> None:
    answer = campus.marks(sheet["section"], {"enrolment_id": sheet["enrolment"], "current1": 40, "midterm1": 45})
    assert row(answer, sheet["enrolment"])["admitted"] is False and row(answer, sheet["enrolment"])["letter"] is None


def test_exam_needs_both_ratings(campus: Campus, sheet: dict[str, Any]) -> None:
    campus.marks(sheet["section"], {"enrolment_id": sheet["enrolment"], "current1": 80, "midterm1": 80})
    errors = campus.marks(sheet["section"], {"enrolment_id": sheet["enrolment"], "exam": 80}, expect=422)["errors"]
    assert "admission is not established" in errors[0]["message"]


@pytest.mark.parametrize(
    ("rounding", "letter"), [(Rounding.HALF_UP, "A"), (Rounding.FLOOR, "A-")]
)  # fmt: skip
def test_final_of_94_5_by_the_stored_policy(campus: Campus, api: Api, sheet: dict[str, Any], rounding: Rounding,
                                           letter: str) -> None:  # fmt: skip
    if rounding is Rounding.FLOOR:
        stored = api.post("/grading-policy", 201, policy={"rounding": "floor"}, reason="council decision 12")
        assert stored["version"] is not None and stored["policy"]["rounding"] == "floor"
    section, enrolment = sheet["section"], sheet["enrolment"]
    campus.marks(section, {"enrolment_id": enrolment, "current1": 95, "midterm1": 95, "current2": 95,
                           "midterm2": 95})  # fmt: skip
    graded = row(campus.marks(section, {"enrolment_id": enrolment, "exam": 93.75}), enrolment)
    assert graded["final_percent"] == 94.5 and graded["letter"] == letter  # 0.6 x 95 + 0.4 x 93.75


def test_exam_below_minimum_is_fx(campus: Campus, sheet: dict[str, Any]) -> None:
    section, enrolment = sheet["section"], sheet["enrolment"]
    campus.marks(section, {"enrolment_id": enrolment, "current1": 100, "midterm1": 100, "current2": 100,
                           "midterm2": 100})  # fmt: skip
    graded = row(campus.marks(section, {"enrolment_id": enrolment, "exam": 49.99}), enrolment)
    assert (graded["final_rounded"], graded["letter"], graded["points"], graded["outcome"]) == (
        80, "FX", 0.0, "fx_retake_exam",
    )  # fmt: skip
    graded = row(campus.marks(section, {"enrolment_id": enrolment, "exam": 50}), enrolment)
    assert graded["letter"] == "B"


def test_changing_a_rating_below_admission_needs_the_exam_cleared(campus: Campus, sheet: dict[str, Any]) -> None:
    section, enrolment = sheet["section"], sheet["enrolment"]
    campus.marks(section, {"enrolment_id": enrolment, "current1": 80, "midterm1": 80, "current2": 80,
                           "midterm2": 80, "exam": 80})  # fmt: skip
    errors = campus.marks(section, {"enrolment_id": enrolment, "midterm2": 10}, expect=422)["errors"]
    assert errors[0]["field"] == "rows.0.midterm2" and errors[0]["message"].endswith("clear the exam mark first")
    graded = row(campus.marks(section, {"enrolment_id": enrolment, "midterm2": 10, "exam": None}), enrolment)
    assert (graded["admitted"], graded["letter"], graded["exam"]) == (False, "F", None)


def test_deadlines_and_reopening(campus: Campus, api: Api, sheet: dict[str, Any]) -> None:
    section, enrolment = sheet["section"], sheet["enrolment"]
    campus.on("2025-10-25")  # the RK1 deadline itself
    campus.marks(section, {"enrolment_id": enrolment, "current1": 70, "midterm1": 70})
    campus.on("2025-10-26")
    errors = campus.marks(section, {"enrolment_id": enrolment, "current1": 75}, expect=422)["errors"]
    assert errors == [{"field": "rows.0.current1", "message": "the RK1 grade-entry deadline 2025-10-25 has passed; "
                       "the registrar can reopen the sheet"}]  # fmt: skip
    campus.marks(section, {"enrolment_id": enrolment, "current1": 70, "midterm1": 70, "current2": 60})  # unchanged RK1
    path = f"/sections/{section}/reopenings"
    assert api.fails("POST", path, 422, {"control": "rk1", "until": "2025-10-25", "reason": "x"}) == {
        "until": "2025-10-25 is in the past (today is 2025-10-26)"
    }
    campus.on("2025-10-20")
    assert api.fails("POST", path, 422, {"control": "rk1", "until": "2025-10-25", "reason": "x"}) == {
        "until": "must be after the RK1 deadline 2025-10-25"
    }
    assert "control" in api.fails("POST", path, 422, {"control": "rk3", "until": "2025-10-30", "reason": "x"})
    api.fails("POST", "/sections/999999/reopenings", 404, {"control": "rk1", "until": "2025-10-30", "reason": "x"})
    campus.on("2025-10-26")
    reopening = api.post(path, 201, control="rk1", until="2025-10-28", reason="teacher was ill (memo 14)")
    assert reopening["created_by"] == "registrar-test"
    assert row(campus.marks(section, {"enrolment_id": enrolment, "current1": 75}), enrolment)["rk1"] == 72.5
    answer = api.get(f"/sections/{section}/grade-sheet")
    assert answer["controls"][0]["open_until"] == "2025-10-28" and answer["reopenings"][0]["control"] == "rk1"
    campus.on("2025-10-29")
    assert campus.marks(section, {"enrolment_id": enrolment, "current1": 80}, expect=422)["errors"][0][
        "message"
    ].startswith("the RK1 grade-entry deadline 2025-10-28 has passed")


def test_a_refused_batch_writes_nothing(campus: Campus, api: Api, sheet: dict[str, Any]) -> None:
    campus.on("2025-09-03")
    other = campus.confirmed(campus.student("Abenov"))
    campus.on("2025-10-01")
    second = campus.enrolment_of(other, "PRG")
    errors = campus.marks(sheet["section"], {"enrolment_id": sheet["enrolment"], "current1": 90, "midterm1": 90},
                          {"enrolment_id": second, "exam": 90},
                          {"enrolment_id": campus.enrolment_of(other, "MATH"), "current1": 90}, expect=422)  # fmt: skip
    assert {e["field"] for e in errors["errors"]} == {"rows.1.exam", "rows.2.enrolment_id"}
    errors = campus.marks(sheet["section"], {"enrolment_id": second, "current1": 101}, expect=422)
    assert errors["errors"] == [{"field": "rows.0.current1", "message": "Input should be less than or equal to 100"}]
    answer = api.get(f"/sections/{sheet['section']}/grade-sheet")
    assert all(r["current1"] is None for r in answer["rows"])
    repeated = campus.marks(sheet["section"], {"enrolment_id": second}, {"enrolment_id": second}, expect=422)
    assert "more than once" in repeated["errors"][0]["message"]
    assert campus.marks(sheet["section"], {"enrolment_id": second, "exam": 50.005}, expect=422)["errors"][0][
        "message"
    ] == "Value error, mark 50.005 has more than 2 decimals".removeprefix("Value error, ")
    campus.marks(999999, {"enrolment_id": second}, expect=404)


def test_grading_policy_is_validated_and_versioned(api: Api) -> None:
    current = api.get("/grading-policy")
    assert current["version"] is None and current["policy"] == GradingPolicy().model_dump(mode="json")
    errors = api.fails("POST", "/grading-policy", 422, {"policy": {"exam_weight": 0.5}, "reason": "x"})
    assert errors == {"policy": "admission_weight 0.6 + exam_weight 0.5 = 1.1: the weights must sum to 1"}
    bands = [dict(b) for b in current["policy"]["bands"]]
    bands[0]["points"] = 4.005
    assert api.fails("POST", "/grading-policy", 422, {"policy": {"bands": bands}, "reason": "x"}) == {
        "policy.bands.0.points": "band 'A' (95-100): points 4.005 have more than two decimals"
    }
    assert "policy.max_retake" in api.fails(
        "POST", "/grading-policy", 422, {"policy": {"max_retake": 1}, "reason": "x"}
    )
    assert set(api.fails("POST", "/grading-policy", 422, {"policy": {}})) == {"reason"}
    first = api.post("/grading-policy", 201, policy={"max_retakes": 1}, reason="council decision 3")
    second = api.post("/grading-policy", 201, policy={}, reason="back to the defaults")
    assert second["version"] > first["version"]
    assert api.get("/grading-policy")["policy"]["max_retakes"] == 2


MARK = st.one_of(st.integers(0, 100).map(float), st.decimals(0, 100, places=2).map(float))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])  # fmt: skip
@given(marks=st.tuples(MARK, MARK, MARK, MARK, MARK))
def test_results_agree_with_the_policy(app: Flask, campus: Campus, sheet: dict[str, Any],
                                       marks: tuple[float, ...]) -> None:  # fmt: skip
    """Random marks: the stored letter and points are what models.grading computes from the same marks."""
    c1, m1, c2, m2, exam = marks
    section, enrolment = sheet["section"], sheet["enrolment"]
    campus.marks(section, {"enrolment_id": enrolment, "current1": c1, "midterm1": m1, "current2": c2,
                           "midterm2": m2, "exam": None})  # fmt: skip
    policy = GradingPolicy()
    rk1, rk2 = policy.exact_rating(c1, m1), policy.exact_rating(c2, m2)
    admitted = policy.admission(rk1, rk2).admitted
    if admitted:
        answer = campus.marks(section, {"enrolment_id": enrolment, "exam": exam})
        expected = policy.final_score(rk1, rk2, exam)
    else:
        answer = campus.api.get(f"/sections/{section}/grade-sheet")
        expected = policy.final_score(rk1, rk2)
    got = row(answer, enrolment)
    assert (got["letter"], got["points"], got["outcome"], got["admitted"]) == (
        expected.letter, expected.points, expected.outcome.value, admitted,
    )  # fmt: skip
    assert got["final_rounded"] == expected.final_rounded


def test_a_teacher_grades_only_the_sections_they_teach(campus: Campus, api: Api, sheet: dict[str, Any],
                                                       client_as: Callable[..., FlaskClient]) -> None:  # fmt: skip
    section, enrolment = sheet["section"], sheet["enrolment"]
    teacher = Api(client_as("teacher", teacher_id=campus.advisor["id"]))
    teacher.fails("GET", f"/sections/{section}/grade-sheet", 403)  # no teacher assigned yet
    api.patch(f"/sections/{section}", teacher_id=campus.advisor["id"])
    assert teacher.get(f"/sections/{section}/grade-sheet")["section"]["teacher_id"] == campus.advisor["id"]
    teacher.post(f"/sections/{section}/marks", rows=[{"enrolment_id": enrolment, "current1": 77}])
    student_id = sheet["registration"]["student_id"]
    assert teacher.get(f"/students/{student_id}")["id"] == student_id  # a student they teach
    outsider = campus.student("Omarov")
    teacher.fails("GET", f"/students/{outsider['id']}", 403)
    other = api.create("/teachers", code="Kim_DS", last_name="Kim", first_name="Dana")
    stranger = Api(client_as("teacher", teacher_id=other["id"], username="kim"))
    errors = stranger.fails("POST", f"/sections/{section}/marks", 403, {"rows": [{"enrolment_id": enrolment,
                                                                                  "current1": 99}]})  # fmt: skip
    assert errors == {None: f"kim does not teach section {section}"}
    stranger.fails("GET", f"/sections/{section}/grade-sheet", 403)
    stranger.fails("POST", f"/sections/{section}/reopenings", 403, {"control": "rk1", "until": "2025-11-01",
                                                                    "reason": "x"})  # fmt: skip
    assert api.get(f"/sections/{section}/grade-sheet")["rows"][0]["current1"] == 77


def test_marks_and_reopenings_are_audited(campus: Campus, api: Api, sheet: dict[str, Any]) -> None:
    section, enrolment = sheet["section"], sheet["enrolment"]
    body = {"rows": [{"enrolment_id": enrolment, "current1": 80, "midterm1": 90}]}
    response = api.client.post(f"/api/sections/{section}/marks", headers={"X-Reason": "sheet of 2025-10-01"}, json=body)
    assert response.status_code == 200
    campus.marks(section, {"enrolment_id": enrolment, "current1": 85})
    rows = api.get(f"/audit?entity=enrolments&entity_id={enrolment}&field=current1")["items"]
    assert [(r["old_value"], r["new_value"]) for r in rows] == [(80.0, 85.0), (None, 80.0)]  # newest first
    assert rows[1]["reason"] == "sheet of 2025-10-01" and rows[1]["actor"] == "registrar-test"
    campus.marks(section, {"enrolment_id": enrolment, "current2": 90, "midterm2": 90, "exam": 70})
    letter = api.get(f"/audit?entity=enrolments&entity_id={enrolment}&field=letter")["items"]
    assert [(r["old_value"], r["new_value"]) for r in letter] == [(None, "B")]  # 0.6 x 88.75 + 0.4 x 70 = 81.25
    campus.on("2026-01-04")
    reopening = api.post(f"/sections/{section}/reopenings", 201, control="exam", until="2026-01-10", reason="memo 3")
    created = api.get(f"/audit?entity=sheet_reopenings&entity_id={reopening['id']}")["items"]
    assert {r["field"]: r["new_value"] for r in created} == {"section_id": section, "control": "exam",
                                                              "until": "2026-01-10", "reason": "memo 3"}  # fmt: skip
    assert all(r["reason"] == "memo 3" for r in created)
    refused = campus.marks(section, {"enrolment_id": enrolment, "exam": 101}, expect=422)
    assert refused["errors"]
    assert api.get(f"/audit?entity=enrolments&entity_id={enrolment}&field=exam")["total"] == 1
