"""Timetable pages: solve jobs with live progress, versions as grids, the approval workflow, edits, exports.

Pages (role rules as the API's, :mod:`service.timetabling.workflow`):

- ``/timetables`` (timetable staff: scheduler, exam coordinator, vice-rector, registrar): the solve jobs
  with their live progress (state, elapsed seconds, best cost and bound; the page polls
  ``/timetables/jobs.json`` every second while a job is queued or running; a finished job links to its
  version, or a ``groups`` job to its formation, :mod:`service.web.formations`), a form to start a job
  for a period and kind (the kind's authors: lessons and groups by the scheduler, exams by the exam
  coordinator or the scheduler), and every timetable's versions with their status and scores.
- ``/timetables/versions/<id>``: one version as a grid, by academic group, teacher or room (``?group=``,
  ``?teacher=``, ``?room=``; lessons: days x pairs; exams: days x exam periods), the scorer's hard
  violations highlighted on the lessons they name; the workflow buttons the signed-in user's roles allow
  (submit, approve, return with a comment, publish, new draft, repair); for an editable version and its
  authors, a form moving one lesson (or exam), after which the page shows the new hard violations and
  the cost change; links to compare with another version and to the exports. Staff see every version;
  everyone else only published ones.
- ``/timetables/versions/<id>/compare?with=<id>``: what moved between two versions of one timetable.
- ``/timetables/versions/<id>/export.<ics|xlsx|pdf>?group=|teacher=|room=``: the exports
  (:mod:`service.timetable_exports`) of what the grid shows; the same visibility as the version page.
- ``/my-timetable`` (any signed-in user): the published lesson timetable and exam session of the latest
  period that has one, for a student their academic group's, for a teacher their own lessons and exams.

Every write is a POST carrying the CSRF token and the version's ``revision`` as read (optimistic locking:
a stale one is refused with a message); refusals of the workflow (409, 422, 403) are shown on the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import Response, flash, jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from models.course_instance import CourseInstance
from models.course_timetable import CourseTimetable
from models.exam_instance import ExamInstance, ExamTimetable
from models.timetable_view import WEEKDAYS, Labels, Session, Week, course_week, exam_session, moved_lessons
from service import db
from service.auth import SIGNED_IN, Actor, allow, require_actor
from service.errors import ApiError, NotFound, Unprocessable
from service.models import AcademicGroup, Period, SolveJob, Student, Teacher, Timetable, TimetableVersion
from service.records.crud import commit
from service.schemas.common import INT_MAX
from service.timetable_exports import (
    Bells,
    Term,
    session_ical,
    session_pdf,
    session_xlsx,
    week_ical,
    week_pdf,
    week_xlsx,
)
from service.timetabling import instances, jobs, runner, versions, workflow
from service.web.forms import LogoutForm
from service.web.nav import register_nav
from service.web.pages import page

TIMETABLE_STAFF = allow(*workflow.STAFF)
"""Who sees every job and version (and may act on them as their roles allow)."""
VISIBLE_TO_ALL = ("published",)
"""Statuses of a version that everybody signed in may read."""
BELLS = Bells(starts=tuple(dt.time.fromisoformat(t) for t in instances.PAIRS))
DEFAULT_TIME_LIMIT = 10.0
EXPORTS = {
    "ics": "text/calendar",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
EDIT_RESULT = "registrar.timetable_edit"
"""Session key holding the last edit's result until the version page shows it."""


def is_staff(actor: Actor) -> bool:
    return bool(actor.roles & set(workflow.STAFF))


def may(actor: Actor, action: str, kind: str) -> bool:
    return bool(actor.roles & set(workflow.allowed(action, kind)))


def labels_of(legend: dict[str, Any]) -> Labels:
    """Display names from a version's legend (:mod:`service.timetabling.instances`)."""
    items = legend.get("courses") or legend.get("exams") or {}
    titles = {key: f"{info.get('discipline', key)} {info.get('name', '')}".strip() for key, info in items.items()}
    groups = {key: tuple(info.get("groups") or ()) for key, info in items.items()}
    teachers = {code: info.get("name") or code for code, info in (legend.get("teachers") or {}).items()}
    rooms = {code: f"{code} ({info['building']})" if info.get("building") else code
             for code, info in (legend.get("rooms") or {}).items()}  # fmt: skip
    return Labels(titles=titles, teachers=teachers, rooms=rooms, groups=groups)


