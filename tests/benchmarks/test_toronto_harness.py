"""The Toronto exam benchmark harness: fake solvers on a tiny instance, one real 1-second run on sta83."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import solver.exam
from benchmarks import toronto
from benchmarks.cli import benchmark_cli
from benchmarks.data import TORONTO_NAMES, DataDirError, published_toronto, toronto_instances
from benchmarks.runner import RESULTS_CSV
from datasets.toronto import read_solution, read_toronto
from models.exam_instance import ExamInstance, ExamTimetable
from models.exam_scoring import score
from solver.course.result import SolveStatus
from solver.exam import ExamSolveResult

CRS = "0001 2\n0002 2\n0003 2\n0004 2\n"
STU = "0001 0002\n0002 0003\n0003 0004\n0001 0004\n"
"""Four exams in a ring of four students; with 3 slots, exam i in slot i % 3 puts 0001 and 0004 together."""


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A 4-exam Toronto instance without a standard slot count (give ``slots=3``)."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "tiny.crs").write_text(CRS)
    (folder / "tiny.stu").write_text(STU)
    return folder / "tiny.stu"


# --- fake solvers (module level, so that a spawned worker process can import them) ----------------


def striped(instance: ExamInstance) -> ExamTimetable:
    """Exam i in slot i mod the number of slots: every exam placed, clashes likely."""
    slots = len(instance.periods)
    return ExamTimetable.of({exam.id: (i % slots, None) for i, exam in enumerate(instance.exams)})


def honest_solve(instance: ExamInstance, *, time_limit: float, workers: int, seed: int, **_: object) -> ExamSolveResult:
    timetable = striped(instance)
    report = score(instance, timetable)
    return ExamSolveResult(SolveStatus.FEASIBLE, timetable, report.cost, report.proximity, 0.01)


def lying_solve(instance: ExamInstance, **_: object) -> ExamSolveResult:
    """Claims an optimal, clash-free timetable of proximity 0 for the striped one."""
    return ExamSolveResult(SolveStatus.OPTIMAL, striped(instance), 0, 0.0, 0.01)


def crashing_solve(instance: ExamInstance, **_: object) -> ExamSolveResult:
    raise RuntimeError("boom")


def no_solution_solve(instance: ExamInstance, *, time_limit: float, **_: object) -> ExamSolveResult:
    return ExamSolveResult(SolveStatus.UNKNOWN, None, None, None, time_limit)


class Counting:
    """A fake solve that counts its calls and crashes on the listed seeds."""

    def __init__(self, crash: frozenset[int] = frozenset()) -> None:
        self.calls: list[tuple[str, int]] = []
        self.crash = crash

    def __call__(self, instance: ExamInstance, *, seed: int, **kwargs: object) -> ExamSolveResult:
        self.calls.append((instance.name, seed))
        if seed in self.crash:
            raise RuntimeError("crash")
        return honest_solve(instance, seed=seed, **kwargs)  # type: ignore[arg-type]


# --- one run ---------------------------------------------------------------------------------------


def test_a_lying_solver_is_caught_by_the_scorer(tiny: Path, tmp_path: Path) -> None:
    instance = read_toronto(tiny, 3)
    expected = score(instance, striped(instance))
    assert expected.hard_violations == 1 and expected.proximity is not None and expected.proximity > 0

    out = tmp_path / "run"
    record = toronto.run_one(str(tiny), 3, 0.5, 2, slots=3, out_dir=out, solve_fn=lying_solve)
    assert record["error"] == "" and record["status"] == "optimal"
    assert record["solver_proximity"] == 0.0 and record["solver_cost"] == 0
    assert record["clashes"] == 1 and record["cost"] == expected.cost > 0
    assert record["proximity"] == pytest.approx(expected.proximity) and isinstance(record["proximity"], float)
    assert (record["instance"], record["seed"], record["time_limit"], record["workers"], record["slots"]) == (
        "tiny",
        3,
        0.5,
        2,
        3,
    )
    assert set(toronto.RECORD_FIELDS) <= set(record) and record["python"] and "numba" in record
    sol = Path(record["solution_file"])
    assert sol == out / "tiny-s3-t0.5-w2-k3.sol"  # not a standard instance: the slot count is in the name
    assert sol.read_text() == "0001 0\n0002 1\n0003 2\n0004 0\n"


def test_the_scorer_judges_the_solution_file_as_written(tiny: Path, tmp_path: Path) -> None:
    """Slots outside the session are the scorer's to count (as unplaced exams), not a harness crash."""
    record = toronto.run_one(str(tiny), 0, 1.0, 1, slots=2, out_dir=tmp_path, solve_fn=_three_slot_solve)
    assert record["error"] == "" and record["clashes"] >= 1 and record["scorer_warnings"] >= 1


