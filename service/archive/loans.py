"""Lending files from the archive and taking them back.

Rules: only a file ``in_archive`` is lent (409 otherwise: it is lent already, or not in the archive); the due
date defaults to the policy's loan term; a return closes the open loan (409 if the loan is closed), not before
the day it was lent, and puts the file back ``in_archive``; a condition different from the file's is recorded
as a condition check (``restored`` only after ``damaged``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.archive import policy
from service.archive.files import record_condition
from service.errors import Conflict, NotFound, Unprocessable
from service.models import ArchiveFile, ArchiveLoan
from service.row_audit import log_row, snapshot
from service.schemas.archive import LoanCreate, LoanReturn


def find_loan(db: Session, loan_id: int) -> ArchiveLoan:
    row = db.get(ArchiveLoan, loan_id) if 0 < loan_id <= 2**31 - 1 else None
    if row is None:
        raise NotFound(f"no loan with id {loan_id}")
    return row


def lend(db: Session, file: ArchiveFile, data: LoanCreate, actor: str) -> ArchiveLoan:
    if file.state == "lent":
        holder = db.scalar(select(ArchiveLoan).where(ArchiveLoan.file_id == file.id, ArchiveLoan.returned_on.is_(None)))
        who = f" to {holder.borrower} since {holder.lent_on}" if holder else ""
        raise Conflict(f"file {file.id} is lent{who}: it must come back first")
    if file.state != "in_archive":
        raise Conflict(f"file {file.id} is {file.state}: only a file in the archive is lent")
    due = data.due_on or data.lent_on + dt.timedelta(days=policy().loan_days)
    loan = ArchiveLoan(file_id=file.id, borrower=data.borrower, purpose=data.purpose, lent_on=data.lent_on, due_on=due,
                       lent_by=actor)  # fmt: skip
    before = snapshot(file)
    file.state = "lent"
    db.add(loan)
    log_row(db, loan)
    log_row(db, file, before)
    return loan


def give_back(db: Session, loan: ArchiveLoan, data: LoanReturn, actor: str) -> None:
    if loan.returned_on is not None:
        raise Conflict(f"loan {loan.id} was closed on {loan.returned_on}")
    if data.returned_on < loan.lent_on:
        raise Unprocessable(f"{data.returned_on} is before the file was lent on {loan.lent_on}", field="returned_on")
    file = db.get(ArchiveFile, loan.file_id)
    assert file is not None
    before, loan_before = snapshot(file), snapshot(loan)
    file.state = "in_archive"
    log_row(db, file, before)
    if data.condition != file.condition:
        note = data.note or f"returned from loan {loan.id}"
        record_condition(db, file, data.condition, data.returned_on, note, actor)
    loan.returned_on, loan.received_by, loan.condition_on_return = data.returned_on, actor, data.condition
    log_row(db, loan, loan_before)
