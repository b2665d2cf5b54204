"""Schemas of applications about the movement of the contingent.

Rules:

- an application for admission or transfer in is made by an applicant who is not a student yet: it names
  the applicant (IIN with a valid checksum, last and first name) and no student; every other kind is made
  by (or on behalf of) an existing student and names the student only;
- it is submitted in state ``submitted`` and then reviewed (``under_review``), then ``approved`` or
  ``rejected``; it may be rejected without review; approved and rejected are final;
- documents are references (a register number, a file name, a URL), with a kind and a title.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, ValidationInfo, field_validator

from models.contingent import APPLICANT_KINDS, ApplicationKind, ApplicationState
from models.iin import parse_iin
from service.schemas.calendar import Date
from service.schemas.common import InputModel, OutputModel, PersonName, SearchQuery


class DocumentIn(InputModel):
    """A document attached by reference."""

    kind: str = Field(min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_]*$")
    """``statement``, ``medical_conclusion``, ``birth_certificate``, ``military_summons``, ``transcript``, ..."""
    title: str = Field(min_length=1, max_length=200)
    reference: str = Field(min_length=1, max_length=500)
    """Where the document is: register number, file name or URL."""
    issued_on: Date | None = None


class DocumentOut(OutputModel):
    id: int
    kind: str
    title: str
    reference: str
    issued_on: dt.date | None


class ApplicationCreate(InputModel):
    """An application, submitted on ``submitted_on`` by ``submitted_by`` (the student or a staff member for them)."""

    kind: ApplicationKind
    student_id: int | None = Field(None, validate_default=True)
    """The student applying (every kind except admission and transfer in)."""
    applicant_iin: str | None = Field(None, validate_default=True)
    """The applicant's IIN (admission and transfer in)."""
    applicant_last_name: PersonName | None = Field(None, validate_default=True)
    applicant_first_name: PersonName | None = Field(None, validate_default=True)
    applicant_middle_name: PersonName | None = None
    submitted_on: Date
    submitted_by: str = Field(min_length=1, max_length=200)
    """Who handed it in: ``student`` or the staff member acting for the student."""
    request: str | None = Field(None, min_length=1, max_length=2000)
    """What is asked for, in the applicant's words (the ground of a leave, the programme wanted...)."""
    documents: list[DocumentIn] = Field(default_factory=list, max_length=50)

    @field_validator("applicant_iin")
    @classmethod
    def _valid_iin(cls, iin: str | None) -> str | None:
        if iin is not None:
            parse_iin(iin)
        return iin

    @field_validator("student_id")
    @classmethod
    def _student_fits_kind(cls, student_id: int | None, info: ValidationInfo) -> int | None:
        kind = info.data.get("kind")
        if kind is None:
            return student_id
        if kind in APPLICANT_KINDS and student_id is not None:
            raise ValueError(f"an application for {kind.value} is made by an applicant, not a student")
        if kind not in APPLICANT_KINDS and student_id is None:
            raise ValueError(f"an application for {kind.value} names the student")
        return student_id

    @field_validator("applicant_iin", "applicant_last_name", "applicant_first_name")
    @classmethod
    def _applicant_fits_kind(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if kind is None:
            return value
        if kind in APPLICANT_KINDS and value is None:
            raise ValueError(f"an application for {kind.value} names the applicant")
        if kind not in APPLICANT_KINDS and value is not None:
            raise ValueError(f"an application for {kind.value} names the student, not an applicant")
        return value


class ApplicationDecision(InputModel):
    """A step of the review: ``under_review``, then ``approved`` or ``rejected``."""

    state: ApplicationState
    on: Date
    """Date of the step (not before the application was submitted)."""
    note: str | None = Field(None, min_length=1, max_length=1000)
    """The reason of a rejection, or a note on the review."""


class ApplicationOut(OutputModel):
    id: int
    kind: ApplicationKind
    state: ApplicationState
    student_id: int | None
    applicant_iin: str | None
    applicant_last_name: str | None
    applicant_first_name: str | None
    applicant_middle_name: str | None
    submitted_on: dt.date
    submitted_by: str
    request: str | None
    decided_on: dt.date | None
    decision_note: str | None
    documents: list[DocumentOut]
    order_id: int | None
    """The order that acted on the application (once it is used)."""


class ApplicationQuery(SearchQuery):
    """Filters of applications; ``q`` matches the applicant's IIN or last name."""

    kind: ApplicationKind | None = None
    state: ApplicationState | None = None
    student_id: int | None = None
    unused: bool | None = None
    """true: only applications no order has used yet."""
