"""A year of movement for ``registrar demo-data``: the generated students' history from 1 September and the orders of
the academic year, registered through :func:`service.contingent.orders.register_order` (so every rule, the
numbering and the audit log apply) with the applications the policy asks for.

From the seed, for the academic year ``year``/``year + 1``:

- 31 August: everyone but the first-year students is taken on record as the generator left them
  (active, on leave or expelled), in the year of study of the coming academic year: the opening balance;
- 1 September: the first-year students are enrolled by one order (ENR, signed 25 August);
- September-May: expulsions for non-payment, academic failure, loss of contact and at own request;
  academic leaves (medical with a commission conclusion, military service, childcare); returns of
  students who were on leave; changes of name; the first expulsion for non-payment is cancelled by
  another order ten days later (the tuition was paid);
- winter holidays (transfer window): transfers within the university, reinstatements of students
  expelled before, transfers in from other universities, a transfer out;
- June: graduation of the final-year students; August: promotion of the others to the next year,
  effective 1 September.

Several students of one kind and month share one order, as a registrar's office does (graduation and promotion:
one order per faculty).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.contingent import (
    APPLICANT_KINDS,
    APPLICATION_ORDER_KIND,
    ApplicationState,
    MovementPolicy,
    OrderKind,
    State,
    Status,
)
from models.iin import InvalidIIN, make_iin
from service.contingent.applications import decide, submit
from service.contingent.history import add_entry, programme_years, record_student
from service.contingent.orders import register_order
from service.contingent.policy import load_policy
from service.models import AcademicGroup, Order, OrderItem, Programme, Student
from service.schemas.applications import ApplicationCreate, ApplicationDecision
from service.schemas.orders import OrderCreate

K = OrderKind
SIGNATORY = "A. Zhaksybekov, Rector"
APPLICATION_KIND = {order: application for application, order in APPLICATION_ORDER_KIND.items()}
TRANSFER_NAMES = {"male": ("Aslan", "Yerbol", "Nurbek"), "female": ("Dinara", "Zarina", "Aida")}


@dataclass
class _Planned:
    """Items of one order to register: kind, date, items (with the applications still to make)."""

    kind: OrderKind
    date: dt.date
    basis: str
    items: list[dict[str, Any]] = field(default_factory=list)
    effective_on: dt.date | None = None


def fill_movements(db: Session, seed: int = 0, year: int = 2025) -> dict[str, int]:
    """Give every student a history from 1 September ``year`` and register the year's orders; commits.

    Returns the number of orders per kind.
    """
    rng = random.Random(seed)
    policy = load_policy(db)
    start = dt.date(year, 9, 1)
    students = list(db.scalars(select(Student).order_by(Student.id)))
    programmes = {p.id: p for p in db.scalars(select(Programme))}
    groups = list(db.scalars(select(AcademicGroup).order_by(AcademicGroup.id)))
    first_years = [s for s in students if s.admission_year == year]
    for student in first_years:
        student.status = Status.ACTIVE.value
    _enroll(db, first_years, dt.date(year, 8, 25), start)
    for student in students:
        if student.admission_year != year:  # the opening balance of the academic year
            record_student(db, student, start - dt.timedelta(days=1), as_of=start)
    db.commit()
    plan = _Plan(rng, year, programmes, groups)
    plan.build(students)
    for order in plan.ordered():
        _register(db, order, policy)
    unpaid = db.scalar(select(Order).where(Order.kind == K.EXPULSION_NON_PAYMENT.value).order_by(Order.id).limit(1))
    if unpaid is not None:
        cancellation = OrderCreate(
            kind=K.CANCELLATION,
            date=unpaid.date + dt.timedelta(days=10),
            signatory=SIGNATORY,
            basis="the tuition was paid in full after the order",
            cancels_order_id=unpaid.id,
        )
        register_order(db, cancellation, policy)
    return {kind: count for kind, count in db.execute(select(Order.kind, func.count()).group_by(Order.kind))}


def _enroll(db: Session, students: list[Student], date: dt.date, effective_on: dt.date) -> None:
    """The enrollment order of the first-year students the generator made (already in the records)."""
    if not students:
        return
    order = Order(
        kind=K.ENROLLMENT.value,
        year=date.year,
        sequence=1,
        date=date,
        effective_on=effective_on,
        signatory=SIGNATORY,
        basis="results of the unified national testing; admission commission",
    )
    db.add(order)
    for position, student in enumerate(students, start=1):
        item = OrderItem(
            order=order,
            position=position,
            student_id=student.id,
            details={"year_of_study": 1},
            previous={
                "group_id": None,
                "last_name": student.last_name,
                "first_name": student.first_name,
                "middle_name": student.middle_name,
            },
        )
        db.add(item)
        state = State(Status.ACTIVE, student.programme_id, 1, student.study_form, student.funding, student.language)
        add_entry(db, student, state, K.ENROLLMENT.value, effective_on, item)


class _Plan:
    """Chooses the year's movements student by student, keeping each student's orders in time order."""

    def __init__(
        self, rng: random.Random, year: int, programmes: dict[int, Programme], groups: list[AcademicGroup]
    ) -> None:
        self.rng, self.year = rng, year
        self.programmes = programmes
        self.groups = groups
        self.orders: dict[tuple[OrderKind, dt.date, int], _Planned] = {}
        self.serial = 5000

    def add(
        self,
        kind: OrderKind,
        date: dt.date,
        item: dict[str, Any],
        basis: str,
        effective_on: dt.date | None = None,
        part: int = 0,
    ) -> None:
        """Add ``item`` to the order of ``kind`` on ``date`` (and ``part``: one order per faculty for big ones)."""
        key = (kind, date, part)
        if key not in self.orders:
            self.orders[key] = _Planned(kind, date, basis, effective_on=effective_on)
        self.orders[key].items.append(item)

    def ordered(self) -> list[_Planned]:
        return sorted(self.orders.values(), key=lambda o: (o.date, list(OrderKind).index(o.kind)))

    def day(self, month: int, low: int = 3, high: int = 25) -> dt.date:
        year = self.year if month >= 9 else self.year + 1
        return dt.date(year, month, self.rng.randint(low, high))

    def group_for(self, programme_id: int, language: str, exclude: int | None = None) -> int | None:
        fits = [
            g.id for g in self.groups if g.programme_id == programme_id and g.language == language and g.id != exclude
        ]
        return self.rng.choice(fits) if fits else None

    def build(self, students: list[Student]) -> None:
        rng, y = self.rng, self.year
        final: list[Student] = []
        promoted: list[Student] = []
        for student in students:
            years = programme_years(self.programmes[student.programme_id].credits)
            year_of_study = min(years, max(1, y - student.admission_year + 1))
            status = student.status
            if status == Status.ON_LEAVE.value:
                if rng.random() < 0.6:
                    self.add(
                        K.RETURN_FROM_LEAVE,
                        self.day(1, 12, 20),
                        {"student_id": student.id, "group_id": self.group_for(student.programme_id, student.language)},
                        "the student's application; end of the leave",
                    )
                continue
            if status == Status.EXPELLED.value:
                if rng.random() < 0.4:
                    self.add(
                        K.REINSTATEMENT,
                        dt.date(y, 12, 29),
                        {"student_id": student.id, "group_id": self.group_for(student.programme_id, student.language)},
                        "the student's application; decision of the dean",
                    )
                continue
            roll = rng.random()
            if roll < 0.025:
                month = rng.choice((10, 11, 2, 3))
                self.add(
                    K.EXPULSION_NON_PAYMENT,
                    self.day(month),
                    {"student_id": student.id, "reason": "tuition not paid by the contract's deadline"},
                    "report of the finance office on unpaid tuition",
                )
            elif roll < 0.04:
                self.add(
                    K.EXPULSION_ACADEMIC_FAILURE,
                    dt.date(y + 1, 2, 10),
                    {"student_id": student.id, "reason": "academic debts not cleared after the autumn session"},
                    "results of the examination session",
                )
            elif roll < 0.05:
                self.add(
                    K.EXPULSION_LOST_CONTACT,
                    self.day(11),
                    {"student_id": student.id, "missed_hours": rng.randint(80, 160)},
                    "report of the dean's office on absences",
                )
            elif roll < 0.06:
                self.add(
                    K.EXPULSION_OWN_REQUEST,
                    self.day(rng.choice((10, 3))),
                    {"student_id": student.id},
                    "the student's application",
                )
            elif roll < 0.075:
                self.leave(student)
            elif roll < 0.085:
                self.transfer_within(student, year_of_study)
            elif roll < 0.09:
                self.add(
                    K.TRANSFER_OUT,
                    dt.date(y + 1, 1, 8),
                    {
                        "student_id": student.id,
                        "other_university": rng.choice(
                            ("Al-Farabi Kazakh National University", "L.N. Gumilyov Eurasian National University")
                        ),
                    },
                    "the student's application; letter of acceptance of the receiving university",
                )
            else:
                if student.sex == "female" and rng.random() < 0.01 and student.last_name.endswith(("ova", "eva")):
                    self.add(
                        K.CHANGE_OF_NAME,
                        self.day(4),
                        {
                            "student_id": student.id,
                            "last_name": rng.choice(("Kassymova", "Sultanova", "Kim", "Omarova")),
                        },
                        "marriage certificate",
                    )
                (final if year_of_study >= years else promoted).append(student)
        for student in final:
            self.add(
                K.GRADUATION,
                dt.date(y + 1, 6, 25),
                {"student_id": student.id},
                "decision of the state attestation commission",
                part=self.programmes[student.programme_id].faculty_id,
            )
        for student in promoted:
            self.add(
                K.PROMOTION,
                dt.date(y + 1, 8, 20),
                {"student_id": student.id},
                "results of the academic year",
                effective_on=dt.date(y + 1, 9, 1),
                part=self.programmes[student.programme_id].faculty_id,
            )
        self.transfers_in(max(1, len(students) // 150))

    def leave(self, student: Student) -> None:
        rng = self.rng
        start = self.day(rng.choice((10, 11, 2)))
        ground = rng.choice(("medical", "medical", "military", "childcare"))
        item: dict[str, Any] = {"student_id": student.id, "leave_ground": ground}
        if ground == "medical":
            item |= {
                "leave_until": start + dt.timedelta(days=rng.randint(190, 360)),
                "commission_number": f"MAC-{rng.randint(100, 999)}",
                "commission_date": start - dt.timedelta(days=3),
            }
            basis = "the student's application; conclusion of the medical advisory commission"
        elif ground == "military":
            item |= {"leave_until": start + dt.timedelta(days=370)}
            basis = "the student's application; summons of the defence office"
        else:
            birth = start - dt.timedelta(days=rng.randint(10, 200))
            item |= {"leave_until": dt.date(birth.year + 3, birth.month, min(birth.day, 28)), "child_birth_date": birth}
            basis = "the student's application; birth certificate of the child"
        self.add(K.ACADEMIC_LEAVE, start, item, basis)

    def transfer_within(self, student: Student, year_of_study: int) -> None:
        programme = self.programmes[student.programme_id]
        others = [
            p.id for p in self.programmes.values() if p.faculty_id == programme.faculty_id and p.id != programme.id
        ]
        if others and self.rng.random() < 0.6:
            target = self.rng.choice(others)
            item = {
                "student_id": student.id,
                "programme_id": target,
                "group_id": self.group_for(target, student.language),
            }
        else:
            item = {
                "student_id": student.id,
                "study_form": "part_time" if student.study_form == "full_time" else "full_time",
            }
        self.add(K.TRANSFER_WITHIN, dt.date(self.year, 12, 27), item, "the student's application; decision of the dean")

    def transfers_in(self, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            group = rng.choice(self.groups)
            sex = rng.choice(("male", "female"))
            birth = dt.date(group.admission_year - 18, rng.randint(1, 12), rng.randint(1, 28))
            while True:
                self.serial += 1
                try:
                    iin = make_iin(birth, sex, self.serial)  # type: ignore[arg-type]
                    break
                except InvalidIIN:
                    continue
            years = programme_years(self.programmes[group.programme_id].credits)
            surname = rng.choice(("Ermekov", "Tokayev", "Akhmetov"))
            first = rng.choice(TRANSFER_NAMES[sex])
            person = {
                "iin": iin,
                "last_name": surname + ("a" if sex == "female" else ""),
                "first_name": first,
                "birth_date": birth.isoformat(),
                "sex": sex,
                "language": group.language,
                "funding": "paid",
                "programme_id": group.programme_id,
                "group_id": group.id,
                "admission_year": group.admission_year,
            }
            year_of_study = min(years, max(1, self.year - group.admission_year + 1))
            self.add(
                K.TRANSFER_IN,
                dt.date(self.year + 1, 1, 6),
                {"student": person, "year_of_study": year_of_study, "other_university": "Karaganda Buketov University"},
                "the applicant's application; academic transcript of the previous university",
            )


def _register(db: Session, planned: _Planned, policy: MovementPolicy) -> None:
    """Register one planned order, first making and approving the applications the policy asks for."""
    if planned.kind in policy.applications_required:
        for item in planned.items:
            item["application_id"] = _approved_application(db, planned, item)
    body = OrderCreate.model_validate(
        {
            "kind": planned.kind,
            "date": planned.date,
            "effective_on": planned.effective_on,
            "signatory": SIGNATORY,
            "basis": planned.basis,
            "items": planned.items,
        }
    )
    register_order(db, body, policy)


def _approved_application(db: Session, planned: _Planned, item: dict[str, Any]) -> int:
    kind = APPLICATION_KIND[planned.kind]
    submitted_on = planned.date - dt.timedelta(days=5)
    who: dict[str, Any] = {"student_id": item.get("student_id")}
    if kind in APPLICANT_KINDS:
        person = item["student"]
        who = {
            "applicant_iin": person["iin"],
            "applicant_last_name": person["last_name"],
            "applicant_first_name": person["first_name"],
        }
    reference = f"in-{planned.date:%Y%m%d}-{item.get('student_id') or item['student']['iin']}"
    body = ApplicationCreate.model_validate(
        who
        | {
            "kind": kind,
            "submitted_on": submitted_on,
            "submitted_by": "student",
            "request": planned.basis,
            "documents": [{"kind": "statement", "title": "Application", "reference": reference}],
        }
    )
    application = submit(db, body)
    for state, day in ((ApplicationState.UNDER_REVIEW, submitted_on), (ApplicationState.APPROVED, planned.date)):
        decide(db, application.id, ApplicationDecision(state=state, on=day))
    return application.id
