"""Grade sheets over the database: the deadline windows, entering marks, results, reopening a sheet.

The rules are in :mod:`service.schemas.sections`; the results come from
:func:`models.grade_sheet.row_result` under the grading policy in force. A batch of marks is checked
completely before anything is written: a refused batch changes nothing. Changed marks and results and
reopenings are written to the audit log with the change.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.grade_sheet import CONTROL_OF_MARK, MARK_FIELDS, Marks, RowResult, row_result
from models.grading import GradingPolicy
from service.academic.history import ENROLMENT_FIELDS, created, snapshot, updated
from service.academic.settings import grading_policy
from service.clock import now, today
from service.errors import FieldError, NotFound, Unprocessable
from service.models import Enrolment, Period, Section, SheetReopening, Student
from service.schemas.sections import (
    ControlWindow,
    GradeSheetOut,
    ReopeningCreate,
    ReopeningOut,
    RowMarks,
    SectionOut,
    SheetRow,
)

CONTROLS: tuple[str, ...] = ("rk1", "rk2", "exam")
CONTROL_NAMES = {"rk1": "RK1", "rk2": "RK2", "exam": "exam"}


def find_section(db: Session, section_id: int, *, lock: bool = False) -> Section:
    row = db.get(Section, section_id, with_for_update=lock) if 0 < section_id < 2**31 else None
    if row is None:
        raise NotFound(f"no section with id {section_id}")
    return row


def deadline(period: Period, control: str) -> dt.date:
    """The period's grade-entry deadline of ``control`` (``rk1``, ``rk2`` or ``exam``)."""
    return {"rk1": period.rk1_deadline, "rk2": period.rk2_deadline, "exam": period.exam_deadline}[control]


def reopened_until(db: Session, section_ids: Iterable[int]) -> dict[tuple[int, str], dt.date]:
    """(section, control) -> the latest day a reopening allows, for the sections that have one."""
    ids = list(section_ids)
    if not ids:
        return {}
    rows = db.execute(
        select(SheetReopening.section_id, SheetReopening.control, func.max(SheetReopening.until))
        .where(SheetReopening.section_id.in_(ids))
        .group_by(SheetReopening.section_id, SheetReopening.control)
    )
    return {(section_id, control): until for section_id, control, until in rows}


def windows(db: Session, section: Section, period: Period, as_of: dt.date | None = None) -> list[ControlWindow]:
    """The entry window of each control of the section's sheet on ``as_of`` (default today)."""
    day = as_of or today()
    extended = reopened_until(db, [section.id])
    out = []
    for control in CONTROLS:
        due = deadline(period, control)
        until = max(due, extended.get((section.id, control), due))
        out.append(ControlWindow(control=control, deadline=due, open_until=until, open=day <= until))  # type: ignore[arg-type]
    return out


def marks_of(enrolment: Enrolment, changes: dict[str, float | None] | None = None) -> Marks:
    values = {name: getattr(enrolment, name) for name in MARK_FIELDS} | (changes or {})
    return Marks(**values)


def hundredths(points: float) -> int:
    """Grade points as stored: x 100, exact (the policy's points have at most two decimals)."""
    return int(Decimal(repr(points)) * 100)


def apply_result(enrolment: Enrolment, result: RowResult) -> None:
    """Store the admission and final result on the enrolment (cleared while in progress)."""
    enrolment.admitted = result.admitted
    final = result.final
    letter = final.letter if final else None
    points = hundredths(final.points) if final else None
    outcome = final.outcome.value if final else None
    if (enrolment.letter, enrolment.points_hundredths, enrolment.outcome) != (letter, points, outcome):
        enrolment.letter, enrolment.points_hundredths, enrolment.outcome = letter, points, outcome
        enrolment.graded_at = now() if final else None


def enter(db: Session, section_id: int, rows: Sequence[RowMarks]) -> list[Enrolment]:
    """Enter marks on the section's sheet (not committed); 422 listing every refused field, nothing written."""
    section = find_section(db, section_id, lock=True)
    period = db.get(Period, section.period_id)
    assert period is not None
    policy = grading_policy(db)
    enrolments = {e.id: e for e in db.scalars(select(Enrolment).where(Enrolment.section_id == section.id))}
    open_now = {w.control: w for w in windows(db, section, period)}
    errors: list[FieldError] = []
    planned: list[tuple[Enrolment, dict[str, float | None], RowResult]] = []
    for index, row in enumerate(rows):
        where = f"rows.{index}"
        enrolment = enrolments.get(row.enrolment_id)
        if enrolment is None:
            errors.append(FieldError(f"{where}.enrolment_id", f"enrolment {row.enrolment_id} is not on this sheet"))
            continue
        given = {name: getattr(row, name) for name in MARK_FIELDS if name in row.model_fields_set}
        changes = {name: value for name, value in given.items() if value != getattr(enrolment, name)}
        row_errors = [
            FieldError(f"{where}.{name}", message)
            for name in changes
            if (message := refusal(enrolment, name, open_now[CONTROL_OF_MARK[name]]))
        ]
        if not row_errors:
            try:
                planned.append((enrolment, changes, row_result(policy, marks_of(enrolment, changes))))
            except ValueError as exc:
                field = "exam" if "exam" in changes or not changes else next(iter(changes))
                row_errors.append(FieldError(f"{where}.{field}", explain(str(exc), enrolment, changes)))
        errors.extend(row_errors)
    if errors:
        raise Unprocessable(errors)
    for enrolment, changes, result in planned:
        before = snapshot(enrolment, ENROLMENT_FIELDS)
        for name, value in changes.items():
            setattr(enrolment, name, value)
        apply_result(enrolment, result)
        updated(db, enrolment, before)
    db.flush()
    return [e for e, _, _ in planned]


