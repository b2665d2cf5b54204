"""Web pages of issued documents and personal files, under the API's role rules.

- ``/documents``: the register of issued documents (filters: student, kind); a student sees only their own;
- ``/documents/new?student_id=``: the registrar issues a transcript, academic certificate, certificate of
  study (on a day), student card or diploma supplement in Kazakh, Russian or English, exactly as
  ``POST /api/documents`` (a student who does not qualify is a 409 shown on the form, nothing registered);
- ``/documents/<id>``: the document's number, verification code, what it says, a link to its PDF
  (``/api/documents/<id>/pdf``, signed by the session) and, for the registrar, revocation;
- ``/students/<id>/personal-file``: the checklist on a day (present, missing, expired), the documents held and
  the register of personal-data changes; the registrar adds a received document here, and changes the IIN,
  birth date, sex or citizenship with the registered order or the document of the file that justifies it
  (names change by a change-of-name order);
- ``/personal-files/incomplete``: the report of files lacking a required document (staff only);
- two sections on the student record page: "Documents" and "Personal file".
"""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.personal_file import DocumentKind as FileDocumentKind
from service import db
from service.auth import REGISTRAR, require_actor, require_student, student_filter
from service.clock import today
from service.documents.issuing import PREFIXES, issue
from service.documents.labels import LANGUAGES
from service.errors import BadRequest, Conflict, Forbidden, Unprocessable, field_errors
from service.models import AcademicGroup, IssuedDocument, PersonalDataChange, Programme, Student
from service.personal_files import (
    change_personal_data,
    find_student,
    full_name,
    incomplete_files,
    student_checklist,
)
from service.records.crud import commit
from service.records.documents import DOCUMENT_READERS, document_data, find_document
from service.records.personal_files import DOCUMENTS, FILE_READERS, FILE_STAFF
from service.row_audit import actor, log_row, snapshot
from service.schemas.documents import DocumentCreate, Revocation
from service.schemas.personal_files import IncompleteQuery, PersonalDataChangeCreate, PersonalFileDocumentCreate
from service.web.actions import attempt, form_values
from service.web.nav import register_nav
from service.web.pages import page
from service.web.record import RecordSection, register_record_section

KIND_TITLES = {
    "transcript": "Academic transcript",
    "academic_certificate": "Academic certificate (left before graduating)",
    "study_certificate": "Certificate of study",
    "student_card": "Student card",
    "diploma_supplement": "Diploma supplement",
}
FILE_KINDS = get_args(FileDocumentKind)
CHANGE_FIELDS = ("iin", "birth_date", "sex", "citizenship", "effective_on", "order_id", "document_id")
FILE_DOCUMENT_FIELDS = ("kind", "title", "reference", "issued_on", "expires_on", "received_on", "copies", "pages",
                        "note")  # fmt: skip


def _may(rule: Any) -> bool:
    return bool(rule.admits(require_actor().roles, True))


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {s.id: full_name(s) for s in session.scalars(select(Student).where(Student.id.in_(ids)))}


# -- issued documents


@page("/documents", roles=DOCUMENT_READERS)
def documents() -> ResponseReturnValue:
    session = db.session()
    conditions: list[Any] = []
    scope = student_filter()
    if scope is not None:
        conditions.append(IssuedDocument.student_id.in_(select(Student.id).where(scope)))
    student_id = request.args.get("student_id", "")
    if student_id.isdigit():
        conditions.append(IssuedDocument.student_id == int(student_id))
    kind = request.args.get("kind", "")
    if kind in PREFIXES:
        conditions.append(IssuedDocument.kind == kind)
    found = session.scalars(select(IssuedDocument).where(*conditions).order_by(IssuedDocument.id.desc())
                            .limit(200)).all()  # fmt: skip
    return render_template("web/documents/list.html", documents=found, kinds=KIND_TITLES, kind=kind,
                           student_id=student_id, names=_names(session, {d.student_id for d in found}),
                           may_issue=_may(REGISTRAR))  # fmt: skip


@page("/documents/new", roles=REGISTRAR, methods=("GET", "POST"))
def new_document() -> ResponseReturnValue:
    session = db.session()
    values = {"student_id": request.args.get("student_id", ""), "kind": "transcript", "language": "kk", "on": ""}
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        values = form_values(("student_id", "kind", "language", "on"))
        issued: list[IssuedDocument] = []

        def register() -> None:
            body = DocumentCreate.model_validate(values)
            student = session.get(Student, body.student_id) if 0 < body.student_id <= 2**31 - 1 else None
            if student is None:
                raise Unprocessable(f"no student with id {body.student_id}", field="student_id")
            issued_on = today()
            data = document_data(session, body.kind, student, body.on, issued_on)
            issued.append(issue(session, body.kind, student, body.language, issued_on, data, actor()))
            commit(session)

        problems, status = attempt(register, "The document is issued.")
        if not problems:
            return redirect(url_for("web.document", id=issued[0].id))
    student = None
    if str(values.get("student_id", "")).isdigit():
        student = session.get(Student, int(values["student_id"]))
    return render_template("web/documents/new.html", values=values, kinds=KIND_TITLES, languages=LANGUAGES,
                           student=student, problems=problems), status  # fmt: skip


