"""Archive rules: retention dates (counted from 1 January after closing), transfer dates, storage norms,
inventory numbering.

Hand computations: a case closed in 2020 with 5 years is kept 2021-2025 and may go from 2026-01-01; closed on
31 December 2020 the same; with 75 years (personal files) from 2096-01-01. A permanent case closed in 2015 is
due for transfer after 10 years on 2026-01-01.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from models.archive import ArchivePolicy, Retention, StorageNorms, inventory_order, number_inventory, transfer_due_on


def test_retention_counts_from_the_first_of_january_after_closing() -> None:
    five = Retention(years=5)
    assert five.expires_on(2020) == dt.date(2026, 1, 1)
    assert not five.expired(2020, dt.date(2025, 12, 31))
    assert five.expired(2020, dt.date(2026, 1, 1))
    assert Retention(years=75).expires_on(2021) == dt.date(2097, 1, 1)
    assert Retention(years=75).describe() == "75 years"


def test_permanent_cases_never_expire() -> None:
    permanent = Retention(permanent=True)
    assert permanent.expires_on(1990) is None
    assert not permanent.expired(1990, dt.date(2200, 1, 1))
    assert permanent.describe() == "permanent"


@pytest.mark.parametrize("given_", [{}, {"years": 5, "permanent": True}, {"years": 0}, {"years": 101}])
def test_a_retention_is_years_or_permanent(given_: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Retention.model_validate(given_)


@given(year=st.integers(1950, 2100), years=st.integers(1, 100), day=st.dates(dt.date(1950, 1, 1), dt.date(2250, 1, 1)))
def test_expired_exactly_from_the_expiry_date(year: int, years: int, day: dt.date) -> None:
    retention = Retention(years=years)
    expiry = retention.expires_on(year)
    assert expiry is not None and expiry.year - year == years + 1 and (expiry.month, expiry.day) == (1, 1)
    assert retention.expired(year, day) == (day >= expiry)


def test_transfer_of_permanent_cases_is_due_after_the_policy_years() -> None:
    assert transfer_due_on(2015, ArchivePolicy()) == dt.date(2026, 1, 1)
    assert transfer_due_on(2015, ArchivePolicy(transfer_after_years=5)) == dt.date(2021, 1, 1)


def test_storage_norms_accept_the_bounds_and_name_what_is_out() -> None:
    norms = StorageNorms()
    assert norms.alerts(17, 50) == [] and norms.alerts(19, 55) == []
    assert norms.alerts(16.9, 50) == ["temperature 16.9 °C is below the norm 17-19 °C"]
    assert norms.alerts(18, 60) == ["humidity 60 % is above the norm 50-55 %"]
    assert len(norms.alerts(25, 30)) == 2


def test_storage_norms_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="temperature_min 20 is above temperature_max 18"):
        StorageNorms(temperature_min=20, temperature_max=18)
    with pytest.raises(ValidationError, match="humidity_min"):
        StorageNorms(humidity_min=60, humidity_max=50)


def test_inventory_numbers_follow_the_titles_alphabetically_then_ids() -> None:
    files = [(7, "Serikova Aliya"), (3, "abenov Arman"), (5, "Серикова Алия"), (4, "Abenov Arman")]
    assert inventory_order(files) == [3, 4, 7, 5]
    assert number_inventory(files) == {3: 1, 4: 2, 7: 3, 5: 4}
    assert number_inventory(files, start=10) == {3: 10, 4: 11, 7: 12, 5: 13}
    with pytest.raises(ValueError, match="start at 1"):
        number_inventory(files, start=0)


@given(st.lists(st.tuples(st.integers(1, 10_000), st.text(max_size=8)), unique_by=lambda f: f[0], max_size=40))
def test_inventory_numbers_are_one_to_n_without_gaps(files: list[tuple[int, str]]) -> None:
    numbers = number_inventory(files)
    assert sorted(numbers.values()) == list(range(1, len(files) + 1))
    assert set(numbers) == {f[0] for f in files}
