"""Solve jobs: their states and every write to them.

States: ``queued`` -> ``running`` -> ``finished`` | ``failed`` | ``cancelled`` (``queued`` may also go
straight to ``cancelled``). Rules:

- :func:`start_solve` / :func:`start_repair` build the instance first (from the records, or from the
  version to repair) and store it on the job: a problem of the records is a
  :class:`~service.timetabling.instances.RecordsProblem` (the API's 422) and no job is created. Kind
  ``groups`` builds the group formation instance from the period's registrations
  (:func:`~service.timetabling.instances.enrollment_instance`); its job has no timetable.
- :func:`claim` moves a queued job to running and gives the attempt a fresh *lease* token; only the
  holder of the current lease may report progress (:func:`report_progress`), beat (:func:`beat`),
  finish (:func:`finish`) or fail (:func:`fail`) the job. Each of these is one conditional UPDATE
  (``WHERE lease = ... AND status = 'running'``), so a cancelled or reaped job ignores its old worker.
- :func:`finish` writes the new draft version and the job's ``finished`` state in ONE transaction,
  after the conditional UPDATE took the row: a timetable is saved whole or not at all;
  :func:`finish_formation` does the same for a ``groups`` job and its
  :class:`~service.models.GroupFormation`.
- :func:`cancel` marks a queued or running job cancelled at once; the runner sees it at its next beat
  and kills the solver process.
- :func:`reap` fails running jobs whose heartbeat is older than the lease time (a worker killed with
  SIGKILL, a machine gone): reason ``the worker stopped answering``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Engine, and_, select, update
from sqlalchemy.orm import Session, sessionmaker

from models.course_timetable import CourseTimetable
from models.exam_instance import ExamTimetable
from models.groups import Grouping
from models.groups_scoring import GroupingReport
from service.models import SolveJob, Timetable, TimetableVersion
from service.timetabling import formations, instances, versions
from service.timetabling.instances import RecordsProblem

KINDS = (*instances.KINDS, "groups")
"""Kinds of job started from a period's records (a ``repair`` starts from a version)."""
STATUSES = ("queued", "running", "finished", "failed", "cancelled")
ACTIVE = ("queued", "running")
MIN_TIME_LIMIT, MAX_TIME_LIMIT = 1.0, 3600.0
DEFAULT_LEASE_SECONDS = 30.0
"""A running job whose heartbeat is older than this is failed by :func:`reap`."""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_time_limit(time_limit: float) -> float:
    if not MIN_TIME_LIMIT <= time_limit <= MAX_TIME_LIMIT:
        raise RecordsProblem(f"time limit must be between {MIN_TIME_LIMIT:g} and {MAX_TIME_LIMIT:g} seconds")
    return float(time_limit)


def start_solve(db: Session, period_id: int, kind: str, *, time_limit: float, actor: str) -> SolveJob:
    """A queued job solving the period's ``kind`` timetable (or forming its groups) from its records
    (committed by the caller)."""
    check_time_limit(time_limit)
    if kind == "groups":
        instance = instances.enrollment_instance(db, period_id)
        return _new_job(db, kind, period_id, None, formations.instance_json(instance), {}, time_limit, actor, None)
    built = instances.build(db, period_id, kind)
    timetable = versions.timetable_for(db, period_id, kind)
    return _new_job(db, kind, period_id, timetable, built.instance_json(), built.legend, time_limit, actor, None)


def start_repair(db: Session, version: TimetableVersion, *, time_limit: float, actor: str) -> SolveJob:
    """A queued job repairing ``version`` (its hard violations) with as few moves as possible."""
    check_time_limit(time_limit)
    timetable = db.get_one(Timetable, version.timetable_id)
    return _new_job(db, "repair", timetable.period_id, timetable, version.instance, version.legend, time_limit, actor,
                    version.id)  # fmt: skip


def kind_of(db: Session, job: SolveJob) -> str:
    """What the job makes: ``lessons``, ``exams`` (a repair: its timetable's kind) or ``groups``."""
    if job.timetable_id is None:
        return job.kind
    return db.get_one(Timetable, job.timetable_id).kind


def _new_job(
    db: Session,
    kind: str,
    period_id: int,
    timetable: Timetable | None,
    instance: dict[str, Any],
    legend: dict[str, Any],
    time_limit: float,
    actor: str,
    base_version_id: int | None,
) -> SolveJob:
    job = SolveJob(
        kind=kind,
        period_id=period_id,
        timetable_id=timetable.id if timetable is not None else None,
        base_version_id=base_version_id,
        status="queued",
        time_limit=time_limit,
        instance=instance,
        legend=legend,
        created_at=now(),
        created_by=actor,
        attempts=0,
        cancel_requested=False,
    )
    db.add(job)
    db.flush()
    return job


def claim(engine: Engine, job_id: int, worker: str) -> str | None:
    """Move a queued job to running under a new lease; the lease, or ``None`` if it was not queued."""
    lease = uuid.uuid4().hex
    at = now()
    with engine.begin() as connection:
        done = connection.execute(
            update(SolveJob)
            .where(SolveJob.id == job_id, SolveJob.status == "queued")
            .values(
                status="running",
                lease=lease,
                worker=worker[:200],
                started_at=at,
                heartbeat_at=at,
                attempts=SolveJob.attempts + 1,
                elapsed=0.0,
            )
        )
    return lease if done.rowcount == 1 else None


