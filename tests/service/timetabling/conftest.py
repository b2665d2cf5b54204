"""Fixtures of the timetable workflow tests: a small autumn term with sections, rooms and staff clients."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from campus import Campus
from flask import Flask
from flask.testing import FlaskClient
from service_testing import Api
from timetable_testing import Term


@pytest.fixture
def term(app: Flask, campus: Campus, api: Api) -> Term:
    for code, capacity, kind in (
        ("A-101", 120, "lecture_hall"),
        ("A-201", 30, "classroom"),
        ("A-202", 30, "classroom"),
    ):
        api.create("/rooms", code=code, building="A", capacity=capacity, type=kind)
    first = campus.confirmed(campus.student("Abenov"), "autumn", "ELA")
    campus.confirmed(campus.student("Bekova"), "autumn", "ELA")
    sections = sorted({int(e["section_id"]) for e in first["enrolments"]})
    return Term(campus, int(campus.periods["autumn"]["id"]), sections)


@pytest.fixture
def staff(client_as: Callable[..., FlaskClient], term: Term) -> Callable[[str], Api]:
    """``staff("scheduler")``: an :class:`Api` acting as a new user with that role (one per role); the student
    is the term's first student, the teacher and advisor the group's advisor."""
    made: dict[str, Api] = {}
    links = {
        "student": {"student_id": term.campus.students[0]["id"]},
        "teacher": {"teacher_id": term.campus.advisor["id"]},
        "advisor": {"teacher_id": term.campus.advisor["id"]},
    }

    def make(role: str) -> Api:
        if role not in made:
            made[role] = Api(client_as(role, **links.get(role, {})))
        return made[role]

    return make
