"""Applications: submitting one (the student must exist; an applicant's IIN must not belong to a student yet),
its review (``submitted`` -> ``under_review`` -> ``approved`` | ``rejected``; rejected also straight away) and
its documents. An approved application is acted on by an order (:mod:`service.contingent.orders`). Every change
is written to the audit log (entities ``applications`` and ``application_documents``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.contingent import ApplicationState, application_transition_problem
from service import audit
from service.contingent.history import commit
from service.errors import Conflict, FieldError, NotFound, Unprocessable
from service.models import Application, ApplicationDocument, OrderItem, Student
from service.schemas.applications import ApplicationCreate, ApplicationDecision, DocumentIn
from service.schemas.common import INT_MAX


def find_application(db: Session, application_id: int) -> Application:
    """The application with its documents and the items that used it; 404 if unknown."""
    db.expire_all()
    query = (
        select(Application)
        .where(Application.id == application_id)
        .options(selectinload(Application.documents), selectinload(Application.items).selectinload(OrderItem.order))
    )
    application = db.scalar(query) if 0 < application_id <= INT_MAX else None
    if application is None:
        raise NotFound(f"no application with id {application_id}")
    return application


def submit(db: Session, body: ApplicationCreate) -> Application:
    """Store a new application in state ``submitted``."""
    if body.student_id is not None and db.get(Student, body.student_id) is None:
        raise Unprocessable(f"no student with id {body.student_id}", field="student_id")
    if body.applicant_iin is not None:
        student = db.scalar(select(Student).where(Student.iin == body.applicant_iin))
        if student is not None:
            raise Unprocessable(
                [
                    FieldError(
                        "applicant_iin",
                        f"the IIN belongs to student {student.id}: a student "
                        "applies with student_id (a former student applies for reinstatement)",
                    )
                ]
            )
    application = Application(
        **body.model_dump(exclude={"documents"}),
        state=ApplicationState.SUBMITTED.value,
        documents=[ApplicationDocument(**d.model_dump()) for d in body.documents],
    )
    application.kind = body.kind.value
    db.add(application)
    db.flush()
    values = body.model_dump(exclude={"documents"}) | {"state": application.state}
    audit.log_changes(db, "applications", application.id, "create",
                      {name: (None, value) for name, value in values.items() if value is not None})  # fmt: skip
    for document in application.documents:
        _log_document(db, document)
    commit(db)
    return find_application(db, application.id)


def _log_document(db: Session, document: ApplicationDocument) -> None:
    values = {"application_id": document.application_id, "kind": document.kind, "title": document.title,
              "reference": document.reference, "issued_on": document.issued_on}  # fmt: skip
    audit.log_changes(db, "application_documents", document.id, "create",
                      {name: (None, value) for name, value in values.items() if value is not None})  # fmt: skip


def decide(db: Session, application_id: int, body: ApplicationDecision) -> Application:
    """Move the application to the next state of its review; 409 for a step its state does not allow."""
    application = find_application(db, application_id)
    problem = application_transition_problem(ApplicationState(application.state), body.state)
    if problem:
        raise Conflict(problem, field="state")
    if body.on < application.submitted_on:
        raise Unprocessable(f"before the application was submitted on {application.submitted_on}", field="on")
    before = {"state": application.state, "decided_on": application.decided_on,
              "decision_note": application.decision_note}  # fmt: skip
    application.state = body.state.value
    application.decided_on = body.on
    if body.note is not None:
        application.decision_note = body.note
    after = {
        "state": application.state,
        "decided_on": application.decided_on,
        "decision_note": application.decision_note,
    }
    audit.log_changes(db, "applications", application.id, "update", audit.diff(before, after))
    commit(db)
    return find_application(db, application_id)


def attach(db: Session, application_id: int, body: DocumentIn) -> Application:
    """Attach a document reference; refused once the application is decided (approved or rejected)."""
    application = find_application(db, application_id)
    if application.state in (ApplicationState.APPROVED, ApplicationState.REJECTED):
        raise Conflict(f"the application is {application.state}: its documents are closed", field=None)
    document = ApplicationDocument(**body.model_dump())
    application.documents.append(document)
    db.flush()
    _log_document(db, document)
    commit(db)
    return find_application(db, application_id)
