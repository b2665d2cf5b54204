"""The ITC2007 exam benchmark harness: records verified by the scorer, resumable CSV, summary."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from benchmarks import exam
from benchmarks.data import DataDirError
from models.exam_instance import ExamTimetable
from registrar.cli import main
from solver.course.result import SolveStatus
from solver.exam.uncapacitated import ExamSolveResult


def fake_solve(instance, *, time_limit, workers, seed):
    """Every exam in period 0, room 0: a timetable with hard violations, claimed at cost 7."""
    timetable = ExamTimetable.of({e.id: (0, instance.rooms[0].id) for e in instance.exams})
    return ExamSolveResult(SolveStatus.FEASIBLE, timetable, 7, None, 0.01)


def broken_solve(instance, *, time_limit, workers, seed):
    raise RuntimeError("boom")


def test_names_paths_and_published(data_dir: Path) -> None:
    assert exam.instance_name("x/exam_comp_set11.exam") == "set11"
    paths = exam.exam_instances(data_dir, ["set12", "set4"])
    assert [p.name for p in paths] == ["exam_comp_set12.exam", "exam_comp_set4.exam"]
    with pytest.raises(ValueError, match="unknown ITC2007 exam set"):
        exam.exam_instances(data_dir, ["set13"])
    with pytest.raises(DataDirError):
        exam.exam_instances(data_dir / "nowhere")
    published = exam.published_exam(data_dir)
    assert published.loc["set1", "mueller_submitted_best100"] == 4356
    assert pd.isna(published.loc["set9", "mueller_submitted_best100"])


def test_run_one_scores_the_written_file_and_records_crashes(data_dir: Path, tmp_path: Path) -> None:
    path = data_dir / "itc2007-exam" / "exam_comp_set12.exam"
    record = exam.run_one(str(path), 0, 1.0, 1, out_dir=tmp_path, solve_fn=fake_solve)
    assert record["instance"] == "set12" and record["error"] == ""
    assert record["solver_cost"] == 7 and record["hard_violations"] > 0 and record["cost"] != 7
    assert Path(record["solution_file"]).read_text().count("\n") == 78
    crashed = exam.run_one(str(path), 1, 1.0, 1, out_dir=tmp_path, solve_fn=broken_solve)
    assert crashed["status"] == "error" and crashed["error"] == "RuntimeError: boom"
    assert (tmp_path / "set12-s1-t1-w1.err").is_file()


def test_run_many_resumes_and_summarizes(data_dir: Path, tmp_path: Path) -> None:
    path = str(data_dir / "itc2007-exam" / "exam_comp_set12.exam")
    first = exam.run_many([path], [0, 1], [1.0], out=tmp_path, workers=1, jobs=0, solve_fn=fake_solve, progress=False)
    assert len(first) == 2
    again = exam.run_many([path], [0, 1], [1.0], out=tmp_path, workers=1, jobs=0, solve_fn=broken_solve, progress=False)
    assert (again["error"] == "").all()  # nothing re-run
    summary = exam.summarize(again, exam.published_exam(data_dir))
    row = summary.iloc[0]
    assert row["runs"] == 2 and row["feasible"] == 0 and row["cost_mismatches"] == 2
    text = exam.to_markdown(summary)
    assert "| set12 |" in text and "no hard violation (every run) in 0/1 sets" in text


def test_summary_counts_sets_at_or_below_mueller() -> None:
    published = pd.DataFrame(
        {"mueller_submitted_best100": [100.0, 100.0, math.nan], "mueller_best10_org": [110, 110, 50],
         "avg_Byk13": [90, 90, 40]},
        index=["set1", "set2", "set9"],
    )  # fmt: skip
    rows = []
    for name, cost in (("set1", 95), ("set2", 120), ("set9", 10)):
        record = exam.RECORDS.empty(instance=name, seed=0, time_limit=60, workers=2)
        record.update(status="feasible", cost=cost, solver_cost=cost, hard_violations=0, wall=1.0)
        rows.append(record)
    summary = exam.summarize(pd.DataFrame(rows), published)
    assert list(summary["le_mueller"]) == [True, False, False]
    assert "mean at or below Müller's submitted ITC2007 result in 1/2 of sets 1-8 (set1)" in exam.to_markdown(summary)


def test_command_line(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exam, "_real_solve", fake_solve)
    result = CliRunner().invoke(
        main,
        ["benchmark", "exam", "--data-dir", str(data_dir), "--instances", "set12", "--time-limit", "1",
         "--jobs", "0", "--out", str(tmp_path), "--no-progress"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "| set12 | 1 |" in result.stdout and (tmp_path / "summary.md").is_file()
    bad = CliRunner().invoke(main, ["benchmark", "exam", "--data-dir", str(data_dir), "--instances", "set0"])
    assert bad.exit_code == 1 and "unknown ITC2007 exam set" in bad.output
