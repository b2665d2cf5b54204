"""Graduation over the API: lists of graduates (with honours), rankings, and GPA statistics with a chart.

- ``GET /graduation/graduates?programme_id=&year=&honours=``: graduates with GPA, honours and rank;
- ``GET /graduation/ranking?programme_id=&group_id=&admission_year=&status=``: students ranked by GPA;
- ``GET /graduation/statistics`` (JSON) and ``GET /graduation/statistics.png`` (matplotlib histograms of the GPA
  of each programme);
- ``GET /graduation/honours-rule``: the rule of a diploma with honours in force; ``POST``: store a new version
  (with its reason; the university changes it without a deployment).

Access: the registrar and the vice-rector; the registrar changes the honours rule.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response
from sqlalchemy import ColumnElement

from service.academic import settings
from service.api.routing import endpoint
from service.auth import REGISTRAR, allow, require_actor
from service.db import session
from service.documents.content import grading_policy
from service.errors import Unprocessable
from service.graduation import HONOURS_SETTING, gpa_chart, honours_rule, standings, statistics_by_programme
from service.models import Student
from service.records.crud import commit
from service.schemas.common import Page
from service.schemas.graduation import (
    GraduatesQuery,
    HonoursRuleChange,
    HonoursRuleOut,
    RankingQuery,
    StandingOut,
    StatisticsOut,
    StatisticsQuery,
)

bp = Blueprint("graduation", __name__)
GRADUATION_READERS = allow("registrar", "vice_rector")


def _page(rows: list[dict[str, Any]], page: int, per_page: int) -> Page[StandingOut]:
    start = (page - 1) * per_page
    items = [StandingOut.model_validate(r) for r in rows[start : start + per_page]]
    return Page[StandingOut](items=items, total=len(rows), page=page, per_page=per_page)


def _filters(query: Any, names: tuple[str, ...]) -> list[ColumnElement[bool]]:
    return [getattr(Student, n) == getattr(query, n) for n in names if getattr(query, n, None) is not None]


@endpoint(bp, "/graduation/graduates", "GET", name="list_graduates",
          summary="Graduates with GPA, honours and rank in the programme", query=GraduatesQuery,
          response=Page[StandingOut], roles=GRADUATION_READERS)  # fmt: skip
def graduates_view(query: GraduatesQuery) -> Page[StandingOut]:
    conditions = [Student.status == "graduated", *_filters(query, ("programme_id",))]
    rows = standings(session(), conditions, query.year)
    if query.honours is not None:
        rows = [r for r in rows if r["with_honours"] == query.honours]
    return _page(rows, query.page, query.per_page)


@endpoint(bp, "/graduation/ranking", "GET", name="ranking", summary="Students ranked by GPA within their programme",
          query=RankingQuery, response=Page[StandingOut], roles=GRADUATION_READERS)  # fmt: skip
def ranking_view(query: RankingQuery) -> Page[StandingOut]:
    conditions = _filters(query, ("programme_id", "group_id", "admission_year", "status"))
    return _page(standings(session(), conditions), query.page, query.per_page)


def _summary(query: StatisticsQuery) -> list[dict[str, Any]]:
    db = session()
    status = "graduated" if query.year is not None else query.status
    conditions = [Student.status == status, *_filters(query, ("programme_id",))]
    return statistics_by_programme(db, standings(db, conditions, query.year))


@endpoint(bp, "/graduation/statistics", "GET", name="graduation_statistics",
          summary="GPA statistics by programme", query=StatisticsQuery, response=StatisticsOut,
          roles=GRADUATION_READERS)  # fmt: skip
def statistics_view(query: StatisticsQuery) -> StatisticsOut:
    return StatisticsOut.model_validate({"programmes": _summary(query)})


@endpoint(bp, "/graduation/statistics.png", "GET", name="graduation_chart",
          summary="Histograms of the GPA of each programme (PNG)", query=StatisticsQuery, files=("image/png",),
          roles=GRADUATION_READERS)  # fmt: skip
def chart_view(query: StatisticsQuery) -> Response:
    who = f"graduates of {query.year}" if query.year is not None else f"{query.status} students"
    return Response(gpa_chart(_summary(query), f"GPA distribution, {who}"), mimetype="image/png")


def _rule_answer() -> dict[str, object]:
    db = session()
    version = settings.newest(db, HONOURS_SETTING)
    stored = {"version": None, "reason": None, "changed_at": None, "changed_by": None} if version is None else {
        "version": version.id, "reason": version.reason, "changed_at": version.created_at,
        "changed_by": version.created_by}  # fmt: skip
    return stored | {"rule": honours_rule(db)}


@endpoint(bp, "/graduation/honours-rule", "GET", name="get_honours_rule",
          summary="The rule of a diploma with honours in force", response=HonoursRuleOut,
          roles=GRADUATION_READERS)  # fmt: skip
def get_rule_view() -> dict[str, object]:
    return _rule_answer()


@endpoint(bp, "/graduation/honours-rule", "POST", name="change_honours_rule",
          summary="Store a new rule of a diploma with honours", body=HonoursRuleChange, response=HonoursRuleOut,
          status=201, roles=REGISTRAR, audited=True,
          description="Applies to the graduation lists and diploma supplements from now on; documents already "
          "issued keep what they say.")  # fmt: skip
def change_rule_view(body: HonoursRuleChange) -> dict[str, object]:
    db = session()
    policy = grading_policy(db)
    letters = [band.letter for band in policy.bands]
    if body.rule.lowest_letter is not None and body.rule.lowest_letter not in letters:
        raise Unprocessable(f"{body.rule.lowest_letter!r} is not a letter of the grading scale in force "
                            f"({', '.join(letters)})", field="rule.lowest_letter")  # fmt: skip
    top = max(band.points for band in policy.bands)
    if body.rule.min_gpa > top:
        raise Unprocessable(f"{body.rule.min_gpa} is above the highest grade points {top}", field="rule.min_gpa")
    settings.store(db, HONOURS_SETTING, body.rule, body.reason, require_actor().username)
    commit(db)
    return _rule_answer()
