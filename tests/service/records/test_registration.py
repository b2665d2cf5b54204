"""Course registration: forms from the study plan, electives, credit limits, add/drop deadlines, the
advisor's decision, sections, and retakes of academic debts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from campus import Campus
from flask.testing import FlaskClient
from service_testing import Api


def codes(registration: dict[str, Any]) -> dict[str, str]:
    return {e["code"]: e["kind"] for e in registration["enrolments"]}


def test_form_is_built_from_the_semesters_compulsory_disciplines(campus: Campus, api: Api) -> None:
    student = campus.student()
    registration = campus.register(student, "autumn", "ELA")
    assert codes(registration) == {"PRG": "compulsory", "MATH": "compulsory", "HIST": "compulsory", "ELA": "elective"}
    assert registration["status"] == "draft" and registration["semester"] == 1
    assert registration["total_credits"] == 21
    assert (registration["min_credits"], registration["max_credits"]) == (15, 45)
    assert all(e["section_id"] is None and e["attempt"] == 1 for e in registration["enrolments"])
    assert api.get(f"/registrations/{registration['id']}") == registration
    spring = campus.register(student, "spring")
    assert spring["semester"] == 2 and set(codes(spring)) == {"DB", "OS", "ALG"}
    listed = api.get(f"/registrations?student_id={student['id']}&status=draft")
    assert [r["id"] for r in listed["items"]] == [registration["id"], spring["id"]]
    assert (
        api.get(f"/registrations?group_id={campus.group['id']}&period_id={campus.periods['spring']['id']}")["total"]
        == 1
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("DB", "semester 2 of the plan, not in the period's semester 1"),
        ("ELC", "semester 2 of the plan"),
    ],
)
def test_only_the_semesters_disciplines_are_added(campus: Campus, api: Api, code: str, message: str) -> None:
    body = {"student_id": campus.student()["id"], "period_id": campus.periods["autumn"]["id"],
            "discipline_ids": [campus.discipline_id("ELA"), campus.discipline_id(code)]}  # fmt: skip
    errors = api.fails("POST", "/registrations", 422, body)
    assert message in errors["discipline_ids.1"]
    assert api.get("/registrations")["total"] == 0


def test_create_refusals(campus: Campus, api: Api, org: dict[str, dict[str, Any]]) -> None:
    student = campus.student()
    autumn = campus.periods["autumn"]["id"]
    errors = api.fails("POST", "/registrations", 422, {"student_id": 999999, "period_id": 999999})
    assert set(errors) == {"student_id", "period_id"}
    errors = api.fails("POST", "/registrations", 422, {"student_id": student["id"], "period_id": autumn,
                                                       "discipline_ids": [999999]})  # fmt: skip
    assert errors == {"discipline_ids.0": "no study plan discipline with id 999999"}
    errors = api.fails("POST", "/registrations", 422, {"student_id": student["id"], "period_id": autumn,
                                                       "discipline_ids": [3, 3]})  # fmt: skip
    assert "more than once" in errors["discipline_ids"]
    campus.register(student)
    errors = api.fails("POST", "/registrations", 409, {"student_id": student["id"], "period_id": autumn})
    assert "already has registration" in errors["period_id"]
    on_leave = campus.student(status="on_leave")
    errors = api.fails("POST", "/registrations", 422, {"student_id": on_leave["id"], "period_id": autumn})
    assert errors == {"student_id": "the student's status is on_leave: only an active student registers"}
    no_plan = campus.student(admission_year=2024)
    errors = api.fails("POST", "/registrations", 422, {"student_id": no_plan["id"], "period_id": autumn})
    assert errors == {"student_id": "no study plan of the student's programme for admission year 2024"}
    other = api.create("/study-plans", programme_id=org["programme"]["id"], admission_year=2026)
    api.create("/plan-disciplines", plan_id=other["id"], semester=1, code="X", name_en="X", credits=5, control="exam")
    late = campus.student(admission_year=2026)
    errors = api.fails("POST", "/registrations", 422, {"student_id": late["id"], "period_id": autumn})
    assert errors == {"period_id": "the academic year 2025/2026 is before admission in 2026"}
    body = {"student_id": late["id"], "period_id": campus.periods["autumn2026"]["id"],
            "discipline_ids": [campus.discipline_id("ELA")]}  # fmt: skip
    foreign = api.fails("POST", "/registrations", 422, body)
    assert "belongs to another study plan" in foreign["discipline_ids.0"]


def test_add_and_drop_deadlines(campus: Campus, api: Api) -> None:
    student = campus.student()
    campus.on("2025-09-07")  # the add deadline: still open
    registration = campus.register(student)
    path = f"/registrations/{registration['id']}/disciplines"
    campus.on("2025-09-08")
    errors = api.fails("POST", path, 422, {"plan_discipline_id": campus.discipline_id("ELA")})
    assert errors == {"plan_discipline_id": "the add deadline 2025-09-07 of the autumn 2025/2026 period has passed"}
    errors = api.fails("POST", "/registrations", 422, {"student_id": campus.student()["id"],
                                                       "period_id": campus.periods["autumn"]["id"]})  # fmt: skip
    assert "add deadline 2025-09-07" in errors["period_id"]
    campus.on("2025-09-07")
    api.post(path, 201, plan_discipline_id=campus.discipline_id("ELA"))
    campus.on("2025-09-14")  # the drop deadline: dropping still open
    assert "ELA" not in codes(api.delete(f"{path}/{campus.discipline_id('ELA')}", 200))
    campus.on("2025-09-07")
    api.post(path, 201, plan_discipline_id=campus.discipline_id("ELB"))
    campus.on("2025-09-15")
    errors = api.fails("DELETE", f"{path}/{campus.discipline_id('ELB')}", 422)
    assert errors == {None: "the drop deadline 2025-09-14 of the autumn 2025/2026 period has passed"}


def test_compulsory_disciplines_are_not_dropped(campus: Campus, api: Api) -> None:
    registration = campus.register(campus.student(), "autumn", "ELA")
    path = f"/registrations/{registration['id']}/disciplines"
    errors = api.fails("DELETE", f"{path}/{campus.discipline_id('PRG')}", 422)
    assert errors == {None: "PRG is a compulsory discipline of the semester: it is not dropped"}
    assert "is not on registration" in api.fails("DELETE", f"{path}/{campus.discipline_id('DB')}", 404)[None]
    assert api.fails("POST", path, 409, {"plan_discipline_id": campus.discipline_id("ELA")}) == {
        "plan_discipline_id": f"discipline ELA is already on registration {registration['id']}"
    }
    api.fails("DELETE", f"/registrations/999999/disciplines/{campus.discipline_id('ELA')}", 404)


def set_limits(api: Api, low: int, high: int) -> None:
    limit = {"min_credits": low, "max_credits": high}
    api.post("/credit-limits", 201, limits={"autumn": limit, "spring": limit}, reason="council decision 7")


def test_credit_maximum(campus: Campus, api: Api) -> None:
    set_limits(api, 10, 21)
    registration = campus.register(campus.student(), "autumn", "ELA")  # 16 + 5 = 21: exactly the maximum
    assert registration["total_credits"] == 21 and registration["max_credits"] == 21
    errors = api.fails("POST", f"/registrations/{registration['id']}/disciplines", 422,
                       {"plan_discipline_id": campus.discipline_id("ELB")})  # fmt: skip
    assert errors == {
        "plan_discipline_id": "the registration would have 26 credits, above the maximum of 21 for an autumn period"
    }
    body = {"student_id": campus.student()["id"], "period_id": campus.periods["autumn"]["id"],
            "discipline_ids": [campus.discipline_id("ELA"), campus.discipline_id("ELB")]}  # fmt: skip
    assert "26 credits" in api.fails("POST", "/registrations", 422, body)["discipline_ids.1"]
    set_limits(api, 10, 15)
    errors = api.fails("POST", "/registrations", 422, {"student_id": campus.student()["id"],
                                                       "period_id": campus.periods["autumn"]["id"]})  # fmt: skip
    assert errors == {None: "the registration would have 16 credits, above the maximum of 15 for an autumn period"}


def test_credit_minimum_on_submission(campus: Campus, api: Api) -> None:
    set_limits(api, 17, 45)
    registration = campus.register(campus.student())
    errors = api.fails("POST", f"/registrations/{registration['id']}/submit", 422)
    assert errors == {
        None: "the registration has 16 credits, below the minimum of 17 for an autumn period: add disciplines "
        "before submitting"
    }
    api.post(f"/registrations/{registration['id']}/disciplines", 201, plan_discipline_id=campus.discipline_id("ELA"))
    assert api.post(f"/registrations/{registration['id']}/submit")["status"] == "submitted"
    set_limits(api, 21, 45)  # 21 credits: exactly the minimum
    other = campus.register(campus.student(), "autumn", "ELB")
    assert api.post(f"/registrations/{other['id']}/submit")["status"] == "submitted"


def test_limits_are_validated(api: Api) -> None:
    errors = api.fails("POST", "/credit-limits", 422, {"limits": {"autumn": {"min_credits": 30, "max_credits": 20}},
                                                       "reason": "x"})  # fmt: skip
    assert errors == {"limits.autumn": "min_credits 30 is above max_credits 20"}
    assert set(api.fails("POST", "/credit-limits", 422, {"limits": {"winter": {}}, "reason": "x"})) == {"limits.winter"}
    assert api.get("/credit-limits")["version"] is None
    assert api.get("/credit-limits")["limits"]["summer"] == {"min_credits": 1, "max_credits": 15}


def test_states_submit_return_confirm(campus: Campus, api: Api) -> None:
    registration = campus.register(campus.student())
    path = f"/registrations/{registration['id']}"
    assert "only a submitted registration becomes confirmed" in api.fails("POST", f"{path}/confirm", 409)[None]
    assert api.post(f"{path}/submit")["status"] == "submitted"
    assert "is submitted; only a draft or returned" in api.fails("POST", f"{path}/submit", 409)[None]
    returned = api.post(f"{path}/return", reason="take an elective")
    assert (returned["status"], returned["note"], returned["decided_by"]) == (
        "returned",
        "take an elective",
        "registrar-test",
    )
    assert api.fails("POST", f"{path}/return", 422, {"reason": ""}) == {
        "reason": "String should have at least 1 character"
    }
    assert "is returned" in api.fails("POST", f"{path}/return", 409, {"reason": "again"})[None]
    api.post(f"{path}/disciplines", 201, plan_discipline_id=campus.discipline_id("ELA"))
    api.post(f"{path}/submit")
    confirmed = api.post(f"{path}/confirm")
    assert confirmed["status"] == "confirmed" and confirmed["note"] is None
    assert all(e["section_id"] is not None for e in confirmed["enrolments"])
    assert "is confirmed" in api.fails("DELETE", path, 409)[None]
    amended = api.post(f"{path}/disciplines", 201, plan_discipline_id=campus.discipline_id("ELB"))
    assert amended["status"] == "draft"
    assert {e["code"]: e["section_id"] is not None for e in amended["enrolments"]}["ELB"] is False
    api.post(f"{path}/submit")
    assert all(e["section_id"] for e in api.post(f"{path}/confirm")["enrolments"])


def test_delete_a_draft(campus: Campus, api: Api) -> None:
    registration = campus.register(campus.student(), "autumn", "ELA")
    campus.on("2025-09-15")
    assert "drop deadline" in api.fails("DELETE", f"/registrations/{registration['id']}", 422)[None]
    campus.on("2025-09-10")
    api.delete(f"/registrations/{registration['id']}")
    api.get(f"/registrations/{registration['id']}", 404)


def test_confirmation_places_a_group_in_one_section_per_discipline(campus: Campus, api: Api) -> None:
    first = campus.confirmed(campus.student("Abenov"), "autumn", "ELA")
    second = campus.confirmed(campus.student("Beisenov"))
    assert campus.section_of(first, "PRG") == campus.section_of(second, "PRG")
    sections = api.get(f"/sections?period_id={campus.periods['autumn']['id']}")
    assert {s["code"] for s in sections["items"]} == {"PRG", "MATH", "HIST", "ELA"}
    assert all(s["group_id"] == campus.group["id"] and s["teacher_id"] is None for s in sections["items"])
    assert api.post("/sections/build", period_id=campus.periods["autumn"]["id"]) == {
        "sections_created": 0, "enrolments_placed": 0
    }  # fmt: skip
    sheet = api.get(f"/sections/{campus.section_of(first, 'PRG')}/grade-sheet")
    assert [r["last_name"] for r in sheet["rows"]] == ["Abenov", "Beisenov"]


def test_student_without_group_is_not_placed(campus: Campus, api: Api) -> None:
    student = campus.student()
    registration = campus.register(student)
    api.patch(f"/students/{student['id']}", group_id=None)
    api.post(f"/registrations/{registration['id']}/submit")
    errors = api.fails("POST", f"/registrations/{registration['id']}/confirm", 422)
    assert "has no academic group" in errors[None]
    assert api.get(f"/registrations/{registration['id']}")["status"] == "submitted"


def test_section_build_for_forms_confirmed_before_sections_were_cleared(campus: Campus, api: Api) -> None:
    registration = campus.confirmed(campus.student())
    section_id = campus.section_of(registration, "PRG")
    assert "still referenced" in api.fails("DELETE", f"/sections/{section_id}", 409)[None]
    other = api.create("/sections", period_id=campus.periods["spring"]["id"],
                       plan_discipline_id=campus.discipline_id("DB"), group_id=campus.group["id"],
                       teacher_id=campus.advisor["id"])  # fmt: skip
    spring = campus.confirmed(campus.student(), "spring")
    assert campus.section_of(spring, "DB") == other["id"]
    assert api.post("/sections/build", 422, period_id=999999) is not None


def test_section_rules(campus: Campus, api: Api, org: dict[str, dict[str, Any]]) -> None:
    programme = api.create("/programmes", code="6B06102", name_en="IS", level="bachelor",
                           faculty_id=org["faculty"]["id"])  # fmt: skip
    group = api.create("/groups", code="IS-25-1k", programme_id=programme["id"], admission_year=2025, language="kk")
    body = {"period_id": campus.periods["autumn"]["id"], "plan_discipline_id": campus.discipline_id("PRG"),
            "group_id": group["id"]}  # fmt: skip
    assert "is not of the programme" in api.fails("POST", "/sections", 422, body)["group_id"]
    registration = campus.confirmed(campus.student())
    section = campus.section_of(registration, "PRG")
    errors = api.fails("PATCH", f"/sections/{section}", 422, {"plan_discipline_id": campus.discipline_id("MATH")})
    assert errors == {"plan_discipline_id": "the section has 1 students: only its teacher changes"}
    assert api.patch(f"/sections/{section}", teacher_id=campus.advisor["id"])["teacher_id"] == campus.advisor["id"]
    assert api.get(f"/sections?teacher_id={campus.advisor['id']}")["total"] == 1


def retake_exam(campus: Campus, registration: dict[str, Any], code: str, exam: float, day: str) -> dict[str, Any]:
    """Enter only the exam of a retake after FX (on ``day``); the student's sheet row."""
    campus.on(day)
    enrolment = campus.enrolment_of(registration, code)
    answer = campus.marks(campus.section_of(registration, code), {"enrolment_id": enrolment, "exam": exam})
    return next(r for r in answer["rows"] if r["enrolment_id"] == enrolment)


