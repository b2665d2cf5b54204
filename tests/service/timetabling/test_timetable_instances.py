"""Records -> solver instances: the lesson and exam rules of :mod:`service.timetabling.instances`."""

from __future__ import annotations

import pytest
from campus import Campus
from flask import Flask
from service_testing import Api
from timetable_testing import Term

from service import db
from service.timetabling import instances
from service.timetabling.instances import RecordsProblem


def test_lesson_instance_from_the_records(app: Flask, term: Term) -> None:
    with app.app_context():
        built = instances.lesson_instance(db.session(), term.period_id)
    instance = built.instance
    ids = {c.id for c in instance.courses}
    # one lecture per discipline for the group (no stream) and one practice per section
    assert {"PRG-L-CS-25-1k", "PRG-P-CS-25-1k", "MATH-L-CS-25-1k", "ELA-P-CS-25-1k"} <= ids
    practice = instance.course_by_id["PRG-P-CS-25-1k"]
    assert practice.lectures == 2 and practice.students == 2  # 6 credits: two practices a week
    assert practice.unsuitable_rooms == {"A-101"}  # classrooms only: not the lecture hall
    lecture = instance.course_by_id["PRG-L-CS-25-1k"]
    assert lecture.lectures == 1 and lecture.room_type == "lecture_hall"
    assert lecture.teacher.startswith("unassigned-")  # sections built at confirmation have no teacher yet
    assert [q.id for q in instance.curricula] == ["CS-25-1k"]
    assert set(instance.curricula[0].courses) == ids
    assert built.legend["courses"]["PRG-P-CS-25-1k"]["groups"] == ["CS-25-1k"]
    assert built.legend["days"][0] == "Monday" and instance.days == 6 and instance.periods_per_day == 6


def test_practices_take_any_room_without_classrooms_or_labs(app: Flask, campus: Campus, api: Api) -> None:
    for code, kind in (("H-1", "lecture_hall"), ("G-1", "gym")):
        api.create("/rooms", code=code, building="H", capacity=100, type=kind)
    campus.confirmed(campus.student("Abenov"), "autumn")
    with app.app_context():
        built = instances.lesson_instance(db.session(), int(campus.periods["autumn"]["id"]))
    practices = [c for c in built.instance.courses if c.id.split("-")[1] == "P"]
    assert practices and all(not c.unsuitable_rooms for c in practices)
    api.create("/rooms", code="L-1", building="H", capacity=20, type="lab")
    with app.app_context():
        built = instances.lesson_instance(db.session(), int(campus.periods["autumn"]["id"]))
    practices = [c for c in built.instance.courses if c.id.split("-")[1] == "P"]
    assert all(c.unsuitable_rooms == {"H-1", "G-1"} for c in practices)


def test_exam_instance_from_the_records(app: Flask, term: Term) -> None:
    with app.app_context():
        built = instances.exam_instance(db.session(), term.period_id)
    instance = built.instance
    # HIST ends with a differentiated credit: no exam
    assert sorted(e.id for e in instance.exams) == ["ELA-CS-25-1k", "MATH-CS-25-1k", "PRG-CS-25-1k"]
    assert all(e.size == 2 and e.group == "CS-25-1k" for e in instance.exams)
    # weeks 16-18 of autumn 2025, Monday to Saturday, two sittings a day
    assert len(instance.periods) == 3 * 6 * 2
    assert built.legend["periods"][0] == {"index": 0, "date": "2025-12-15", "start": "09:00"}


def test_records_problems_name_the_problem(app: Flask, campus: Campus, api: Api) -> None:
    period = int(campus.periods["autumn"]["id"])
    with app.app_context(), pytest.raises(RecordsProblem, match="has no sections"):
        instances.build(db.session(), period, "lessons")
    campus.confirmed(campus.student("Abenov"), "autumn")
    with app.app_context(), pytest.raises(RecordsProblem, match="no rooms"):
        instances.build(db.session(), period, "exams")
    with app.app_context(), pytest.raises(RecordsProblem, match="no period 9999"):
        instances.build(db.session(), 9999, "lessons")
    with app.app_context(), pytest.raises(RecordsProblem, match="unknown kind"):
        instances.build(db.session(), period, "groups")


def test_group_formation_instance_from_the_registrations(app: Flask, term: Term) -> None:
    from solver.groups.form import form_sections

    with app.app_context():
        instance = instances.enrollment_instance(db.session(), term.period_id)
    assert sorted(d.id for d in instance.disciplines) == ["ELA", "HIST", "MATH", "PRG"]
    assert all(len(d.students) == 2 for d in instance.disciplines)
    student = instance.students[0]
    assert (student.programme, student.year, student.language, student.group) == ("6B06101", 1, "kk", "CS-25-1k")
    prg = instance.discipline_by_id["PRG"].rules
    assert prg.lecture is not None and prg.lecture.capacity == 120 and prg.practice is not None
    assert prg.practice.capacity == 30 and prg.practice.lessons == 2
    result = form_sections(instance)
    assert {s.discipline for s in result.grouping.sections} == {"ELA", "HIST", "MATH", "PRG"}
