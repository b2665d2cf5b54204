"""Web pages of the movement of the contingent, under the same role rules as their API endpoints.

- ``/orders``: the register (filters by kind and year); ``/orders/<id>``: an order with its students;
- ``/orders/new?kind=...``: the registrar registers an order: the students one per line (IIN or id,
  optionally an approved application's id after it), or for an enrollment or transfer in the new
  students (``IIN; last name; first name; middle name``: the birth date and sex come from the IIN),
  and the parameters of the kind; the order is checked and applied exactly as ``POST /api/orders``
  (all students or none), and a refusal shows every problem next to the student it concerns;
- ``/contingent``: the reports (movement, contingent on a day, state form, students on leave, expelled)
  as tables, with CSV and Excel downloads (the API's exports);
- ``/applications``, ``/applications/<id>`` (review and documents), ``/applications/new``;
- a "Status history" section on the student record page (:mod:`service.web.record`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models.contingent import (
    APPLICANT_KINDS,
    KIND_RULES,
    ApplicationKind,
    ApplicationState,
    OrderKind,
    kind_title,
    order_number,
)
from models.contingent_report import Period, PeriodError
from models.iin import InvalidIIN, parse_iin
from service import audit, db
from service.auth import REGISTRAR, has_full_access, require_actor
from service.contingent import exports, reports
from service.contingent.applications import attach, decide, find_application, submit
from service.contingent.history import history_of
from service.contingent.orders import load_order, register_order, student_names
from service.contingent.policy import load_policy
from service.errors import ApiError, BadRequest, Forbidden, NotFound, field_errors
from service.models import AcademicGroup, Application, Order, OrderItem, Programme, Student
from service.records.applications import APPLICANTS, APPLICATION_READERS
from service.records.contingent import REPORT_READERS
from service.records.orders import HISTORY_READERS, ORDER_READERS
from service.schemas.applications import ApplicationCreate, ApplicationDecision, DocumentIn
from service.schemas.common import INT_MAX
from service.schemas.contingent import DIMENSIONS, STATE_FORM_DIMENSIONS, ListPeriodQuery
from service.schemas.orders import OrderCreate
from service.web.nav import register_nav
from service.web.pages import page
from service.web.record import RecordSection, register_record_section

ITEM_FIELDS: dict[str, tuple[str, str]] = {
    "programme_id": ("Programme", "programme"),
    "group_id": ("Group", "group"),
    "study_form": ("Form of study", "choice"),
    "funding": ("Funding", "choice"),
    "language": ("Language", "choice"),
    "year_of_study": ("Year of study", "number"),
    "leave_ground": ("Leave ground", "ground"),
    "leave_until": ("Leave until", "date"),
    "commission_number": ("Commission conclusion No.", "text"),
    "commission_date": ("Conclusion date", "date"),
    "child_birth_date": ("Child's birth date", "date"),
    "last_name": ("New last name", "text"),
    "first_name": ("New first name", "text"),
    "middle_name": ("New patronymic", "text"),
    "other_university": ("Other university", "text"),
    "missed_hours": ("Missed hours", "number"),
}
"""Item parameters a form may show (label, input kind), in the form's order."""
CHOICES: dict[str, tuple[str, ...]] = {
    "study_form": ("full_time", "part_time", "distance"),
    "funding": ("state_grant", "paid"),
    "language": ("kk", "ru", "en"),
}
NEW_TERMS = ("programme_id", "group_id", "study_form", "funding", "language")
"""Terms of study a new student's form asks for (the item's own fields are the rest)."""
REPORTS = {
    "movement": "Movement of the contingent",
    "contingent": "Contingent on a day",
    "state-form": "State form",
    "on-leave": "Students on academic leave",
    "expelled": "Expelled students",
}


def _kind(text: str | None) -> OrderKind | None:
    try:
        return OrderKind(text) if text else None
    except ValueError:
        return None


# -- the register


