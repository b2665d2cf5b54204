"""The electronic record book of one student: every discipline with its marks and result, per period, the
period's GPA and the cumulative GPA after it (by :func:`models.grading.gpa`), and the academic debts.

The counting rule is :mod:`service.academic.standing`'s: within the periods considered, a result replaced
by a graded retake no longer counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.grade_sheet import row_result
from models.grading import display_gpa, gpa
from service.academic import debts
from service.academic.marks import marks_of
from service.academic.settings import grading_policy
from service.errors import NotFound
from service.models import AcademicYear, Enrolment, Period, Student
from service.schemas.standing import DebtOut, RecordBookOut, RecordEntry, RecordPeriod


def find_student(db: Session, student_id: int) -> Student:
    student = db.get(Student, student_id) if 0 < student_id < 2**31 else None
    if student is None:
        raise NotFound(f"no student with id {student_id}")
    return student


def counted(enrolments: Iterable[Enrolment]) -> list[Enrolment]:
    """The graded enrolments that count among ``enrolments``: those not retaken by a graded one among them."""
    graded = [e for e in enrolments if e.letter is not None]
    replaced = {e.retake_of_id for e in graded if e.retake_of_id is not None}
    return [e for e in graded if e.id not in replaced]


def exact_gpa(enrolments: Iterable[Enrolment]) -> float | None:
    """GPA of the counted results (``None`` without any)."""
    return gpa((e.points_hundredths / 100, e.credits) for e in counted(enrolments))  # type: ignore[operator]


def shown(value: float | None) -> str | None:
    return None if value is None else display_gpa(value)


def record_book(db: Session, student_id: int) -> RecordBookOut:
    student = find_student(db, student_id)
    policy = grading_policy(db)
    rows = db.execute(
        select(Enrolment, Period, AcademicYear)
        .join(Period, Period.id == Enrolment.period_id)
        .join(AcademicYear, AcademicYear.id == Period.academic_year_id)
        .where(Enrolment.student_id == student.id)
        .order_by(Period.starts_on, Enrolment.id)
    ).all()
    everything = [e for e, _, _ in rows]
    final = {e.id for e in counted(everything)}
    periods = []
    so_far: list[Enrolment] = []
    for (period, year), group in groupby(rows, key=lambda r: (r[1], r[2])):
        enrolments = [e for e, _, _ in group]
        so_far.extend(enrolments)
        period_gpa, cumulative = exact_gpa(enrolments), exact_gpa(so_far)
        periods.append(
            RecordPeriod(
                period_id=period.id,
                academic_year=f"{year.start_year}/{year.start_year + 1}",
                kind=period.kind,
                starts_on=period.starts_on,
                entries=[entry(policy, e, e.id in final) for e in enrolments],
                credits_graded=sum(e.credits for e in enrolments if e.letter is not None),
                gpa=period_gpa,
                gpa_display=shown(period_gpa),
                cumulative_gpa=cumulative,
                cumulative_display=shown(cumulative),
            )
        )
    overall = exact_gpa(everything)
    return RecordBookOut(
        student_id=student.id,
        iin=student.iin,
        last_name=student.last_name,
        first_name=student.first_name,
        middle_name=student.middle_name,
        programme_id=student.programme_id,
        group_id=student.group_id,
        admission_year=student.admission_year,
        status=student.status,
        periods=periods,
        credits_earned=sum(e.credits for e in everything if e.outcome == "passed"),
        gpa=overall,
        gpa_display=shown(overall),
        debts=[debt_view(d) for d in debts.debts(db, policy, student.id)],
    )


def entry(policy: object, enrolment: Enrolment, is_counted: bool) -> RecordEntry:
    result = row_result(policy, marks_of(enrolment))  # type: ignore[arg-type]
    final = result.final
    discipline = enrolment.discipline
    return RecordEntry(
        enrolment_id=enrolment.id,
        plan_discipline_id=enrolment.plan_discipline_id,
        code=discipline.code,
        name_en=discipline.name_en,
        credits=enrolment.credits,
        control=discipline.control,
        kind=enrolment.kind,
        attempt=enrolment.attempt,
        section_id=enrolment.section_id,
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
        counted=is_counted,
    )


def debt_view(debt: debts.Debt) -> DebtOut:
    failure = debt.last_failure
    return DebtOut(
        plan_discipline_id=failure.plan_discipline_id,
        code=failure.discipline.code,
        name_en=failure.discipline.name_en,
        credits=failure.credits,
        letter=failure.letter or "",
        outcome=failure.outcome or "",
        failed_in_period_id=failure.period_id,
        failures=debt.failures,
        retake_status=debt.status.value,
        retake_enrolment_id=debt.retake.id if debt.retake else None,
    )
