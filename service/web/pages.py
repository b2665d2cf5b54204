"""The pages. Each declares its role rule with :func:`page`; the checks are the API's own
(:func:`service.auth.authorize`, the student scopes), so a page never shows what the API would refuse.

- ``/login`` (GET form, POST sign-in; public; failed sign-ins are limited per account and per client address,
  :mod:`service.auth.throttle`: a locked sign-in gets 429 with ``Retry-After`` and the time to try again) and
  ``/logout`` (POST);
- ``/`` the start page (any signed-in user);
- ``/students`` search (the roles that read students; a student finds only themselves);
- ``/students/<id>`` a student's record: identity, programme, group and advisor, status, then the
  registered sections (:mod:`service.web.record`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from pydantic import ValidationError
from sqlalchemy import select
from werkzeug.security import check_password_hash

from service import db
from service.auth import PUBLIC, SIGNED_IN, RoleRule, authorize, require_actor, throttle
from service.auth.accounts import password_matches
from service.auth.identity import SESSION_STAMP, SESSION_USER, password_stamp
from service.errors import FieldError, Unprocessable, field_errors
from service.models import AcademicGroup, Programme, Student, Teacher, User
from service.records.students import STUDENT_READERS, STUDENTS
from service.schemas.students import StudentQuery
from service.web import bp
from service.web.forms import LoginForm, LogoutForm, SearchForm
from service.web.nav import register_nav
from service.web.record import render_sections

View = Callable[..., ResponseReturnValue]
DUMMY_HASH = "scrypt:32768:8:1$0000000000000000$" + "0" * 128
"""Checked when the username is unknown, so a wrong username takes as long as a wrong password."""


def page(rule: str, *, roles: RoleRule, methods: tuple[str, ...] = ("GET",)) -> Callable[[View], View]:
    """Declare the page ``rule`` with its role rule: anonymous -> login page, refused -> 403 page."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(**kwargs: Any) -> ResponseReturnValue:
            authorize(roles)
            return view(**kwargs)

        wrapper.role_rule = roles  # type: ignore[attr-defined]
        bp.add_url_rule(rule, view_func=wrapper, methods=list(methods))
        return wrapper

    return decorator


def safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site, else the start page (no open redirects)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("web.home")


@page("/login", roles=PUBLIC, methods=("GET", "POST"))
def login() -> ResponseReturnValue:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        return render_template("web/login.html", form=form)
    if not form.validate_on_submit():
        return render_template("web/login.html", form=form), 400
    session_db, username, now = db.session(), form.username.data.strip().lower(), throttle.utcnow()
    tried = throttle.keys(username, request.remote_addr)
    lock = throttle.locked(session_db, tried, now)
    if lock is not None:
        return _refused(form, lock, now, "")
    user = session_db.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(DUMMY_HASH, form.password.data)
    if user is None or not password_matches(user, form.password.data):
        lock = throttle.failed(session_db, tried, now, throttle.Limits.of(current_app.config))
        session_db.commit()
        if lock is not None:
            return _refused(form, lock, now, "wrong username or password; ")
        return render_template("web/login.html", form=form, problem="wrong username or password"), 401
    if not user.active:
        return render_template("web/login.html", form=form, problem="this account is deactivated"), 403
    throttle.succeeded(session_db, username)
    session_db.commit()
    session.clear()
    session[SESSION_USER] = user.id
    session[SESSION_STAMP] = password_stamp(user)
    session.permanent = True
    return redirect(safe_next(form.next.data))


def _refused(form: LoginForm, lock: throttle.Lock, now: dt.datetime, before: str) -> ResponseReturnValue:
    """The login page saying the sign-in is locked and until when: 429 with ``Retry-After`` (seconds)."""
    page = render_template("web/login.html", form=form, problem=before + lock.message(now))
    return page, 429, {"Retry-After": str(lock.retry_after(now))}


@page("/logout", roles=PUBLIC, methods=("POST",))
def logout() -> ResponseReturnValue:
    LogoutForm()  # the CSRF token was checked before the view (service.auth.csrf)
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("web.login"))


@page("/", roles=SIGNED_IN)
def home() -> ResponseReturnValue:
    return render_template("web/home.html", logout_form=LogoutForm())


@page("/students", roles=STUDENT_READERS)
def students() -> ResponseReturnValue:
    form = SearchForm(request.args)
    raw = {k: v for k, v in {"q": request.args.get("q", "").strip(), "status": request.args.get("status")}.items() if v}
    try:
        page_number = int(request.args.get("page", "1"))
        query = StudentQuery.model_validate(raw | {"page": page_number, "per_page": 50})
    except ValueError as exc:
        errors = field_errors(exc) if isinstance(exc, ValidationError) else [FieldError("page", "must be a number")]
        raise Unprocessable(errors) from None
    session_db = db.session()
    found = STUDENTS.list_page(session_db, query)
    groups = _codes(AcademicGroup, {s.group_id for s in found.items if s.group_id})
    programmes = _codes(Programme, {s.programme_id for s in found.items})
    return render_template("web/students.html", form=form, found=found, groups=groups, programmes=programmes,
                           query=raw, logout_form=LogoutForm())  # fmt: skip


@page("/students/<int:id>", roles=STUDENT_READERS)
def student(id: int) -> ResponseReturnValue:
    session_db = db.session()
    record: Student = STUDENTS.find_visible(session_db, id)
    programme = session_db.get(Programme, record.programme_id)
    group = session_db.get(AcademicGroup, record.group_id) if record.group_id else None
    advisor = session_db.get(Teacher, group.advisor_id) if group and group.advisor_id else None
    sections = render_sections(session_db, record, require_actor())
    return render_template("web/student.html", student=record, programme=programme, group=group, advisor=advisor,
                           sections=sections, logout_form=LogoutForm())  # fmt: skip


def _codes(model: Any, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {row.id: row.code for row in db.session().scalars(select(model).where(model.id.in_(ids)))}


def _my_record(actor: Any) -> str | None:
    return url_for("web.student", id=actor.student_id) if actor.student_id is not None else None


def _student_search(actor: Any) -> str | None:
    """Students for everyone who reads more than their own record."""
    return url_for("web.students") if actor.roles - {"student"} else None


register_nav("Home", "web.home")
register_nav("Students", "web.students", _student_search)
register_nav("My record", "web.student", _my_record)
