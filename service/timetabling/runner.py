"""Running solve jobs in the background: the supervisor, the in-process runner and the Celery dispatch.

:func:`supervise` runs one job attempt wherever it is called: it claims the queued job (a lease, see
:mod:`service.timetabling.jobs`), starts the solver in its own process
(``python -m service.timetabling.worker``; on Linux that process dies with the thread that started
it), and until the process exits renews the job's heartbeat every :data:`TICK` seconds. It kills the
solver process when the job was cancelled (or reaped), and when the job's time limit plus
:data:`GRACE` seconds has passed (the job then fails with ``time limit exceeded``). A solver process
that dies without ending the job (a crash, SIGKILL) fails the job with its exit status.

Two ways to call it (:func:`dispatch` chooses from the app's configuration):

- embedded (default): :class:`LocalRunner`, a daemon thread of the web process with a queue; jobs run
  one at a time (``REGISTRAR_LOCAL_JOBS`` threads for more), so one ``registrar service run`` with SQLite
  needs nothing else;
- Celery: with ``REGISTRAR_BROKER_URL`` (e.g. ``redis://127.0.0.1:6379/0``) the web process only sends
  the job id to the broker; ``registrar worker`` (:mod:`service.timetabling.celery_app`) runs
  :func:`supervise` for each message, on as many machines as there are workers.

Jobs whose worker died with its supervisor (SIGKILL of the Celery worker, a lost machine) keep a stale
heartbeat; :func:`~service.timetabling.jobs.reap` fails them after the lease time
(``REGISTRAR_JOB_LEASE_SECONDS``, default 30). The API reaps before it lists or shows jobs, and every
supervisor reaps before it claims.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import Engine

from service import db as service_db
from service.db import make_engine
from service.timetabling import jobs

TICK = 0.5
"""Seconds between heartbeats (and checks for cancellation) of a supervisor."""
GRACE = 60.0
"""Seconds a solver may overrun its time limit before it is killed."""
EXTENSION = "registrar.job_runner"


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the solver process gets SIGKILL when the thread that started it ends (PR_SET_PDEATHSIG)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def supervise(
    url: str,
    job_id: int,
    *,
    lease_seconds: float = jobs.DEFAULT_LEASE_SECONDS,
    engine: Engine | None = None,
    name: str | None = None,
    started: Callable[[subprocess.Popen[bytes]], None] | None = None,
) -> str:
    """Run one attempt of job ``job_id`` on the database at ``url``; how it ended (for logs).

    ``started`` (tests) is called with the solver process once it runs.
    """
    own = engine is None
    engine = engine or make_engine(url)
    try:
        jobs.reap(engine, lease_seconds)
        lease = jobs.claim(engine, job_id, name or worker_name())
        if lease is None:
            return "not queued"
        limit = _time_limit(engine, job_id)
        env = dict(os.environ, REGISTRAR_DATABASE_URL=url)
        process = subprocess.Popen(
            [sys.executable, "-m", "service.timetabling.worker", str(job_id), lease],
            env=env,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        if started is not None:
            started(process)
        deadline = time.monotonic() + limit + GRACE
        while True:
            try:
                code = process.wait(timeout=TICK)
                break
            except subprocess.TimeoutExpired:
                pass
            if not jobs.beat(engine, job_id, lease):
                _kill(process)
                return "ended elsewhere (cancelled or reaped): solver killed"
            if time.monotonic() > deadline:
                _kill(process)
                jobs.fail(
                    engine,
                    job_id,
                    lease,
                    f"time limit exceeded: the solver ran {limit:g} s + {GRACE:g} s "
                    "grace and was stopped; nothing was saved",
                )
                return "time limit exceeded"
        if code != 0:
            how = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
            jobs.fail(engine, job_id, lease, f"the solver process {how}; nothing was saved")
            return f"solver {how}"
        return "done"
    finally:
        if own:
            engine.dispose()


def _time_limit(engine: Engine, job_id: int) -> float:
    from sqlalchemy import select

    from service.models import SolveJob

    with engine.connect() as connection:
        return float(connection.scalar(select(SolveJob.time_limit).where(SolveJob.id == job_id)) or 0.0)


def _kill(process: subprocess.Popen[bytes]) -> None:
    process.kill()
    process.wait()


class LocalRunner:
    """Daemon threads of the web process that supervise queued jobs one after another."""

    def __init__(self, url: str, threads: int = 1, lease_seconds: float = jobs.DEFAULT_LEASE_SECONDS) -> None:
        self.url, self.lease_seconds = url, lease_seconds
        self.queue: queue.Queue[int] = queue.Queue()
        self.engine = make_engine(url)
        self.threads = [
            threading.Thread(target=self._loop, name=f"registrar-jobs-{n}", daemon=True) for n in range(threads)
        ]
        for thread in self.threads:
            thread.start()

    def submit(self, job_id: int) -> None:
        self.queue.put(job_id)

    def _loop(self) -> None:
        while True:
            job_id = self.queue.get()
            try:
                supervise(self.url, job_id, lease_seconds=self.lease_seconds, engine=self.engine)
            except Exception:  # keep the runner alive; the job is failed by the lease if it was claimed
                import logging

                logging.getLogger(__name__).exception("job %s: the supervisor failed", job_id)
            finally:
                self.queue.task_done()


def lease_seconds(app: Flask | None = None) -> float:
    app = app or current_app
    return float(app.config.get("JOB_LEASE_SECONDS") or jobs.DEFAULT_LEASE_SECONDS)


def dispatch(job_id: int, app: Flask | None = None) -> None:
    """Hand a committed queued job to the configured runner (Celery if a broker is set, else in-process)."""
    app = app or current_app
    broker = app.config.get("BROKER_URL")
    if broker:
        from service.timetabling.celery_app import send

        send(str(broker), job_id, app.config.get("JOB_QUEUE") or None)
        return
    runner: LocalRunner | None = app.extensions.get(EXTENSION)
    if runner is None:
        url = str(service_db.engine(app).url.render_as_string(hide_password=False))
        runner = LocalRunner(url, int(app.config.get("LOCAL_JOBS") or 1), lease_seconds(app))
        app.extensions[EXTENSION] = runner
    runner.submit(job_id)
