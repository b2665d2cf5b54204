"""Schemas of personal files: documents held, the checklist, the incomplete-files report, personal-data changes.

Rules:

- a document's dates come in order: issued <= received, issued <= expires;
- a personal-data change changes at least one field, each to a new value; the student's record after the
  change must still be valid (the IIN agrees with the birth date and sex, :class:`StudentCreate`);
- it is justified by a registered order listing the student (``order_id``), a document of the student's own
  file (``document_id``), or both;
- names are not changed here: a change of name is a change-of-name order (``POST /api/orders``, kind
  ``change_of_name``), which registers its changes in the same register.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Self

from pydantic import Field, model_validator

from models.iin import Sex
from models.personal_file import DocumentKind, ItemState
from service.schemas.calendar import Date
from service.schemas.common import InputModel, ListQuery, OutputModel, PersonName, UtcDateTime
from service.schemas.students import StudentStatus

Reference = Annotated[str, Field(min_length=1, max_length=100)]


class PersonalFileDocumentCreate(InputModel):
    """A document received into a student's personal file."""

    student_id: int
    kind: DocumentKind
    title: str = Field(min_length=1, max_length=200)
    reference: Reference | None = None
    """Series and number of the document (or of the order it is an extract of)."""
    issued_on: Date | None = None
    expires_on: Date | None = None
    """Last day the document is valid (an identity document); none: it does not expire."""
    received_on: Date
    copies: int = Field(1, ge=1, le=100)
    """Copies of the document (photographs: how many)."""
    pages: int | None = Field(None, ge=1, le=10_000)
    note: str | None = Field(None, max_length=500)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.issued_on is not None and self.received_on < self.issued_on:
            raise ValueError(f"received_on {self.received_on} is before issued_on {self.issued_on}")
        if self.issued_on is not None and self.expires_on is not None and self.expires_on < self.issued_on:
            raise ValueError(f"expires_on {self.expires_on} is before issued_on {self.issued_on}")
        return self


class PersonalFileDocumentOut(OutputModel):
    id: int
    student_id: int
    kind: DocumentKind
    title: str
    reference: str | None
    issued_on: dt.date | None
    expires_on: dt.date | None
    received_on: dt.date
    copies: int
    pages: int | None
    note: str | None


class PersonalFileDocumentQuery(ListQuery):
    student_id: int | None = None
    kind: DocumentKind | None = None


class OnDateQuery(InputModel):
    on: Date | None = None
    """The day the checklist is evaluated on (default: today)."""


class ChecklistItemOut(OutputModel):
    kind: DocumentKind
    title: str
    state: ItemState
    """``present``, ``missing`` or ``expired``."""
    valid_copies: int
    required_copies: int
    expired_on: dt.date | None
    """For an expired item, the latest expiry date among its copies."""


class PersonalFileOut(OutputModel):
    """A student's personal file on a day: the checklist and the documents held."""

    student_id: int
    on: dt.date
    complete: bool
    checklist: list[ChecklistItemOut]
    documents: list[PersonalFileDocumentOut]


class IncompleteQuery(ListQuery):
    """Which students to check (default: active ones) and on which day."""

    on: Date | None = None
    programme_id: int | None = None
    group_id: int | None = None
    status: StudentStatus | None = "active"
    kind: DocumentKind | None = None
    """Only files where this kind is missing or expired."""


class IncompleteFileOut(OutputModel):
    student_id: int
    iin: str
    full_name: str
    group_id: int | None
    programme_id: int
    missing: list[DocumentKind]
    expired: list[DocumentKind]


class IncompleteReport(OutputModel):
    """Personal files lacking a required document on ``on`` (a page of them) and how many files were checked."""

    on: dt.date
    checked: int
    items: list[IncompleteFileOut]
    total: int
    page: int
    per_page: int


class PersonalDataFields(InputModel):
    """The new values of the fields that change (absent: unchanged; ``middle_name`` null: removed)."""

    last_name: PersonName | None = None
    first_name: PersonName | None = None
    middle_name: PersonName | None = None
    iin: str | None = Field(None, min_length=12, max_length=12)
    birth_date: Date | None = None
    sex: Sex | None = None
    citizenship: str | None = Field(None, pattern=r"^[A-Z]{2}$")


NAME_FIELDS = ("last_name", "first_name", "middle_name")


class PersonalDataChangeCreate(InputModel):
    """A change of a student's personal data (IIN, birth date, sex, citizenship) with its justification."""

    changes: PersonalDataFields
    effective_on: Date
    order_id: int | None = None
    """A registered order listing the student (not cancelled) that justifies the change."""
    document_id: int | None = None
    """A document of the student's personal file justifying the change (new identity document, certificate)."""

    @model_validator(mode="after")
    def _justified(self) -> Self:
        given = self.changes.model_fields_set
        if not given:
            raise ValueError("changes: name at least one field to change")
        names = sorted(given & set(NAME_FIELDS))
        if names:
            raise ValueError(f"changes.{names[0]}: a name changes by a change-of-name order (POST /api/orders, kind "
                             "change_of_name), which registers the change with the order")  # fmt: skip
        for field in given:
            if getattr(self.changes, field) is None:
                raise ValueError(f"changes.{field}: must not be null")
        if self.order_id is None and self.document_id is None:
            raise ValueError("a change of personal data needs its justification: a registered order (order_id) or "
                             "a document of the student's personal file (document_id)")  # fmt: skip
        return self


class PersonalDataChangeOut(OutputModel):
    id: int
    change_id: str
    student_id: int
    field: str
    old_value: str | None
    new_value: str | None
    effective_on: dt.date
    order_id: int | None
    order_number: str | None
    """The order's registered number (copied when the change was registered)."""
    order_date: dt.date | None
    document_id: int | None
    registered_at: UtcDateTime
    registered_by: str
