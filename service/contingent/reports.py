"""The contingent reports, computed from the status history with the arithmetic of :mod:`models.contingent_report`.

- :func:`movement` — movement of the contingent over a period per cell (faculty, programme, year of
  study, form of study, funding, language, sex, citizenship, in any combination): opening, arrivals and
  departures by kind, closing; every row reconciles;
- :func:`contingent` — the contingent at the end of a day per cell (the state form is this with the
  state form's grouping);
- :func:`contingent_students` — who was in a status on a day ("who was enrolled on 1 October"), paged;
- :func:`on_leave` and :func:`expelled` — the lists of students on academic leave during a period and of
  students expelled with effect in a period.

Cells name faculties and programmes by their codes. Sex and citizenship are the student's (not kept in
the history: they do not move).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from models.contingent import EXPULSION_KINDS, Names, OrderKind, State, Status, order_number
from models.contingent_report import Key, MovementRow, Period, contingent_on, movement_report
from service.contingent.history import ORDERED, load_histories
from service.models import Faculty, Order, OrderItem, Programme, Student, StudentState
from service.schemas.common import Page
from service.schemas.contingent import (
    ContingentOut,
    ContingentStudentOut,
    ContingentStudentQuery,
    CountRowOut,
    ExpelledListOut,
    ExpelledRowOut,
    LeaveListOut,
    LeaveRowOut,
    ListPeriodQuery,
    MovementReportOut,
    MovementRowOut,
)

STATE_FIELDS = {"year_of_study", "study_form", "funding", "language"}
STUDENT_FIELDS = {"sex", "citizenship"}


@dataclass(frozen=True)
class ProgrammeInfo:
    code: str
    name: str
    faculty_id: int
    faculty_code: str


def programmes(db: Session) -> dict[int, ProgrammeInfo]:
    rows = db.execute(
        select(
            Programme.id, Programme.code, Programme.name_en, Programme.faculty_id, Faculty.code.label("faculty")
        ).join(Faculty, Faculty.id == Programme.faculty_id)
    )
    return {r.id: ProgrammeInfo(r.code, r.name_en, r.faculty_id, r.faculty) for r in rows}


class Grouping:
    """The cell of a student in the contingent for dimensions ``by`` (values: codes, numbers, text)."""

    def __init__(self, db: Session, by: Sequence[str]) -> None:
        self.by = tuple(by)
        self.programmes = programmes(db) if {"faculty", "programme"} & set(by) else {}
        self.people: dict[int, tuple[str, str]] = {}
        if STUDENT_FIELDS & set(by):
            self.people = {
                r.id: (r.sex, r.citizenship) for r in db.execute(select(Student.id, Student.sex, Student.citizenship))
            }

    def key(self, student_id: int, state: State) -> Key:
        return tuple(self.value(name, student_id, state) for name in self.by)

    def value(self, name: str, student_id: int, state: State) -> Any:
        if name == "faculty":
            return self.programmes[state.programme_id].faculty_code
        if name == "programme":
            return self.programmes[state.programme_id].code
        if name in STATE_FIELDS:
            return getattr(state, name)
        sex, citizenship = self.people[student_id]
        return sex if name == "sex" else citizenship

    def cell(self, key: Key) -> dict[str, Any]:
        return dict(zip(self.by, key, strict=True))


def _row(grouping: Grouping, row: MovementRow) -> MovementRowOut:
    return MovementRowOut(
        cell=grouping.cell(row.key) if row.key else {},
        opening=row.opening,
        arrivals=dict(row.arrivals),
        arrived=row.arrived,
        departures=dict(row.departures),
        departed=row.departed,
        closing=row.closing,
    )


def movement(db: Session, period: Period, by: Sequence[str]) -> MovementReportOut:
    """The movement report of ``period`` grouped ``by``; raises ``ReconciliationError`` only on a bug."""
    grouping = Grouping(db, by)
    report = movement_report(load_histories(db, period.end), period, grouping.key)
    return MovementReportOut(
        period=period.label,
        start=period.start,
        end=period.end,
        by=list(by),
        arrival_kinds=report.arrival_kinds,
        departure_kinds=report.departure_kinds,
        rows=[_row(grouping, r) for r in report.rows],
        total=_row(grouping, report.total),
    )


def contingent(db: Session, day: dt.date, by: Sequence[str]) -> ContingentOut:
    """Students in the contingent at the end of ``day``, per cell of ``by``."""
    grouping = Grouping(db, by)
    counts = contingent_on(load_histories(db, day), day, grouping.key)
    rows = [CountRowOut(cell=grouping.cell(k), students=counts[k]) for k in sorted(counts, key=_sortable)]
    return ContingentOut(on=day, by=list(by), rows=rows, total=sum(counts.values()))


def _sortable(key: Key) -> tuple[tuple[bool, str], ...]:
    return tuple((v is None, f"{v:012d}" if isinstance(v, int) else str(v)) for v in key)


def latest_on(day: dt.date) -> Any:
    """A subquery: each student's entry in force at the end of ``day`` (``rank`` 1)."""
    rank = func.row_number().over(
        partition_by=StudentState.student_id, order_by=(StudentState.effective_on.desc(), StudentState.id.desc())
    )
    return select(StudentState, rank.label("rank")).where(StudentState.effective_on <= day).subquery()


