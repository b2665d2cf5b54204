"""Calendar monitoring: grade sheets not filled in by their deadline (per control) and students not
admitted to the exam (the rules are in :mod:`service.schemas.monitoring`).

Both lists can be narrowed to a period, a faculty (the dean's office), a teacher and more; a caller who
only teaches sees the sections they teach (``teacher_id`` forced by the view).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from models.grade_sheet import row_result
from service.academic.marks import CONTROLS, deadline, marks_of, missing_by_section, reopened_until
from service.academic.settings import grading_policy
from service.clock import today
from service.models import (
    AcademicGroup,
    Enrolment,
    Period,
    PlanDiscipline,
    Programme,
    Section,
    Student,
    StudyPlan,
    Teacher,
)
from service.schemas.common import Page
from service.schemas.monitoring import NotAdmittedQuery, NotAdmittedStudent, OverdueQuery, OverdueSheet


def section_conditions(period_id: int | None, faculty_id: int | None, teacher_id: int | None,
                       ) -> list[ColumnElement[bool]]:  # fmt: skip
    conditions: list[ColumnElement[bool]] = []
    if period_id is not None:
        conditions.append(Section.period_id == period_id)
    if teacher_id is not None:
        conditions.append(Section.teacher_id == teacher_id)
    if faculty_id is not None:
        faculty_plans = select(StudyPlan.id).join(Programme, Programme.id == StudyPlan.programme_id)
        disciplines = select(PlanDiscipline.id).where(
            PlanDiscipline.plan_id.in_(faculty_plans.where(Programme.faculty_id == faculty_id))
        )
        conditions.append(Section.plan_discipline_id.in_(disciplines))
    return conditions


def overdue_sheets(db: Session, query: OverdueQuery) -> Page[OverdueSheet]:
    """The overdue (section, control) pairs on ``query.as_of`` (default today), earliest deadline first."""
    day = query.as_of or today()
    conditions = section_conditions(query.period_id, query.faculty_id, query.teacher_id)
    students = func.count(Enrolment.id).label("students")
    rows = db.execute(
        select(Section, Period, AcademicGroup.code, Teacher, students)
        .join(Period, Period.id == Section.period_id)
        .join(AcademicGroup, AcademicGroup.id == Section.group_id)
        .join(Enrolment, Enrolment.section_id == Section.id)
        .outerjoin(Teacher, Teacher.id == Section.teacher_id)
        .where(*conditions, Period.rk1_deadline < day)  # nothing is due before the first deadline
        .group_by(Section.id, Period.id, AcademicGroup.code, Teacher.id)
    ).all()
    ids = [section.id for section, *_ in rows]
    missing = missing_by_section(db, ids)
    extended = reopened_until(db, ids)
    found = []
    for section, period, group_code, teacher, count in rows:
        for control in CONTROLS:
            if query.control is not None and control != query.control:
                continue
            due = deadline(period, control)
            until = max(due, extended.get((section.id, control), due))
            gaps = missing[section.id][control]
            if day > until and gaps:
                found.append(
                    OverdueSheet(
                        section_id=section.id,
                        period_id=period.id,
                        code=section.code,
                        name_en=section.name_en,
                        group_id=section.group_id,
                        group_code=group_code,
                        teacher_id=section.teacher_id,
                        teacher_name=f"{teacher.last_name} {teacher.first_name}" if teacher else None,
                        control=control,  # type: ignore[arg-type]
                        deadline=due,
                        open_until=until,
                        days_overdue=(day - until).days,
                        missing=gaps,
                        students=count,
                    )
                )
    found.sort(key=lambda o: (o.open_until, o.code, o.group_code, o.control))
    return paged(found, query.page, query.per_page)


def not_admitted(db: Session, query: NotAdmittedQuery) -> Page[NotAdmittedStudent]:
    """Students with a rating below the admission minimum, by period, discipline and name."""
    policy = grading_policy(db)
    conditions = section_conditions(query.period_id, query.faculty_id, query.teacher_id)
    if query.group_id is not None:
        conditions.append(Section.group_id == query.group_id)
    if query.section_id is not None:
        conditions.append(Section.id == query.section_id)
    base = (
        select(Enrolment, Student, Section)
        .join(Section, Section.id == Enrolment.section_id)
        .join(Student, Student.id == Enrolment.student_id)
        .where(*conditions, Enrolment.admitted.is_(False))
    )
    total = db.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = db.execute(
        base.order_by(Section.period_id, Section.plan_discipline_id, Student.last_name, Student.first_name, Student.id)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    items = []
    for enrolment, student, section in rows:
        result = row_result(policy, marks_of(enrolment))
        items.append(
            NotAdmittedStudent(
                enrolment_id=enrolment.id,
                student_id=student.id,
                last_name=student.last_name,
                first_name=student.first_name,
                group_id=section.group_id,
                section_id=section.id,
                period_id=section.period_id,
                code=section.code,
                teacher_id=section.teacher_id,
                rk1=result.rk1,
                rk2=result.rk2,
                minimum=policy.admission_minimum,
            )
        )
    return Page[NotAdmittedStudent](items=items, total=total, page=query.page, per_page=query.per_page)


def paged(items: list[OverdueSheet], page: int, per_page: int) -> Page[OverdueSheet]:
    start = (page - 1) * per_page
    return Page[OverdueSheet](items=items[start : start + per_page], total=len(items), page=page, per_page=per_page)
