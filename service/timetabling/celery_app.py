"""Celery mode of the solve jobs: a broker (Redis) carries job ids to ``registrar worker`` processes.

- The web process sends ``registrar.solve_job(job_id)`` (:func:`send`) when ``REGISTRAR_BROKER_URL`` is
  set; the job itself (instance, state, progress, result) lives in the database, the message only
  names it.
- The queue is ``registrar-jobs`` unless ``REGISTRAR_JOB_QUEUE`` names another (set the same on the web
  process and its workers).
- A worker (``registrar worker``, or ``celery -A service.timetabling.celery_app worker --pool=solo``)
  needs ``REGISTRAR_BROKER_URL`` and ``REGISTRAR_DATABASE_URL`` (the same database as the web process)
  and runs :func:`~service.timetabling.runner.supervise` for each message: one job at a time per worker
  process (``--pool=solo``: the solver runs in a child process the supervisor watches; start more
  workers for more jobs at once). Messages are acknowledged late and one at a time is prefetched, so
  jobs queue on the broker, not inside a busy worker.
- A worker killed mid-solve leaves its job ``running`` with a stale heartbeat: it is failed by the next
  reaping (:func:`service.timetabling.jobs.reap`), never half saved.
"""

from __future__ import annotations

import os
from functools import cache

from celery import Celery

TASK = "registrar.solve_job"
DEFAULT_QUEUE = "registrar-jobs"
"""The broker queue of the jobs; ``REGISTRAR_JOB_QUEUE`` names another (one per installation on a shared broker)."""


def queue_name() -> str:
    return os.environ.get("REGISTRAR_JOB_QUEUE") or DEFAULT_QUEUE


@cache
def make(broker_url: str) -> Celery:
    """The Celery app for ``broker_url`` (one per URL and process)."""
    app = Celery("registrar", broker=broker_url)
    app.conf.update(
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        task_default_queue=queue_name(),
    )

    @app.task(name=TASK)
    def solve_job(job_id: int) -> str:
        from service.timetabling.runner import supervise

        url = os.environ.get("REGISTRAR_DATABASE_URL")
        if not url:
            raise RuntimeError("REGISTRAR_DATABASE_URL is not set for the worker")
        lease = float(os.environ.get("REGISTRAR_JOB_LEASE_SECONDS") or 30)
        return supervise(url, int(job_id), lease_seconds=lease)

    return app


def send(broker_url: str, job_id: int, queue: str | None = None) -> None:
    """Queue job ``job_id`` on the broker (``queue``: default :func:`queue_name`)."""
    make(broker_url).send_task(TASK, args=[job_id], queue=queue or queue_name())


app = make(os.environ.get("REGISTRAR_BROKER_URL") or "redis://127.0.0.1:6379/0")
"""The app ``celery -A service.timetabling.celery_app`` finds (broker from the environment)."""
