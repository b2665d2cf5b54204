"""Reports as tables (pandas) and files: CSV (UTF-8 with a byte-order mark, so spreadsheet programs read Kazakh
and Russian letters) and Excel (openpyxl: the table on its own sheet, and an ``about`` sheet naming the report,
its period or day and when it was made).

The tables:

- movement: the cell's dimensions, ``opening``, ``arrived: <kind>`` per kind, ``arrived``,
  ``departed: <kind>`` per kind, ``departed``, ``closing``; the last row is the university total
  (``Total`` in the first column);
- contingent / state form: the dimensions (with the programme's name after its code), ``students``;
  the last row is the total;
- on leave, expelled: one row per student and leave or expulsion.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from models.contingent import kind_title
from service.schemas.contingent import (
    ContingentOut,
    ExpelledListOut,
    LeaveListOut,
    MovementReportOut,
    MovementRowOut,
)

TOTAL = "Total"


def _movement_record(row: MovementRowOut, by: Sequence[str], report: MovementReportOut) -> dict[str, object]:
    record: dict[str, object] = {name: row.cell.get(name) for name in by}
    record["opening"] = row.opening
    for kind in report.arrival_kinds:
        record[f"arrived: {kind_title(kind)}"] = row.arrivals.get(kind, 0)
    record["arrived"] = row.arrived
    for kind in report.departure_kinds:
        record[f"departed: {kind_title(kind)}"] = row.departures.get(kind, 0)
    record["departed"] = row.departed
    record["closing"] = row.closing
    return record


def movement_frame(report: MovementReportOut) -> pd.DataFrame:
    """One row per cell and the total row; the columns of the module doc."""
    by = report.by
    records = [_movement_record(row, by, report) for row in report.rows]
    total = _movement_record(report.total, by, report)
    if by:
        total[by[0]] = TOTAL
    else:
        records = []
    records.append(total)
    frame = pd.DataFrame.from_records(records)
    if not by:
        frame.insert(0, "university", [TOTAL])
    return frame


def contingent_frame(report: ContingentOut, programme_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per cell (with ``programme_name`` after ``programme`` when names are given) and the total row."""
    records: list[dict[str, object]] = []
    for row in report.rows:
        record: dict[str, object] = {}
        for name in report.by:
            record[name] = row.cell.get(name)
            if name == "programme" and programme_names is not None:
                record["programme_name"] = programme_names.get(str(row.cell.get(name)), "")
        record["students"] = row.students
        records.append(record)
    columns = list(records[0]) if records else [*_columns(report.by, programme_names is not None), "students"]
    total: dict[str, object] = dict.fromkeys(columns)
    total[columns[0]] = TOTAL
    total["students"] = report.total
    if not report.by:
        total = {"university": TOTAL, "students": report.total}
        return pd.DataFrame.from_records([total])
    return pd.DataFrame.from_records([*records, total], columns=columns)


def _columns(by: Sequence[str], names: bool) -> list[str]:
    out: list[str] = []
    for name in by:
        out.append(name)
        if name == "programme" and names:
            out.append("programme_name")
    return out


def leave_frame(report: LeaveListOut) -> pd.DataFrame:
    columns = [
        "student_id",
        "iin",
        "name",
        "programme_code",
        "year_of_study",
        "leave_ground",
        "starts_on",
        "until",
        "returned_on",
        "order_number",
        "cancelled_by",
    ]
    return pd.DataFrame.from_records([r.model_dump() for r in report.rows], columns=columns)


def expelled_frame(report: ExpelledListOut) -> pd.DataFrame:
    columns = [
        "student_id",
        "iin",
        "name",
        "programme_code",
        "year_of_study",
        "kind",
        "effective_on",
        "order_number",
        "reason",
        "cancelled_by",
    ]
    frame = pd.DataFrame.from_records([r.model_dump() for r in report.rows], columns=columns)
    frame["kind"] = frame["kind"].map(kind_title)
    return frame


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The table as CSV: UTF-8 with a byte-order mark, comma-separated, a header row, no index."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str, about: Mapping[str, object]) -> bytes:
    """The table as an Excel workbook: sheet ``sheet`` (header row frozen) and an ``about`` sheet of ``about``."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet[:31], index=False, freeze_panes=(1, 0))
        worksheet = writer.sheets[sheet[:31]]
        for index, column in enumerate(frame.columns, start=1):
            width = max([len(str(column)), *(len(str(v)) for v in frame[column].head(500))]) + 2
            worksheet.column_dimensions[worksheet.cell(row=1, column=index).column_letter].width = min(width, 60)
        facts = {"generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), **about}
        pd.DataFrame({"item": list(facts), "value": [str(v) for v in facts.values()]}).to_excel(
            writer, sheet_name="about", index=False
        )
    return buffer.getvalue()


def file_bytes(frame: pd.DataFrame, form: str, sheet: str, about: Mapping[str, object]) -> bytes:
    """``csv`` or ``xlsx`` bytes of ``frame``."""
    if form == "csv":
        return csv_bytes(frame)
    if form == "xlsx":
        return xlsx_bytes(frame, sheet, about)
    raise ValueError(f"unknown export format {form!r}: csv or xlsx")


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, so the file is whole or absent."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
