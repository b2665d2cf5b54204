"""Contingent reports through the API: a small autumn of movements counted by hand; exports opened back with pandas;
the policy; bad queries."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd
import pytest
from movement_testing import enroll, person, register
from service_testing import Api

from models.contingent import MovementPolicy
from models.iin import make_iin

Org = dict[str, dict[str, Any]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def autumn(api: Api, org: Org) -> dict[str, Any]:
    """Five students enrolled (effective 1 September 2025), two of them Russian-speaking women on a paid basis;
    in October one goes on leave (3 Oct) and one is expelled (15 Oct); in November the one on leave returns
    (10 Nov) and one woman changes programme (transfer within, window off)."""
    api.client.post(
        "/api/contingent/policy",
        json=MovementPolicy(applications_required=frozenset(), windowed_kinds=frozenset()).model_dump(mode="json"),
    )
    russian = api.create(
        "/groups", code="CS-25-1r", programme_id=org["programme"]["id"], admission_year=2025, language="ru"
    )
    other = api.create(
        "/programmes", code="6B06102", name_en="Information Systems", level="bachelor", faculty_id=org["faculty"]["id"]
    )
    a, b, c = enroll(api, org, [1, 2, 3])
    women = register(
        api,
        "enrollment",
        "2025-08-25",
        [
            {
                "student": person(
                    s,
                    org,
                    iin=make_iin(dt.date(2007, 5, 1), "female", s),
                    sex="female",
                    birth_date="2007-05-01",
                    first_name=name,
                    language="ru",
                    group_id=russian["id"],
                    funding="paid",
                    citizenship=citizenship,
                )
            }
            for s, name, citizenship in ((4, "Aruzhan", "KZ"), (5, "Dana", "RU"))
        ],
        effective_on="2025-09-01",
    )
    d, e = (item["student_id"] for item in women["items"])
    leave = register(
        api,
        "academic_leave",
        "2025-10-03",
        [{"student_id": a, "leave_ground": "military", "leave_until": "2026-10-01"}],
    )
    register(api, "expulsion_non_payment", "2025-10-15", [{"student_id": b, "reason": "debt 2025"}])
    register(api, "return_from_leave", "2025-11-10", [{"student_id": a}])
    register(api, "transfer_within", "2025-11-20", [{"student_id": e, "programme_id": other["id"]}])
    return {"ids": (a, b, c, d, e), "other": other, "leave": leave}


def test_movement_of_october_by_programme(api: Api, autumn: dict[str, Any]) -> None:
    report = api.get("/reports/movement?period=2025-10&by=programme")
    assert (report["start"], report["end"], report["by"]) == ("2025-10-01", "2025-10-31", ["programme"])
    (row,) = report["rows"]
    assert row == {
        "cell": {"programme": "6B06101"},
        "opening": 5,
        "arrivals": {},
        "arrived": 0,
        "departures": {"academic_leave": 1, "expulsion_non_payment": 1},
        "departed": 2,
        "closing": 3,
    }
    assert report["total"]["closing"] == 3 and report["departure_kinds"] == ["expulsion_non_payment", "academic_leave"]


def test_movement_of_the_quarter_and_year_reconciles(api: Api, autumn: dict[str, Any]) -> None:
    quarter = api.get("/reports/movement?period=2025-Q4&by=programme,language")
    cells = {(r["cell"]["programme"], r["cell"]["language"]): r for r in quarter["rows"]}
    assert cells["6B06101", "kk"]["opening"] == 3 and cells["6B06101", "kk"]["closing"] == 2
    assert cells["6B06101", "ru"]["departures"] == {"transfer_within": 1}
    assert cells["6B06102", "ru"]["arrivals"] == {"transfer_within": 1} and cells["6B06102", "ru"]["closing"] == 1
    assert quarter["total"]["arrivals"] == {"return_from_leave": 1} and quarter["total"]["closing"] == 4
    year = api.get("/reports/movement?period=2025&by=faculty,year_of_study,study_form,funding,sex,citizenship")
    for report in (quarter, year):
        for row in [*report["rows"], report["total"]]:
            assert row["opening"] + row["arrived"] - row["departed"] == row["closing"]
    assert year["total"]["opening"] == 0 and year["total"]["arrivals"]["enrollment"] == 5
    academic = api.get("/reports/movement?period=2025/2026")
    assert academic["total"]["arrivals"] == {"enrollment": 5, "return_from_leave": 1}


def test_contingent_on_a_day(api: Api, autumn: dict[str, Any]) -> None:
    a, b, c, d, e = autumn["ids"]
    assert api.get("/contingent?on=2025-08-31")["total"] == 0
    first = api.get("/contingent?on=2025-10-01&by=sex")
    assert first["total"] == 5 and [(r["cell"]["sex"], r["students"]) for r in first["rows"]] == [
        ("female", 2),
        ("male", 3),
    ]
    october = api.get("/contingent/students?on=2025-10-20")
    assert {s["student_id"] for s in october["items"]} == {c, d, e} and october["total"] == 3
    on_leave = api.get("/contingent/students?on=2025-10-20&status=on_leave")["items"]
    assert [(s["student_id"], s["since"]) for s in on_leave] == [(a, "2025-10-03")]
    expelled = api.get("/contingent/students?on=2025-12-01&status=expelled&per_page=1")
    assert expelled["total"] == 1 and expelled["items"][0]["student_id"] == b
    moved = api.get(f"/contingent/students?on=2025-12-01&programme_id={autumn['other']['id']}")["items"]
    assert [s["programme_code"] for s in moved] == ["6B06102"]


def test_lists_of_students_on_leave_and_expelled(api: Api, autumn: dict[str, Any]) -> None:
    a, b, *_ = autumn["ids"]
    (leave,) = api.get("/reports/on-leave?period=2025-10")["rows"]
    assert (
        leave["student_id"],
        leave["leave_ground"],
        leave["starts_on"],
        leave["until"],
        leave["returned_on"],
        leave["order_number"],
    ) == (a, "military", "2025-10-03", "2026-10-01", "2025-11-10", "ALV-2025/001")
    assert api.get("/reports/on-leave?period=2025-09")["rows"] == []
    assert api.get("/reports/on-leave?period=2025-11-10..2025-11-30")["rows"] == []
    assert len(api.get("/reports/on-leave?period=2025-11-09..2025-11-30")["rows"]) == 1
    (expelled,) = api.get("/reports/expelled?period=2025-Q4")["rows"]
    assert (expelled["student_id"], expelled["kind"], expelled["reason"], expelled["order_number"]) == (
        b,
        "expulsion_non_payment",
        "debt 2025",
        "ENP-2025/001",
    )
    assert api.get("/reports/expelled?period=2025-11")["rows"] == []
    assert api.get("/reports/expelled?period=2025-Q4&faculty_id=999")["rows"] == []


def test_state_form_exports_open_back(api: Api, autumn: dict[str, Any]) -> None:
    form = api.get("/reports/state-form?on=2025-10-01")
    assert form["by"] == ["programme", "year_of_study", "sex", "funding", "language", "citizenship"]
    assert form["total"] == 5
    response = api.client.get("/api/reports/state-form?on=2025-10-01&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="state-form-2025-10-01.csv"'
    assert response.data.startswith("\ufeff".encode())
    csv = pd.read_csv(io.BytesIO(response.data), encoding="utf-8-sig", dtype={"programme": str})
    assert list(csv.columns) == [
        "programme",
        "programme_name",
        "year_of_study",
        "sex",
        "funding",
        "language",
        "citizenship",
        "students",
    ]
    body = csv[csv["programme"] != "Total"]
    assert body["students"].sum() == 5 == int(csv[csv["programme"] == "Total"]["students"].iloc[0])
    women = body[body["sex"] == "female"].set_index("citizenship")["students"].to_dict()
    assert women == {"KZ": 1, "RU": 1}
    assert set(body["programme_name"]) == {"Computer Science"}
    response = api.client.get("/api/reports/state-form?on=2025-10-01&format=xlsx")
    assert response.mimetype == XLSX
    sheets = pd.read_excel(io.BytesIO(response.data), sheet_name=None, dtype={"programme": str})
    assert set(sheets) == {"state-form-2025-10-01", "about"}
    table = sheets["state-form-2025-10-01"]
    pd.testing.assert_frame_equal(table, csv, check_dtype=False)
    about = dict(zip(sheets["about"]["item"], sheets["about"]["value"], strict=True))
    assert about["on"] == "2025-10-01" and "state form" in about["report"]


def test_movement_export_opens_back(api: Api, autumn: dict[str, Any]) -> None:
    response = api.client.get("/api/reports/movement?period=2025-Q4&by=programme&format=xlsx")
    table = pd.read_excel(io.BytesIO(response.data), sheet_name=0, dtype={"programme": str})
    assert list(table["programme"]) == ["6B06101", "6B06102", "Total"]
    assert list(table.columns) == [
        "programme",
        "opening",
        "arrived: Transfer within the university",
        "arrived: Return from academic leave",
        "arrived",
        "departed: Expulsion for non-payment",
        "departed: Transfer within the university",
        "departed: Academic leave",
        "departed",
        "closing",
    ]
    for _, row in table.iterrows():
        assert row["opening"] + row["arrived"] - row["departed"] == row["closing"]
    total = table.iloc[-1]
    assert (total["opening"], total["arrived"], total["departed"], total["closing"]) == (5, 1, 2, 4)
    csv = pd.read_csv(io.BytesIO(api.client.get("/api/reports/movement?period=2025-Q4&format=csv").data))
    assert csv.to_dict("records") == [
        {
            "university": "Total",
            "opening": 5,
            "arrived: Return from academic leave": 1,
            "arrived": 1,
            "departed: Expulsion for non-payment": 1,
            "departed: Academic leave": 1,
            "departed": 2,
            "closing": 4,
        }
    ]


def test_list_exports_open_back(api: Api, autumn: dict[str, Any]) -> None:
    leave = pd.read_csv(io.BytesIO(api.client.get("/api/reports/on-leave?period=2025-Q4&format=csv").data))
    assert list(leave["order_number"]) == ["ALV-2025/001"] and list(leave["returned_on"]) == ["2025-11-10"]
    expelled = pd.read_excel(io.BytesIO(api.client.get("/api/reports/expelled?period=2025&format=xlsx").data))
    assert list(expelled["kind"]) == ["Expulsion for non-payment"]
    empty = pd.read_csv(io.BytesIO(api.client.get("/api/reports/expelled?period=2024&format=csv").data))
    assert empty.empty and "order_number" in empty.columns


def test_cancellations_count_as_movements(api: Api, autumn: dict[str, Any]) -> None:
    """A cancelled expulsion stays in October's report and list; the cancellation is December's arrival."""
    expulsion = api.get("/orders?kind=expulsion_non_payment")["items"][0]
    register(api, "cancellation", "2025-12-01", [], cancels_order_id=expulsion["id"])
    assert api.get("/reports/movement?period=2025-12")["total"]["arrivals"] == {"cancellation": 1}
    assert api.get("/reports/movement?period=2025-10")["total"]["departures"]["expulsion_non_payment"] == 1
    (row,) = api.get("/reports/expelled?period=2025-Q4")["rows"]
    assert (row["order_number"], row["cancelled_by"]) == ("ENP-2025/001", "CAN-2025/001")
    assert api.get("/contingent?on=2025-12-01")["total"] == 5


def test_bad_report_queries(api: Api, org: Org) -> None:
    assert "not a period" in api.fails("GET", "/reports/movement?period=autumn", 422)["period"]
    assert "unknown dimension 'colour'" in api.fails("GET", "/reports/movement?by=colour", 422)["by"]
    assert "named twice" in api.fails("GET", "/contingent?by=sex,sex", 422)["by"]
    assert set(api.fails("GET", "/reports/state-form?format=pdf", 422)) == {"format"}
    assert set(api.fails("GET", "/contingent?on=2025-02-30", 422)) == {"on"}
    today = dt.date.today()
    assert api.get("/reports/movement")["period"] == today.strftime("%Y-%m")
    assert api.get("/contingent")["on"] == today.isoformat()


def test_policy_is_read_and_replaced_whole(api: Api, org: Org) -> None:
    policy = api.get("/contingent/policy")
    assert policy == MovementPolicy().model_dump(mode="json")
    assert set(api.fails("POST", "/contingent/policy", 422, {"reinstatement_paid_only": False})) == set(policy) - {
        "reinstatement_paid_only"
    }
    changed = policy | {
        "lost_contact_min_missed_hours": 60,
        "transfer_windows": [{"name": "summer", "starts": "07-01", "ends": "08-31"}],
    }
    assert api.client.post("/api/contingent/policy", json=changed).json == changed
    assert api.get("/contingent/policy") == changed
    broken = changed | {"leave_grounds": [policy["leave_grounds"][0], policy["leave_grounds"][0]]}
    assert "repeated: medical" in api.fails("POST", "/contingent/policy", 422, broken)["leave_grounds"]
    assert api.get("/contingent/policy") == changed