@dataclass
class Shown:
    """A version read for a page: its kind, the whole week or session, and the selection shown."""

    version: TimetableVersion
    timetable: Timetable
    period: Period
    whole: Week | Session
    shown: Week | Session
    selection: tuple[str, str] | None
    """``("group" | "teacher" | "room", value)``, or ``None`` for everything."""

    @property
    def kind(self) -> str:
        return self.timetable.kind

    @property
    def title(self) -> str:
        what = "Lesson timetable" if self.kind == "lessons" else "Exam session"
        return f"{what} {period_label(self.period)}"

    @property
    def heading(self) -> str:
        if self.selection is None:
            return self.title
        kind, value = self.selection
        names = self.whole.teachers() if kind == "teacher" else self.whole.rooms() if kind == "room" else {}
        return f"{self.title}: {kind} {names.get(value, value)}"


def period_label(period: Period) -> str:
    return f"{period.kind} {period.academic_year.start_year}/{period.academic_year.start_year + 1}"


def readable(version: TimetableVersion, actor: Actor) -> None:
    """404 for a version the actor may not see (staff see all; others published ones)."""
    if not is_staff(actor) and version.status not in VISIBLE_TO_ALL:
        raise NotFound(f"there is no published timetable version {version.id}")


def narrow(view: Week | Session, selection: tuple[str, str] | None) -> Week | Session:
    if selection is None:
        return view
    kind, value = selection
    return {"group": view.of_group, "teacher": view.of_teacher, "room": view.of_room}[kind](value)


def view_of(version: TimetableVersion, kind: str) -> Week | Session:
    """The version's week (lessons) or session (exams), re-scored, with the legend's names."""
    instance = versions.instance_of(version, kind)
    solution = versions.solution_of(version, kind)
    report = versions.score(kind, instance, solution)
    labels = labels_of(version.legend)
    if kind == "lessons":
        assert isinstance(instance, CourseInstance) and isinstance(solution, CourseTimetable)
        return course_week(instance, solution, labels, report)
    assert isinstance(instance, ExamInstance) and isinstance(solution, ExamTimetable)
    return exam_session(instance, solution, labels, report)


def get_version(version_id: int) -> TimetableVersion:
    version = db.session().get(TimetableVersion, version_id) if 0 < version_id <= INT_MAX else None
    if version is None:
        raise NotFound(f"there is no timetable version {version_id}")
    readable(version, require_actor())
    return version


def load(version_id: int, args: Any = None) -> Shown:
    """The version with its whole view and the selection named in ``args`` (``group``, ``teacher`` or ``room``);
    404 for a name the version does not have."""
    session_ = db.session()
    version = get_version(version_id)
    timetable = session_.get_one(Timetable, version.timetable_id)
    period = session_.get_one(Period, timetable.period_id)
    whole = view_of(version, timetable.kind)
    selection = None
    for kind in ("group", "teacher", "room"):
        value = ((args or {}).get(kind) or "").strip()
        if value:
            known = {"group": whole.groups(), "teacher": whole.teachers(), "room": whole.rooms()}[kind]
            if value not in known:
                raise NotFound(f"version {version.number} has no {kind} {value!r}")
            selection = (kind, value)
            break
    return Shown(version, timetable, period, whole, narrow(whole, selection), selection)


def job_result(job: SolveJob, version: TimetableVersion | None) -> tuple[str | None, str | None]:
    """The link to what a finished job made and its text: its version, or its group formation."""
    if version is not None:
        return url_for("web.timetable_version", id=version.id), f"version {version.number}"
    if job.formation_id is not None:
        return url_for("web.group_formation", id=job.formation_id), f"formation {job.formation_id}"
    return None, None


