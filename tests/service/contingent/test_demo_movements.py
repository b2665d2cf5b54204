"""``registrar demo-data``'s year of movement: orders of many kinds, consecutive register numbers, a history for
every student, reports that reconcile, on both databases."""

from __future__ import annotations

from collections import defaultdict

from flask import Flask
from service_testing import Api
from sqlalchemy import func, select

from service import db
from service.demo import fill
from service.models import Application, Order, Student, StudentState


def test_a_year_of_movement(app: Flask, api: Api) -> None:
    with app.app_context():
        session = db.session()
        counts = fill(session, "small", seed=2)
        assert counts["orders"] >= 12 and counts["applications"] >= 3
        kinds = set(session.scalars(select(Order.kind)))
        assert {"enrollment", "expulsion_non_payment", "academic_leave", "transfer_within", "reinstatement",
                "transfer_in", "promotion", "cancellation"} <= kinds  # fmt: skip
        numbers: dict[tuple[str, int], list[int]] = defaultdict(list)
        for order in session.scalars(select(Order).order_by(Order.id)):
            numbers[order.kind, order.year].append(order.sequence)
        assert all(sorted(seqs) == list(range(1, len(seqs) + 1)) for seqs in numbers.values())
        students = session.scalar(select(func.count()).select_from(Student))
        with_history = session.scalar(select(func.count(func.distinct(StudentState.student_id))))
        assert students == with_history
        used = session.scalars(select(Application).where(Application.state == "approved")).all()
        assert used and all(a.order_id is not None for a in used)
    year = api.get("/reports/movement?period=2025/2026&by=programme,year_of_study")
    assert year["total"]["arrivals"]["enrollment"] > 0 and year["total"]["departures"]
    for row in [*year["rows"], year["total"]]:
        assert row["opening"] + row["arrived"] - row["departed"] == row["closing"]
    assert year["total"]["opening"] > 0 and "record" not in year["total"]["arrivals"]  # the balance of 31 August
    october = api.get("/contingent?on=2025-10-01")["total"]
    assert 0 < october == api.get("/contingent/students?on=2025-10-01&per_page=1")["total"]
    assert api.get("/reports/expelled?period=2025/2026")["rows"]
