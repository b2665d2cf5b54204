"""Benchmark of section formation: CP-SAT against the greedy baseline on generated registrations.

Each run (:func:`run_one`) generates a registration (:mod:`datasets.enrollment_generator`, a preset
``1k``/``5k``/``20k`` or a number of students, and a seed), forms its sections with one method and
scores them with the independent scorer (:mod:`models.groups_scoring`); nothing the solver says
about its own result is used. Methods:

- ``cpsat``: :func:`solver.groups.form.form_sections`, fewest sections first;
- ``cpsat-balanced``: the same with ``balance_first`` (every kind within one where a shape allows);
- ``greedy``: :func:`solver.groups.greedy.form_greedy`, sections filled in list order by hand.

Tasks: ``form`` records the scorer's terms and the formation time; ``timetable-students`` and
``timetable-groups`` also build a course timetabling instance from the sections
(:func:`models.groups_timetable.timetable_instance` with exact student curricula or one curriculum
per academic group), solve it with :func:`solver.course.solve` for ``timetable_time`` seconds and
count student conflicts in the timetable (:func:`models.groups_timetable.student_conflicts`).

Runs go through :mod:`benchmarks.runner`, one at a time in this process (a formation starts its own
worker processes), each appended to ``<out>/results.csv`` as it finishes and skipped when re-run.
:func:`summarize` and :func:`to_markdown` make the tables.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import click
import pandas as pd

from benchmarks import runner
from benchmarks.runner import RecordSchema, Run, markdown_table, text

RESULTS_CSV = runner.RESULTS_CSV
METHODS = ("cpsat", "cpsat-balanced", "greedy")
TASKS = ("form", "timetable-students", "timetable-groups")
KEY_FIELDS: tuple[str, ...] = ("instance", "seed", "method", "task", "time_limit", "workers")
RECORD_FIELDS: tuple[str, ...] = (
    *KEY_FIELDS,
    "status",
    "students",
    "registrations",
    "disciplines",
    "elapsed",
    "cpu_seconds",
    "wall",
    "sections",
    "teaching_lessons",
    "lower_bound",
    "above_bound",
    "pools",
    "pools_at_bound",
    "imbalance",
    "pools_over_1",
    "max_imbalance",
    "splits",
    "strays",
    "combinations",
    "groups",
    "hard",
    "chains",
    "chains_skipped",
    "chains_undecided",
    "chains_infeasible",
    "chains_within_one",
    "audit_pools",
    "pools_within_one_possible",
    "pools_within_one_best",
    "chains_at_bound",
    "chains_at_best",
    "chains_worse",
    "chains_better",
    "pools_missed",
    "best_imbalance",
    "audit_imbalance",
    "models",
    "models_optimal",
    "greedy_placements",
    "courses",
    "curricula",
    "timetable_time",
    "timetable_status",
    "timetable_cost",
    "conflicts",
    "timetable_elapsed",
    "solution_file",
    "error",
    "started",
    "host",
    "cpu",
    "cpu_count",
    "python",
    "ortools",
    "git_commit",
)
RECORDS = RecordSchema(
    RECORD_FIELDS,
    KEY_FIELDS,
    (str, int, str, str, float, int),
    ("error", "status", "solution_file", "timetable_status"),
)
PACKAGES = ("ortools",)
AUDIT_FIELDS = (
    "chains",
    "chains_skipped",
    "chains_undecided",
    "chains_infeasible",
    "chains_within_one",
    "pools_within_one_possible",
    "pools_within_one_best",
    "chains_at_bound",
    "chains_at_best",
    "chains_worse",
    "chains_better",
    "pools_missed",
    "best_imbalance",
)
"""Terms of :func:`models.groups_scoring.audit_balance` recorded under their own names (``pools`` and
``imbalance`` as ``audit_pools`` and ``audit_imbalance``)."""


def size_arg(name: str) -> str | int:
    """``1k``/``5k``/``20k`` stay names; digits are a number of students."""
    return int(name) if name.isdigit() else name


def run_one(
    size: str,
    seed: int,
    method: str,
    task: str,
    time_limit: float,
    workers: int,
    timetable_time: float = 30.0,
    *,
    out_dir: Path | None = None,
    solve_fn: Callable[..., Any] | None = None,
) -> dict[str, Any]:
    """One formation (and, for a timetable task, one timetable) scored independently; a record."""
    from datasets.enrollment_generator import generate_enrollment
    from models.groups_scoring import audit_balance, score
    from solver.groups.form import FormOptions, form_sections
    from solver.groups.greedy import form_greedy

    del out_dir, solve_fn
    record = RECORDS.empty(
        instance=size,
        seed=seed,
        method=method,
        task=task,
        time_limit=time_limit,
        workers=workers,
        started=runner.started(),
    )
    record.update(runner.environment(*PACKAGES))
    if method not in METHODS or task not in TASKS:
        record["error"] = f"unknown method {method!r} or task {task!r}"
        return record
    start = time.monotonic()
    with runner.capture_errors(record, None):
        generated = generate_enrollment(size_arg(size), seed)  # type: ignore[arg-type]
        instance = generated.instance
        record.update(
            students=len(instance.students), registrations=instance.registrations, disciplines=len(instance.disciplines)
        )
        cpu_before = _cpu_seconds()
        if method == "greedy":
            began = time.monotonic()
            grouping = form_greedy(instance)
            record["elapsed"] = time.monotonic() - began
        else:
            options = FormOptions(
                time_limit=time_limit, workers=workers, seed=seed, balance_first=method == "cpsat-balanced"
            )
            result = form_sections(instance, options)
            grouping = result.grouping
            record.update(
                elapsed=result.elapsed,
                models=result.stats.models,
                models_optimal=result.stats.optimal,
                greedy_placements=result.stats.fallback,
            )
        record["cpu_seconds"] = _cpu_seconds() - cpu_before
        report = score(instance, grouping)
        terms = report.terms
        record.update(
            sections=terms["Sections"],
            teaching_lessons=terms["TeachingLessons"],
            lower_bound=terms["LowerBound"],
            above_bound=terms["AboveBound"],
            pools=len(report.pools),
            pools_at_bound=sum(1 for p in report.pools if p.sections == p.bound),
            imbalance=terms["Imbalance"],
            pools_over_1=terms["PoolsOver1"],
            max_imbalance=terms["MaxImbalance"],
            splits=terms["Splits"],
            strays=terms["Strays"],
            combinations=terms["Combinations"],
            groups=terms["Groups"],
            hard=report.hard_violations,
            status="formed",
        )
        audit = audit_balance(instance, report)
        record.update(
            {name: getattr(audit, name) for name in AUDIT_FIELDS},
            audit_pools=audit.pools,
            audit_imbalance=audit.imbalance,
        )
        if task != "form":
            _timetable(
                record,
                instance,
                grouping,
                generated.rooms,
                task.removeprefix("timetable-"),
                timetable_time,
                workers,
                seed,
            )
    record["wall"] = time.monotonic() - start
    return record


def _cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and its finished children (the formation's workers):
    on a shared machine, what the formation cost apart from waiting for a processor."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timetable(
    record: dict[str, Any], instance: Any, grouping: Any, rooms: Any, mode: str, limit: float, workers: int, seed: int
) -> None:
    from datasets.synthetic_university import registrar_rules
    from models.groups_timetable import student_conflicts, timetable_instance
    from solver.course import solve

    course_instance = timetable_instance(instance, grouping, rooms, rules=registrar_rules(), curricula=mode)  # type: ignore[arg-type]
    record.update(courses=len(course_instance.courses), curricula=len(course_instance.curricula), timetable_time=limit)
    began = time.monotonic()
    result = solve(course_instance, time_limit=limit, workers=workers, seed=seed, progress=None)
    record["timetable_elapsed"] = time.monotonic() - began
    record["timetable_status"] = result.status.value
    if result.timetable is not None:
        from models.course_scoring import score as score_timetable

        record["timetable_cost"] = score_timetable(course_instance, result.timetable).cost
        record["conflicts"] = student_conflicts(grouping, result.timetable)


def _failed(run: Run, why: str) -> dict[str, Any]:
    size, seed, method, task, time_limit, workers = run.args[:6]
    record = RECORDS.empty(instance=size, seed=seed, method=method, task=task, time_limit=time_limit, workers=workers)
    record["error"] = why
    return record


def run_many(
    sizes: Sequence[str],
    seeds: Sequence[int],
    methods: Sequence[str],
    tasks: Sequence[str],
    *,
    time_limit: float,
    workers: int,
    timetable_time: float,
    out: str | Path,
    progress: bool = True,
) -> pd.DataFrame:
    """Every (size, seed, method, task) run not yet in ``out/results.csv``, one after the other in this
    process; all latest records."""
    runs = []
    for size in sizes:
        for seed in seeds:
            for method in methods:
                for task in tasks:
                    limit = time_limit + (timetable_time if task != "form" else 0)
                    key = RECORDS.key(size, seed, method, task, time_limit, workers)
                    runs.append(Run(key, limit, (size, seed, method, task, time_limit, workers, timetable_time)))
    return runner.run_many(
        run_one,
        runs,
        RECORDS,
        out=out,
        failed=_failed,
        jobs=0,  # in this process: a formation starts its own worker processes (a daemonic run process could not)
        progress=progress,
        desc="groups",
        show=lambda r: f"{r['method']} {r['task']} {text(r['elapsed'])[:5]} s",
    )


def read_results(path: str | Path) -> pd.DataFrame:
    return RECORDS.read(path)


def latest_runs(results: pd.DataFrame) -> pd.DataFrame:
    return RECORDS.latest(results)


def summarize(results: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Formation rows (task ``form``) and timetable rows, means over seeds, sorted by size and method."""
    ok = results[results["error"].fillna("") == ""].copy()
    order = {m: i for i, m in enumerate(METHODS)}
    ok["size_order"] = ok["students"].astype(float)
    ok["method_order"] = ok["method"].map(order)
    form = ok[ok["task"] == "form"]
    numeric = [
        "students", "registrations", "elapsed", "cpu_seconds", "sections", "lower_bound", "above_bound", "pools",
        "pools_at_bound", "imbalance", "pools_over_1", "max_imbalance", "splits", "strays", "combinations", "groups",
        "hard", *AUDIT_FIELDS, "audit_pools", "audit_imbalance",
    ]  # fmt: skip
    form = form.assign(**{c: float("nan") for c in numeric if c not in form})  # runs recorded before a column existed
    formation = (
        form.groupby(["instance", "method", "workers", "time_limit"], as_index=False)
        .agg(
            runs=("seed", "count"),
            size_order=("size_order", "first"),
            method_order=("method_order", "first"),
            **{c: (c, "mean") for c in numeric},
            max_elapsed=("elapsed", "max"),
        )
        .sort_values(["size_order", "method_order"])
    )
    formation["at_bound_pct"] = 100 * formation["pools_at_bound"] / formation["pools"]
    formation["combinations_per_group"] = formation["combinations"] / formation["groups"]
    tt = ok[ok["task"] != "form"]
    timetable = (
        tt.assign(found=tt["timetable_status"].isin(["optimal", "feasible"]))
        .groupby(["instance", "method", "task", "timetable_time"], as_index=False)
        .agg(
            runs=("seed", "count"),
            size_order=("size_order", "first"),
            method_order=("method_order", "first"),
            students=("students", "mean"),
            courses=("courses", "mean"),
            curricula=("curricula", "mean"),
            found=("found", "sum"),
            conflicts=("conflicts", "mean"),
            cost=("timetable_cost", "mean"),
            splits=("splits", "mean"),
            strays=("strays", "mean"),
        )
        .sort_values(["size_order", "task", "method_order"])
    )
    return formation, timetable


