"""Schemas of the archive: nomenclature of cases, files, inventories, loans, condition checks, storage readings, acts.

Rules checked here (the database rules are in :mod:`service.archive`):

- a nomenclature item's retention is either a number of years (1-100) or permanent;
- a file's dates come in order (start <= end) and it has at least one page;
- a loan is due on or after the day it is lent; a reading's humidity is 0-100 %.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from models.archive import Retention
from service.schemas.calendar import Date
from service.schemas.common import InputModel, ListQuery, OutputModel, UtcDateTime, Year

FileKind = Literal["graduate_personal_file", "expelled_personal_file", "case"]
"""A graduate's or an expelled student's personal file, or any other case of the nomenclature."""
PersonalFileKind = Literal["graduate_personal_file", "expelled_personal_file"]
FileState = Literal["prepared", "in_archive", "lent", "not_received", "destroyed", "transferred"]
Condition = Literal["intact", "damaged", "restored"]
InventoryState = Literal["draft", "approved", "accepted"]
ActKind = Literal["destruction", "transfer"]
ActState = Literal["draft", "approved", "executed"]
Text300 = Annotated[str, Field(min_length=1, max_length=300)]
Note = Annotated[str, Field(min_length=1, max_length=500)]


class NomenclatureCreate(InputModel):
    """A heading of the nomenclature of cases: ``index`` (``04-12``) unique within the year."""

    year: Year
    index: str = Field(min_length=1, max_length=32, pattern=r"^[0-9A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі./\-]+$")
    title: Text300
    retention_years: int | None = Field(None, ge=1, le=100)
    """Years the cases are kept (counted from 1 January after the year a case is closed); null if permanent."""
    permanent: bool = False
    article: str = Field(min_length=1, max_length=64)
    """The article of the standard list of documents that sets the retention."""
    note: Note | None = None

    @model_validator(mode="after")
    def _retention(self) -> Self:
        Retention(years=self.retention_years, permanent=self.permanent)
        return self


class NomenclatureOut(OutputModel):
    id: int
    year: int
    index: str
    title: str
    retention_years: int | None
    permanent: bool
    article: str
    note: str | None


class NomenclatureQuery(ListQuery):
    year: int | None = None
    permanent: bool | None = None
    q: str | None = Field(None, min_length=1, max_length=100)
    """Case-insensitive substring of the index or title."""


class FileCreate(InputModel):
    """A file for the archive: a personal file of a graduate or an expelled student (``student_id``), or a case.

    For a personal file the title defaults to the student's full name and the pages to the pages of the
    documents in the personal file.
    """

    nomenclature_item_id: int
    kind: FileKind
    student_id: int | None = None
    title: Text300 | None = None
    start_date: Date
    end_date: Date
    """The date of the last document; the file is closed in its year."""
    pages: int | None = Field(None, ge=1, le=100_000)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        if self.kind == "case" and self.student_id is not None:
            raise ValueError("a case of kind 'case' belongs to no student: give a personal-file kind")
        if self.kind != "case" and self.student_id is None:
            raise ValueError(f"a {self.kind} needs the student_id")
        if self.kind == "case" and (self.title is None or self.pages is None):
            raise ValueError("a case needs its title and pages")
        return self


class FileUpdate(InputModel):
    """Changes to a file: title, dates and pages only while it is prepared; the shelf location any time."""

    title: Text300 | None = None
    start_date: Date | None = None
    end_date: Date | None = None
    pages: int | None = Field(None, ge=1, le=100_000)
    location: str | None = Field(None, min_length=1, max_length=100)


class PrepareFiles(InputModel):
    """Prepare the personal files of every graduated (or expelled) student who has none yet."""

    kind: PersonalFileKind
    nomenclature_item_id: int
    end_date: Date
    """The date the files are closed (the order of graduation or expulsion)."""
    programme_id: int | None = None
    admission_year: Year | None = None


class FileOut(OutputModel):
    id: int
    nomenclature_item_id: int
    kind: FileKind
    student_id: int | None
    title: str
    start_date: dt.date
    end_date: dt.date
    pages: int
    year: int
    state: FileState
    condition: Condition
    location: str | None
    inventory_id: int | None
    inventory_number: int | None
    retention: str
    """``permanent`` or ``N years``, from the nomenclature."""
    expires_on: dt.date | None
    """First day the file may be selected for destruction; null for a permanent file."""
    transfer_due_on: dt.date | None
    """First day a permanent file is due for transfer to state storage; null otherwise."""


class FileQuery(ListQuery):
    kind: FileKind | None = None
    state: FileState | None = None
    condition: Condition | None = None
    year: int | None = None
    inventory_id: int | None = None
    nomenclature_item_id: int | None = None
    student_id: int | None = None
    q: str | None = Field(None, min_length=1, max_length=100)
    """Case-insensitive substring of the title."""


class InventoryCreate(InputModel):
    """Compile an inventory of the prepared files of ``kind`` closed in ``year`` that are in no inventory yet."""

    year: Year
    kind: FileKind
    compiled_on: Date
    title: Text300 | None = None


class InventoryOut(OutputModel):
    id: int
    year: int
    kind: FileKind
    sequence: int
    number: str
    """``<year>-<kind>-<sequence>``."""
    title: str
    state: InventoryState
    compiled_on: dt.date
    compiled_by: str
    approved_on: dt.date | None
    approved_by: str | None
    accepted_on: dt.date | None
    accepted_by: str | None
    files: int
    pages: int
    first_date: dt.date | None
    last_date: dt.date | None


class InventoryLine(OutputModel):
    number: int
    file_id: int
    title: str
    start_date: dt.date
    end_date: dt.date
    pages: int
    retention: str
    state: FileState


class InventoryDetail(InventoryOut):
    lines: list[InventoryLine]


class InventoryQuery(ListQuery):
    year: int | None = None
    kind: FileKind | None = None
    state: InventoryState | None = None


class Approval(InputModel):
    approved_on: Date


class Acceptance(InputModel):
    """The archive accepts an approved inventory: every file except the ``missing`` numbers is received."""

    accepted_on: Date
    missing: list[int] = Field(default_factory=list, max_length=10_000)
    """Inventory numbers of files not handed over."""
    location: str | None = Field(None, min_length=1, max_length=100)
    """Where the files are shelved."""


class LoanCreate(InputModel):
    borrower: str = Field(min_length=1, max_length=200)
    """Who takes the file (name and position or department)."""
    purpose: Text300
    lent_on: Date
    due_on: Date | None = None
    """Default: the policy's loan term after ``lent_on``."""

    @model_validator(mode="after")
    def _due_after_lent(self) -> Self:
        if self.due_on is not None and self.due_on < self.lent_on:
            raise ValueError(f"due_on {self.due_on} is before lent_on {self.lent_on}")
        return self