def _holder(job_id: int, lease: str) -> Any:
    return and_(SolveJob.id == job_id, SolveJob.lease == lease, SolveJob.status == "running")


def beat(engine: Engine, job_id: int, lease: str) -> bool:
    """Renew the heartbeat; ``False`` when the job is no longer this attempt's (cancelled, reaped, done)."""
    with engine.begin() as connection:
        done = connection.execute(update(SolveJob).where(_holder(job_id, lease)).values(heartbeat_at=now()))
    return done.rowcount == 1


def report_progress(
    engine: Engine, job_id: int, lease: str, *, elapsed: float, cost: int | None, bound: int | None, phase: str
) -> bool:
    """Store the solver's progress (and renew the heartbeat); ``False`` when the job is no longer this attempt's."""
    with engine.begin() as connection:
        done = connection.execute(
            update(SolveJob)
            .where(_holder(job_id, lease))
            .values(elapsed=round(elapsed, 3), best_cost=cost, best_bound=bound, phase=phase[:100], heartbeat_at=now())
        )
    return done.rowcount == 1


def fail(engine: Engine, job_id: int, lease: str, reason: str) -> bool:
    """Mark this attempt's job failed with ``reason``; ``False`` if it was no longer this attempt's."""
    with engine.begin() as connection:
        done = connection.execute(
            update(SolveJob).where(_holder(job_id, lease)).values(status="failed", error=reason, finished_at=now())
        )
    return done.rowcount == 1


def finish(
    engine: Engine,
    job_id: int,
    lease: str,
    solution: CourseTimetable | ExamTimetable,
    *,
    elapsed: float,
    cost: int | None,
    bound: int | None,
) -> int | None:
    """Write the solved timetable as a new draft and finish the job, in one transaction.

    Returns the new version's id, or ``None`` (nothing written) when the job is no longer this
    attempt's: cancelled, reaped or finished meanwhile.
    """
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as db:
        if not _take(db, job_id, lease, elapsed=elapsed, cost=cost, bound=bound):
            return None
        job = db.get_one(SolveJob, job_id)
        assert job.timetable_id is not None
        timetable = db.get_one(Timetable, job.timetable_id)
        base = db.get(TimetableVersion, job.base_version_id) if job.base_version_id is not None else None
        version = versions.add_version(
            db,
            timetable,
            job.instance,
            job.legend,
            solution,
            source="repair" if base is not None else "solve",
            actor=job.created_by,
            based_on=base,
            job_id=job.id,
        )
        job.version_id = version.id
        version_id = version.id
        db.commit()
        return version_id


def finish_formation(
    engine: Engine, job_id: int, lease: str, grouping: Grouping, report: GroupingReport, *, elapsed: float
) -> int | None:
    """Store the formed sections with their scorer's ``report`` and finish the ``groups`` job, in one transaction.

    The job's ``best_cost`` is the number of sections and ``best_bound`` the scorer's lower bound. Returns
    the formation's id, or ``None`` (nothing written) when the job is no longer this attempt's.
    """
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as db:
        cost, bound = report.terms["Sections"], report.terms["LowerBound"]
        if not _take(db, job_id, lease, elapsed=elapsed, cost=cost, bound=bound):
            return None
        job = db.get_one(SolveJob, job_id)
        formation = formations.add_formation(
            db, job.period_id, job.instance, grouping, report, actor=job.created_by, job_id=job.id
        )
        job.formation_id = formation.id
        formation_id = formation.id
        db.commit()
        return formation_id


def _take(db: Session, job_id: int, lease: str, *, elapsed: float, cost: int | None, bound: int | None) -> bool:
    """Mark this attempt's job finished (the first statement of the finishing transaction); ``False``, with
    the transaction rolled back, when the job is no longer this attempt's."""
    taken = db.execute(
        update(SolveJob)
        .where(_holder(job_id, lease))
        .values(
            status="finished",
            finished_at=now(),
            elapsed=round(elapsed, 3),
            best_cost=cost,
            best_bound=bound,
            heartbeat_at=now(),
        )
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        db.rollback()
        return False
    return True


def cancel(db: Session, job: SolveJob) -> bool:
    """Cancel a queued or running job (committed by the caller); ``False`` if it had already ended."""
    if job.status not in ACTIVE:
        return False
    job.status = "cancelled"
    job.cancel_requested = True
    job.finished_at = now()
    return True


def reap(engine: Engine, lease_seconds: float = DEFAULT_LEASE_SECONDS) -> list[int]:
    """Fail running jobs with no heartbeat for ``lease_seconds``; their ids."""
    cutoff = now() - dt.timedelta(seconds=lease_seconds)
    with engine.begin() as connection:
        stale = list(
            connection.scalars(select(SolveJob.id).where(SolveJob.status == "running", SolveJob.heartbeat_at < cutoff))
        )
        for job_id in stale:
            connection.execute(
                update(SolveJob)
                .where(SolveJob.id == job_id, SolveJob.status == "running", SolveJob.heartbeat_at < cutoff)
                .values(
                    status="failed",
                    finished_at=now(),
                    error=f"the worker stopped answering (no heartbeat for {lease_seconds:g} s); "
                    "nothing was saved, start the job again",
                )
            )
    return stale
