"""Schemas of sections, grade sheets and sheet reopenings.

Rules:

- a section offers a discipline of a study plan in a period to an academic group of the plan's
  programme; one section per period, discipline and group; once it has students only its teacher changes;
- marks are 0-100 with at most two decimals; ``null`` clears a mark; a field left out is unchanged;
- each mark is entered only until its control's grade-entry deadline (RK1 marks: the period's RK1
  deadline; RK2 marks: RK2; exam: the exam deadline), unless the registrar reopened that control of
  the sheet until a later day; re-sending an unchanged mark is always accepted;
- the exam mark only for a student admitted to the exam (both ratings entered and at least the
  admission minimum each); after FX the retake's RK1 and RK2 marks are carried over and locked;
- a reopening runs until a day not before today and after the control's deadline, with a reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from models.grade_sheet import check_mark
from service.schemas.calendar import Date
from service.schemas.common import InputModel, ListQuery, OutputModel, UtcDateTime

Control = Literal["rk1", "rk2", "exam"]
MarkValue = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False), AfterValidator(check_mark)]
"""A mark 0-100 with at most two decimals."""


class SectionCreate(InputModel):
    """A discipline of a study plan offered in a period to an academic group (of the plan's programme)."""

    period_id: int
    plan_discipline_id: int
    group_id: int
    teacher_id: int | None = None
    """The teacher who enters the section's marks."""


class SectionOut(OutputModel):
    id: int
    period_id: int
    plan_discipline_id: int
    group_id: int
    teacher_id: int | None
    code: str
    name_en: str
    credits: int
    control: str


class SectionQuery(ListQuery):
    period_id: int | None = None
    plan_discipline_id: int | None = None
    group_id: int | None = None
    teacher_id: int | None = None


class RowMarks(InputModel):
    """Marks of one student on the sheet; only the fields given change (``null`` clears a mark)."""

    enrolment_id: int
    current1: MarkValue | None = None
    """Current-control mark of the first half (with ``midterm1`` it makes RK1)."""
    midterm1: MarkValue | None = None
    """Midterm-control mark of the first half."""
    current2: MarkValue | None = None
    midterm2: MarkValue | None = None
    exam: MarkValue | None = None
    """Final-control mark (exam, differentiated credit or course-work defence)."""


class MarksEntry(InputModel):
    """Marks for some rows of a section's grade sheet, written together or not at all."""

    rows: list[RowMarks] = Field(min_length=1, max_length=500)

    @field_validator("rows")
    @classmethod
    def _distinct(cls, rows: list[RowMarks]) -> list[RowMarks]:
        ids = [r.enrolment_id for r in rows]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"lists enrolment {', '.join(map(str, repeated))} more than once")
        return rows


class ReopeningCreate(InputModel):
    """The registrar allows late entry of one control's marks of a section until ``until``."""

    control: Control
    until: Date
    reason: str = Field(min_length=1, max_length=500)


class ReopeningOut(OutputModel):
    id: int
    section_id: int
    control: Control
    until: dt.date
    reason: str
    created_at: UtcDateTime
    created_by: str


class ControlWindow(OutputModel):
    """When one control's marks may be entered: until the deadline, or a later reopening."""

    control: Control
    deadline: dt.date
    open_until: dt.date
    open: bool
    """Whether marks of this control are accepted today."""


class SheetRow(OutputModel):
    """A student's row: the marks entered, the ratings computed by the grading policy, and the result."""

    enrolment_id: int
    student_id: int
    last_name: str
    first_name: str
    attempt: int
    kind: str
    marks_carried: bool
    current1: float | None
    midterm1: float | None
    rk1: float | None
    current2: float | None
    midterm2: float | None
    rk2: float | None
    admission_rating: float | None
    admitted: bool | None
    """``null`` while not established."""
    exam: float | None
    final_percent: float | None
    final_rounded: int | None
    letter: str | None
    points: float | None
    outcome: str | None


class GradeSheetOut(OutputModel):
    section: SectionOut
    controls: list[ControlWindow]
    rows: list[SheetRow]
    reopenings: list[ReopeningOut]