def job_json(job: SolveJob) -> dict[str, Any]:
    """A job's progress for the page's poll."""
    version = db.session().get(TimetableVersion, job.version_id) if job.version_id else None
    result_url, result_label = job_result(job, version)
    elapsed = job.elapsed
    if elapsed is None and job.started_at is not None:
        end = job.finished_at or jobs.now()
        started = job.started_at if job.started_at.tzinfo else job.started_at.replace(tzinfo=dt.UTC)
        end = end if end.tzinfo else end.replace(tzinfo=dt.UTC)
        elapsed = (end - started).total_seconds()
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "elapsed": round(elapsed, 1) if elapsed is not None else None,
        "best_cost": job.best_cost,
        "best_bound": job.best_bound,
        "phase": job.phase,
        "error": job.error,
        "version_id": job.version_id,
        "version_number": version.number if version else None,
        "version_url": url_for("web.timetable_version", id=job.version_id) if job.version_id else None,
        "formation_id": job.formation_id,
        "result_url": result_url,
        "result_label": result_label,
        "active": job.status in jobs.ACTIVE,
    }


def recent_jobs(limit: int = 30) -> list[SolveJob]:
    jobs.reap(db.engine(), runner.lease_seconds())
    return list(db.session().scalars(select(SolveJob).order_by(SolveJob.id.desc()).limit(limit)))


def problem(exc: ApiError) -> None:
    for error in exc.errors:
        flash(error.message, "problem")


@page("/timetables", roles=TIMETABLE_STAFF)
def timetables() -> ResponseReturnValue:
    session_ = db.session()
    actor = require_actor()
    periods = list(session_.scalars(select(Period).order_by(Period.starts_on.desc())))
    listed = []
    for timetable, period in session_.execute(
        select(Timetable, Period).join(Period, Period.id == Timetable.period_id)
        .order_by(Period.starts_on.desc(), Timetable.kind)
    ):  # fmt: skip
        rows = session_.scalars(select(TimetableVersion).where(TimetableVersion.timetable_id == timetable.id)
                                .order_by(TimetableVersion.number.desc()).limit(20))  # fmt: skip
        listed.append((timetable, period, list(rows)))
    kinds = [k for k in jobs.KINDS if may(actor, "solve", k)]
    found = recent_jobs()
    labels = {job.id: f"{jobs.kind_of(session_, job)}, {period_label(session_.get_one(Period, job.period_id))}"
              for job in found}  # fmt: skip
    return render_template("web/timetables/index.html", periods=periods, listed=listed, kinds=kinds,
                           jobs=[job_json(job) for job in found], job_labels=labels, may_start=bool(kinds),
                           default_time_limit=DEFAULT_TIME_LIMIT, period_label=period_label,
                           logout_form=LogoutForm())  # fmt: skip


@page("/timetables/jobs.json", roles=TIMETABLE_STAFF)
def timetable_jobs() -> ResponseReturnValue:
    return jsonify({"jobs": [job_json(job) for job in recent_jobs()]})


@page("/timetables/jobs", roles=TIMETABLE_STAFF, methods=("POST",))
def start_timetable_job() -> ResponseReturnValue:
    actor = require_actor()
    form = request.form
    try:
        kind = form.get("kind", "")
        if kind not in jobs.KINDS:
            raise Unprocessable(f"unknown kind of job {kind!r}: lessons, exams or groups", "kind")
        workflow.require(actor.roles, "solve", kind)
        try:
            period_id = int(form.get("period", ""))
            time_limit = float(form.get("time_limit", "") or DEFAULT_TIME_LIMIT)
        except ValueError:
            raise Unprocessable("the period and the time limit must be numbers", "time_limit") from None
        session_ = db.session()
        job = jobs.start_solve(session_, period_id, kind, time_limit=time_limit, actor=actor.username)
        commit(session_)
    except instances.RecordsProblem as exc:
        db.session().rollback()
        flash(f"No job started: {exc}", "problem")
        return redirect(url_for("web.timetables"))
    except ApiError as exc:
        db.session().rollback()
        problem(exc)
        return redirect(url_for("web.timetables"))
    runner.dispatch(job.id)
    flash(f"Job {job.id} started: {kind} of {period_label(db.session().get_one(Period, job.period_id))}, "
          f"at most {time_limit:g} s.")  # fmt: skip
    return redirect(url_for("web.timetables"))


@page("/timetables/jobs/<int:id>/cancel", roles=TIMETABLE_STAFF, methods=("POST",))
def cancel_timetable_job(id: int) -> ResponseReturnValue:
    session_ = db.session()
    job = session_.get(SolveJob, id) if 0 < id <= INT_MAX else None
    if job is None:
        raise NotFound(f"there is no solve job {id}")
    actor = require_actor()
    try:
        workflow.require(actor.roles, "solve", jobs.kind_of(session_, job))
        if jobs.cancel(session_, job):
            commit(session_)
            flash(f"Job {id} cancelled.")
        else:
            flash(f"Job {id} is {job.status}: nothing to cancel.", "problem")
    except ApiError as exc:
        session_.rollback()
        problem(exc)
    return redirect(url_for("web.timetables"))