def contingent_students(db: Session, query: ContingentStudentQuery, today: dt.date) -> Page[ContingentStudentOut]:
    """Students whose entry in force at the end of ``query.on`` has the status asked for, by name."""
    day = query.on or today
    ranked = latest_on(day)
    state = aliased(StudentState, ranked)
    conditions = [ranked.c.rank == 1]
    if query.status is not None:
        conditions.append(state.status == query.status.value)
    if query.programme_id is not None:
        conditions.append(state.programme_id == query.programme_id)
    if query.year_of_study is not None:
        conditions.append(state.year_of_study == query.year_of_study)
    base: Select[Any] = (
        select(
            state,
            Student.iin,
            Student.last_name,
            Student.first_name,
            Student.middle_name,
            Programme.code.label("programme_code"),
        )
        .join(Student, Student.id == state.student_id)
        .join(Programme, Programme.id == state.programme_id)
        .where(*conditions)
    )
    total = db.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = db.execute(
        base.order_by(Student.last_name, Student.first_name, Student.id)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    )
    items = [
        ContingentStudentOut(
            student_id=r[0].student_id,
            iin=r.iin,
            name=str(Names(r.last_name, r.first_name, r.middle_name)),
            status=r[0].status,
            programme_id=r[0].programme_id,
            programme_code=r.programme_code,
            year_of_study=r[0].year_of_study,
            study_form=r[0].study_form,
            funding=r[0].funding,
            language=r[0].language,
            since=r[0].effective_on,
        )
        for r in rows
    ]
    return Page[ContingentStudentOut](items=items, total=total, page=query.page, per_page=query.per_page)


def _number(order: Order | None) -> str | None:
    return order_number(OrderKind(order.kind), order.year, order.sequence) if order else None


def _students_in(db: Session, query: ListPeriodQuery, ids: set[int]) -> dict[int, Student]:
    return {s.id: s for s in db.scalars(select(Student).where(Student.id.in_(sorted(ids))))} if ids else {}


def _selected(query: ListPeriodQuery, infos: dict[int, ProgrammeInfo], programme_id: int) -> bool:
    if query.programme_id is not None and programme_id != query.programme_id:
        return False
    return query.faculty_id is None or infos[programme_id].faculty_id == query.faculty_id


def on_leave(db: Session, period: Period, query: ListPeriodQuery) -> LeaveListOut:
    """Students on academic leave at the end of at least one day of ``period``, one row per leave."""
    leaving = select(StudentState.student_id).where(
        StudentState.status == Status.ON_LEAVE.value, StudentState.effective_on <= period.end
    )
    entries = db.scalars(
        select(StudentState)
        .where(StudentState.student_id.in_(leaving.distinct()))
        .options(selectinload(StudentState.item).selectinload(OrderItem.order).selectinload(Order.cancelled_by))
        .order_by(*ORDERED)
    ).all()
    infos = programmes(db)
    by_student: dict[int, list[StudentState]] = {}
    for entry in entries:
        by_student.setdefault(entry.student_id, []).append(entry)
    students = _students_in(db, query, set(by_student))
    rows: list[LeaveRowOut] = []
    for student_id, history in by_student.items():
        for i, entry in enumerate(history):
            starts = entry.status == Status.ON_LEAVE.value and (i == 0 or history[i - 1].status != entry.status)
            if not starts:
                continue
            ended = next((e for e in history[i + 1 :] if e.status != Status.ON_LEAVE.value), None)
            last_day = ended.effective_on - dt.timedelta(days=1) if ended else None
            if entry.effective_on > period.end or (
                last_day is not None and last_day < max(period.start, entry.effective_on)
            ):
                continue
            if not _selected(query, infos, entry.programme_id):
                continue
            student = students[student_id]
            rows.append(
                LeaveRowOut(
                    student_id=student_id,
                    iin=student.iin,
                    name=_name(student),
                    programme_code=infos[entry.programme_id].code,
                    year_of_study=entry.year_of_study,
                    leave_ground=entry.leave_ground,
                    starts_on=entry.effective_on,
                    until=entry.leave_until,
                    returned_on=ended.effective_on if ended else None,
                    order_number=_number(entry.item.order if entry.item else None),
                    cancelled_by=_number(entry.item.order.cancelled_by if entry.item else None),
                )
            )
    rows.sort(key=lambda r: (r.starts_on, r.name, r.student_id))
    return LeaveListOut(period=period.label, start=period.start, end=period.end, rows=rows)


def expelled(db: Session, period: Period, query: ListPeriodQuery) -> ExpelledListOut:
    """Students expelled (every expulsion kind and transfer out) with effect in ``period``."""
    entries = db.scalars(
        select(StudentState)
        .where(
            StudentState.kind.in_(sorted(k.value for k in EXPULSION_KINDS)),
            StudentState.effective_on >= period.start,
            StudentState.effective_on <= period.end,
        )
        .options(selectinload(StudentState.item).selectinload(OrderItem.order).selectinload(Order.cancelled_by))
        .order_by(StudentState.effective_on, StudentState.id)
    ).all()
    infos = programmes(db)
    students = _students_in(db, query, {e.student_id for e in entries})
    rows = []
    for entry in entries:
        if not _selected(query, infos, entry.programme_id):
            continue
        student = students[entry.student_id]
        order = entry.item.order if entry.item else None
        rows.append(
            ExpelledRowOut(
                student_id=entry.student_id,
                iin=student.iin,
                name=_name(student),
                programme_code=infos[entry.programme_id].code,
                year_of_study=entry.year_of_study,
                kind=entry.kind,
                effective_on=entry.effective_on,
                order_number=_number(order),
                reason=entry.item.details.get("reason") if entry.item else None,
                cancelled_by=_number(order.cancelled_by if order else None),
            )
        )
    return ExpelledListOut(period=period.label, start=period.start, end=period.end, rows=rows)


def _name(student: Student) -> str:
    return str(Names(student.last_name, student.first_name, student.middle_name))
