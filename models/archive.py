"""Archive rules: retention periods, the storage norms, inventory numbering, what may be destroyed or transferred.

Every number is configuration (:class:`ArchivePolicy`, :class:`Retention` in the nomenclature of cases);
the defaults are values commonly used in Kazakhstan's record keeping, not quoted from a primary source:

- a retention period is counted from 1 January of the year after the case was closed (the year of its
  last document): a case closed in 2020 with 5 years is kept through 2025 and may be selected for
  destruction from 1 January 2026 (:meth:`Retention.expires_on`). Permanent cases never expire;
- permanent cases go to state storage (the Archival Fund) after :attr:`ArchivePolicy.transfer_after_years`
  years counted the same way (:func:`transfer_due_on`);
- paper records are kept at 17-19 °C and 50-55 % relative humidity (:class:`StorageNorms`); a reading
  outside either range raises an alert naming the value and the range;
- the files of an inventory (opis) are numbered 1, 2, ... without gaps, in alphabetical order of their
  titles (a personal file's title is the student's full name), ties by id (:func:`inventory_order`).

Units: years are calendar years, temperatures degrees Celsius, humidity percent relative humidity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Retention(BaseModel):
    """How long a case is kept: ``years`` (1-100), or ``permanent``; exactly one of the two."""

    model_config = ConfigDict(frozen=True)

    years: int | None = Field(default=None, ge=1, le=100)
    permanent: bool = False

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if self.permanent and self.years is not None:
            raise ValueError("a retention is either permanent or a number of years, not both")
        if not self.permanent and self.years is None:
            raise ValueError("a retention needs a number of years, or permanent")
        return self

    def expires_on(self, closed_year: int) -> dt.date | None:
        """The first day a case closed in ``closed_year`` may be destroyed; ``None`` for a permanent case.

        Counted from 1 January of the year after closing: closed 2020, 5 years -> 2026-01-01.
        """
        if self.permanent:
            return None
        assert self.years is not None
        return dt.date(closed_year + 1 + self.years, 1, 1)

    def expired(self, closed_year: int, on: dt.date) -> bool:
        """Whether the retention of a case closed in ``closed_year`` has run out on ``on``."""
        expiry = self.expires_on(closed_year)
        return expiry is not None and on >= expiry

    def describe(self) -> str:
        return "permanent" if self.permanent else f"{self.years} years"


class StorageNorms(BaseModel):
    """The allowed ranges of the storage rooms: temperature (°C) and relative humidity (%), bounds included."""

    model_config = ConfigDict(frozen=True)

    temperature_min: float = Field(17.0, ge=-40, le=60, allow_inf_nan=False)
    temperature_max: float = Field(19.0, ge=-40, le=60, allow_inf_nan=False)
    humidity_min: float = Field(50.0, ge=0, le=100, allow_inf_nan=False)
    humidity_max: float = Field(55.0, ge=0, le=100, allow_inf_nan=False)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.temperature_min > self.temperature_max:
            raise ValueError(
                f"temperature_min {self.temperature_min:g} is above temperature_max {self.temperature_max:g}"
            )
        if self.humidity_min > self.humidity_max:
            raise ValueError(f"humidity_min {self.humidity_min:g} is above humidity_max {self.humidity_max:g}")
        return self

    def alerts(self, temperature: float, humidity: float) -> list[str]:
        """What is out of range in a reading (empty: within the norms)."""
        out = []
        if not self.temperature_min <= temperature <= self.temperature_max:
            side = "below" if temperature < self.temperature_min else "above"
            out.append(f"temperature {temperature:g} °C is {side} the norm "
                       f"{self.temperature_min:g}-{self.temperature_max:g} °C")  # fmt: skip
        if not self.humidity_min <= humidity <= self.humidity_max:
            side = "below" if humidity < self.humidity_min else "above"
            out.append(f"humidity {humidity:g} % is {side} the norm {self.humidity_min:g}-{self.humidity_max:g} %")
        return out


class ArchivePolicy(BaseModel):
    """The archive's configurable rules: storage norms, when permanent cases go to state storage, loan terms."""

    model_config = ConfigDict(frozen=True)

    storage: StorageNorms = StorageNorms()
    transfer_after_years: int = Field(10, ge=1, le=100)
    """Years a permanent case stays in the university's archive before transfer to state storage."""
    loan_days: int = Field(30, ge=1, le=365)
    """Default term of a loan of a file (days), when the lender does not give a due date."""


def transfer_due_on(closed_year: int, policy: ArchivePolicy) -> dt.date:
    """The first day a permanent case closed in ``closed_year`` is due for transfer to state storage."""
    return dt.date(closed_year + 1 + policy.transfer_after_years, 1, 1)


def inventory_order(files: Sequence[tuple[int, str]]) -> list[int]:
    """The ids of ``(id, title)`` files in inventory order: titles alphabetically (case-insensitive), then id.

    The inventory numbers are the positions in this list, from 1.
    """
    return [file_id for file_id, _ in sorted(files, key=lambda f: (f[1].casefold(), f[0]))]


def number_inventory(files: Sequence[tuple[int, str]], start: int = 1) -> dict[int, int]:
    """File id -> inventory number: :func:`inventory_order`, numbered from ``start`` without gaps."""
    if start < 1:
        raise ValueError(f"inventory numbers start at 1 or later, not {start}")
    return {file_id: start + index for index, file_id in enumerate(inventory_order(files))}
