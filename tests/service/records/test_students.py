"""Students: the IIN (checksum, uniqueness, agreement with birth date and sex), references, filters, no delete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from service_testing import Api
from sqlalchemy import func, select

from models.iin import make_iin
from service import db
from service.auth import authorize
from service.models import Student
from service.records.students import STUDENTS
from service.schemas.students import StudentQuery

Body = Callable[..., dict[str, Any]]
Org = dict[str, dict[str, Any]]


def test_create_get_list_update(api: Api, org: Org, student_body: Body) -> None:
    student = api.create("/students", **student_body(middle_name="Serikovich"))
    assert student["status"] == "active" and student["citizenship"] == "KZ" and student["study_form"] == "full_time"
    assert api.get(f"/students/{student['id']}") == student
    female = student_body(2, iin=make_iin(dt.date(2006, 12, 1), "female", 7), birth_date="2006-12-01", sex="female",
                          first_name="Aruzhan", last_name="Omarova", funding="paid")  # fmt: skip
    api.create("/students", **female)
    assert [s["last_name"] for s in api.get("/students?funding=paid")["items"]] == ["Omarova"]
    assert [s["last_name"] for s in api.get("/students?q=nurl")["items"]] == ["Nurlanov"]
    assert api.get(f"/students?iin={female['iin']}")["total"] == 1
    assert api.get(f"/students?group_id={org['group']['id']}&sex=female")["total"] == 1
    changed = api.patch(f"/students/{student['id']}", group_id=None)
    assert changed["group_id"] is None
    assert api.client.delete(f"/api/students/{student['id']}").status_code == 405


@pytest.mark.parametrize("field", ["status", "programme_id", "study_form", "funding", "language"])
def test_contingent_fields_change_only_by_order(api: Api, org: Org, student_body: Body, field: str) -> None:
    student = api.create("/students", **student_body())
    other = api.create("/programmes", code="6B06102", name_en="Information Systems", level="bachelor",
                       faculty_id=org["faculty"]["id"])  # fmt: skip
    new = {"status": "on_leave", "programme_id": other["id"], "study_form": "part_time", "funding": "paid",
           "language": "ru"}[field]  # fmt: skip
    changes = {field: new, "group_id": None} if field in ("programme_id", "language") else {field: new}
    errors = api.fails("PATCH", f"/students/{student['id']}", 422, changes)
    assert set(errors) == {field} and "changes only by a registered order" in errors[field]
    assert api.get(f"/students/{student['id']}") == student
    assert api.patch(f"/students/{student['id']}", **{field: student[field]})[field] == student[field]


def test_a_new_student_is_taken_on_record(api: Api, student_body: Body) -> None:
    student = api.create("/students", **student_body(status="on_leave"))
    history = api.get(f"/students/{student['id']}/history")["entries"]
    assert [(e["kind"], e["status"], e["order_id"]) for e in history] == [("record", "on_leave", None)]
    assert history[0]["effective_on"] == dt.date.today().isoformat()


def test_iin_checksum(api: Api, student_body: Body) -> None:
    good = student_body()["iin"]
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    errors = api.fails("POST", "/students", 422, student_body(iin=bad))
    assert set(errors) == {"iin"}
    assert "checksum mismatch" in errors["iin"]
    for text in ("07031250001", "07031250001X", "0703125000123"):
        assert set(api.fails("POST", "/students", 422, student_body(iin=text))) == {"iin"}


def test_birth_date_and_sex_must_agree_with_iin(api: Api, student_body: Body) -> None:
    errors = api.fails("POST", "/students", 422, student_body(birth_date="2007-03-13"))
    assert errors == {"birth_date": f"2007-03-13 does not agree with the IIN {student_body()['iin']}, "
                                    "which encodes 2007-03-12"}  # fmt: skip
    errors = api.fails("POST", "/students", 422, student_body(sex="female"))
    assert set(errors) == {"sex"} and "encodes male" in errors["sex"]
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    assert "in the future" in api.fails("POST", "/students", 422, student_body(birth_date=future))["birth_date"]


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"last_name": "Nurlanuly"}, "change-of-name order"),
        ({"first_name": "Aidar", "middle_name": "Serikovich"}, "change-of-name order"),
        ({"iin": make_iin(dt.date(2006, 1, 2), "male", 3), "birth_date": "2006-01-02"}, "personal-data-changes"),
        ({"iin": make_iin(dt.date(2007, 3, 12), "female", 4), "sex": "female"}, "personal-data-changes"),
        ({"citizenship": "RU"}, "personal-data-changes"),
    ],
)
def test_personal_data_changes_only_with_its_justification(
    api: Api, student_body: Body, changes: dict[str, Any], path: str
) -> None:
    """One path per personal field, each registering the change with its order or document: never a PATCH."""
    student = api.create("/students", **student_body())
    errors = api.fails("PATCH", f"/students/{student['id']}", 422, changes)
    assert set(errors) == set(changes) and all(path in message for message in errors.values())
    assert api.get(f"/students/{student['id']}") == student


def test_unique_iin(api: Api, student_body: Body) -> None:
    first = api.create("/students", **student_body())
    assert api.fails("POST", "/students", 409, student_body(first_name="Other")) == {
        "iin": f"a student with iin {first['iin']} already exists"
    }
    second = api.create("/students", **student_body(2, iin=make_iin(dt.date(2007, 3, 12), "male", 2)))
    assert set(api.fails("PATCH", f"/students/{second['id']}", 422, {"iin": first["iin"]})) == {"iin"}


def test_group_must_belong_to_programme(api: Api, org: Org, student_body: Body) -> None:
    other = api.create("/programmes", code="6B06102", name_en="Information Systems", level="bachelor",
                       faculty_id=org["faculty"]["id"])  # fmt: skip
    errors = api.fails("POST", "/students", 422, student_body(programme_id=other["id"]))
    assert errors == {"group_id": "group CS-25-1k belongs to programme 6B06101, not the student's"}
    assert api.create("/students", **student_body(programme_id=other["id"], group_id=None))["group_id"] is None
    assert api.fails("POST", "/students", 422, student_body(group_id=999)) == {
        "group_id": "no academic group with id 999"
    }


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"citizenship": "kz"}, {"citizenship"}),
        ({"language": "de", "funding": "loan"}, {"language", "funding"}),
        ({"study_form": "evening", "status": "gone"}, {"study_form", "status"}),
        ({"status": "dropped"}, {"status"}),
        ({"birth_date": "12.03.2007"}, {"birth_date"}),
        ({"admission_year": "2025"}, {"admission_year"}),
        ({"programme_id": None}, {"programme_id"}),
        ({"first_name": ""}, {"first_name"}),
    ],
)
def test_field_errors(api: Api, student_body: Body, changes: dict[str, Any], fields: set[str]) -> None:
    assert set(api.fails("POST", "/students", 422, student_body(**changes))) == fields
    assert api.get("/students")["total"] == 0


def test_search_is_a_case_insensitive_substring_of_iin_or_names(api: Api, student_body: Body) -> None:
    first = api.create("/students", **student_body(1, last_name="Serikbaev", first_name="Dias"))
    second = api.create("/students", **student_body(2, last_name="Omarov", first_name="Aiserik"))
    api.create("/students", **student_body(3, last_name="Kim_Pak", first_name="Maxim"))

    def found(q: str) -> list[int]:
        return [s["id"] for s in api.get(f"/students?q={q}")["items"]]

    assert found("SERIK") == [first["id"], second["id"]]
    assert found("rikb") == [first["id"]]
    assert found(first["iin"][6:]) == [first["id"]]
    assert [s["last_name"] for s in api.get("/students?q=_")["items"]] == ["Kim_Pak"]  # a literal underscore
    assert found("%25") == []  # a literal percent sign, not a wildcard


def test_search_uses_the_trigram_index_on_postgresql(app: Flask, backend: str, client: FlaskClient) -> None:
    """The ``q`` conditions the list builds are ones ``ix_students_search`` (pg_trgm GIN) can answer: with
    sequential scans priced out, the count of a search reads that index for every searched column."""
    if backend != "postgresql":
        pytest.skip("SQLite has no trigram index: the search scans the table")
    token = client.environ_base["HTTP_AUTHORIZATION"]
    with app.test_request_context(headers={"Authorization": token}):
        authorize(STUDENTS.read)  # type: ignore[arg-type]
        conditions = STUDENTS.list_conditions(StudentQuery(q="Nurl"))
        statement = select(func.count()).select_from(Student).where(*conditions)
        connection = db.session().connection()
        sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = "\n".join(connection.exec_driver_sql(f"EXPLAIN {sql}", ()).scalars())
    assert plan.count("Bitmap Index Scan on ix_students_search") == 3, plan


def test_search_index_has_no_pending_list_on_postgresql(app: Flask, backend: str) -> None:
    """``ix_students_search`` is updated directly (``fastupdate=off``, migration ``0010_search_fastupdate``): a
    GIN pending list would make the planner scan every student instead of using the index until a vacuum."""
    if backend != "postgresql":
        pytest.skip("SQLite has no GIN index")
    with app.app_context():
        options = (
            db.session()
            .connection()
            .exec_driver_sql("SELECT reloptions FROM pg_class WHERE relname = 'ix_students_search'")
            .scalar()
        )
    assert options == ["fastupdate=off"]
