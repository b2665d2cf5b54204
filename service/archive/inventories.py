"""Inventories (opis) of files for transfer to the archive: compile, approve, accept.

Rules:

- an inventory lists the ``prepared`` files of one kind closed in one year that are in no inventory yet (409
  if there are none); ``sequence`` counts the inventories of that year and kind from 1;
- its files are numbered 1..n without gaps in alphabetical order of their titles
  (:func:`models.archive.number_inventory`) when it is compiled, and again when it is approved (a title
  may have been corrected meanwhile); from approval on the numbers are fixed;
- only a draft is approved, only an approved inventory is accepted (409 otherwise); at acceptance every
  file becomes ``in_archive`` except the numbers reported missing, which become ``not_received``
  (422 for a number that is not in the inventory).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.archive import number_inventory
from service.archive import retention
from service.errors import Conflict, NotFound, Unprocessable
from service.models import ArchiveFile, ArchiveInventory
from service.row_audit import log_row, snapshot
from service.schemas.archive import Acceptance, InventoryCreate

KIND_TITLES = {
    "graduate_personal_file": "Personal files of graduates",
    "expelled_personal_file": "Personal files of expelled students",
    "case": "Cases",
}


def find_inventory(db: Session, inventory_id: int) -> ArchiveInventory:
    row = db.get(ArchiveInventory, inventory_id) if 0 < inventory_id <= 2**31 - 1 else None
    if row is None:
        raise NotFound(f"no inventory with id {inventory_id}")
    return row


def inventory_number(row: ArchiveInventory) -> str:
    return f"{row.year}-{row.kind}-{row.sequence}"


def _renumber(db: Session, files: list[ArchiveFile], inventory_id: int) -> None:
    """Number ``files`` in inventory order (and put them in the inventory), logging each change."""
    numbers = number_inventory([(f.id, f.title) for f in files])
    before = {f.id: snapshot(f) for f in files}
    for file in files:  # clear first: (inventory, number) is unique and numbers may swap
        file.inventory_number = None
    db.flush()
    for file in files:
        file.inventory_id = inventory_id
        file.inventory_number = numbers[file.id]
    for file in files:
        log_row(db, file, before[file.id])


def compile_inventory(db: Session, data: InventoryCreate, actor: str) -> ArchiveInventory:
    """A new draft inventory of the prepared files of ``data.kind`` closed in ``data.year`` (not committed)."""
    files = list(db.scalars(select(ArchiveFile).where(
        ArchiveFile.kind == data.kind, ArchiveFile.year == data.year, ArchiveFile.state == "prepared",
        ArchiveFile.inventory_id.is_(None))))  # fmt: skip
    if not files:
        raise Conflict(f"no prepared {data.kind} files of {data.year} outside an inventory", field="kind")
    sequence = (db.scalar(select(func.max(ArchiveInventory.sequence)).where(
        ArchiveInventory.year == data.year, ArchiveInventory.kind == data.kind)) or 0) + 1  # fmt: skip
    row = ArchiveInventory(year=data.year, kind=data.kind, sequence=sequence,
                           title=data.title or f"{KIND_TITLES[data.kind]}, {data.year}", state="draft",
                           compiled_on=data.compiled_on, compiled_by=actor)  # fmt: skip
    db.add(row)
    log_row(db, row)
    _renumber(db, files, row.id)
    return row


def approve_inventory(db: Session, row: ArchiveInventory, on: dt.date, actor: str) -> None:
    if row.state != "draft":
        raise Conflict(f"inventory {inventory_number(row)} is {row.state}: only a draft is approved")
    if on < row.compiled_on:
        raise Unprocessable(f"{on} is before the inventory was compiled on {row.compiled_on}", field="approved_on")
    _renumber(db, list(row.files), row.id)
    before = snapshot(row)
    row.state, row.approved_on, row.approved_by = "approved", on, actor
    log_row(db, row, before)


def accept_inventory(db: Session, row: ArchiveInventory, data: Acceptance, actor: str) -> None:
    if row.state != "approved":
        raise Conflict(f"inventory {inventory_number(row)} is {row.state}: only an approved inventory is accepted")
    if row.approved_on is not None and data.accepted_on < row.approved_on:
        raise Unprocessable(f"{data.accepted_on} is before the approval on {row.approved_on}", field="accepted_on")
    numbers = {f.inventory_number for f in row.files}
    unknown = sorted(set(data.missing) - numbers)
    if unknown:
        raise Unprocessable(f"numbers {', '.join(map(str, unknown))} are not in inventory {inventory_number(row)} "
                            f"(1-{len(numbers)})", field="missing")  # fmt: skip
    for file in row.files:
        file_before = snapshot(file)
        if file.inventory_number in data.missing:
            file.state = "not_received"
        else:
            file.state = "in_archive"
            if data.location is not None:
                file.location = data.location
        log_row(db, file, file_before)
    before = snapshot(row)
    row.state, row.accepted_on, row.accepted_by = "accepted", data.accepted_on, actor
    log_row(db, row, before)


def inventory_out(row: ArchiveInventory, lines: bool = False) -> dict[str, Any]:
    files = list(row.files)
    data = {c.name: getattr(row, c.name) for c in ArchiveInventory.__table__.columns}
    data |= {"number": inventory_number(row), "files": len(files), "pages": sum(f.pages for f in files),
             "first_date": min((f.start_date for f in files), default=None),
             "last_date": max((f.end_date for f in files), default=None)}  # fmt: skip
    if lines:
        data["lines"] = [{"number": f.inventory_number, "file_id": f.id, "title": f.title, "start_date": f.start_date,
                          "end_date": f.end_date, "pages": f.pages, "state": f.state,
                          "retention": retention(f.nomenclature_item).describe()}
                         for f in sorted(files, key=lambda f: f.inventory_number or 0)]  # fmt: skip
    return data
