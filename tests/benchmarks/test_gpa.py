"""The GPA benchmark's synthetic university and its command (on SQLite; PostgreSQL in tests/service)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.cli import benchmark_cli
from benchmarks.gpa import build, spread
from models.iin import parse_iin


def test_every_student_has_the_asked_number_of_grades() -> None:
    rows = build(300, 40, programmes=3, seed=1)
    per_student = Counter(e["student_id"] for e in rows["enrolments"])
    assert len(rows["students"]) == 300 and set(per_student.values()) == {40}
    assert len({s["iin"] for s in rows["students"]}) == 300
    assert all(parse_iin(s["iin"]).birth_date == s["birth_date"] for s in rows["students"])
    retakes = [e for e in rows["enrolments"] if e["retake_of_id"] is not None]
    by_id = {e["id"]: e for e in rows["enrolments"]}
    assert retakes and all(by_id[e["retake_of_id"]]["outcome"] != "passed" for e in retakes)
    assert all(by_id[e["retake_of_id"]]["period_id"] < e["period_id"] for e in retakes)
    assert {s["admission_year"] for s in rows["students"]} == {2022, 2023, 2024, 2025}
    assert max(Counter(s["group_id"] for s in rows["students"]).values()) <= 25


def test_spread_and_bad_sizes() -> None:
    assert spread(40, 6) == [7, 7, 7, 7, 6, 6] and spread(40, 8) == [5] * 8
    with pytest.raises(ValueError, match="at least 1 student and 2 grades"):
        build(0, 40)


def test_command_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    result = CliRunner().invoke(benchmark_cli, ["gpa", "--students", "120", "--grades", "8", "--repeats", "1",
                                                "--database-url", url])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "cumulative GPA + ranks" in result.output and "120" in result.output
    assert "Verified: the SQL GPA of 120 sampled students equals models.grading.gpa" in result.output
    assert "not judged" in result.output  # the target is for PostgreSQL
    again = CliRunner().invoke(benchmark_cli, ["gpa", "--students", "10", "--database-url", url])
    assert again.exit_code != 0 and "not empty" in again.output