def test_fx_is_retaken_with_the_exam_only(campus: Campus, api: Api) -> None:
    student = campus.student()
    autumn = campus.confirmed(student)
    failed = campus.grade(autumn, "PRG", 80, 40)
    assert (failed["letter"], failed["outcome"]) == ("FX", "fx_retake_exam")
    campus.on("2026-01-20")
    spring = campus.register(student, "spring", "PRG")
    retake = next(e for e in spring["enrolments"] if e["code"] == "PRG")
    assert (retake["kind"], retake["attempt"], retake["marks_carried"]) == ("retake", 2, True)
    assert retake["retake_of_id"] == campus.enrolment_of(autumn, "PRG")
    assert spring["total_credits"] == 16 + 6
    api.post(f"/registrations/{spring['id']}/submit")
    spring = api.post(f"/registrations/{spring['id']}/confirm")
    section = campus.section_of(spring, "PRG")
    assert section != campus.section_of(autumn, "PRG")
    campus.on("2026-03-01")
    errors = campus.marks(section, {"enrolment_id": retake["id"], "current1": 90}, expect=422)["errors"]
    assert errors[0]["message"] == "attempt 2 retakes only the exam: the RK1 and RK2 marks are carried over"
    passed = retake_exam(campus, spring, "PRG", 70, "2026-05-20")
    assert (passed["rk1"], passed["rk2"], passed["outcome"]) == (80.0, 80.0, "passed")
    assert passed["letter"] == "B-"  # 0.6 x 80 + 0.4 x 70 = 76
    campus.on("2026-06-02")
    errors = api.fails("POST", "/registrations", 422, {"student_id": student["id"], "period_id":
                       campus.periods["summer"]["id"], "discipline_ids": [campus.discipline_id("PRG")]})  # fmt: skip
    assert errors == {"discipline_ids.0": "discipline PRG was passed (B-) in spring 2025/2026"}


