"""``registrar contingent ...``: the movement of the contingent from the command line (configured database).

- ``contingent movement --period 2025-Q4 [--by faculty,year_of_study]``: the movement report;
- ``contingent on [--on 2025-10-01] [--by programme]``: the contingent on a day;
- ``contingent state-form [--on 2025-10-01] [--by ...]``: the state statistical form;
- ``contingent on-leave --period ...`` and ``contingent expelled --period ...``: the lists;
- every report prints a table, or with ``--out FILE.csv`` / ``FILE.xlsx`` writes the file (atomically:
  a whole file or none);
- ``contingent register ORDER.json``: register an order (the body of ``POST /api/orders``); every
  student changes or none, and the refusal names every problem; the audit log records ``cli:<login>``.

Bad input exits with status 1 and a message naming it (the period, the dimension, the file, the item).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import pandas as pd
from flask import Flask
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from models.contingent import OrderKind, order_number
from models.contingent_report import Period, PeriodError
from service import create_app, db
from service.contingent import exports, reports
from service.contingent.orders import register_order
from service.contingent.policy import load_policy
from service.errors import ApiError, field_errors
from service.schemas.contingent import STATE_FORM_DIMENSIONS, ListPeriodQuery, parse_dimensions
from service.schemas.orders import OrderCreate


@contextmanager
def _session() -> Iterator[Session]:
    """A session on the configured database; API errors and bad values become a clean error exit."""
    app: Flask = create_app()
    try:
        with app.app_context():
            session = db.session()
            try:
                yield session
            except ValidationError as exc:
                session.rollback()
                raise click.ClickException(_problems([(e.field, e.message) for e in field_errors(exc)])) from None
            except ApiError as exc:
                session.rollback()
                raise click.ClickException(_problems([(e.field, e.message) for e in exc.errors])) from None
    finally:
        db.dispose(app)


def _problems(problems: list[tuple[str | None, str]]) -> str:
    return "refused:\n" + "\n".join(f"  {field or '(order)'}: {message}" for field, message in problems)


def _period(_ctx: click.Context, _param: click.Parameter, value: str) -> Period:
    try:
        return Period.parse(value)
    except PeriodError as exc:
        raise click.BadParameter(str(exc)) from None


def _dimensions(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[str, ...]:
    try:
        return parse_dimensions(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _out(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None and value.suffix.lower() not in (".csv", ".xlsx"):
        raise click.BadParameter(f"{value}: the file name ends in .csv or .xlsx")
    if value is not None and not value.parent.is_dir():
        raise click.BadParameter(f"{value.parent} is not a folder")
    return value


PERIOD = click.option(
    "--period", required=True, callback=_period, help="2025-10, 2025-Q4, 2025, 2025/2026 or 2025-09-01..2025-12-31."
)
BY = click.option(
    "--by",
    callback=_dimensions,
    default=None,
    help="Dimensions, comma-separated: faculty, programme, year_of_study, study_form, funding, language, "
    "sex, citizenship.",
)
ON = click.option(
    "--on", "day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="The day (YYYY-MM-DD; default today)."
)
OUT = click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    callback=_out,
    default=None,
    help="Write a .csv or .xlsx file instead of printing a table.",
)


def _emit(frame: pd.DataFrame, out: Path | None, title: str, about: dict[str, object]) -> None:
    """Print ``frame`` as a table, or write it to ``out`` (CSV or Excel by the suffix)."""
    if out is None:
        table = Table(title=title)
        for column in frame.columns:
            table.add_column(str(column), justify="right" if pd.api.types.is_numeric_dtype(frame[column]) else "left")
        for row in frame.itertuples(index=False):
            table.add_row(*("" if pd.isna(v) else str(v) for v in row))
        Console(width=200).print(table)
        return
    form = out.suffix.lower().lstrip(".")
    exports.write_atomically(out, exports.file_bytes(frame, form, out.stem, about))
    click.echo(f"wrote {out} ({len(frame)} rows)")


def _day(value: dt.datetime | None) -> dt.date:
    return value.date() if value else dt.date.today()


@click.group("contingent")
def contingent_cli() -> None:
    """Movement of the contingent: reports, the state form, lists, registering an order."""


@contingent_cli.command("movement")
@PERIOD
@BY
@OUT
def movement_command(period: Period, by: tuple[str, ...], out: Path | None) -> None:
    """The movement report: opening, arrivals and departures by kind, closing (they reconcile in every row)."""
    with _session() as session:
        report = reports.movement(session, period, by)
    about = {
        "report": "movement of the contingent",
        "period": period.label,
        "from": period.start,
        "to": period.end,
        "by": ",".join(by) or "(university)",
    }
    _emit(exports.movement_frame(report), out, f"Movement of the contingent, {period.label}", about)


@contingent_cli.command("on")
@ON
@BY
@OUT
def contingent_command(day: dt.datetime | None, by: tuple[str, ...], out: Path | None) -> None:
    """The contingent (active students) at the end of a day."""
    on = _day(day)
    with _session() as session:
        report = reports.contingent(session, on, by)
        names = _programme_names(session)
    _emit(exports.contingent_frame(report, names), out, f"Contingent on {on}", {"report": "contingent", "on": on})


@contingent_cli.command("state-form")
@ON
@click.option(
    "--by",
    callback=_dimensions,
    default=",".join(STATE_FORM_DIMENSIONS),
    show_default=True,
    help="Dimensions, comma-separated.",
)
@OUT
def state_form_command(day: dt.datetime | None, by: tuple[str, ...], out: Path | None) -> None:
    """The state statistical form: students by programme, year, sex, funding, language, citizenship on a day."""
    on = _day(day)
    with _session() as session:
        report = reports.contingent(session, on, by)
        names = _programme_names(session)
    about = {"report": "state form", "on": on, "by": ",".join(by)}
    _emit(exports.contingent_frame(report, names), out, f"State form on {on}", about)


def _list_command(name: str, title: str, build: Callable[..., Any], frame: Callable[[Any], pd.DataFrame]) -> None:
    @contingent_cli.command(name, help=f"{title} during a period.")
    @PERIOD
    @OUT
    def command(period: Period, out: Path | None) -> None:
        with _session() as session:
            report = build(session, period, ListPeriodQuery())
        about = {"report": title.lower(), "period": period.label, "from": period.start, "to": period.end}
        _emit(frame(report), out, f"{title}, {period.label}", about)


_list_command("on-leave", "Students on academic leave", reports.on_leave, exports.leave_frame)
_list_command("expelled", "Expelled students", reports.expelled, exports.expelled_frame)


@contingent_cli.command("register")
@click.argument("order_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def register_command(order_file: Path) -> None:
    """Register the order in ORDER_FILE (JSON, the body of POST /api/orders): all its students move, or none."""
    try:
        text = order_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{order_file}: cannot read it ({exc})") from None
    try:
        body = OrderCreate.model_validate_json(text, strict=True)
    except ValidationError as exc:
        invalid = [e for e in exc.errors(include_url=False) if e["type"] == "json_invalid"]
        if invalid:
            raise click.ClickException(f"{order_file}: not valid JSON ({invalid[0]['msg']})") from None
        problems = _problems([(e.field, e.message) for e in field_errors(exc)])
        raise click.ClickException(f"{order_file}: {problems}") from None
    with _session() as session:
        order = register_order(session, body, load_policy(session))
        number = order_number(OrderKind(order.kind), order.year, order.sequence)
        click.echo(f"registered order {number} (id {order.id}): {len(order.items)} student(s)")


def _programme_names(session: Session) -> dict[str, str]:
    return {info.code: info.name for info in reports.programmes(session).values()}
