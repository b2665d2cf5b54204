"""Web pages of grades: the record book on a student's record page, and grade sheets for teachers.

- The student record page gets a "Grades and GPA" section: every period with its disciplines, marks,
  letters, the period's and the cumulative GPA, and the academic debts. It shows to those who may read
  the record book through the API (:data:`service.records.standing.BOOK_READERS`): the record keepers,
  the student, the advisor of the student's group.
- ``/grade-sheets``: the sections the signed-in teacher teaches; a record keeper sees every section
  (of one period at a time).
- ``/grade-sheets/<id>``: a section's grade sheet under the API's rules (the teacher of the section or a
  record keeper reads it). The teacher of the section, or the registrar, enters marks in a form
  (CSRF-protected); a control's inputs are open only while its deadline (or a reopening) allows, and
  the marks go through :func:`service.academic.marks.enter`: all or nothing, each problem shown at its
  student and field.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from pydantic import ValidationError
from sqlalchemy import func, select

from models.grade_sheet import MARK_FIELDS
from service import audit, db
from service.academic import marks
from service.academic.record_book import record_book
from service.auth import has_full_access, require_actor
from service.errors import Forbidden, Unprocessable, field_errors
from service.models import AcademicGroup, Enrolment, Period, Section, Student
from service.records.crud import commit
from service.records.sections import MARKERS, SHEET_READERS, taught_section
from service.records.standing import BOOK_READERS
from service.schemas.sections import RowMarks
from service.web.forms import LogoutForm
from service.web.nav import register_nav
from service.web.pages import page
from service.web.record import RecordSection, register_record_section

FIELD_CONTROL = {"current1": "rk1", "midterm1": "rk1", "current2": "rk2", "midterm2": "rk2", "exam": "exam"}


def record_book_section(session: Any, student: Student) -> dict[str, Any]:
    return {"book": record_book(session, student.id)}


register_record_section(RecordSection("Grades and GPA", "web/sections/grades.html", record_book_section,
                                      BOOK_READERS))  # fmt: skip


@page("/grade-sheets", roles=SHEET_READERS)
def grade_sheets() -> ResponseReturnValue:
    session = db.session()
    periods = session.scalars(select(Period).order_by(Period.starts_on.desc())).all()
    students = func.count(Enrolment.id).label("students")
    query = (
        select(Section, AcademicGroup.code, Period, students)
        .join(AcademicGroup, AcademicGroup.id == Section.group_id)
        .join(Period, Period.id == Section.period_id)
        .outerjoin(Enrolment, Enrolment.section_id == Section.id)
        .group_by(Section.id, AcademicGroup.code, Period.id)
        .order_by(Period.starts_on.desc(), Section.plan_discipline_id, AcademicGroup.code)
    )
    chosen = None
    if has_full_access():
        wanted = request.args.get("period", "")
        chosen = next((p for p in periods if str(p.id) == wanted), periods[0] if periods else None)
        query = query.where(Section.period_id == (chosen.id if chosen else -1))
    else:
        query = query.where(Section.teacher_id == (require_actor().teacher_id or -1))
    rows = session.execute(query.limit(500)).all()
    return render_template("web/grades/sheets.html", rows=rows, periods=periods, chosen=chosen,
                           everyone=has_full_access(), logout_form=LogoutForm())  # fmt: skip


@page("/grade-sheets/<int:id>", roles=SHEET_READERS, methods=("GET", "POST"))
def grade_sheet(id: int) -> ResponseReturnValue:
    session = db.session()
    taught_section(id)
    actor = require_actor()
    may_enter = MARKERS.admits(actor.roles, signed_in=True) and (
        "registrar" in actor.roles or session.get(Section, id).teacher_id == actor.teacher_id  # type: ignore[union-attr]
    )
    problems: dict[tuple[int, str], str] = {}
    general: list[str] = []
    sent: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not may_enter:
            raise Forbidden(f"{actor.username} may read this grade sheet but not enter its marks")
        sent = {k: v for k, v in request.form.items() if k != "csrf_token"}
        try:
            rows = parse_rows(sent)
            audit.set_reason(sent.get("reason", "").strip() or None)
            if rows:
                marks.enter(session, id, rows)
                commit(session)
            flash(f"Marks saved ({len(rows)} student{'s' if len(rows) != 1 else ''}).")
            return redirect(url_for("web.grade_sheet", id=id))
        except Unprocessable as exc:
            session.rollback()
            status = 422
            order = [r.enrolment_id for r in parse_rows(sent, strict=False)]
            for error in exc.errors:
                parts = (error.field or "").split(".")
                if len(parts) == 3 and parts[0] == "rows" and parts[1].isdigit() and int(parts[1]) < len(order):
                    problems[order[int(parts[1])], parts[2]] = error.message
                elif len(parts) == 2 and parts[0].isdigit():
                    problems[int(parts[0]), parts[1]] = error.message
                else:
                    general.append(error.message)
    sheet = marks.sheet(session, id)
    windows = {w.control: w for w in sheet.controls}
    period = session.get(Period, sheet.section.period_id)
    group = session.get(AcademicGroup, sheet.section.group_id)
    return render_template("web/grades/sheet.html", sheet=sheet, windows=windows, period=period, group=group,
                           may_enter=may_enter, problems=problems, general=general, sent=sent, fields=MARK_FIELDS,
                           field_control=FIELD_CONTROL, logout_form=LogoutForm()), status  # fmt: skip


def parse_rows(form: dict[str, str], strict: bool = True) -> list[RowMarks]:
    """The form's inputs ``<enrolment id>-<mark>`` as rows of marks: an empty input clears a mark, an input
    not sent (a closed control) leaves it as it is. 422 naming ``<enrolment id>.<mark>`` for a bad number."""
    values: dict[int, dict[str, float | None]] = {}
    errors = []
    for key, raw in form.items():
        enrolment, _, name = key.partition("-")
        if not enrolment.isdigit() or name not in MARK_FIELDS:
            continue
        text = raw.strip().replace(",", ".")
        try:
            values.setdefault(int(enrolment), {})[name] = float(text) if text else None
        except ValueError:
            errors.append((f"{enrolment}.{name}", f"{raw!r} is not a number"))
    rows = []
    for enrolment_id, given in values.items():
        try:
            rows.append(RowMarks.model_validate({"enrolment_id": enrolment_id, **given}))
        except ValidationError as exc:
            errors += [(f"{enrolment_id}.{e.field}", e.message) for e in field_errors(exc)]
    if errors and strict:
        from service.errors import FieldError

        raise Unprocessable([FieldError(field, message) for field, message in errors])
    return rows


register_nav("Grade sheets", "web.grade_sheets")
