"""The job supervisor and the Celery worker: a killed solver, the time limit, cancellation, reaping a dead
worker, and jobs through a real Celery worker process on the real Redis server."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask
from service_testing import Api
from sqlalchemy import update
from timetable_testing import Term, wait_for

from service import db
from service.models import GroupFormation, SolveJob, TimetableVersion
from service.timetabling import jobs, runner

REDIS = os.environ.get("REGISTRAR_TEST_REDIS", "redis://127.0.0.1:6379/0")


def queued_job(app: Flask, term: Term, time_limit: float) -> int:
    """A queued lesson job of the term, not dispatched to any runner."""
    with app.app_context():
        session = db.session()
        job = jobs.start_solve(session, term.period_id, "lessons", time_limit=time_limit, actor="test")
        session.commit()
        return job.id


def job_row(app: Flask, job_id: int) -> SolveJob:
    with app.app_context():
        return db.session().get_one(SolveJob, job_id)


def version_count(app: Flask) -> int:
    with app.app_context():
        return db.session().query(TimetableVersion).count()


class Supervised:
    """:func:`runner.supervise` of one job in a thread; ``process`` is the solver process once it started."""

    def __init__(self, app: Flask, job_id: int) -> None:
        self.url = db.engine(app).url.render_as_string(hide_password=False)
        self.started = threading.Event()
        self.process: subprocess.Popen[bytes] | None = None
        self.outcome: str | None = None
        self.thread = threading.Thread(target=self._run, args=(job_id,), daemon=True)
        self.thread.start()

    def _run(self, job_id: int) -> None:
        self.outcome = runner.supervise(self.url, job_id, started=self._started)

    def _started(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.started.set()

    def join(self) -> str | None:
        self.thread.join(timeout=120)
        assert not self.thread.is_alive()
        return self.outcome


def test_a_killed_solver_fails_the_job_and_saves_nothing(app: Flask, term: Term) -> None:
    job_id = queued_job(app, term, time_limit=600)
    run = Supervised(app, job_id)
    assert run.started.wait(60) and run.process is not None
    wait_for(lambda: job_row(app, job_id).status == "running")
    run.process.send_signal(signal.SIGKILL)
    assert run.join() == "solver was killed by signal 9"
    job = job_row(app, job_id)
    assert job.status == "failed" and job.error == "the solver process was killed by signal 9; nothing was saved"
    assert version_count(app) == 0


def test_the_time_limit_is_enforced(app: Flask, term: Term, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "GRACE", -0.9)  # the solver gets 0.1 s of its 1 s: less than it needs to start
    job_id = queued_job(app, term, time_limit=1)
    run = Supervised(app, job_id)
    assert run.join() == "time limit exceeded"
    assert run.process is not None and run.process.returncode == -signal.SIGKILL
    job = job_row(app, job_id)
    assert job.status == "failed" and job.error is not None and job.error.startswith("time limit exceeded")
    assert version_count(app) == 0


def test_cancelling_kills_the_solver(app: Flask, term: Term) -> None:
    job_id = queued_job(app, term, time_limit=600)
    run = Supervised(app, job_id)
    assert run.started.wait(60)
    wait_for(lambda: job_row(app, job_id).status == "running")
    with app.app_context():
        session = db.session()
        assert jobs.cancel(session, session.get_one(SolveJob, job_id))
        session.commit()
    assert run.join() == "ended elsewhere (cancelled or reaped): solver killed"
    assert run.process is not None and run.process.returncode == -signal.SIGKILL
    assert job_row(app, job_id).status == "cancelled" and version_count(app) == 0


def test_a_job_without_heartbeat_is_reaped(app: Flask, term: Term) -> None:
    job_id = queued_job(app, term, time_limit=30)
    engine = db.engine(app)
    lease = jobs.claim(engine, job_id, "gone-worker")
    assert lease is not None and jobs.claim(engine, job_id, "other") is None
    assert jobs.reap(engine, lease_seconds=30) == []
    with engine.begin() as connection:
        old = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
        connection.execute(update(SolveJob).where(SolveJob.id == job_id).values(heartbeat_at=old))
    assert jobs.reap(engine, lease_seconds=30) == [job_id]
    job = job_row(app, job_id)
    assert job.status == "failed" and job.error is not None and "stopped answering" in job.error
    # the old attempt can no longer write anything
    assert not jobs.beat(engine, job_id, lease)
    assert not jobs.report_progress(engine, job_id, lease, elapsed=1, cost=3, bound=None, phase="x")


@pytest.fixture
def broker() -> str:
    """The Redis server's URL; skip (fail in CI) when it is down."""
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS} is unreachable ({exc}); CI must test Celery (.ci/run starts it)")
        pytest.skip(f"Redis at {REDIS} is unreachable ({exc})")
    return REDIS