FORMATION_COLUMNS = [
    ("instance", "size", 0),
    ("method", "method", 0),
    ("runs", "runs", 0),
    ("students", "students", 0),
    ("elapsed", "time (s)", 1),
    ("max_elapsed", "max time (s)", 1),
    ("cpu_seconds", "CPU (s)", 1),
    ("sections", "sections", 0),
    ("lower_bound", "lower bound", 0),
    ("above_bound", "above bound", 0),
    ("at_bound_pct", "pools at bound (%)", 1),
    ("imbalance", "imbalance (sum)", 0),
    ("pools_over_1", "pools > 1", 0),
    ("max_imbalance", "max imbalance", 0),
    ("splits", "splits", 0),
    ("strays", "strays", 0),
    ("combinations_per_group", "combinations / group", 2),
    ("hard", "hard violations", 0),
]
AUDIT_COLUMNS = [
    ("instance", "size", 0),
    ("method", "method", 0),
    ("chains", "chains", 0),
    ("chains_infeasible", "bound infeasible", 0),
    ("chains_within_one", "all within 1 possible", 0),
    ("audit_pools", "pools", 0),
    ("pools_within_one_possible", "pools within 1 possible", 0),
    ("pools_within_one_best", "pools within 1 at best", 0),
    ("chains_at_bound", "chains at bound", 0),
    ("chains_at_best", "at best", 0),
    ("chains_worse", "worse", 0),
    ("pools_missed", "pools missed", 0),
    ("best_imbalance", "best imbalance", 0),
    ("audit_imbalance", "imbalance", 0),
    ("chains_skipped", "skipped", 0),
    ("chains_undecided", "undecided", 0),
]
TIMETABLE_COLUMNS = [
    ("instance", "size", 0),
    ("method", "method", 0),
    ("task", "curricula", 0),
    ("runs", "runs", 0),
    ("timetable_time", "limit (s)", 0),
    ("courses", "courses", 0),
    ("curricula", "curricula", 0),
    ("found", "timetables found", 0),
    ("conflicts", "student conflicts", 1),
    ("cost", "soft cost", 0),
]