@page("/orders", roles=ORDER_READERS)
def orders() -> ResponseReturnValue:
    session = db.session()
    kind = _kind(request.args.get("kind"))
    year = request.args.get("year", "")
    conditions: list[Any] = []
    if kind is not None:
        conditions.append(Order.kind == kind.value)
    if year.isdigit() and len(year) == 4:
        conditions.append(Order.year == int(year))
    found = session.scalars(
        select(Order)
        .where(*conditions)
        .options(selectinload(Order.items), selectinload(Order.cancelled_by))
        .order_by(Order.date.desc(), Order.id.desc())
        .limit(200)
    ).all()
    total = session.scalar(select(func.count()).select_from(Order).where(*conditions)) or 0
    return render_template(
        "web/contingent/orders.html",
        orders=found,
        total=total,
        kinds=list(OrderKind),
        kind=kind,
        year=year,
        number=_number,
        title=kind_title,
        may_register=REGISTRAR.admits(require_actor().roles, True),
    )


def _number(order: Order) -> str:
    return order_number(OrderKind(order.kind), order.year, order.sequence)


@page("/orders/<int:id>", roles=ORDER_READERS)
def order(id: int) -> ResponseReturnValue:
    session = db.session()
    found = load_order(session, id) if 0 < id <= INT_MAX else None
    if found is None:
        raise NotFound(f"no order with id {id}")
    names = student_names(session, {item.student_id for item in found.items})
    return render_template(
        "web/contingent/order.html",
        order=found,
        names=names,
        number=_number,
        title=kind_title,
        may_register=REGISTRAR.admits(require_actor().roles, True),
    )


@page("/orders/new", roles=REGISTRAR, methods=("GET", "POST"))
def new_order() -> ResponseReturnValue:
    session = db.session()
    kind = _kind(request.values.get("kind"))
    context: dict[str, Any] = {
        "kinds": list(OrderKind),
        "kind": kind,
        "title": kind_title,
        "form": request.form,
        "problems": [],
        "today": dt.date.today().isoformat(),
    }
    if kind is not None:
        context |= _order_form_context(session, kind)
    if request.method == "GET" or kind is None:
        return render_template("web/contingent/new_order.html", **context)
    labels: list[str] = []
    try:
        body, labels = _order_body(session, kind, request.form)
        audit.set_reason(request.form.get("audit_reason", "").strip() or None)
        registered = register_order(session, OrderCreate.model_validate(body), load_policy(session))
    except _FormProblems as problems:
        context["problems"] = problems.messages
        return render_template("web/contingent/new_order.html", **context), 422
    except ValidationError as exc:
        context["problems"] = _labelled([(e.field, e.message) for e in field_errors(exc)], labels)
        return render_template("web/contingent/new_order.html", **context), 422
    except ApiError as exc:
        context["problems"] = _labelled([(e.field, e.message) for e in exc.errors], labels)
        return render_template("web/contingent/new_order.html", **context), exc.status
    flash(f"Registered order {_number(registered)}: {len(registered.items)} student(s).")
    return redirect(url_for("web.order", id=registered.id))


class _FormProblems(Exception):
    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("; ".join(messages))


def _order_form_context(session: Session, kind: OrderKind) -> dict[str, Any]:
    rule = KIND_RULES[kind]
    fields = [name for name in ITEM_FIELDS if name in rule.required | rule.optional]
    if rule.creates_students:
        fields = [name for name in fields if name not in NEW_TERMS]
    programmes = session.scalars(select(Programme).order_by(Programme.code)).all()
    groups = session.scalars(select(AcademicGroup).order_by(AcademicGroup.code)).all()
    return {
        "rule": rule,
        "fields": fields,
        "labels": ITEM_FIELDS,
        "required": rule.required,
        "choices": CHOICES,
        "programmes": programmes,
        "groups": groups,
        "grounds": load_policy(session).leave_grounds,
        "new_terms": NEW_TERMS,
    }


