"""Schemas of the electronic record book, GPA, rankings and the transfer list.

GPA values are exact credit-weighted averages given as numbers (``gpa``) and rounded half up to two
decimals for display (``gpa_display``, a string such as ``"2.50"``, by :func:`models.grading.display_gpa`).
Which results count is explained in :mod:`service.academic.standing`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from service.schemas.common import ListQuery, OutputModel

RankingScope = Literal["group", "programme", "year"]
TransferReason = Literal["gpa", "debt"]


class RecordEntry(OutputModel):
    """One discipline of one period as the record book shows it."""

    enrolment_id: int
    plan_discipline_id: int
    code: str
    name_en: str
    credits: int
    control: str
    kind: str
    attempt: int
    section_id: int | None
    current1: float | None
    midterm1: float | None
    rk1: float | None
    current2: float | None
    midterm2: float | None
    rk2: float | None
    admission_rating: float | None
    admitted: bool | None
    exam: float | None
    final_percent: float | None
    final_rounded: int | None
    letter: str | None
    points: float | None
    outcome: str | None
    counted: bool
    """Whether the result counts in the cumulative GPA (``false``: in progress, or replaced by a retake)."""


class RecordPeriod(OutputModel):
    period_id: int
    academic_year: str
    """``2025/2026``."""
    kind: str
    starts_on: dt.date
    entries: list[RecordEntry]
    credits_graded: int
    """Credits of the period's graded results."""
    gpa: float | None
    """The period's GPA (``null`` while nothing is graded)."""
    gpa_display: str | None
    cumulative_gpa: float | None
    """GPA of every result up to and including this period."""
    cumulative_display: str | None


class DebtOut(OutputModel):
    """A discipline the student owes (an FX/F result not yet made good by a retake)."""

    plan_discipline_id: int
    code: str
    name_en: str
    credits: int
    letter: str
    outcome: str
    failed_in_period_id: int
    failures: int
    retake_status: str
    """``retake`` (a retake is left) or ``expelled_academic_failure``."""
    retake_enrolment_id: int | None
    """The registered retake not graded yet, if any."""


class RecordBookOut(OutputModel):
    """A student's electronic record book: every discipline with its grades, per period, and the GPAs."""

    student_id: int
    iin: str
    last_name: str
    first_name: str
    middle_name: str | None
    programme_id: int
    group_id: int | None
    admission_year: int
    status: str
    periods: list[RecordPeriod]
    credits_earned: int
    """Credits of the passed disciplines."""
    gpa: float | None
    """Cumulative GPA."""
    gpa_display: str | None
    debts: list[DebtOut]


class RankingQuery(ListQuery):
    """Who is ranked and by which GPA.

    ``scope`` with its id: ``group`` + ``group_id``, ``programme`` + ``programme_id``, ``year`` +
    ``year_of_study``. The GPA is the cumulative one (every period starting on or before the end of
    ``academic_year_id``, or every period), or that of ``period_id`` alone.
    """

    scope: RankingScope
    group_id: int | None = None
    programme_id: int | None = None
    year_of_study: int | None = Field(None, ge=1, le=12)
    academic_year_id: int | None = None
    """The academic year that fixes the year of study (default: the latest) and ends the cumulative GPA."""
    period_id: int | None = None
    """Rank by this period's GPA instead of the cumulative one."""
    status: Literal["active", "on_leave", "expelled", "graduated"] = "active"
    """Students of this status are ranked."""


class RankingRow(OutputModel):
    rank: int
    """1 for the best GPA; equal GPAs share a rank."""
    student_id: int
    last_name: str
    first_name: str
    group_id: int | None
    programme_id: int
    year_of_study: int
    credits: int
    gpa: float
    gpa_display: str


class TransferQuery(ListQuery):
    """Students of ``academic_year_id`` who may not move to the next year."""

    academic_year_id: int
    programme_id: int | None = None
    group_id: int | None = None
    faculty_id: int | None = None
    reason: TransferReason | None = None
    """Only students below the threshold (``gpa``) or only those with academic debt (``debt``); default both."""


class TransferRow(OutputModel):
    student_id: int
    last_name: str
    first_name: str
    group_id: int | None
    programme_id: int
    level: str
    year_of_study: int
    credits: int
    """Credits of the year's counted results."""
    gpa: float | None
    """The year's GPA (periods of the academic year, summer included); ``null``: no result in the year."""
    gpa_display: str | None
    threshold: float
    debts: int
    """Disciplines owed at the end of the year."""
    reasons: list[TransferReason]
