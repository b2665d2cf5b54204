"""Benchmark harness for the Toronto uncapacitated exam timetabling instances (Carter, Laporte and Lee 1996).

The same machinery as the course harness (:mod:`benchmarks.ctt`, via :mod:`benchmarks.runner`):

- :func:`run_one` solves one instance once with one seed (:func:`solver.exam.solve_uncapacitated`) within
  the standard number of slots, writes the ``exam slot`` solution file, reads it back and scores it
  with the independent scorer (:func:`models.exam_scoring.score`): ``proximity`` (per student) and
  ``clashes`` (hard violations: students with two exams in a slot, unplaced exams) are the scorer's,
  ``solver_proximity`` and ``solver_cost`` what the solver claimed. A crash is a record with ``error`` set.
- :func:`run_many` runs instances x seeds x time limits, each in its own spawned process, appends each
  record to ``<out>/results.csv`` as it arrives and skips, when re-run, the runs recorded without error.
- :func:`summarize` reduces the records to one row per instance and time limit next to the best known
  result (``best_in_source`` of ``published_results.csv``) and Leite et al.'s cMA; :func:`to_markdown`
  renders it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks import runner
from benchmarks.runner import RecordSchema, Run, fmt, ratio
from datasets.toronto import TORONTO_INSTANCES, TORONTO_SLOTS, standard_slots

SolveFn = Callable[..., Any]
"""A function with the signature of :func:`solver.exam.solve_uncapacitated` returning an ``ExamSolveResult``."""

RESULTS_CSV = runner.RESULTS_CSV
KEY_FIELDS: tuple[str, ...] = ("instance", "seed", "time_limit", "workers", "slots")
"""What identifies a run: a re-run skips a key already recorded without error."""
RECORD_FIELDS: tuple[str, ...] = (
    *KEY_FIELDS,
    "status",
    "proximity",
    "cost",
    "solver_proximity",
    "solver_cost",
    "clashes",
    "scorer_warnings",
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
    "numba",
    "git_commit",
)
"""Columns of ``results.csv``, in order. ``cost`` is the scorer's raw proximity sum, ``proximity`` that per student."""
RECORDS = RecordSchema(RECORD_FIELDS, KEY_FIELDS, (str, int, float, int, int))
"""The record CSV of this harness (see :class:`benchmarks.runner.RecordSchema`)."""
PACKAGES = ("numba",)
"""Packages whose versions go into each record."""

WITHIN = 0.10
"""A mean proximity at most ``1 + WITHIN`` times the best known counts as close to it."""
_NAME_BY_STEM = {stem: name for name, (stem, _) in TORONTO_INSTANCES.items()}


def instance_name(path: str | Path) -> str:
    """The literature name of a Toronto file (``car-s-91.stu`` -> ``car91``); other files: their stem."""
    stem = Path(path).stem
    return _NAME_BY_STEM.get(stem, stem)


def resolve_slots(path: str | Path, slots: int | None = None) -> int:
    """``slots``, else the standard slot count of the instance (``ValueError`` for an unknown instance)."""
    return int(slots) if slots is not None else standard_slots(Path(path).stem)


def solution_name(instance: str, seed: int, time_limit: float, workers: int, slots: int | None = None) -> str:
    """File name of a run's solution: ``<instance>-s<seed>-t<limit>-w<workers>[-k<slots>].sol``.

    The slot count is in the name only when it is not the instance's standard one.
    """
    tag = "" if slots is None or TORONTO_SLOTS.get(instance) == slots else f"-k{slots}"
    return f"{instance}-s{seed}-t{time_limit:g}-w{workers}{tag}.sol"


# --- one run ---------------------------------------------------------------------------------------


def _real_solve(*args: Any, **kwargs: Any) -> Any:
    """Call :func:`solver.exam.solve_uncapacitated`, looked up at call time (so it can be monkeypatched)."""
    import solver.exam

    return solver.exam.solve_uncapacitated(*args, **kwargs)


