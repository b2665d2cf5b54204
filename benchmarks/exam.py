"""Benchmark harness for the ITC2007 examination track (track 1, sets 1-12).

The same machinery as the course and Toronto harnesses (:mod:`benchmarks.runner`):

- :func:`run_one` solves one set once with one seed (:func:`solver.exam.solve_exams`), writes the
  ``.sln`` solution, reads it back and scores it with the independent scorer
  (:func:`models.exam_scoring.score`): ``cost`` and ``hard_violations`` are the scorer's,
  ``solver_cost`` what the solver claimed. A crash is a record with ``error`` set.
- :func:`run_many` runs sets x seeds x time limits, each in its own spawned process with a hard
  timeout, appends each record to ``<out>/results.csv`` as it arrives and skips, when re-run, the
  runs recorded without error.
- :func:`summarize` reduces the records to one row per set and time limit next to Müller's ITC2007
  results (his submitted best of 100 runs and the organisers' best of 10, Müller's Table 2) and the
  literature averages (Bykov & Petrovic 2013, the best averages overall); :func:`to_markdown`
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
from benchmarks.data import DataDirError
from benchmarks.runner import RecordSchema, Run, fmt, ratio

SolveFn = Callable[..., Any]
"""A function with the signature of :func:`solver.exam.solve_exams` returning an ``ExamSolveResult``."""

EXAM_DIR = "itc2007-exam"
EXAM_PUBLISHED = "published_results.csv"
EXAM_NAMES: tuple[str, ...] = tuple(f"set{n}" for n in range(1, 13))
"""The 12 ITC2007 exam sets (files ``exam_comp_set<N>.exam``; sets 9-12 were the hidden ones)."""
MUELLER_SETS: tuple[str, ...] = EXAM_NAMES[:8]
"""The sets with a submitted Müller result (the issue's target counts these)."""

RESULTS_CSV = runner.RESULTS_CSV
KEY_FIELDS: tuple[str, ...] = ("instance", "seed", "time_limit", "workers")
"""What identifies a run: a re-run skips a key already recorded without error."""
RECORD_FIELDS: tuple[str, ...] = (
    *KEY_FIELDS,
    "status",
    "cost",
    "solver_cost",
    "hard_violations",
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
    "ortools",
    "numba",
    "git_commit",
)
"""Columns of ``results.csv``, in order."""
RECORDS = RecordSchema(RECORD_FIELDS, KEY_FIELDS, (str, int, float, int))
"""The record CSV of this harness (see :class:`benchmarks.runner.RecordSchema`)."""
PACKAGES = ("ortools", "numba")
"""Packages whose versions go into each record."""


def instance_name(path: str | Path) -> str:
    """``exam_comp_set4.exam`` -> ``set4``; other files: their stem."""
    stem = Path(path).stem
    return stem.removeprefix("exam_comp_") if stem.startswith("exam_comp_set") else stem


def exam_instances(data: str | Path, names: Iterable[str] | None = None) -> list[Path]:
    """Paths of the ``.exam`` files of ``names`` (default: set1..set12), in the order given.

    Raises ``ValueError`` listing the valid names for an unknown name, :class:`DataDirError` for a
    missing folder or file."""
    folder = Path(data) / EXAM_DIR
    if not folder.is_dir():
        raise DataDirError(f"ITC2007 exam folder {folder} does not exist (expected {EXAM_DIR}/ in the data folder)")
    wanted = list(EXAM_NAMES) if names is None else [n.strip() for n in names if n.strip()]
    unknown = [n for n in wanted if n not in EXAM_NAMES]
    if unknown:
        raise ValueError(f"unknown ITC2007 exam set(s) {', '.join(unknown)}; valid: {', '.join(EXAM_NAMES)}")
    paths = []
    for name in dict.fromkeys(wanted):
        path = folder / f"exam_comp_{name}.exam"
        if not path.is_file():
            raise DataDirError(f"instance file {path} does not exist")
        paths.append(path)
    return paths


def published_exam(data: str | Path) -> pd.DataFrame:
    """Published results per set (index ``instance``: set1..set12) from ``published_results.csv``.

    Columns used: ``mueller_submitted_best100`` (Müller's submitted ITC2007 result, best of 100),
    ``mueller_best10_org`` (the organisers' best of 10 runs of Müller's solver) and ``avg_Byk13``
    (Bykov & Petrovic's mean); the others are kept as they are."""
    path = Path(data) / EXAM_DIR / EXAM_PUBLISHED
    if not path.is_file():
        raise DataDirError(f"published results {path} do not exist")
    table = pd.read_csv(path)
    missing = {"set", "mueller_submitted_best100", "mueller_best10_org", "avg_Byk13"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    table["instance"] = [f"set{int(n)}" for n in table["set"]]
    return table.set_index("instance")


def solution_name(instance: str, seed: int, time_limit: float, workers: int) -> str:
    """File name of a run's solution: ``<set>-s<seed>-t<limit>-w<workers>.sln``."""
    return f"{instance}-s{seed}-t{time_limit:g}-w{workers}.sln"


# --- one run ---------------------------------------------------------------------------------------


def _real_solve(*args: Any, **kwargs: Any) -> Any:
    """Call :func:`solver.exam.solve_exams`, looked up at call time (so it can be monkeypatched)."""
    import solver.exam

    return solver.exam.solve_exams(*args, **kwargs)


def run_one(
    instance_path: str,
    seed: int,
    time_limit: float,
    workers: int,
    *,
    out_dir: str | Path | None = None,
    solve_fn: SolveFn | None = None,
) -> dict[str, Any]:
    """Solve one ITC2007 exam set once, verify the timetable with the independent scorer, return the record.

    The timetable (if any) is written to ``out_dir/<set>-s<seed>-t<limit>-w<workers>.sln`` and that
    file, read back, is what gets scored. ``solve_fn`` replaces :func:`solver.exam.solve_exams` (for
    tests; module-level to cross a process boundary). Never raises for a failing run: the exception
    text goes into ``error`` (and the traceback into ``<solution>.err``).
    """
    from datasets.itc2007_exam import read_exam, read_solution, write_solution
    from models.exam_scoring import score

    name = instance_name(instance_path)
    record = RECORDS.empty(instance=name, seed=seed, time_limit=time_limit, workers=workers)
    record.update(instance_path=str(instance_path), started=runner.started(), **runner.environment(*PACKAGES))
    solve = solve_fn or _real_solve
    sol_path = Path(out_dir) / solution_name(name, seed, time_limit, workers) if out_dir else None
    with runner.capture_errors(record, sol_path):
        instance = read_exam(instance_path, name=name)
        start = time.perf_counter()
        try:
            result = solve(instance, time_limit=time_limit, workers=workers, seed=seed)
        finally:
            record["wall"] = round(time.perf_counter() - start, 3)
        status = getattr(result, "status", None)
        record.update(
            status=str(getattr(status, "value", status)),
            solver_cost=result.cost,
            elapsed=None if result.elapsed is None else round(float(result.elapsed), 3),
        )
        timetable = result.timetable
        if timetable is not None:
            if sol_path is not None:
                write_solution(instance, timetable, sol_path)
                record["solution_file"] = str(sol_path)
                timetable = read_solution(sol_path, instance)
            report = score(instance, timetable)
            record.update(
                cost=report.cost, hard_violations=report.hard_violations, scorer_warnings=len(report.warnings)
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
    jobs: int = 1,
    solve_fn: SolveFn | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Run every (set, seed, time limit) not yet done in ``out/results.csv``; return all latest records.

    ``jobs`` runs at once, each in its own spawned process with ``workers`` threads: on a 2-core
    machine keep ``jobs * workers <= 2``; ``jobs=0`` runs in this process. See
    :func:`benchmarks.runner.run_many`."""
    seeds, instances = list(seeds), list(instances)
    runs = [
        Run(
            key=RECORDS.key(instance_name(path), seed, limit, workers),
            time_limit=float(limit),
            args=(str(path), int(seed), float(limit), int(workers)),
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
        desc="exam runs",
        show=lambda record: f"cost={fmt(record['cost'])} hard={record['hard_violations']}",
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
    "mueller_submitted",
    "mueller_best10",
    "byk13_avg",
    "mean_over_mueller",
    "le_mueller",
    "errors",
    "cost_mismatches",
    "max_wall",
)


def _published(pub: pd.Series | None, column: str) -> float:
    if pub is None or column not in pub.index:
        return math.nan
    return float(pd.to_numeric(pub[column], errors="coerce"))


def summarize(results: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """One row per set and time limit (and per ``workers`` where that varies).

    ``runs`` counts the latest record of each run; ``feasible`` those with a verified timetable
    without hard violations and no error. ``best``/``mean`` are over the feasible runs, ``max_hard``
    over runs that produced a timetable, ``errors`` counts crashed runs. ``le_mueller``: every run
    feasible and the mean at or below Müller's submitted ITC2007 result (sets 1-8 only).
    ``cost_mismatches`` counts runs where the solver's cost differs from the scorer's."""
    runs = latest_runs(results)
    config = ["workers"] if "workers" in runs and runs["workers"].nunique(dropna=False) > 1 else []
    group_by = ["instance", "time_limit", *config]
    rows = []
    for key, group in runs.groupby(group_by, sort=False, dropna=False):
        values = dict(zip(group_by, key, strict=True))
        error = group["error"].fillna("").astype(str) != ""
        cost = pd.to_numeric(group["cost"], errors="coerce")
        hard = pd.to_numeric(group["hard_violations"], errors="coerce")
        solver_cost = pd.to_numeric(group["solver_cost"], errors="coerce")
        ok = ~error & cost.notna() & (hard == 0)
        mean = cost[ok].mean() if ok.any() else math.nan
        name = str(values["instance"])
        pub = published.loc[name] if name in published.index else None
        mueller = _published(pub, "mueller_submitted_best100")
        values.update(
            runs=len(group),
            feasible=int(ok.sum()),
            best=cost[ok].min() if ok.any() else math.nan,
            mean=mean,
            max_hard=hard.max() if hard.notna().any() else math.nan,
            mueller_submitted=mueller,
            mueller_best10=_published(pub, "mueller_best10_org"),
            byk13_avg=_published(pub, "avg_Byk13"),
            mean_over_mueller=ratio(mean, mueller),
            le_mueller=bool(ok.all() and not pd.isna(mueller) and mean <= mueller),
            errors=int(error.sum()),
            cost_mismatches=int((cost.notna() & solver_cost.notna() & (cost != solver_cost)).sum()),
            max_wall=pd.to_numeric(group["wall"], errors="coerce").max(),
        )
        rows.append(values)
    order = {name: n for n, name in enumerate(EXAM_NAMES)}
    columns = list(SUMMARY_COLUMNS[:2]) + config + list(SUMMARY_COLUMNS[2:])
    table = pd.DataFrame(rows, columns=columns)
    if table.empty:
        return table
    table["_order"] = [order.get(n, len(order)) for n in table["instance"]]
    return table.sort_values(["time_limit", "_order"]).drop(columns="_order").reset_index(drop=True)


def footer(summary: pd.DataFrame) -> list[str]:
    """The report's count lines, one per time limit (and ``workers``), plus sanity notes."""
    if summary.empty:
        return ["No runs recorded."]
    group_by = [c for c in summary.columns if c in ("time_limit", "workers")]
    lines = []
    for key, group in summary.groupby(group_by, sort=True):
        values = dict(zip(group_by, key if isinstance(key, tuple) else (key,), strict=True))
        label = ", ".join([f"{fmt(values.pop('time_limit'))} s", *(f"{k}={v}" for k, v in values.items())])
        feasible = group[(group["feasible"] == group["runs"]) & (group["runs"] > 0)]
        mueller_sets = group[group["instance"].isin(MUELLER_SETS)]
        below = mueller_sets[mueller_sets["le_mueller"]]
        lines.append(
            f"**{label}:** no hard violation (every run) in {feasible['instance'].nunique()}/"
            f"{group['instance'].nunique()} sets; mean at or below Müller's submitted ITC2007 result in "
            f"{below['instance'].nunique()}/{mueller_sets['instance'].nunique()} of sets 1-8"
            + (f" ({', '.join(below['instance'])})" if len(below) else "")
            + "."
        )
    errors = int(summary["errors"].sum())
    if errors:
        lines.append(f"**Note:** {errors} run(s) crashed: see `error` in results.csv and the run's `*.err` files.")
    mismatches = int(summary["cost_mismatches"].sum())
    if mismatches:
        lines.append(f"**Warning:** {mismatches} run(s) where the solver's cost differs from the scorer's.")
    return lines


def to_markdown(summary: pd.DataFrame) -> str:
    """A GitHub-flavoured markdown table of :func:`summarize`'s rows, then the :func:`footer` lines."""
    columns: list[tuple[str, str, int]] = [
        ("instance", "set", 0),
        ("time_limit", "limit (s)", 0),
        *((("workers", "workers", 0),) if "workers" in summary.columns else ()),
        ("runs", "runs", 0),
        ("feasible", "feasible", 0),
        ("best", "best", 0),
        ("mean", "mean", 1),
        ("max_hard", "max hard", 0),
        ("mueller_submitted", "Müller submitted", 0),
        ("mueller_best10", "Müller best of 10 (org.)", 0),
        ("byk13_avg", "Byk13 avg", 0),
        ("mean_over_mueller", "mean/Müller", 2),
        ("le_mueller", "≤ Müller", 0),
    ]
    lines = runner.markdown_table(
        summary.to_dict("records"),
        columns,
        blank=lambda row, name: name == "le_mueller" and pd.isna(row["mueller_submitted"]),
    )
    return "\n".join([*lines, "", *footer(summary)]) + "\n"
