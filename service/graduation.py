"""Graduation: lists of graduates with GPA, honours and rank, ranking lists, and GPA statistics with charts.

Every figure comes from the students' transcripts (:func:`service.documents.content.transcript_of`: the
result sources and the grading policy in force). Honours follow the rule in force (:func:`honours_rule`): the
newest version stored in the database (``POST /api/graduation/honours-rule``, versioned with its reason like the
grading policy), else the app config ``HONOURS_RULE`` (a :class:`~models.grading.HonoursRule` or its dict), else
:data:`models.transcript.HONOURS`. Ranks are competition
ranks by exact GPA within each programme (:func:`models.transcript.rank`), and students sharing a rank are listed
by last name, first name and id: the ranking rule of ``/api/rankings`` (:func:`service.academic.standing.rankings`),
which computes the same GPA in SQL from the same graded enrolments (a test holds the two to the same ranks and
order). Names compare by code point here and by the database's collation there (the same on SQLite and on a
PostgreSQL database with the ``C`` collation).

A graduate of a year is a student whose status is ``graduated`` and whose status history shows the
graduation taking effect in that year (without a history entry, the year is not known and the student is
listed only when no year is asked for).
"""

from __future__ import annotations

import io
import statistics
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from models.grading import HonoursRule, display_gpa
from models.transcript import HONOURS, honours, rank
from service.academic.settings import Setting, newest
from service.contingent.history import history_of
from service.documents.content import grading_policy, transcript_of
from service.models import Programme, Student
from service.personal_files import full_name

HONOURS_SETTING = Setting("honours_rule", HonoursRule, "honours rule")
"""The honours rule as a setting kept in the database (:mod:`service.academic.settings`)."""


def configured_honours_rule() -> HonoursRule:
    """The rule when none is stored: config ``HONOURS_RULE``, else :data:`models.transcript.HONOURS`."""
    configured = current_app.config.get("HONOURS_RULE") if has_app_context() else None
    if configured is None:
        return HONOURS
    return configured if isinstance(configured, HonoursRule) else HonoursRule.model_validate(configured)


def honours_rule(db: Session) -> HonoursRule:
    """The honours rule in force: the newest stored version, else the configured or default rule."""
    version = newest(db, HONOURS_SETTING)
    return configured_honours_rule() if version is None else HonoursRule.model_validate_json(version.value)


def graduation_year(db: Session, student: Student) -> int | None:
    """The year the student's graduation took effect, from the status history (``None`` if not recorded)."""
    entries = [e for e in history_of(db, student.id) if e.status == "graduated"]
    return entries[0].effective_on.year if entries else None


def standings(db: Session, conditions: Sequence[ColumnElement[bool]], year: int | None = None) -> list[dict[str, Any]]:
    """One row per student matching ``conditions`` (and graduated in ``year``, if given): GPA, credits, honours
    and rank within the programme, ordered by programme, rank, last name, first name and id."""
    policy, rule = grading_policy(db), honours_rule(db)
    students = db.scalars(select(Student).where(*conditions).order_by(Student.programme_id, Student.id)).all()
    rows = []
    for student in students:
        graduated_in = graduation_year(db, student) if student.status == "graduated" else None
        if year is not None and graduated_in != year:
            continue
        transcript = transcript_of(db, student)
        rows.append({"student_id": student.id, "iin": student.iin, "full_name": full_name(student),
                     "programme_id": student.programme_id, "status": student.status, "graduation_year": graduated_in,
                     "gpa": transcript.gpa, "gpa_display": display_gpa(transcript.gpa) if transcript.gpa is not None
                     else None, "earned_credits": transcript.earned_credits, "retakes": transcript.retakes,
                     "with_honours": honours(transcript, policy, rule)})  # fmt: skip
    by_programme: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_programme[row["programme_id"]].append(row)
    for group in by_programme.values():
        ranks = rank([(r["student_id"], r["gpa"]) for r in group])
        for row in group:
            row["rank"] = ranks[row["student_id"]]
    names = {s.id: (s.last_name, s.first_name) for s in students}
    rows.sort(key=lambda r: (r["programme_id"], r["rank"] is None, r["rank"] or 0, *names[r["student_id"]],
                             r["student_id"]))  # fmt: skip
    return rows


def statistics_by_programme(db: Session, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per programme: students, with a GPA, mean, median, lowest and highest GPA, honours."""
    codes = {p.id: p.code for p in db.scalars(select(Programme))}
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["programme_id"]].append(row)
    out = []
    for programme_id in sorted(grouped, key=lambda p: codes.get(p, "")):
        group = grouped[programme_id]
        values = [r["gpa"] for r in group if r["gpa"] is not None]
        out.append({"programme_id": programme_id, "programme_code": codes.get(programme_id, str(programme_id)),
                    "students": len(group), "with_gpa": len(values),
                    "mean": statistics.fmean(values) if values else None,
                    "median": statistics.median(values) if values else None,
                    "lowest": min(values, default=None), "highest": max(values, default=None),
                    "with_honours": sum(r["with_honours"] for r in group), "gpas": values})  # fmt: skip
    return out


def gpa_chart(summary: Sequence[dict[str, Any]], title: str) -> bytes:
    """A PNG of the GPA distribution of each programme (one histogram per programme, 0.25-point bins)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    shown = [s for s in summary if s["gpas"]] or list(summary[:1])
    figure = Figure(figsize=(7, 1.8 + 1.6 * max(1, len(shown))), dpi=100)
    bins = [i / 4 for i in range(17)]
    for index, item in enumerate(shown or [{"programme_code": "no data", "gpas": [], "mean": None}], start=1):
        axes = figure.add_subplot(max(1, len(shown)), 1, index)
        axes.hist(item["gpas"], bins=bins, color="#3b6ea5", edgecolor="white")
        mean = f", mean {item['mean']:.2f}" if item.get("mean") is not None else ""
        axes.set_title(f"{item['programme_code']} ({len(item['gpas'])} students{mean})", fontsize=9)
        axes.set_xlim(0, 4)
        axes.set_ylabel("students", fontsize=8)
        axes.tick_params(labelsize=8)
    figure.axes[-1].set_xlabel("GPA", fontsize=8)
    figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