def _order_body(session: Session, kind: OrderKind, form: Any) -> tuple[dict[str, Any], list[str]]:
    """The ``POST /api/orders`` body of the form, and a label per item (its line) for the problems."""
    body: dict[str, Any] = {
        "kind": kind.value,
        "date": form.get("date", ""),
        "signatory": form.get("signatory", ""),
        "basis": form.get("basis", ""),
    }
    if form.get("effective_on"):
        body["effective_on"] = form["effective_on"]
    if kind is OrderKind.CANCELLATION:
        cancels = form.get("cancels_order_id", "").strip()
        body["cancels_order_id"] = int(cancels) if cancels.isdigit() else cancels
        return body, []
    rule = KIND_RULES[kind]
    names = rule.required | rule.optional
    if rule.creates_students:
        names -= set(NEW_TERMS)  # a new student's terms go in the student's own part
    shared = {name: _value(name, form.get(name, "")) for name in ITEM_FIELDS if name in names}
    shared = {name: value for name, value in shared.items() if value is not None}
    if form.get("item_reason", "").strip():
        shared["reason"] = form["item_reason"].strip()
    lines = [line.strip() for line in form.get("students", "").splitlines() if line.strip()]
    if not lines:
        raise _FormProblems(["list at least one student"])
    items, labels, problems = [], [], []
    for number, line in enumerate(lines, start=1):
        try:
            item = _new_student(line, shared, form) if rule.creates_students else _existing(session, line, shared)
        except ValueError as exc:
            problems.append(f"line {number} ({line}): {exc}")
            continue
        items.append(item)
        labels.append(f"line {number} ({line.split(';')[0].split()[0]})")
    if problems:
        raise _FormProblems(problems)
    body["items"] = items
    return body, labels


def _value(name: str, text: str) -> Any:
    text = text.strip()
    if not text:
        return None
    if name in ("programme_id", "group_id", "year_of_study", "missed_hours"):
        return int(text) if text.isdigit() else text
    return text


def _existing(session: Session, line: str, shared: dict[str, Any]) -> dict[str, Any]:
    """``IIN-or-id [application id]`` -> an item naming the student."""
    parts = line.split()
    if len(parts) > 2:
        raise ValueError("write the student's IIN or id, then optionally an application id")
    key = parts[0]
    if len(key) == 12 and key.isdigit():
        student_id = session.scalar(select(Student.id).where(Student.iin == key))
        if student_id is None:
            raise ValueError(f"no student with IIN {key}")
    elif key.isdigit() and int(key) <= INT_MAX:
        student_id = int(key)
    else:
        raise ValueError(f"{key!r} is neither an IIN (12 digits) nor a student id")
    item: dict[str, Any] = {"student_id": student_id} | shared
    if len(parts) == 2:
        if not parts[1].isdigit() or int(parts[1]) > INT_MAX:
            raise ValueError(f"application id {parts[1]!r} is not a number")
        item["application_id"] = int(parts[1])
    return item


def _new_student(line: str, shared: dict[str, Any], form: Any) -> dict[str, Any]:
    """``IIN; last name; first name; middle name`` and the form's terms -> an item describing the new student."""
    parts = [part.strip() for part in line.split(";")]
    if len(parts) not in (3, 4) or not all(parts[:3]):
        raise ValueError("write IIN; last name; first name; middle name (the middle name may be left out)")
    try:
        iin = parse_iin(parts[0])
    except InvalidIIN as exc:
        raise ValueError(str(exc)) from None
    student: dict[str, Any] = {
        "iin": iin.number,
        "last_name": parts[1],
        "first_name": parts[2],
        "birth_date": iin.birth_date.isoformat(),
        "sex": iin.sex,
        "citizenship": form.get("citizenship", "KZ").strip() or "KZ",
        "admission_year": _value("year_of_study", form.get("admission_year", "")),
    }
    if len(parts) == 4 and parts[3]:
        student["middle_name"] = parts[3]
    for name in NEW_TERMS:
        value = _value(name, form.get(name, ""))
        if value is not None:
            student[name] = value
    return {"student": student} | shared


def _labelled(problems: list[tuple[str | None, str]], labels: list[str]) -> list[str]:
    """``items.2.leave_until`` -> ``line 3 (0703...): leave_until``."""
    out = []
    for field, message in problems:
        name = field or "order"
        parts = name.split(".")
        if parts[0] == "items" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(labels):
            rest = ".".join(parts[2:])
            name = labels[int(parts[1])] + (f": {rest}" if rest else "")
        out.append(f"{name}: {message}")
    return out


