"""Schemas of calendar monitoring: grade sheets not filled in by their deadline, students not admitted.

A sheet's control (RK1, RK2, exam) is overdue on a day after its deadline (or after the registrar's
reopening, if later) while some of its students still miss that control's marks: RK1 and RK2 both
marks of the half (except retakes of the exam only, whose ratings are carried over), the exam every
student admitted to it. A student is not admitted as soon as one rating is below the admission minimum.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from service.schemas.common import ListQuery, OutputModel

ControlName = Literal["rk1", "rk2", "exam"]


class OverdueQuery(ListQuery):
    period_id: int | None = None
    faculty_id: int | None = None
    """Sections of disciplines of this faculty's programmes (for the dean's office)."""
    teacher_id: int | None = None
    control: ControlName | None = None
    as_of: dt.date | None = None
    """The day to look from (default: today)."""


class OverdueSheet(OutputModel):
    section_id: int
    period_id: int
    code: str
    name_en: str
    group_id: int
    group_code: str
    teacher_id: int | None
    teacher_name: str | None
    control: ControlName
    deadline: dt.date
    open_until: dt.date
    """The deadline, or the end of the registrar's latest reopening."""
    days_overdue: int
    missing: int
    """Students of the sheet still without this control's marks."""
    students: int


class NotAdmittedQuery(ListQuery):
    period_id: int | None = None
    faculty_id: int | None = None
    teacher_id: int | None = None
    group_id: int | None = None
    section_id: int | None = None


class NotAdmittedStudent(OutputModel):
    enrolment_id: int
    student_id: int
    last_name: str
    first_name: str
    group_id: int
    section_id: int
    period_id: int
    code: str
    teacher_id: int | None
    rk1: float | None
    rk2: float | None
    minimum: float
    """The admission minimum each rating must reach."""
