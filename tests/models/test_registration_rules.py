"""models.registration: credit limits per period kind, semester and year of study."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from models.registration_rules import CreditLimit, CreditLimits, semester_of_study, year_of_study


def test_default_limits() -> None:
    limits = CreditLimits()
    assert limits.limit("autumn") == CreditLimit(min_credits=15, max_credits=45)
    assert limits.limit("summer").max_credits == 15


@pytest.mark.parametrize(
    ("total", "over"), [(45, None), (46, "46 credits, above the maximum of 45 for an autumn period")]
)
def test_maximum_boundary(total: int, over: str | None) -> None:
    assert CreditLimits().over_maximum("autumn", total) == over


@pytest.mark.parametrize(
    ("total", "under"), [(15, None), (14, "14 credits, below the minimum of 15 for a spring period")]
)
def test_minimum_boundary(total: int, under: str | None) -> None:
    assert CreditLimits().under_minimum("spring", total) == under


def test_limits_are_validated() -> None:
    with pytest.raises(ValidationError, match="min_credits 20 is above max_credits 10"):
        CreditLimit(min_credits=20, max_credits=10)
    with pytest.raises(ValidationError, match="Extra inputs"):
        CreditLimits.model_validate({"winter": {"min_credits": 1, "max_credits": 2}})
    with pytest.raises(ValueError, match="unknown period kind"):
        CreditLimits().limit("winter")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("admitted", "start", "kind", "semester"),
    [(2025, 2025, "autumn", 1), (2025, 2025, "spring", 2), (2025, 2026, "autumn", 3), (2022, 2025, "spring", 8),
     (2025, 2025, "summer", None)],
)  # fmt: skip
def test_semester_of_study(admitted: int, start: int, kind: str, semester: int | None) -> None:
    assert semester_of_study(admitted, start, kind) == semester  # type: ignore[arg-type]


def test_period_before_admission() -> None:
    with pytest.raises(ValueError, match="before admission in 2026"):
        semester_of_study(2026, 2025, "autumn")
    assert year_of_study(2025, 2025) == 1 and year_of_study(2022, 2025) == 4
