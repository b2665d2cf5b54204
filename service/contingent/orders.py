"""Registering orders: every item is checked first, then the whole order is applied in one transaction, or
nothing is written and every problem is answered (422, one entry per field: ``items.3.leave_until``).

Checks beyond the movement rules of :func:`models.contingent.apply_order`:

- every named student exists, once per order; a new student's IIN is not taken;
- an order takes effect no earlier than the student's latest history entry (the history is only
  appended to; an older movement is corrected by cancelling the later orders first);
- an application, when given, exists, is approved, is of the order's kind, is the student's (or the
  new student's IIN), and no order in force used it; the policy's ``applications_required`` kinds need
  one for every student;
- a cancellation names an order in force that is not a cancellation, takes effect no earlier than it,
  and that order is the latest movement in force of each of its students (later orders already cancelled
  and their cancellations do not count); it restores each student's state, names and group from before
  that order (a student it enrolled becomes ``not_enrolled``).

The order gets the next number of its register (kind and year of its date). Students are locked
(``SELECT ... FOR UPDATE`` on PostgreSQL) while the order is checked and applied, so two orders for one
student cannot both build on the same state; a number taken concurrently answers 409 (retry).

The audit log (:mod:`service.audit`) gets, in the same transaction, the order's creation and every
student's changed fields (status, programme, form, funding, language, group, names; a new student's
creation), with the reason ``order ALV-2025/017 (Academic leave)`` followed by the ``X-Reason`` header's
text if one was sent. A change of names (a change-of-name order, or the cancellation restoring the names) is
also registered in the register of personal-data changes with the order (:mod:`service.personal_files`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models.contingent import (
    KIND_RULES,
    ApplicationKind,
    ApplicationState,
    Catalogue,
    Change,
    MovementPolicy,
    MovementRefused,
    Names,
    OrderContext,
    OrderKind,
    State,
    Status,
    Subject,
    application_fits,
    apply_order,
    cancelled,
    order_number,
    year_of_study_on,
)
from service import audit
from service.contingent.history import (
    add_entry,
    commit,
    history_of,
    latest_entries,
    programme_years,
    record_student,
    to_state,
)
from service.errors import FieldError, Unprocessable
from service.models import AcademicGroup, Application, Order, OrderItem, Programme, Student, StudentState
from service.personal_files import register_order_changes
from service.schemas.orders import OrderCreate, OrderItemCreate

CHANGE_FIELDS = frozenset(Change.model_fields)
NEW_STUDENT_TERMS = ("programme_id", "group_id", "study_form", "funding", "language")


def db_catalogue(db: Session) -> Catalogue:
    """The catalogue of the movement rules read from the database (cached for one order)."""
    years: dict[int, int | None] = {}
    groups: dict[int, tuple[int, str] | None] = {}

    def programme(programme_id: int) -> int | None:
        if programme_id not in years:
            row = db.get(Programme, programme_id) if 0 < programme_id < 2**31 else None
            years[programme_id] = programme_years(row.credits) if row else None
        return years[programme_id]

    def group(group_id: int) -> tuple[int, str] | None:
        if group_id not in groups:
            row = db.get(AcademicGroup, group_id) if 0 < group_id < 2**31 else None
            groups[group_id] = (row.programme_id, row.language) if row else None
        return groups[group_id]

    return Catalogue(programme, group)


def subject_of(student: Student, entry: StudentState | None) -> Subject:
    return Subject(
        to_state(entry) if entry else None,
        Names(student.last_name, student.first_name, student.middle_name),
        student.group_id,
    )


def previous_of(subject: Subject) -> dict[str, Any]:
    """What an order replaces that the history does not keep: names and group."""
    names = subject.names
    return {
        "last_name": names.last_name,
        "first_name": names.first_name,
        "middle_name": names.middle_name,
        "group_id": subject.group_id,
    }


@dataclass
class _Planned:
    """One checked item, ready to be written."""

    item: OrderItemCreate
    student: Student | None
    after: Subject
    previous: dict[str, Any]
    application: Application | None
    details: dict[str, Any] = field(default_factory=dict)


def register_order(db: Session, body: OrderCreate, policy: MovementPolicy) -> Order:
    """Check and apply the order ``body`` under ``policy``; commit, or raise 422/409 with nothing written."""
    if body.kind is OrderKind.CANCELLATION:
        return _register_cancellation(db, body)
    kind = body.kind
    effective_on = body.effective_on or body.date
    context = OrderContext(kind, body.date, effective_on, policy, db_catalogue(db))
    ids = [item.student_id for item in body.items if item.student_id is not None]
    students = _lock_students(db, ids)
    latest = latest_entries(db, ids)
    applications = _applications(db, body)
    errors: list[FieldError] = []
    planned: list[_Planned] = []
    for index, item in enumerate(body.items):
        prefix = f"items.{index}"
        problems: list[FieldError] = []
        if item.student is not None:
            student = None
            problems += _new_student_problems(db, item, prefix)
            subject = Subject(
                None, Names(item.student.last_name, item.student.first_name, item.student.middle_name), None
            )
        else:
            assert item.student_id is not None
            student = students.get(item.student_id)
            if student is None:
                errors.append(FieldError(f"{prefix}.student_id", f"no student with id {item.student_id}"))
                continue
            entry = latest.get(student.id)
            if entry is not None and effective_on < entry.effective_on:
                problems.append(FieldError(f"{prefix}.student_id", _too_early(student, entry, effective_on)))
            subject = subject_of(student, entry) if entry else subject_of_unrecorded(db, student, effective_on)
        application = applications.get(item.application_id) if item.application_id is not None else None
        problems += _application_problems(item, application, kind, policy, student, prefix)
        try:
            after = apply_order(subject, _change_of(item), context)
        except MovementRefused as refused:
            problems += [FieldError(f"{prefix}.{p.field}" if p.field else prefix, p.message) for p in refused.problems]
            after = subject
        if problems:
            errors += problems
            continue
        planned.append(_Planned(item, student, after, previous_of(subject), application, _details(item)))
    if errors:
        raise Unprocessable(errors)
    order = _new_order(db, body, effective_on)
    reason = _reason(order)
    for position, plan in enumerate(planned, start=1):
        student = plan.student or _create_student(db, plan.item, reason)
        if plan.student is not None and not latest.get(student.id):
            record_student(db, student, effective_on)
        before = audited_fields(student)
        item_row = OrderItem(
            order=order,
            position=position,
            student_id=student.id,
            application=plan.application,
            details=plan.details,
            previous=plan.previous,
        )
        db.add(item_row)
        _apply_subject(student, plan.after)
        register_order_changes(db, student, before, order, effective_on)
        assert plan.after.state is not None
        add_entry(db, student, plan.after.state, kind.value, effective_on, item_row)
        audit.log_changes(db, "students", student.id, "update", audit.diff(before, audited_fields(student)), reason)
    commit(db)
    return load_order(db, order.id)


def subject_of_unrecorded(db: Session, student: Student, day: dt.date) -> Subject:
    """A student without history (inserted outside the service): as they stand, to be taken on record on ``day``."""
    programme = db.get(Programme, student.programme_id)
    years = programme_years(programme.credits) if programme else 1
    state = State(
        Status(student.status),
        student.programme_id,
        year_of_study_on(day, student.admission_year, years),
        student.study_form,
        student.funding,
        student.language,
    )
    return Subject(state, Names(student.last_name, student.first_name, student.middle_name), student.group_id)


def _lock_students(db: Session, ids: list[int]) -> dict[int, Student]:
    valid = sorted({i for i in ids if 0 < i < 2**31})
    out: dict[int, Student] = {}
    for start in range(0, len(valid), 500):
        chunk = valid[start : start + 500]
        out.update({s.id: s for s in db.scalars(select(Student).where(Student.id.in_(chunk)).with_for_update())})
    return out


def _applications(db: Session, body: OrderCreate) -> dict[int, Application]:
    ids = sorted(
        {i.application_id for i in body.items if i.application_id is not None and 0 < i.application_id < 2**31}
    )
    if not ids:
        return {}
    query = select(Application).where(Application.id.in_(ids)).options(selectinload(Application.items))
    return {a.id: a for a in db.scalars(query)}


def _too_early(student: Student, entry: StudentState, effective_on: dt.date) -> str:
    latest = "taken on record" if entry.item is None else f"order {_number(entry.item.order)}"
    return (
        f"student {student.id} ({student.last_name} {student.first_name}) has a movement taking effect on "
        f"{entry.effective_on} ({latest}); this order takes effect on {effective_on}, before it: the history is "
        "only appended to (cancel the later order first)"
    )


def _number(order: Order) -> str:
    return order_number(OrderKind(order.kind), order.year, order.sequence)


def _new_student_problems(db: Session, item: OrderItemCreate, prefix: str) -> list[FieldError]:
    assert item.student is not None
    problems = [
        FieldError(f"{prefix}.{name}", "give it in 'student' for a new student")
        for name in NEW_STUDENT_TERMS
        if name in item.model_fields_set
    ]
    existing = db.scalar(select(Student).where(Student.iin == item.student.iin))
    if existing is not None:
        problems.append(
            FieldError(
                f"{prefix}.student.iin",
                f"a student with IIN {item.student.iin} already exists "
                f"(id {existing.id}, {existing.status}); a former student returns by reinstatement",
            )
        )
    return problems


def _change_of(item: OrderItemCreate) -> Change:
    """The rule parameters of ``item``: the fields given, with a new student's terms taken from ``student``."""
    values = {name: getattr(item, name) for name in item.model_fields_set & CHANGE_FIELDS}
    if item.student is not None:
        values.update({name: getattr(item.student, name) for name in NEW_STUDENT_TERMS})
    return Change(**values)