# -- reports


@page("/contingent", roles=REPORT_READERS)
def contingent_reports() -> ResponseReturnValue:
    session = db.session()
    report = request.args.get("report", "movement")
    if report not in REPORTS:
        report = "movement"
    today = dt.date.today()
    period_text = request.args.get("period", "").strip() or today.strftime("%Y-%m")
    day_text = request.args.get("on", "").strip() or today.isoformat()
    default_by = list(STATE_FORM_DIMENSIONS) if report == "state-form" else []
    by = [name for name in request.args.getlist("by") if name in DIMENSIONS] if "by" in request.args else default_by
    problems: list[str] = []
    frame: pd.DataFrame | None = None
    try:
        period = Period.parse(period_text)
        day = dt.date.fromisoformat(day_text)
    except (PeriodError, ValueError) as exc:
        problems.append(str(exc))
    else:
        frame = _report_frame(session, report, period, day, by)
    query = {"period": period_text, "on": day_text, "by": ",".join(by)}
    api_path = {
        "movement": "/api/reports/movement",
        "contingent": "/api/contingent",
        "state-form": "/api/reports/state-form",
        "on-leave": "/api/reports/on-leave",
        "expelled": "/api/reports/expelled",
    }[report]
    return render_template(
        "web/contingent/reports.html",
        reports=REPORTS,
        report=report,
        period=period_text,
        on=day_text,
        by=by,
        dimensions=DIMENSIONS,
        frame=frame,
        problems=problems,
        api_path=api_path,
        query=query,
    )


def _report_frame(session: Session, report: str, period: Period, day: dt.date, by: list[str]) -> pd.DataFrame:
    names = {info.code: info.name for info in reports.programmes(session).values()}
    if report == "movement":
        return exports.movement_frame(reports.movement(session, period, by))
    if report in ("contingent", "state-form"):
        return exports.contingent_frame(reports.contingent(session, day, by), names)
    if report == "on-leave":
        return exports.leave_frame(reports.on_leave(session, period, ListPeriodQuery()))
    return exports.expelled_frame(reports.expelled(session, period, ListPeriodQuery()))


# -- applications


@page("/applications", roles=APPLICATION_READERS)
def applications() -> ResponseReturnValue:
    session = db.session()
    conditions: list[Any] = []
    if not has_full_access():
        conditions.append(Application.student_id == require_actor().student_id)
    state = request.args.get("state", "")
    if state in {s.value for s in ApplicationState}:
        conditions.append(Application.state == state)
    found = session.scalars(
        select(Application)
        .where(*conditions)
        .options(selectinload(Application.items).selectinload(OrderItem.order))
        .order_by(Application.id.desc())
        .limit(200)
    ).all()
    names = student_names(session, {a.student_id for a in found if a.student_id is not None})
    return render_template(
        "web/contingent/applications.html", applications=found, names=names, state=state, states=list(ApplicationState)
    )


def _visible_application(session: Session, id: int) -> Application:
    application = find_application(session, id)
    if not has_full_access() and application.student_id != require_actor().student_id:
        raise Forbidden(f"{require_actor().username} may see only their own applications")
    return application


@page("/applications/<int:id>", roles=APPLICATION_READERS, methods=("GET", "POST"))
def application(id: int) -> ResponseReturnValue:
    session = db.session()
    found = _visible_application(session, id)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        action = request.form.get("action")
        try:
            if action == "decide":
                _require_registrar()
                decision = ApplicationDecision.model_validate(
                    {
                        "state": request.form.get("state", ""),
                        "on": request.form.get("on", ""),
                        "note": request.form.get("note") or None,
                    }
                )
                decide(session, id, decision)
                flash(f"The application is {decision.state.value.replace('_', ' ')}.")
            elif action == "attach":
                if found.student_id is None:
                    _require_registrar()
                document = DocumentIn.model_validate(
                    {k: request.form.get(k) or None for k in ("kind", "title", "reference", "issued_on")}
                )
                attach(session, id, document)
                flash("The document is attached.")
            else:
                raise BadRequest("unknown action: decide or attach")
            return redirect(url_for("web.application", id=id))
        except ValidationError as exc:
            problems, status = [f"{e.field}: {e.message}" for e in field_errors(exc)], 422
        except ApiError as exc:
            problems, status = [f"{e.field or 'application'}: {e.message}" for e in exc.errors], exc.status
        found = find_application(session, id)
    student = session.get(Student, found.student_id) if found.student_id else None
    used = found.used_by
    return render_template(
        "web/contingent/application.html",
        application=found,
        student=student,
        problems=problems,
        states=list(ApplicationState),
        today=dt.date.today().isoformat(),
        may_decide=REGISTRAR.admits(require_actor().roles, True),
        order=used.order if used else None,
        number=_number,
    ), status