def refusal(enrolment: Enrolment, name: str, window: ControlWindow) -> str | None:
    """Why ``name`` may not change on this row now, or ``None``."""
    if enrolment.marks_carried and name != "exam":
        return f"attempt {enrolment.attempt} retakes only the exam: the RK1 and RK2 marks are carried over"
    if not window.open:
        return (
            f"the {CONTROL_NAMES[window.control]} grade-entry deadline {window.open_until} has passed; "
            "the registrar can reopen the sheet"
        )
    return None


def explain(message: str, enrolment: Enrolment, changes: dict[str, float | None]) -> str:
    """The model's refusal, with the advice to clear the exam first when a rating change causes it."""
    if "exam" not in changes and enrolment.exam is not None:
        return f"{message}; clear the exam mark first"
    return message


def reopen(db: Session, section_id: int, body: ReopeningCreate, actor: str) -> SheetReopening:
    """The registrar allows late entry of one control until ``body.until`` (not committed)."""
    section = find_section(db, section_id)
    period = db.get(Period, section.period_id)
    assert period is not None
    due = deadline(period, body.control)
    if body.until < today():
        raise Unprocessable(f"{body.until} is in the past (today is {today()})", field="until")
    if body.until <= due:
        raise Unprocessable(f"must be after the {CONTROL_NAMES[body.control]} deadline {due}", field="until")
    reopening = SheetReopening(section_id=section.id, control=body.control, until=body.until, reason=body.reason,
                               created_at=now(), created_by=actor)  # fmt: skip
    db.add(reopening)
    db.flush()
    created(db, reopening, ("section_id", "control", "until", "reason"), body.reason)
    return reopening


def sheet(db: Session, section_id: int) -> GradeSheetOut:
    """The section's grade sheet: windows, rows (by student name) with ratings and results, reopenings."""
    section = find_section(db, section_id)
    period = db.get(Period, section.period_id)
    assert period is not None
    policy = grading_policy(db)
    pairs = db.execute(
        select(Enrolment, Student)
        .join(Student, Student.id == Enrolment.student_id)
        .where(Enrolment.section_id == section.id)
        .order_by(Student.last_name, Student.first_name, Student.id)
    ).all()
    reopenings = db.scalars(
        select(SheetReopening).where(SheetReopening.section_id == section.id).order_by(SheetReopening.id)
    )
    return GradeSheetOut(
        section=SectionOut.model_validate(section),
        controls=windows(db, section, period),
        rows=[sheet_row(policy, enrolment, student) for enrolment, student in pairs],
        reopenings=[ReopeningOut.model_validate(r) for r in reopenings],
    )


def sheet_row(policy: GradingPolicy, enrolment: Enrolment, student: Student) -> SheetRow:
    """A row as shown: the stored marks and result, the ratings recomputed by ``policy``."""
    result = row_result(policy, marks_of(enrolment))
    final = result.final
    return SheetRow(
        enrolment_id=enrolment.id,
        student_id=student.id,
        last_name=student.last_name,
        first_name=student.first_name,
        attempt=enrolment.attempt,
        kind=enrolment.kind,
        marks_carried=enrolment.marks_carried,
        current1=enrolment.current1,
        midterm1=enrolment.midterm1,
        rk1=result.rk1,
        current2=enrolment.current2,
        midterm2=enrolment.midterm2,
        rk2=result.rk2,
        admission_rating=result.admission_rating,
        admitted=enrolment.admitted,
        exam=enrolment.exam,
        final_percent=final.final_percent if final else None,
        final_rounded=final.final_rounded if final else None,
        letter=enrolment.letter,
        points=enrolment.points,
        outcome=enrolment.outcome,
    )


def missing_by_section(db: Session, section_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Per section, the rows still missing each control's marks (the exam: admitted students only)."""
    out: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CONTROLS, 0))
    if not section_ids:
        return out
    e = Enrolment
    rows = db.execute(
        select(
            e.section_id,
            func.count().filter(~e.marks_carried, (e.current1.is_(None)) | (e.midterm1.is_(None))),
            func.count().filter(~e.marks_carried, (e.current2.is_(None)) | (e.midterm2.is_(None))),
            func.count().filter(e.admitted.is_(True), e.exam.is_(None)),
        )
        .where(e.section_id.in_(section_ids))
        .group_by(e.section_id)
    )
    for section_id, rk1, rk2, exam in rows:
        out[section_id] = {"rk1": rk1, "rk2": rk2, "exam": exam}
    return out
