"""Personal files of students over the API.

- ``/personal-file-documents``: the documents of the files (list with ``student_id``/``kind`` filters, get,
  create, change, delete a document entered by mistake);
- ``GET /students/<id>/personal-file?on=``: the checklist (present, missing, expired) and the documents;
- ``GET /personal-files/incomplete?on=&programme_id=&group_id=&status=&kind=``: files lacking a document;
- ``/students/<id>/personal-data-changes``: the register of personal-data changes (list) and a new change
  (``POST``), applied to the student's record with the order or document that justifies it.

Access: the registrar keeps the files; the vice-rector and the archivist read them; a student reads the
checklist and documents of their own file.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from sqlalchemy import ColumnElement, func, select

from service.api.routing import endpoint
from service.auth import REGISTRAR, allow, current_user, require_student, student_filter
from service.clock import today
from service.db import session
from service.models import PersonalDataChange, PersonalFileDocument, Student
from service.personal_files import change_personal_data, find_student, incomplete_files, student_checklist
from service.records.crud import Resource, commit, register
from service.schemas.common import ListQuery, Page
from service.schemas.personal_files import (
    IncompleteQuery,
    IncompleteReport,
    OnDateQuery,
    PersonalDataChangeCreate,
    PersonalDataChangeOut,
    PersonalFileDocumentCreate,
    PersonalFileDocumentOut,
    PersonalFileDocumentQuery,
    PersonalFileOut,
)

bp = Blueprint("personal_files", __name__)

FILE_KEEPERS = ("registrar", "vice_rector", "archivist")
FILE_READERS = allow(*FILE_KEEPERS).scoped(student="own personal file")
"""Who reads personal files: the keepers every file, a student their own."""
FILE_STAFF = allow(*FILE_KEEPERS)


def _document_scope() -> ColumnElement[bool] | None:
    condition = student_filter()
    return None if condition is None else PersonalFileDocument.student_id.in_(select(Student.id).where(condition))


DOCUMENTS = Resource(
    "/personal-file-documents",
    PersonalFileDocument,
    PersonalFileDocumentCreate,
    PersonalFileDocumentOut,
    PersonalFileDocumentQuery,
    references={"student_id": Student},
    search=("title", "reference"),
    read=FILE_READERS,
    write=REGISTRAR,
    scope=_document_scope,
)
register(bp, DOCUMENTS, "personal file documents")


@endpoint(bp, "/students/<int:id>/personal-file", "GET", name="get_personal_file",
          summary="A student's personal file: the checklist on a day and the documents", query=OnDateQuery,
          response=PersonalFileOut, roles=FILE_READERS)  # fmt: skip
def personal_file_view(id: int, query: OnDateQuery) -> PersonalFileOut:
    db = session()
    student = find_student(db, id)
    require_student(db, id)
    on = query.on or today()
    items, documents = student_checklist(db, student, on)
    return PersonalFileOut.model_validate({
        "student_id": id, "on": on, "complete": all(i.state == "present" for i in items),
        "checklist": [i.model_dump() for i in items], "documents": documents,
    })  # fmt: skip


@endpoint(bp, "/personal-files/incomplete", "GET", name="incomplete_personal_files",
          summary="Personal files lacking a required document (missing or expired)", query=IncompleteQuery,
          response=IncompleteReport, roles=FILE_STAFF)  # fmt: skip
def incomplete_view(query: IncompleteQuery) -> IncompleteReport:
    conditions = [getattr(Student, f) == getattr(query, f) for f in ("programme_id", "group_id", "status")
                  if getattr(query, f) is not None]  # fmt: skip
    on = query.on or today()
    rows, checked = incomplete_files(session(), conditions, on, query.kind)
    start = (query.page - 1) * query.per_page
    page = rows[start : start + query.per_page]
    return IncompleteReport.model_validate({"on": on, "checked": checked, "items": page, "total": len(rows),
                                            "page": query.page, "per_page": query.per_page})  # fmt: skip


@endpoint(bp, "/students/<int:id>/personal-data-changes", "GET", name="list_personal_data_changes",
          summary="The register of a student's personal-data changes", query=ListQuery,
          response=Page[PersonalDataChangeOut], roles=FILE_READERS)  # fmt: skip
def changes_view(id: int, query: ListQuery) -> Page[PersonalDataChangeOut]:
    db = session()
    find_student(db, id)
    require_student(db, id)
    where = PersonalDataChange.student_id == id
    total = db.scalar(select(func.count()).select_from(PersonalDataChange).where(where)) or 0
    rows = db.scalars(select(PersonalDataChange).where(where).order_by(PersonalDataChange.id)
                      .limit(query.per_page).offset((query.page - 1) * query.per_page))  # fmt: skip
    items = [PersonalDataChangeOut.model_validate(r) for r in rows]
    return Page[PersonalDataChangeOut](items=items, total=total, page=query.page, per_page=query.per_page)


@endpoint(bp, "/students/<int:id>/personal-data-changes", "POST", name="change_personal_data",
          summary="Change a student's personal data, registered with its justifying order or document",
          body=PersonalDataChangeCreate, response=Page[PersonalDataChangeOut], status=201, errors=(409,),
          roles=REGISTRAR, audited=True)  # fmt: skip
def change_view(id: int, body: PersonalDataChangeCreate) -> Any:
    db = session()
    student = find_student(db, id)
    actor = current_user()
    rows = change_personal_data(db, student, body, actor.username if actor else "unknown")
    items = [PersonalDataChangeOut.model_validate(r) for r in rows]
    commit(db)
    return Page[PersonalDataChangeOut](items=items, total=len(items), page=1, per_page=max(len(items), 1))