def run_one(
    instance_path: str,
    seed: int,
    time_limit: float,
    workers: int,
    *,
    slots: int | None = None,
    out_dir: str | Path | None = None,
    solve_fn: SolveFn | None = None,
) -> dict[str, Any]:
    """Solve one Toronto instance once, verify the timetable with the independent scorer, return the record.

    ``slots`` defaults to the instance's standard count. The timetable (if any) is written to
    ``out_dir/<instance>-s<seed>-t<limit>-w<workers>.sol`` (see :func:`solution_name`) and that file,
    read back, is what gets scored. ``solve_fn`` replaces :func:`solver.exam.solve_uncapacitated` (for
    tests; module-level to cross a process boundary). Never raises for a failing run: the exception text
    goes into ``error`` (and the traceback into ``<solution>.err``).
    """
    from datasets.toronto import read_solution, read_toronto, write_solution
    from models.exam_scoring import score

    name = instance_name(instance_path)
    record = RECORDS.empty(instance=name, seed=seed, time_limit=time_limit, workers=workers)
    record.update(instance_path=str(instance_path), started=runner.started(), **runner.environment(*PACKAGES))
    solve = solve_fn or _real_solve
    sol_path = Path(out_dir) / solution_name(name, seed, time_limit, workers, slots) if out_dir else None
    with runner.capture_errors(record, sol_path):
        record["slots"] = count = resolve_slots(instance_path, slots)
        instance = read_toronto(instance_path, count, name=name)
        start = time.perf_counter()
        try:
            result = solve(instance, time_limit=time_limit, workers=workers, seed=seed)
        finally:
            record["wall"] = round(time.perf_counter() - start, 3)
        status = getattr(result, "status", None)
        record.update(
            status=str(getattr(status, "value", status)),
            solver_cost=result.cost,
            solver_proximity=None if result.proximity is None else float(result.proximity),
            elapsed=None if result.elapsed is None else round(float(result.elapsed), 3),
        )
        timetable = result.timetable
        if timetable is not None:
            if sol_path is not None:
                write_solution(timetable, sol_path, instance)
                record["solution_file"] = str(sol_path)
                timetable = read_solution(sol_path)  # no instance: unknown exams and slots are the scorer's to judge
            report = score(instance, timetable)
            record.update(
                proximity=float(report.proximity) if report.proximity is not None else None,
                cost=report.cost,
                clashes=report.hard_violations,
                scorer_warnings=len(report.warnings),
            )
    return record


# --- many runs -------------------------------------------------------------------------------------


read_results = RECORDS.read
latest_runs = RECORDS.latest
done_keys = RECORDS.done


def _failed(run: Run, why: str) -> dict[str, Any]:
    """The error record of a run whose worker process died or was killed."""
    record = RECORDS.empty(**dict(zip(KEY_FIELDS, run.key, strict=True)))
    record.update(status="error", error=why, instance_path=str(run.args[0]), **runner.environment(*PACKAGES))
    return record