def to_markdown(summary: tuple[pd.DataFrame, pd.DataFrame]) -> str:
    formation, timetable = summary
    lines = [
        "### Formation",
        "",
        *markdown_table(formation.to_dict("records"), FORMATION_COLUMNS, left=("instance", "method")),
        "",
        "### Balance against the exact best at the lower bound",
        "",
        *markdown_table(formation.to_dict("records"), AUDIT_COLUMNS, left=("instance", "method")),
    ]
    if not timetable.empty:
        lines += ["", "### Timetables built from the sections", ""]
        rows = timetable.assign(task=timetable["task"].str.removeprefix("timetable-")).to_dict("records")
        lines += markdown_table(rows, TIMETABLE_COLUMNS, left=("instance", "method", "task"))
    return "\n".join(lines) + "\n"


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _check(values: Iterable[str], allowed: Sequence[str], option: str) -> list[str]:
    out = list(dict.fromkeys(values))
    bad = [v for v in out if v not in allowed]
    if bad or not out:
        raise click.BadParameter(
            f"expected some of {', '.join(allowed)}, got {', '.join(bad) or 'nothing'}", param_hint=option
        )
    return out


@click.command(name="groups")
@click.option(
    "--sizes", default="1k,5k,20k", show_default=True, help="Registrations: 1k, 5k, 20k or numbers of students."
)
@click.option("--timetable-sizes", default="300", show_default=True,
              help="Registrations whose sections are also timetabled ('' for none).")  # fmt: skip
