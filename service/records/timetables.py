"""Timetable workflow API: solve jobs, versions, approval, edits, repair, comparison.

Who may call what:

- start a solve (``POST /timetable-jobs``), cancel a job, make a draft copy, move lessons or exams,
  start a repair, submit: the kind's authors (lessons and groups: ``scheduler``; exams:
  ``exam_coordinator``, ``scheduler``); a ``groups`` job forms the sections of the period's registrations
  (its result: :mod:`service.records.formations`);
- list and read jobs: staff (``scheduler``, ``exam_coordinator``, ``vice_rector``, ``registrar``);
- list and read versions, compare them: every role, but non-staff see published versions only (others
  answer 404); ``GET /timetables/published?period_id=&kind=``: every role;
- approve, return: ``vice_rector``; publish: ``vice_rector``, ``registrar``.

The rules are in :mod:`service.timetabling.workflow` (states, locking, audit) and
:mod:`service.timetabling.jobs`; a problem of the records that makes no instance is a 422 naming it.
A started job is handed to the runner (:func:`service.timetabling.runner.dispatch`) after the commit.
Jobs with a stale heartbeat are failed before jobs are listed or shown.
"""

from __future__ import annotations

from flask import Blueprint, Response
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from service.api.routing import endpoint
from service.audit import log_changes
from service.auth import allow, require_actor
from service.auth.roles import ROLES
from service.db import engine, session
from service.errors import Conflict, FieldError, NotFound, Unprocessable, error_response
from service.models import Period, SolveJob, Timetable, TimetableVersion
from service.records.crud import commit
from service.schemas.common import INT_MAX, Page
from service.schemas.timetables import (
    CompareOut,
    EditOut,
    ExamMove,
    JobOut,
    JobQuery,
    LessonMove,
    PublishedQuery,
    RepairStart,
    SolveStart,
    Transition,
    VersionDetail,
    VersionOut,
    VersionQuery,
)
from service.timetabling import jobs, runner, versions, workflow
from service.timetabling.instances import RecordsProblem

bp = Blueprint("timetables", __name__)
AUTHORS = allow("scheduler", "exam_coordinator")
STAFF = allow(*workflow.STAFF)
EVERYONE = allow(*ROLES)
APPROVERS = allow(*workflow.APPROVERS)
PUBLISHERS = allow(*workflow.PUBLISHERS)
JOB = "/timetable-jobs/<int:id>"
VERSION = "/timetable-versions/<int:id>"


@bp.errorhandler(StaleDataError)
def _stale(_error: StaleDataError) -> Response:
    """A version changed by another request between our read and our write (its revision moved on)."""
    session().rollback()
    message = "the timetable version was changed by someone else at the same time; reload it and try again"
    return error_response(409, [FieldError("revision", message)])


def _roles() -> frozenset[str]:
    return require_actor().roles


def _actor() -> str:
    return require_actor().username


def _is_staff() -> bool:
    return bool(_roles() & set(workflow.STAFF))


def _job(id: int) -> SolveJob:
    job = session().get(SolveJob, id) if 0 < id <= INT_MAX else None
    if job is None:
        raise NotFound(f"there is no solve job {id}")
    return job


def _version(id: int) -> TimetableVersion:
    """The version (404 if unknown, or not published and the caller is not staff)."""
    version = session().get(TimetableVersion, id) if 0 < id <= INT_MAX else None
    if version is None or (version.status != "published" and not _is_staff()):
        raise NotFound(f"there is no timetable version {id}")
    return version


def version_out(version: TimetableVersion) -> VersionOut:
    timetable = session().get_one(Timetable, version.timetable_id)
    data = {name: getattr(version, name) for name in VersionOut.model_fields if hasattr(version, name)}
    return VersionOut.model_validate(data | {"period_id": timetable.period_id, "kind": timetable.kind})