def test_f_is_retaken_by_studying_again(campus: Campus, api: Api) -> None:
    student = campus.student()
    autumn = campus.confirmed(student)
    failed = campus.grade(autumn, "MATH", 40, None)
    assert (failed["letter"], failed["outcome"], failed["admitted"]) == ("F", "not_admitted", False)
    campus.on("2026-01-20")
    errors = api.fails("POST", "/registrations", 422, {"student_id": student["id"], "period_id":
                       campus.periods["spring"]["id"], "discipline_ids": [campus.discipline_id("PRG")]})  # fmt: skip
    assert errors == {"discipline_ids.0": "discipline PRG is in progress in autumn 2025/2026"}
    spring = campus.confirmed(student, "spring", "MATH")
    retake = next(e for e in spring["enrolments"] if e["code"] == "MATH")
    assert (retake["kind"], retake["attempt"], retake["marks_carried"]) == ("retake", 2, False)
    again = campus.grade(spring, "MATH", 75, 75, period="spring")
    assert (again["letter"], again["attempt"]) == ("B-", 2)


def test_at_most_two_retakes(campus: Campus, api: Api) -> None:
    student = campus.student()
    autumn = campus.confirmed(student)
    campus.grade(autumn, "PRG", 80, 10)
    campus.on("2026-01-20")
    spring = campus.confirmed(student, "spring", "PRG")
    assert retake_exam(campus, spring, "PRG", 20, "2026-05-20")["letter"] == "FX"
    campus.on("2026-06-03")
    summer = campus.confirmed(student, "summer", "PRG")
    assert summer["semester"] is None and [e["attempt"] for e in summer["enrolments"]] == [3]
    assert retake_exam(campus, summer, "PRG", 30, "2026-07-10")["letter"] == "FX"
    campus.on("2026-09-02")
    body = {"student_id": student["id"], "period_id": campus.periods["autumn2026"]["id"],
            "discipline_ids": [campus.discipline_id("PRG")]}  # fmt: skip
    assert api.fails("POST", "/registrations", 422, body) == {
        "discipline_ids.0": "discipline PRG failed 3 times: the grading policy allows at most 2 retakes "
        "(expulsion for academic failure)"
    }