def _details(item: OrderItemCreate) -> dict[str, Any]:
    """The item's parameters as given, for the record (a new student's person and terms included)."""
    return item.model_dump(mode="json", include=item.model_fields_set - {"student_id", "application_id"})


def _application_problems(
    item: OrderItemCreate,
    application: Application | None,
    kind: OrderKind,
    policy: MovementPolicy,
    student: Student | None,
    prefix: str,
) -> list[FieldError]:
    name = f"{prefix}.application_id"
    if item.application_id is None:
        if kind in policy.applications_required:
            return [
                FieldError(
                    name,
                    f"an order of kind {kind.value} needs the student's approved application "
                    "(policy applications_required)",
                )
            ]
        return []
    if application is None:
        return [FieldError(name, f"no application with id {item.application_id}")]
    problems = []
    if application.state != ApplicationState.APPROVED:
        problems.append(FieldError(name, f"application {application.id} is {application.state}, not approved"))
    if not application_fits(ApplicationKind(application.kind), kind):
        problems.append(
            FieldError(
                name, f"application {application.id} asks for {application.kind}, not an order of kind {kind.value}"
            )
        )
    if student is not None and application.student_id != student.id:
        problems.append(FieldError(name, f"application {application.id} is not student {student.id}'s"))
    if item.student is not None and application.applicant_iin != item.student.iin:
        problems.append(
            FieldError(
                name,
                f"application {application.id} is by the applicant with IIN "
                f"{application.applicant_iin}, not {item.student.iin}",
            )
        )
    used = application.used_by
    if used is not None:
        problems.append(
            FieldError(name, f"application {application.id} was already acted on by order {_number(used.order)}")
        )
    return problems


