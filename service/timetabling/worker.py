"""The solver process of one job attempt: ``python -m service.timetabling.worker JOB_ID LEASE``.

The runner (:mod:`service.timetabling.runner`) starts it after claiming the job, with the database URL
in ``REGISTRAR_DATABASE_URL``. It reads the job's stored instance, runs the solver under the job's time
limit (lessons: :func:`solver.course.solve.solve`, exams: :func:`solver.exam.solve.solve`, repair:
:mod:`solver.course.repair` / :mod:`solver.exam.repair` from the base version's placements, groups:
:func:`solver.groups.form.form_sections`), writes the solver's progress events to the job (at most
every :data:`PROGRESS_EVERY` seconds, and always the first; the group formation has no callback: its
job shows the phase ``forming sections`` until it ends), and at the end either finishes the job with
the new draft or formation (one transaction, :func:`~service.timetabling.jobs.finish`,
:func:`~service.timetabling.jobs.finish_formation`) or fails it with the solver's reason (no timetable
without hard violations; rules no sections can meet). Exit status 0 in both cases; an unexpected
exception fails the job with its message and exits 1. A cancelled job is killed by the runner; writes
of an attempt that lost its lease change nothing.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Any

from sqlalchemy import Engine

from models.course_instance import CourseInstance
from models.exam_instance import ExamInstance
from service.db import make_engine
from service.models import SolveJob, TimetableVersion
from service.timetabling import jobs
from service.timetabling.versions import load_instance, load_solution

PROGRESS_EVERY = 0.5
SOLVER_WORKERS = 1
"""Threads of the solver in a job (the service shares its machine with the web app)."""


class _Progress:
    """The solver's progress callback: throttled writes of elapsed, best cost, best bound and phase."""

    def __init__(self, engine: Engine, job_id: int, lease: str) -> None:
        self.engine, self.job_id, self.lease = engine, job_id, lease
        self.lock = threading.Lock()
        self.last = 0.0
        self.best: tuple[int | None, int | None] = (None, None)

    def __call__(self, event: Any) -> None:
        with self.lock:
            if event.cost is not None:
                self.best = (event.cost, event.bound)
            if time.monotonic() - self.last < PROGRESS_EVERY and self.last:
                return
            self.last = time.monotonic()
            jobs.report_progress(
                self.engine,
                self.job_id,
                self.lease,
                elapsed=event.elapsed,
                cost=self.best[0],
                bound=self.best[1],
                phase=event.phase,
            )


def run(engine: Engine, job_id: int, lease: str) -> int:
    """Solve the job; the process's exit status."""
    from sqlalchemy.orm import Session

    with Session(engine) as db:
        job = db.get(SolveJob, job_id)
        if job is None or job.status != "running" or job.lease != lease:
            return 0
        kind, time_limit = job.kind, job.time_limit
        instance_data = job.instance
        base = db.get(TimetableVersion, job.base_version_id) if job.base_version_id is not None else None
        base_kind = None
        if base is not None:
            base_kind = jobs.kind_of(db, job)  # a repair's timetable is its base version's
            base_rows = base.placements
    if kind == "groups":
        return _form_groups(engine, job_id, lease, instance_data, time_limit)
    try:
        progress = _Progress(engine, job_id, lease)
        start = time.monotonic()
        if kind == "repair":
            assert base_kind is not None
            instance = load_instance(base_kind, instance_data)
            old = load_solution(base_kind, base_rows)
            if isinstance(instance, CourseInstance):
                from solver.course.repair import repair as repair_lessons

                result: Any = repair_lessons(instance, old, time_limit=time_limit, workers=SOLVER_WORKERS)  # type: ignore[arg-type]
            else:
                from solver.exam.repair import repair as repair_exams

                result = repair_exams(instance, old, time_limit=time_limit, workers=SOLVER_WORKERS)  # type: ignore[arg-type]
            bound = None
        else:
            instance = load_instance(kind, instance_data)
            if isinstance(instance, CourseInstance):
                from solver.course.solve import solve as solve_lessons

                result = solve_lessons(instance, time_limit=time_limit, workers=SOLVER_WORKERS, progress=progress)
            else:
                assert isinstance(instance, ExamInstance)
                from solver.exam.solve import solve as solve_exams

                result = solve_exams(instance, time_limit=time_limit, workers=SOLVER_WORKERS, progress=progress)
            bound = result.bound if hasattr(result, "bound") else None
        elapsed = time.monotonic() - start
        if result.timetable is None:
            why = "; ".join(result.explanation) or "no timetable without hard violations was found in the time limit"
            jobs.fail(engine, job_id, lease, f"{result.status}: {why}")
            return 0
        jobs.finish(engine, job_id, lease, result.timetable, elapsed=elapsed, cost=result.cost, bound=bound)
        return 0
    except Exception as exc:  # a bug: the job says so instead of hanging in "running"
        jobs.fail(engine, job_id, lease, f"the solver failed: {type(exc).__name__}: {exc}")
        raise


def _form_groups(engine: Engine, job_id: int, lease: str, instance_data: dict[str, Any], time_limit: float) -> int:
    """Form the sections of a ``groups`` job and store them scored (or fail the job when the rules cannot be met)."""
    from models.enrollment import EnrollmentError
    from models.groups_scoring import score
    from service.timetabling.formations import load_instance
    from solver.groups.form import FormOptions, form_sections

    try:
        instance = load_instance(instance_data)
        jobs.report_progress(engine, job_id, lease, elapsed=0.0, cost=None, bound=None, phase="forming sections")
        start = time.monotonic()
        try:
            result = form_sections(instance, FormOptions(time_limit=time_limit, workers=SOLVER_WORKERS))
        except EnrollmentError as err:  # rules no sections can meet: the message names the discipline and pool
            jobs.fail(engine, job_id, lease, f"infeasible: {err}")
            return 0
        report = score(instance, result.grouping)
        jobs.finish_formation(engine, job_id, lease, result.grouping, report, elapsed=time.monotonic() - start)
        return 0
    except Exception as exc:  # a bug: the job says so instead of hanging in "running"
        jobs.fail(engine, job_id, lease, f"the solver failed: {type(exc).__name__}: {exc}")
        raise


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("usage: python -m service.timetabling.worker JOB_ID LEASE", file=sys.stderr)
        return 2
    url = os.environ.get("REGISTRAR_DATABASE_URL")
    if not url:
        print("REGISTRAR_DATABASE_URL is not set", file=sys.stderr)
        return 2
    engine = make_engine(url)
    try:
        return run(engine, int(argv[0]), argv[1])
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
