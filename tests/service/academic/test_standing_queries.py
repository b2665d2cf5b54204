"""The SQL of GPA, rankings and debts against an independent recomputation with models.grading, on random
synthetic universities (benchmarks.gpa) on both databases."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from typing import Any

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from benchmarks.gpa import LAST_YEAR, TABLES, build, load
from models.grading import gpa
from service import db
from service.academic.standing import open_debts_query, periods_where, standings_query, totals
from service.db import Base
from service.models import Enrolment, Period, Student

SETTINGS = settings(max_examples=12, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip


def fresh(app: Flask, rows: dict[str, list[dict[str, Any]]]) -> None:
    engine = db.engine(app)
    with engine.begin() as connection:
        for name in reversed(TABLES):
            connection.execute(delete(Base.metadata.tables[name]))
    load(engine, rows)


def expected_standings(enrolments: list[dict[str, Any]], students: list[dict[str, Any]],
                       periods: set[int] | None) -> dict[int, dict[str, Any]]:  # fmt: skip
    """GPA by models.grading.gpa and ranks by counting better GPAs, from the raw rows."""
    chosen = [e for e in enrolments if e["letter"] is not None and (periods is None or e["period_id"] in periods)]
    replaced = {e["retake_of_id"] for e in chosen if e["retake_of_id"] is not None}
    records: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for e in chosen:
        if e["id"] not in replaced:
            records[e["student_id"]].append((e["points_hundredths"] / 100, e["credits"]))
    exact = {
        sid: sum((Fraction(repr(p)) * c for p, c in r), Fraction(0)) / sum(c for _, c in r)
        for sid, r in records.items()
    }
    info = {s["id"]: s for s in students if s["id"] in exact}
    out = {}
    for sid, value in exact.items():
        me = info[sid]
        year = LAST_YEAR - me["admission_year"]
        out[sid] = {
            "gpa": gpa(records[sid]),
            "exact": value,
            "rank_group": 1 + sum(exact[o] > value for o in info if info[o]["group_id"] == me["group_id"]),
            "rank_programme": 1 + sum(exact[o] > value for o in info if info[o]["programme_id"] == me["programme_id"]),
            "rank_year": 1 + sum(exact[o] > value for o in info if LAST_YEAR - info[o]["admission_year"] == year),
        }
    return out


@SETTINGS
@given(students=st.integers(1, 60), grades=st.integers(2, 12), programmes=st.integers(1, 3),
       seed=st.integers(0, 10**6), period=st.sampled_from([None, 1, 5, 8]))  # fmt: skip
def test_sql_standings_agree_with_models_grading(app: Flask, students: int, grades: int, programmes: int, seed: int,
                                                 period: int | None) -> None:  # fmt: skip
    rows = build(students, grades, programmes, seed)
    fresh(app, rows)
    periods = None if period is None else {period}
    expected = expected_standings(rows["enrolments"], rows["students"], periods)
    statement = standings_query(periods_where(Period.id == period) if period else None, LAST_YEAR,
                                [Student.status == "active"])  # fmt: skip
    with Session(db.engine(app)) as session:
        got = {r.student_id: r for r in session.execute(statement)}
        sums = totals(session, periods_where(Period.id == period) if period else None)
    assert set(got) == set(expected)
    for sid, want in expected.items():
        row = got[sid]
        assert Fraction(row.weighted, 100 * row.credits) == want["exact"] == sums[sid].gpa
        assert float(sums[sid].gpa) == want["gpa"]
        assert (row.rank_group, row.rank_programme, row.rank_year) == (
            want["rank_group"], want["rank_programme"], want["rank_year"],
        ), sid  # fmt: skip


def test_ties_share_a_rank_and_debts_follow_retakes(app: Flask) -> None:
    rows = build(40, 6, 1, seed=3)
    for e in rows["enrolments"]:  # every result B, credits 5: one big tie
        e.update(letter="B", points_hundredths=300, credits=5, outcome="passed")
    first = rows["enrolments"][0]
    first.update(letter="FX", points_hundredths=0, outcome="fx_retake_exam")
    fresh(app, rows)
    with Session(db.engine(app)) as session:
        ranked = session.execute(standings_query(None, LAST_YEAR, [])).all()
        owed = dict(session.execute(open_debts_query()).all())
        retake = session.scalar(select(Enrolment).where(Enrolment.retake_of_id == first["id"]))
    loser = first["student_id"]
    assert {r.rank_group for r in ranked if r.student_id != loser} == {1}
    assert owed == {loser: 1} if retake is None else owed == {}
