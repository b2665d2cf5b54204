"""Schemas of academic years and periods.

Rules:

- an academic year starts in its ``start_year`` and lasts at most a year;
- a period lies within its academic year and overlaps no other period of that year;
- its weeks count from 1 at ``starts_on``: 1 <= RK1 week < RK2 week < first session week <= last
  session week <= the period's number of weeks;
- the grade-entry deadlines come in order (RK1 <= RK2 <= exam) and none falls before the start of
  its control week (the exam deadline: the session's first week);
- the add/drop deadlines of course registration: the last day to add a discipline, then the last day
  to drop one (add <= drop <= the RK1 deadline); by default the ends of the first and second weeks
  (capped at the RK1 deadline).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Literal, Self

from pydantic import Field, ValidationInfo, computed_field, field_validator, model_validator

from service.schemas.common import InputModel, ListQuery, OutputModel, Year

PeriodKind = Literal["autumn", "spring", "summer"]
Date = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))]
"""A calendar date of the years 1900-2200."""
Week = Field(ge=1, le=30)


def week_start(starts_on: dt.date, week: int) -> dt.date:
    """First day of week ``week`` (from 1) of a period starting on ``starts_on``."""
    return starts_on + dt.timedelta(days=7 * (week - 1))


def one_year_later(day: dt.date) -> dt.date:
    """The same date a year later (29 February -> 1 March)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return dt.date(day.year + 1, 3, 1)


def weeks_between(starts_on: dt.date, ends_on: dt.date) -> int:
    """Weeks (started) of a period from ``starts_on`` to ``ends_on`` inclusive."""
    return math.ceil(((ends_on - starts_on).days + 1) / 7)


class AcademicYearCreate(InputModel):
    """An academic year: 2025 for 2025/2026, with its first and last day."""

    start_year: Year
    starts_on: Date
    ends_on: Date

    @field_validator("starts_on")
    @classmethod
    def _starts_in_start_year(cls, starts_on: dt.date, info: ValidationInfo) -> dt.date:
        year = info.data.get("start_year")
        if year is not None and starts_on.year != year:
            raise ValueError(f"the academic year {year}/{year + 1} starts in {year}, not on {starts_on}")
        return starts_on

    @field_validator("ends_on")
    @classmethod
    def _ends_within_a_year(cls, ends_on: dt.date, info: ValidationInfo) -> dt.date:
        starts_on = info.data.get("starts_on")
        if starts_on is not None and not starts_on < ends_on < one_year_later(starts_on):
            raise ValueError(f"must be after the start {starts_on} and less than a year after it")
        return ends_on


class AcademicYearOut(OutputModel):
    id: int
    start_year: int
    starts_on: dt.date
    ends_on: dt.date

    @computed_field  # type: ignore[prop-decorator]
    @property
    def name(self) -> str:
        """``2025/2026``."""
        return f"{self.start_year}/{self.start_year + 1}"


class PeriodCreate(InputModel):
    """An academic period with its control weeks and grade-entry deadlines (see the module rules)."""

    academic_year_id: int
    kind: PeriodKind
    starts_on: Date
    ends_on: Date
    rk1_week: int = Week
    """Week of the first midterm control (RK1), e.g. 8."""
    rk2_week: int = Week
    """Week of the second midterm control (RK2), e.g. 15."""
    session_first_week: int = Week
    session_last_week: int = Week
    rk1_deadline: Date
    """Last day for entering the RK1 ratings."""
    rk2_deadline: Date
    exam_deadline: Date
    """Last day for entering the exam grades."""
    add_deadline: Date | None = None
    """Last day to add a discipline to a registration (default: the end of week 1)."""
    drop_deadline: Date | None = None
    """Last day to drop a discipline from a registration (default: the end of week 2)."""

    @field_validator("ends_on")
    @classmethod
    def _after_start(cls, ends_on: dt.date, info: ValidationInfo) -> dt.date:
        starts_on = info.data.get("starts_on")
        if starts_on is not None and ends_on <= starts_on:
            raise ValueError(f"must be after starts_on {starts_on}")
        return ends_on

    @field_validator("rk2_week", "session_first_week")
    @classmethod
    def _after_previous_week(cls, week: int, info: ValidationInfo) -> int:
        previous = {"rk2_week": "rk1_week", "session_first_week": "rk2_week"}[str(info.field_name)]
        if info.data.get(previous) is not None and week <= info.data[previous]:
            raise ValueError(f"must come after {previous} {info.data[previous]}")
        return week

    @field_validator("session_last_week")
    @classmethod
    def _session_fits(cls, week: int, info: ValidationInfo) -> int:
        first = info.data.get("session_first_week")
        if first is not None and week < first:
            raise ValueError(f"must not come before session_first_week {first}")
        starts_on, ends_on = info.data.get("starts_on"), info.data.get("ends_on")
        if starts_on is not None and ends_on is not None and week > (total := weeks_between(starts_on, ends_on)):
            raise ValueError(f"the period {starts_on} to {ends_on} has only {total} weeks")
        return week

    @field_validator("rk1_deadline", "rk2_deadline", "exam_deadline")
    @classmethod
    def _deadline_order(cls, deadline: dt.date, info: ValidationInfo) -> dt.date:
        name = str(info.field_name)
        week_field, previous = {
            "rk1_deadline": ("rk1_week", None),
            "rk2_deadline": ("rk2_week", "rk1_deadline"),
            "exam_deadline": ("session_first_week", "rk2_deadline"),
        }[name]
        starts_on, week = info.data.get("starts_on"), info.data.get(week_field)
        if starts_on is not None and week is not None and deadline < (first_day := week_start(starts_on, week)):
            raise ValueError(f"falls before week {week} ({week_field}) begins on {first_day}")
        if previous and info.data.get(previous) is not None and deadline < info.data[previous]:
            raise ValueError(f"must not come before {previous} {info.data[previous]}")
        return deadline

    @field_validator("add_deadline", "drop_deadline")
    @classmethod
    def _add_drop_order(cls, deadline: dt.date | None, info: ValidationInfo) -> dt.date | None:
        if deadline is None:
            return None
        rk1_deadline = info.data.get("rk1_deadline")
        if rk1_deadline is not None and deadline > rk1_deadline:
            raise ValueError(f"must not come after rk1_deadline {rk1_deadline}")
        add_deadline = info.data.get("add_deadline")
        if info.field_name == "drop_deadline" and add_deadline is not None and deadline < add_deadline:
            raise ValueError(f"must not come before add_deadline {add_deadline}")
        return deadline

    @model_validator(mode="after")
    def _default_add_drop(self) -> Self:
        limit = self.rk1_deadline
        if self.add_deadline is None:
            default = min(self.starts_on + dt.timedelta(days=6), limit)
            self.add_deadline = default if self.drop_deadline is None else min(default, self.drop_deadline)
        if self.drop_deadline is None:
            self.drop_deadline = max(min(self.starts_on + dt.timedelta(days=13), limit), self.add_deadline)
        return self


class PeriodOut(OutputModel):
    id: int
    academic_year_id: int
    kind: PeriodKind
    starts_on: dt.date
    ends_on: dt.date
    rk1_week: int
    rk2_week: int
    session_first_week: int
    session_last_week: int
    rk1_deadline: dt.date
    rk2_deadline: dt.date
    exam_deadline: dt.date
    add_deadline: dt.date
    drop_deadline: dt.date


class PeriodQuery(ListQuery):
    academic_year_id: int | None = None
    kind: PeriodKind | None = None
