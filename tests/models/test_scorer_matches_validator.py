"""The scorer reproduces, number for number, what the official Udine validators print.

``tests/data/ctt_solutions/`` holds 20 randomly generated timetables (ours, for comp01, comp05, comp11 and
comp12, five each: anywhere-placements with repeated entries, exact lecture counts, greedy near-feasible ones,
and one with dropped, repeated and unknown entries) and ``validator_costs.csv`` with the numbers printed for them by

- the multi-formulation validator v1.0 of Di Gaspero and Schaerf (``potassco/teaspoon`` ``bin/validator.cc``)
  on the ``.ectt`` instance, for each of UD1-UD5;
- the ITC2007 validator v1.1 (UD2 only) on the ``.ctt`` instance. It calls isolated lectures
  "CurriculumCompactness"; that number is recorded in the ``IsolatedLectures (soft)`` column.

An empty cell is a line the validator does not print for that formulation: the scorer must not report that cost
either. Its only extra lines are hard and 0 on ITC2007 data: ``RoomType``, and ``RoomConstraints`` for a ``.ctt``
instance (the default :class:`~models.course_instance.Rules` make room suitability hard; ``.ctt`` has none).
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest

from datasets.itc2007_ctt import read_ctt, read_ectt, read_solution
from models.course_instance import CourseInstance
from models.course_scoring import score

SOLUTIONS = Path(__file__).resolve().parent.parent / "data" / "ctt_solutions"
COLUMN = re.compile(r"(\w+) \((hard|soft)\)")

with (SOLUTIONS / "validator_costs.csv").open(newline="", encoding="utf-8") as _file:
    ROWS = list(csv.DictReader(_file))


@cache
def _instance(path: Path, formulation: str) -> CourseInstance:
    return read_ectt(path, formulation) if path.suffix == ".ectt" else read_ctt(path)


def _recorded(row: dict[str, str], kind: str) -> dict[str, int]:
    out = {}
    for column, value in row.items():
        match = COLUMN.fullmatch(column)
        if match and match[2] == kind and value != "":
            out[match[1]] = int(value)
    return out


def test_recorded_cases_cover_every_solution_and_formulation() -> None:
    stored = sorted(p.name for p in SOLUTIONS.glob("*.sol"))
    assert len(stored) == 20
    assert sorted({row["solution"] for row in ROWS}) == stored
    cases = {(row["instance"], row["solution"], row["formulation"]) for row in ROWS}
    assert len(cases) == len(ROWS) == 20 * 6
    for solution in stored:
        name = solution.split("-")[0]
        expected = {(f"{name}.ectt", solution, f"UD{n}") for n in range(1, 6)} | {(f"{name}.ctt", solution, "UD2")}
        assert {case for case in cases if case[1] == solution} == expected


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row['instance']}-{row['solution']}-{row['formulation']}")
def test_scorer_matches_validator(row: dict[str, str], data_dir: Path) -> None:
    name = row["instance"]
    path = data_dir / "itc2007-cbctt" / ("ectt" if name.endswith(".ectt") else ".") / name
    if not path.is_file():
        pytest.skip(f"instance {path} not found in the benchmark data")
    report = score(_instance(path, row["formulation"]), read_solution(SOLUTIONS / row["solution"]))

    hard = _recorded(row, "hard")
    assert {label: report.hard.get(label) for label in hard} == hard
    extra = {label: n for label, n in report.hard.items() if label not in hard}
    assert extra == {"RoomType": 0} | ({"RoomConstraints": 0} if name.endswith(".ctt") else {})
    assert report.soft == _recorded(row, "soft")
    assert report.hard_violations == int(row["violations"])
    assert len(report.warnings) == int(row["warnings"])
    assert report.cost == int(row["total"])
    summary = report.validator_text().splitlines()[-1]
    violations = f"Violations = {row['violations']}, " if row["violations"] != "0" else ""
    assert summary == f"Summary: {violations}Total Cost = {row['total']}"
