"""Schemas of the graduation lists, rankings and statistics."""

from __future__ import annotations

from pydantic import Field

from models.grading import HonoursRule
from service.schemas.common import InputModel, ListQuery, OutputModel, UtcDateTime, Year
from service.schemas.students import StudentStatus


class GraduatesQuery(ListQuery):
    programme_id: int | None = None
    year: Year | None = None
    """Graduated in this year (by the status history)."""
    honours: bool | None = None
    """Only graduates with (true) or without (false) honours."""


class RankingQuery(ListQuery):
    programme_id: int | None = None
    group_id: int | None = None
    admission_year: Year | None = None
    status: StudentStatus = "active"


class StatisticsQuery(InputModel):
    programme_id: int | None = None
    year: Year | None = None
    """Graduates of this year; without it, the students of ``status``."""
    status: StudentStatus = Field("graduated")


class StandingOut(OutputModel):
    student_id: int
    iin: str
    full_name: str
    programme_id: int
    status: StudentStatus
    graduation_year: int | None
    gpa: float | None
    gpa_display: str | None
    earned_credits: float
    retakes: int
    with_honours: bool
    rank: int | None
    """Competition rank by GPA within the programme (ties share a rank); null without a GPA."""


class ProgrammeStatistics(OutputModel):
    programme_id: int
    programme_code: str
    students: int
    with_gpa: int
    mean: float | None
    median: float | None
    lowest: float | None
    highest: float | None
    with_honours: int


class StatisticsOut(OutputModel):
    programmes: list[ProgrammeStatistics]


class HonoursRuleChange(InputModel):
    """A new rule of a diploma with honours: minimum GPA, retakes allowed, optionally the lowest letter allowed."""

    rule: HonoursRule
    reason: str = Field(min_length=1, max_length=500)
    """Why the rule changes (e.g. the academic council's decision)."""


class HonoursRuleOut(OutputModel):
    version: int | None
    """The stored version in force; ``null``: nothing stored, the configured or default rule applies."""
    rule: HonoursRule
    reason: str | None
    changed_at: UtcDateTime | None
    changed_by: str | None
