"""Course registration over the database: building a form, adding and dropping disciplines, the advisor's
decision and the placement of confirmed disciplines in sections.

The rules are listed in :mod:`service.schemas.registration`. Every function leaves the session
uncommitted (the caller commits once, so a refused change writes nothing) and raises
:class:`~service.errors.ApiError`: 404 for an unknown id, 409 for a state that does not allow the
change, 422 naming the field for a broken rule. Every change is written to the audit log
(:mod:`service.academic.history`) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.grading import GradingPolicy, RetakeStatus
from models.registration_rules import CreditLimits, semester_of_study
from service.academic import debts
from service.academic.history import ENROLMENT_FIELDS, REGISTRATION_FIELDS, SECTION_FIELDS, created, deleted, snapshot
from service.academic.history import updated as logged_update
from service.academic.settings import credit_limits, grading_policy
from service.clock import now, today
from service.errors import Conflict, FieldError, NotFound, Unprocessable
from service.models import Enrolment, Period, PlanDiscipline, Registration, Section, Student, StudyPlan
from service.schemas.registration import EnrolmentOut, RegistrationOut

EDITABLE = ("draft", "returned")
MARK_COPIED = ("current1", "midterm1", "current2", "midterm2")


def period_name(period: Period) -> str:
    """``autumn 2025/2026``."""
    start = period.academic_year.start_year
    return f"{period.kind} {start}/{start + 1}"


def find(db: Session, registration_id: int, *, lock: bool = False) -> Registration:
    """The registration (locked for update on PostgreSQL with ``lock``); 404 if unknown."""
    row = db.get(Registration, registration_id, with_for_update=lock) if 0 < registration_id < 2**31 else None
    if row is None:
        raise NotFound(f"no registration with id {registration_id}")
    return row


class Form:
    """A registration being changed: its student, period, plan, semester and the rules in force."""

    def __init__(self, db: Session, registration: Registration, *, new: bool = False) -> None:
        self.db = db
        self.registration = registration
        self.added: list[Enrolment] = []
        student = db.get(Student, registration.student_id)
        period = db.get(Period, registration.period_id)
        assert student is not None and period is not None  # foreign keys
        self.student, self.period = student, period
        self.plan = student_plan(db, student)
        self.semester = period_semester(student, period)
        self.policy: GradingPolicy = grading_policy(db)
        self.limits: CreditLimits = credit_limits(db)
        self.before = None if new else snapshot(registration, REGISTRATION_FIELDS)

    def log(self, reason: str | None = None) -> None:
        """Flush, then log the form's changed fields (or its creation) and its new enrolments."""
        self.db.flush()
        if self.before is None:
            created(self.db, self.registration, REGISTRATION_FIELDS)
        else:
            logged_update(self.db, self.registration, self.before, reason)
        for enrolment in self.added:
            created(self.db, enrolment, ENROLMENT_FIELDS)
        self.added.clear()

    # -- adding

    def add(self, discipline_id: int, field: str) -> Enrolment:
        """Add a discipline (an elective of the semester or a debt to retake); not committed."""
        check_open(self.period, "add", field)
        discipline = self.db.get(PlanDiscipline, discipline_id) if 0 < discipline_id < 2**31 else None
        if discipline is None:
            raise Unprocessable(f"no study plan discipline with id {discipline_id}", field=field)
        enrolment = self.enrolment_for(discipline, field)
        self.check_maximum(self.registration.total_credits + enrolment.credits, field)
        self.registration.enrolments.append(enrolment)
        self.added.append(enrolment)
        return enrolment

    def enrolment_for(self, discipline: PlanDiscipline, field: str) -> Enrolment:
        """The new enrolment of ``discipline`` on this form: elective, compulsory or retake (see module doc)."""
        if discipline.plan_id != self.plan.id:
            raise Unprocessable(
                f"discipline {discipline.code} belongs to another study plan than the student's (plan {self.plan.id})",
                field=field,
            )
        if any(e.plan_discipline_id == discipline.id for e in self.registration.enrolments):
            raise Conflict(f"discipline {discipline.code} is already on registration {self.registration.id}", field)
        tries = debts.attempts(self.db, self.student.id, discipline.id)
        if tries:
            return self.retake(discipline, tries, field)
        if self.semester is None:
            raise Unprocessable(
                f"a summer period takes only retakes of academic debts; {discipline.code} is not a debt", field=field
            )
        if discipline.semester != self.semester:
            raise Unprocessable(
                f"discipline {discipline.code} is in semester {discipline.semester} of the plan, "
                f"not in the period's semester {self.semester}",
                field=field,
            )
        return new_enrolment(self.registration, discipline, discipline.component)

    def retake(self, discipline: PlanDiscipline, tries: list[Enrolment], field: str) -> Enrolment:
        latest = tries[-1]
        latest_period = self.db.get(Period, latest.period_id)
        assert latest_period is not None
        where = period_name(latest_period)
        if latest.outcome is None:
            raise Unprocessable(f"discipline {discipline.code} is in progress in {where}", field=field)
        if not debts.failed(latest):
            raise Unprocessable(f"discipline {discipline.code} was passed ({latest.letter}) in {where}", field=field)
        if latest_period.starts_on >= self.period.starts_on:
            raise Unprocessable(
                f"discipline {discipline.code} failed in {where}: a retake is registered in a later period",
                field=field,
            )
        debt = debts.debt_of(self.policy, tries)
        assert debt is not None
        if debt.status is RetakeStatus.EXPELLED:
            raise Unprocessable(
                f"discipline {discipline.code} failed {debt.failures} times: the grading policy allows at most "
                f"{self.policy.max_retakes} retakes (expulsion for academic failure)",
                field=field,
            )
        enrolment = new_enrolment(self.registration, discipline, "retake", attempt=latest.attempt + 1)
        enrolment.retake_of_id = latest.id
        if debt.retake_of_exam_only:
            enrolment.marks_carried = True
            for name in MARK_COPIED:
                setattr(enrolment, name, getattr(latest, name))
            enrolment.admitted = latest.admitted
        return enrolment

    def check_maximum(self, total: int, field: str | None) -> None:
        message = self.limits.over_maximum(self.period.kind, total)  # type: ignore[arg-type]
        if message:
            raise Unprocessable(f"the registration would have {message}", field=field)

    # -- dropping and state

    def amended(self) -> None:
        """A change to a submitted or confirmed form makes it a draft again (to be submitted and confirmed)."""
        if self.registration.status in ("submitted", "confirmed"):
            self.registration.status = "draft"

    def view(self) -> RegistrationOut:
        limit = self.limits.limit(self.period.kind)  # type: ignore[arg-type]
        return registration_view(self.registration, self.semester, limit.min_credits, limit.max_credits)


