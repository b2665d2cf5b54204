"""Academic years and periods: control weeks, deadlines, containment and overlap."""

from __future__ import annotations

from typing import Any

import pytest
from service_testing import Api


@pytest.fixture
def year(api: Api) -> dict[str, Any]:
    return api.create("/academic-years", start_year=2025, starts_on="2025-09-01", ends_on="2026-08-15")


def autumn(year: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = {
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
    }
    return body | changes


SPRING = {
    "kind": "spring",
    "starts_on": "2026-01-19",
    "ends_on": "2026-05-24",
    "rk1_deadline": "2026-03-14",
    "rk2_deadline": "2026-05-02",
    "exam_deadline": "2026-05-23",
}
"""A spring period of 18 weeks (RK1 week 8, RK2 week 15, session weeks 16-18), after the autumn one."""


def test_academic_year(api: Api, year: dict[str, Any]) -> None:
    assert year["name"] == "2025/2026"
    assert api.get(f"/academic-years/{year['id']}") == year
    assert set(api.fails("POST", "/academic-years", 409, {"start_year": 2025, "starts_on": "2025-09-01",
                                                          "ends_on": "2026-06-30"})) == {"start_year"}  # fmt: skip
    errors = api.fails("POST", "/academic-years", 422, {"start_year": 2026, "starts_on": "2025-09-01",
                                                        "ends_on": "2026-06-01"})  # fmt: skip
    assert errors == {"starts_on": "the academic year 2026/2027 starts in 2026, not on 2025-09-01"}
    errors = api.fails("POST", "/academic-years", 422, {"start_year": 2026, "starts_on": "2026-09-01",
                                                        "ends_on": "2027-09-01"})  # fmt: skip
    assert set(errors) == {"ends_on"}
    assert set(api.fails("POST", "/academic-years", 422, {"start_year": 2026, "starts_on": "2026-13-01",
                                                          "ends_on": "2027-06-01"})) == {"starts_on"}  # fmt: skip


def test_period_create_and_filters(api: Api, year: dict[str, Any]) -> None:
    period = api.create("/periods", **autumn(year))
    assert api.get(f"/periods/{period['id']}") == period
    assert api.get(f"/periods?academic_year_id={year['id']}&kind=autumn")["total"] == 1
    assert api.get("/periods?kind=spring")["total"] == 0
    assert set(api.fails("POST", "/periods", 409, autumn(year, **SPRING | {"kind": "autumn"}))) == {"kind"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": "2025-08-01"}, "ends_on"),
        ({"rk2_week": 8}, "rk2_week"),
        ({"session_first_week": 15}, "session_first_week"),
        ({"session_last_week": 19}, "session_last_week"),
        ({"rk1_deadline": "2025-10-19"}, "rk1_deadline"),
        ({"rk2_deadline": "2025-10-20"}, "rk2_deadline"),
        ({"exam_deadline": "2025-12-10"}, "exam_deadline"),
        ({"kind": "winter"}, "kind"),
        ({"rk1_week": 0}, "rk1_week"),
    ],
)
def test_period_rules(api: Api, year: dict[str, Any], changes: dict[str, Any], field: str) -> None:
    assert field in api.fails("POST", "/periods", 422, autumn(year, **changes))


def test_period_within_year_and_no_overlap(api: Api, year: dict[str, Any]) -> None:
    errors = api.fails("POST", "/periods", 422, autumn(year, starts_on="2025-08-25"))
    assert "before the academic year" in errors["starts_on"]
    api.create("/periods", **autumn(year))
    spring = autumn(year, kind="spring", starts_on="2025-12-29", ends_on="2026-05-02", rk1_deadline="2026-02-21",
                    rk2_deadline="2026-04-11", exam_deadline="2026-05-01")  # fmt: skip
    assert "overlaps the autumn period" in api.fails("POST", "/periods", 422, spring)["starts_on"]
    assert api.create("/periods", **autumn(year, **SPRING))["kind"] == "spring"
    errors = api.fails("PATCH", f"/academic-years/{year['id']}", 422, {"ends_on": "2026-03-01"})
    assert "spring" in errors["starts_on"]
    assert "periods" in api.fails("DELETE", f"/academic-years/{year['id']}", 409)[None]


def test_dates_outside_the_supported_years(api: Api, year: dict[str, Any]) -> None:
    errors = api.fails("POST", "/periods", 422, autumn(year, starts_on="9999-12-25", ends_on="9999-12-31"))
    assert {"starts_on", "ends_on"} <= set(errors)
    period = api.create("/periods", **autumn(year))
    assert set(api.fails("PATCH", f"/periods/{period['id']}", 422, {"exam_deadline": "1899-12-31"})) == {
        "exam_deadline"
    }
    assert api.patch(f"/periods/{period['id']}", exam_deadline="2026-01-04")["exam_deadline"] == "2026-01-04"


def test_add_drop_deadlines(api: Api, year: dict[str, Any]) -> None:
    period = api.create("/periods", **autumn(year))
    assert (period["add_deadline"], period["drop_deadline"]) == ("2025-09-07", "2025-09-14")  # ends of weeks 1, 2
    errors = api.fails("POST", "/periods", 422, autumn(year, **SPRING, add_deadline="2026-03-15"))
    assert errors == {"add_deadline": "must not come after rk1_deadline 2026-03-14"}
    errors = api.fails("POST", "/periods", 422, autumn(year, **SPRING, add_deadline="2026-02-01",
                                                       drop_deadline="2026-01-31"))  # fmt: skip
    assert errors == {"drop_deadline": "must not come before add_deadline 2026-02-01"}
    spring = api.create("/periods", **autumn(year, **SPRING, drop_deadline="2026-01-20"))
    assert (spring["add_deadline"], spring["drop_deadline"]) == ("2026-01-20", "2026-01-20")
    changed = api.patch(f"/periods/{period['id']}", add_deadline="2025-09-10", drop_deadline="2025-09-30")
    assert (changed["add_deadline"], changed["drop_deadline"]) == ("2025-09-10", "2025-09-30")
