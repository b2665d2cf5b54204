"""A student's results as the typed record documents are built from (:class:`models.transcript.AcademicRecord`).

The student and programme come from the records; the result lines from the registered result sources
(:func:`register_result_source`): the grades area registers the reader of its grade sheets, so documents
do not depend on how results are stored. With no source registered, a record has no result lines.
"""

from __future__ import annotations

from collections.abc import Callable

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
