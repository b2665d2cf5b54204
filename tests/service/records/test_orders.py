"""Orders through the API on both databases: every kind applied and refused, atomicity (a refused order writes
nothing), the registers' numbering, the history's order in time, applications, cancellation by another order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from movement_testing import approved, enroll, person, refuse, register
from service_testing import Api
from sqlalchemy import func, select

from models.contingent import MovementPolicy
from service import db
from service.models import Order, OrderItem, Student, StudentState

Org = dict[str, dict[str, Any]]


@pytest.fixture
def world(api: Api, org: Org) -> Org:
    """``org`` plus a Russian group of the same programme, a second programme with a Kazakh group, and a policy
    that asks for no applications (the application rule has its own tests)."""
    russian = api.create(
        "/groups", code="CS-25-1r", programme_id=org["programme"]["id"], admission_year=2025, language="ru"
    )
    other = api.create(
        "/programmes", code="6B06102", name_en="Information Systems", level="bachelor", faculty_id=org["faculty"]["id"]
    )
    other_group = api.create("/groups", code="IS-25-1k", programme_id=other["id"], admission_year=2025, language="kk")
    policy = MovementPolicy(applications_required=frozenset()).model_dump(mode="json")
    api.client.post("/api/contingent/policy", json=policy)
    return org | {"russian": russian, "other": other, "other_group": other_group}


def student(api: Api, student_id: int) -> dict[str, Any]:
    return api.get(f"/students/{student_id}")  # type: ignore[no-any-return]


def history(api: Api, student_id: int) -> list[tuple[str, str, int]]:
    return [(e["kind"], e["status"], e["year_of_study"]) for e in api.get(f"/students/{student_id}/history")["entries"]]


def snapshot(app: Flask) -> tuple[Any, ...]:
    """Everything an order can change: students, history, orders, items."""
    with app.app_context():
        session = db.session()
        students = [
            tuple(getattr(s, c.key) for c in Student.__table__.columns)
            for s in session.scalars(select(Student).order_by(Student.id))
        ]
        counts = tuple(session.scalar(select(func.count()).select_from(m)) for m in (StudentState, Order, OrderItem))
        return tuple(students), counts


def test_enrollment_creates_students_and_numbers_the_register(api: Api, world: Org) -> None:
    first = register(
        api,
        "enrollment",
        "2025-08-25",
        [{"student": person(1, world)}, {"student": person(2, world)}],
        effective_on="2025-09-01",
    )
    assert first["number"] == "ENR-2025/001" and first["title"] == "Enrollment"
    assert [item["student_name"] for item in first["items"]] == ["Nurlanov Arman1", "Nurlanov Arman2"]
    second = register(api, "enrollment", "2025-08-26", [{"student": person(3, world), "year_of_study": 2}])
    assert second["number"] == "ENR-2025/002" and second["effective_on"] == "2025-08-26"
    new = student(api, first["items"][0]["student_id"])
    assert new["status"] == "active" and new["group_id"] == world["group"]["id"]
    assert history(api, new["id"]) == [("enrollment", "active", 1)]
    assert history(api, second["items"][0]["student_id"]) == [("enrollment", "active", 2)]
    assert register(api, "enrollment", "2026-08-25", [{"student": person(4, world)}])["number"] == "ENR-2026/001"


def test_enrollment_refusals(api: Api, world: Org) -> None:
    enroll(api, world, [1])
    taken = refuse(api, "enrollment", "2025-08-26", [{"student": person(1, world)}])
    assert "already exists" in taken["items.0.student.iin"]
    assert refuse(api, "enrollment", "2025-08-26", [{"student": person(2, world), "programme_id": 1}]) == {
        "items.0.programme_id": "give it in 'student' for a new student"
    }
    wrong_group = refuse(api, "enrollment", "2025-08-26", [{"student": person(2, world, language="ru")}])
    assert "taught in kk, not ru" in wrong_group["items.0.group_id"]
    assert (
        "repeated IINs"
        in refuse(api, "enrollment", "2025-08-26", [{"student": person(2, world)}, {"student": person(2, world)}])[
            "items"
        ]
    )
    assert "describes the new student" in refuse(api, "enrollment", "2025-08-26", [{"student_id": 1}])["items"]
    assert "at least one student" in refuse(api, "enrollment", "2025-08-26", [])["items"]


def test_expulsions(api: Api, world: Org) -> None:
    a, b, c, d, e = enroll(api, world, range(1, 6))
    register(api, "expulsion_academic_failure", "2025-10-01", [{"student_id": a, "reason": "third F"}])
    register(api, "expulsion_non_payment", "2025-10-01", [{"student_id": b}])
    register(api, "expulsion_lost_contact", "2025-10-01", [{"student_id": c, "missed_hours": 96}])
    register(api, "expulsion_own_request", "2025-10-01", [{"student_id": d}])
    out = register(api, "transfer_out", "2026-01-05", [{"student_id": e, "other_university": "ENU"}])
    assert out["number"] == "TOU-2026/001"
    for sid in (a, b, c, d, e):
        assert student(api, sid)["status"] == "expelled" and student(api, sid)["group_id"] is None
    assert history(api, a) == [("enrollment", "active", 1), ("expulsion_academic_failure", "expelled", 1)]
    again = refuse(api, "expulsion_non_payment", "2025-10-02", [{"student_id": a}])
    assert again == {
        "items.0": "an order of kind expulsion_non_payment applies only to a student who is active; "
        "this student is expelled"
    }


def test_expulsion_refusals(api: Api, world: Org) -> None:
    (a,) = enroll(api, world, [1])
    assert (
        "at least 80 missed hours; 20 given"
        in refuse(api, "expulsion_lost_contact", "2025-10-01", [{"student_id": a, "missed_hours": 20}])[
            "items.0.missed_hours"
        ]
    )
    assert (
        "outside"
        in refuse(api, "transfer_out", "2025-10-01", [{"student_id": a, "other_university": "ENU"}])["items.0"]
    )
    assert refuse(api, "expulsion_own_request", "2025-10-01", [{"student_id": 999}]) == {
        "items.0.student_id": "no student with id 999"
    }
    assert (
        "not used by an order of kind expulsion_non_payment"
        in refuse(api, "expulsion_non_payment", "2025-10-01", [{"student_id": a, "leave_ground": "medical"}])[
            "items.0.leave_ground"
        ]
    )
    assert student(api, a)["status"] == "active"


def test_academic_leave_and_return(api: Api, world: Org) -> None:
    a, b, c = enroll(api, world, range(1, 4))
    leave = register(
        api,
        "academic_leave",
        "2025-10-03",
        [
            {
                "student_id": a,
                "leave_ground": "medical",
                "leave_until": "2026-06-30",
                "commission_number": "MAC-17",
                "commission_date": "2025-10-01",
            },
            {"student_id": b, "leave_ground": "military", "leave_until": "2026-12-01"},
            {
                "student_id": c,
                "leave_ground": "childcare",
                "leave_until": "2027-05-01",
                "child_birth_date": "2024-06-01",
            },
        ],
    )
    assert leave["number"] == "ALV-2025/001"
    assert {student(api, s)["status"] for s in (a, b, c)} == {"on_leave"}
    assert api.get(f"/students/{a}/history")["entries"][-1]["leave_until"] == "2026-06-30"
    assert refuse(api, "return_from_leave", "2026-07-01", [{"student_id": a, "year_of_study": 2}]) == {
        "items.0.year_of_study": "a student returns from leave to the same year of study, 1"
    }
    back = register(api, "return_from_leave", "2026-07-01", [{"student_id": a, "group_id": world["group"]["id"]}])
    assert back["number"] == "RET-2026/001"
    assert student(api, a)["status"] == "active" and student(api, a)["group_id"] == world["group"]["id"]
    assert history(api, a)[-1] == ("return_from_leave", "active", 1)


def test_academic_leave_refusals(api: Api, world: Org) -> None:
    (a,) = enroll(api, world, [1])
    medical = refuse(
        api, "academic_leave", "2025-10-03", [{"student_id": a, "leave_ground": "medical", "leave_until": "2026-01-01"}]
    )
    assert set(medical) == {"items.0.leave_until", "items.0.commission_number", "items.0.commission_date"}
    unknown = refuse(
        api,
        "academic_leave",
        "2025-10-03",
        [{"student_id": a, "leave_ground": "sabbatical", "leave_until": "2026-01-01"}],
    )
    assert "unknown leave ground 'sabbatical'" in unknown["items.0.leave_ground"]
    childcare = refuse(
        api,
        "academic_leave",
        "2025-10-03",
        [{"student_id": a, "leave_ground": "childcare", "leave_until": "2027-07-01", "child_birth_date": "2024-06-01"}],
    )
    assert childcare == {
        "items.0.leave_until": "a childcare leave ends at the latest when the child is 3, on 2027-06-01"
    }
    assert "active" in refuse(api, "return_from_leave", "2025-10-03", [{"student_id": a}])["items.0"]


def test_configured_leave_ground(api: Api, world: Org) -> None:
    (a,) = enroll(api, world, [1])
    policy = api.get("/contingent/policy")
    policy["leave_grounds"].append(
        {
            "code": "family",
            "title": "Family circumstances",
            "min_months": None,
            "max_months": 6,
            "requires_commission": False,
            "child_care": False,
        }
    )
    assert api.client.post("/api/contingent/policy", json=policy).status_code == 200
    assert (
        "at most 6 months"
        in refuse(
            api,
            "academic_leave",
            "2025-10-03",
            [{"student_id": a, "leave_ground": "family", "leave_until": "2026-06-01"}],
        )["items.0.leave_until"]
    )
    register(
        api, "academic_leave", "2025-10-03", [{"student_id": a, "leave_ground": "family", "leave_until": "2026-04-01"}]
    )
    assert student(api, a)["status"] == "on_leave"


def test_reinstatement(api: Api, world: Org) -> None:
    a, b = enroll(api, world, [1, 2])
    register(api, "expulsion_non_payment", "2025-10-01", [{"student_id": a}, {"student_id": b}])
    assert "outside" in refuse(api, "reinstatement", "2025-11-01", [{"student_id": a}])["items.0"]
    assert (
        "paid basis"
        in refuse(api, "reinstatement", "2025-12-28", [{"student_id": a, "funding": "state_grant"}])["items.0.funding"]
    )
    order = register(api, "reinstatement", "2025-12-28", [{"student_id": a, "group_id": world["group"]["id"]}])
    assert order["number"] == "REI-2025/001"
    assert student(api, a)["status"] == "active" and student(api, a)["funding"] == "paid"
    assert "this student is active" in refuse(api, "reinstatement", "2025-12-29", [{"student_id": a}])["items.0"]


def test_transfer_in(api: Api, world: Org) -> None:
    item = {"student": person(7, world, funding="paid"), "year_of_study": 2, "other_university": "KazNU"}
    assert "outside" in refuse(api, "transfer_in", "2025-10-01", [item])["items.0"]
    assert set(refuse(api, "transfer_in", "2025-08-01", [{"student": person(7, world)}])) == {
        "items.0.year_of_study",
        "items.0.other_university",
    }
    order = register(api, "transfer_in", "2025-08-01", [item])
    assert order["number"] == "TIN-2025/001"
    assert history(api, order["items"][0]["student_id"]) == [("transfer_in", "active", 2)]


def test_transfer_within(api: Api, world: Org) -> None:
    a, b = enroll(api, world, [1, 2])
    moved = register(
        api,
        "transfer_within",
        "2026-01-05",
        [
            {"student_id": a, "programme_id": world["other"]["id"], "group_id": world["other_group"]["id"]},
            {"student_id": b, "language": "ru", "group_id": world["russian"]["id"]},
        ],
    )
    assert moved["items"][0]["previous"]["group_id"] == world["group"]["id"]
    assert student(api, a)["programme_id"] == world["other"]["id"]
    assert student(api, b)["language"] == "ru" and student(api, b)["group_id"] == world["russian"]["id"]
    assert (
        "changes nothing"
        in refuse(api, "transfer_within", "2026-01-06", [{"student_id": b, "language": "ru"}])["items.0"]
    )
    assert (
        "belongs to another programme"
        in refuse(
            api,
            "transfer_within",
            "2026-01-06",
            [{"student_id": b, "programme_id": world["other"]["id"], "group_id": world["group"]["id"]}],
        )["items.0.group_id"]
    )
    assert "outside" in refuse(api, "transfer_within", "2026-02-01", [{"student_id": b, "funding": "paid"}])["items.0"]


def test_change_of_name_promotion_graduation(api: Api, world: Org) -> None:
    a, b = enroll(api, world, [1, 2])
    renamed = register(api, "change_of_name", "2025-11-01", [{"student_id": a, "last_name": "Nurlanuly"}])
    assert renamed["items"][0]["previous"]["last_name"] == "Nurlanov"
    assert student(api, a)["last_name"] == "Nurlanuly"
    assert (
        "stays the same"
        in refuse(api, "change_of_name", "2025-11-02", [{"student_id": a, "last_name": "Nurlanuly"}])["items.0"]
    )
    assert (
        "only a student in the last year (4)" in refuse(api, "graduation", "2026-06-20", [{"student_id": b}])["items.0"]
    )
    for year in ("2026", "2027", "2028"):
        register(api, "promotion", f"{year}-08-20", [{"student_id": a}, {"student_id": b}])
    assert history(api, a)[-1] == ("promotion", "active", 4)
    assert "graduation, not promotion" in refuse(api, "promotion", "2029-08-20", [{"student_id": a}])["items.0"]
    graduation = register(api, "graduation", "2029-06-20", [{"student_id": a}, {"student_id": b}])
    assert graduation["number"] == "GRD-2029/001" and student(api, a)["status"] == "graduated"


def test_a_refused_order_changes_nothing(app: Flask, api: Api, world: Org) -> None:
    a, b = enroll(api, world, [1, 2])
    register(api, "expulsion_non_payment", "2025-10-01", [{"student_id": b}])
    before = snapshot(app)
    errors = refuse(
        api,
        "academic_leave",
        "2025-10-03",
        [
            {"student_id": a, "leave_ground": "military", "leave_until": "2026-12-01"},
            {"student_id": b, "leave_ground": "military", "leave_until": "2026-12-01"},
        ],
    )
    assert set(errors) == {"items.1"}
    assert snapshot(app) == before
    mixed = refuse(api, "enrollment", "2025-08-26", [{"student": person(5, world)}, {"student": person(1, world)}])
    assert set(mixed) == {"items.1.student.iin"}
    assert snapshot(app) == before
    assert (
        register(
            api,
            "academic_leave",
            "2025-10-03",
            [{"student_id": a, "leave_ground": "military", "leave_until": "2026-12-01"}],
        )["number"]
        == "ALV-2025/001"
    )


def test_history_is_only_appended(api: Api, world: Org) -> None:
    (a,) = enroll(api, world, [1])
    register(
        api,
        "academic_leave",
        "2025-11-03",
        [{"student_id": a, "leave_ground": "military", "leave_until": "2026-12-01"}],
    )
    early = refuse(api, "return_from_leave", "2025-10-01", [{"student_id": a}])
    assert "a movement taking effect on 2025-11-03 (order ALV-2025/001)" in early["items.0.student_id"]
    on_day = register(api, "return_from_leave", "2025-11-20", [{"student_id": a}], effective_on="2025-11-03")
    assert on_day["effective_on"] == "2025-11-03"
    assert history(api, a)[-2:] == [("academic_leave", "on_leave", 1), ("return_from_leave", "active", 1)]


def test_state_on_a_day(api: Api, world: Org) -> None:
    (a,) = enroll(api, world, [1])
    register(
        api,
        "academic_leave",
        "2025-10-03",
        [{"student_id": a, "leave_ground": "military", "leave_until": "2026-12-01"}],
    )
    assert api.get(f"/students/{a}/state?on=2025-08-31")["state"] is None
    assert api.get(f"/students/{a}/state?on=2025-10-02")["state"]["status"] == "active"
    on_leave = api.get(f"/students/{a}/state?on=2025-10-03")["state"]
    assert on_leave["status"] == "on_leave" and on_leave["order_number"] == "ALV-2025/001"
    assert api.fails("GET", f"/students/{a}/state?on=soon", 422) == {
        "on": "Input should be a valid date or datetime, input is too short"
    }
    assert api.fails("GET", "/students/999/history", 404) == {None: "no student with id 999"}


def test_cancellation_restores_the_students(api: Api, world: Org) -> None:
    a, b = enroll(api, world, [1, 2])
    renamed = register(api, "change_of_name", "2025-11-01", [{"student_id": a, "last_name": "Nurlanuly"}])
    expelled = register(api, "expulsion_non_payment", "2025-11-05", [{"student_id": a}, {"student_id": b}])
    before_later = refuse(api, "cancellation", "2025-11-10", [], cancels_order_id=renamed["id"])
    assert "has a later movement (order ENP-2025/001" in before_later["cancels_order_id"]
    assert (
        "no earlier than the order it cancels (2025-11-05)"
        in refuse(api, "cancellation", "2025-11-04", [], cancels_order_id=expelled["id"])["effective_on"]
    )
    cancel = register(api, "cancellation", "2025-11-10", [], cancels_order_id=expelled["id"])
    assert cancel["number"] == "CAN-2025/001" and [i["student_id"] for i in cancel["items"]] == [a, b]
    assert api.get(f"/orders/{expelled['id']}")["cancelled_by_order_id"] == cancel["id"]
    assert student(api, a)["status"] == "active" and student(api, a)["group_id"] == world["group"]["id"]
    assert history(api, b)[-1] == ("cancellation", "active", 1)
    assert (
        "already cancelled by order CAN-2025/001"
        in refuse(api, "cancellation", "2025-11-11", [], cancels_order_id=expelled["id"])["cancels_order_id"]
    )
    assert (
        "is a cancellation"
        in refuse(api, "cancellation", "2025-11-11", [], cancels_order_id=cancel["id"])["cancels_order_id"]
    )
    register(api, "cancellation", "2025-11-12", [], cancels_order_id=renamed["id"])
    assert student(api, a)["last_name"] == "Nurlanov"
    assert refuse(api, "cancellation", "2025-11-12", [], cancels_order_id=999) == {
        "cancels_order_id": "no order with id 999"
    }


def test_cancelled_enrollment_leaves_a_non_student(api: Api, world: Org) -> None:
    order = register(api, "enrollment", "2025-08-25", [{"student": person(1, world)}])
    register(api, "cancellation", "2025-08-30", [], cancels_order_id=order["id"])
    sid = order["items"][0]["student_id"]
    assert student(api, sid)["status"] == "not_enrolled" and student(api, sid)["group_id"] is None
    assert "not_enrolled" in refuse(api, "expulsion_non_payment", "2025-09-10", [{"student_id": sid}])["items.0"]


def test_order_body_rules(api: Api, world: Org) -> None:
    (a,) = enroll(api, world, [1])
    assert "names the order it cancels" in refuse(api, "cancellation", "2025-11-10", [])["cancels_order_id"]
    assert (
        "only a cancellation"
        in refuse(api, "expulsion_non_payment", "2025-11-10", [{"student_id": a}], cancels_order_id=1)[
            "cancels_order_id"
        ]
    )
    assert (
        f"repeated student ids: [{a}]"
        in refuse(api, "expulsion_non_payment", "2025-11-10", [{"student_id": a}, {"student_id": a}])["items"]
    )
    body = {"kind": "promotion", "date": "2025-11-10", "items": [{"student_id": a}]}
    assert set(api.fails("POST", "/orders", 422, body)) == {"signatory", "basis"}
    assert api.client.delete("/api/orders/1").status_code == 405
    assert api.client.patch("/api/orders/1", json={"basis": "x"}).status_code == 405


def test_applications_are_required_and_checked(api: Api, world: Org) -> None:
    a, b = enroll(api, world, [1, 2])
    policy = api.get("/contingent/policy") | {"applications_required": ["expulsion_own_request"]}
    api.client.post("/api/contingent/policy", json=policy)
    assert (
        "needs the student's approved application"
        in refuse(api, "expulsion_own_request", "2025-10-01", [{"student_id": a}])["items.0.application_id"]
    )
    submitted = api.create(
        "/applications", kind="expulsion_own_request", student_id=a, submitted_on="2025-09-20", submitted_by="student"
    )
    assert (
        "is submitted, not approved"
        in refuse(api, "expulsion_own_request", "2025-10-01", [{"student_id": a, "application_id": submitted["id"]}])[
            "items.0.application_id"
        ]
    )
    leave_application = approved(api, "academic_leave", a)
    assert (
        "asks for academic_leave"
        in refuse(api, "expulsion_own_request", "2025-10-01", [{"student_id": a, "application_id": leave_application}])[
            "items.0.application_id"
        ]
    )
    own = approved(api, "expulsion_own_request", a)
    assert (
        f"is not student {b}'s"
        in refuse(api, "expulsion_own_request", "2025-10-01", [{"student_id": b, "application_id": own}])[
            "items.0.application_id"
        ]
    )
    order = register(api, "expulsion_own_request", "2025-10-01", [{"student_id": a, "application_id": own}])
    assert api.get(f"/applications/{own}")["order_id"] == order["id"]
    register(api, "cancellation", "2025-10-02", [], cancels_order_id=order["id"])
    assert api.get(f"/applications/{own}")["order_id"] is None  # free again once the order is cancelled
    again = register(api, "expulsion_own_request", "2025-10-03", [{"student_id": a, "application_id": own}])
    assert (
        "already acted on by order EOR-2025/002"
        in refuse(api, "expulsion_own_request", "2025-10-04", [{"student_id": b, "application_id": own}])[
            "items.0.application_id"
        ]
    )
    assert again["items"][0]["application_id"] == own


def test_admission_application_matches_the_new_student(api: Api, world: Org) -> None:
    new = person(3, world)
    application = approved(
        api,
        "admission",
        applicant_iin=new["iin"],
        applicant_last_name="Nurlanov",
        applicant_first_name="Arman3",
        on="2025-07-20",
    )
    other = person(4, world)
    assert (
        "not " + other["iin"]
        in refuse(api, "enrollment", "2025-08-25", [{"student": other, "application_id": application}])[
            "items.0.application_id"
        ]
    )
    order = register(api, "enrollment", "2025-08-25", [{"student": new, "application_id": application}])
    assert order["items"][0]["application_id"] == application


def test_register_lists_and_filters(api: Api, world: Org) -> None:
    a, b = enroll(api, world, [1, 2])
    register(api, "expulsion_non_payment", "2025-10-01", [{"student_id": a}])
    register(
        api,
        "academic_leave",
        "2026-02-01",
        [{"student_id": b, "leave_ground": "military", "leave_until": "2026-12-01"}],
    )
    assert api.get("/orders")["total"] == 3
    assert [o["number"] for o in api.get("/orders?kind=academic_leave")["items"]] == ["ALV-2026/001"]
    assert [o["number"] for o in api.get(f"/orders?student_id={a}")["items"]] == ["ENP-2025/001", "ENR-2025/001"]
    assert api.get("/orders?year=2026")["total"] == 1
    assert api.get("/orders?date_from=2025-09-01&date_to=2025-12-31")["total"] == 1
    assert api.get("/orders?q=council")["total"] == 3
    assert api.fails("GET", "/orders/999", 404) == {None: "no order with id 999"}


def test_a_student_without_history_is_taken_on_record(app: Flask, api: Api, world: Org) -> None:
    """Students inserted outside the service (no history) are taken on record when an order first names them."""
    (a,) = enroll(api, world, [1])
    with app.app_context():
        session = db.session()
        session.execute(StudentState.__table__.delete().where(StudentState.student_id == a))
        session.execute(OrderItem.__table__.delete())
        session.execute(Order.__table__.delete())
        session.commit()
    register(api, "expulsion_non_payment", "2025-10-01", [{"student_id": a}])
    assert history(api, a) == [("record", "active", 1), ("expulsion_non_payment", "expelled", 1)]


def test_a_student_reads_only_their_own_history(api: Api, world: Org, client_as: Callable[..., FlaskClient]) -> None:
    a, b = enroll(api, world, [1, 2])
    own = client_as("student", student_id=a)
    assert own.get(f"/api/students/{a}/history").status_code == 200
    assert own.get(f"/api/students/{a}/state?on=2025-10-01").json["state"]["status"] == "active"
    refused = own.get(f"/api/students/{b}/history")
    assert refused.status_code == 403 and "may not see student" in refused.json["errors"][0]["message"]
    assert own.get("/api/orders").status_code == 403
    assert own.post("/api/orders", json={}).status_code == 403
    advisor = client_as("advisor", teacher_id=world["teacher"]["id"])  # advises CS-25-1k, a's and b's group
    assert advisor.get(f"/api/students/{b}/history").status_code == 200
    other = api.create("/teachers", code="Kim_DS", last_name="Kim", first_name="Dana")
    stranger = client_as("advisor", teacher_id=other["id"])
    assert stranger.get(f"/api/students/{b}/history").status_code == 403
    assert client_as("vice_rector").get("/api/orders").json["total"] == 1
