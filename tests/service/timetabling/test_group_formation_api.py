"""Group formation jobs through the API with the in-process runner: a ``groups`` job forms the sections of the
term's registrations, stores them with the scorer's breakdown, and they are read back and downloaded."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from typing import Any

import pandas as pd
from flask import Flask
from service_testing import Api
from sqlalchemy import select
from timetable_testing import Term, wait_for

from service import db
from service.demo import fill
from service.models import Enrolment, Period, PlanDiscipline, Registration
from service.schemas.common import INT_MAX

JobApi = Callable[[str], Api]
DISCIPLINES = {"ELA", "HIST", "MATH", "PRG"}


def formed(staff: JobApi, term: Term, time_limit: float = 2) -> tuple[dict[str, Any], dict[str, Any]]:
    """A finished ``groups`` job of the term and its formation."""
    return formed_for(staff("scheduler"), term.period_id, time_limit)


def formed_for(scheduler: Api, period_id: int, time_limit: float) -> tuple[dict[str, Any], dict[str, Any]]:
    """A finished ``groups`` job of the period (started by ``scheduler``) and its formation."""
    job = scheduler.post("/timetable-jobs", 201, period_id=period_id, kind="groups", time_limit=time_limit)
    assert (job["kind"], job["status"], job["period_id"], job["timetable_id"]) == ("groups", "queued",
                                                                                    period_id, None)  # fmt: skip
    done = wait_for(lambda: (j := scheduler.get(f"/timetable-jobs/{job['id']}"))["status"] not in ("queued", "running")
                    and j)  # fmt: skip
    assert done["status"] == "finished", done["error"]
    assert done["formation_id"] is not None and done["version_id"] is None and done["attempts"] == 1
    return done, scheduler.get(f"/group-formations/{done['formation_id']}")


def test_a_groups_job_forms_every_registered_student_into_one_section_per_discipline_and_kind(
    staff: JobApi, term: Term
) -> None:
    job, formation = formed(staff, term)
    assert (formation["period_id"], formation["job_id"]) == (term.period_id, job["id"])
    assert formation["hard_violations"] == 0 and set(formation["hard"].values()) == {0}
    assert set(formation["hard"]) == {"Coverage", "Registration", "Capacity", "MinSize", "Language", "Nesting"}
    terms = formation["terms"]
    assert terms["Sections"] == len(formation["sections"]) == terms["LowerBound"] == 8  # a stream and a group each
    assert (terms["Imbalance"], terms["Splits"], terms["Strays"]) == (0, 0, 0)
    assert (job["best_cost"], job["best_bound"]) == (terms["Sections"], terms["LowerBound"])
    registered = {f"s{s['id']}" for s in term.campus.students}
    seats: Counter[tuple[str, str, str]] = Counter()
    for section in formation["sections"]:
        assert section["size"] == len(section["students"]) and section["language"] == "kk"
        seats.update((student, section["discipline"], section["kind"]) for student in section["students"])
    expected = {(s, d, k) for s in registered for d in DISCIPLINES for k in ("lecture", "practice")}
    assert set(seats) == expected and set(seats.values()) == {1}
    by_name = {s["section"]: s for s in formation["sections"]}
    for section in formation["sections"]:
        if section["kind"] == "lecture":
            assert section["parent"] is None and section["children"]
            assert {by_name[c]["parent"] for c in section["children"]} == {section["section"]}
        else:
            assert by_name[section["parent"]]["kind"] == "lecture" and section["children"] == []
    prg = next(s for s in formation["sections"] if s["discipline"] == "PRG")
    assert prg["discipline_name"]
    listed = staff("vice_rector").get(f"/timetable-jobs?kind=groups&period_id={term.period_id}")
    assert [j["id"] for j in listed["items"]] == [job["id"]]


def test_on_the_demo_university_every_registration_has_one_section_of_each_kind(
    app: Flask, client_as: Callable[..., Any]
) -> None:
    with app.app_context():
        session = db.session()
        fill(session, "small", seed=0)
        session.commit()
        period_id = session.scalars(select(Period.id).where(Period.kind == "autumn")).one()
        registered = {
            (f"s{student}", code)
            for student, code in session.execute(
                select(Enrolment.student_id, PlanDiscipline.code)
                .join(Registration, Registration.id == Enrolment.registration_id)
                .join(PlanDiscipline, PlanDiscipline.id == Enrolment.plan_discipline_id)
                .where(Registration.period_id == period_id, Registration.status.in_(("submitted", "confirmed")))
            )
        }
    assert len(registered) > 500
    _, formation = formed_for(Api(client_as("scheduler")), period_id, time_limit=5)
    assert formation["hard_violations"] == 0 and formation["terms"]["AboveBound"] == 0
    seats: Counter[tuple[str, str, str]] = Counter()
    for section in formation["sections"]:
        assert 0 < section["size"] == len(section["students"])
        seats.update((student, section["discipline"], section["kind"]) for student in section["students"])
    expected = {(s, d, k) for s, d in registered for k in ("lecture", "practice")}
    assert set(seats) == expected and set(seats.values()) == {1}


def test_the_downloads_are_the_sections_files(staff: JobApi, term: Term) -> None:
    _, formation = formed(staff, term)
    registrar = staff("registrar")
    url = f"/group-formations/{formation['id']}"
    sections = pd.read_csv(io.BytesIO(registrar.client.get(f"/api{url}/sections.csv").data))
    assert list(sections.columns) == ["section", "discipline", "kind", "parent", "language", "students"]
    assert sorted(sections["section"]) == sorted(s["section"] for s in formation["sections"])
    assert sections["students"].sum() == sum(s["size"] for s in formation["sections"])
    lists = pd.read_csv(io.BytesIO(registrar.client.get(f"/api{url}/assignments.csv").data))
    assert list(lists.columns) == ["student", "discipline", "kind", "section"] and len(lists) == 16
    answer = registrar.client.get(f"/api{url}/sections.xlsx")
    assert answer.status_code == 200 and "formation-" in answer.headers["Content-Disposition"]
    workbook = pd.read_excel(io.BytesIO(answer.data), sheet_name=None)
    assert set(workbook) == {"Sections", "Students"}
    assert len(workbook["Sections"]) == len(sections) and len(workbook["Students"]) == len(lists)


def test_a_period_without_registrations_is_422_and_creates_no_job(staff: JobApi, term: Term) -> None:
    scheduler = staff("scheduler")
    spring = term.campus.periods["spring"]["id"]
    errors = scheduler.post("/timetable-jobs", 422, period_id=spring, kind="groups")["errors"]
    assert errors == [{"field": "period_id",
                       "message": f"period {spring} has no submitted or confirmed registrations"}]  # fmt: skip
    scheduler.post("/timetable-jobs", 422, period_id=term.period_id, kind="groups", time_limit=0)
    scheduler.post("/timetable-jobs", 422, period_id=term.period_id, kind="rooms")
    assert scheduler.get("/timetable-jobs")["total"] == 0


def test_role_rules_and_unknown_ids(staff: JobApi, term: Term) -> None:
    for role in ("exam_coordinator", "vice_rector", "registrar", "student"):
        staff(role).post("/timetable-jobs", 403, period_id=term.period_id, kind="groups")
    job, formation = formed(staff, term)
    url = f"/group-formations/{formation['id']}"
    for role in ("exam_coordinator", "vice_rector", "registrar"):
        assert staff(role).get(url)["id"] == formation["id"]
    for role in ("student", "teacher"):
        staff(role).get(url, 403)
        assert staff(role).client.get(f"/api{url}/sections.xlsx").status_code == 403
    staff("vice_rector").post(f"/timetable-jobs/{job['id']}/cancel", 403)
    staff("scheduler").post(f"/timetable-jobs/{job['id']}/cancel", 409)  # it has ended
    for missing in (formation["id"] + 1, 0, INT_MAX + 1):
        staff("registrar").get(f"/group-formations/{missing}", 404)
        assert staff("registrar").client.get(f"/api/group-formations/{missing}/sections.csv").status_code == 404