def _three_slot_solve(instance: ExamInstance, **_: object) -> ExamSolveResult:
    timetable = ExamTimetable.of({exam.id: (i % 3, None) for i, exam in enumerate(instance.exams)})
    return ExamSolveResult(SolveStatus.FEASIBLE, timetable, 0, 0.0, 0.01)


def test_a_crash_is_a_record(tiny: Path, tmp_path: Path) -> None:
    record = toronto.run_one(str(tiny), 0, 1.0, 2, slots=3, out_dir=tmp_path, solve_fn=crashing_solve)
    assert record["error"] == "RuntimeError: boom" and record["status"] == "error"
    assert record["proximity"] is None and record["clashes"] is None and record["slots"] == 3
    assert "boom" in (tmp_path / "tiny-s0-t1-w2-k3.err").read_text()


def test_unknown_instance_without_slots_is_a_record(tiny: Path) -> None:
    record = toronto.run_one(str(tiny), 0, 1.0, 2, solve_fn=honest_solve)
    assert record["instance"] == "tiny" and record["status"] == "error"
    assert record["error"].startswith("ValueError: no standard slot count") and record["slots"] is None


def test_no_timetable(tiny: Path, tmp_path: Path) -> None:
    record = toronto.run_one(str(tiny), 0, 1.0, 2, slots=3, out_dir=tmp_path, solve_fn=no_solution_solve)
    assert record["status"] == "unknown" and record["error"] == ""
    assert record["proximity"] is None and record["solution_file"] == ""


def test_literature_names_and_standard_slots() -> None:
    assert toronto.instance_name("/x/car-s-91.stu") == "car91" and toronto.instance_name("tiny.stu") == "tiny"
    assert toronto.resolve_slots("/x/sta-f-83.stu") == 13 and toronto.resolve_slots("tiny.stu", 5) == 5
    assert toronto.solution_name("sta83", 0, 1.0, 2, 13) == "sta83-s0-t1-w2.sol"
    assert toronto.solution_name("sta83", 0, 1.0, 2, 14) == "sta83-s0-t1-w2-k14.sol"


# --- many runs -------------------------------------------------------------------------------------