def test_retake_limit_follows_the_stored_policy(campus: Campus, api: Api) -> None:
    api.post("/grading-policy", 201, policy={"max_retakes": 1}, reason="academic council, minutes 5")
    student = campus.student()
    campus.grade(campus.confirmed(student), "PRG", 80, 10)
    campus.on("2026-01-20")
    spring = campus.confirmed(student, "spring", "PRG")
    retake_exam(campus, spring, "PRG", 20, "2026-05-20")
    campus.on("2026-06-03")
    body = {"student_id": student["id"], "period_id": campus.periods["summer"]["id"],
            "discipline_ids": [campus.discipline_id("PRG")]}  # fmt: skip
    assert (
        "failed 2 times: the grading policy allows at most 1 retakes"
        in api.fails("POST", "/registrations", 422, body)["discipline_ids.0"]
    )


def test_summer_takes_only_debts(campus: Campus, api: Api) -> None:
    student = campus.student()
    campus.confirmed(student)
    campus.on("2026-06-03")
    body = {"student_id": student["id"], "period_id": campus.periods["summer"]["id"],
            "discipline_ids": [campus.discipline_id("ELC")]}  # fmt: skip
    assert api.fails("POST", "/registrations", 422, body) == {
        "discipline_ids.0": "a summer period takes only retakes of academic debts; ELC is not a debt"
    }
    empty = campus.register(student, "summer")
    assert empty["enrolments"] == [] and (empty["min_credits"], empty["max_credits"]) == (1, 15)
    assert api.fails("POST", f"/registrations/{empty['id']}/submit", 422) == {
        None: "the registration has no discipline"
    }


