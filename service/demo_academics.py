"""``registrar demo-data``, part two: course registration, sections and grades of the generated university.

For the academic year of the demo calendar (:mod:`service.demo`), written directly (as history, not
through today's deadlines) but by the same rules the API applies:

- every active student has a confirmed registration for the autumn and the spring period: the
  compulsory disciplines of the semester of their study plan plus one of its electives;
- the disciplines are placed in sections, one per discipline and academic group, taught by the
  teacher the timetabling generator gave that course (else a teacher of the discipline's department);
- marks are drawn around a per-student ability (current control and midterm control per half, the
  exam if admitted) and the results computed by the grading policy in force
  (:func:`models.grade_sheet.row_result`), so some students fail with FX or F, some are not admitted;
- students with such academic debts retake them in the summer period (after FX only the exam; at most
  the summer credit limit);
- a few spring sheets are left without some exam marks, so calendar monitoring has overdue sheets to show.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from datasets.synthetic_university import University
from models.grade_sheet import Marks, row_result
from models.registration_rules import semester_of_study
from service.academic.marks import apply_result
from service.academic.settings import credit_limits, grading_policy
from service.models import (
    AcademicGroup,
    Enrolment,
    Period,
    PlanDiscipline,
    Registration,
    Section,
    Student,
    StudyPlan,
    Teacher,
)

UNFILLED_SHEETS = 2
"""Spring sections whose exam marks are partly missing (for calendar monitoring)."""


class Academics:
    def __init__(self, db: Session, university: University, teachers: dict[str, Teacher], seed: int) -> None:
        self.db, self.u, self.rng = db, university, random.Random(seed + 1)
        self.policy = grading_policy(db)
        self.limits = credit_limits(db)
        self.periods = {p.kind: p for p in db.scalars(select(Period).order_by(Period.starts_on))}
        self.plans = {(p.programme_id, p.admission_year): p for p in db.scalars(select(StudyPlan))}
        self.groups = {g.id: g for g in db.scalars(select(AcademicGroup))}
        self.teachers = teachers
        self.sections: dict[tuple[int, int, int], Section] = {}
        self.ability: dict[int, float] = {}
        self.teacher_of = self.course_teachers()

    def course_teachers(self) -> dict[tuple[str, str], Teacher]:
        """(discipline code, group code) -> the teacher of the generator's course (lectures first)."""
        by_id = {c.id: c for c in self.u.instance.courses}
        out: dict[tuple[str, str], Teacher] = {}
        for course_id, group_codes in sorted(self.u.course_groups.items(), key=lambda i: "-L-" not in i[0]):
            code = course_id.split("-")[0]
            for group_code in group_codes:
                out.setdefault((code, group_code), self.teachers[by_id[course_id].teacher])
        return out

    def run(self) -> None:
        students = list(self.db.scalars(select(Student).where(Student.status == "active").order_by(Student.id)))
        for student in students:
            self.ability[student.id] = min(97.0, max(35.0, self.rng.gauss(76, 11)))
        for kind in ("autumn", "spring"):
            period = self.periods.get(kind)
            if period is not None:
                for student in students:
                    self.register(student, period)
                self.db.flush()
        self.leave_sheets_unfilled()
        summer = self.periods.get("summer")
        if summer is not None:
            for student in students:
                self.retake_debts(student, summer)
        self.db.flush()

    def register(self, student: Student, period: Period) -> None:
        plan = self.plans.get((student.programme_id, student.admission_year))
        semester = semester_of_study(student.admission_year, period.academic_year.start_year, period.kind)  # type: ignore[arg-type]
        if plan is None or semester is None or student.group_id is None:
            return
        chosen = [d for d in plan.disciplines if d.semester == semester and d.component == "compulsory"]
        electives = [d for d in plan.disciplines if d.semester == semester and d.component == "elective"]
        if electives:
            chosen.append(self.rng.choice(electives))
        if not chosen:
            return
        registration = self.form(student, period)
        for discipline in chosen:
            enrolment = self.enrol(registration, discipline, student, period, discipline.component)
            self.grade(enrolment, student)

    def form(self, student: Student, period: Period) -> Registration:
        submitted = dt.datetime.combine(period.add_deadline, dt.time(10)) - dt.timedelta(days=3)
        group = self.groups[student.group_id] if student.group_id else None
        advisor = self.db.get(Teacher, group.advisor_id) if group and group.advisor_id else None
        registration = Registration(
            student_id=student.id, period_id=period.id, status="confirmed", created_at=submitted - dt.timedelta(days=1),
            submitted_at=submitted, decided_at=submitted + dt.timedelta(days=1),
            decided_by=advisor.code if advisor else "registrar",
        )  # fmt: skip
        self.db.add(registration)
        return registration

    def enrol(self, registration: Registration, discipline: PlanDiscipline, student: Student, period: Period,
              kind: str, attempt: int = 1) -> Enrolment:  # fmt: skip
        enrolment = Enrolment(
            student_id=student.id, period_id=period.id, plan_discipline_id=discipline.id, discipline=discipline,
            credits=discipline.credits, kind=kind, attempt=attempt, marks_carried=False,
            section_id=self.section(period, discipline, student).id,
        )  # fmt: skip
        registration.enrolments.append(enrolment)
        return enrolment

    def section(self, period: Period, discipline: PlanDiscipline, student: Student) -> Section:
        assert student.group_id is not None
        key = (period.id, discipline.id, student.group_id)
        if key not in self.sections:
            group = self.groups[student.group_id]
            teacher = self.teacher_of.get((discipline.code, group.code))
            if teacher is None:  # an elective: a teacher of the group's department
                teacher = self.rng.choice(sorted(self.teachers.values(), key=lambda t: t.code))
            section = Section(period_id=period.id, plan_discipline_id=discipline.id, group_id=group.id,
                              teacher_id=teacher.id)  # fmt: skip
            self.db.add(section)
            self.db.flush()
            self.sections[key] = section
        return self.sections[key]

    def mark(self, student: Student, spread: float) -> float:
        return float(round(min(100.0, max(0.0, self.rng.gauss(self.ability[student.id], spread)))))

    def grade(self, enrolment: Enrolment, student: Student, exam_only: bool = False) -> None:
        if not exam_only:
            enrolment.current1, enrolment.midterm1 = self.mark(student, 8), self.mark(student, 11)
            enrolment.current2, enrolment.midterm2 = self.mark(student, 8), self.mark(student, 11)
        result = row_result(self.policy, self.marks(enrolment))
        if result.admitted:
            enrolment.exam = self.mark(student, 14)
            result = row_result(self.policy, self.marks(enrolment))
        apply_result(enrolment, result)

    @staticmethod
    def marks(enrolment: Enrolment) -> Marks:
        return Marks(current1=enrolment.current1, midterm1=enrolment.midterm1, current2=enrolment.current2,
                     midterm2=enrolment.midterm2, exam=enrolment.exam)  # fmt: skip

    def leave_sheets_unfilled(self) -> None:
        """Clear the exam marks of up to three students in a few spring sheets (the results become pending)."""
        spring = self.periods.get("spring")
        if spring is None:
            return
        sections = sorted((s for (p, _, _), s in self.sections.items() if p == spring.id), key=lambda s: s.id)
        for section in self.rng.sample(sections, min(UNFILLED_SHEETS, len(sections))):
            rows = self.db.scalars(
                select(Enrolment).where(Enrolment.section_id == section.id, Enrolment.exam.is_not(None))
            ).all()
            for enrolment in list(rows)[:3]:
                enrolment.exam = None
                apply_result(enrolment, row_result(self.policy, self.marks(enrolment)))

    def retake_debts(self, student: Student, summer: Period) -> None:
        """Register the student's failed disciplines in the summer period (up to its credit limit) and grade them."""
        failed = self.db.scalars(
            select(Enrolment)
            .where(Enrolment.student_id == student.id, Enrolment.outcome.is_not(None), Enrolment.outcome != "passed")
            .order_by(Enrolment.id)
        ).all()
        if not failed:
            return
        limit = self.limits.limit("summer").max_credits
        registration, total = None, 0
        for failure in failed:
            if total + failure.credits > limit:
                continue
            registration = registration or self.form(student, summer)
            retake = self.enrol(registration, failure.discipline, student, summer, "retake", failure.attempt + 1)
            retake.retake_of_id = failure.id
            total += failure.credits
            if failure.outcome == "fx_retake_exam":
                retake.marks_carried = True
                retake.current1, retake.midterm1 = failure.current1, failure.midterm1
                retake.current2, retake.midterm2 = failure.current2, failure.midterm2
                self.ability[student.id] += 6  # the retaker prepared
                self.grade(retake, student, exam_only=True)
            else:
                self.grade(retake, student)


def fill_academics(db: Session, university: University, teachers: dict[str, Teacher], seed: int) -> None:
    """Registrations, sections and grades of the demo year (see the module doc); not committed."""
    Academics(db, university, teachers, seed).run()


__all__ = ["fill_academics"]
