"""Course registration: registration forms, adding and dropping disciplines, the advisor's decision.

The rules are in :mod:`service.schemas.registration`; the work is done by
:mod:`service.academic.registration`. Each request commits once, after every check passed.

Access: the registrar, vice-rector, exam coordinator and archivist read every form; a student reads
and edits (creates, adds, drops, submits, deletes) only their own; an advisor those of the students of
the groups they advise, and confirms or returns them; the registrar may do all of it.
"""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import func, select

from models.registration_rules import semester_of_study
from service.academic import registration as forms
from service.academic.settings import credit_limits
from service.api.routing import endpoint
from service.auth import allow, require_actor, require_student, student_filter
from service.auth.roles import RECORD_READERS
from service.db import session
from service.models import Period, Registration, Student
from service.records.crud import commit
from service.schemas.common import Page
from service.schemas.registration import (
    DisciplineAdd,
    RegistrationCreate,
    RegistrationOut,
    RegistrationQuery,
    RegistrationReturn,
)

bp = Blueprint("registration", __name__)
ITEM = "/registrations/<int:id>"
OWN = "own registration forms"
ADVISED = "forms of the students of the groups they advise"
READERS = allow(*RECORD_READERS).scoped(student=OWN, advisor=ADVISED)
EDITORS = allow("registrar").scoped(student=OWN, advisor=ADVISED)
DECIDERS = allow("registrar").scoped(advisor=ADVISED)


def visible(registration_id: int) -> Registration:
    """The form (404 if unknown), 403 unless the caller may reach its student."""
    db = session()
    registration = forms.find(db, registration_id)
    require_student(db, registration.student_id)
    return registration


def view(registration: Registration) -> RegistrationOut:
    """The form as answered: with its semester and the credit limits of its period."""
    db = session()
    student, period = db.get(Student, registration.student_id), db.get(Period, registration.period_id)
    assert student is not None and period is not None
    try:
        semester = semester_of_study(student.admission_year, period.academic_year.start_year, period.kind)  # type: ignore[arg-type]
    except ValueError:
        semester = None
    limit = credit_limits(db).limit(period.kind)  # type: ignore[arg-type]
    return forms.registration_view(registration, semester, limit.min_credits, limit.max_credits)


def saved(form: forms.Form) -> RegistrationOut:
    db = session()
    registration_id = form.registration.id
    commit(db)
    db.expire_all()
    return view(forms.find(db, registration_id))


@endpoint(bp, "/registrations", "GET", name="list_registrations", summary="List registration forms",
          query=RegistrationQuery, response=Page[RegistrationOut], roles=READERS)  # fmt: skip
def list_registrations(query: RegistrationQuery) -> Page[RegistrationOut]:
    db = session()
    conditions = []
    for name in ("student_id", "period_id", "status"):
        value = getattr(query, name)
        if value is not None:
            conditions.append(getattr(Registration, name) == value)
    if query.group_id is not None:
        conditions.append(Registration.student_id.in_(select(Student.id).where(Student.group_id == query.group_id)))
    reach = student_filter()
    if reach is not None:
        conditions.append(Registration.student_id.in_(select(Student.id).where(reach)))
    total = db.scalar(select(func.count()).select_from(Registration).where(*conditions)) or 0
    rows = db.scalars(
        select(Registration)
        .where(*conditions)
        .order_by(Registration.id)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    return Page[RegistrationOut](items=[view(r) for r in rows], total=total, page=query.page, per_page=query.per_page)


@endpoint(bp, "/registrations", "POST", name="create_registrations", summary="Create a registration form",
          body=RegistrationCreate, response=RegistrationOut, status=201, errors=(409,), roles=EDITORS, audited=True,
          description="The semester's compulsory disciplines of the student's study plan are put on the form; "
          "`discipline_ids` adds electives of the semester and academic debts to retake.")  # fmt: skip
def create_registration(body: RegistrationCreate) -> RegistrationOut:
    db = session()
    if 0 < body.student_id < 2**31 and db.get(Student, body.student_id) is not None:
        require_student(db, body.student_id)  # an unknown student is the 422 of the create
    return saved(forms.create(db, body.student_id, body.period_id, body.discipline_ids))


@endpoint(bp, ITEM, "GET", name="get_registrations", summary="Get a registration form", response=RegistrationOut,
          roles=READERS)  # fmt: skip
def get_registration(id: int) -> RegistrationOut:
    return view(visible(id))


@endpoint(bp, ITEM, "DELETE", name="delete_registrations", summary="Delete a draft or returned registration form",
          status=204, errors=(409, 422), roles=EDITORS, audited=True)  # fmt: skip
def delete_registration(id: int) -> None:
    db = session()
    visible(id)
    forms.discard(db, id)
    commit(db)


@endpoint(bp, f"{ITEM}/disciplines", "POST", name="add_registration_discipline",
          summary="Add a discipline (an elective or a retake) to a registration form", body=DisciplineAdd,
          response=RegistrationOut, status=201, errors=(409,), roles=EDITORS, audited=True)  # fmt: skip
def add_discipline(id: int, body: DisciplineAdd) -> RegistrationOut:
    visible(id)
    return saved(forms.add(session(), id, body.plan_discipline_id))


@endpoint(bp, f"{ITEM}/disciplines/<int:plan_discipline_id>", "DELETE", name="drop_registration_discipline",
          summary="Drop a discipline from a registration form", response=RegistrationOut,
          errors=(409, 422), roles=EDITORS, audited=True)  # fmt: skip
def drop_discipline(id: int, plan_discipline_id: int) -> RegistrationOut:
    visible(id)
    return saved(forms.drop(session(), id, plan_discipline_id))


@endpoint(bp, f"{ITEM}/submit", "POST", name="submit_registration", summary="Submit a registration form",
          response=RegistrationOut, errors=(409, 422), roles=EDITORS, audited=True)  # fmt: skip
def submit(id: int) -> RegistrationOut:
    visible(id)
    return saved(forms.submit(session(), id))


@endpoint(bp, f"{ITEM}/confirm", "POST", name="confirm_registration",
          summary="Confirm a submitted registration form (the group's advisor)", response=RegistrationOut,
          errors=(409, 422), roles=DECIDERS, audited=True, description="The form's disciplines are placed in "
          "sections (one per discipline and academic group, created when missing).")  # fmt: skip
def confirm(id: int) -> RegistrationOut:
    visible(id)
    return saved(forms.confirm(session(), id, require_actor().username))


@endpoint(bp, f"{ITEM}/return", "POST", name="return_registration",
          summary="Return a submitted registration form to the student with a reason", body=RegistrationReturn,
          response=RegistrationOut, errors=(409,), roles=DECIDERS, audited=True)  # fmt: skip
def send_back(id: int, body: RegistrationReturn) -> RegistrationOut:
    visible(id)
    return saved(forms.send_back(session(), id, require_actor().username, body.reason))
