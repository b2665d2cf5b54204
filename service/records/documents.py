"""Issued documents over the API, and the public verification (page and JSON).

- ``POST /documents``: issue a transcript, academic certificate, certificate of study (``on`` a day), student
  card or diploma supplement (registrar); the answer carries the registered number and verification code;
- ``GET /documents`` (filters ``student_id``, ``kind``), ``GET /documents/<id>``: the register; a student sees
  their own documents;
- ``GET /documents/<id>/pdf``: the PDF; ``POST /documents/<id>/revoke``: a revoked document stops verifying;
- ``GET /verify?number=&code=`` (public, rate limited): ``{"genuine": true|false}``; the same check as a web
  page at ``/verify``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from pydantic import ValidationError
from sqlalchemy import ColumnElement, select

from service import documents as documents_package
from service.api.routing import endpoint
from service.auth import PUBLIC, REGISTRAR, allow, require_student, student_filter
from service.clock import today
from service.db import session
from service.documents import content, render
from service.documents.issuing import issue
from service.documents.verification import TooManyRequests, check
from service.errors import Conflict, NotFound, Unprocessable, field_errors
from service.models import IssuedDocument, Student
from service.records.archive import page_of
from service.records.crud import commit
from service.row_audit import actor, log_row, snapshot
from service.schemas.common import Page
from service.schemas.documents import DocumentCreate, DocumentOut, DocumentQuery, Revocation, VerifyOut, VerifyQuery
from service.web.pages import page

bp = Blueprint("documents", __name__, template_folder=str(Path(documents_package.__file__).parent / "templates"))

DOCUMENT_READERS = allow("registrar", "vice_rector", "archivist").scoped(student="own documents")


def find_document(id: int) -> IssuedDocument:
    document = session().get(IssuedDocument, id) if 0 < id <= 2**31 - 1 else None
    if document is None:
        raise NotFound(f"no issued document with id {id}")
    require_student(session(), document.student_id)
    return document


def document_data(db: Any, kind: str, student: Student, on: dt.date | None, issued_on: dt.date) -> dict[str, Any]:
    match kind:
        case "study_certificate":
            return content.study_certificate(db, student, on or issued_on, issued_on)
        case "student_card":
            return content.student_card(db, student)
        case "transcript":
            return content.transcript_document(db, student)
        case "academic_certificate":
            return content.academic_certificate(db, student)
        case _:
            return content.diploma_supplement(db, student)


@endpoint(bp, "/documents", "POST", name="issue_document",
          summary="Issue a document (registered number and verification code)", body=DocumentCreate,
          response=DocumentOut, status=201, errors=(409,), roles=REGISTRAR, audited=True)  # fmt: skip
def issue_view(body: DocumentCreate) -> Any:
    db = session()
    student = db.get(Student, body.student_id) if 0 < body.student_id <= 2**31 - 1 else None
    if student is None:
        raise Unprocessable(f"no student with id {body.student_id}", field="student_id")
    issued_on = today()
    data = document_data(db, body.kind, student, body.on, issued_on)
    document = issue(db, body.kind, student, body.language, issued_on, data, actor())
    commit(db)
    return document


@endpoint(bp, "/documents", "GET", name="list_documents", summary="The register of issued documents",
          query=DocumentQuery, response=Page[DocumentOut], roles=DOCUMENT_READERS)  # fmt: skip
def list_view(query: DocumentQuery) -> Page[DocumentOut]:
    conditions: list[ColumnElement[bool]] = []
    scope = student_filter()
    if scope is not None:
        conditions.append(IssuedDocument.student_id.in_(select(Student.id).where(scope)))
    for name in ("student_id", "kind"):
        if getattr(query, name) is not None:
            conditions.append(getattr(IssuedDocument, name) == getattr(query, name))
    return page_of(IssuedDocument, DocumentOut, conditions, query)


@endpoint(bp, "/documents/<int:id>", "GET", name="get_document", summary="An issued document and what it says",
          response=DocumentOut, roles=DOCUMENT_READERS)  # fmt: skip
def get_view(id: int) -> Any:
    return find_document(id)


@endpoint(bp, "/documents/<int:id>/pdf", "GET", name="document_pdf", summary="The PDF of an issued document",
          files=("application/pdf",), roles=DOCUMENT_READERS)  # fmt: skip
def pdf_view(id: int) -> Response:
    document = find_document(id)
    answer = Response(render.pdf(document), mimetype="application/pdf")
    answer.headers["Content-Disposition"] = f'inline; filename="{document.number}.pdf"'
    return answer


@endpoint(bp, "/documents/<int:id>/revoke", "POST", name="revoke_document",
          summary="Revoke an issued document (it no longer verifies)", body=Revocation, response=DocumentOut,
          errors=(409,), roles=REGISTRAR, audited=True)  # fmt: skip
def revoke_view(id: int, body: Revocation) -> Any:
    db = session()
    document = find_document(id)
    if document.revoked_at is not None:
        raise Conflict(f"document {document.number} was revoked at {document.revoked_at:%Y-%m-%d %H:%M}")
    before = snapshot(document)
    document.revoked_at, document.revoked_reason = dt.datetime.now(dt.UTC), body.reason
    log_row(db, document, before, reason=body.reason)  # only the revocation changed: the code is not logged
    commit(db)
    return document


@endpoint(bp, "/verify", "GET", name="verify_document",
          summary="Is this a genuine document? (number and code; public, rate limited)", query=VerifyQuery,
          response=VerifyOut, errors=(429,), roles=PUBLIC)  # fmt: skip
def verify_view(query: VerifyQuery) -> VerifyOut:
    return VerifyOut(genuine=check(session(), query.number, query.code))


@page("/verify", roles=PUBLIC)
def verify_page() -> ResponseReturnValue:
    """The public verification page: a form, and the answer for the number and code given."""
    number, code = request.args.get("number", ""), request.args.get("code", "")
    answer: bool | None = None
    problem = None
    if number or code:
        try:
            query = VerifyQuery.model_validate({"number": number, "code": code})
            answer = check(session(), query.number, query.code)
        except ValidationError as exc:
            problem = "; ".join(f"{e.field}: {e.message}" for e in field_errors(exc))
        except TooManyRequests as exc:
            return render_template("documents/verify.html", number=number, code=code, answer=None,
                                   problem=exc.errors[0].message), 429, exc.headers  # fmt: skip
    return render_template("documents/verify.html", number=number, code=code, answer=answer, problem=problem)