def _require_registrar() -> None:
    """403 unless the caller is a registrar (a student may only attach documents to their own application)."""
    if not REGISTRAR.admits(require_actor().roles, True):
        raise Forbidden(f"{require_actor().username}: only the registrar reviews applications")


@page("/applications/new", roles=APPLICANTS, methods=("GET", "POST"))
def new_application() -> ResponseReturnValue:
    session = db.session()
    actor = require_actor()
    full = has_full_access()
    kinds = [k for k in ApplicationKind if full or k not in APPLICANT_KINDS]
    context: dict[str, Any] = {
        "kinds": kinds,
        "form": request.form,
        "problems": [],
        "full": full,
        "today": dt.date.today().isoformat(),
    }
    if request.method == "GET":
        return render_template("web/contingent/new_application.html", **context)
    form = request.form
    data: dict[str, Any] = {
        "kind": form.get("kind", ""),
        "submitted_on": form.get("submitted_on", ""),
        "submitted_by": form.get("submitted_by", "").strip() or actor.username,
        "request": form.get("request", "").strip() or None,
    }
    if form.get("kind") in {k.value for k in APPLICANT_KINDS}:
        data |= {
            "applicant_iin": form.get("applicant_iin", "").strip() or None,
            "applicant_last_name": form.get("applicant_last_name", "").strip() or None,
            "applicant_first_name": form.get("applicant_first_name", "").strip() or None,
        }
    else:
        data["student_id"] = actor.student_id if not full else _student_of(session, form.get("student", ""))
    if form.get("document_reference", "").strip():
        data["documents"] = [
            {
                "kind": form.get("document_kind", "statement").strip() or "statement",
                "title": form.get("document_title", "").strip() or "Application",
                "reference": form["document_reference"].strip(),
            }
        ]
    try:
        body = ApplicationCreate.model_validate(data)
        if not full and body.student_id != actor.student_id:
            raise Forbidden(f"{actor.username} may apply only for themselves")
        created = submit(session, body)
    except ValidationError as exc:
        context["problems"] = [f"{e.field}: {e.message}" for e in field_errors(exc)]
        return render_template("web/contingent/new_application.html", **context), 422
    except ApiError as exc:
        context["problems"] = [f"{e.field or 'application'}: {e.message}" for e in exc.errors]
        return render_template("web/contingent/new_application.html", **context), exc.status
    flash(f"Application {created.id} is submitted.")
    return redirect(url_for("web.application", id=created.id))


def _student_of(session: Session, text: str) -> int | None:
    """A student id from an IIN or an id typed in a form (``None``: the schema reports the missing student)."""
    text = text.strip()
    if len(text) == 12 and text.isdigit():
        return session.scalar(select(Student.id).where(Student.iin == text)) or 0
    return int(text) if text.isdigit() and int(text) <= INT_MAX else None


# -- the student record's section


def status_history(session: Session, student: Student) -> dict[str, Any]:
    entries = history_of(session, student.id)
    programmes = {p.id: p.code for p in session.scalars(select(Programme))}
    return {
        "entries": entries,
        "programmes": programmes,
        "title": kind_title,
        "number": _number,
        "may_open": ORDER_READERS.admits(require_actor().roles, True),
    }


register_nav("Orders", "web.orders")
register_nav("Applications", "web.applications")
register_nav("Contingent reports", "web.contingent_reports")
register_record_section(RecordSection("Status history", "web/contingent/history.html", status_history, HISTORY_READERS))
