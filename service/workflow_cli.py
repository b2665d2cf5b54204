"""``registrar workflow ...`` and ``registrar worker``: the timetable workflow from the command line.

- ``workflow solve PERIOD_ID --kind lessons|exams|groups [--time-limit 30] [--detach]``: build the instance
  from the records and run the job (``groups``: form the sections of the period's registrations). Without
  ``REGISTRAR_BROKER_URL`` the job runs here, in the foreground (progress printed when it ends); with a
  broker it is queued for the Celery workers and, unless ``--detach``, the command waits for it.
- ``workflow jobs [--status S]``, ``workflow job ID``, ``workflow cancel ID``;
- ``workflow versions [--period ID] [--kind K]``, ``workflow show ID`` (lessons or exams, scores);
- ``workflow submit|approve|publish ID --revision N``, ``workflow return ID --revision N --comment TEXT``;
- ``workflow copy ID`` (a new draft), ``workflow move-lesson ID --revision N COURSE DAY PAIR ROOM TO_DAY
  TO_PAIR [--to-room R]``, ``workflow move-exam ID --revision N EXAM TO_PERIOD [--to-room R]``,
  ``workflow repair ID [--time-limit 30]``, ``workflow compare ID OTHER``;
- ``registrar worker [--loglevel INFO]``: a Celery worker for the jobs (needs ``REGISTRAR_BROKER_URL`` and
  ``REGISTRAR_DATABASE_URL``; one job at a time, ``--pool=solo``).

The command line is the operator's: it is not limited by the roles (the API and the pages are); its
changes are audited as ``cli:<login>``. Bad input (an unknown id, a stale revision, a version in the
wrong state, records that make no instance) exits with status 1 and a message naming it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from service import create_app, db
from service.audit import who
from service.errors import ApiError
from service.models import SolveJob, Timetable, TimetableVersion
from service.timetabling import jobs, runner, versions, workflow
from service.timetabling.instances import DAYS, RecordsProblem


@contextmanager
def _session() -> Iterator[tuple[Flask, Session]]:
    app: Flask = create_app()
    try:
        with app.app_context():
            session = db.session()
            try:
                yield app, session
            except (ApiError, RecordsProblem, ValueError) as exc:
                session.rollback()
                raise click.ClickException(str(exc)) from None
    finally:
        db.dispose(app)


def _actor() -> str:
    return who()[1]


def _job_line(job: SolveJob) -> str:
    cost = "-" if job.best_cost is None else job.best_cost
    elapsed = "-" if job.elapsed is None else f"{job.elapsed:.1f}s"
    tail = f" version {job.version_id}" if job.version_id else ""
    tail += f" formation {job.formation_id}" if job.formation_id else ""
    tail += f": {job.error}" if job.error else ""
    return f"job {job.id} {job.kind} {job.status} elapsed {elapsed} cost {cost}{tail}"


def _version_line(session: Session, version: TimetableVersion) -> str:
    timetable = session.get_one(Timetable, version.timetable_id)
    return (
        f"version {version.id} ({timetable.kind} of period {timetable.period_id}, no. {version.number}) "
        f"{version.status} revision {version.revision}: hard {version.hard_violations}, cost {version.cost}"
    )


def _get(session: Session, model: type[Any], id: int, what: str) -> Any:
    row = session.get(model, id)
    if row is None:
        raise click.ClickException(f"there is no {what} {id}")
    return row


@click.group("workflow")
def workflow_cli() -> None:
    """Timetable workflow of the records service: solve jobs, versions, approval, edits, repair."""


def _run_or_wait(app: Flask, session: Session, job: SolveJob, detach: bool) -> None:
    session.commit()
    job_id = job.id
    if app.config.get("BROKER_URL"):
        runner.dispatch(job_id, app)
        click.echo(f"job {job_id} queued on {app.config['BROKER_URL']}")
        if detach:
            return
        while True:
            session.expire_all()
            job = session.get_one(SolveJob, job_id)
            if job.status not in jobs.ACTIVE:
                break
            time.sleep(runner.TICK)
    else:
        url = db.engine(app).url.render_as_string(hide_password=False)
        runner.supervise(url, job_id, lease_seconds=runner.lease_seconds(app))
        session.expire_all()
        job = session.get_one(SolveJob, job_id)
    click.echo(_job_line(job))
    if job.status != "finished":
        raise SystemExit(1)


@workflow_cli.command("solve")
@click.argument("period_id", type=int)
@click.option("--kind", type=click.Choice(jobs.KINDS), default="lessons", show_default=True)
@click.option("--time-limit", type=float, default=30.0, show_default=True, help="Seconds for the solver.")
@click.option("--detach", is_flag=True, help="With a broker: queue the job and return at once.")
def solve_cmd(period_id: int, kind: str, time_limit: float, detach: bool) -> None:
    """Solve the lesson timetable or exam session of PERIOD_ID from its records (a new draft), or form the
    sections of its registrations (kind groups: a group formation)."""
    with _session() as (app, session):
        job = jobs.start_solve(session, period_id, kind, time_limit=time_limit, actor=_actor())
        _run_or_wait(app, session, job, detach)


@workflow_cli.command("repair")
@click.argument("version_id", type=int)
@click.option("--time-limit", type=float, default=30.0, show_default=True)
@click.option("--detach", is_flag=True, help="With a broker: queue the job and return at once.")
def repair_cmd(version_id: int, time_limit: float, detach: bool) -> None:
    """Repair VERSION_ID: a valid timetable with as few moves as possible (a new draft)."""
    with _session() as (app, session):
        version = _get(session, TimetableVersion, version_id, "timetable version")
        job = jobs.start_repair(session, version, time_limit=time_limit, actor=_actor())
        _run_or_wait(app, session, job, detach)


@workflow_cli.command("jobs")
@click.option("--status", type=click.Choice(jobs.STATUSES))
def jobs_cmd(status: str | None) -> None:
    """List solve jobs, newest first."""
    with _session() as (app, session):
        jobs.reap(db.engine(app), runner.lease_seconds(app))
        query = select(SolveJob).order_by(SolveJob.id.desc())
        if status:
            query = query.where(SolveJob.status == status)
        for job in session.scalars(query):
            click.echo(_job_line(job))


@workflow_cli.command("job")
@click.argument("job_id", type=int)
def job_cmd(job_id: int) -> None:
    """Show one job."""
    with _session() as (app, session):
        jobs.reap(db.engine(app), runner.lease_seconds(app))
        click.echo(_job_line(_get(session, SolveJob, job_id, "solve job")))


@workflow_cli.command("cancel")
@click.argument("job_id", type=int)
def cancel_cmd(job_id: int) -> None:
    """Cancel a queued or running job."""
    with _session() as (_, session):
        job = _get(session, SolveJob, job_id, "solve job")
        if not jobs.cancel(session, job):
            raise click.ClickException(f"job {job_id} has already ended ({job.status})")
        session.commit()
        click.echo(_job_line(job))


@workflow_cli.command("versions")
@click.option("--period", "period_id", type=int)
@click.option("--kind", type=click.Choice(["lessons", "exams"]))
def versions_cmd(period_id: int | None, kind: str | None) -> None:
    """List timetable versions, newest first."""
    with _session() as (_, session):
        query = select(TimetableVersion).join(Timetable, Timetable.id == TimetableVersion.timetable_id)
        if period_id is not None:
            query = query.where(Timetable.period_id == period_id)
        if kind is not None:
            query = query.where(Timetable.kind == kind)
        for version in session.scalars(query.order_by(TimetableVersion.id.desc())):
            click.echo(_version_line(session, version))


@workflow_cli.command("show")
@click.argument("version_id", type=int)
def show_cmd(version_id: int) -> None:
    """Show a version: its scores and its lessons (or exams)."""
    with _session() as (_, session):
        version = _get(session, TimetableVersion, version_id, "timetable version")
        click.echo(_version_line(session, version))
        for name, count in {**version.hard, **version.soft}.items():
            if count:
                click.echo(f"  {name}: {count}")
        if session.get_one(Timetable, version.timetable_id).kind == "lessons":
            for r in versions.lesson_rows(version):
                click.echo(
                    f"  {DAYS[r.day][:3]} pair {r.pair + 1} {r.room:8} {r.course:24} {r.kind:8} "
                    f"{','.join(r.groups)} {r.teacher or '-'}"
                )
        else:
            for e in versions.exam_rows(version):
                click.echo(
                    f"  {e.date} {e.start} {e.room or '-':8} {e.exam:24} {e.students} students {e.teacher or '-'}"
                )


def _transition(action: str, version_id: int, revision: int, comment: str | None = None) -> None:
    with _session() as (_, session):
        version = _get(session, TimetableVersion, version_id, "timetable version")
        workflow.transition(session, version, action, actor=_actor(), roles=None, revision=revision, comment=comment)
        session.commit()
        click.echo(_version_line(session, version))


REVISION = click.option("--revision", type=int, required=True, help="The revision you read (optimistic lock).")


@workflow_cli.command("submit")
@click.argument("version_id", type=int)
@REVISION
def submit_cmd(version_id: int, revision: int) -> None:
    """Submit a draft (or returned) version for approval."""
    _transition("submit", version_id, revision)


@workflow_cli.command("approve")
@click.argument("version_id", type=int)
@REVISION
@click.option("--comment", help="An optional remark.")
def approve_cmd(version_id: int, revision: int, comment: str | None) -> None:
    """Approve a submitted version."""
    _transition("approve", version_id, revision, comment)


@workflow_cli.command("return")
@click.argument("version_id", type=int)
@REVISION
@click.option("--comment", required=True, help="What to change.")
def return_cmd(version_id: int, revision: int, comment: str) -> None:
    """Return a submitted version with a comment."""
    _transition("return", version_id, revision, comment)


@workflow_cli.command("publish")
@click.argument("version_id", type=int)
@REVISION
def publish_cmd(version_id: int, revision: int) -> None:
    """Publish an approved version (the published one before it is superseded)."""
    _transition("publish", version_id, revision)


@workflow_cli.command("copy")
@click.argument("version_id", type=int)
def copy_cmd(version_id: int) -> None:
    """A new draft copying VERSION_ID."""
    with _session() as (_, session):
        version = _get(session, TimetableVersion, version_id, "timetable version")
        draft = workflow.new_draft(session, version, actor=_actor(), roles=None)
        session.commit()
        click.echo(_version_line(session, draft))


def _edit_result(session: Session, result: workflow.EditResult) -> None:
    session.commit()
    click.echo(_version_line(session, result.version))
    click.echo(
        f"hard violations {result.hard_before} -> {result.hard_after}, cost {result.cost_before} -> "
        f"{result.cost_after} ({result.cost_change:+d})"
    )
    for line in result.new_violations:
        click.echo(f"  new: {line}")


@workflow_cli.command("move-lesson")
@click.argument("version_id", type=int)
@click.argument("course")
@click.argument("day", type=int)
@click.argument("pair", type=int)
@click.argument("room")
@click.argument("to_day", type=int)
@click.argument("to_pair", type=int)
@click.option("--to-room")
@REVISION
def move_lesson_cmd(
    version_id: int,
    course: str,
    day: int,
    pair: int,
    room: str,
    to_day: int,
    to_pair: int,
    to_room: str | None,
    revision: int,
) -> None:
    """Move the lesson of COURSE at DAY PAIR ROOM (from 0) to TO_DAY TO_PAIR; prints the re-check."""
    with _session() as (_, session):
        version = _get(session, TimetableVersion, version_id, "timetable version")
        result = workflow.move_lesson(
            session,
            version,
            course=course,
            day=day,
            pair=pair,
            room=room,
            to_day=to_day,
            to_pair=to_pair,
            to_room=to_room,
            actor=_actor(),
            roles=None,
            revision=revision,
        )
        _edit_result(session, result)


@workflow_cli.command("move-exam")
@click.argument("version_id", type=int)
@click.argument("exam")
@click.argument("to_period", type=int)
@click.option("--to-room")
@REVISION
def move_exam_cmd(version_id: int, exam: str, to_period: int, to_room: str | None, revision: int) -> None:
    """Move EXAM to sitting TO_PERIOD (from 0); prints the re-check."""
    with _session() as (_, session):
        version = _get(session, TimetableVersion, version_id, "timetable version")
        result = workflow.move_exam(
            session,
            version,
            exam=exam,
            to_period=to_period,
            to_room=to_room,
            actor=_actor(),
            roles=None,
            revision=revision,
        )
        _edit_result(session, result)


@workflow_cli.command("compare")
@click.argument("version_id", type=int)
@click.argument("other_id", type=int)
def compare_cmd(version_id: int, other_id: int) -> None:
    """What moved from VERSION_ID to OTHER_ID (versions of one timetable)."""
    with _session() as (_, session):
        a = _get(session, TimetableVersion, version_id, "timetable version")
        b = _get(session, TimetableVersion, other_id, "timetable version")
        if a.timetable_id != b.timetable_id:
            raise click.ClickException(f"versions {version_id} and {other_id} belong to different timetables")
        moved = versions.compare(session.get_one(Timetable, a.timetable_id).kind, a, b)
        for m in moved:
            click.echo(f"{m.item}: {list(m.before) if m.before else '-'} -> {list(m.after) if m.after else '-'}")
        click.echo(f"{len(moved)} moved")


@click.command("worker")
@click.option("--loglevel", default="INFO", show_default=True)
def worker_cli(loglevel: str) -> None:
    """A Celery worker for solve jobs (needs REGISTRAR_BROKER_URL and REGISTRAR_DATABASE_URL)."""
    missing = [name for name in ("REGISTRAR_BROKER_URL", "REGISTRAR_DATABASE_URL") if not os.environ.get(name)]
    if missing:
        raise click.ClickException(f"{' and '.join(missing)} must be set for a worker")
    from service.timetabling.celery_app import make, queue_name

    app = make(os.environ["REGISTRAR_BROKER_URL"])
    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--concurrency=1",
            f"--loglevel={loglevel}",
            "-Q",
            queue_name(),
            "--without-gossip",
            "--without-mingle",
        ]
    )