def _new_order(db: Session, body: OrderCreate, effective_on: dt.date) -> Order:
    year = body.date.year
    last = db.scalar(select(func.max(Order.sequence)).where(Order.kind == body.kind.value, Order.year == year))
    order = Order(
        kind=body.kind.value,
        year=year,
        sequence=(last or 0) + 1,
        date=body.date,
        effective_on=effective_on,
        signatory=body.signatory,
        basis=body.basis,
        cancels_id=body.cancels_order_id,
    )
    db.add(order)
    db.flush()
    values = {"kind": order.kind, "number": order_number(body.kind, year, order.sequence), "date": order.date,
              "effective_on": effective_on, "signatory": order.signatory, "basis": order.basis,
              "cancels_order_id": order.cancels_id}  # fmt: skip
    created = {name: (None, value) for name, value in values.items() if value is not None}
    audit.log_changes(db, "orders", order.id, "create", created)
    return order


def _create_student(db: Session, item: OrderItemCreate, reason: str) -> Student:
    assert item.student is not None
    data = item.student.model_dump()
    student = Student(**data)
    db.add(student)
    db.flush()
    values = {name: (None, value) for name, value in data.items() if value is not None}
    audit.log_changes(db, "students", student.id, "create", values, reason)
    return student


AUDITED = ("status", "programme_id", "study_form", "funding", "language", "group_id", "last_name", "first_name",
           "middle_name")  # fmt: skip
"""Student fields an order may change, logged in the audit log."""


def audited_fields(student: Student) -> dict[str, Any]:
    return {name: getattr(student, name) for name in AUDITED}


def _reason(order: Order) -> str:
    """The audit log's reason of an order's changes: its number and title, then the request's reason if any."""
    kind = OrderKind(order.kind)
    text = f"order {order_number(kind, order.year, order.sequence)} ({KIND_RULES[kind].title})"
    extra = audit.request_reason()
    return (f"{text}: {extra}" if extra else text)[: audit.MAX_REASON]


