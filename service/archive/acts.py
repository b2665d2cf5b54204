"""Acts selecting files for destruction or for transfer to state storage.

Rules:

- destruction: the files ``in_archive`` whose retention has run out on the act's date
  (:meth:`models.archive.Retention.expired`); transfer: the permanent files ``in_archive`` due for transfer
  on that date (:func:`models.archive.transfer_due_on`). A lent file is not selected (it must come back
  first), nor one listed in another act that is not executed. No file due: 409;
- the act lists the files in order of nomenclature index, year and title, numbered from 1; acts are numbered
  per kind and year (``sequence``);
- a draft is approved by someone other than its compiler (409 for the same user), not before it was compiled;
- only an approved act is executed (409 for a draft: nothing is removed before approval); every file must
  still be ``in_archive`` (409 naming those that are not); the files become ``destroyed`` or ``transferred``;
- a draft may be discarded (its files are free again); approved and executed acts stay for good.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.archive import transfer_due_on
from service.archive import policy, retention
from service.errors import Conflict, NotFound, Unprocessable
from service.models import ArchiveAct, ArchiveActItem, ArchiveFile
from service.row_audit import log_row, snapshot
from service.schemas.archive import ActCreate

RESULT = {"destruction": "destroyed", "transfer": "transferred"}


def find_act(db: Session, act_id: int) -> ArchiveAct:
    row = db.get(ArchiveAct, act_id) if 0 < act_id <= 2**31 - 1 else None
    if row is None:
        raise NotFound(f"no archive act with id {act_id}")
    return row


def act_number(row: ArchiveAct) -> str:
    return f"{row.year}-{row.kind}-{row.sequence}"


def due_files(db: Session, kind: str, on: dt.date) -> list[tuple[ArchiveFile, dt.date]]:
    """The files ``in_archive`` due for ``kind`` on ``on`` and not in an open act, with the day each fell due."""
    open_acts = select(ArchiveActItem.file_id).join(ArchiveAct).where(ArchiveAct.state != "executed")
    files = db.scalars(select(ArchiveFile).where(ArchiveFile.state == "in_archive", ~ArchiveFile.id.in_(open_acts)))
    out = []
    for file in files:
        kept = retention(file.nomenclature_item)
        if kind == "destruction":
            due = kept.expires_on(file.year)
        else:
            due = transfer_due_on(file.year, policy()) if kept.permanent else None
        if due is not None and due <= on:
            out.append((file, due))
    out.sort(key=lambda pair: (pair[0].nomenclature_item.index, pair[0].year, pair[0].title.casefold(), pair[0].id))
    return out


def compile_act(db: Session, data: ActCreate, actor: str) -> ArchiveAct:
    due = due_files(db, data.kind, data.compiled_on)
    if not due:
        what = "retention has run out" if data.kind == "destruction" else "transfer to state storage is due"
        raise Conflict(f"no file in the archive whose {what} on {data.compiled_on}", field="kind")
    year = data.compiled_on.year
    sequence = (db.scalar(select(func.max(ArchiveAct.sequence)).where(ArchiveAct.kind == data.kind,
                                                                      ArchiveAct.year == year)) or 0) + 1  # fmt: skip
    items = [ArchiveActItem(file_id=f.id, position=n, due_on=d) for n, (f, d) in enumerate(due, 1)]
    act = ArchiveAct(kind=data.kind, year=year, sequence=sequence, state="draft", compiled_on=data.compiled_on,
                     compiled_by=actor, note=data.note, items=items)  # fmt: skip
    db.add(act)
    log_row(db, act)
    return act


def approve_act(db: Session, act: ArchiveAct, on: dt.date, actor: str) -> None:
    if act.state != "draft":
        raise Conflict(f"act {act_number(act)} is {act.state}: only a draft is approved")
    if act.compiled_by == actor:
        raise Conflict(f"act {act_number(act)} was compiled by {actor}: another person approves it")
    if on < act.compiled_on:
        raise Unprocessable(f"{on} is before the act was compiled on {act.compiled_on}", field="approved_on")
    before = snapshot(act)
    act.state, act.approved_on, act.approved_by = "approved", on, actor
    log_row(db, act, before)


def execute_act(db: Session, act: ArchiveAct, on: dt.date, actor: str) -> None:
    if act.state != "approved":
        raise Conflict(f"act {act_number(act)} is {act.state}: only an approved act is carried out"
                       + (" (nothing is removed before approval)" if act.state == "draft" else ""))  # fmt: skip
    assert act.approved_on is not None
    if on < act.approved_on:
        raise Unprocessable(f"{on} is before the act was approved on {act.approved_on}", field="executed_on")
    away = [f"{i.file_id} ({i.file.state})" for i in act.items if i.file.state != "in_archive"]
    if away:
        raise Conflict(f"files not in the archive now: {', '.join(away)}; bring them back first")
    for item in act.items:
        before = snapshot(item.file)
        item.file.state = RESULT[act.kind]
        log_row(db, item.file, before, reason=f"act {act_number(act)}")
    before = snapshot(act)
    act.state, act.executed_on, act.executed_by = "executed", on, actor
    log_row(db, act, before)


def discard_act(db: Session, act: ArchiveAct) -> None:
    if act.state != "draft":
        raise Conflict(f"act {act_number(act)} is {act.state}: only a draft is discarded")
    log_row(db, act, action="delete")
    db.delete(act)
    db.flush()


def act_out(act: ArchiveAct, items: bool = False) -> dict[str, Any]:
    data = {c.name: getattr(act, c.name) for c in ArchiveAct.__table__.columns}
    data |= {"number": act_number(act), "files": len(act.items)}
    if items:
        data["items"] = [{"position": i.position, "file_id": i.file_id, "title": i.file.title, "year": i.file.year,
                          "pages": i.file.pages, "nomenclature_index": i.file.nomenclature_item.index,
                          "retention": retention(i.file.nomenclature_item).describe(), "due_on": i.due_on}
                         for i in act.items]  # fmt: skip
    return data
