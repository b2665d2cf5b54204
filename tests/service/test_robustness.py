"""No input makes the API answer 5xx: valid bodies with random fields swapped in, and random query strings,
get 2xx, 400, 404, 409 or 422 on both databases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from service_testing import Api

from models.contingent import MovementPolicy
from models.iin import make_iin
from service.api.openapi import registered_endpoints

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=5),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["", " ", "\u0000", "6B06101", "7M06101", "kk", "exam", "2025-09-01", "2026-01-04", "%", "_"]),
    st.dates().map(str),
    st.lists(st.integers(min_value=-2, max_value=2**40), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
# too_slow: on a loaded machine generating valid bodies is slow; that says nothing about the server.
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def valid(api: Api, org: dict[str, dict[str, Any]], student_body: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """A valid create body per collection path (the references exist), and the ids that exist."""
    plan = api.create("/study-plans", programme_id=org["programme"]["id"], admission_year=2024)
    year = api.create("/academic-years", start_year=2025, starts_on="2025-09-01", ends_on="2026-08-15")
    student = api.create("/students", **student_body(2, iin=make_iin(dt.date(2007, 3, 12), "male", 2)))
    application = api.create("/applications", kind="academic_leave", student_id=student["id"],
                             submitted_on="2025-10-01", submitted_by="student")  # fmt: skip
    bodies = {
        "/api/faculties": {"code": "FEN", "name_en": "Engineering"},
        "/api/departments": {"code": "ME", "name_en": "Mechanics", "faculty_id": org["faculty"]["id"]},
        "/api/programmes": {"code": "7M06101", "name_en": "CS", "level": "master", "faculty_id": org["faculty"]["id"]},
        "/api/study-plans": {"programme_id": org["programme"]["id"], "admission_year": 2025},
        "/api/plan-disciplines": {
            "plan_id": plan["id"],
            "semester": 1,
            "code": "PRG",
            "name_en": "Programming",
            "credits": 5,
            "control": "exam",
        },
        "/api/academic-years": {"start_year": 2026, "starts_on": "2026-09-01", "ends_on": "2027-08-15"},
        "/api/periods": {
            "academic_year_id": year["id"],
            "kind": "autumn",
            "starts_on": "2025-09-01",
            "ends_on": "2026-01-04",
            "rk1_week": 8,
            "rk2_week": 15,
            "session_first_week": 16,
            "session_last_week": 18,
            "rk1_deadline": "2025-10-25",
            "rk2_deadline": "2025-12-13",
            "exam_deadline": "2026-01-03",
        },
        "/api/rooms": {"code": "A-101", "building": "A", "capacity": 30, "type": "classroom"},
        "/api/teachers": {"code": "Kim_DS", "last_name": "Kim", "first_name": "Dana"},
        "/api/groups": {
            "code": "CS-25-2r",
            "programme_id": org["programme"]["id"],
            "admission_year": 2025,
            "language": "ru",
        },
        "/api/streams": {"code": "CS-25-kk", "language": "kk", "group_ids": [org["group"]["id"]]},
        "/api/students": student_body(),
        "/api/users": {"username": "dana", "full_name": "Dana Kim", "password": "long enough", "roles": ["archivist"]},
        "/api/me/tokens": {"name": "fuzz", "days": 3},
        "/api/orders": {
            "kind": "enrollment",
            "date": "2025-08-25",
            "signatory": "A. Rector",
            "basis": "admission results",
            "items": [{"student": student_body(3, iin=make_iin(dt.date(2007, 3, 12), "male", 3))}],
        },
        "/api/applications": {
            "kind": "academic_leave",
            "student_id": student["id"],
            "submitted_on": "2025-10-01",
            "submitted_by": "student",
        },
        "/api/applications/<int:id>/decision": {"state": "under_review", "on": "2025-10-02"},
        "/api/applications/<int:id>/documents": {"kind": "statement", "title": "Statement", "reference": "No. 1"},
        "/api/contingent/policy": MovementPolicy().model_dump(mode="json"),
    }
    item = api.create("/archive/nomenclature", year=2026, index="04-12", title="Personal files", retention_years=75,
                      article="1")  # fmt: skip
    archive_file = api.create("/archive/files", nomenclature_item_id=item["id"], kind="case", title="Orders",
                              start_date="2020-01-10", end_date="2020-12-20", pages=5)  # fmt: skip
    day = {"approved_on": "2026-07-02"}
    bodies |= {
        "/api/personal-file-documents": {"student_id": student["id"], "kind": "photos", "title": "Photos",
                                         "received_on": "2025-08-01", "copies": 6},
        "/api/students/<int:id>/personal-data-changes": {"changes": {"citizenship": "RU"}, "effective_on": "2026-02-01",
                                                         "order_id": 1},
        "/api/graduation/honours-rule": {"rule": {"min_gpa": 3.5, "lowest_letter": "B-"}, "reason": "council"},
        "/api/archive/nomenclature": {"year": 2026, "index": "01-01", "title": "Orders", "permanent": True,
                                      "article": "12"},
        "/api/archive/files": {"nomenclature_item_id": item["id"], "kind": "case", "title": "Timetables",
                               "start_date": "2020-01-01", "end_date": "2020-12-31", "pages": 3},
        "/api/archive/files/prepare": {"kind": "graduate_personal_file", "nomenclature_item_id": item["id"],
                                       "end_date": "2026-06-30"},
        "/api/archive/files/<int:id>/condition": {"checked_on": "2026-03-01", "condition": "damaged"},
        "/api/archive/files/<int:id>/loans": {"borrower": "Dean", "purpose": "check", "lent_on": "2026-03-01"},
        "/api/archive/loans/<int:id>/return": {"returned_on": "2026-03-05", "condition": "intact"},
        "/api/archive/inventories": {"year": 2020, "kind": "case", "compiled_on": "2026-07-01"},
        "/api/archive/inventories/<int:id>/approve": day,
        "/api/archive/inventories/<int:id>/accept": {"accepted_on": "2026-07-03", "missing": [1]},
        "/api/archive/storage-readings": {"room": "R1", "measured_at": "2026-03-01T09:00:00Z", "temperature": 18,
                                          "humidity": 52},
        "/api/archive/acts": {"kind": "destruction", "compiled_on": "2026-09-01"},
        "/api/archive/acts/<int:id>/approve": day,
        "/api/archive/acts/<int:id>/execute": {"executed_on": "2026-09-03"},
        "/api/documents": {"kind": "student_card", "student_id": student["id"], "language": "kk"},
        "/api/documents/<int:id>/revoke": {"reason": "lost"},
    }  # fmt: skip
    bodies.update(academic_bodies(api, org, student_body, plan, year))
    bodies.update(timetable_bodies(bodies["/api/sections"]["period_id"]))
    ids = sorted({r["id"] for r in org.values()} | {plan["id"], year["id"], student["id"], application["id"],
                                                   item["id"], archive_file["id"]}
                 | set(bodies.pop("ids")))  # fmt: skip
    return {"bodies": bodies, "ids": ids}


def academic_bodies(api: Api, org: dict[str, dict[str, Any]], student_body: Callable[..., dict[str, Any]],
                    plan: dict[str, Any], year: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    """Valid bodies of the registration, section and settings endpoints: a spring period (today in its add
    window), a confirmed registration of a student admitted in 2024 with a section and an enrolment."""
    api.client.application.config["TODAY"] = "2026-01-20"
    spring = api.create("/periods", academic_year_id=year["id"], kind="spring", starts_on="2026-01-19",
                        ends_on="2026-05-24", rk1_week=8, rk2_week=15, session_first_week=16, session_last_week=18,
                        rk1_deadline="2026-03-14", rk2_deadline="2026-05-02", exam_deadline="2026-05-23")  # fmt: skip
    compulsory = api.create("/plan-disciplines", plan_id=plan["id"], semester=4, code="DB", name_en="Databases",
                            credits=15, control="exam")  # fmt: skip
    elective = api.create("/plan-disciplines", plan_id=plan["id"], semester=4, code="ML", name_en="ML", credits=5,
                          control="exam", component="elective")  # fmt: skip
    first = api.create("/students", **student_body(serial=7, admission_year=2024))
    second = api.create("/students", **student_body(serial=8, admission_year=2024))
    registration = api.create("/registrations", student_id=first["id"], period_id=spring["id"])
    api.post(f"/registrations/{registration['id']}/submit")
    enrolment = api.post(f"/registrations/{registration['id']}/confirm")["enrolments"][0]
    return {
        "/api/grading-policy": {"policy": {"rounding": "floor"}, "reason": "council decision"},
        "/api/credit-limits": {"limits": {"summer": {"min_credits": 1, "max_credits": 15}}, "reason": "council"},
        "/api/registrations": {"student_id": second["id"], "period_id": spring["id"], "discipline_ids": []},
        "/api/registrations/<int:id>/disciplines": {"plan_discipline_id": elective["id"]},
        "/api/registrations/<int:id>/return": {"reason": "choose an elective"},
        "/api/sections": {
            "period_id": spring["id"],
            "plan_discipline_id": elective["id"],
            "group_id": org["group"]["id"],
            "teacher_id": org["teacher"]["id"],
        },
        "/api/sections/build": {"period_id": spring["id"]},
        "/api/sections/<int:id>/marks": {"rows": [{"enrolment_id": enrolment["id"], "current1": 80}]},
        "/api/sections/<int:id>/reopenings": {"control": "rk1", "until": "2026-04-01", "reason": "illness"},
        "ids": [
            spring["id"],
            compulsory["id"],
            elective["id"],
            first["id"],
            registration["id"],
            enrolment["id"],
            enrolment["section_id"],
        ],
    }


def timetable_bodies(period_id: int) -> dict[str, Any]:
    """Valid bodies of the timetable workflow endpoints (a solve of the spring period; versions by id)."""
    version = "/api/timetable-versions/<int:id>"
    return {
        "/api/timetable-jobs": {"period_id": period_id, "kind": "lessons", "time_limit": 1},
        f"{version}/submit": {"revision": 1},
        f"{version}/approve": {"revision": 1, "comment": "fine"},
        f"{version}/return": {"revision": 1, "comment": "fewer Saturdays"},
        f"{version}/publish": {"revision": 1},
        f"{version}/lesson-moves": {"revision": 1, "course": "DB-P-CS-25-1k", "day": 0, "pair": 0, "room": "A-101",
                                    "to_day": 1, "to_pair": 1},
        f"{version}/exam-moves": {"revision": 1, "exam": "DB-CS-25-1k", "to_period": 0},
        f"{version}/repair": {"revision": 1, "time_limit": 1},
    }  # fmt: skip


def writes(app: Flask) -> list[tuple[str, str, str]]:
    """(Flask rule, method, collection path) of every endpoint with a body."""
    out = []
    for rule, _, spec in registered_endpoints(app):
        if spec.body:
            out.append((rule, spec.method, rule.removesuffix("/<int:id>")))  # a body per collection or action
    return out


@pytest.fixture
def staff_client(client_as: Callable[..., FlaskClient]) -> FlaskClient:
    """A client holding every staff role, so every write's role gate lets it through to the input."""
    return client_as("registrar", "vice_rector", "scheduler", "exam_coordinator", "archivist")


