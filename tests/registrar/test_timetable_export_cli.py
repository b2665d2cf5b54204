"""``registrar timetable export``: a solved timetable for a group, teacher or room as iCalendar, Excel or
PDF, on the toy week of tests/timetable_samples.py (no solver run); bad input exits non-zero, writing nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from timetable_samples import WEEK_INSTANCE, WEEK_TIMETABLE

from datasets.instance_json import write_instance_json
from datasets.itc2007_ctt import write_solution
from registrar.cli import main


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["timetable", "export", *map(str, args)])


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    instance, solution = tmp_path / "week.json", tmp_path / "week.sol"
    write_instance_json(WEEK_INSTANCE, instance)
    write_solution(WEEK_TIMETABLE, solution)
    return instance, solution


def test_ical_of_a_group_from_a_given_monday(files: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "it-25-2.ics"
    result = run(*files, "--group", "IT-25-2", "--from", "2025-09-01", "--weeks", "2", "--out", out)
    assert result.exit_code == 0, result.output
    events = list(icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    assert sorted(str(e["SUMMARY"]) for e in events) == ["HIST (lecture)", "MATH (lecture)", "MATH (lecture)"]
    assert min(e.decoded("DTSTART").date() for e in events) == dt.date(2025, 9, 1)
    assert {e["RRULE"]["UNTIL"][0].date() for e in events} == {dt.date(2025, 9, 14)}


def test_excel_of_a_teacher_and_pdf_of_a_room(files: tuple[Path, Path], tmp_path: Path) -> None:
    result = run(*files, "--teacher", "t2", "--out", tmp_path / "t2.xlsx")
    assert result.exit_code == 0, result.output
    grid = load_workbook(io.BytesIO((tmp_path / "t2.xlsx").read_bytes()))["Timetable"]
    assert grid["A1"].value == "Timetable of teacher t2" and grid["C6"].value.startswith("PHYS (practice)")
    result = run(*files, "--room", "B-12", "--format", "pdf", "--out", tmp_path / "b12.out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "b12.out").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--group", "NOPE", "--out", "x.ics"), 1, "no curriculum 'NOPE'"),
        (("--teacher", "t9", "--out", "x.ics"), 1, "no teacher 't9'"),
        (("--group", "IT-25-1", "--room", "B-12", "--out", "x.ics"), 2, "at most one of"),
        (("--out", "x.txt"), 2, "cannot tell the format"),
        (("--out", "x.ics", "--from", "1 Sept"), 2, "--from"),
    ],
)
def test_bad_input_writes_nothing(files: tuple[Path, Path], tmp_path: Path, args: tuple[str, ...], code: int,
                                  message: str) -> None:  # fmt: skip
    args = tuple(str(tmp_path / a) if a.startswith("x.") else a for a in args)
    result = run(*files, *args)
    assert result.exit_code == code and message in result.output, result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["week.json", "week.sol"]


def test_a_missing_solution_is_named(files: tuple[Path, Path], tmp_path: Path) -> None:
    result = run(files[0], tmp_path / "none.sol", "--out", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "none.sol does not exist" in result.output