def revision_of(form: Any) -> int | None:
    raw = (form.get("revision") or "").strip()
    if not raw.isdigit():
        raise Unprocessable("the form lacks the version's revision: reload the page", "revision")
    return int(raw)


@page("/timetables/versions/<int:id>", roles=SIGNED_IN)
def timetable_version(id: int) -> ResponseReturnValue:
    shown = load(id, request.args)
    actor = require_actor()
    session_ = db.session()
    siblings = []
    if is_staff(actor):
        siblings = list(session_.scalars(select(TimetableVersion).where(
            TimetableVersion.timetable_id == shown.timetable.id, TimetableVersion.id != id)
            .order_by(TimetableVersion.number.desc())))  # fmt: skip
    kind, status = shown.kind, shown.version.status
    actions = {
        "submit": status in workflow.EDITABLE and may(actor, "submit", kind),
        "approve": status == "submitted" and may(actor, "approve", kind),
        "return": status == "submitted" and may(actor, "return", kind),
        "publish": status == "approved" and may(actor, "publish", kind),
        "draft": status in workflow.COPY_ON_EDIT and may(actor, "edit", kind),
        "repair": status in workflow.EDITABLE and may(actor, "repair", kind) and shown.version.hard_violations > 0,
    }
    editable = status in (*workflow.EDITABLE, *workflow.COPY_ON_EDIT) and may(actor, "edit", kind)
    edit = session.pop(EDIT_RESULT, None)
    if edit and edit.get("version") != id:
        edit = None
    return render_template("web/timetables/version.html", shown=shown, siblings=siblings, actions=actions,
                           editable=editable, edit=edit, weekdays=WEEKDAYS, bells=BELLS,
                           staff=is_staff(actor), exports=list(EXPORTS), period_label=period_label,
                           logout_form=LogoutForm())  # fmt: skip


@page("/timetables/versions/<int:id>/<any(submit, approve, return, publish):action>", roles=TIMETABLE_STAFF,
      methods=("POST",))  # fmt: skip
def timetable_transition(id: int, action: str) -> ResponseReturnValue:
    session_ = db.session()
    version = get_version(id)
    actor = require_actor()
    try:
        workflow.transition(session_, version, action, actor=actor.username, roles=actor.roles,
                            revision=revision_of(request.form), comment=request.form.get("comment"))  # fmt: skip
        commit(session_)
        done = {"submit": "submitted", "approve": "approved", "return": "returned", "publish": "published"}[action]
        flash(f"Version {version.number} {done}.")
    except ApiError as exc:
        session_.rollback()
        problem(exc)
    return redirect(url_for("web.timetable_version", id=id))


@page("/timetables/versions/<int:id>/draft", roles=TIMETABLE_STAFF, methods=("POST",))
def timetable_new_draft(id: int) -> ResponseReturnValue:
    session_ = db.session()
    version = get_version(id)
    actor = require_actor()
    try:
        workflow.check_revision(version, revision_of(request.form))
        draft = workflow.new_draft(session_, version, actor=actor.username, roles=actor.roles)
        commit(session_)
    except ApiError as exc:
        session_.rollback()
        problem(exc)
        return redirect(url_for("web.timetable_version", id=id))
    flash(f"Version {draft.number} is a new draft copied from version {version.number}.")
    return redirect(url_for("web.timetable_version", id=draft.id))


@page("/timetables/versions/<int:id>/repair", roles=TIMETABLE_STAFF, methods=("POST",))
def timetable_repair(id: int) -> ResponseReturnValue:
    session_ = db.session()
    version = get_version(id)
    actor = require_actor()
    try:
        kind = workflow.kind_of(session_, version)
        workflow.require(actor.roles, "repair", kind)
        workflow.check_revision(version, revision_of(request.form))
        job = jobs.start_repair(session_, version, time_limit=DEFAULT_TIME_LIMIT, actor=actor.username)
        commit(session_)
    except (ApiError, instances.RecordsProblem) as exc:
        session_.rollback()
        if isinstance(exc, ApiError):
            problem(exc)
        else:
            flash(f"No repair started: {exc}", "problem")
        return redirect(url_for("web.timetable_version", id=id))
    runner.dispatch(job.id)
    flash(f"Repair job {job.id} started for version {version.number}; its result will be a new draft.")
    return redirect(url_for("web.timetables"))


