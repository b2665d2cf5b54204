"""Row-level rules on students: a student sees only their own record, an advisor their groups' students, a
teacher none until a scope is registered, record keepers all; the helpers other areas call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from service_testing import Api
from sqlalchemy import ColumnElement

from models.iin import make_iin
from service.auth import register_student_scope, require_self_or_role
from service.auth.identity import Actor, authorize
from service.auth.roles import allow
from service.auth.scopes import STUDENT_SCOPES
from service.errors import Forbidden
from service.models import Student

Org = dict[str, dict[str, Any]]


@pytest.fixture
def two_groups(api: Api, org: Org, student_body: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """Two students in the advised group CS-25-1k and one in CS-25-2k (another advisor)."""
    other = api.create("/teachers", code="Kim_DS", last_name="Kim", first_name="Dana")
    group2 = api.create("/groups", code="CS-25-2k", programme_id=org["programme"]["id"], admission_year=2025,
                        language="kk", advisor_id=other["id"])  # fmt: skip
    first = api.create("/students", **student_body(1))
    second = api.create("/students", **student_body(2, iin=make_iin(dt.date(2007, 3, 12), "male", 2)))
    third = api.create("/students", **student_body(3, iin=make_iin(dt.date(2007, 3, 12), "male", 3),
                                                   group_id=group2["id"]))  # fmt: skip
    return {"students": [first, second, third], "other_teacher": other}


def ids(client: FlaskClient) -> list[int]:
    response = client.get("/api/students")
    assert response.status_code == 200, response.json
    return [s["id"] for s in response.json["items"]]


def test_student_sees_only_own_record(client_as: Callable[..., FlaskClient], two_groups: dict[str, Any]) -> None:
    first, second, _ = two_groups["students"]
    me = client_as("student", student_id=first["id"], username="arman")
    assert ids(me) == [first["id"]]
    assert me.get(f"/api/students/{first['id']}").json == first
    response = me.get(f"/api/students/{second['id']}")
    assert response.status_code == 403
    assert response.json["errors"][0]["message"] == f"arman may not see student {second['id']}"
    assert me.get("/api/students/999999").status_code == 404
    assert me.patch(f"/api/students/{first['id']}", json={"first_name": "X"}).status_code == 403


def test_advisor_sees_the_advised_groups(client_as: Callable[..., FlaskClient], org: Org,
                                         two_groups: dict[str, Any]) -> None:  # fmt: skip
    first, second, third = two_groups["students"]
    advisor = client_as("advisor", teacher_id=org["teacher"]["id"])
    assert ids(advisor) == [first["id"], second["id"]]
    assert advisor.get(f"/api/students/{third['id']}").status_code == 403
    assert ids(client_as("advisor", teacher_id=two_groups["other_teacher"]["id"])) == [third["id"]]


def test_teacher_sees_no_student_without_a_scope(client_as: Callable[..., FlaskClient], org: Org,
                                                 two_groups: dict[str, Any]) -> None:  # fmt: skip
    teacher = client_as("teacher", teacher_id=org["teacher"]["id"])
    assert ids(teacher) == []
    assert teacher.get(f"/api/students/{two_groups['students'][0]['id']}").status_code == 403


@pytest.fixture
def teacher_scope() -> Iterator[None]:
    """A temporary teacher scope (every student in a group) in place of the sections' one, restored after."""

    def scope(actor: Actor) -> ColumnElement[bool]:
        return Student.group_id.is_not(None) if actor.teacher_id is not None else Student.id < 0

    previous = STUDENT_SCOPES.get("teacher")
    register_student_scope("teacher", scope)
    yield
    if previous is None:
        del STUDENT_SCOPES["teacher"]
    else:
        STUDENT_SCOPES["teacher"] = previous


def test_registered_scope_extends_a_role(client_as: Callable[..., FlaskClient], org: Org,
                                         two_groups: dict[str, Any], teacher_scope: None) -> None:  # fmt: skip
    teacher = client_as("teacher", teacher_id=org["teacher"]["id"])
    assert len(ids(teacher)) == 3


def test_full_roles_see_everyone_even_with_a_scoped_role(client_as: Callable[..., FlaskClient], org: Org,
                                                         two_groups: dict[str, Any]) -> None:  # fmt: skip
    for role in ("vice_rector", "exam_coordinator", "archivist"):
        assert len(ids(client_as(role))) == 3
    both = client_as("advisor", "archivist", teacher_id=org["teacher"]["id"])
    assert len(ids(both)) == 3
    assert client_as("scheduler").get("/api/students").status_code == 403


def test_require_self_or_role(app: Flask, client_as: Callable[..., FlaskClient], org: Org,
                              two_groups: dict[str, Any]) -> None:  # fmt: skip
    first = two_groups["students"][0]
    student = client_as("student", student_id=first["id"])
    secret = student.environ_base["HTTP_AUTHORIZATION"]
    with app.test_request_context(headers={"Authorization": secret}):
        authorize(allow("registrar").scoped(student="own record"))
        require_self_or_role(student_id=first["id"])
        with pytest.raises(Forbidden, match=r"only student 99 or registrar may do this"):
            require_self_or_role(student_id=99)
        with pytest.raises(Forbidden):
            require_self_or_role(teacher_id=org["teacher"]["id"])
    teacher = client_as("teacher", teacher_id=org["teacher"]["id"])
    with app.test_request_context(headers={"Authorization": teacher.environ_base["HTTP_AUTHORIZATION"]}):
        authorize(allow("registrar").scoped(teacher="own grade sheets"))
        require_self_or_role(teacher_id=org["teacher"]["id"])
    registrar = client_as("registrar")
    with app.test_request_context(headers={"Authorization": registrar.environ_base["HTTP_AUTHORIZATION"]}):
        authorize(allow("registrar").scoped(teacher="own grade sheets"))
        require_self_or_role(teacher_id=12345)
