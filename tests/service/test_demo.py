"""``registrar demo-data``: a generated university that obeys the records' rules, on both databases."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from models.grade_sheet import row_result
from models.iin import parse_iin
from service import db
from service.academic.marks import marks_of
from service.academic.settings import grading_policy
from service.demo import fill, is_empty
from service.models import (
    AcademicGroup,
    Enrolment,
    PlanDiscipline,
    Programme,
    Registration,
    Stream,
    Student,
    StudyPlan,
    Teacher,
)
from service.schemas.programmes import semesters


def test_fill_small_university(app: Flask) -> None:
    with app.app_context():
        session = db.session()
        assert is_empty(session)
        counts = fill(session, "small", seed=1)
        assert not is_empty(session)
        assert all(n > 0 for n in counts.values()), counts
        assert counts["periods"] == 3 and counts["academic_years"] == 1
        students = session.scalars(select(Student)).all()
        assert len(students) == counts["students"] >= 100
        assert len({s.iin for s in students}) == len(students)
        groups = {g.id: g for g in session.scalars(select(AcademicGroup))}
        for student in students:
            iin = parse_iin(student.iin)
            assert (iin.birth_date, iin.sex) == (student.birth_date, student.sex)
            if student.group_id is None:  # left their group by an order (expelled, on leave, transferred)
                continue
            assert groups[student.group_id].programme_id == student.programme_id
            assert student.language == groups[student.group_id].language
        assert sum(s.group_id is not None for s in students) >= 0.8 * len(students)
        for plan in session.scalars(select(StudyPlan)):
            programme = session.get(Programme, plan.programme_id)
            assert programme is not None and plan.disciplines
            assert all(1 <= d.semester <= semesters(programme.credits) for d in plan.disciplines)
        assert {d.control for d in session.scalars(select(PlanDiscipline))} >= {"exam", "differentiated_credit"}
        for stream in session.scalars(select(Stream)):
            assert stream.groups and all(g.language == stream.language for g in stream.groups)
        assert all(t.department_id is not None for t in session.scalars(select(Teacher)))


def test_demo_records_are_served_by_the_api(app: Flask, client: FlaskClient) -> None:
    """The records, and the registrations, grades and standing of the demo year."""
    with app.app_context():
        session = db.session()
        fill(session, "small", seed=0)
        policy = grading_policy(session)
        enrolments = session.scalars(select(Enrolment)).all()
        registrations = session.scalars(select(Registration)).all()
        assert registrations and all(r.status == "confirmed" for r in registrations)
        assert all(e.section_id is not None for e in enrolments)
        letters = {e.letter for e in enrolments}
        assert {"A", "B", "C", "FX", "F"} <= letters and None in letters  # graded, failed, and some sheets unfilled
        for e in enrolments:  # every stored result is the policy's result of the stored marks
            if e.letter is not None:
                assert row_result(policy, marks_of(e)).final.letter == e.letter  # type: ignore[union-attr]
        retakes = [e for e in enrolments if e.kind == "retake"]
        assert retakes and all(e.retake_of_id is not None and e.attempt == 2 for e in retakes)
        assert all(e.marks_carried == (session.get(Enrolment, e.retake_of_id).outcome == "fx_retake_exam")  # type: ignore[union-attr]
                   for e in retakes)  # fmt: skip
        graded = next(e for e in enrolments if e.letter is not None)
        group_id = session.get(Student, graded.student_id).group_id  # type: ignore[union-attr]
    book = client.get(f"/api/students/{graded.student_id}/record-book").json
    assert book["gpa"] is not None and book["periods"]
    assert client.get(f"/api/rankings?scope=group&group_id={group_id}").json["total"] > 0
    assert client.get("/api/monitoring/overdue-sheets?control=exam").json["total"] > 0
    assert client.get("/api/monitoring/not-admitted").json["total"] > 0
    year = client.get("/api/academic-years").json["items"][0]["id"]
    assert client.get(f"/api/transfer-list?academic_year_id={year}").json["total"] > 0
    students = client.get("/api/students?per_page=200").json
    assert students["total"] == len(students["items"]) > 0
    plan = client.get("/api/study-plans?per_page=1").json["items"][0]
    assert plan["total_credits"] == sum(d["credits"] for d in plan["disciplines"]) > 0
    assert client.get("/api/streams").json["total"] > 0