def test_graded_discipline_is_not_dropped(campus: Campus, api: Api) -> None:
    registration = campus.confirmed(campus.student(), "autumn", "ELA")
    campus.marks(campus.section_of(registration, "ELA"), {"enrolment_id": campus.enrolment_of(registration, "ELA"),
                                                          "current1": 80})  # fmt: skip
    errors = api.fails("DELETE", f"/registrations/{registration['id']}/disciplines/{campus.discipline_id('ELA')}", 409)
    assert errors == {None: "ELA already has marks in its grade sheet: it is not dropped"}


def test_students_and_advisors_reach_only_their_forms(campus: Campus, api: Api, client_as: Callable[..., FlaskClient],
                                                      org: dict[str, dict[str, Any]]) -> None:  # fmt: skip
    mine, other = campus.student("Abenov"), campus.student("Beisenov")
    theirs = campus.register(other)
    me = Api(client_as("student", student_id=mine["id"]))
    autumn = campus.periods["autumn"]["id"]
    created = me.create("/registrations", student_id=mine["id"], period_id=autumn)
    assert "may not see student" in me.fails("POST", "/registrations", 403,
                                             {"student_id": other["id"], "period_id": autumn})[None]  # fmt: skip
    me.fails("GET", f"/registrations/{theirs['id']}", 403)
    me.fails("POST", f"/registrations/{theirs['id']}/submit", 403)
    assert [r["id"] for r in me.get("/registrations")["items"]] == [created["id"]]
    me.post(f"/registrations/{created['id']}/submit")
    me.fails("POST", f"/registrations/{created['id']}/confirm", 403)
    stranger = api.create("/teachers", code="Kim_DS", last_name="Kim", first_name="Dana")
    api.create("/groups", code="CS-25-2k", programme_id=org["programme"]["id"], admission_year=2025, language="kk",
               advisor_id=stranger["id"])  # fmt: skip
    Api(client_as("advisor", teacher_id=stranger["id"])).fails("POST", f"/registrations/{created['id']}/confirm", 403)
    advisor = Api(client_as("advisor", teacher_id=campus.advisor["id"], username="abenov"))
    assert len(advisor.get("/registrations")["items"]) == 2
    confirmed = advisor.post(f"/registrations/{created['id']}/confirm")
    assert (confirmed["status"], confirmed["decided_by"]) == ("confirmed", "abenov")