def run_many(
    instances: Sequence[str | Path],
    seeds: Iterable[int],
    time_limits: Iterable[float],
    *,
    out: str | Path,
    workers: int = 2,
    slots: int | None = None,
    jobs: int = 1,
    solve_fn: SolveFn | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Run every (instance, seed, time limit) not yet done in ``out/results.csv``; return all latest records.

    ``slots`` (default: each instance's standard count) applies to every instance; an instance without a
    standard count needs it (``ValueError`` before anything runs). ``jobs`` runs at once, each in its own
    spawned process, ``workers`` annealing threads each: on a 2-core machine keep ``jobs * workers <= 2``;
    ``jobs=0`` runs in this process. See :func:`benchmarks.runner.run_many`.
    """
    seeds, instances = list(seeds), list(instances)
    counts = {str(path): resolve_slots(path, slots) for path in instances}
    runs = [
        Run(
            key=RECORDS.key(instance_name(path), seed, limit, workers, counts[str(path)]),
            time_limit=float(limit),
            args=(str(path), int(seed), float(limit), int(workers)),
            kwargs={"slots": counts[str(path)]},
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
        failed=_failed,
        jobs=jobs,
        solve_fn=solve_fn,
        progress=progress,
        desc="toronto runs",
        show=lambda record: f"proximity={fmt(record['proximity'], 3)} clashes={record['clashes']}",
    )


# --- reduction -------------------------------------------------------------------------------------


SUMMARY_COLUMNS: tuple[str, ...] = (
    "instance",
    "time_limit",
    "slots",
    "runs",
    "feasible",
    "best",
    "mean",
    "max_clashes",
    "best_known",
    "best_by",
    "cma_min",
    "cma_avg",
    "mean_over_best_known",
    "within_10pct",
    "standard_slots",
    "errors",
    "cost_mismatches",
    "below_best_known",
    "max_wall",
)


def _published_value(pub: pd.Series | None, column: str) -> float:
    if pub is None or column not in pub.index:
        return math.nan
    return float(pd.to_numeric(pub[column], errors="coerce"))


def summarize(results: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """One row per instance, time limit and slot count (and per ``workers`` where that varies).

    ``runs`` counts the latest record of each run; ``feasible`` those with a verified timetable without
    clashes and no error. ``best``/``mean`` proximity (scorer's, per student) are over the feasible runs,
    ``max_clashes`` over runs that produced a timetable, ``errors`` counts crashed runs. ``best_known`` is
    the published ``best_in_source``, ``cma_min``/``cma_avg`` Leite et al.'s cMA (NaN if not published).
    ``standard_slots``: the slot count is the published (standard) one; ``within_10pct``: standard slots,
    every run feasible and mean at most 1.10 x best known. Sanity: ``cost_mismatches`` (the solver's raw
    cost differs from the scorer's) and ``below_best_known`` (standard slots and best below the best known,
    rounded as published: a new record or a bug, to check).
    """
    runs = latest_runs(results)
    config = ["workers"] if "workers" in runs and runs["workers"].nunique(dropna=False) > 1 else []
    group_by = ["instance", "time_limit", "slots", *config]
    rows = []
    for key, group in runs.groupby(group_by, sort=True, dropna=False):
        values = dict(zip(group_by, key, strict=True))
        error = group["error"].fillna("").astype(str) != ""
        proximity = pd.to_numeric(group["proximity"], errors="coerce")
        clashes = pd.to_numeric(group["clashes"], errors="coerce")
        cost = pd.to_numeric(group["cost"], errors="coerce")
        solver_cost = pd.to_numeric(group["solver_cost"], errors="coerce")
        ok = ~error & proximity.notna() & (clashes == 0)
        best = proximity[ok].min() if ok.any() else math.nan
        mean = proximity[ok].mean() if ok.any() else math.nan
        name = str(values["instance"])
        pub = published.loc[name] if name in published.index else None
        best_known = _published_value(pub, "best_in_source")
        count = TORONTO_SLOTS.get(name, math.nan) if pub is None else _published_value(pub, "timeslots")
        standard = bool(not pd.isna(values["slots"]) and values["slots"] == count)
        over = ratio(mean, best_known)
        values.update(
            runs=len(group),
            feasible=int(ok.sum()),
            best=best,
            mean=mean,
            max_clashes=clashes.max() if clashes.notna().any() else math.nan,
            best_known=best_known,
            best_by="" if pub is None or "best_by" not in pub.index else runner.text(pub["best_by"]),
            cma_min=_published_value(pub, "cMA_min"),
            cma_avg=_published_value(pub, "cMA_avg"),
            mean_over_best_known=over,
            within_10pct=bool(standard and ok.all() and not pd.isna(over) and over <= 1 + WITHIN),
            standard_slots=standard,
            errors=int(error.sum()),
            cost_mismatches=int((cost.notna() & solver_cost.notna() & (cost != solver_cost)).sum()),
            below_best_known=bool(
                standard and not pd.isna(best) and not pd.isna(best_known) and round(best, 2) < best_known
            ),
            max_wall=pd.to_numeric(group["wall"], errors="coerce").max(),
        )
        rows.append(values)
    columns = list(SUMMARY_COLUMNS[:3]) + config + list(SUMMARY_COLUMNS[3:])
    return pd.DataFrame(rows, columns=columns)


def footer(summary: pd.DataFrame) -> list[str]:
    """The report's count lines, one per time limit (and ``workers``), plus sanity notes."""
    if summary.empty:
        return ["No runs recorded."]
    group_by = [c for c in summary.columns if c in ("time_limit", "workers")]
    lines = []
    for key, group in summary.groupby(group_by, sort=True):
        values = dict(zip(group_by, key if isinstance(key, tuple) else (key,), strict=True))
        label = ", ".join([f"{fmt(values.pop('time_limit'))} s", *(f"{k}={v}" for k, v in values.items())])
        instances = group["instance"].nunique()
        clean = group[group["standard_slots"] & (group["feasible"] == group["runs"]) & (group["runs"] > 0)]
        close = group[group["within_10pct"]]
        lines.append(
            f"**{label}:** no clash within the standard slots (every run) in "
            f"{clean['instance'].nunique()}/{instances} instances; "
            f"mean within 10 % of the best known in {close['instance'].nunique()}/{instances}."
        )
    errors = int(summary["errors"].sum())
    if errors:
        lines.append(
            f"**Note:** {errors} run(s) crashed: see `error` in results.csv and the run folder's `*.err` files."
        )
    mismatches = int(summary["cost_mismatches"].sum())
    if mismatches:
        lines.append(f"**Warning:** {mismatches} run(s) where the solver's proximity sum differs from the scorer's.")
    below = summary[summary["below_best_known"]]["instance"].tolist()
    if below:
        lines.append(
            f"**Check:** best proximity below the best known on {', '.join(below)} "
            "(a new best, or a data or scorer bug: compare the instance version and slot count)."
        )
    return lines


def to_markdown(summary: pd.DataFrame) -> str:
    """A GitHub-flavoured markdown table of :func:`summarize`'s rows, then the :func:`footer` lines."""
    columns: list[tuple[str, str, int]] = [
        ("instance", "instance", 0),
        ("time_limit", "limit (s)", 0),
        ("slots", "slots", 0),
        *((("workers", "workers", 0),) if "workers" in summary.columns else ()),
        ("runs", "runs", 0),
        ("feasible", "no clash", 0),
        ("best", "best", 3),
        ("mean", "mean", 3),
        ("max_clashes", "max clashes", 0),
        ("best_known", "best known", 2),
        ("cma_min", "cMA min", 2),
        ("cma_avg", "cMA avg", 2),
        ("mean_over_best_known", "mean/best known", 3),
        ("within_10pct", "within 10 %", 0),
    ]
    lines = runner.markdown_table(summary.to_dict("records"), columns)
    return "\n".join([*lines, "", *footer(summary)]) + "\n"