def test_rerun_skips_done_runs_and_retries_crashes(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    fake = Counting(crash=frozenset({1}))
    results = toronto.run_many([tiny], [0, 1, 2], [0.1], out=out, slots=3, jobs=0, solve_fn=fake, progress=False)
    assert len(fake.calls) == 3 and len(results) == 3
    raw = pd.read_csv(out / RESULTS_CSV)
    assert list(raw.columns) == list(toronto.RECORD_FIELDS) and len(raw) == 3
    assert (out / "tiny-s1-t0.1-w2-k3.err").is_file()

    fake = Counting()
    results = toronto.run_many([tiny], [0, 1, 2], [0.1], out=out, slots=3, jobs=0, solve_fn=fake, progress=False)
    assert fake.calls == [("tiny", 1)]  # only the crashed run again; its retry replaces it
    assert len(pd.read_csv(out / RESULTS_CSV)) == 4 and len(results) == 3 and (results["error"] == "").all()
    assert not (out / "tiny-s1-t0.1-w2-k3.err").exists()

    fake = Counting()
    toronto.run_many([tiny], [0, 1, 2], [0.1], out=out, slots=3, jobs=0, solve_fn=fake, progress=False)
    assert fake.calls == []
    toronto.run_many([tiny, tiny], [0, 3], [0.1], out=out, slots=4, jobs=0, solve_fn=fake, progress=False)
    assert fake.calls == [("tiny", 0), ("tiny", 3)]  # another slot count is another run


def test_run_many_needs_slots_for_an_unknown_instance(tiny: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no standard slot count"):
        toronto.run_many([tiny], [0], [0.1], out=tmp_path, jobs=0, solve_fn=honest_solve, progress=False)
    assert not (tmp_path / RESULTS_CSV).exists()


def test_run_many_in_a_worker_process_catches_the_liar(tiny: Path, tmp_path: Path) -> None:
    results = toronto.run_many([tiny], [0], [0.1], out=tmp_path, slots=3, jobs=1, solve_fn=lying_solve, progress=False)
    row = results.iloc[0]
    assert row["error"] == "" and row["solver_proximity"] == 0 and row["clashes"] == 1 and row["proximity"] > 0


def test_run_many_refuses_a_ctt_results_csv(tiny: Path, tmp_path: Path) -> None:
    (tmp_path / RESULTS_CSV).write_text("instance,seed,time_limit,workers,params\n")
    with pytest.raises(ValueError, match="other columns"):
        toronto.run_many([tiny], [0], [0.1], out=tmp_path, slots=3, jobs=0, solve_fn=honest_solve, progress=False)


# --- reduction -------------------------------------------------------------------------------------


def _published() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "timeslots": [13, 18, 35, 10],
            "best_in_source": [157.03, 10.03, 4.37, 24.77],
            "best_by": ["several", "Demeester2012/Leite2014", "cMA", "Demeester2012"],
            "cMA_min": [157.03, 10.04, 4.37, 24.82],
            "cMA_avg": [157.03, 10.05, 4.41, 24.83],
        },
        index=pd.Index(["sta83", "hec92", "car91", "ute92"], name="instance"),
    )


def _results() -> pd.DataFrame:
    rows = [
        # instance, seed, slots, proximity, cost, solver_cost, clashes, error
        ("sta83", 0, 13, 157.04, 95951, 95951, 0, ""),
        ("sta83", 1, 13, 158.0, 96538, 96538, 0, ""),
        ("hec92", 0, 18, 11.5, 32465, 32465, 0, ""),
        ("hec92", 1, 18, 10.5, 29642, 29000, 0, ""),  # the solver misreported its raw cost
        ("car91", 0, 35, 5.0, 84625, 84625, 0, ""),
        ("car91", 1, 35, None, None, None, None, "RuntimeError: boom"),
        ("ute92", 0, 10, 30.0, 82470, 82470, 2, ""),
        ("ear83", 0, 24, 36.0, 40500, 40500, 0, ""),  # not in the published table
        ("yor83", 0, 21, 30.0, 28230, 28230, 0, ""),  # below the best known (when published)
        ("lse91", 0, 19, 9.9, 26988, 26988, 0, ""),  # one slot more than the standard 18
    ]
    records = []
    for instance, seed, slots, proximity, cost, solver_cost, clashes, error in rows:
        record = toronto.RECORDS.empty(instance=instance, seed=seed, time_limit=10, workers=2, slots=slots)
        record.update(proximity=proximity, cost=cost, solver_cost=solver_cost, clashes=clashes, error=error, wall=9.5)
        records.append(record)
    return pd.DataFrame(records, columns=list(toronto.RECORD_FIELDS))