def test_registration_changes_are_audited(campus: Campus, api: Api) -> None:
    registration = campus.register(campus.student(), "autumn", "ELA")
    path = f"/registrations/{registration['id']}"
    created = api.get(f"/audit?entity=registrations&entity_id={registration['id']}&action=create")["items"]
    assert {r["field"]: r["new_value"] for r in created}["status"] == "draft"
    enrolments = api.get("/audit?entity=enrolments&action=create&field=plan_discipline_id")["items"]
    assert sorted(r["new_value"] for r in enrolments) == sorted(
        campus.discipline_id(c) for c in ("PRG", "MATH", "HIST", "ELA")
    )
    dropped = api.delete(f"{path}/disciplines/{campus.discipline_id('ELA')}", 200)
    assert "ELA" not in codes(dropped)
    ela = campus.enrolment_of(registration, "ELA")
    assert api.get(f"/audit?entity=enrolments&entity_id={ela}&action=delete")["total"] > 0
    api.post(f"{path}/submit")
    api.post(f"{path}/return", reason="add an elective")
    statuses = api.get(f"/audit?entity=registrations&entity_id={registration['id']}&field=status")["items"]
    assert [(r["old_value"], r["new_value"]) for r in statuses] == [("submitted", "returned"), ("draft", "submitted"),
                                                                     (None, "draft")]  # fmt: skip
    assert statuses[0]["reason"] == "add an elective"
    api.post(f"{path}/submit")
    confirmed = api.post(f"{path}/confirm")
    prg = campus.enrolment_of(confirmed, "PRG")
    placed = api.get(f"/audit?entity=enrolments&entity_id={prg}&field=section_id")["items"]
    assert [(r["old_value"], r["new_value"]) for r in placed] == [(None, campus.section_of(confirmed, "PRG"))]
    assert api.get("/audit?entity=sections&action=create&field=group_id")["total"] == 3