def _int(form: Any, name: str, what: str) -> int:
    raw = (form.get(name) or "").strip()
    if not raw.lstrip("-").isdigit():
        raise Unprocessable(f"choose {what}", name)
    return int(raw)


@page("/timetables/versions/<int:id>/move", roles=TIMETABLE_STAFF, methods=("POST",))
def timetable_move(id: int) -> ResponseReturnValue:
    """Move one lesson (``lesson=course|day|pair|room``, ``to_day``, ``to_pair``, ``to_room``) or one exam
    (``exam``, ``to_period``, ``to_room``); days and pairs in the form count from 1."""
    session_ = db.session()
    version = get_version(id)
    actor = require_actor()
    form = request.form
    back = {k: form[k] for k in ("group", "teacher", "room") if form.get(k)}
    try:
        revision = revision_of(form)
        to_room = (form.get("to_room") or "").strip() or None
        if workflow.kind_of(session_, version) == "lessons":
            parts = (form.get("lesson") or "").split("|")
            if len(parts) != 4 or not parts[1].isdigit() or not parts[2].isdigit():
                raise Unprocessable("choose the lesson to move", "lesson")
            result = workflow.move_lesson(session_, version, course=parts[0], day=int(parts[1]), pair=int(parts[2]),
                                          room=parts[3], to_day=_int(form, "to_day", "a day") - 1,
                                          to_pair=_int(form, "to_pair", "a pair") - 1, to_room=to_room,
                                          actor=actor.username, roles=actor.roles, revision=revision)  # fmt: skip
        else:
            result = workflow.move_exam(session_, version, exam=(form.get("exam") or "").strip(),
                                        to_period=_int(form, "to_period", "a sitting") - 1, to_room=to_room,
                                        actor=actor.username, roles=actor.roles, revision=revision)  # fmt: skip
        commit(session_)
    except ApiError as exc:
        session_.rollback()
        problem(exc)
        return redirect(url_for("web.timetable_version", id=id, **back))
    target = result.version
    session[EDIT_RESULT] = {"version": target.id, "hard_before": result.hard_before, "hard_after": result.hard_after,
                            "cost_before": result.cost_before, "cost_after": result.cost_after,
                            "cost_change": result.cost_change,
                            "new_violations": [line.removeprefix("[H] ") for line in result.new_violations][:50],
                            "copied": target.id != id}  # fmt: skip
    return redirect(url_for("web.timetable_version", id=target.id, **back))


@page("/timetables/versions/<int:id>/compare", roles=TIMETABLE_STAFF)
def timetable_compare(id: int) -> ResponseReturnValue:
    shown = load(id)
    try:
        other_id = int(request.args.get("with", ""))
    except ValueError:
        raise Unprocessable("choose a version to compare with", "with") from None
    other = load(other_id)
    if other.timetable.id != shown.timetable.id:
        raise Unprocessable("the two versions belong to different timetables", "with")
    if isinstance(shown.whole, Week) and isinstance(other.whole, Week):
        gone, came = moved_lessons(other.whole, shown.whole)
        rows = pair_moves(
            [(x.course, x.title, f"{WEEKDAYS[x.day]}, pair {x.pair + 1}", x.room_name) for x in gone],
            [(x.course, x.title, f"{WEEKDAYS[x.day]}, pair {x.pair + 1}", x.room_name) for x in came],
        )
    else:
        assert isinstance(shown.whole, Session) and isinstance(other.whole, Session)
        before = {s.exam: s for s in other.whole.sittings}
        after = {s.exam: s for s in shown.whole.sittings}
        rows = []
        for exam in sorted(before.keys() | after.keys()):
            a, b = before.get(exam), after.get(exam)
            if a is None or b is None or (a.period, a.room) != (b.period, b.room):
                title = (b or a).title  # type: ignore[union-attr]
                rows.append((title, sitting_place(a), sitting_place(b)))
    return render_template("web/timetables/compare.html", shown=shown, other=other, rows=rows,
                           logout_form=LogoutForm())  # fmt: skip