def test_summarize_numbers_and_flags() -> None:
    summary = toronto.summarize(_results(), _published()).set_index("instance")
    assert list(summary.index) == ["car91", "ear83", "hec92", "lse91", "sta83", "ute92", "yor83"]
    s = summary.loc["sta83"]
    assert (s["runs"], s["feasible"], s["best"], s["max_clashes"], s["slots"]) == (2, 2, 157.04, 0, 13)
    assert s["mean"] == pytest.approx(157.52) and s["mean_over_best_known"] == pytest.approx(157.52 / 157.03)
    assert s["best_known"] == 157.03 and s["cma_min"] == 157.03 and s["best_by"] == "several"
    assert s["within_10pct"] and s["standard_slots"] and not s["below_best_known"] and s["cost_mismatches"] == 0
    s = summary.loc["hec92"]  # mean 11.0 is 9.7 % above 10.03
    assert s["mean"] == pytest.approx(11.0) and s["within_10pct"] and s["cost_mismatches"] == 1
    s = summary.loc["car91"]  # 5.0 is 14 % above 4.37, and one run crashed
    assert (s["runs"], s["feasible"], s["errors"]) == (2, 1, 1) and not s["within_10pct"]
    s = summary.loc["ute92"]  # clashes only
    assert s["feasible"] == 0 and s["max_clashes"] == 2 and math.isnan(s["best"]) and math.isnan(s["mean"])
    assert not s["within_10pct"] and s["standard_slots"]
    s = summary.loc["ear83"]  # unpublished: no comparison, but its standard slot count is known
    assert math.isnan(s["best_known"]) and math.isnan(s["mean_over_best_known"]) and not s["within_10pct"]
    assert s["standard_slots"] and s["feasible"] == 1
    assert summary.loc["yor83", "standard_slots"] and not summary.loc["yor83", "below_best_known"]
    assert not summary.loc["lse91", "standard_slots"]
    assert summary["time_limit"].eq(10).all() and summary["max_wall"].eq(9.5).all()


def test_markdown_table_and_footer() -> None:
    published = _published()
    published.loc["yor83"] = [21, 34.44, "Leite2014", 34.51, 34.74]
    published.loc["lse91"] = [18, 9.78, "cMA", 9.78, 9.81]
    text = toronto.to_markdown(toronto.summarize(_results(), published))
    lines = text.splitlines()
    assert lines[0] == (
        "| instance | limit (s) | slots | runs | no clash | best | mean | max clashes | best known | cMA min | cMA avg "
        "| mean/best known | within 10 % |"
    )
    assert lines[1].startswith("|:---|---:|") and len(lines[1].split("|")) == len(lines[0].split("|"))
    assert "| sta83 | 10 | 13 | 2 | 2 | 157.040 | 157.520 | 0 | 157.03 | 157.03 | 157.03 | 1.003 | yes |" in lines
    assert "| ute92 | 10 | 10 | 1 | 0 | – | – | 2 | 24.77 | 24.82 | 24.83 | – | no |" in lines
    assert "| ear83 | 10 | 24 | 1 | 1 | 36.000 | 36.000 | 0 | – | – | – | – | no |" in lines
    footer = next(line for line in lines if line.startswith("**10 s:**"))
    # sta83, hec92, ear83, yor83 every run clash-free in their standard slots; car91 crashed once, ute92
    # clashes, lse91 has a slot more than the standard (so its 1.2 % above the best known does not count).
    assert "| lse91 | 10 | 19 | 1 | 1 | 9.900 | 9.900 | 0 | 9.78 | 9.78 | 9.81 | 1.012 | no |" in lines
    assert "no clash within the standard slots (every run) in 4/7 instances" in footer
    assert "mean within 10 % of the best known in 3/7" in footer
    assert "1 run(s) crashed" in text
    assert "1 run(s) where the solver's proximity sum differs" in text
    assert "below the best known on yor83 (" in text


def test_footer_per_time_limit_and_no_runs() -> None:
    results = _results()
    summary = toronto.summarize(pd.concat([results, results.assign(time_limit=60.0)], ignore_index=True), _published())
    footer = toronto.footer(summary)
    assert footer[0].startswith("**10 s:**") and footer[1].startswith("**60 s:**")
    empty = toronto.summarize(toronto.read_results(Path("/nonexistent/results.csv")), _published())
    assert toronto.to_markdown(empty).splitlines()[-1] == "No runs recorded."