def student_plan(db: Session, student: Student) -> StudyPlan:
    """The study plan of the student's programme and admission year; 422 if there is none."""
    plan = db.scalar(
        select(StudyPlan).where(
            StudyPlan.programme_id == student.programme_id, StudyPlan.admission_year == student.admission_year
        )
    )
    if plan is None:
        raise Unprocessable(
            f"no study plan of the student's programme for admission year {student.admission_year}",
            field="student_id",
        )
    return plan


def period_semester(student: Student, period: Period) -> int | None:
    try:
        return semester_of_study(student.admission_year, period.academic_year.start_year, period.kind)  # type: ignore[arg-type]
    except ValueError as exc:
        raise Unprocessable(str(exc), field="period_id") from None


def check_open(period: Period, action: str, field: str | None) -> None:
    """422 when today is past the period's add (``action="add"``) or drop deadline."""
    deadline = period.add_deadline if action == "add" else period.drop_deadline
    if today() > deadline:
        raise Unprocessable(
            f"the {action} deadline {deadline} of the {period_name(period)} period has passed", field=field
        )


def new_enrolment(registration: Registration, discipline: PlanDiscipline, kind: str, attempt: int = 1) -> Enrolment:
    """A new enrolment of the registration's student and period (the caller appends it to the form)."""
    return Enrolment(
        student_id=registration.student_id,
        period_id=registration.period_id,
        plan_discipline_id=discipline.id,
        discipline=discipline,
        credits=discipline.credits,
        kind=kind,
        attempt=attempt,
        marks_carried=False,
    )


