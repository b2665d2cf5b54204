"""Benchmark harness for ITC2007 track 3, curriculum-based course timetabling (CB-CTT, UD2).

In the style of AlgBench and CPMpy's benchmark tools:

- :func:`run_one` runs one (instance, seed, time limit, configuration) and returns a flat record. It
  never trusts the solver: the timetable is written to a solution file, read back and scored by the
  independent scorer (:func:`models.course_scoring.score`); ``cost`` and ``hard_violations`` are the
  scorer's, ``solver_cost`` is what the solver claimed. A crash is a record with ``error`` set.
- :func:`run_many` runs instances x seeds x time limits in separate worker processes, appends each
  record to ``<out>/results.csv`` as soon as it arrives and, when re-run, skips what is done (a
  crashed run is not done: it is tried again, and the newest record of a run wins).
- :func:`summarize` reduces the records to one row per instance and time limit, next to the published
  best known solutions and Müller's ITC2007 results; :func:`to_markdown` renders it.

The record CSV, the isolated runs and the run loop are :mod:`benchmarks.runner`'s, shared with the
other harnesses.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks import runner
from benchmarks.runner import RecordSchema, Run, text
from benchmarks.runner import fmt as _fmt
from benchmarks.runner import ratio as _ratio

RESULTS_CSV = runner.RESULTS_CSV

SolveFn = Callable[..., Any]
"""A function with the signature of :func:`solver.course.solve` returning a ``SolveResult``."""

KEY_FIELDS: tuple[str, ...] = ("instance", "seed", "time_limit", "workers", "params")
"""What identifies a run: a re-run skips a key already recorded without error."""
RECORD_FIELDS: tuple[str, ...] = (
    *KEY_FIELDS,
    "status",
    "cost",
    "solver_cost",
    "hard_violations",
    "scorer_warnings",
    "bound",
    "elapsed",
    "wall",
    "solution_file",
    "error",
    "instance_path",
    "started",
    "host",
    "cpu",
    "cpu_count",
    "python",
    "ortools",
    "git_commit",
)
"""Columns of ``results.csv``, in order."""
RECORDS = RecordSchema(
    RECORD_FIELDS,
    KEY_FIELDS,
    (str, int, float, int, text),
    text_fields=("params", "error", "status", "solution_file"),
)
"""The record CSV of this harness (see :class:`benchmarks.runner.RecordSchema`)."""
PACKAGES = ("ortools",)
"""Packages whose versions go into each record."""

PROVEN_OPTIMA_CHECK: tuple[str, ...] = ("comp01", "comp04", "comp11")
"""Small instances whose proven optimum a good run should reach; counted in the report footer."""


# --- one run ---------------------------------------------------------------------------------------


def _real_solve(*args: Any, **kwargs: Any) -> Any:
    """Call :func:`solver.course.solve`, looked up at call time (so it can be monkeypatched)."""
    import solver.course

    return solver.course.solve(*args, **kwargs)


def solution_name(instance: str, seed: int, time_limit: float, workers: int, params: str | None = None) -> str:
    """File name of a run's solution: ``<instance>-s<seed>-t<limit>-w<workers>[-p<hash of params>].sol``.

    Workers and parameters are in the name so that runs of two configurations in one folder never overwrite
    each other's solutions.
    """
    tag = f"-p{hashlib.sha1(params.encode()).hexdigest()[:8]}" if params else ""
    return f"{instance}-s{seed}-t{time_limit:g}-w{workers}{tag}.sol"


def run_one(
    instance_path: str,
    seed: int,
    time_limit: float,
    workers: int,
    params: str | None,
    *,
    out_dir: str | Path | None = None,
    solve_fn: SolveFn | None = None,
) -> dict[str, Any]:
    """Solve one instance once, verify the timetable with the independent scorer and return the record.

    The timetable (if any) is written to ``out_dir/<instance>-s<seed>-t<limit>-w<workers>.sol`` (see
    :func:`solution_name`) and that file is what gets scored, as an external validator would.
    ``solve_fn`` replaces :func:`solver.course.solve` (for tests; it must be a module-level function to
    cross a process boundary). Never raises for a failing run: the exception text goes into ``error``
    (and the traceback into ``<solution>.err``).
    """
    from datasets.itc2007_ctt import read_instance, read_solution, write_solution
    from models.course_scoring import score

    name = Path(instance_path).stem
    record = _empty_record(name, seed, time_limit, workers, params)
    record.update(instance_path=str(instance_path), started=runner.started(), **_environment())
    solve = solve_fn or _real_solve
    sol_path = Path(out_dir) / solution_name(name, seed, time_limit, workers, params) if out_dir else None
    with runner.capture_errors(record, sol_path):
        instance = read_instance(instance_path)
        start = time.perf_counter()
        try:
            result = solve(instance, time_limit=time_limit, workers=workers, seed=seed, params=params or None)
        finally:
            record["wall"] = round(time.perf_counter() - start, 3)
        status = getattr(result, "status", None)
        record.update(
            status=str(getattr(status, "value", status)),
            solver_cost=result.cost,
            bound=result.bound,
            elapsed=None if result.elapsed is None else round(float(result.elapsed), 3),
        )
        timetable = result.timetable
        if timetable is not None:
            if sol_path is not None:
                write_solution(timetable, sol_path)
                record["solution_file"] = str(sol_path)
                timetable = read_solution(sol_path)
            report = score(instance, timetable)
            record.update(
                cost=report.cost, hard_violations=report.hard_violations, scorer_warnings=len(report.warnings)
            )
    return record


def _empty_record(instance: str, seed: int, time_limit: float, workers: int, params: str | None) -> dict[str, Any]:
    return RECORDS.empty(instance=instance, seed=seed, time_limit=time_limit, workers=workers, params=params)


def _environment() -> dict[str, Any]:
    """Host, versions (OR-Tools) and git commit, computed once per process."""
    return runner.environment(*PACKAGES)


# --- many runs -------------------------------------------------------------------------------------


Key = tuple[str, int, float, int, str]
read_results = RECORDS.read
latest_runs = RECORDS.latest
done_keys = RECORDS.done
_check_header = RECORDS.check_header
_append = RECORDS.append


def _failed(args: Sequence[Any], why: str) -> dict[str, Any]:
    """The error record of a run (``run_one``'s positional ``args``) whose worker process died."""
    path, seed, limit, workers, params = args
    record = _empty_record(Path(path).stem, seed, limit, workers, params)
    record.update(status="error", error=why, instance_path=str(path), **_environment())
    return record


def run_isolated(context: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """``run_one(*args, **kwargs)`` in a fresh process of its own (see :func:`benchmarks.runner.run_isolated`).

    A process that dies (signal, out of memory) or overruns the hard timeout becomes an error
    record naming its exit code, so one bad run never stops the others.
    """
    timeout = runner.hard_timeout(args[2])
    return runner.run_isolated(context, run_one, args, kwargs, timeout=timeout, failed=lambda why: _failed(args, why))


def run_many(
    instances: Sequence[str | Path],
    seeds: Iterable[int],
    time_limits: Iterable[float],
    *,
    out: str | Path,
    workers: int = 2,
    params: str | None = None,
    jobs: int = 1,
    solve_fn: SolveFn | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Run every (instance, seed, time limit) not yet done in ``out/results.csv``; return all latest records.

    ``jobs`` is the number of runs at once, each in its own fresh process (spawned; one process per
    run), independent of ``workers``, the CP-SAT workers of one run: on a 2-core machine keep
    ``jobs * workers <= 2``. ``jobs=0`` runs in this process (debugging, tests). Each record is appended
    to the CSV as soon as it arrives; a worker process that dies is recorded as a crashed run.
    """
    seeds, instances = list(seeds), list(instances)
    runs = [
        Run(
            key=RECORDS.key(Path(path).stem, seed, limit, workers, params),
            time_limit=float(limit),
            args=(str(path), int(seed), float(limit), workers, params),
        )
        for limit in time_limits
        for seed in seeds
        for path in instances
    ]
    return runner.run_many(
        run_one,
        runs,
        RECORDS,
        out=out,
        failed=lambda run, why: _failed(run.args, why),
        jobs=jobs,
        solve_fn=solve_fn,
        progress=progress,
        desc="ctt runs",
        show=lambda record: f"cost={record['cost']} hard={record['hard_violations']}",
    )


# --- reduction -------------------------------------------------------------------------------------


SUMMARY_COLUMNS: tuple[str, ...] = (
    "instance",
    "time_limit",
    "runs",
    "feasible",
    "best",
    "mean",
    "max_hard",
    "bks",
    "bks_optimal",
    "best_lb",
    "mueller_avg10",
    "mean_over_mueller",
    "mean_over_bks",
    "le_mueller",
    "optimum",
    "errors",
    "cost_mismatches",
    "bound_above_cost",
    "below_lb",
    "max_wall",
)


def summarize(results: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """One row per instance and time limit (and per ``workers``/``params`` where those vary).

    ``runs`` counts the latest record of each run; ``feasible`` those with a verified timetable
    without hard violations and no error. ``best``/``mean`` are over the feasible runs; ``max_hard``
    over runs that produced a timetable; ``errors`` counts crashed runs. ``le_mueller`` (mean <= Müller's
    ITC2007 avg10) requires every run to be feasible; ``optimum`` is best == BKS where the BKS is proven
    optimal. Sanity counts: ``cost_mismatches`` (solver cost != scorer cost), ``bound_above_cost``
    (claimed lower bound above a verified cost) and ``below_lb`` (best below the best published lower
    bound: a scorer or data bug).
    """
    runs = latest_runs(results)
    config = [c for c in ("workers", "params") if c in runs and runs[c].nunique(dropna=False) > 1]
    group_by = ["instance", "time_limit", *config]
    rows = []
    for key, group in runs.groupby(group_by, sort=True):
        values = dict(zip(group_by, key, strict=True))
        error = group["error"].fillna("").astype(str) != ""
        cost = pd.to_numeric(group["cost"], errors="coerce")
        hard = pd.to_numeric(group["hard_violations"], errors="coerce")
        solver_cost = pd.to_numeric(group["solver_cost"], errors="coerce")
        bound = pd.to_numeric(group["bound"], errors="coerce")
        ok = ~error & cost.notna() & (hard == 0)
        best = cost[ok].min() if ok.any() else math.nan
        mean = cost[ok].mean() if ok.any() else math.nan
        name = str(values["instance"])
        pub = published.loc[name] if name in published.index else None
        bks = float(pub["bks_ud2"]) if pub is not None else math.nan
        optimal = bool(pub["bks_optimal"]) if pub is not None else False
        best_lb = float(pub["best_lb"]) if pub is not None else math.nan
        mueller = float(pub["mueller_itc2007_avg10"]) if pub is not None else math.nan
        values.update(
            runs=len(group),
            feasible=int(ok.sum()),
            best=best,
            mean=mean,
            max_hard=hard.max() if hard.notna().any() else math.nan,
            bks=bks,
            bks_optimal=optimal,
            best_lb=best_lb,
            mueller_avg10=mueller,
            mean_over_mueller=_ratio(mean, mueller),
            mean_over_bks=_ratio(mean, bks),
            le_mueller=bool(ok.all() and not pd.isna(mueller) and mean <= mueller),
            optimum=bool(optimal and not pd.isna(best) and best == bks),
            errors=int(error.sum()),
            cost_mismatches=int((cost.notna() & solver_cost.notna() & (cost != solver_cost)).sum()),
            bound_above_cost=int((cost.notna() & bound.notna() & (hard == 0) & (bound > cost)).sum()),
            below_lb=bool(not pd.isna(best) and not pd.isna(best_lb) and best < best_lb),
            max_wall=pd.to_numeric(group["wall"], errors="coerce").max(),
        )
        rows.append(values)
    columns = list(SUMMARY_COLUMNS[:2]) + config + list(SUMMARY_COLUMNS[2:])
    return pd.DataFrame(rows, columns=columns)


def footer(summary: pd.DataFrame) -> list[str]:
    """The report's count lines, one per time limit (and configuration), plus sanity warnings."""
    group_by = [c for c in summary.columns if c in ("time_limit", "workers", "params")]
    if summary.empty:
        return ["No runs recorded."]
    lines = []
    for key, group in summary.groupby(group_by, sort=True):
        values = dict(zip(group_by, key if isinstance(key, tuple) else (key,), strict=True))
        limit = _fmt(values.pop("time_limit"))
        label = ", ".join([f"{limit} s", *(f"{k}={v if v != '' else '(none)'}" for k, v in values.items())])
        total = len(group)
        clean = int(((group["feasible"] == group["runs"]) & (group["runs"] > 0)).sum())
        checked = group[group["instance"].isin(PROVEN_OPTIMA_CHECK)]
        reached = checked[checked["optimum"]]["instance"].tolist()
        optima = (
            f"{len(reached)}/{len(checked)} of {', '.join(checked['instance'])}"
            + (f" ({', '.join(reached)})" if reached else "")
            if len(checked)
            else f"n/a (none of {', '.join(PROVEN_OPTIMA_CHECK)} run)"
        )
        lines.append(
            f"**{label}:** no hard violation (every run feasible) in {clean}/{total} instances; "
            f"mean at or below Müller's ITC2007 avg10 in {int(group['le_mueller'].sum())}/{total}; "
            f"proven optima reached: {optima}."
        )
    errors = int(summary["errors"].sum()) if len(summary) else 0
    if errors:
        lines.append(
            f"**Note:** {errors} run(s) crashed: see `error` in results.csv and the run folder's `*.err` files."
        )
    mismatches = int(summary["cost_mismatches"].sum()) if len(summary) else 0
    if mismatches:
        lines.append(f"**Warning:** {mismatches} run(s) where the solver's cost differs from the scorer's.")
    above = int(summary["bound_above_cost"].sum()) if len(summary) else 0
    if above:
        lines.append(f"**Warning:** {above} run(s) whose claimed lower bound exceeds the verified cost.")
    below = summary[summary["below_lb"]]["instance"].tolist() if len(summary) else []
    if below:
        lines.append(f"**Warning:** best cost below the best published lower bound on {', '.join(below)}.")
    return lines


def to_markdown(summary: pd.DataFrame) -> str:
    """A GitHub-flavoured markdown table of :func:`summarize`'s rows, then the :func:`footer` lines."""
    config = [c for c in ("workers", "params") if c in summary.columns]
    columns: list[tuple[str, str, int]] = [
        ("instance", "instance", 0),
        ("time_limit", "limit (s)", 0),
        *((c, c, 0) for c in config),
        ("runs", "runs", 0),
        ("feasible", "feasible", 0),
        ("best", "best", 0),
        ("mean", "mean", 1),
        ("max_hard", "max hard", 0),
        ("bks", "BKS", 0),
        ("mueller_avg10", "Müller avg10", 1),
        ("mean_over_mueller", "mean/Müller", 2),
        ("mean_over_bks", "mean/BKS", 2),
        ("le_mueller", "≤ Müller avg", 0),
        ("optimum", "optimum reached", 0),
    ]
    lines = runner.markdown_table(
        summary.to_dict("records"),
        columns,
        left=("instance", "params"),
        blank=lambda row, name: name == "optimum" and not row["bks_optimal"],  # no proven optimum to reach
    )
    return "\n".join([*lines, "", *footer(summary)]) + "\n"
