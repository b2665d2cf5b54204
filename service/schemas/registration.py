"""Schemas of course registration: registration forms, their disciplines and the advisor's decisions.

Rules (checked against the database, :mod:`service.academic.registration`):

- a form is built for an active student and a period from the student's study plan (programme and
  admission year): the compulsory disciplines of the period's semester are on it from the start;
  electives of that semester and retakes of academic debts are added by id;
- disciplines are added only until the period's add deadline and dropped only until its drop
  deadline; a compulsory discipline of the semester is never dropped, nor one with marks;
- the credits never exceed the period's maximum, and a form is submitted only with at least the minimum;
- states: ``draft`` -> ``submitted`` -> ``confirmed`` (by the group's advisor; the disciplines are then
  placed in sections) or ``returned`` (with a reason; edited and submitted again); adding or dropping
  a discipline on a submitted or confirmed form turns it back into a draft;
- a retake (an FX/F result, "academic debt") is registered in a later period than the failure, at
  most ``max_retakes`` times (grading policy); after FX only the exam is retaken (RK1 and RK2 carry over).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from service.schemas.common import InputModel, ListQuery, OutputModel, UtcDateTime

RegistrationStatus = Literal["draft", "submitted", "confirmed", "returned"]
EnrolmentKind = Literal["compulsory", "elective", "retake"]
Reason = Field(min_length=1, max_length=500)


class RegistrationCreate(InputModel):
    """A new registration form of a student for a period (the semester's compulsory disciplines are added)."""

    student_id: int
    period_id: int
    discipline_ids: list[int] = Field(default_factory=list, max_length=50)
    """Study-plan disciplines to add besides the compulsory ones: electives of the semester, debts to retake."""

    @field_validator("discipline_ids")
    @classmethod
    def _distinct(cls, ids: list[int]) -> list[int]:
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"lists discipline {', '.join(map(str, repeated))} more than once")
        return ids


class DisciplineAdd(InputModel):
    """A study-plan discipline to add to a registration form."""

    plan_discipline_id: int


class RegistrationReturn(InputModel):
    """The advisor returns a submitted form to the student, saying why."""

    reason: str = Reason


class EnrolmentOut(OutputModel):
    """A discipline on a registration form."""

    id: int
    plan_discipline_id: int
    code: str
    name_en: str
    credits: int
    control: str
    kind: EnrolmentKind
    attempt: int
    retake_of_id: int | None
    marks_carried: bool
    section_id: int | None
    letter: str | None
    """The final letter once graded."""


class RegistrationOut(OutputModel):
    id: int
    student_id: int
    period_id: int
    status: RegistrationStatus
    semester: int | None
    """The plan semester of the period (``null`` for a summer period)."""
    total_credits: int
    min_credits: int
    max_credits: int
    created_at: UtcDateTime
    submitted_at: UtcDateTime | None
    decided_at: UtcDateTime | None
    decided_by: str | None
    note: str | None
    enrolments: list[EnrolmentOut]


class RegistrationQuery(ListQuery):
    student_id: int | None = None
    period_id: int | None = None
    status: RegistrationStatus | None = None
    group_id: int | None = None
    """Forms of the students of this academic group."""


class SectionBuild(InputModel):
    """Place every discipline of the period's confirmed forms in its section (created per discipline and group)."""

    period_id: int


class SectionBuildOut(OutputModel):
    sections_created: int
    enrolments_placed: int