# --- data ------------------------------------------------------------------------------------------


def test_unknown_instance_names_list_the_valid_ones(tmp_path: Path) -> None:
    (tmp_path / "toronto").mkdir()
    with pytest.raises(ValueError, match=r"car-s-91, car93.*valid: car91, car92, ear83.*yor83"):
        toronto_instances(tmp_path, ["car-s-91", "car93", "sta83"])
    with pytest.raises(DataDirError, match=r"sta-f-83\.stu"):
        toronto_instances(tmp_path, ["sta83"])
    with pytest.raises(DataDirError, match="toronto"):
        toronto_instances(tmp_path / "nowhere")
    with pytest.raises(DataDirError, match=r"published_results\.csv"):
        published_toronto(tmp_path)


def test_instances_and_published(data_dir: Path) -> None:
    paths = toronto_instances(data_dir)
    assert len(paths) == 13 and [toronto.instance_name(p) for p in paths] == list(TORONTO_NAMES)
    assert [p.name for p in toronto_instances(data_dir, [" sta83", "car91"])] == ["sta-f-83.stu", "car-s-91.stu"]
    published = published_toronto(data_dir)
    assert set(TORONTO_NAMES) <= set(published.index)
    assert published.loc["sta83", "best_in_source"] == 157.03 and published.loc["sta83", "timeslots"] == 13
    assert published.loc["car91", "cMA_min"] == 4.37 and published.loc["car91", "cMA_avg"] == 4.41


# --- command line ----------------------------------------------------------------------------------


def test_cli_real_run_on_sta83_then_report(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "run"
    args = ["toronto", "--data-dir", str(data_dir), "--instances", "sta83", "--time-limit", "1"]
    args += ["--jobs", "0", "--out", str(out), "--no-progress"]
    result = CliRunner().invoke(benchmark_cli, args)
    assert result.exit_code == 0, result.output
    assert "| sta83 | 1 | 13 | 1 | 1 |" in result.output
    assert "no clash within the standard slots (every run) in 1/1 instances" in result.output
    record = toronto.read_results(out / RESULTS_CSV).iloc[0]
    assert record["error"] == ""
    assert record["clashes"] == 0 and record["slots"] == 13 and record["status"] in ("feasible", "optimal")
    assert record["proximity"] >= 157.03 - 0.01 and record["cost"] == record["solver_cost"]
    instance = read_toronto(data_dir / "toronto" / "sta-f-83.stu")
    report = score(instance, read_solution(record["solution_file"]))
    assert report.hard_violations == 0 and report.proximity == pytest.approx(record["proximity"])
    assert (out / "summary.md").read_text().startswith("| instance |") and len(pd.read_csv(out / "summary.csv")) == 1

    monkeypatch.setattr(solver.exam, "solve_uncapacitated", crashing_solve)  # --report solves nothing
    result = CliRunner().invoke(benchmark_cli, ["toronto", "--data-dir", str(data_dir), "--out", str(out), "--report"])
    assert result.exit_code == 0, result.output
    assert "| sta83 | 1 | 13 | 1 | 1 |" in result.output


def test_cli_errors(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["toronto", "--data-dir", str(data_dir), "--instances", "sta84", "--out", str(tmp_path)]
    result = runner.invoke(benchmark_cli, args)
    assert result.exit_code == 1 and "sta84" in result.output and "valid: car91" in result.output
    result = runner.invoke(benchmark_cli, ["toronto", "--data-dir", str(data_dir), "--out", str(tmp_path), "--report"])
    assert result.exit_code == 1 and "no results to summarize" in result.output
    result = runner.invoke(benchmark_cli, ["toronto", "--data-dir", str(tmp_path / "none"), "--report"])
    assert result.exit_code == 1 and "does not exist" in result.output
