"""Files for the archive: creating one, preparing the personal files of graduates and expelled students,
changing a prepared file, and recording its condition (intact, damaged, restored).

Rules:

- a personal file belongs to a student whose status fits its kind (graduated / expelled), one file per student;
- its title defaults to the student's full name; its pages to the sum of the pages of the documents in the
  student's personal file (422 if some document has no page count and none is given); its start date is
  the earliest document received, else 1 September of the admission year;
- title, dates and pages change only while the file is ``prepared`` and in no approved inventory;
- a condition check of a file that is not in the archive's keeping (destroyed, transferred, not received) is
  a 409; ``restored`` follows only ``damaged``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.archive import transfer_due_on
from service.archive import policy, retention
from service.errors import Conflict, NotFound, Unprocessable
from service.models import ArchiveFile, ArchiveLoan, ConditionCheck, NomenclatureItem, PersonalFileDocument, Student
from service.personal_files import full_name
from service.row_audit import log_row, snapshot
from service.schemas.archive import FileCreate, FileUpdate, PrepareFiles

STATUS_OF_KIND = {"graduate_personal_file": "graduated", "expelled_personal_file": "expelled"}
KEPT = ("in_archive", "lent", "prepared")
"""States in which the archive (or the office preparing it) holds the file."""


def find_file(db: Session, file_id: int) -> ArchiveFile:
    row = db.get(ArchiveFile, file_id) if 0 < file_id <= 2**31 - 1 else None
    if row is None:
        raise NotFound(f"no archive file with id {file_id}")
    return row


def nomenclature_item(db: Session, item_id: int) -> NomenclatureItem:
    item = db.get(NomenclatureItem, item_id) if 0 < item_id <= 2**31 - 1 else None
    if item is None:
        raise Unprocessable(f"no nomenclature item with id {item_id}", field="nomenclature_item_id")
    return item


def file_out(row: ArchiveFile) -> dict[str, Any]:
    """The file's columns with its retention, expiry and transfer dates."""
    kept = retention(row.nomenclature_item)
    data = {c.name: getattr(row, c.name) for c in ArchiveFile.__table__.columns}
    return data | {
        "retention": kept.describe(),
        "expires_on": kept.expires_on(row.year),
        "transfer_due_on": transfer_due_on(row.year, policy()) if kept.permanent else None,
    }


def _personal_defaults(db: Session, student: Student) -> tuple[dt.date, int | None]:
    """Start date and page count of a student's personal file from its documents (pages None if unknown)."""
    documents = db.scalars(select(PersonalFileDocument).where(PersonalFileDocument.student_id == student.id)).all()
    start = min((d.received_on for d in documents), default=dt.date(student.admission_year, 9, 1))
    pages = None if not documents or any(d.pages is None for d in documents) else sum(d.pages or 0 for d in documents)
    return start, pages


def create_file(db: Session, data: FileCreate) -> ArchiveFile:
    """Add a file (``prepared``); 422 for unknown references or unknown pages, 409 for a student not leaving
    the contingent that way or already having a file."""
    nomenclature_item(db, data.nomenclature_item_id)
    title, pages = data.title, data.pages
    if data.student_id is not None:
        student = db.get(Student, data.student_id) if 0 < data.student_id <= 2**31 - 1 else None
        if student is None:
            raise Unprocessable(f"no student with id {data.student_id}", field="student_id")
        _check_student(db, student, data.kind)
        title = title or full_name(student)
        if pages is None:
            pages = _personal_defaults(db, student)[1]
        if pages is None:
            raise Unprocessable("the pages of the personal file are not known (a document has no page count): "
                                "give pages", field="pages")  # fmt: skip
    assert title is not None and pages is not None  # the schema requires both for a case
    row = ArchiveFile(nomenclature_item_id=data.nomenclature_item_id, kind=data.kind, student_id=data.student_id,
                      title=title, start_date=data.start_date, end_date=data.end_date, pages=pages,
                      year=data.end_date.year, state="prepared", condition="intact")  # fmt: skip
    db.add(row)
    log_row(db, row)
    return row


def _check_student(db: Session, student: Student, kind: str) -> None:
    wanted = STATUS_OF_KIND[kind]
    if student.status != wanted:
        raise Conflict(f"student {student.id} is {student.status}, not {wanted}: no {kind} yet", field="student_id")
    existing = db.scalar(select(ArchiveFile.id).where(ArchiveFile.student_id == student.id))
    if existing is not None:
        raise Conflict(f"student {student.id} already has archive file {existing}", field="student_id")


