"""Property of the service on both databases: random sequences of orders, registered through the API, are accepted
exactly when the pure rules accept them; a refused one changes nothing; and the movement reports of the API
reconcile and agree with the pure arithmetic over the same histories."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from movement_testing import order_body, person
from service_testing import Api
from sqlalchemy import func, select

from models.contingent import (
    Catalogue,
    Change,
    MovementPolicy,
    MovementRefused,
    Names,
    OrderContext,
    OrderKind,
    State,
    Status,
    Subject,
    apply_order,
)
from models.contingent_report import Entry, Period, group_histories, movement_report
from models.iin import InvalidIIN, make_iin
from service import db
from service.models import Order, Student, StudentState

K = OrderKind
START = dt.date(2025, 9, 1)
COUNTER = itertools.count(1)
POLICY = MovementPolicy(windowed_kinds=frozenset(), applications_required=frozenset())
SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
PLAUSIBLE: dict[Status | None, list[OrderKind]] = {
    None: [K.ENROLLMENT, K.TRANSFER_IN],
    Status.ACTIVE: [K.EXPULSION_NON_PAYMENT, K.EXPULSION_ACADEMIC_FAILURE, K.ACADEMIC_LEAVE, K.TRANSFER_WITHIN,
                    K.PROMOTION, K.CHANGE_OF_NAME, K.TRANSFER_OUT, K.GRADUATION],
    Status.ON_LEAVE: [K.RETURN_FROM_LEAVE, K.EXPULSION_OWN_REQUEST],
    Status.EXPELLED: [K.REINSTATEMENT, K.CHANGE_OF_NAME],
    Status.GRADUATED: [K.CHANGE_OF_NAME],
}  # fmt: skip
EVERY_KIND = sorted(k for k in OrderKind if k is not K.CANCELLATION)
Step = tuple[int, int, bool, int, int]
STEPS = st.lists(
    st.tuples(st.integers(0, 4), st.integers(0, 45), st.booleans(), st.integers(0, 1000), st.integers(0, 2)),
    min_size=4, max_size=14,
)  # fmt: skip
"""Each step: student 0-4, days after the previous step, any kind (else one plausible for the status), which
kind, and a parameter choice; every step draws the same shape whatever happens, so examples replay exactly."""


def change_for(kind: OrderKind, choice: int, world: dict[str, Any]) -> dict[str, Any]:
    """Item parameters of ``kind`` (for existing students; new students get theirs from ``person``)."""
    if kind is K.EXPULSION_LOST_CONTACT:
        return {"missed_hours": (60, 80, 100)[choice]}
    if kind is K.TRANSFER_OUT:
        return {"other_university": "ENU"}
    if kind is K.TRANSFER_WITHIN:
        return {"programme_id": (world["programme"], world["other"], world["other"])[choice], "group_id": None}
    if kind is K.ACADEMIC_LEAVE:
        return {"leave_ground": "military", "leave_until": "2028-06-01"}
    if kind is K.CHANGE_OF_NAME:
        return {"last_name": ("Omarov", "Kim", "Nurlanov")[choice]}
    if kind is K.REINSTATEMENT:
        return ({}, {"year_of_study": 1}, {})[choice]
    return {}


@SETTINGS
@given(steps=STEPS, first=st.integers(0, 200), length=st.integers(0, 240))
def test_random_orders_through_the_api(app: Flask, api: Api, steps: list[Step], first: int, length: int) -> None:
    n = next(COUNTER)
    api.client.post("/api/contingent/policy", json=POLICY.model_dump(mode="json"))
    faculty = api.create("/faculties", code=f"F{n}", name_en=f"Faculty {n}")
    programme = api.create("/programmes", code=f"6B{n:05d}", name_en="P", level="bachelor", faculty_id=faculty["id"])
    other = api.create("/programmes", code=f"6B{n + 50000:05d}", name_en="Q", level="bachelor",
                       faculty_id=faculty["id"])  # fmt: skip
    group = api.create("/groups", code=f"G{n}", programme_id=programme["id"], admission_year=2025, language="kk")
    world = {"programme": programme["id"], "other": other["id"], "group": group}
    years = {programme["id"]: 4, other["id"]: 4}
    catalogue = Catalogue(years.get, lambda g: (programme["id"], "kk") if g == group["id"] else None)
    subjects: dict[int, Subject] = {}
    ids: dict[int, int] = {}
    entries: list[tuple[int, Entry]] = []
    day = START
    for sequence, (who, step, wild, which, choice) in enumerate(steps):
        day += dt.timedelta(days=step)
        subject = subjects.get(who, Subject(None, Names("Nurlanov", f"Arman{who}"), None))
        status = subject.state.status if subject.state else None
        options = EVERY_KIND if wild and which % 3 == 0 else PLAUSIBLE[status]
        kind = options[which % len(options)]
        if KIND_NEW[kind]:
            if who in ids:
                continue  # the person exists: an enrollment would be a duplicate IIN, tested elsewhere
            item: dict[str, Any] = {"student": person(0, {"programme": {"id": programme["id"]},
                                                               "group": group}, first_name=f"Arman{who}",
                                                      iin=next_iin())}  # fmt: skip
            if kind is K.TRANSFER_IN:
                item |= {"year_of_study": 2, "other_university": "KazNU"}
            terms = {"programme_id": programme["id"], "group_id": group["id"], "study_form": "full_time",
                     "funding": "state_grant", "language": "kk"}  # fmt: skip
            terms |= {k: v for k, v in item.items() if k != "student"}
        else:
            if who not in ids:
                continue
            terms = change_for(kind, choice, world)
            item = {"student_id": ids[who]} | terms
        context = OrderContext(kind, day, day, POLICY, catalogue)
        try:
            expected: Subject | None = apply_order(subject, Change(**terms), context)
        except MovementRefused:
            expected = None
        before = snapshot(app)
        response = api.client.post("/api/orders", json=order_body(kind.value, day.isoformat(), [item]))
        if expected is None:
            assert response.status_code == 422, (kind, subject, terms, response.json)
            assert snapshot(app) == before  # a refused order changes nothing
            continue
        assert response.status_code == 201, (kind, subject, terms, response.json)
        ids[who] = response.json["items"][0]["student_id"]
        subjects[who] = expected
        assert expected.state is not None
        entries.append((ids[who], Entry(day, sequence, kind.value, expected.state)))
        stored = api.get(f"/students/{ids[who]}")
        assert (stored["status"], stored["programme_id"], stored["last_name"], stored["group_id"]) == (
            expected.state.status.value,
            expected.state.programme_id,
            expected.names.last_name,
            expected.group_id,
        )
    start = START + dt.timedelta(days=first)
    period = Period(start, start + dt.timedelta(days=length), "p")
    query = f"period={period.start}..{period.end}&by=faculty,programme,year_of_study"
    report = api.get(f"/reports/movement?{query}")
    mine = [r for r in report["rows"] if r["cell"]["faculty"] == faculty["code"]]
    for row in mine:
        assert row["opening"] + row["arrived"] - row["departed"] == row["closing"]
    codes = {programme["id"]: programme["code"], other["id"]: other["code"]}

    def cell(_student: int, state: State) -> tuple[str, str, int]:
        return faculty["code"], codes[state.programme_id], state.year_of_study

    pure = movement_report(group_histories(entries), period, cell)
    assert {tuple(r["cell"].values()): (r["opening"], r["arrivals"], r["departures"], r["closing"]) for r in mine} == {
        r.key: (r.opening, dict(r.arrivals), dict(r.departures), r.closing) for r in pure.rows
    }


SERIALS = itertools.count(1)


def next_iin() -> str:
    """A new valid IIN (serials without a check digit are skipped)."""
    while True:
        try:
            return make_iin(dt.date(2007, 3, 12), "male", next(SERIALS) % 10000)
        except InvalidIIN:
            continue


KIND_NEW = {kind: kind in (K.ENROLLMENT, K.TRANSFER_IN) for kind in OrderKind}


def snapshot(app: Flask) -> tuple[Any, ...]:
    with app.app_context():
        session = db.session()
        students = session.execute(
            select(Student.id, Student.status, Student.programme_id, Student.group_id, Student.last_name).order_by(
                Student.id
            )
        ).all()
        counts = tuple(session.scalar(select(func.count()).select_from(m)) for m in (StudentState, Order))
        return tuple(map(tuple, students)), counts
