"""Helpers of the movement tests: register orders and applications through the API (a module of its own, like
``service_testing``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from service_testing import Api

from models.iin import make_iin

SIGNATORY = "A. Rector, Rector"


def person(serial: int, org: dict[str, dict[str, Any]], **changes: Any) -> dict[str, Any]:
    """A new student of ``org``'s programme and group (born 2007-03-12, male, IIN serial ``serial``)."""
    return {
        "iin": make_iin(dt.date(2007, 3, 12), "male", serial),
        "last_name": "Nurlanov",
        "first_name": f"Arman{serial}",
        "birth_date": "2007-03-12",
        "sex": "male",
        "language": "kk",
        "funding": "state_grant",
        "programme_id": org["programme"]["id"],
        "group_id": org["group"]["id"],
        "admission_year": 2025,
    } | changes


def order_body(kind: str, date: str, items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "date": date,
        "signatory": SIGNATORY,
        "basis": "decision of the council",
        "items": items,
    } | extra


def register(api: Api, kind: str, date: str, items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """Register an order; asserts 201 and returns it."""
    return api.create("/orders", **order_body(kind, date, items, **extra))


def refuse(
    api: Api, kind: str, date: str, items: list[dict[str, Any]], status: int = 422, **extra: Any
) -> dict[str | None, str]:
    """Register an order that must be refused; returns ``{field: message}``."""
    return api.fails("POST", "/orders", status, order_body(kind, date, items, **extra))


def enroll(
    api: Api, org: dict[str, dict[str, Any]], serials: range | list[int], date: str = "2025-08-25", **changes: Any
) -> list[int]:
    """Enroll new students (one order); their ids."""
    order = register(
        api, "enrollment", date, [{"student": person(s, org, **changes)} for s in serials], effective_on="2025-09-01"
    )
    return [item["student_id"] for item in order["items"]]


def approved(api: Api, kind: str, student_id: int | None = None, on: str = "2025-09-20", **body: Any) -> int:
    """An application of ``kind`` by ``student_id``, reviewed and approved on ``on``; its id."""
    fields = {"kind": kind, "submitted_on": on, "submitted_by": "student"} | body
    if student_id is not None:
        fields["student_id"] = student_id
    application = api.create("/applications", **fields)
    for state in ("under_review", "approved"):
        api.client.post(f"/api/applications/{application['id']}/decision", json={"state": state, "on": on})
    assert api.get(f"/applications/{application['id']}")["state"] == "approved"
    return int(application["id"])