def prepare_files(db: Session, data: PrepareFiles) -> list[ArchiveFile]:
    """Prepare a personal file for every student of the status of ``data.kind`` (and programme and admission
    year, if given) who has no archive file yet. A student whose pages are unknown is a 422 naming them."""
    nomenclature_item(db, data.nomenclature_item_id)
    conditions = [Student.status == STATUS_OF_KIND[data.kind], ~Student.id.in_(
        select(ArchiveFile.student_id).where(ArchiveFile.student_id.is_not(None)))]  # fmt: skip
    if data.programme_id is not None:
        conditions.append(Student.programme_id == data.programme_id)
    if data.admission_year is not None:
        conditions.append(Student.admission_year == data.admission_year)
    students = db.scalars(select(Student).where(*conditions).order_by(Student.last_name, Student.id)).all()
    rows, unknown = [], []
    for student in students:
        start, pages = _personal_defaults(db, student)
        if pages is None:
            unknown.append(student)
            continue
        rows.append(ArchiveFile(nomenclature_item_id=data.nomenclature_item_id, kind=data.kind, student_id=student.id,
                                title=full_name(student), start_date=min(start, data.end_date),
                                end_date=data.end_date, pages=pages, year=data.end_date.year, state="prepared",
                                condition="intact"))  # fmt: skip
    if unknown:
        names = ", ".join(f"{s.id} ({full_name(s)})" for s in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        raise Unprocessable(
            f"the page count of these personal files is not known (a document has no pages): {names}{more}; "
            "record the pages or create their files one by one",
            field="kind",
        )
    db.add_all(rows)
    for row in rows:
        log_row(db, row)
    return rows


def update_file(db: Session, row: ArchiveFile, data: FileUpdate) -> None:
    """Apply the given fields; 409 if the file is no longer editable, 422 for dates out of order."""
    given = data.model_dump(exclude_unset=True)
    for name in given:
        if given[name] is None:
            raise Unprocessable("must not be null", field=name)
    described = set(given) - {"location"}
    if described and (row.state != "prepared" or (row.inventory is not None and row.inventory.state != "draft")):
        where = "in an approved inventory" if row.state == "prepared" else row.state
        raise Conflict(f"file {row.id} is {where}: only its location may change")
    start, end = given.get("start_date", row.start_date), given.get("end_date", row.end_date)
    if end < start:
        raise Unprocessable(f"end_date {end} is before start_date {start}", field="end_date")
    if "end_date" in given and row.inventory is not None and end.year != row.inventory.year:
        raise Unprocessable(
            f"the file is in the inventory of {row.inventory.year}: its end date must stay in that year",
            field="end_date",
        )
    before = snapshot(row)
    for name, value in given.items():
        setattr(row, name, value)
    row.year = row.end_date.year
    log_row(db, row, before)


ALLOWED_CONDITION = {"intact": {"damaged"}, "damaged": {"restored"}, "restored": {"damaged"}}


def record_condition(db: Session, row: ArchiveFile, condition: str, checked_on: dt.date, note: str | None,
                     actor: str) -> ConditionCheck:  # fmt: skip
    """Record the file's condition; 409 for a file out of the archive's keeping or a change that cannot happen."""
    if row.state not in KEPT:
        raise Conflict(f"file {row.id} is {row.state}: its condition is no longer kept")
    if condition != row.condition and condition not in ALLOWED_CONDITION[row.condition]:
        hint = " (only a damaged file is restored)" if condition == "restored" else ""
        raise Conflict(f"file {row.id} is {row.condition}: it cannot become {condition}{hint}", field="condition")
    check = ConditionCheck(file_id=row.id, checked_on=checked_on, condition=condition, note=note, checked_by=actor)
    before = snapshot(row)
    row.condition = condition
    db.add(check)
    log_row(db, check)
    log_row(db, row, before)
    return check


def file_detail(db: Session, row: ArchiveFile) -> dict[str, Any]:
    loans = db.scalars(select(ArchiveLoan).where(ArchiveLoan.file_id == row.id).order_by(ArchiveLoan.id)).all()
    checks = db.scalars(select(ConditionCheck).where(ConditionCheck.file_id == row.id).order_by(ConditionCheck.id))
    return file_out(row) | {"loans": list(loans), "condition_checks": list(checks)}