@SETTINGS
@given(data=st.data())
def test_mutated_bodies_never_fail_the_server(
    app: Flask, staff_client: FlaskClient, valid: dict[str, Any], data: st.DataObject
) -> None:
    client = staff_client
    rule, method, collection = data.draw(st.sampled_from(writes(app)))
    base: dict[str, Any] = dict(valid["bodies"][collection])
    ids = st.sampled_from(valid["ids"])
    if method == "PATCH":  # a few of the valid fields
        base = {k: base[k] for k in data.draw(st.sets(st.sampled_from(sorted(base)), max_size=3))}
    for name in data.draw(st.sets(st.sampled_from([*valid["bodies"][collection], "extra"]), max_size=2)):
        base[name] = data.draw(VALUES | ids)
    record_id = data.draw(ids | st.integers(min_value=0, max_value=3) | st.integers(min_value=2**31, max_value=2**70))
    url = rule.replace("<int:id>", str(record_id))
    response = client.open(url, method=method, json=base)
    allowed = {200, 201, 400, 404, 409, 422}
    assert response.status_code in allowed, (method, url, base, response.json)
    assert response.status_code == 400 or response.is_json


@SETTINGS
@given(data=st.data())
def test_random_query_strings_never_fail_the_server(app: Flask, client: FlaskClient, data: st.DataObject) -> None:
    choices = [(rule, spec.query) for rule, _, spec in registered_endpoints(app) if spec.query]
    rule, schema = data.draw(st.sampled_from(choices))
    path = rule.replace("<int:id>", str(data.draw(st.sampled_from([1, 2, 999999]))))  # a record's sub-resource
    names = st.sampled_from([*schema.model_fields, "other"])
    params = data.draw(st.dictionaries(names, VALUES.map(str), max_size=4))
    response = client.get(path, query_string=params)
    allowed = {200, 422} | ({404} if path != rule else set())
    assert response.status_code in allowed, (path, params, response.json)
