"""Sections and their grade sheets: list, create, change the teacher, build from confirmed registrations,
read the sheet, enter marks, reopen a control after its deadline.

Database rules (beyond the schemas, :mod:`service.schemas.sections`): a section's discipline belongs to
the study plan of a programme the group belongs to; once a section has students only its teacher
changes; a section with students is not deleted.

Access: every role lists and reads sections; the registrar creates, changes and builds them and reopens
sheets. A grade sheet is read by the registrar, vice-rector, exam coordinator and archivist, and by the
teacher of the section; marks are entered by the section's teacher (only the sections they teach) or the
registrar. A teacher also reaches, as students (:mod:`service.auth.scopes`), the students of their sections.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from sqlalchemy import ColumnElement, false, func, select
from sqlalchemy.orm import Session

from service.academic import marks
from service.academic import registration as forms
from service.api.routing import endpoint
from service.auth import (
    EVERY_ROLE,
    REGISTRAR,
    Actor,
    allow,
    has_full_access,
    register_student_scope,
    require_actor,
)
from service.auth.roles import RECORD_READERS
from service.db import session
from service.errors import FieldError, Forbidden
from service.models import AcademicGroup, Enrolment, Period, PlanDiscipline, Section, Student, StudyPlan, Teacher
from service.records.crud import Resource, commit, register
from service.schemas.registration import SectionBuild, SectionBuildOut
from service.schemas.sections import (
    GradeSheetOut,
    MarksEntry,
    ReopeningCreate,
    ReopeningOut,
    SectionCreate,
    SectionOut,
    SectionQuery,
)

bp = Blueprint("sections", __name__)
TAUGHT = "sections they teach"
SHEET_READERS = allow(*RECORD_READERS).scoped(teacher=TAUGHT)
MARKERS = allow("registrar").scoped(teacher=TAUGHT)


def _taught_students(actor: Actor) -> ColumnElement[bool]:
    if actor.teacher_id is None:
        return false()
    taught = select(Enrolment.student_id).join(Section, Section.id == Enrolment.section_id)
    return Student.id.in_(taught.where(Section.teacher_id == actor.teacher_id))


register_student_scope("teacher", _taught_students)


def taught_section(section_id: int) -> Section:
    """The section (404 if unknown), 403 unless the caller has a full role or teaches it."""
    section = marks.find_section(session(), section_id)
    if not has_full_access():
        actor = require_actor()
        if section.teacher_id is None or actor.teacher_id != section.teacher_id:
            raise Forbidden(f"{actor.username} does not teach section {section.id}")
    return section


def section_rules(db: Session, data: SectionCreate, row: Section | None) -> list[FieldError]:
    discipline = db.get(PlanDiscipline, data.plan_discipline_id)
    group = db.get(AcademicGroup, data.group_id)
    assert discipline is not None and group is not None  # checked as references
    plan = db.get(StudyPlan, discipline.plan_id)
    assert plan is not None
    errors = []
    if plan.programme_id != group.programme_id:
        errors.append(FieldError("group_id", f"group {group.code} is not of the programme of discipline "
                                             f"{discipline.code}'s study plan"))  # fmt: skip
    if row is not None:
        students = db.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.section_id == row.id))
        for name in ("period_id", "plan_discipline_id", "group_id"):
            if students and getattr(data, name) != getattr(row, name):
                errors.append(FieldError(name, f"the section has {students} students: only its teacher changes"))
    return errors


SECTIONS = Resource(
    "/sections",
    Section,
    SectionCreate,
    SectionOut,
    SectionQuery,
    references={
        "period_id": Period,
        "plan_discipline_id": PlanDiscipline,
        "group_id": AcademicGroup,
        "teacher_id": Teacher,
    },
    unique=[("period_id", "plan_discipline_id", "group_id")],
    rules=section_rules,
    read=EVERY_ROLE,
    write=REGISTRAR,
)
register(bp, SECTIONS, "sections")


@endpoint(bp, "/sections/build", "POST", name="build_sections",
          summary="Place the disciplines of a period's confirmed registrations in sections", body=SectionBuild,
          response=SectionBuildOut, errors=(409,), roles=REGISTRAR, audited=True,
          description="One section per discipline and academic group, created when missing; disciplines "
          "already placed stay where they are.")  # fmt: skip
def build(body: SectionBuild) -> Any:
    db = session()
    created, placed = forms.build_sections(db, body.period_id)
    commit(db)
    return SectionBuildOut(sections_created=created, enrolments_placed=placed)


@endpoint(bp, "/sections/<int:id>/grade-sheet", "GET", name="get_grade_sheet",
          summary="A section's grade sheet: marks, ratings, admission and results", response=GradeSheetOut,
          roles=SHEET_READERS)  # fmt: skip
def grade_sheet(id: int) -> GradeSheetOut:
    taught_section(id)
    return marks.sheet(session(), id)


@endpoint(bp, "/sections/<int:id>/marks", "POST", name="enter_marks",
          summary="Enter marks on a section's grade sheet (all or nothing)", body=MarksEntry,
          response=GradeSheetOut, errors=(409,), roles=MARKERS, audited=True,
          description="Each mark only until its control's grade-entry deadline unless the registrar reopened it; "
          "the ratings and the result follow the grading policy in force.")  # fmt: skip
def enter_marks(id: int, body: MarksEntry) -> GradeSheetOut:
    db = session()
    taught_section(id)
    marks.enter(db, id, body.rows)
    commit(db)
    return marks.sheet(db, id)


@endpoint(bp, "/sections/<int:id>/reopenings", "POST", name="reopen_grade_sheet",
          summary="Allow late entry of one control's marks of a section (the registrar)", body=ReopeningCreate,
          response=ReopeningOut, status=201, roles=REGISTRAR, audited=True)  # fmt: skip
def reopen(id: int, body: ReopeningCreate) -> ReopeningOut:
    db = session()
    reopening = marks.reopen(db, id, body, require_actor().username)
    commit(db)
    return ReopeningOut.model_validate(reopening)
