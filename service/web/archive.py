"""Web pages of the university archive, under the API's role rules (:mod:`service.records.archive`).

- ``/archive``: the state of the archive: files per state, loans overdue, the latest storage alerts;
- ``/archive/nomenclature``: the nomenclature of cases of a year (index, title, retention, article); the
  archivist adds headings;
- ``/archive/files``: files by state, kind, year and title; the archivist prepares the personal files of
  graduates or expelled students, or adds a case; ``/archive/files/<id>``: a file with its retention, loans
  and condition checks; lending, return and the record of its condition (intact, damaged, restored);
- ``/archive/inventories``: inventories (opis) per year and kind; compiling one; ``/archive/inventories/<id>``:
  its numbered files, approval (the registrar), acceptance into the archive (files reported missing become
  not received), the PDF;
- ``/archive/storage``: the storage-condition log, readings outside the norms marked as alerts;
- ``/archive/acts``: acts selecting files for destruction (retention expired) or for transfer to state
  storage (permanent); ``/archive/acts/<id>``: approval by the vice-rector or the registrar (not its
  compiler), execution only once approved, discarding a draft, the PDF.

Every form goes through the same functions as the API (:mod:`service.archive`): a refusal shows its problems
with the API's status and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from service import db
from service.archive import policy
from service.archive.acts import act_number, act_out, approve_act, compile_act, discard_act, execute_act, find_act
from service.archive.files import create_file, file_detail, file_out, find_file, prepare_files, record_condition
from service.archive.inventories import (
    KIND_TITLES,
    accept_inventory,
    approve_inventory,
    compile_inventory,
    find_inventory,
    inventory_out,
)
from service.archive.loans import find_loan, give_back, lend
from service.archive.storage import record_reading
from service.auth import RoleRule, require_actor
from service.clock import today
from service.errors import BadRequest, Forbidden, Unprocessable
from service.models import ArchiveAct, ArchiveFile, ArchiveInventory, ArchiveLoan, NomenclatureItem, StorageReading
from service.records.archive import ACT_APPROVERS, ARCHIVE_READERS, ARCHIVIST, INVENTORY_APPROVERS, NOMENCLATURE
from service.records.crud import commit
from service.row_audit import actor
from service.schemas.archive import (
    Acceptance,
    ActCreate,
    ActKind,
    Approval,
    Condition,
    ConditionCreate,
    Execution,
    FileCreate,
    FileKind,
    FileState,
    InventoryCreate,
    LoanCreate,
    LoanReturn,
    NomenclatureCreate,
    PrepareFiles,
    ReadingCreate,
)
from service.web.actions import attempt, checked, form_values
from service.web.nav import register_nav
from service.web.pages import page

LIMIT = 200
"""Rows a list page shows (the API pages through all of them)."""


def _may(rule: RoleRule) -> bool:
    return rule.admits(require_actor().roles, True)


def _require(rule: RoleRule, what: str) -> None:
    if not _may(rule):
        raise Forbidden(f"{require_actor().username} may not {what}: only {' or '.join(sorted(rule.roles))}")


def _post(actions: dict[str, tuple[RoleRule, str, Callable[[], Any], str]]) -> tuple[list[str], int]:
    """Carry out the posted ``action``: ``name -> (who may, what it is, function, message when done)``."""
    name = request.form.get("action", "")
    if name not in actions:
        raise BadRequest(f"unknown action {name!r}: one of {', '.join(sorted(actions))}")
    rule, what, action, done = actions[name]
    _require(rule, what)
    return attempt(action, done)


def _year(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) == 4 else None


@page("/archive", roles=ARCHIVE_READERS)
def archive() -> ResponseReturnValue:
    session = db.session()
    states = dict(session.execute(select(ArchiveFile.state, func.count()).group_by(ArchiveFile.state)).all())  # type: ignore[arg-type]
    overdue = session.scalars(select(ArchiveLoan).where(ArchiveLoan.returned_on.is_(None), ArchiveLoan.due_on < today())
                              .order_by(ArchiveLoan.due_on)).all()  # fmt: skip
    alerts = session.scalars(select(StorageReading).where(StorageReading.alert.is_not(None))
                             .order_by(StorageReading.measured_at.desc()).limit(10)).all()  # fmt: skip
    drafts = session.scalar(select(func.count()).select_from(ArchiveAct).where(ArchiveAct.state != "executed")) or 0
    return render_template("web/archive/home.html", states=states, overdue=overdue, alerts=alerts, open_acts=drafts,
                           titles={f.id: f.title for f in session.scalars(select(ArchiveFile).where(
                               ArchiveFile.id.in_([loan.file_id for loan in overdue])))})  # fmt: skip


# -- nomenclature


@page("/archive/nomenclature", roles=ARCHIVE_READERS, methods=("GET", "POST"))
def nomenclature() -> ResponseReturnValue:
    session = db.session()
    problems: list[str] = []
    status = 200
    sent: dict[str, Any] = {}
    if request.method == "POST":
        sent = form_values(("year", "index", "title", "retention_years", "article", "note"))
        sent["permanent"] = checked("permanent")

        def add() -> None:
            NOMENCLATURE.create_record(session, NomenclatureCreate.model_validate(sent))

        problems, status = _post({"add": (ARCHIVIST, "keep the nomenclature", add, "The heading is added.")})
        if not problems:
            return redirect(url_for("web.nomenclature", year=sent.get("year")))
    year = _year(request.args.get("year")) or today().year
    items = session.scalars(select(NomenclatureItem).where(NomenclatureItem.year == year)
                            .order_by(NomenclatureItem.index)).all()  # fmt: skip
    return render_template("web/archive/nomenclature.html", items=items, year=year, problems=problems, sent=sent,
                           may_keep=_may(ARCHIVIST)), status  # fmt: skip


# -- files


@page("/archive/files", roles=ARCHIVE_READERS, methods=("GET", "POST"))
def archive_files() -> ResponseReturnValue:
    session = db.session()
    problems: list[str] = []
    status = 200
    sent: dict[str, Any] = {}
    if request.method == "POST":
        prepared: list[ArchiveFile] = []
        sent = form_values(("kind", "nomenclature_item_id", "end_date", "programme_id", "admission_year", "title",
                            "start_date", "pages", "student_id"))  # fmt: skip

        def prepare() -> None:
            fields = ("kind", "nomenclature_item_id", "end_date", "programme_id", "admission_year")
            prepared.extend(prepare_files(session, PrepareFiles.model_validate({k: sent[k] for k in fields
                                                                                if k in sent})))  # fmt: skip
            commit(session)

        def add() -> None:
            fields = ("kind", "nomenclature_item_id", "title", "start_date", "end_date", "pages", "student_id")
            prepared.append(create_file(session, FileCreate.model_validate({k: sent[k] for k in fields if k in sent})))
            commit(session)

        problems, status = _post({
            "prepare": (ARCHIVIST, "prepare files for the archive", prepare, "The personal files are prepared."),
            "add": (ARCHIVIST, "prepare files for the archive", add, "The file is prepared."),
        })  # fmt: skip
        if not problems:
            return redirect(url_for("web.archive_files", state="prepared"))
    conditions: list[Any] = []
    state, kind = request.args.get("state", ""), request.args.get("kind", "")
    if state in get_args(FileState):
        conditions.append(ArchiveFile.state == state)
    if kind in get_args(FileKind):
        conditions.append(ArchiveFile.kind == kind)
    year = _year(request.args.get("year"))
    if year is not None:
        conditions.append(ArchiveFile.year == year)
    q = request.args.get("q", "").strip()[:100]
    if q:
        conditions.append(ArchiveFile.title.ilike("%" + q.replace("\\", "\\\\").replace("%", "\\%")
                                                  .replace("_", "\\_") + "%", escape="\\"))  # fmt: skip
    total = session.scalar(select(func.count()).select_from(ArchiveFile).where(*conditions)) or 0
    order = (ArchiveFile.year.desc(), ArchiveFile.title, ArchiveFile.id)
    rows = session.scalars(select(ArchiveFile).where(*conditions).order_by(*order).limit(LIMIT)).all()
    items = session.scalars(select(NomenclatureItem).order_by(NomenclatureItem.year.desc(), NomenclatureItem.index)
                            .limit(500)).all()  # fmt: skip
    return render_template("web/archive/files.html", files=[file_out(r) for r in rows], total=total, state=state,
                           kind=kind, year=year or "", q=q, states=get_args(FileState), kinds=KIND_TITLES,
                           items=items, problems=problems, sent=sent, may_keep=_may(ARCHIVIST)), status  # fmt: skip


@page("/archive/files/<int:id>", roles=ARCHIVE_READERS, methods=("GET", "POST"))
def archive_file(id: int) -> ResponseReturnValue:
    session = db.session()
    row = find_file(session, id)
    problems: list[str] = []
    status = 200
    if request.method == "POST":

        def lend_it() -> None:
            lend(session, row, LoanCreate.model_validate(form_values(("borrower", "purpose", "lent_on", "due_on"))),
                 actor())  # fmt: skip
            commit(session)

        def take_back() -> None:
            loan_id = request.form.get("loan_id", "")
            loan = find_loan(session, int(loan_id) if loan_id.isdigit() else 0)
            if loan.file_id != row.id:
                raise Unprocessable(f"loan {loan.id} is of file {loan.file_id}, not {row.id}", field="loan_id")
            give_back(session, loan, LoanReturn.model_validate(form_values(("returned_on", "condition", "note"))),
                      actor())  # fmt: skip
            commit(session)

        def condition() -> None:
            body = ConditionCreate.model_validate(form_values(("checked_on", "condition", "note")))
            record_condition(session, row, body.condition, body.checked_on, body.note, actor())
            commit(session)

        problems, status = _post({
            "lend": (ARCHIVIST, "lend files", lend_it, "The file is lent."),
            "return": (ARCHIVIST, "take files back", take_back, "The file is back in the archive."),
            "condition": (ARCHIVIST, "record the condition of files", condition, "The condition is recorded."),
        })  # fmt: skip
        if not problems:
            return redirect(url_for("web.archive_file", id=id))
        row = find_file(session, id)
    detail = file_detail(session, row)
    open_loan = next((loan for loan in detail["loans"] if loan.returned_on is None), None)
    return render_template("web/archive/file.html", file=detail, item=row.nomenclature_item, open_loan=open_loan,
                           conditions=get_args(Condition), inventory=row.inventory, problems=problems,
                           today=today().isoformat(), may_keep=_may(ARCHIVIST)), status  # fmt: skip


# -- inventories


@page("/archive/inventories", roles=ARCHIVE_READERS, methods=("GET", "POST"))
def inventories() -> ResponseReturnValue:
    session = db.session()
    problems: list[str] = []
    status = 200
    sent: dict[str, Any] = {}
    if request.method == "POST":
        made: list[ArchiveInventory] = []
        sent = form_values(("year", "kind", "compiled_on", "title"))

        def compile_it() -> None:
            made.append(compile_inventory(session, InventoryCreate.model_validate(sent), actor()))
            commit(session)

        problems, status = _post({"compile": (ARCHIVIST, "compile inventories", compile_it,
                                              "The inventory is compiled (a draft).")})  # fmt: skip
        if not problems:
            return redirect(url_for("web.inventory", id=made[0].id))
    year = _year(request.args.get("year"))
    conditions = [ArchiveInventory.year == year] if year else []
    rows = session.scalars(select(ArchiveInventory).where(*conditions).order_by(
        ArchiveInventory.year.desc(), ArchiveInventory.kind, ArchiveInventory.sequence).limit(LIMIT)).all()  # fmt: skip
    return render_template("web/archive/inventories.html", inventories=[inventory_out(r) for r in rows],
                           year=year or "", kinds=KIND_TITLES, problems=problems, sent=sent,
                           today=today().isoformat(), may_keep=_may(ARCHIVIST)), status  # fmt: skip


def _numbers(text: str) -> list[int]:
    """``"3, 5 7"`` -> ``[3, 5, 7]``; 422 naming what is not a number."""
    parts = text.replace(",", " ").split()
    wrong = [p for p in parts if not p.isdigit()]
    if wrong:
        raise Unprocessable(f"{', '.join(wrong)}: not inventory numbers", field="missing")
    return [int(p) for p in parts]


@page("/archive/inventories/<int:id>", roles=ARCHIVE_READERS, methods=("GET", "POST"))
def inventory(id: int) -> ResponseReturnValue:
    session = db.session()
    row = find_inventory(session, id)
    problems: list[str] = []
    status = 200
    if request.method == "POST":

        def approve() -> None:
            approve_inventory(session, row, Approval.model_validate(form_values(("approved_on",))).approved_on,
                              actor())  # fmt: skip
            commit(session)

        def accept() -> None:
            body = form_values(("accepted_on", "location")) | {"missing": _numbers(request.form.get("missing", ""))}
            accept_inventory(session, row, Acceptance.model_validate(body), actor())
            commit(session)

        problems, status = _post({
            "approve": (INVENTORY_APPROVERS, "approve inventories", approve, "The inventory is approved."),
            "accept": (ARCHIVIST, "accept inventories", accept, "The files are accepted into the archive."),
        })  # fmt: skip
        if not problems:
            return redirect(url_for("web.inventory", id=id))
        session.expire_all()
        row = find_inventory(session, id)
    return render_template("web/archive/inventory.html", inventory=inventory_out(row, lines=True),
                           problems=problems, today=today().isoformat(), may_approve=_may(INVENTORY_APPROVERS),
                           may_keep=_may(ARCHIVIST)), status  # fmt: skip


# -- storage conditions


@page("/archive/storage", roles=ARCHIVE_READERS, methods=("GET", "POST"))
def storage() -> ResponseReturnValue:
    session = db.session()
    problems: list[str] = []
    status = 200
    sent: dict[str, Any] = {}
    if request.method == "POST":
        sent = form_values(("room", "measured_at", "temperature", "humidity"))
        recorded: list[StorageReading] = []

        def record() -> None:
            recorded.append(record_reading(session, ReadingCreate.model_validate(sent), actor()))
            commit(session)

        problems, status = _post({"record": (ARCHIVIST, "record storage readings", record, "The reading is recorded.")})
        if not problems:
            alert = recorded[0].alert
            if alert:
                flash(f"Alert: {alert}")
            return redirect(url_for("web.storage"))
    conditions: list[Any] = []
    alerts_only = request.args.get("alerts") == "1"
    if alerts_only:
        conditions.append(StorageReading.alert.is_not(None))
    room = request.args.get("room", "").strip()[:64]
    if room:
        conditions.append(StorageReading.room == room)
    rows = session.scalars(select(StorageReading).where(*conditions).order_by(StorageReading.measured_at.desc())
                           .limit(LIMIT)).all()  # fmt: skip
    return render_template("web/archive/storage.html", readings=rows, norms=policy().storage, alerts=alerts_only,
                           room=room, problems=problems, sent=sent, may_keep=_may(ARCHIVIST)), status  # fmt: skip


# -- acts


@page("/archive/acts", roles=ARCHIVE_READERS, methods=("GET", "POST"))
def acts() -> ResponseReturnValue:
    session = db.session()
    problems: list[str] = []
    status = 200
    sent: dict[str, Any] = {}
    if request.method == "POST":
        made: list[ArchiveAct] = []
        sent = form_values(("kind", "compiled_on", "note"))

        def compile_it() -> None:
            made.append(compile_act(session, ActCreate.model_validate(sent), actor()))
            commit(session)

        problems, status = _post({"compile": (ARCHIVIST, "compile acts", compile_it,
                                              "The act is compiled (a draft): it needs approval.")})  # fmt: skip
        if not problems:
            return redirect(url_for("web.act", id=made[0].id))
    rows = session.scalars(select(ArchiveAct).order_by(ArchiveAct.compiled_on.desc(), ArchiveAct.id.desc())
                           .limit(LIMIT)).all()  # fmt: skip
    return render_template("web/archive/acts.html", acts=[act_out(r) for r in rows], kinds=get_args(ActKind),
                           problems=problems, sent=sent, today=today().isoformat(),
                           may_keep=_may(ARCHIVIST)), status  # fmt: skip


@page("/archive/acts/<int:id>", roles=ARCHIVE_READERS, methods=("GET", "POST"))
def act(id: int) -> ResponseReturnValue:
    session = db.session()
    row = find_act(session, id)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        number = act_number(row)

        def approve() -> None:
            approve_act(session, row, Approval.model_validate(form_values(("approved_on",))).approved_on, actor())
            commit(session)

        def execute() -> None:
            execute_act(session, row, Execution.model_validate(form_values(("executed_on",))).executed_on, actor())
            commit(session)

        def discard() -> None:
            discard_act(session, row)
            commit(session)

        problems, status = _post({
            "approve": (ACT_APPROVERS, "approve acts", approve, f"Act {number} is approved."),
            "execute": (ARCHIVIST, "carry out acts", execute, f"Act {number} is carried out."),
            "discard": (ARCHIVIST, "discard acts", discard, f"The draft act {number} is discarded."),
        })  # fmt: skip
        if not problems:
            if request.form.get("action") == "discard":
                return redirect(url_for("web.acts"))
            return redirect(url_for("web.act", id=id))
        session.expire_all()
        row = find_act(session, id)
    return render_template("web/archive/act.html", act=act_out(row, items=True), problems=problems,
                           today=today().isoformat(), may_approve=_may(ACT_APPROVERS),
                           may_keep=_may(ARCHIVIST)), status  # fmt: skip


register_nav("Archive", "web.archive")
