"""The ITC2007 CB-CTT benchmark harness, with fake solvers (the real solver is never called)."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import solver.course
from benchmarks import ctt
from benchmarks.cli import benchmark_cli
from benchmarks.data import (
    CTT_NAMES,
    DEFAULT_DATA_DIR,
    ENV_VAR,
    DataDirError,
    ctt_instances,
    data_dir,
    published_ctt,
)
from datasets.itc2007_ctt import read_instance, read_solution
from models.course_instance import CourseInstance
from models.course_scoring import score
from models.course_timetable import CourseTimetable
from solver.course.result import SolveResult, SolveStatus


def _shared_data() -> Path | None:
    try:
        return data_dir(None)
    except DataDirError:
        return None


DATA = _shared_data()
needs_data = pytest.mark.skipif(
    DATA is None or not (DATA / "itc2007-cbctt" / "comp01.ctt").is_file(),
    reason=f"shared benchmark data not found (set {ENV_VAR} or provide {DEFAULT_DATA_DIR})",
)


# --- fake solvers (module level, so that a spawned worker process can import them) ----------------


def greedy_timetable(instance: CourseInstance) -> CourseTimetable:
    """Every lecture placed, room by room through the week: no room clash, hard conflicts likely."""
    periods = instance.days * instance.periods_per_day
    rows, slot = [], 0
    for course in instance.courses:
        for _ in range(course.lectures):
            room, t = instance.rooms[slot // periods], slot % periods
            rows.append((course.id, room.id, t // instance.periods_per_day, t % instance.periods_per_day))
            slot += 1
    return CourseTimetable.of(rows)


def honest_solve(instance: CourseInstance, *, time_limit: float, workers: int, seed: int, **_: object) -> SolveResult:
    timetable = greedy_timetable(instance)
    cost = score(instance, timetable).cost
    return SolveResult(SolveStatus.FEASIBLE, timetable, cost, 0, 0.01)


def lying_solve(instance: CourseInstance, *, time_limit: float, workers: int, seed: int, **_: object) -> SolveResult:
    """Claims an optimal cost of 0 (and a bound of 0) for a timetable that costs more."""
    return SolveResult(SolveStatus.OPTIMAL, greedy_timetable(instance), 0, 0, 0.01)


def crashing_solve(instance: CourseInstance, **_: object) -> SolveResult:
    raise RuntimeError("boom")


def dying_solve(instance: CourseInstance, *, seed: int, **kwargs: object) -> SolveResult:
    """Seed 0 kills its own process (as a segfault or the OOM killer would); other seeds are honest."""
    if seed == 0:
        os._exit(7)
    return honest_solve(instance, seed=seed, **kwargs)  # type: ignore[arg-type]


def no_solution_solve(instance: CourseInstance, *, time_limit: float, **_: object) -> SolveResult:
    return SolveResult(SolveStatus.UNKNOWN, None, None, 3, time_limit)


# --- data ------------------------------------------------------------------------------------------


def test_data_dir_explicit_missing_names_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(DataDirError, match=r"nowhere.*--data-dir"):
        data_dir(missing)


def test_data_dir_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert data_dir(None) == tmp_path.resolve()
    assert data_dir(tmp_path / ".") == tmp_path.resolve()  # explicit wins
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "gone"))
    with pytest.raises(DataDirError, match=rf"gone.*\${ENV_VAR}"):
        data_dir(None)


def test_data_dir_default_is_shared_datasets_next_to_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    repo = Path(ctt.__file__).resolve().parents[1]
    assert (repo / "pyproject.toml").is_file()
    assert repo.parent / "shared" / "datasets" == DEFAULT_DATA_DIR
    if not DEFAULT_DATA_DIR.is_dir():
        with pytest.raises(DataDirError, match=str(DEFAULT_DATA_DIR)):
            data_dir(None)
    else:
        assert data_dir(None) == DEFAULT_DATA_DIR.resolve()


def test_missing_ctt_folder(tmp_path: Path) -> None:
    with pytest.raises(DataDirError, match="itc2007-cbctt"):
        ctt_instances(tmp_path)
    with pytest.raises(DataDirError, match="itc2007-cbctt"):
        published_ctt(tmp_path)


@needs_data
def test_instances_and_published() -> None:
    assert DATA is not None
    paths = ctt_instances(DATA)
    assert [p.stem for p in paths] == list(CTT_NAMES) and len(paths) == 21
    assert [p.stem for p in ctt_instances(DATA, ["comp04", " comp01"])] == ["comp04", "comp01"]
    with pytest.raises(ValueError, match=r"comp22, comp1\b.*valid: comp01, comp02.*comp21"):
        ctt_instances(DATA, ["comp22", "comp1"])
    published = published_ctt(DATA)
    assert published.loc["comp01", "bks_ud2"] == 5 and published.loc["comp01", "bks_optimal"]
    assert not published.loc["comp02", "bks_optimal"]
    assert published.loc["comp11", "mueller_itc2007_avg10"] == 0.0
    assert published["bks_optimal"].dtype == bool


# --- one run ---------------------------------------------------------------------------------------


@needs_data
def test_run_one_records_the_scorers_cost_not_the_solvers(tmp_path: Path) -> None:
    path = str(DATA / "itc2007-cbctt" / "comp01.ctt")  # type: ignore[operator]
    instance = read_instance(path)
    expected = score(instance, greedy_timetable(instance))
    assert expected.cost > 0

    record = ctt.run_one(path, 3, 0.5, 2, None, out_dir=tmp_path, solve_fn=lying_solve)
    assert record["error"] == ""
    assert record["status"] == "optimal"
    assert record["solver_cost"] == 0
    assert record["cost"] == expected.cost != record["solver_cost"]
    assert record["hard_violations"] == expected.hard_violations
    assert (record["instance"], record["seed"], record["time_limit"], record["workers"]) == ("comp01", 3, 0.5, 2)
    assert record["wall"] >= 0 and record["elapsed"] == 0.01 and record["bound"] == 0
    assert set(ctt.RECORD_FIELDS) <= set(record)
    assert record["python"] and record["cpu_count"] and "ortools" in record and "git_commit" in record
    sol = Path(record["solution_file"])
    assert sol == tmp_path / "comp01-s3-t0.5-w2.sol"
    assert len(read_solution(sol)) == len(greedy_timetable(instance))


@needs_data
def test_run_one_crash_is_a_record(tmp_path: Path) -> None:
    path = str(DATA / "itc2007-cbctt" / "comp01.ctt")  # type: ignore[operator]
    record = ctt.run_one(path, 0, 1.0, 2, "linearization_level:2", out_dir=tmp_path, solve_fn=crashing_solve)
    assert record["error"] == "RuntimeError: boom"
    assert record["status"] == "error"
    assert record["cost"] is None and record["hard_violations"] is None
    assert record["params"] == "linearization_level:2"
    assert "boom" in next(tmp_path.glob("comp01-s0-t1-w2-p*.err")).read_text()


@needs_data
def test_run_one_bad_instance_is_a_record(tmp_path: Path) -> None:
    bad = tmp_path / "comp99.ctt"
    bad.write_text("Name: x\n")
    record = ctt.run_one(str(bad), 0, 1.0, 2, None, solve_fn=honest_solve)
    assert record["instance"] == "comp99" and record["error"].startswith("FormatError")


@needs_data
def test_run_one_without_timetable(tmp_path: Path) -> None:
    path = str(DATA / "itc2007-cbctt" / "comp01.ctt")  # type: ignore[operator]
    record = ctt.run_one(path, 0, 1.0, 2, None, out_dir=tmp_path, solve_fn=no_solution_solve)
    assert record["status"] == "unknown" and record["error"] == ""
    assert record["cost"] is None and record["solution_file"] == "" and record["bound"] == 3


@needs_data
def test_run_one_default_solver_is_looked_up_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solver.course, "solve", honest_solve)
    path = str(DATA / "itc2007-cbctt" / "comp11.ctt")  # type: ignore[operator]
    record = ctt.run_one(path, 0, 1.0, 2, None)
    assert record["error"] == "" and record["cost"] == record["solver_cost"]


# --- many runs -------------------------------------------------------------------------------------


class Counting:
    """A fake solve that counts its calls and crashes on the listed (instance name, seed) pairs."""

    def __init__(self, crash: set[tuple[str, int]] = frozenset()) -> None:  # type: ignore[assignment]
        self.calls: list[tuple[str, int]] = []
        self.crash = crash

    def __call__(self, instance: CourseInstance, *, seed: int, **kwargs: object) -> SolveResult:
        self.calls.append((instance.name, seed))
        if (instance.name, seed) in self.crash:
            raise RuntimeError("crash")
        return honest_solve(instance, seed=seed, **kwargs)  # type: ignore[arg-type]


@needs_data
def test_run_many_appends_and_skips_done(tmp_path: Path) -> None:
    assert DATA is not None
    paths = [str(p) for p in ctt_instances(DATA, ["comp01", "comp11"])]
    out = tmp_path / "run"
    fake = Counting(crash={("Fis0506-2", 1)})  # comp11, seed 1
    results = ctt.run_many(paths, [0, 1], [0.1], out=out, jobs=0, solve_fn=fake, progress=False)
    assert len(fake.calls) == 4 and len(results) == 4
    raw = pd.read_csv(out / "results.csv")
    assert list(raw.columns) == list(ctt.RECORD_FIELDS) and len(raw) == 4
    assert (out / "comp01-s0-t0.1-w2.sol").is_file() and (out / "comp11-s1-t0.1-w2.err").is_file()

    # Same command again: only the crashed run is tried again; its retry replaces it.
    fake = Counting()
    results = ctt.run_many(paths, [0, 1], [0.1], out=out, jobs=0, solve_fn=fake, progress=False)
    assert fake.calls == [("Fis0506-2", 1)]
    assert not (out / "comp11-s1-t0.1-w2.err").exists()  # the retry succeeded: no stale traceback
    assert len(pd.read_csv(out / "results.csv")) == 5
    assert len(results) == 4 and (results["error"] == "").all()

    # Nothing left to do; a new seed, time limit or configuration is new work.
    fake = Counting()
    ctt.run_many(paths, [0, 1], [0.1], out=out, jobs=0, solve_fn=fake, progress=False)
    assert fake.calls == []
    ctt.run_many(paths[:1] * 2, [0, 2, 2], [0.1, 0.2], out=out, jobs=0, solve_fn=fake, progress=False)
    assert len(fake.calls) == 3
    ctt.run_many(paths[:1], [0], [0.1], out=out, workers=1, params="x:1", jobs=0, solve_fn=fake, progress=False)
    assert len(fake.calls) == 4


@needs_data
def test_run_many_in_worker_processes(tmp_path: Path) -> None:
    assert DATA is not None
    paths = [str(p) for p in ctt_instances(DATA, ["comp11"])]
    results = ctt.run_many(paths, [0, 1], [0.1], out=tmp_path, jobs=1, solve_fn=lying_solve, progress=False)
    assert sorted(results["seed"]) == [0, 1]
    assert (results["solver_cost"] == 0).all()
    assert (results["cost"] > 0).all()  # the liar is caught by the scorer in the worker
    assert (results["error"] == "").all()


@needs_data
def test_a_dying_worker_is_recorded_and_the_other_runs_go_on(tmp_path: Path) -> None:
    assert DATA is not None
    paths = [str(p) for p in ctt_instances(DATA, ["comp11"])]
    results = ctt.run_many(paths, [0, 1], [0.1], out=tmp_path, jobs=1, solve_fn=dying_solve, progress=False)
    by_seed = results.set_index("seed")
    assert by_seed.loc[0, "status"] == "error"
    assert "exit code 7" in by_seed.loc[0, "error"]
    assert by_seed.loc[1, "error"] == ""
    assert by_seed.loc[1, "hard_violations"] >= 0


def test_run_many_refuses_foreign_csv(tmp_path: Path) -> None:
    (tmp_path / "results.csv").write_text("a,b\n1,2\n")
    record = ctt._empty_record("comp01", 0, 1.0, 2, None)
    with pytest.raises(ValueError, match="other columns"):
        ctt._append(tmp_path / "results.csv", record)
    with pytest.raises(ValueError, match="other columns"):
        ctt.run_many(["comp01.ctt"], [0], [1.0], out=tmp_path, jobs=0, solve_fn=crashing_solve, progress=False)


# --- reduction -------------------------------------------------------------------------------------


def _published() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "bks_ud2": [5, 24, 35, 284, 0],
            "bks_optimal": [True, False, True, False, True],
            "best_lb": [5, 16, 35, 211, 0],
            "mueller_itc2007_avg10": [5.0, 61.3, 42.8, 343.5, 0.0],
        },
        index=pd.Index(["comp01", "comp02", "comp04", "comp05", "comp11"], name="instance"),
    )


def _results() -> pd.DataFrame:
    rows = [
        # instance, seed, cost, solver_cost, hard, bound, error
        ("comp01", 0, 5, 5, 0, 5, ""),
        ("comp01", 1, 7, 7, 0, 5, ""),
        ("comp04", 0, 35, 35, 0, 30, ""),
        ("comp04", 1, 37, 30, 0, 38, ""),  # the solver lied about its cost; its bound exceeds the cost
        ("comp11", 0, 0, 0, 0, 0, ""),
        ("comp11", 1, 0, 0, 0, 0, ""),
        ("comp02", 0, 40, 40, 0, None, ""),
        ("comp02", 1, None, None, None, None, "RuntimeError: boom"),
        ("comp05", 0, 100, 100, 3, None, ""),
    ]
    records = []
    for instance, seed, cost, solver_cost, hard, bound, error in rows:
        record = ctt._empty_record(instance, seed, 10, 2, None)
        record.update(cost=cost, solver_cost=solver_cost, hard_violations=hard, bound=bound, error=error, wall=9.5)
        records.append(record)
    return pd.DataFrame(records, columns=list(ctt.RECORD_FIELDS))


def test_summarize_numbers_and_flags() -> None:
    summary = ctt.summarize(_results(), _published()).set_index("instance")
    assert list(summary.index) == ["comp01", "comp02", "comp04", "comp05", "comp11"]
    s = summary.loc["comp01"]
    assert (s["runs"], s["feasible"], s["best"], s["mean"], s["max_hard"]) == (2, 2, 5, 6, 0)
    assert s["mean_over_mueller"] == pytest.approx(1.2) and s["mean_over_bks"] == pytest.approx(1.2)
    assert not s["le_mueller"] and s["optimum"]
    s = summary.loc["comp04"]
    assert s["mean"] == 36 and s["mean_over_mueller"] == pytest.approx(36 / 42.8)
    assert s["le_mueller"] and s["optimum"] and s["cost_mismatches"] == 1 and s["bound_above_cost"] == 1
    s = summary.loc["comp11"]
    assert s["mean_over_mueller"] == 1.0 and s["mean_over_bks"] == 1.0  # 0/0: equal
    assert s["le_mueller"] and s["optimum"]
    s = summary.loc["comp02"]  # one crash: 40 <= 61.3 but not every run feasible
    assert (s["runs"], s["feasible"], s["errors"], s["best"]) == (2, 1, 1, 40)
    assert not s["le_mueller"] and not s["optimum"]
    s = summary.loc["comp05"]  # hard violations only
    assert s["feasible"] == 0 and s["max_hard"] == 3 and math.isnan(s["best"]) and math.isnan(s["mean_over_bks"])
    assert not s["le_mueller"] and not s["below_lb"]
    assert summary["time_limit"].eq(10).all() and summary["max_wall"].eq(9.5).all()


def test_summarize_ratio_edge_cases() -> None:
    assert ctt._ratio(3, 0) == math.inf
    assert ctt._ratio(0, 0) == 1.0
    assert math.isnan(ctt._ratio(math.nan, 5))


def test_summarize_flags_cost_below_lower_bound_and_unknown_instances() -> None:
    results = _results()
    results.loc[results["instance"] == "comp01", "cost"] = 4
    extra = ctt._empty_record("custom", 0, 10, 2, None)
    extra.update(cost=12, solver_cost=12, hard_violations=0)
    results = pd.concat([results, pd.DataFrame([extra], columns=list(ctt.RECORD_FIELDS))], ignore_index=True)
    summary = ctt.summarize(results, _published()).set_index("instance")
    assert summary.loc["comp01", "below_lb"] and not summary.loc["comp01", "optimum"]
    assert summary.loc["custom", "best"] == 12 and math.isnan(summary.loc["custom", "bks"])
    assert "below the best published lower bound on comp01" in ctt.to_markdown(summary.reset_index())


def test_markdown_table_and_footer() -> None:
    text = ctt.to_markdown(ctt.summarize(_results(), _published()))
    lines = text.splitlines()
    assert lines[0].startswith("| instance | limit (s) | runs | feasible | best | mean | max hard | BKS |")
    assert len(lines[1].split("|")) == len(lines[0].split("|"))
    comp01 = next(line for line in lines if line.startswith("| comp01 "))
    assert comp01 == "| comp01 | 10 | 2 | 2 | 5 | 6.0 | 0 | 5 | 5.0 | 1.20 | 1.20 | no | yes |"
    comp05 = next(line for line in lines if line.startswith("| comp05 "))
    assert comp05 == "| comp05 | 10 | 1 | 0 | – | – | 3 | 284 | 343.5 | – | – | no |  |"
    assert "| comp04 | 10 | 2 | 2 | 35 | 36.0 | 0 | 35 | 42.8 | 0.84 | 1.03 | yes | yes |" in lines
    assert "| comp02 | 10 | 2 | 1 | 40 | 40.0 | 0 | 24 | 61.3 | 0.65 | 1.67 | no |  |" in lines  # no proven optimum
    footer = next(line for line in lines if line.startswith("**10 s:**"))
    assert "no hard violation (every run feasible) in 3/5 instances" in footer
    assert "at or below Müller's ITC2007 avg10 in 2/5" in footer
    assert "proven optima reached: 3/3 of comp01, comp04, comp11" in footer
    assert "1 run(s) crashed" in text
    assert "1 run(s) where the solver's cost differs" in text
    assert "1 run(s) whose claimed lower bound exceeds" in text


def test_footer_per_time_limit_and_without_the_optima_instances() -> None:
    results = _results()
    results = results[results["instance"].isin(["comp02", "comp05"])]
    longer = results.assign(time_limit=60.0)
    summary = ctt.summarize(pd.concat([results, longer], ignore_index=True), _published())
    footer = ctt.footer(summary)
    assert footer[0].startswith("**10 s:**") and footer[1].startswith("**60 s:**")
    assert "n/a (none of comp01, comp04, comp11 run)" in footer[0]
    empty = ctt.summarize(ctt.read_results(Path("/nonexistent/results.csv")), _published())
    assert ctt.to_markdown(empty).splitlines()[-1] == "No runs recorded."


# --- command line ----------------------------------------------------------------------------------


@needs_data
def test_cli_runs_then_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solver.course, "solve", honest_solve)
    out = tmp_path / "run"
    args = ["ctt", "--data-dir", str(DATA), "--instances", "comp01,comp11", "--runs", "2"]
    args += ["--time-limit", "0.1,0.2", "--jobs", "0", "--out", str(out), "--no-progress"]
    result = CliRunner().invoke(benchmark_cli, args)
    assert result.exit_code == 0, result.output
    assert "| comp11 | 0.2 | 2 |" in result.output
    assert len(pd.read_csv(out / "results.csv")) == 8
    assert (out / "summary.md").read_text().startswith("| instance |")
    assert len(pd.read_csv(out / "summary.csv")) == 4

    monkeypatch.setattr(solver.course, "solve", crashing_solve)  # --report solves nothing
    (out / "summary.md").unlink()
    result = CliRunner().invoke(benchmark_cli, ["ctt", "--data-dir", str(DATA), "--out", str(out), "--report"])
    assert result.exit_code == 0, result.output
    assert (out / "summary.md").is_file() and "| comp01 | 0.1 | 2 |" in result.output


@needs_data
def test_cli_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(benchmark_cli, ["ctt", "--data-dir", str(DATA), "--instances", "comp30", "--out", "x"])
    assert result.exit_code == 1 and "comp30" in result.output and "valid: comp01" in result.output
    result = runner.invoke(benchmark_cli, ["ctt", "--data-dir", str(tmp_path / "none"), "--report"])
    assert result.exit_code == 1 and "none" in result.output and "does not exist" in result.output
    result = runner.invoke(benchmark_cli, ["ctt", "--data-dir", str(DATA), "--out", str(tmp_path), "--report"])
    assert result.exit_code == 1 and "no results to summarize" in result.output
    args = ["ctt", "--data-dir", str(DATA), "--seeds", "0", "--runs", "2", "--out", str(tmp_path)]
    result = runner.invoke(benchmark_cli, args)
    assert result.exit_code == 2 and "not both" in result.output
