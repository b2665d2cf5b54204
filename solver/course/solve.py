"""Orchestration of a course timetabling solve (work in progress: being written now)."""

from __future__ import annotations

from models.course_instance import CourseInstance
from solver.course.result import ProgressCallback, SolveResult


def solve(
    instance: CourseInstance,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    params: str | None = None,
    progress: ProgressCallback | None = None,
) -> SolveResult:
    """Best timetable found within ``time_limit`` seconds.

    ``workers`` is the number of CP-SAT search workers, ``seed`` makes runs repeatable,
    ``params`` is a raw CP-SAT parameter string (text format, e.g. ``"linearization_level:2"``)
    passed through to every CP-SAT call, ``progress`` receives :class:`Progress` events.
    """
    raise NotImplementedError
