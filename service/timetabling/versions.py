"""Timetable versions: stored JSON <-> :mod:`models` objects, scoring, new drafts, rows for pages, comparison.

Storage of a version (:class:`~service.models.TimetableVersion`):

- ``instance``: the solver instance as JSON (``CourseInstance`` for ``lessons``, ``ExamInstance`` for
  ``exams``), read back with :func:`instance_of`;
- ``placements``: lessons as ``[course, room, day, period]`` rows (day and period from 0), exams as
  ``[exam, period index, room]`` rows, read back with :func:`solution_of` (a ``CourseTimetable`` or an
  ``ExamTimetable``);
- ``hard`` / ``soft``: the scorer's breakdown (violations per hard constraint, cost per soft term),
  ``hard_violations`` and ``cost`` their totals. They are recomputed by the scorer
  (:mod:`models.course_scoring`, :mod:`models.exam_scoring`) every time the placements change, never
  taken from a solver.

:func:`add_version` writes a new draft (numbered after the timetable's last version) in the caller's
transaction; the caller commits (a job commits it with its own final state, so a version is never half
written). :func:`lesson_rows` / :func:`exam_rows` give the placements in the records' terms (discipline,
groups, teacher, room, day, pair) for pages and exports; :func:`compare` lists what moved between two
versions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.course_instance import CourseInstance
from models.course_scoring import score as score_lessons
from models.course_timetable import CourseTimetable
from models.exam_instance import ExamInstance, ExamTimetable
from models.exam_scoring import score as score_exams
from models.score_report import ScoreReport
from service.models import Timetable, TimetableVersion
from service.timetabling.instances import KINDS, RecordsProblem

Solution = CourseTimetable | ExamTimetable
Instance = CourseInstance | ExamInstance


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def timetable_for(db: Session, period_id: int, kind: str) -> Timetable:
    """The period's timetable of ``kind``, created (not committed) if it does not exist yet."""
    if kind not in KINDS:
        raise RecordsProblem(f"unknown kind of timetable {kind!r}: expected one of {', '.join(KINDS)}")
    timetable = db.scalar(select(Timetable).where(Timetable.period_id == period_id, Timetable.kind == kind))
    if timetable is None:
        timetable = Timetable(period_id=period_id, kind=kind, created_at=now())
        db.add(timetable)
        db.flush()
    return timetable


def load_instance(kind: str, data: dict[str, Any]) -> Instance:
    """The instance stored as ``data`` for a timetable of ``kind``."""
    if kind == "lessons":
        return CourseInstance.model_validate(data)
    return ExamInstance.model_validate(data)


def instance_of(version: TimetableVersion, kind: str) -> Instance:
    return load_instance(kind, version.instance)


def solution_of(version: TimetableVersion, kind: str) -> Solution:
    return load_solution(kind, version.placements)


def load_solution(kind: str, rows: list[Any]) -> Solution:
    """Placements stored as JSON rows -> the timetable object."""
    if kind == "lessons":
        return CourseTimetable.of((str(c), str(r), int(d), int(p)) for c, r, d, p in rows)
    return ExamTimetable.of((str(e), int(p), r) for e, p, r in rows)


def dump_solution(solution: Solution) -> list[list[Any]]:
    """The timetable object -> JSON rows (sorted, so equal timetables store equally)."""
    if isinstance(solution, CourseTimetable):
        return sorted([p.course, p.room, p.day, p.period] for p in solution)
    return sorted([e, p.period, p.room] for e, p in solution.placements.items())


def score(kind: str, instance: Instance, solution: Solution) -> ScoreReport:
    """The scorer's report of ``solution`` for ``instance``."""
    if kind == "lessons":
        assert isinstance(instance, CourseInstance) and isinstance(solution, CourseTimetable)
        return score_lessons(instance, solution)
    assert isinstance(instance, ExamInstance) and isinstance(solution, ExamTimetable)
    return score_exams(instance, solution)


def apply_score(version: TimetableVersion, report: ScoreReport) -> None:
    version.hard = dict(report.hard)
    version.soft = dict(report.soft)
    version.hard_violations = report.hard_violations
    version.cost = report.cost