@pytest.fixture
def celery_worker(app: Flask, broker: str, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A ``registrar worker`` process on the test database and a queue of its own; the app sends jobs there."""
    queue = f"registrar-test-{secrets.token_hex(4)}"
    url = db.engine(app).url.render_as_string(hide_password=False)
    env = dict(os.environ, REGISTRAR_BROKER_URL=broker, REGISTRAR_DATABASE_URL=url, REGISTRAR_JOB_QUEUE=queue)
    log = (tmp_path / "worker.log").open("wb")
    process = subprocess.Popen([str(Path(sys.executable).parent / "registrar"), "worker"], env=env, stdout=log,
                               stderr=subprocess.STDOUT)  # fmt: skip
    app.config.update(BROKER_URL=broker, JOB_QUEUE=queue)
    yield process
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)
    log.close()
    redis.Redis.from_url(broker).delete(queue)


def test_jobs_run_on_a_celery_worker(app: Flask, term: Term, api: Api, celery_worker: subprocess.Popen[bytes],
                                     client_as: object) -> None:  # fmt: skip
    scheduler = Api(client_as("scheduler"))  # type: ignore[operator]
    job = scheduler.post("/timetable-jobs", 201, period_id=term.period_id, kind="lessons", time_limit=2)
    done = wait_for(lambda: (j := scheduler.get(f"/timetable-jobs/{job['id']}"))["status"] == "finished" and j)
    assert done["worker"].split(":")[0] and done["version_id"] is not None
    assert int(done["worker"].split(":")[1]) == celery_worker.pid  # the worker process supervised it
    # a worker killed mid-solve: the solver dies with it, the job is failed by reaping, nothing is saved
    job = scheduler.post("/timetable-jobs", 201, period_id=term.period_id, kind="lessons", time_limit=600)
    wait_for(lambda: scheduler.get(f"/timetable-jobs/{job['id']}")["status"] == "running")
    before = version_count(app)
    celery_worker.send_signal(signal.SIGKILL)
    celery_worker.wait(timeout=30)
    engine = db.engine(app)
    wait_for(lambda: job["id"] in jobs.reap(engine, lease_seconds=1))
    failed = scheduler.get(f"/timetable-jobs/{job['id']}")
    assert failed["status"] == "failed" and "stopped answering" in failed["error"]
    assert version_count(app) == before


def test_a_groups_job_runs_on_a_celery_worker(app: Flask, term: Term, celery_worker: subprocess.Popen[bytes],
                                              client_as: object) -> None:  # fmt: skip
    scheduler = Api(client_as("scheduler"))  # type: ignore[operator]
    job = scheduler.post("/timetable-jobs", 201, period_id=term.period_id, kind="groups", time_limit=2)
    done = wait_for(lambda: (j := scheduler.get(f"/timetable-jobs/{job['id']}"))["status"] == "finished" and j)
    assert int(done["worker"].split(":")[1]) == celery_worker.pid and done["formation_id"] is not None
    formation = scheduler.get(f"/group-formations/{done['formation_id']}")
    assert formation["hard_violations"] == 0 and formation["job_id"] == job["id"]


def test_a_cancelled_groups_job_keeps_no_late_formation(app: Flask, term: Term) -> None:
    from models.groups import Grouping
    from models.groups_scoring import GroupingReport

    with app.app_context():
        session = db.session()
        job_id = jobs.start_solve(session, term.period_id, "groups", time_limit=30, actor="test").id
        session.commit()
    engine = db.engine(app)
    lease = jobs.claim(engine, job_id, "w")
    assert lease is not None
    with app.app_context():
        session = db.session()
        assert jobs.cancel(session, session.get_one(SolveJob, job_id))
        session.commit()
    assert jobs.finish_formation(engine, job_id, lease, Grouping(), GroupingReport(), elapsed=1.0) is None
    with app.app_context():
        assert db.session().query(GroupFormation).count() == 0
    assert job_row(app, job_id).status == "cancelled"


def test_a_cancelled_job_keeps_no_late_result(app: Flask, term: Term) -> None:
    from models.course_timetable import CourseTimetable

    job_id = queued_job(app, term, time_limit=30)
    engine = db.engine(app)
    lease = jobs.claim(engine, job_id, "w")
    assert lease is not None
    with app.app_context():
        session = db.session()
        assert jobs.cancel(session, session.get_one(SolveJob, job_id))
        session.commit()
    assert jobs.finish(engine, job_id, lease, CourseTimetable(), elapsed=1.0, cost=0, bound=None) is None
    assert version_count(app) == 0 and job_row(app, job_id).status == "cancelled"
