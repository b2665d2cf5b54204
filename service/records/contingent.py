"""Contingent reports and the movement policy.

- ``GET /contingent?on=&by=``: the contingent (active students) at the end of a day, per cell;
- ``GET /contingent/students?on=&status=``: who was in a status on a day, with their state, paged;
- ``GET /reports/movement?period=&by=``: the movement of the contingent (opening, arrivals and
  departures by kind, closing), reconciling in every row;
- ``GET /reports/state-form?on=&by=``: the state statistical form (default grouping: programme, year of
  study, sex, funding, language, citizenship);
- ``GET /reports/on-leave?period=`` and ``GET /reports/expelled?period=``: the lists;
- every report: ``format=json`` (default), ``csv`` or ``xlsx`` (a file download);
- ``GET /contingent/policy`` and ``POST /contingent/policy`` (the whole policy, replaced).

Access: the record keepers (registrar, vice-rector, exam coordinator, archivist) read the reports; every
role reads the policy; the registrar replaces it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd
from flask import Blueprint, Response

from models.contingent import MovementPolicy
from service.api.routing import endpoint
from service.auth import EVERY_ROLE, REGISTRAR, allow
from service.auth.roles import RECORD_READERS
from service.contingent import exports, reports
from service.contingent.policy import load_policy, save_policy
from service.db import session
from service.records.crud import commit
from service.schemas.common import Page
from service.schemas.contingent import (
    CSV,
    XLSX,
    ContingentOut,
    ContingentStudentOut,
    ContingentStudentQuery,
    DayQuery,
    ExpelledListOut,
    LeaveListOut,
    ListPeriodQuery,
    MovementReportOut,
    PeriodQuery,
    PolicyIn,
    PolicyOut,
    StateFormQuery,
)

bp = Blueprint("contingent", __name__)
FILES = (CSV, XLSX)
REPORT_READERS = allow(*RECORD_READERS)


def download(frame: pd.DataFrame, form: str, name: str, about: Mapping[str, object]) -> Response:
    """``frame`` as a CSV or Excel attachment named ``name.csv`` / ``name.xlsx``."""
    data = exports.file_bytes(frame, form, name, about)
    media = CSV + "; charset=utf-8" if form == "csv" else XLSX
    return Response(data, mimetype=media, headers={"Content-Disposition": f'attachment; filename="{name}.{form}"'})


def today() -> dt.date:
    return dt.date.today()


@endpoint(
    bp,
    "/contingent",
    "GET",
    name="contingent_on",
    summary="The contingent at the end of a day",
    query=DayQuery,
    response=ContingentOut,
    files=FILES,
    roles=REPORT_READERS,
)
def contingent_on(query: DayQuery) -> Any:
    day = query.on or today()
    report = reports.contingent(session(), day, query.dimensions)
    if query.format == "json":
        return report
    frame = exports.contingent_frame(report, _programme_names())
    return download(frame, query.format, f"contingent-{day}", {"report": "contingent", "on": day, "by": query.by})


@endpoint(
    bp,
    "/contingent/students",
    "GET",
    name="contingent_students",
    summary="Students in a status on a day, with their state",
    query=ContingentStudentQuery,
    response=Page[ContingentStudentOut],
    roles=REPORT_READERS,
)
def contingent_students(query: ContingentStudentQuery) -> Page[ContingentStudentOut]:
    return reports.contingent_students(session(), query, today())


@endpoint(
    bp,
    "/reports/movement",
    "GET",
    name="movement_report",
    summary="Movement of the contingent over a period",
    query=PeriodQuery,
    response=MovementReportOut,
    files=FILES,
    roles=REPORT_READERS,
)
def movement_report(query: PeriodQuery) -> Any:
    period = query.resolved(today())
    report = reports.movement(session(), period, query.dimensions)
    if query.format == "json":
        return report
    about = {
        "report": "movement of the contingent",
        "period": period.label,
        "from": period.start,
        "to": period.end,
        "by": query.by or "(university)",
    }
    return download(exports.movement_frame(report), query.format, f"movement-{_slug(period.label)}", about)


@endpoint(
    bp,
    "/reports/state-form",
    "GET",
    name="state_form",
    summary="The state statistical form on a day",
    query=StateFormQuery,
    response=ContingentOut,
    files=FILES,
    roles=REPORT_READERS,
)
def state_form(query: StateFormQuery) -> Any:
    day = query.on or today()
    report = reports.contingent(session(), day, query.dimensions)
    if query.format == "json":
        return report
    frame = exports.contingent_frame(report, _programme_names())
    about = {
        "report": "state form: students by programme, year, sex, funding, language, citizenship",
        "on": day,
        "by": query.by,
    }
    return download(frame, query.format, f"state-form-{day}", about)


@endpoint(
    bp,
    "/reports/on-leave",
    "GET",
    name="on_leave_list",
    summary="Students on academic leave during a period",
    query=ListPeriodQuery,
    response=LeaveListOut,
    files=FILES,
    roles=REPORT_READERS,
)
def on_leave(query: ListPeriodQuery) -> Any:
    period = query.resolved(today())
    report = reports.on_leave(session(), period, query)
    if query.format == "json":
        return report
    about = {"report": "students on academic leave", "period": period.label, "from": period.start, "to": period.end}
    return download(exports.leave_frame(report), query.format, f"on-leave-{_slug(period.label)}", about)


@endpoint(
    bp,
    "/reports/expelled",
    "GET",
    name="expelled_list",
    summary="Students expelled during a period",
    query=ListPeriodQuery,
    response=ExpelledListOut,
    files=FILES,
    roles=REPORT_READERS,
)
def expelled(query: ListPeriodQuery) -> Any:
    period = query.resolved(today())
    report = reports.expelled(session(), period, query)
    if query.format == "json":
        return report
    about = {"report": "expelled students", "period": period.label, "from": period.start, "to": period.end}
    return download(exports.expelled_frame(report), query.format, f"expelled-{_slug(period.label)}", about)


@endpoint(
    bp,
    "/contingent/policy",
    "GET",
    name="get_policy",
    summary="The movement policy in force",
    response=PolicyOut,
    roles=EVERY_ROLE,
)
def get_policy() -> Any:
    return PolicyOut.model_validate(load_policy(session()).model_dump())


@endpoint(
    bp,
    "/contingent/policy",
    "POST",
    name="replace_policy",
    summary="Replace the movement policy",
    body=PolicyIn,
    response=PolicyOut,
    roles=REGISTRAR,
    audited=True,
)
def replace_policy(body: MovementPolicy) -> Any:
    db = session()
    policy = save_policy(db, body)
    commit(db)
    return PolicyOut.model_validate(policy.model_dump())


def _programme_names() -> dict[str, str]:
    return {info.code: info.name for info in reports.programmes(session()).values()}


def _slug(label: str) -> str:
    return label.replace("/", "-").replace("..", "_")