class LoanReturn(InputModel):
    returned_on: Date
    condition: Condition
    """The file's condition as it came back (a change is recorded as a condition check)."""
    note: Note | None = None


class LoanOut(OutputModel):
    id: int
    file_id: int
    borrower: str
    purpose: str
    lent_on: dt.date
    due_on: dt.date
    lent_by: str
    returned_on: dt.date | None
    received_by: str | None
    condition_on_return: Condition | None


class LoanQuery(ListQuery):
    file_id: int | None = None
    open: bool | None = None
    """Only loans not yet returned (true) or only returned ones (false)."""
    overdue_on: Date | None = None
    """Only loans still out after their due date on this day."""


class ConditionCreate(InputModel):
    checked_on: Date
    condition: Condition
    note: Note | None = None


class ConditionOut(OutputModel):
    id: int
    file_id: int
    checked_on: dt.date
    condition: Condition
    note: str | None
    checked_by: str


class FileDetail(FileOut):
    loans: list[LoanOut]
    condition_checks: list[ConditionOut]


class ReadingCreate(InputModel):
    room: str = Field(min_length=1, max_length=64)
    measured_at: UtcDateTime
    temperature: float = Field(ge=-40, le=60, allow_inf_nan=False)
    """Degrees Celsius."""
    humidity: float = Field(ge=0, le=100, allow_inf_nan=False)
    """Relative humidity, percent."""


class ReadingOut(OutputModel):
    id: int
    room: str
    measured_at: UtcDateTime
    temperature: float
    humidity: float
    recorded_by: str
    alert: str | None
    """What was outside the norms (null: within them)."""


class ReadingQuery(ListQuery):
    room: str | None = Field(None, min_length=1, max_length=64)
    alerts: bool | None = None
    """Only readings outside the norms (true) or within them (false)."""
    since: UtcDateTime | None = None


class NormsOut(OutputModel):
    temperature_min: float
    temperature_max: float
    humidity_min: float
    humidity_max: float
    transfer_after_years: int
    loan_days: int


class ActCreate(InputModel):
    """Select the files due on ``compiled_on``: retention expired (destruction) or permanent and due for transfer."""

    kind: ActKind
    compiled_on: Date
    note: Note | None = None


class ActItemOut(OutputModel):
    position: int
    file_id: int
    title: str
    year: int
    pages: int
    nomenclature_index: str
    retention: str
    due_on: dt.date


class ActOut(OutputModel):
    id: int
    kind: ActKind
    number: str
    state: ActState
    compiled_on: dt.date
    compiled_by: str
    approved_on: dt.date | None
    approved_by: str | None
    executed_on: dt.date | None
    executed_by: str | None
    note: str | None
    files: int


class ActDetail(ActOut):
    items: list[ActItemOut]


class ActQuery(ListQuery):
    kind: ActKind | None = None
    state: ActState | None = None


class Execution(InputModel):
    executed_on: Date