def version_detail(version: TimetableVersion) -> VersionDetail:
    summary = version_out(version)
    lessons = [vars(r) for r in versions.lesson_rows(version)] if summary.kind == "lessons" else None
    exams = [vars(r) for r in versions.exam_rows(version)] if summary.kind == "exams" else None
    return VersionDetail.model_validate(
        summary.model_dump() | {"lessons": lessons, "exams": exams, "legend": version.legend}
    )


def _reap() -> None:
    jobs.reap(engine(), runner.lease_seconds())


@endpoint(
    bp,
    "/timetable-jobs",
    "POST",
    name="start_timetable_job",
    summary="Start solving a timetable",
    body=SolveStart,
    response=JobOut,
    status=201,
    roles=AUTHORS,
    audited=True,
    description="Builds the lesson timetable, exam session or group formation instance from the period's "
    "records (422 naming the problem when they make none) and queues a job; the result is a new draft version "
    "(kind groups: a group formation, `formation_id`).",
)
def start_job(body: SolveStart) -> SolveJob:
    db = session()
    workflow.require(_roles(), "solve", body.kind)
    if body.period_id > 2**31 - 1 or db.get(Period, body.period_id) is None:
        raise Unprocessable(f"there is no period {body.period_id}", "period_id")
    try:
        job = jobs.start_solve(db, body.period_id, body.kind, time_limit=body.time_limit, actor=_actor())
    except RecordsProblem as problem:
        raise Unprocessable(str(problem), "period_id") from None
    log_changes(db, "solve_jobs", job.id, "create", {"status": (None, "queued"), "kind": (None, body.kind)})
    commit(db)
    runner.dispatch(job.id)
    return job


