"""A student's results as the typed record documents are built from (:class:`models.transcript.AcademicRecord`).

The student and programme come from the records; the result lines from the registered result sources
(:func:`register_result_source`). Registered here: :func:`grade_sheet_results`, the graded enrolments of the
grade sheets (the letter and points stored with each result, the final percent recomputed from the marks).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.transcript import AcademicRecord, ResultLine, StudentInfo
from service.models import AcademicGroup, Programme, Student

ResultSource = Callable[[Session, Student], list[ResultLine]]
RESULT_SOURCES: list[ResultSource] = []


def register_result_source(source: ResultSource) -> None:
    """Add a reader of results: ``source(db, student)`` returns the student's attempts at disciplines."""
    RESULT_SOURCES.append(source)


def student_info(db: Session, student: Student) -> StudentInfo:
    programme = db.get(Programme, student.programme_id)
    assert programme is not None  # a foreign key
    group = db.get(AcademicGroup, student.group_id) if student.group_id is not None else None
    return StudentInfo(student_id=student.id, iin=student.iin, last_name=student.last_name,
                       first_name=student.first_name, middle_name=student.middle_name, birth_date=student.birth_date,
                       programme_code=programme.code, programme_en=programme.name_en, programme_kk=programme.name_kk,
                       programme_ru=programme.name_ru, level=programme.level, programme_credits=programme.credits,
                       admission_year=student.admission_year, study_form=student.study_form, funding=student.funding,
                       language=student.language, group=group.code if group else None,
                       status=student.status)  # fmt: skip


def academic_record(db: Session, student: Student) -> AcademicRecord:
    lines = [line for source in RESULT_SOURCES for line in source(db, student)]
    return AcademicRecord(student=student_info(db, student), lines=tuple(lines))


def grade_sheet_results(db: Session, student: Student) -> list[ResultLine]:
    """The student's graded attempts from the grade sheets (enrolments with a final letter); the final percent
    is recomputed from the stored marks by the grading policy in force, as the grade sheet shows it."""
    from service.academic.marks import marks_of, row_result
    from service.academic.settings import grading_policy
    from service.models import Enrolment

    policy = grading_policy(db)
    rows = db.scalars(select(Enrolment).where(Enrolment.student_id == student.id, Enrolment.letter.is_not(None))
                      .order_by(Enrolment.id))  # fmt: skip
    out = []
    for enrolment in rows:
        final = row_result(policy, marks_of(enrolment)).final
        discipline = enrolment.discipline
        out.append(ResultLine(semester=discipline.semester, code=discipline.code, name_en=discipline.name_en,
                              name_kk=discipline.name_kk, name_ru=discipline.name_ru, credits=enrolment.credits,
                              control=discipline.control, attempt=enrolment.attempt,
                              percent=final.final_percent if final else None, letter=enrolment.letter,
                              points=enrolment.points))  # fmt: skip
    return out


register_result_source(grade_sheet_results)