def create(db: Session, student_id: int, period_id: int, discipline_ids: Sequence[int]) -> Form:
    """A new draft form with the semester's compulsory disciplines and ``discipline_ids``; not committed."""
    student = db.get(Student, student_id) if 0 < student_id < 2**31 else None
    period = db.get(Period, period_id) if 0 < period_id < 2**31 else None
    errors = []
    if student is None:
        errors.append(FieldError("student_id", f"no student with id {student_id}"))
    if period is None:
        errors.append(FieldError("period_id", f"no period with id {period_id}"))
    if errors:
        raise Unprocessable(errors)
    assert student is not None and period is not None
    if student.status != "active":
        raise Unprocessable(f"the student's status is {student.status}: only an active student registers", "student_id")
    existing = db.scalar(
        select(Registration.id).where(Registration.student_id == student_id, Registration.period_id == period_id)
    )
    if existing is not None:
        raise Conflict(f"the student already has registration {existing} for this period", field="period_id")
    check_open(period, "add", "period_id")
    registration = Registration(student_id=student_id, period_id=period_id, status="draft", created_at=now())
    db.add(registration)
    form = Form(db, registration, new=True)
    if form.semester is not None:
        for discipline in form.plan.disciplines:
            if discipline.semester == form.semester and discipline.component == "compulsory":
                enrolment = new_enrolment(registration, discipline, "compulsory")
                registration.enrolments.append(enrolment)
                form.added.append(enrolment)
    form.check_maximum(registration.total_credits, None)
    for index, discipline_id in enumerate(discipline_ids):
        form.add(discipline_id, f"discipline_ids.{index}")
    form.log()
    return form


def add(db: Session, registration_id: int, discipline_id: int) -> Form:
    form = Form(db, find(db, registration_id, lock=True))
    form.add(discipline_id, "plan_discipline_id")
    form.amended()
    form.log()
    return form


def drop(db: Session, registration_id: int, discipline_id: int) -> Form:
    """Drop a discipline: only until the drop deadline, never a compulsory one or one with marks."""
    form = Form(db, find(db, registration_id, lock=True))
    registration = form.registration
    enrolment = next((e for e in registration.enrolments if e.plan_discipline_id == discipline_id), None)
    if enrolment is None:
        raise NotFound(f"discipline {discipline_id} is not on registration {registration.id}")
    check_open(form.period, "drop", None)
    if enrolment.kind == "compulsory":
        raise Unprocessable(
            f"{enrolment.discipline.code} is a compulsory discipline of the semester: it is not dropped"
        )
    if enrolment.has_marks:
        raise Conflict(f"{enrolment.discipline.code} already has marks in its grade sheet: it is not dropped")
    deleted(db, enrolment, ENROLMENT_FIELDS)
    registration.enrolments.remove(enrolment)
    form.amended()
    form.log()
    return form


def submit(db: Session, registration_id: int) -> Form:
    form = Form(db, find(db, registration_id, lock=True))
    registration = form.registration
    require_status(registration, EDITABLE, "submitted")
    if not registration.enrolments:
        raise Unprocessable("the registration has no discipline")
    message = form.limits.under_minimum(form.period.kind, registration.total_credits)  # type: ignore[arg-type]
    if message:
        raise Unprocessable(f"the registration has {message}: add disciplines before submitting")
    registration.status = "submitted"
    registration.submitted_at = now()
    form.log()
    return form


def confirm(db: Session, registration_id: int, actor: str) -> Form:
    """The advisor confirms a submitted form; its disciplines are placed in sections."""
    form = Form(db, find(db, registration_id, lock=True))
    registration = form.registration
    require_status(registration, ("submitted",), "confirmed")
    place(db, form.period, form.student, registration.enrolments)
    registration.status = "confirmed"
    registration.decided_at, registration.decided_by, registration.note = now(), actor, None
    form.log()
    return form


def send_back(db: Session, registration_id: int, actor: str, reason: str) -> Form:
    """The advisor returns a submitted form with a reason."""
    form = Form(db, find(db, registration_id, lock=True))
    registration = form.registration
    require_status(registration, ("submitted",), "returned")
    registration.status = "returned"
    registration.decided_at, registration.decided_by, registration.note = now(), actor, reason
    form.log(reason)
    return form