@endpoint(
    bp,
    "/timetable-jobs",
    "GET",
    name="list_timetable_jobs",
    summary="List solve jobs (newest first)",
    query=JobQuery,
    response=Page[JobOut],
    roles=STAFF,
)
def list_jobs(query: JobQuery) -> Page[JobOut]:
    _reap()
    db = session()
    conditions = [
        getattr(SolveJob, name) == getattr(query, name)
        for name in ("status", "kind", "period_id", "timetable_id")
        if getattr(query, name) is not None
    ]
    total = db.scalar(select(func.count()).select_from(SolveJob).where(*conditions)) or 0
    rows = db.scalars(
        select(SolveJob)
        .where(*conditions)
        .order_by(SolveJob.id.desc())
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    return Page[JobOut](
        items=[JobOut.model_validate(r) for r in rows], total=total, page=query.page, per_page=query.per_page
    )


@endpoint(
    bp, JOB, "GET", name="get_timetable_job", summary="Get a solve job and its progress", response=JobOut, roles=STAFF
)
def get_job(id: int) -> SolveJob:
    _reap()
    job = _job(id)
    session().refresh(job)
    return job


@endpoint(
    bp,
    f"{JOB}/cancel",
    "POST",
    name="cancel_timetable_job",
    summary="Cancel a queued or running job",
    response=JobOut,
    errors=(409,),
    roles=AUTHORS,
    audited=True,
)
def cancel_job(id: int) -> SolveJob:
    db = session()
    job = _job(id)
    workflow.require(_roles(), "solve", jobs.kind_of(db, job))
    old = job.status
    if not jobs.cancel(db, job):
        raise Conflict(f"job {id} has already ended ({job.status})", "status")
    log_changes(db, "solve_jobs", job.id, "update", {"status": (old, "cancelled")})
    commit(db)
    return job


@endpoint(
    bp,
    "/timetable-versions",
    "GET",
    name="list_timetable_versions",
    summary="List timetable versions",
    query=VersionQuery,
    response=Page[VersionOut],
    roles=EVERYONE,
    description="Staff see every version; other roles only published ones.",
)
def list_versions(query: VersionQuery) -> Page[VersionOut]:
    db = session()
    conditions = []
    if query.period_id is not None:
        conditions.append(Timetable.period_id == query.period_id)
    if query.kind is not None:
        conditions.append(Timetable.kind == query.kind)
    if query.status is not None:
        conditions.append(TimetableVersion.status == query.status)
    if not _is_staff():
        conditions.append(TimetableVersion.status == "published")
    base = select(TimetableVersion).join(Timetable, Timetable.id == TimetableVersion.timetable_id).where(*conditions)
    total = db.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = db.scalars(
        base.order_by(TimetableVersion.id.desc()).limit(query.per_page).offset((query.page - 1) * query.per_page)
    ).all()
    return Page[VersionOut](items=[version_out(v) for v in rows], total=total, page=query.page, per_page=query.per_page)


@endpoint(
    bp,
    VERSION,
    "GET",
    name="get_timetable_version",
    summary="Get a version with its lessons or exams",
    response=VersionDetail,
    roles=EVERYONE,
)
def get_version(id: int) -> VersionDetail:
    return version_detail(_version(id))


@endpoint(
    bp,
    "/timetables/published",
    "GET",
    name="get_published_timetable",
    summary="The published version of a period's lesson timetable or exam session",
    query=PublishedQuery,
    response=VersionDetail,
    errors=(404,),
    roles=EVERYONE,
)
def get_published(query: PublishedQuery) -> VersionDetail:
    version = session().scalar(
        select(TimetableVersion)
        .join(Timetable, Timetable.id == TimetableVersion.timetable_id)
        .where(
            Timetable.period_id == query.period_id, Timetable.kind == query.kind, TimetableVersion.status == "published"
        )
    )
    if version is None:
        raise NotFound(f"period {query.period_id} has no published {query.kind} timetable")
    return version_detail(version)


@endpoint(
    bp,
    f"{VERSION}/compare/<int:other>",
    "GET",
    name="compare_timetable_versions",
    summary="What moved from this version to another of the same timetable",
    response=CompareOut,
    errors=(422,),
    roles=EVERYONE,
)
def compare(id: int, other: int) -> CompareOut:
    a, b = _version(id), _version(other)
    if a.timetable_id != b.timetable_id:
        raise Unprocessable(f"versions {id} and {other} belong to different timetables", "other")
    kind = session().get_one(Timetable, a.timetable_id).kind
    moved = [
        {
            "item": m.item,
            "before": list(m.before) if m.before is not None else None,
            "after": list(m.after) if m.after is not None else None,
        }
        for m in versions.compare(kind, a, b)
    ]
    return CompareOut.model_validate({"from_version": a.id, "to_version": b.id, "moved": moved})


def _transition(id: int, action: str, body: Transition) -> VersionOut:
    db = session()
    version = _version(id)
    workflow.transition(
        db, version, action, actor=_actor(), roles=_roles(), revision=body.revision, comment=body.comment
    )
    commit(db)
    return version_out(version)


@endpoint(
    bp,
    f"{VERSION}/submit",
    "POST",
    name="submit_timetable_version",
    summary="Submit a draft for approval",
    body=Transition,
    response=VersionOut,
    errors=(409,),
    roles=AUTHORS,
    audited=True,
)
def submit(id: int, body: Transition) -> VersionOut:
    return _transition(id, "submit", body)


@endpoint(
    bp,
    f"{VERSION}/approve",
    "POST",
    name="approve_timetable_version",
    summary="Approve a submitted version (vice-rector)",
    body=Transition,
    response=VersionOut,
    errors=(409,),
    roles=APPROVERS,
    audited=True,
)
def approve(id: int, body: Transition) -> VersionOut:
    return _transition(id, "approve", body)


@endpoint(
    bp,
    f"{VERSION}/return",
    "POST",
    name="return_timetable_version",
    summary="Return a submitted version with a comment (vice-rector)",
    body=Transition,
    response=VersionOut,
    errors=(409,),
    roles=APPROVERS,
    audited=True,
)
def send_back(id: int, body: Transition) -> VersionOut:
    return _transition(id, "return", body)


@endpoint(
    bp,
    f"{VERSION}/publish",
    "POST",
    name="publish_timetable_version",
    summary="Publish an approved version (the previously published one is superseded)",
    body=Transition,
    response=VersionOut,
    errors=(409,),
    roles=PUBLISHERS,
    audited=True,
)
def publish(id: int, body: Transition) -> VersionOut:
    return _transition(id, "publish", body)


@endpoint(
    bp,
    f"{VERSION}/drafts",
    "POST",
    name="copy_timetable_version",
    summary="A new draft copying this version",
    response=VersionOut,
    status=201,
    roles=AUTHORS,
    audited=True,
)
def copy(id: int) -> VersionOut:
    db = session()
    version = _version(id)
    draft = workflow.new_draft(db, version, actor=_actor(), roles=_roles())
    commit(db)
    return version_out(draft)


def _edited(result: workflow.EditResult) -> EditOut:
    session().flush()
    data = {
        "version": version_out(result.version),
        "hard_before": result.hard_before,
        "hard_after": result.hard_after,
        "cost_before": result.cost_before,
        "cost_after": result.cost_after,
        "cost_change": result.cost_change,
        "new_violations": result.new_violations,
    }
    commit(session())
    return EditOut.model_validate(data)


@endpoint(
    bp,
    f"{VERSION}/lesson-moves",
    "POST",
    name="move_timetable_lesson",
    summary="Move a lesson; the answer gives new hard violations and the cost change",
    body=LessonMove,
    response=EditOut,
    errors=(409,),
    roles=AUTHORS,
    audited=True,
    description="An approved or published version is not changed: the move goes to a new draft.",
)
def move_lesson(id: int, body: LessonMove) -> EditOut:
    version = _version(id)
    result = workflow.move_lesson(
        session(),
        version,
        course=body.course,
        day=body.day,
        pair=body.pair,
        room=body.room,
        to_day=body.to_day,
        to_pair=body.to_pair,
        to_room=body.to_room,
        actor=_actor(),
        roles=_roles(),
        revision=body.revision,
    )
    return _edited(result)


@endpoint(
    bp,
    f"{VERSION}/exam-moves",
    "POST",
    name="move_timetable_exam",
    summary="Move an exam; the answer gives new hard violations and the cost change",
    body=ExamMove,
    response=EditOut,
    errors=(409,),
    roles=AUTHORS,
    audited=True,
    description="An approved or published version is not changed: the move goes to a new draft.",
)
def move_exam(id: int, body: ExamMove) -> EditOut:
    version = _version(id)
    result = workflow.move_exam(
        session(),
        version,
        exam=body.exam,
        to_period=body.to_period,
        to_room=body.to_room,
        actor=_actor(),
        roles=_roles(),
        revision=body.revision,
    )
    return _edited(result)


@endpoint(
    bp,
    f"{VERSION}/repair",
    "POST",
    name="repair_timetable_version",
    summary="Start a repair job: a valid timetable with as few moves as possible (a new draft)",
    body=RepairStart,
    response=JobOut,
    status=201,
    errors=(409,),
    roles=AUTHORS,
    audited=True,
)
def repair(id: int, body: RepairStart) -> SolveJob:
    db = session()
    version = _version(id)
    kind = db.get_one(Timetable, version.timetable_id).kind
    workflow.require(_roles(), "repair", kind)
    workflow.check_revision(version, body.revision)
    job = jobs.start_repair(db, version, time_limit=body.time_limit, actor=_actor())
    log_changes(
        db,
        "solve_jobs",
        job.id,
        "create",
        {"status": (None, "queued"), "kind": (None, "repair"), "base_version_id": (None, version.id)},
    )
    commit(db)
    runner.dispatch(job.id)
    return job
