"""Schemas of the contingent reports and of the movement policy.

Queries:

- ``period``: a month ``2025-10``, a quarter ``2025-Q4``, a year ``2025``, an academic year
  ``2025/2026`` or days ``2025-09-01..2025-12-31`` (default: the current month);
- ``on``: a day (default: today); states count at the end of the day;
- ``by``: dimensions separated by commas, from :data:`DIMENSIONS` (movement and contingent reports:
  none by default, the whole university; the state form: programme, year, sex, funding, language,
  citizenship);
- ``format``: ``json`` (default), ``csv`` (UTF-8 with a byte-order mark, so spreadsheet programs read
  the Kazakh and Russian letters) or ``xlsx``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args

from pydantic import ConfigDict, Field, create_model, field_validator

from models.contingent import MovementPolicy, Status
from models.contingent_report import Period, PeriodError
from service.schemas.common import ListQuery, OutputModel, Storable

Dimension = Literal["faculty", "programme", "year_of_study", "study_form", "funding", "language", "sex", "citizenship"]
DIMENSIONS: tuple[str, ...] = get_args(Dimension)
STATE_FORM_DIMENSIONS: tuple[str, ...] = ("programme", "year_of_study", "sex", "funding", "language", "citizenship")
"""The default grouping of the state form (form 3-NK style)."""
ExportFormat = Literal["json", "csv", "xlsx"]
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def parse_dimensions(text: str | None) -> tuple[str, ...]:
    """``"faculty,year_of_study"`` -> the dimensions; unknown or repeated names raise ``ValueError``."""
    if text is None or not text.strip():
        return ()
    names = tuple(part.strip() for part in text.split(","))
    unknown = [n for n in names if n not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimension {', '.join(map(repr, unknown))}; choose from {', '.join(DIMENSIONS)}")
    if len(set(names)) != len(names):
        raise ValueError("a dimension is named twice")
    return names


class ReportQuery(Storable):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    by: str | None = Field(None, max_length=200)
    """Dimensions, comma-separated: faculty, programme, year_of_study, study_form, funding, language, sex,
    citizenship."""
    format: ExportFormat = "json"
    """json, csv or xlsx."""

    @field_validator("by")
    @classmethod
    def _known_dimensions(cls, by: str | None) -> str | None:
        parse_dimensions(by)
        return by

    @property
    def dimensions(self) -> tuple[str, ...]:
        return parse_dimensions(self.by)


class PeriodQuery(ReportQuery):
    period: str | None = Field(None, max_length=30)
    """2025-10, 2025-Q4, 2025, 2025/2026 or 2025-09-01..2025-12-31 (default: the current month)."""

    @field_validator("period")
    @classmethod
    def _readable(cls, period: str | None) -> str | None:
        if period is not None:
            try:
                Period.parse(period)
            except PeriodError as exc:
                raise ValueError(str(exc)) from None
        return period

    def resolved(self, today: dt.date) -> Period:
        return Period.parse(self.period or today.strftime("%Y-%m"))


class DayQuery(ReportQuery):
    on: dt.date | None = None
    """The day (default: today)."""


class StateFormQuery(DayQuery):
    by: str | None = Field(",".join(STATE_FORM_DIMENSIONS), max_length=200)
    """Dimensions, comma-separated (default: programme, year_of_study, sex, funding, language, citizenship)."""


class ListPeriodQuery(PeriodQuery):
    """A list of students over a period; ``by`` is not used."""

    programme_id: int | None = None
    faculty_id: int | None = None


Cell = dict[str, str | int | None]


class MovementRowOut(OutputModel):
    cell: Cell
    """Dimension -> value (faculty and programme by code)."""
    opening: int
    arrivals: dict[str, int]
    """Kind -> students who arrived in the cell."""
    arrived: int
    departures: dict[str, int]
    departed: int
    closing: int


class MovementReportOut(OutputModel):
    """Movement of the contingent (active students): opening + arrived - departed = closing in every row."""

    period: str
    start: dt.date
    end: dt.date
    by: list[str]
    arrival_kinds: list[str]
    departure_kinds: list[str]
    rows: list[MovementRowOut]
    total: MovementRowOut
    """The whole university: only movements into and out of the contingent."""


class CountRowOut(OutputModel):
    cell: Cell
    students: int


class ContingentOut(OutputModel):
    """Students in the contingent (active) at the end of ``on``, per cell."""

    on: dt.date
    by: list[str]
    rows: list[CountRowOut]
    total: int


class ContingentStudentQuery(ListQuery):
    """Students with their state at the end of ``on`` ("who was enrolled on 1 October")."""

    on: dt.date | None = None
    """The day (default: today)."""
    status: Status | None = Status.ACTIVE
    """Status on that day (default active)."""
    programme_id: int | None = None
    year_of_study: int | None = Field(None, ge=1, le=8)


class ContingentStudentOut(OutputModel):
    student_id: int
    iin: str
    name: str
    status: str
    programme_id: int
    programme_code: str
    year_of_study: int
    study_form: str
    funding: str
    language: str
    since: dt.date
    """Date of the entry in force."""


class LeaveRowOut(OutputModel):
    student_id: int
    iin: str
    name: str
    programme_code: str
    year_of_study: int
    leave_ground: str | None
    starts_on: dt.date
    until: dt.date | None
    """Planned end of the leave."""
    returned_on: dt.date | None
    """When the student left the leave (returned, or was expelled), if they did."""
    order_number: str | None
    cancelled_by: str | None
    """The number of the order that cancelled the leave order, if one did."""


class LeaveListOut(OutputModel):
    """Students on academic leave on at least one day of the period."""

    period: str
    start: dt.date
    end: dt.date
    rows: list[LeaveRowOut]


class ExpelledRowOut(OutputModel):
    student_id: int
    iin: str
    name: str
    programme_code: str
    year_of_study: int
    kind: str
    effective_on: dt.date
    order_number: str | None
    reason: str | None
    cancelled_by: str | None
    """The number of the order that cancelled the expulsion, if one did."""


class ExpelledListOut(OutputModel):
    """Students expelled (any expulsion kind, transfer out included) with effect in the period."""

    period: str
    start: dt.date
    end: dt.date
    rows: list[ExpelledRowOut]


def _required(model: type[MovementPolicy], name: str) -> type[MovementPolicy]:
    """``model`` with every field required (same types, constraints and validators)."""
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        annotation: Any = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        fields[field_name] = (annotation, Field(description=info.description))
    required: type[MovementPolicy] = create_model(name, __base__=model, __module__=__name__, **fields)
    required.__doc__ = "The whole movement policy: every field is required (read it, change it, send it back)."
    return required


PolicyIn = _required(MovementPolicy, "PolicyIn")


class PolicyOut(MovementPolicy):
    """The movement policy in force."""