def add_version(
    db: Session,
    timetable: Timetable,
    instance: dict[str, Any],
    legend: dict[str, Any],
    solution: Solution,
    *,
    source: str,
    actor: str,
    based_on: TimetableVersion | None = None,
    job_id: int | None = None,
) -> TimetableVersion:
    """A new draft of ``timetable`` with the scorer's breakdown; added and flushed, not committed.

    The timetable's row is locked first (``FOR UPDATE`` on PostgreSQL; SQLite serialises writers), so
    two versions written at once get consecutive numbers.
    """
    db.scalar(select(Timetable.id).where(Timetable.id == timetable.id).with_for_update())
    last = db.scalar(select(func.max(TimetableVersion.number)).where(TimetableVersion.timetable_id == timetable.id))
    at = now()
    version = TimetableVersion(
        timetable_id=timetable.id,
        number=(last or 0) + 1,
        status="draft",
        based_on_id=based_on.id if based_on is not None else None,
        source=source,
        job_id=job_id,
        instance=instance,
        legend=legend,
        placements=dump_solution(solution),
        edits=0,
        created_at=at,
        created_by=actor,
        updated_at=at,
        updated_by=actor,
    )
    apply_score(version, score(timetable.kind, load_instance(timetable.kind, instance), solution))
    db.add(version)
    db.flush()
    return version


@dataclass(frozen=True)
class LessonRow:
    """One lesson of a version in the records' terms (``day`` and ``pair`` from 0)."""

    course: str
    kind: str
    """``lecture`` or ``practice``."""
    discipline: str
    name: str
    groups: tuple[str, ...]
    teacher: str | None
    teacher_name: str | None
    room: str
    day: int
    pair: int


@dataclass(frozen=True)
class ExamRow:
    """One exam of a version in the records' terms (``period``: the sitting's index)."""

    exam: str
    discipline: str
    name: str
    groups: tuple[str, ...]
    teacher: str | None
    teacher_name: str | None
    students: int
    room: str | None
    period: int
    date: str | None
    start: str | None


def lesson_rows(version: TimetableVersion) -> list[LessonRow]:
    """The lessons of a lesson-timetable version, by day, pair, room."""
    courses = version.legend.get("courses", {})
    rows = []
    for course, room, day, pair in version.placements:
        info = courses.get(course, {})
        rows.append(
            LessonRow(
                course,
                info.get("kind", "lecture"),
                info.get("discipline", course),
                info.get("name", course),
                tuple(info.get("groups", ())),
                info.get("teacher"),
                info.get("teacher_name"),
                room,
                day,
                pair,
            )
        )
    return sorted(rows, key=lambda r: (r.day, r.pair, r.room, r.course))


def exam_rows(version: TimetableVersion) -> list[ExamRow]:
    """The exams of an exam-session version, by period and room."""
    exams = version.legend.get("exams", {})
    periods = version.legend.get("periods", [])
    rows = []
    for exam, period, room in version.placements:
        info = exams.get(exam, {})
        when = periods[period] if period < len(periods) else {}
        rows.append(
            ExamRow(
                exam,
                info.get("discipline", exam),
                info.get("name", exam),
                tuple(info.get("groups", ())),
                info.get("teacher"),
                info.get("teacher_name"),
                info.get("students", 0),
                room,
                period,
                when.get("date"),
                when.get("start"),
            )
        )
    return sorted(rows, key=lambda r: (r.period, r.room or "", r.exam))


@dataclass(frozen=True)
class Moved:
    """What moved from version ``a`` to ``b``: the item (course or exam) and its places before and after.

    ``before`` / ``after`` are the placement rows (``[room, day, period]`` for lessons, ``[period,
    room]`` for exams) that one version has and the other has not; a lesson moved within its course is
    one entry with a row on each side.
    """

    item: str
    before: tuple[Any, ...] | None
    after: tuple[Any, ...] | None


def compare(kind: str, a: TimetableVersion, b: TimetableVersion) -> list[Moved]:
    """The lessons or exams placed differently in ``b`` than in ``a``."""
    if kind == "exams":
        old = {e: (p, r) for e, p, r in a.placements}
        new = {e: (p, r) for e, p, r in b.placements}
        return [Moved(e, old.get(e), new.get(e)) for e in sorted(old.keys() | new.keys()) if old.get(e) != new.get(e)]
    by_course: dict[str, tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]] = {}
    for c, r, d, p in a.placements:
        by_course.setdefault(c, ([], []))[0].append((r, d, p))
    for c, r, d, p in b.placements:
        by_course.setdefault(c, ([], []))[1].append((r, d, p))
    out: list[Moved] = []
    for course in sorted(by_course):
        before, after = by_course[course]
        gone = sorted(_minus(before, after))
        came = sorted(_minus(after, before))
        for n in range(max(len(gone), len(came))):
            out.append(Moved(course, gone[n] if n < len(gone) else None, came[n] if n < len(came) else None))
    return out


def _minus(xs: list[tuple[Any, ...]], ys: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    rest = list(ys)
    out = []
    for x in xs:
        if x in rest:
            rest.remove(x)
        else:
            out.append(x)
    return out
