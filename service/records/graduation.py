"""Graduation over the API: lists of graduates (with honours), rankings, and GPA statistics with a chart.

- ``GET /graduation/graduates?programme_id=&year=&honours=``: graduates with GPA, honours and rank;
- ``GET /graduation/ranking?programme_id=&group_id=&admission_year=&status=``: students ranked by GPA;
- ``GET /graduation/statistics`` (JSON) and ``GET /graduation/statistics.png`` (matplotlib histograms of the GPA
  of each programme).

Access: the registrar and the vice-rector.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response
from sqlalchemy import ColumnElement

from service.api.routing import endpoint
from service.auth import allow
from service.db import session
from service.graduation import gpa_chart, standings, statistics_by_programme
from service.models import Student
from service.schemas.common import Page
from service.schemas.graduation import GraduatesQuery, RankingQuery, StandingOut, StatisticsOut, StatisticsQuery

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