@click.option("--seeds", default="0", show_default=True, metavar="0,1", help="Generator (and solver) seeds.")
@click.option("--methods", default=",".join(METHODS), show_default=True)
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True,
              help="Budget of one formation in seconds.")  # fmt: skip
@click.option("--timetable-time", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="Seconds of each timetable solve.")  # fmt: skip
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Processes of a formation; CP-SAT workers of a timetable.",
)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Run folder [default: benchmarks/runs/groups-<date>].")  # fmt: skip
@click.option("--report", is_flag=True, help="Only re-summarize the existing results.csv in --out.")
@click.option("--no-progress", is_flag=True)
def groups_command(
    sizes: str,
    timetable_sizes: str,
    seeds: str,
    methods: str,
    time_limit: float,
    timetable_time: float,
    workers: int,
    out: Path | None,
    report: bool,
    no_progress: bool,
) -> None:
    """Section formation on generated registrations: CP-SAT against the greedy baseline.

    Scored by the independent scorer: sections against the lower bound, imbalance, cohesion (splits,
    strays, combinations per academic group); for --timetable-sizes also timetables built from the
    sections (exact student curricula and one per academic group) and their student conflicts. Results
    go to OUT/results.csv as runs finish (re-running skips runs done); prints markdown tables and writes
    OUT/summary.md.
    """
    from benchmarks.cli import default_out

    out_dir = out or default_out("groups")
    csv_path = out_dir / RESULTS_CSV
    try:
        seed_list = [int(s) for s in _split(seeds)]
    except ValueError:
        raise click.BadParameter(f"expected comma-separated integers, got {seeds!r}", param_hint="--seeds") from None
    method_list = _check(_split(methods), METHODS, "--methods")
    for size in [*_split(sizes), *_split(timetable_sizes)]:
        if size not in ("1k", "5k", "20k") and not (size.isdigit() and int(size) >= 10):
            raise click.BadParameter(
                f"expected 1k, 5k, 20k or a number of students (at least 10), got {size!r}", param_hint="--sizes"
            )
    if report:
        if not csv_path.is_file():
            raise click.ClickException(f"no results to summarize: {csv_path} does not exist")
        results = latest_runs(read_results(csv_path))
    else:
        try:
            common = {
                "time_limit": time_limit,
                "workers": workers,
                "timetable_time": timetable_time,
                "out": out_dir,
                "progress": not no_progress,
            }
            results = run_many(_split(sizes), seed_list, method_list, ["form"], **common)  # type: ignore[arg-type]
            if _split(timetable_sizes):
                results = run_many(_split(timetable_sizes), seed_list, method_list, list(TASKS), **common)  # type: ignore[arg-type]
        except ValueError as err:
            raise click.ClickException(str(err)) from None
    errors = results[results["error"].fillna("") != ""]
    for _, row in errors.iterrows():
        click.echo(
            f"Error in {row['instance']} seed {row['seed']} {row['method']} {row['task']}: {row['error']}", err=True
        )
    text_out = to_markdown(summarize(results))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "summary.md").write_text(text_out, encoding="utf-8")
    click.echo(text_out, nl=False)
    click.echo(f"\nResults: {csv_path}\nSummary: {out_dir / 'summary.md'}", err=True)
