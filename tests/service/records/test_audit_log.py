"""``GET /api/audit``: newest first, filters by entity, id, field, action, user, change id and time; registrar only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from service_testing import Api

from service.records import audit_log


def test_filters_and_order(api: Api, client_as: Callable[..., FlaskClient], org: dict[str, Any],
                           student_body: Callable[..., dict[str, Any]]) -> None:  # fmt: skip
    start = dt.datetime.now(dt.UTC).isoformat()
    student = api.create("/students", **student_body())
    order = {"kind": "expulsion_non_payment", "date": dt.date.today().isoformat(), "signatory": "A. Rector",
             "basis": "debt", "items": [{"student_id": student["id"]}]}  # fmt: skip
    response = api.client.post("/api/orders", json=order, headers={"X-Reason": "order 5-P"})
    assert response.status_code == 201
    reason = f"order {response.json['number']} (Expulsion for non-payment): order 5-P"
    log = api.get(f"/audit?entity=students&entity_id={student['id']}&per_page=200")
    assert log["items"][0]["action"] == "update" and log["items"][-1]["action"] == "create"
    assert [e["id"] for e in log["items"]] == sorted((e["id"] for e in log["items"]), reverse=True)
    status = api.get(f"/audit?entity=students&entity_id={student['id']}&field=status")["items"]
    assert [(e["action"], e["old_value"], e["new_value"], e["reason"]) for e in status] == [
        ("update", "active", "expelled", reason),
        ("create", None, "active", None),
    ]
    assert status[0]["actor"] == "registrar-test" and status[0]["at"].endswith("Z")
    assert api.get(f"/audit?change_id={status[0]['change_id']}")["total"] == 2  # status and group in one change
    assert api.get("/audit?user=registrar-test&action=update")["total"] == 2  # the status and the group
    assert api.get("/audit?user=nobody")["total"] == 0
    assert api.get(f"/audit?since={start.replace('+00:00', 'Z')}&entity=students")["total"] == log["total"]
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).isoformat()
    assert api.get(f"/audit?since={later.replace('+00:00', 'Z')}")["total"] == 0
    assert api.get(f"/audit?until={start.replace('+00:00', 'Z')}&entity=students")["total"] == 0
    assert api.get("/audit?per_page=1&page=2")["page"] == 2


def test_bad_filters_are_422(api: Api) -> None:
    assert "action" in api.fails("GET", "/audit?action=erase", 422)
    assert api.fails("GET", "/audit?since=2026-01-02&until=2026-01-01", 422) == {None: "until must be after since"}
    assert "since" in api.fails("GET", "/audit?since=yesterday", 422)


def test_only_the_registrar_reads_the_log(client_as: Callable[..., FlaskClient]) -> None:
    for role in ("vice_rector", "archivist", "scheduler"):
        assert client_as(role).get("/api/audit").status_code == 403


def test_total_stops_counting_at_the_limit(api: Api, monkeypatch: pytest.MonkeyPatch, org: dict[str, Any]) -> None:
    monkeypatch.setattr(audit_log, "COUNT_LIMIT", 3)
    page = api.get("/audit?per_page=2")
    assert page["total"] == 3 and page["total_is_lower_bound"] is True and len(page["items"]) == 2
    exact = api.get(f"/audit?entity=faculties&entity_id={org['faculty']['id']}")
    assert exact["total"] == 2 and exact["total_is_lower_bound"] is False
