"""Each student's status history: entries are only added, and the student's row follows the latest one.

- :func:`add_entry` appends an entry and copies its state onto the student (status, programme, form of
  study, funding, language);
- :func:`record_student` takes a student on record without an order (kind ``record``), the year of study
  estimated from the admission year;
- :func:`latest_entries` gives the entry in force last for each of some students (the one that later
  orders build on and must not precede);
- :func:`load_histories` gives every student's entries up to a day, as the report arithmetic of
  :mod:`models.contingent_report` wants them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.contingent import RECORD, State, Status, year_of_study_on
from models.contingent_report import Entry, group_histories
from service.errors import Conflict
from service.models import OrderItem, Programme, Student, StudentState

ORDERED = (StudentState.student_id, StudentState.effective_on, StudentState.id)


def commit(db: Session) -> None:
    """Commit; a constraint the checks did not foresee (a register number taken concurrently) is a 409, not a 500.

    The same as :func:`service.records.crud.commit`, kept here so that this package does not import the
    records blueprints (which import this package).
    """
    try:
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        raise Conflict(f"the change conflicts with the stored records (retry): {exc.orig}") from None


def to_state(row: StudentState) -> State:
    """The pure state of a history row."""
    return State(
        Status(row.status),
        row.programme_id,
        row.year_of_study,
        row.study_form,
        row.funding,
        row.language,
        row.leave_ground,
        row.leave_until,
    )


def add_entry(
    db: Session, student: Student, state: State, kind: str, effective_on: dt.date, item: OrderItem | None = None
) -> StudentState:
    """Append an entry of ``kind`` to ``student``'s history and bring the student's row to ``state``."""
    entry = StudentState(
        student_id=student.id,
        effective_on=effective_on,
        kind=kind,
        item=item,
        status=state.status.value,
        programme_id=state.programme_id,
        year_of_study=state.year_of_study,
        study_form=state.study_form,
        funding=state.funding,
        language=state.language,
        leave_ground=state.leave_ground,
        leave_until=state.leave_until,
    )
    db.add(entry)
    student.status = state.status.value
    student.programme_id = state.programme_id
    student.study_form = state.study_form
    student.funding = state.funding
    student.language = state.language
    return entry


def programme_years(credits: int) -> int:
    """Years of study of a programme of ``credits`` (60 a year): 240 -> 4."""
    return max(1, math.ceil(credits / 60))


def record_student(db: Session, student: Student, day: dt.date, as_of: dt.date | None = None) -> StudentState:
    """Take ``student`` (already flushed, with an id) on record on ``day`` as they stand, without an order; the
    year of study is estimated for ``as_of`` (default ``day``) from the admission year."""
    programme = db.get(Programme, student.programme_id)
    years = programme_years(programme.credits) if programme else 1
    state = State(
        Status(student.status),
        student.programme_id,
        year_of_study_on(as_of or day, student.admission_year, years),
        student.study_form,
        student.funding,
        student.language,
    )
    return add_entry(db, student, state, RECORD, day)


def record_unrecorded(db: Session, day: dt.date) -> int:
    """Take on record, on ``day``, every student without any history entry; returns how many (not committed)."""
    recorded = select(StudentState.student_id).distinct()
    students = db.scalars(select(Student).where(Student.id.not_in(recorded)).order_by(Student.id)).all()
    for student in students:
        record_student(db, student, day)
    return len(students)


def latest_entries(db: Session, student_ids: Iterable[int]) -> dict[int, StudentState]:
    """The latest entry (by effective date, then registration) of each of ``student_ids`` that has one."""
    ids = sorted(set(student_ids))
    latest: dict[int, StudentState] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in db.scalars(select(StudentState).where(StudentState.student_id.in_(chunk)).order_by(*ORDERED)):
            latest[row.student_id] = row
    return latest


def history_of(db: Session, student_id: int) -> list[StudentState]:
    """A student's entries, oldest first."""
    return list(db.scalars(select(StudentState).where(StudentState.student_id == student_id).order_by(*ORDERED)))


def entry_on(entries: list[StudentState], day: dt.date) -> StudentState | None:
    """The entry in force at the end of ``day`` among a student's ``entries`` (oldest first)."""
    found = None
    for entry in entries:
        if entry.effective_on > day:
            break
        found = entry
    return found


def load_histories(db: Session, until: dt.date) -> dict[int, list[Entry]]:
    """Every student's entries taking effect on or before ``until``, in order, as report entries."""
    columns = (
        StudentState.student_id,
        StudentState.effective_on,
        StudentState.id,
        StudentState.kind,
        StudentState.status,
        StudentState.programme_id,
        StudentState.year_of_study,
        StudentState.study_form,
        StudentState.funding,
        StudentState.language,
        StudentState.leave_ground,
        StudentState.leave_until,
    )
    rows = db.execute(select(*columns).where(StudentState.effective_on <= until).order_by(*ORDERED))
    return group_histories(
        (r.student_id, Entry(r.effective_on, r.id, r.kind, State(Status(r.status), *r[5:]))) for r in rows
    )
