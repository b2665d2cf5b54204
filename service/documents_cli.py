"""``registrar documents ...`` and ``registrar archive ...``: what a registrar or an archivist scripts (configured
database, ``REGISTRAR_DATABASE_URL``).

- ``documents issue STUDENT_ID --kind transcript --language en --out tr.pdf [--on DAY]``: issue a document
  (registered number, random verification code, snapshot) and write its PDF; the number and code are printed.
  The PDF is rendered and written before the document is committed, so a refusal or a write error leaves
  neither a registered document nor a file;
- ``documents verify NUMBER CODE``: genuine or not (the public check, rate limited as for any client); exit 0 if
  genuine, 1 if not;
- ``archive inventory --year 2026 --kind graduate_personal_file [--compiled-on DAY] [--out opis.pdf]``: compile
  the draft inventory (opis) of the prepared files of a year and kind, numbered 1..n, and write its PDF;
- ``archive due --kind destruction|transfer [--on DAY]``: the files in the archive due for destruction (retention
  run out) or for transfer to state storage, not yet in an act.

Bad input exits with status 1 and a message naming the problem (the student, the kind, the file); the audit log
records ``cli:<login>`` as the actor.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from service import create_app, db
from service.errors import ApiError, field_errors

DAY = click.DateTime(["%Y-%m-%d"])


@contextmanager
def _session() -> Iterator[tuple[Flask, Session]]:
    """The app and a session on the configured database; API errors and bad values become a clean error exit."""
    app: Flask = create_app()
    try:
        with app.app_context():
            session = db.session()
            try:
                yield app, session
            except ValidationError as exc:
                session.rollback()
                raise click.ClickException(_problems([(e.field, e.message) for e in field_errors(exc)])) from None
            except ApiError as exc:
                session.rollback()
                raise click.ClickException(_problems([(e.field, e.message) for e in exc.errors])) from None
    finally:
        db.dispose(app)


def _problems(problems: list[tuple[str | None, str]]) -> str:
    return "refused:\n" + "\n".join(f"  {field + ': ' if field else ''}{message}" for field, message in problems)


def _pdf_path(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None and value.suffix.lower() != ".pdf":
        raise click.BadParameter(f"{value}: the file name ends in .pdf")
    if value is not None and not value.parent.is_dir():
        raise click.BadParameter(f"{value.parent} is not a folder")
    return value


@click.group("documents")
def documents_cli() -> None:
    """Issued documents: issue one to a PDF file, verify a number and code."""


@documents_cli.command("issue")
@click.argument("student_id", type=int)
@click.option("--kind", required=True, type=click.Choice(["transcript", "academic_certificate", "study_certificate",
                                                          "student_card", "diploma_supplement"]))  # fmt: skip
@click.option("--language", default="kk", show_default=True, type=click.Choice(["kk", "ru", "en"]))
@click.option("--on", "day", type=DAY, default=None, help="For a certificate of study: the day it certifies.")
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False), callback=_pdf_path,
              help="The PDF file to write.")  # fmt: skip
def issue_command(student_id: int, kind: str, language: str, day: dt.datetime | None, out: Path) -> None:
    """Issue a document to STUDENT_ID and write its PDF."""
    from service.clock import today
    from service.contingent.exports import write_atomically
    from service.documents import render
    from service.documents.issuing import issue
    from service.errors import Unprocessable
    from service.models import Student
    from service.records.documents import document_data
    from service.row_audit import actor
    from service.schemas.documents import DocumentCreate

    with _session() as (_, session):
        body = DocumentCreate.model_validate({"kind": kind, "student_id": student_id, "language": language,
                                              "on": day.date() if day else None})  # fmt: skip
        student = session.get(Student, body.student_id) if 0 < body.student_id <= 2**31 - 1 else None
        if student is None:
            raise Unprocessable(f"no student with id {body.student_id}", field="student_id")
        issued_on = today()
        data = document_data(session, body.kind, student, body.on, issued_on)
        document = issue(session, body.kind, student, body.language, issued_on, data, actor())
        content = render.pdf(document)
        write_atomically(out, content)
        try:
            session.commit()
        except BaseException:
            out.unlink(missing_ok=True)
            raise
        click.echo(f"issued {document.number} (code {document.code}) to student {student.id}; wrote {out}")


@documents_cli.command("verify")
@click.argument("number")
@click.argument("code")
def verify_command(number: str, code: str) -> None:
    """Whether NUMBER and CODE belong to a document in force (exit 1 if not)."""
    from service.documents.verification import check
    from service.schemas.documents import VerifyQuery

    with _session() as (app, session):
        query = VerifyQuery.model_validate({"number": number, "code": code})
        with app.test_request_context("/verify", environ_base={"REMOTE_ADDR": f"cli:{getpass.getuser()}"}):
            genuine = check(session, query.number, query.code)
    click.echo(f"{query.number}: {'genuine' if genuine else 'NOT genuine'}")
    if not genuine:
        raise SystemExit(1)


@click.group("archive")
def archive_cli() -> None:
    """The archive: inventories of a year, files due for destruction or transfer."""


@archive_cli.command("inventory")
@click.option("--year", required=True, type=int, help="The year the files were closed.")
@click.option("--kind", required=True, type=click.Choice(["graduate_personal_file", "expelled_personal_file",
                                                          "case"]))  # fmt: skip
@click.option("--compiled-on", "compiled_on", type=DAY, default=None, help="Default: today.")
@click.option("--title", default=None, help="Default: the kind's title and the year.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), callback=_pdf_path, default=None,
              help="Also write the inventory's PDF.")  # fmt: skip
def inventory_command(year: int, kind: str, compiled_on: dt.datetime | None, title: str | None,
                      out: Path | None) -> None:  # fmt: skip
    """Compile the draft inventory (opis) of the prepared files of KIND closed in YEAR."""
    from service.archive import render
    from service.archive.inventories import compile_inventory, find_inventory, inventory_out
    from service.clock import today
    from service.contingent.exports import write_atomically
    from service.row_audit import actor
    from service.schemas.archive import InventoryCreate

    with _session() as (_, session):
        day = compiled_on.date() if compiled_on else today()
        body = InventoryCreate.model_validate({"year": year, "kind": kind, "title": title, "compiled_on": day})
        row = compile_inventory(session, body, actor())
        session.flush()
        session.expire(row)
        row = find_inventory(session, row.id)
        summary = inventory_out(row)
        if out is not None:
            write_atomically(out, render.inventory_pdf(row))
        try:
            session.commit()
        except BaseException:
            if out is not None:
                out.unlink(missing_ok=True)
            raise
    wrote = f"; wrote {out}" if out is not None else ""
    click.echo(f"compiled inventory {summary['number']} (draft, id {summary['id']}): {summary['files']} files, "
               f"{summary['pages']} pages{wrote}")  # fmt: skip


@archive_cli.command("due")
@click.option("--kind", required=True, type=click.Choice(["destruction", "transfer"]))
@click.option("--on", "day", type=DAY, default=None, help="Default: today.")
def due_command(kind: str, day: dt.datetime | None) -> None:
    """The files in the archive due for destruction (retention run out) or transfer (permanent), not in an act."""
    from service.archive import retention
    from service.archive.acts import due_files
    from service.clock import today

    with _session() as (_, session):
        on = day.date() if day else today()
        due = due_files(session, kind, on)
        table = Table(title=f"Files due for {kind} on {on}")
        for column in ("id", "index", "title", "year", "pages", "retention", "due on"):
            table.add_column(column, justify="right" if column in ("id", "year", "pages") else "left")
        for file, when in due:
            table.add_row(str(file.id), file.nomenclature_item.index, file.title, str(file.year), str(file.pages),
                          retention(file.nomenclature_item).describe(), when.isoformat())  # fmt: skip
    Console(width=160).print(table)
    click.echo(f"{len(due)} file(s) due for {kind} on {on}")