def _apply_subject(student: Student, after: Subject) -> None:
    """Names and group after the order (the state is applied with the history entry)."""
    student.last_name = after.names.last_name
    student.first_name = after.names.first_name
    student.middle_name = after.names.middle_name
    student.group_id = after.group_id


def _register_cancellation(db: Session, body: OrderCreate) -> Order:
    assert body.cancels_order_id is not None
    effective_on = body.effective_on or body.date
    target_id = body.cancels_order_id
    target = load_order(db, target_id) if 0 < target_id < 2**31 else None
    if target is None:
        raise Unprocessable(f"no order with id {target_id}", field="cancels_order_id")
    if target.kind == OrderKind.CANCELLATION:
        raise Unprocessable(
            f"order {_number(target)} is a cancellation, which is not cancelled: register the "
            "cancelled order again instead",
            field="cancels_order_id",
        )
    if target.cancelled_by is not None:
        raise Unprocessable(
            f"order {_number(target)} was already cancelled by order {_number(target.cancelled_by)}",
            field="cancels_order_id",
        )
    if effective_on < target.effective_on:
        raise Unprocessable(
            f"a cancellation takes effect no earlier than the order it cancels ({target.effective_on})",
            field="effective_on",
        )
    students = _lock_students(db, [item.student_id for item in target.items])
    latest = latest_entries(db, students)
    errors: list[FieldError] = []
    planned: list[tuple[Student, Subject, dict[str, Any]]] = []
    for item in target.items:
        student = students[item.student_id]
        entries = history_of(db, student.id)
        own = next(e for e in entries if e.order_item_id == item.id)
        blocking = next((e for e in entries[entries.index(own) + 1 :] if _in_force(e)), None)
        if blocking is not None:
            later = f"order {_number(blocking.item.order)}" if blocking.item else "a later record"
            message = (
                f"student {student.id} ({student.last_name} {student.first_name}) has a later movement "
                f"({later}, effective {blocking.effective_on}): cancel that first"
            )
            errors.append(FieldError("cancels_order_id", message))
            continue
        position = entries.index(own)
        before_entry = entries[position - 1] if position > 0 else None
        names = Names(item.previous["last_name"], item.previous["first_name"], item.previous.get("middle_name"))
        group_id = item.previous.get("group_id")
        if group_id is not None and db.get(AcademicGroup, group_id) is None:
            group_id = None
        before = Subject(to_state(before_entry), names, group_id) if before_entry else None
        current = subject_of(student, latest[student.id])
        planned.append((student, cancelled(before, current), previous_of(current)))
    if errors:
        raise Unprocessable(errors)
    order = _new_order(db, body, effective_on)
    reason = _reason(order)
    for position, (student, after, previous) in enumerate(planned, start=1):
        before = audited_fields(student)
        item_row = OrderItem(order=order, position=position, student_id=student.id, details={}, previous=previous)
        db.add(item_row)
        _apply_subject(student, after)
        register_order_changes(db, student, before, order, effective_on)
        assert after.state is not None
        add_entry(db, student, after.state, OrderKind.CANCELLATION.value, effective_on, item_row)
        audit.log_changes(db, "students", student.id, "update", audit.diff(before, audited_fields(student)), reason)
    commit(db)
    return load_order(db, order.id)  # type: ignore[return-value]


def _in_force(entry: StudentState) -> bool:
    """False for an entry of a cancelled order or of a cancellation: such pairs leave the student as they were."""
    if entry.kind == OrderKind.CANCELLATION.value:
        return False
    return entry.item is None or entry.item.order.cancelled_by is None


def load_order(db: Session, order_id: int) -> Order | None:
    """An order with its items and cancellation links loaded."""
    db.expire_all()
    query = (
        select(Order)
        .where(Order.id == order_id)
        .options(selectinload(Order.items), selectinload(Order.cancelled_by), selectinload(Order.cancels))
    )
    return db.scalar(query)


def student_names(db: Session, ids: set[int]) -> dict[int, str]:
    """``"Last First Middle"`` of each student id."""
    if not ids:
        return {}
    rows = db.execute(
        select(Student.id, Student.last_name, Student.first_name, Student.middle_name).where(
            Student.id.in_(sorted(ids))
        )
    )
    return {r.id: str(Names(r.last_name, r.first_name, r.middle_name)) for r in rows}