def discard(db: Session, registration_id: int) -> None:
    """Delete a draft or returned form: only until the drop deadline and with no marks."""
    registration = find(db, registration_id, lock=True)
    period = db.get(Period, registration.period_id)
    assert period is not None
    if registration.status not in EDITABLE:
        raise Conflict(
            f"registration {registration.id} is {registration.status}: only a draft or returned one is deleted"
        )
    check_open(period, "drop", None)
    if any(e.has_marks for e in registration.enrolments):
        raise Conflict(f"registration {registration.id} has disciplines with marks: it is not deleted")
    for enrolment in registration.enrolments:
        deleted(db, enrolment, ENROLMENT_FIELDS)
    deleted(db, registration, REGISTRATION_FIELDS)
    db.delete(registration)
    db.flush()


def require_status(registration: Registration, allowed: Iterable[str], target: str) -> None:
    allowed = tuple(allowed)
    if registration.status not in allowed:
        raise Conflict(
            f"registration {registration.id} is {registration.status}; only a {' or '.join(allowed)} registration "
            f"becomes {target}"
        )


def place(db: Session, period: Period, student: Student, enrolments: Iterable[Enrolment],
          cache: dict[tuple[int, int], Section] | None = None) -> tuple[int, int]:  # fmt: skip
    """Put each enrolment without a section into the section of its discipline and the student's group.

    Sections are created when missing; returns (sections created, enrolments placed). 422 when the
    student has no academic group (sections are formed per group).
    """
    cache = {} if cache is None else cache
    created = placed = 0
    for enrolment in enrolments:
        if enrolment.section_id is not None:
            continue
        if student.group_id is None:
            raise Unprocessable(
                f"student {student.id} has no academic group: sections are formed per group, assign one first"
            )
        key = (enrolment.plan_discipline_id, student.group_id)
        section = cache.get(key) or db.scalar(
            select(Section).where(
                Section.period_id == period.id,
                Section.plan_discipline_id == enrolment.plan_discipline_id,
                Section.group_id == student.group_id,
            )
        )
        if section is None:
            section = Section(period_id=period.id, plan_discipline_id=enrolment.plan_discipline_id,
                              group_id=student.group_id)  # fmt: skip
            db.add(section)
            db.flush()
            history_created(db, section)
            created += 1
        cache[key] = section
        before = snapshot(enrolment, ("section_id",))
        enrolment.section_id = section.id
        if enrolment.id is not None:
            logged_update(db, enrolment, before)
        placed += 1
    return created, placed


def history_created(db: Session, section: Section) -> None:
    created(db, section, SECTION_FIELDS)


def build_sections(db: Session, period_id: int) -> tuple[int, int]:
    """Place the disciplines of every confirmed form of the period; returns (sections created, placed)."""
    period = db.get(Period, period_id) if 0 < period_id < 2**31 else None
    if period is None:
        raise Unprocessable(f"no period with id {period_id}", field="period_id")
    cache: dict[tuple[int, int], Section] = {}
    created = placed = 0
    registrations = db.scalars(
        select(Registration).where(Registration.period_id == period_id, Registration.status == "confirmed")
    )
    for registration in registrations:
        student = db.get(Student, registration.student_id)
        assert student is not None
        made, put = place(db, period, student, registration.enrolments, cache)
        created, placed = created + made, placed + put
    db.flush()
    return created, placed


def registration_view(registration: Registration, semester: int | None, low: int, high: int) -> RegistrationOut:
    return RegistrationOut(
        id=registration.id,
        student_id=registration.student_id,
        period_id=registration.period_id,
        status=registration.status,  # type: ignore[arg-type]
        semester=semester,
        total_credits=registration.total_credits,
        min_credits=low,
        max_credits=high,
        created_at=registration.created_at,
        submitted_at=registration.submitted_at,
        decided_at=registration.decided_at,
        decided_by=registration.decided_by,
        note=registration.note,
        enrolments=[enrolment_view(e) for e in registration.enrolments],
    )


def enrolment_view(enrolment: Enrolment) -> EnrolmentOut:
    discipline = enrolment.discipline
    return EnrolmentOut(
        id=enrolment.id,
        plan_discipline_id=enrolment.plan_discipline_id,
        code=discipline.code,
        name_en=discipline.name_en,
        credits=enrolment.credits,
        control=discipline.control,
        kind=enrolment.kind,  # type: ignore[arg-type]
        attempt=enrolment.attempt,
        retake_of_id=enrolment.retake_of_id,
        marks_carried=enrolment.marks_carried,
        section_id=enrolment.section_id,
        letter=enrolment.letter,
    )