@page("/documents/<int:id>", roles=DOCUMENT_READERS, methods=("GET", "POST"))
def document(id: int) -> ResponseReturnValue:
    session = db.session()
    found = find_document(id)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if not _may(REGISTRAR):
            raise Forbidden(f"{require_actor().username} may read this document but only the registrar revokes it")

        def revoke() -> None:
            body = Revocation.model_validate({"reason": request.form.get("reason", "")})
            if found.revoked_at is not None:
                raise Conflict(f"document {found.number} was revoked at {found.revoked_at:%Y-%m-%d %H:%M}")
            before = snapshot(found)
            found.revoked_at, found.revoked_reason = dt.datetime.now(dt.UTC), body.reason
            log_row(session, found, before, reason=body.reason)
            commit(session)

        problems, status = attempt(revoke, "The document is revoked: it no longer verifies.")
        if not problems:
            return redirect(url_for("web.document", id=id))
        found = find_document(id)
    student = session.get(Student, found.student_id)
    return render_template("web/documents/document.html", document=found, student=student, title=KIND_TITLES,
                           may_revoke=_may(REGISTRAR), problems=problems), status  # fmt: skip


def documents_section(session: Session, student: Student) -> dict[str, Any]:
    found = session.scalars(select(IssuedDocument).where(IssuedDocument.student_id == student.id)
                            .order_by(IssuedDocument.id.desc()).limit(50)).all()  # fmt: skip
    return {"documents": found, "kinds": KIND_TITLES, "may_issue": _may(REGISTRAR)}


# -- personal files


@page("/students/<int:id>/personal-file", roles=FILE_READERS, methods=("GET", "POST"))
def personal_file(id: int) -> ResponseReturnValue:
    session = db.session()
    student = find_student(session, id)
    require_student(session, id)
    problems: list[str] = []
    status = 200
    sent: dict[str, Any] = {}
    if request.method == "POST":
        if not _may(REGISTRAR):
            raise Forbidden(f"{require_actor().username} may read this personal file but only the registrar keeps it")
        action = request.form.get("action", "add")
        if action == "change":
            sent = form_values(CHANGE_FIELDS)

            def change() -> None:
                given = {k: sent[k] for k in ("iin", "birth_date", "sex", "citizenship") if k in sent}
                body = {k: sent[k] for k in ("effective_on", "order_id", "document_id") if k in sent}
                change_personal_data(session, student, PersonalDataChangeCreate.model_validate(body | {
                    "changes": given}), actor())  # fmt: skip
                commit(session)

            problems, status = attempt(change, "The change is applied and registered.")
        elif action == "add":
            sent = form_values(FILE_DOCUMENT_FIELDS)

            def add() -> None:
                DOCUMENTS.create_record(session, PersonalFileDocumentCreate.model_validate(sent | {"student_id": id}))

            problems, status = attempt(add, "The document is added to the personal file.")
        else:
            raise BadRequest(f"unknown action {action!r}: add or change")
        if not problems:
            return redirect(url_for("web.personal_file", id=id))
    try:
        on = dt.date.fromisoformat(request.args["on"]) if request.args.get("on") else today()
    except ValueError:
        raise BadRequest(f"on: {request.args['on']!r} is not a date (YYYY-MM-DD)") from None
    items, held = student_checklist(session, student, on)
    changes = session.scalars(select(PersonalDataChange).where(PersonalDataChange.student_id == id)
                              .order_by(PersonalDataChange.id)).all()  # fmt: skip
    return render_template("web/documents/personal_file.html", student=student, on=on, items=items, held=held,
                           changes=changes, may_keep=_may(REGISTRAR), problems=problems, sent=sent,
                           kinds=FILE_KINDS), status  # fmt: skip


@page("/personal-files/incomplete", roles=FILE_STAFF)
def incomplete() -> ResponseReturnValue:
    session = db.session()
    raw = {k: v for k in ("on", "programme_id", "group_id", "status", "kind") if (v := request.args.get(k, "").strip())}
    try:
        query = IncompleteQuery.model_validate(raw)
    except ValidationError as exc:
        raise Unprocessable(field_errors(exc)) from None
    conditions = [getattr(Student, f) == getattr(query, f) for f in ("programme_id", "group_id", "status")
                  if getattr(query, f) is not None]  # fmt: skip
    on = query.on or today()
    rows, checked = incomplete_files(session, conditions, on, query.kind)
    programmes = {p.id: p.code for p in session.scalars(select(Programme))}
    groups = {g.id: g.code for g in session.scalars(select(AcademicGroup))}
    return render_template("web/documents/incomplete.html", rows=rows[:500], total=len(rows), checked=checked,
                           on=on, query=raw, programmes=programmes, groups=groups,
                           kinds=FILE_KINDS)  # fmt: skip


def personal_file_section(session: Session, student: Student) -> dict[str, Any]:
    items, held = student_checklist(session, student, today())
    return {"items": items, "held": len(held), "on": today()}


register_record_section(RecordSection("Documents", "web/documents/section.html", documents_section,
                                      DOCUMENT_READERS))  # fmt: skip
register_record_section(RecordSection("Personal file", "web/documents/file_section.html", personal_file_section,
                                      FILE_READERS))  # fmt: skip
register_nav("Documents", "web.documents")
register_nav("Incomplete files", "web.incomplete")