def pair_moves(gone: list[tuple[str, str, str, str]], came: list[tuple[str, str, str, str]]) -> list[
        tuple[str, str, str]]:  # fmt: skip
    """``(title, before, after)`` per moved lesson, matching a course's old and new places in order."""
    rows: list[tuple[str, str, str]] = []
    left = list(came)
    for course, title, when, room in gone:
        match = next((c for c in left if c[0] == course), None)
        if match is not None:
            left.remove(match)
        rows.append((title, f"{when}, {room}", f"{match[2]}, {match[3]}" if match else "(not placed)"))
    rows += [(title, "(not placed)", f"{when}, {room}") for _, title, when, room in left]
    return rows


def sitting_place(sitting: Any) -> str:
    if sitting is None:
        return "(not placed)"
    when = f"period {sitting.period + 1}"
    if sitting.date and sitting.start:
        when = f"{sitting.date.isoformat()} {sitting.start:%H:%M}"
    return f"{when}, {sitting.room_name}" if sitting.room_name else when


@page("/timetables/versions/<int:id>/export.<any(ics, xlsx, pdf):form>", roles=SIGNED_IN)
def timetable_export(id: int, form: str) -> ResponseReturnValue:
    shown = load(id, request.args)
    return export(shown, form)


def export(shown: Shown, form: str) -> Response:
    view, title = shown.shown, shown.heading
    subtitle = f"version {shown.version.number}, {shown.version.status}"
    if isinstance(view, Week):
        if form == "ics":
            term = Term.of_period(shown.period.starts_on, shown.period.session_first_week)
            data = week_ical(view, term, title, BELLS)
        elif form == "xlsx":
            data = week_xlsx(view, title, BELLS)
        else:
            data = week_pdf(view, title, subtitle, BELLS)
    else:
        data = {"ics": lambda: session_ical(view, title), "xlsx": lambda: session_xlsx(view, title),
                "pdf": lambda: session_pdf(view, title, subtitle)}[form]()  # fmt: skip
    name = "-".join(["timetable", shown.kind, str(shown.period.id), *(shown.selection or ("all",))])
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    response = Response(data, mimetype=EXPORTS[form])
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}.{form}"'
    return response


def published(kind: str) -> TimetableVersion | None:
    """The published version of ``kind`` of the latest period that has one."""
    session_ = db.session()
    return session_.scalar(
        select(TimetableVersion)
        .join(Timetable, Timetable.id == TimetableVersion.timetable_id)
        .join(Period, Period.id == Timetable.period_id)
        .where(Timetable.kind == kind, TimetableVersion.status == "published")
        .order_by(Period.starts_on.desc())
        .limit(1)
    )


@page("/my-timetable", roles=SIGNED_IN)
def my_timetable() -> ResponseReturnValue:
    """The published timetables of the latest period: a student's group's, a teacher's own lessons."""
    actor = require_actor()
    session_ = db.session()
    selection: dict[str, str] = {}
    who = ""
    if actor.student_id is not None:
        student = session_.get(Student, actor.student_id)
        group = session_.get(AcademicGroup, student.group_id) if student and student.group_id else None
        if group is not None:
            selection, who = {"group": group.code}, f"group {group.code}"
    elif actor.teacher_id is not None:
        teacher = session_.get(Teacher, actor.teacher_id)
        if teacher is not None:
            selection, who = {"teacher": teacher.code}, f"{teacher.last_name} {teacher.first_name}"
    shown = []
    for kind in instances.KINDS:
        version = published(kind)
        if version is None:
            continue
        read = load(version.id)
        if selection:
            key, value = next(iter(selection.items()))
            known = read.whole.groups() if key == "group" else read.whole.teachers()
            read.selection = (key, value)
            read.shown = narrow(read.whole, read.selection) if value in known else read.whole.where(lambda _: False)
        shown.append(read)
    return render_template("web/timetables/mine.html", shown=shown, who=who, selection=selection, bells=BELLS,
                           weekdays=WEEKDAYS, exports=list(EXPORTS), logout_form=LogoutForm())  # fmt: skip


register_nav("Timetables", "web.timetables")
register_nav("My timetable", "web.my_timetable")
