"""The archive over the API (under ``/archive``); the rules are in :mod:`service.archive`.

| path | what |
|---|---|
| ``/archive/nomenclature`` | the nomenclature of cases (list, get, create, change, delete an unused item) |
| ``/archive/files`` | files: list, get (with loans and condition checks), create, ``prepare`` personal files, change |
| ``/archive/files/<id>/condition`` | record a file's condition (intact, damaged, restored) |
| ``/archive/files/<id>/loans``, ``/archive/loans`` | lend a file, list loans (open, overdue), ``return`` |
| ``/archive/inventories`` | inventories (opis): compile, list, get with lines, ``approve``, ``accept``, ``pdf`` |
| ``/archive/storage-readings``, ``/archive/norms`` | the storage-condition log with alerts, the norms |
| ``/archive/acts`` | acts: compile, list, get, ``approve``, ``execute``, delete a draft, ``pdf`` |

Access: the archivist, the registrar and the vice-rector read everything. The archivist (and the registrar, who
may change every record) keeps the nomenclature, prepares files, compiles inventories, accepts them, lends files,
records condition and storage readings, compiles and carries out acts. The registrar approves an inventory of the
office's files; the vice-rector or the registrar (the expert commission) approves an act, never its compiler.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from flask import Blueprint, Response
from pydantic import BaseModel
from sqlalchemy import ColumnElement, func, select

from service import archive as archive_package
from service.api.routing import endpoint
from service.archive import policy, render
from service.archive.acts import act_out, approve_act, compile_act, discard_act, execute_act, find_act
from service.archive.files import (
    create_file,
    file_detail,
    file_out,
    find_file,
    prepare_files,
    record_condition,
    update_file,  # fmt: skip
)
from service.archive.inventories import (
    accept_inventory,
    approve_inventory,
    compile_inventory,
    find_inventory,
    inventory_out,  # fmt: skip
)
from service.archive.loans import find_loan, give_back, lend
from service.archive.storage import record_reading
from service.auth import allow
from service.db import Base, session
from service.models import ArchiveAct, ArchiveFile, ArchiveInventory, ArchiveLoan, NomenclatureItem, StorageReading
from service.records.crud import Resource, commit, register
from service.row_audit import actor
from service.schemas.archive import (
    Acceptance,
    ActCreate,
    ActDetail,
    ActOut,
    ActQuery,
    Approval,
    ConditionCreate,
    ConditionOut,
    Execution,
    FileCreate,
    FileDetail,
    FileOut,
    FileQuery,
    FileUpdate,
    InventoryCreate,
    InventoryDetail,
    InventoryOut,
    InventoryQuery,
    LoanCreate,
    LoanOut,
    LoanQuery,
    LoanReturn,
    NomenclatureCreate,
    NomenclatureOut,
    NomenclatureQuery,
    NormsOut,
    PrepareFiles,
    ReadingCreate,
    ReadingOut,
    ReadingQuery,
)
from service.schemas.common import ListQuery, Page

bp = Blueprint("archive", __name__, template_folder=str(Path(archive_package.__file__).parent / "templates"))
Out = TypeVar("Out", bound=BaseModel)

ARCHIVE_READERS = allow("archivist", "registrar", "vice_rector")
ARCHIVIST = allow("archivist", "registrar")
INVENTORY_APPROVERS = allow("registrar")
ACT_APPROVERS = allow("vice_rector", "registrar")


def actor_name() -> str:
    return actor()


def page_of(model: type[Base], out: type[Out], conditions: Sequence[ColumnElement[bool]], query: ListQuery,
            transform: Callable[[Any], Any] = lambda row: row) -> Page[Out]:  # fmt: skip
    """A page of ``model`` rows matching ``conditions`` ordered by id, each through ``transform`` into ``out``."""
    db = session()
    total = db.scalar(select(func.count()).select_from(model).where(*conditions)) or 0
    rows = db.scalars(select(model).where(*conditions).order_by(model.id)  # type: ignore[attr-defined]
                      .limit(query.per_page).offset((query.page - 1) * query.per_page))  # fmt: skip
    items = [out.model_validate(transform(row)) for row in rows]
    return Page[out](items=items, total=total, page=query.page, per_page=query.per_page)  # type: ignore[valid-type]


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# -- nomenclature of cases


class _NomenclatureResource(Resource):
    def list_page(self, db: Any, query: Any) -> Page[Any]:
        conditions = [getattr(NomenclatureItem, f) == getattr(query, f) for f in ("year", "permanent")
                      if getattr(query, f) is not None]  # fmt: skip
        if query.q:
            pattern = _like(query.q)
            conditions.append(NomenclatureItem.index.ilike(pattern, escape="\\")
                              | NomenclatureItem.title.ilike(pattern, escape="\\"))  # fmt: skip
        return page_of(NomenclatureItem, NomenclatureOut, conditions, query)


NOMENCLATURE = _NomenclatureResource(
    "/archive/nomenclature",
    NomenclatureItem,
    NomenclatureCreate,
    NomenclatureOut,
    NomenclatureQuery,
    unique=[("year", "index")],
    read=ARCHIVE_READERS,
    write=ARCHIVIST,
)
register(bp, NOMENCLATURE, "nomenclature items")


# -- files


@endpoint(bp, "/archive/files", "GET", name="list_archive_files", summary="List archive files", query=FileQuery,
          response=Page[FileOut], roles=ARCHIVE_READERS)  # fmt: skip
def list_files_view(query: FileQuery) -> Page[FileOut]:
    fields = ("kind", "state", "condition", "year", "inventory_id", "nomenclature_item_id", "student_id")
    conditions = [getattr(ArchiveFile, f) == getattr(query, f) for f in fields if getattr(query, f) is not None]
    if query.q:
        conditions.append(ArchiveFile.title.ilike(_like(query.q), escape="\\"))
    return page_of(ArchiveFile, FileOut, conditions, query, file_out)


@endpoint(bp, "/archive/files/<int:id>", "GET", name="get_archive_file",
          summary="An archive file with its retention, loans and condition checks", response=FileDetail,
          roles=ARCHIVE_READERS)  # fmt: skip
def get_file_view(id: int) -> Any:
    db = session()
    return file_detail(db, find_file(db, id))


@endpoint(bp, "/archive/files", "POST", name="create_archive_file",
          summary="Prepare a file for the archive (a personal file or another case)", body=FileCreate,
          response=FileOut, status=201, errors=(409,), roles=ARCHIVIST, audited=True)  # fmt: skip
def create_file_view(body: FileCreate) -> Any:
    db = session()
    row = create_file(db, body)
    commit(db)
    return file_out(find_file(db, row.id))


@endpoint(bp, "/archive/files/prepare", "POST", name="prepare_archive_files",
          summary="Prepare the personal files of all graduated or expelled students that have none",
          body=PrepareFiles, response=Page[FileOut], status=201, roles=ARCHIVIST, audited=True)  # fmt: skip
def prepare_files_view(body: PrepareFiles) -> Any:
    db = session()
    rows = prepare_files(db, body)
    items = [FileOut.model_validate(file_out(r)) for r in rows]
    commit(db)
    return Page[FileOut](items=items, total=len(items), page=1, per_page=max(len(items), 1))


@endpoint(bp, "/archive/files/<int:id>", "PATCH", name="update_archive_file",
          summary="Change a prepared file (title, dates, pages) or any file's location", body=FileUpdate,
          response=FileOut, errors=(409,), roles=ARCHIVIST, audited=True)  # fmt: skip
def update_file_view(id: int, body: FileUpdate) -> Any:
    db = session()
    row = find_file(db, id)
    update_file(db, row, body)
    commit(db)
    return file_out(row)


@endpoint(bp, "/archive/files/<int:id>/condition", "POST", name="record_file_condition",
          summary="Record a file's condition (intact, damaged, restored)", body=ConditionCreate,
          response=ConditionOut, status=201, errors=(409,), roles=ARCHIVIST, audited=True)  # fmt: skip
def condition_view(id: int, body: ConditionCreate) -> Any:
    db = session()
    check = record_condition(db, find_file(db, id), body.condition, body.checked_on, body.note, actor_name())
    commit(db)
    return check


# -- loans


@endpoint(bp, "/archive/files/<int:id>/loans", "POST", name="lend_archive_file", summary="Lend a file",
          body=LoanCreate, response=LoanOut, status=201, errors=(409,), roles=ARCHIVIST, audited=True)  # fmt: skip
def lend_view(id: int, body: LoanCreate) -> Any:
    db = session()
    loan = lend(db, find_file(db, id), body, actor_name())
    commit(db)
    return loan


@endpoint(bp, "/archive/loans", "GET", name="list_archive_loans", summary="List loans (open, overdue on a day)",
          query=LoanQuery, response=Page[LoanOut], roles=ARCHIVE_READERS)  # fmt: skip
def list_loans_view(query: LoanQuery) -> Page[LoanOut]:
    conditions: list[ColumnElement[bool]] = []
    if query.file_id is not None:
        conditions.append(ArchiveLoan.file_id == query.file_id)
    if query.open is not None:
        conditions.append(ArchiveLoan.returned_on.is_(None) if query.open else ArchiveLoan.returned_on.is_not(None))
    if query.overdue_on is not None:
        conditions += [ArchiveLoan.returned_on.is_(None), ArchiveLoan.due_on < query.overdue_on]
    return page_of(ArchiveLoan, LoanOut, conditions, query)


@endpoint(bp, "/archive/loans/<int:id>/return", "POST", name="return_archive_file",
          summary="Take a lent file back", body=LoanReturn, response=LoanOut, errors=(409,), roles=ARCHIVIST,
          audited=True)  # fmt: skip
def return_view(id: int, body: LoanReturn) -> Any:
    db = session()
    loan = find_loan(db, id)
    give_back(db, loan, body, actor_name())
    commit(db)
    return loan


# -- inventories


@endpoint(bp, "/archive/inventories", "POST", name="compile_inventory",
          summary="Compile an inventory (opis) of the prepared files of a year and kind", body=InventoryCreate,
          response=InventoryDetail, status=201, errors=(409,), roles=ARCHIVIST, audited=True)  # fmt: skip
def compile_inventory_view(body: InventoryCreate) -> Any:
    db = session()
    row = compile_inventory(db, body, actor_name())
    commit(db)
    db.expire(row)
    return inventory_out(find_inventory(db, row.id), lines=True)


@endpoint(bp, "/archive/inventories", "GET", name="list_inventories", summary="List inventories",
          query=InventoryQuery, response=Page[InventoryOut], roles=ARCHIVE_READERS)  # fmt: skip
def list_inventories_view(query: InventoryQuery) -> Page[InventoryOut]:
    conditions = [getattr(ArchiveInventory, f) == getattr(query, f) for f in ("year", "kind", "state")
                  if getattr(query, f) is not None]  # fmt: skip
    return page_of(ArchiveInventory, InventoryOut, conditions, query, inventory_out)


@endpoint(bp, "/archive/inventories/<int:id>", "GET", name="get_inventory",
          summary="An inventory with its numbered files", response=InventoryDetail, roles=ARCHIVE_READERS)  # fmt: skip
def get_inventory_view(id: int) -> Any:
    return inventory_out(find_inventory(session(), id), lines=True)


@endpoint(bp, "/archive/inventories/<int:id>/approve", "POST", name="approve_inventory",
          summary="Approve a draft inventory (its numbers are fixed from now on)", body=Approval,
          response=InventoryDetail, errors=(409,), roles=INVENTORY_APPROVERS, audited=True)  # fmt: skip
def approve_inventory_view(id: int, body: Approval) -> Any:
    db = session()
    row = find_inventory(db, id)
    approve_inventory(db, row, body.approved_on, actor_name())
    commit(db)
    return inventory_out(row, lines=True)


@endpoint(bp, "/archive/inventories/<int:id>/accept", "POST", name="accept_inventory",
          summary="Accept an approved inventory into the archive", body=Acceptance, response=InventoryDetail,
          errors=(409,), roles=ARCHIVIST, audited=True)  # fmt: skip
def accept_inventory_view(id: int, body: Acceptance) -> Any:
    db = session()
    row = find_inventory(db, id)
    accept_inventory(db, row, body, actor_name())
    commit(db)
    return inventory_out(row, lines=True)


@endpoint(bp, "/archive/inventories/<int:id>/pdf", "GET", name="inventory_pdf",
          summary="The inventory (opis) as a PDF", files=("application/pdf",), roles=ARCHIVE_READERS)  # fmt: skip
def inventory_pdf_view(id: int) -> Response:
    row = find_inventory(session(), id)
    return pdf_response(render.inventory_pdf(row), f"inventory-{row.year}-{row.kind}-{row.sequence}")


def pdf_response(content: bytes, name: str) -> Response:
    answer = Response(content, mimetype="application/pdf")
    answer.headers["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return answer


# -- storage conditions


@endpoint(bp, "/archive/storage-readings", "POST", name="record_storage_reading",
          summary="Record a storage room's temperature and humidity (alert if outside the norms)", body=ReadingCreate,
          response=ReadingOut, status=201, roles=ARCHIVIST, audited=True)  # fmt: skip
def record_reading_view(body: ReadingCreate) -> Any:
    db = session()
    row = record_reading(db, body, actor_name())
    commit(db)
    return row


@endpoint(bp, "/archive/storage-readings", "GET", name="list_storage_readings",
          summary="The storage-condition log (alerts only with alerts=true)", query=ReadingQuery,
          response=Page[ReadingOut], roles=ARCHIVE_READERS)  # fmt: skip
def list_readings_view(query: ReadingQuery) -> Page[ReadingOut]:
    conditions: list[ColumnElement[bool]] = []
    if query.room is not None:
        conditions.append(StorageReading.room == query.room)
    if query.alerts is not None:
        conditions.append(StorageReading.alert.is_not(None) if query.alerts else StorageReading.alert.is_(None))
    if query.since is not None:
        conditions.append(StorageReading.measured_at >= query.since)
    return page_of(StorageReading, ReadingOut, conditions, query)


@endpoint(bp, "/archive/norms", "GET", name="archive_norms",
          summary="The storage norms, the transfer term and the loan term in force", response=NormsOut,
          roles=ARCHIVE_READERS)  # fmt: skip
def norms_view() -> Any:
    rules = policy()
    return NormsOut.model_validate(rules.storage.model_dump() | rules.model_dump(exclude={"storage"}))


# -- acts of destruction and transfer


@endpoint(bp, "/archive/acts", "POST", name="compile_archive_act",
          summary="Select the files due for destruction or for transfer to state storage", body=ActCreate,
          response=ActDetail, status=201, errors=(409,), roles=ARCHIVIST, audited=True)  # fmt: skip
def compile_act_view(body: ActCreate) -> Any:
    db = session()
    act = compile_act(db, body, actor_name())
    commit(db)
    return act_out(find_act(db, act.id), items=True)


@endpoint(bp, "/archive/acts", "GET", name="list_archive_acts", summary="List acts of destruction and transfer",
          query=ActQuery, response=Page[ActOut], roles=ARCHIVE_READERS)  # fmt: skip
def list_acts_view(query: ActQuery) -> Page[ActOut]:
    conditions = [getattr(ArchiveAct, f) == getattr(query, f) for f in ("kind", "state") if getattr(query, f)]
    return page_of(ArchiveAct, ActOut, conditions, query, act_out)


@endpoint(bp, "/archive/acts/<int:id>", "GET", name="get_archive_act", summary="An act with the files it lists",
          response=ActDetail, roles=ARCHIVE_READERS)  # fmt: skip
def get_act_view(id: int) -> Any:
    return act_out(find_act(session(), id), items=True)


@endpoint(bp, "/archive/acts/<int:id>/approve", "POST", name="approve_archive_act",
          summary="Approve an act (the expert commission; not its compiler)", body=Approval, response=ActDetail,
          errors=(409,), roles=ACT_APPROVERS, audited=True)  # fmt: skip
def approve_act_view(id: int, body: Approval) -> Any:
    db = session()
    act = find_act(db, id)
    approve_act(db, act, body.approved_on, actor_name())
    commit(db)
    return act_out(act, items=True)


@endpoint(bp, "/archive/acts/<int:id>/execute", "POST", name="execute_archive_act",
          summary="Carry out an approved act: destroy or hand over its files", body=Execution, response=ActDetail,
          errors=(409,), roles=ARCHIVIST, audited=True)  # fmt: skip
def execute_act_view(id: int, body: Execution) -> Any:
    db = session()
    act = find_act(db, id)
    execute_act(db, act, body.executed_on, actor_name())
    commit(db)
    return act_out(act, items=True)


@endpoint(bp, "/archive/acts/<int:id>/pdf", "GET", name="archive_act_pdf",
          summary="The act of destruction or transfer as a PDF", files=("application/pdf",),
          roles=ARCHIVE_READERS)  # fmt: skip
def act_pdf_view(id: int) -> Response:
    act = find_act(session(), id)
    return pdf_response(render.act_pdf(act), f"act-{act.year}-{act.kind}-{act.sequence}")


@endpoint(bp, "/archive/acts/<int:id>", "DELETE", name="discard_archive_act", summary="Discard a draft act",
          status=204, errors=(409,), roles=ARCHIVIST, audited=True)  # fmt: skip
def discard_act_view(id: int) -> None:
    db = session()
    discard_act(db, find_act(db, id))
    commit(db)
