"""Academic years and periods.

Database rules (beyond the schemas): a period lies within its academic year and overlaps no other
period of the same year; an academic year's dates still contain its periods after a change.
"""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth import EVERY_ROLE, REGISTRAR
from service.errors import FieldError
from service.models import AcademicYear, Period
from service.records.crud import Resource, register
from service.schemas.calendar import AcademicYearCreate, AcademicYearOut, PeriodCreate, PeriodOut, PeriodQuery
from service.schemas.common import ListQuery

bp = Blueprint("calendar", __name__)


def year_rules(db: Session, data: AcademicYearCreate, row: AcademicYear | None) -> list[FieldError]:
    if row is None:
        return []
    periods = db.scalars(select(Period).where(Period.academic_year_id == row.id)).all()
    outside = [p.kind for p in periods if p.starts_on < data.starts_on or p.ends_on > data.ends_on]
    if outside:
        return [FieldError("starts_on", f"the {', '.join(outside)} period would fall outside the year")]
    return []


def period_rules(db: Session, data: PeriodCreate, row: Period | None) -> list[FieldError]:
    year = db.get(AcademicYear, data.academic_year_id)
    assert year is not None  # checked as a reference
    errors = []
    if data.starts_on < year.starts_on:
        errors.append(FieldError("starts_on", f"before the academic year begins on {year.starts_on}"))
    if data.ends_on > year.ends_on:
        errors.append(FieldError("ends_on", f"after the academic year ends on {year.ends_on}"))
    others = select(Period).where(
        Period.academic_year_id == year.id, Period.starts_on <= data.ends_on, Period.ends_on >= data.starts_on
    )
    if row is not None:
        others = others.where(Period.id != row.id)
    for other in db.scalars(others):
        errors.append(FieldError("starts_on", f"overlaps the {other.kind} period {other.starts_on} to {other.ends_on}"))
    return errors


ACADEMIC_YEARS = Resource(
    "/academic-years",
    AcademicYear,
    AcademicYearCreate,
    AcademicYearOut,
    ListQuery,
    unique=[("start_year",)],
    rules=year_rules,
    read=EVERY_ROLE,
    write=REGISTRAR,
)
PERIODS = Resource(
    "/periods",
    Period,
    PeriodCreate,
    PeriodOut,
    PeriodQuery,
    references={"academic_year_id": AcademicYear},
    unique=[("academic_year_id", "kind")],
    rules=period_rules,
    read=EVERY_ROLE,
    write=REGISTRAR,
)
register(bp, ACADEMIC_YEARS, "academic years")
register(bp, PERIODS, "academic periods")
