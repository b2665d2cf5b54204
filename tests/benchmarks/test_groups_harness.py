"""The section-formation benchmark harness: one run scored independently, results CSV, tables, command."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from benchmarks.cli import benchmark_cli
from benchmarks.groups import RECORDS, run_many, run_one, summarize, to_markdown


def test_run_one_records_the_scorers_terms() -> None:
    record = run_one("60", 1, "cpsat", "form", 10.0, 1)
    assert record["error"] == "", record["error"]
    assert record["students"] == 60 and record["hard"] == 0
    assert record["sections"] >= record["lower_bound"] > 0
    assert record["status"] == "formed" and record["elapsed"] >= 0
    greedy = run_one("60", 1, "greedy", "form", 10.0, 1)
    assert greedy["sections"] >= greedy["lower_bound"] and greedy["imbalance"] >= record["imbalance"]


def test_timetable_task_counts_conflicts() -> None:
    record = run_one("40", 0, "cpsat", "timetable-students", 10.0, 1, timetable_time=5.0)
    assert record["error"] == "", record["error"]
    assert record["curricula"] > 0 and record["courses"] == record["sections"]
    if record["timetable_status"] in ("optimal", "feasible"):
        assert record["conflicts"] == 0  # exact curricula: no student has two lessons at once


def test_unknown_method_is_an_error_record() -> None:
    assert "unknown method" in run_one("40", 0, "magic", "form", 10.0, 1)["error"]


def test_run_many_skips_done_runs_and_summarizes(tmp_path: Path) -> None:
    results = run_many(
        ["50"],
        [0],
        ["cpsat", "greedy"],
        ["form"],
        time_limit=10,
        workers=1,
        timetable_time=5,
        out=tmp_path,
        progress=False,
    )
    assert len(results) == 2 and set(results["method"]) == {"cpsat", "greedy"}
    again = run_many(
        ["50"],
        [0],
        ["cpsat", "greedy"],
        ["form"],
        time_limit=10,
        workers=1,
        timetable_time=5,
        out=tmp_path,
        progress=False,
    )
    assert len(RECORDS.read(tmp_path / "results.csv")) == 2 and len(again) == 2
    text = to_markdown(summarize(again))
    assert "| 50 | cpsat |" in text and "| 50 | greedy |" in text and "pools at bound" in text


def test_command_report_without_results(tmp_path: Path) -> None:
    result = CliRunner().invoke(benchmark_cli, ["groups", "--out", str(tmp_path), "--report"])
    assert result.exit_code == 1 and "no results to summarize" in result.output
    bad = CliRunner().invoke(benchmark_cli, ["groups", "--sizes", "huge", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "expected 1k, 5k, 20k or a number of students" in bad.output
