"""Command line of the benchmark harnesses: ``registrar benchmark ctt|toronto|exam|groups|contingent|api|gpa ...``
or ``python -m benchmarks ...``."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import click
import pandas as pd

from benchmarks import ctt as harness
from benchmarks import data
from benchmarks import exam as exam_harness
from benchmarks import toronto as toronto_harness
from benchmarks.data import (
    CTT_NAMES,
    REPO_ROOT,
    TORONTO_NAMES,
    DataDirError,
    ctt_instances,
    published_ctt,
    published_toronto,
    toronto_instances,
)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _seeds(seeds: str | None, runs: int | None) -> list[int]:
    if seeds is not None and runs is not None:
        raise click.UsageError("give --seeds or --runs, not both")
    if runs is not None:
        if runs < 1:
            raise click.BadParameter("must be at least 1", param_hint="--runs")
        return list(range(runs))
    try:
        values = [int(s) for s in _split(seeds or "0")]
    except ValueError:
        raise click.BadParameter(f"expected comma-separated integers, got {seeds!r}", param_hint="--seeds") from None
    if not values:
        raise click.BadParameter("no seed given", param_hint="--seeds")
    return list(dict.fromkeys(values))


def _time_limits(text: str) -> list[float]:
    try:
        values = [float(t) for t in _split(text)]
    except ValueError:
        raise click.BadParameter(f"expected comma-separated seconds, got {text!r}", param_hint="--time-limit") from None
    if not values or any(t <= 0 for t in values):
        raise click.BadParameter("time limits must be positive", param_hint="--time-limit")
    return list(dict.fromkeys(values))


def default_out(benchmark: str = "ctt") -> Path:
    """``benchmarks/runs/<benchmark>-<today>`` in the repository."""
    return REPO_ROOT / "benchmarks" / "runs" / f"{benchmark}-{datetime.date.today().isoformat()}"


Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _run_options(
    benchmark: str, example: str, all_instances: str, default_limit: str, workers_help: str, *extra: Decorator
) -> Decorator:
    """The options every benchmark subcommand shares, with the subcommand's ``extra`` options before ``--out``."""
    options = [
        click.option(
            "--data-dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help="Benchmark data folder [default: $REGISTRAR_DATA, else ../shared/datasets next to the repository].",
        ),
        click.option(
            "--instances",
            default=None,
            metavar=example,
            help=f"Comma-separated instances [default: all of {all_instances}].",
        ),
        click.option("--seeds", default=None, metavar="0,1", help="Comma-separated seeds [default: 0]."),
        click.option("--runs", type=int, default=None, metavar="N", help="Seeds 0..N-1 (instead of --seeds)."),
        click.option(
            "--time-limit",
            "time_limit",
            default=default_limit,
            show_default=True,
            metavar="SECONDS[,SECONDS...]",
            help="Time limit per run in seconds; a comma list runs each.",
        ),
        click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help=workers_help),
        click.option(
            "--jobs",
            type=click.IntRange(min=0),
            default=1,
            show_default=True,
            help="Runs at once, each in its own process (keep jobs x workers <= cores); 0 runs in this process.",
        ),
    ]
    options += extra
    options += [
        click.option(
            "--out",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help=f"Run folder for results.csv, solutions and summaries [default: benchmarks/runs/{benchmark}-<date>].",
        ),
        click.option("--report", is_flag=True, help="Only re-summarize the existing results.csv in --out."),
        click.option("--no-progress", is_flag=True, help="No progress bar."),
    ]

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def _run_and_report(
    module: ModuleType,
    out_dir: Path,
    report: bool,
    published: Callable[[], pd.DataFrame],
    run: Callable[[], pd.DataFrame],
) -> None:
    """Run (or, with ``report``, only read) the results in ``out_dir``, then print and write the summary.

    ``module`` is the harness (:mod:`benchmarks.ctt`, :mod:`benchmarks.toronto`). Data and value errors
    become a clean ``click`` error.
    """
    csv_path = out_dir / module.RESULTS_CSV
    try:
        table = published()
        if report:
            if not csv_path.is_file():
                raise click.ClickException(f"no results to summarize: {csv_path} does not exist")
            results = module.latest_runs(module.read_results(csv_path))
        else:
            results = run()
    except (DataDirError, ValueError) as err:
        raise click.ClickException(str(err)) from None
    summary = module.summarize(results, table)
    text = module.to_markdown(summary)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "summary.md").write_text(text, encoding="utf-8")
    summary.to_csv(out_dir / "summary.csv", index=False)
    click.echo(text, nl=False)
    click.echo(f"\nResults: {csv_path}\nSummary: {out_dir / 'summary.md'}, {out_dir / 'summary.csv'}", err=True)


def _folder(data_dir: Path | None) -> Path:
    try:
        return data.data_dir(data_dir)
    except DataDirError as err:
        raise click.ClickException(str(err)) from None


@click.group(name="benchmark")
def benchmark_cli() -> None:
    """Run benchmarks on public instances, verify every result with the scorer and compare with the literature."""


@benchmark_cli.command(name="ctt")
@_run_options(
    "ctt",
    "comp01,comp04",
    "comp01..comp21",
    "300",
    "CP-SAT workers per run.",
    click.option(
        "--params", default=None, help='Raw CP-SAT parameters passed to every run, e.g. "linearization_level:2".'
    ),
)
def ctt_command(
    data_dir: Path | None,
    instances: str | None,
    seeds: str | None,
    runs: int | None,
    time_limit: str,
    workers: int,
    jobs: int,
    params: str | None,
    out: Path | None,
    report: bool,
    no_progress: bool,
) -> None:
    """ITC2007 track 3 (curriculum-based course timetabling, UD2): run, verify, compare, summarize.

    Results are appended to OUT/results.csv as runs finish; re-running the same command skips runs
    already recorded without error. Prints a markdown table and writes OUT/summary.md and OUT/summary.csv.
    """
    folder = _folder(data_dir)
    out_dir = out or default_out("ctt")

    def run() -> pd.DataFrame:
        paths = ctt_instances(folder, _split(instances) if instances else list(CTT_NAMES))
        return harness.run_many(
            [str(p) for p in paths],
            _seeds(seeds, runs),
            _time_limits(time_limit),
            out=out_dir,
            workers=workers,
            params=params,
            jobs=jobs,
            progress=not no_progress,
        )

    _run_and_report(harness, out_dir, report, lambda: published_ctt(folder), run)


@benchmark_cli.command(name="toronto")
@_run_options("toronto", "car91,sta83", "car91..yor83 (13 instances)", "60", "Annealing chains (threads) per run.")
def toronto_command(
    data_dir: Path | None,
    instances: str | None,
    seeds: str | None,
    runs: int | None,
    time_limit: str,
    workers: int,
    jobs: int,
    out: Path | None,
    report: bool,
    no_progress: bool,
) -> None:
    """Toronto uncapacitated exam timetabling (version I): run, verify, compare, summarize.

    The 13 instances of Carter, Laporte and Lee (1996), each with its standard number of slots; proximity
    is per student, as published. Results are appended to OUT/results.csv as runs finish; re-running the
    same command skips runs already recorded without error. Prints a markdown table and writes
    OUT/summary.md and OUT/summary.csv.
    """
    folder = _folder(data_dir)
    out_dir = out or default_out("toronto")

    def run() -> pd.DataFrame:
        paths = toronto_instances(folder, _split(instances) if instances else list(TORONTO_NAMES))
        return toronto_harness.run_many(
            [str(p) for p in paths],
            _seeds(seeds, runs),
            _time_limits(time_limit),
            out=out_dir,
            workers=workers,
            jobs=jobs,
            progress=not no_progress,
        )

    _run_and_report(toronto_harness, out_dir, report, lambda: published_toronto(folder), run)


@benchmark_cli.command(name="api")
@click.option(
    "--postgres",
    default="postgresql://postgres@127.0.0.1:5432",
    show_default=True,
    help="PostgreSQL server; a throw-away database is created there and dropped afterwards.",
)
@click.option(
    "--size",
    type=click.Choice(["small", "medium", "large"]),
    default="large",
    show_default=True,
    help="Demo university filled in.",
)
@click.option(
    "--audit-rows",
    type=click.IntRange(0, 10_000_000),
    default=50_000,
    show_default=True,
    help="Audit entries added before measuring.",
)
@click.option("--clients", type=click.IntRange(1, 500), default=50, show_default=True, help="Concurrent clients.")
@click.option(
    "--duration",
    type=click.FloatRange(1, 600),
    default=10.0,
    show_default=True,
    help="Seconds measured per request kind (after a 2 s warm-up).",
)
@click.option(
    "--think",
    default="0,1",
    show_default=True,
    help="Comma-separated pauses (s) of each client between requests; 0 = back to back (saturation).",
)
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True, help="gunicorn worker processes.")
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True, help="Threads per worker.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Also write the table as CSV here (default benchmarks/runs/api-<date>.csv).",
)
def api_command(postgres: str, size: str, audit_rows: int, clients: int, duration: float, think: str, workers: int,
                threads: int, out: Path | None) -> None:  # fmt: skip
    """API latency of the record pages (student get, search, list, audit read) under concurrent clients.

    Starts the service in gunicorn on a loopback port against a throw-away PostgreSQL database filled
    with the demo university; prints p50/p95/p99 latency and throughput per request kind.
    """
    from benchmarks import api as api_harness  # imports the records service only for this command

    try:
        thinks = tuple(float(t) for t in _split(think))
    except ValueError:
        raise click.BadParameter(f"expected comma-separated seconds, got {think!r}", param_hint="--think") from None
    if not thinks or any(t < 0 or t > 60 for t in thinks):
        raise click.BadParameter("pauses are 0 to 60 seconds", param_hint="--think")
    try:
        table = api_harness.run(postgres, size, audit_rows=audit_rows, clients=clients, duration=duration,
                                workers=workers, threads=threads, thinks=thinks,
                                log=lambda m: click.echo(m, err=True))  # fmt: skip
    except (RuntimeError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    path = out or default_out("api").with_suffix(".csv")
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False)
    click.echo(api_harness.to_markdown(table))
    click.echo(f"(written to {path})", err=True)


@benchmark_cli.command(name="contingent")
@click.option("--students", type=click.IntRange(100, 200_000), default=20_000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--database", "url", default=None,
              help="SQLAlchemy URL of an EMPTY database (default: a new temporary SQLite file).")  # fmt: skip
def contingent_command(students: int, seed: int, url: str | None) -> None:
    """Contingent movement: time order registration and the reports on a generated university (records service)."""
    from benchmarks.contingent import main  # imports Flask and the records service only for this command

    main(students, seed, url)


@benchmark_cli.command(name="exam")
@_run_options("exam", "set1,set4", "set1..set12", "300", "Annealing chains and CP-SAT workers per run.")
def exam_command(
    data_dir: Path | None,
    instances: str | None,
    seeds: str | None,
    runs: int | None,
    time_limit: str,
    workers: int,
    jobs: int,
    out: Path | None,
    report: bool,
    no_progress: bool,
) -> None:
    """ITC2007 examination track (sets 1-12): run, verify, compare with Müller's results, summarize.

    Each run is scored by the independent scorer from the written .sln file. Results are appended to
    OUT/results.csv as runs finish; re-running the same command skips runs already recorded without
    error. Prints a markdown table and writes OUT/summary.md and OUT/summary.csv.
    """
    folder = _folder(data_dir)
    out_dir = out or default_out("exam")

    def run() -> pd.DataFrame:
        paths = exam_harness.exam_instances(folder, _split(instances) if instances else None)
        return exam_harness.run_many(
            [str(p) for p in paths],
            _seeds(seeds, runs),
            _time_limits(time_limit),
            out=out_dir,
            workers=workers,
            jobs=jobs,
            progress=not no_progress,
        )

    _run_and_report(exam_harness, out_dir, report, lambda: exam_harness.published_exam(folder), run)


from benchmarks.groups import groups_command  # noqa: E402 (the groups harness defines its own command)

benchmark_cli.add_command(groups_command)


@benchmark_cli.command(name="gpa")
@click.option("--students", type=click.IntRange(min=1), default=20_000, show_default=True, help="Students.")
@click.option("--grades", type=click.IntRange(min=2), default=40, show_default=True,
              help="Graded disciplines per student.")  # fmt: skip
@click.option("--programmes", type=click.IntRange(min=1), default=None, help="[default: one per 2,000 students]")
@click.option("--repeats", type=click.IntRange(min=1), default=5, show_default=True, help="Timed runs per step.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the synthetic results.")
@click.option("--database-url", default=None, metavar="URL",
              help="An empty database to fill (it is migrated first) [default: a throw-away PostgreSQL database on "
              "$REGISTRAR_BENCH_POSTGRES, else postgresql://postgres@127.0.0.1:5432, dropped at the end].")  # fmt: skip
@click.option("--keep", is_flag=True, help="Keep the throw-away database and print its URL.")
def gpa_command(students: int, grades: int, programmes: int | None, repeats: int, seed: int,
                database_url: str | None, keep: bool) -> None:  # fmt: skip
    """Recompute GPA and rankings (group, programme, year of study) of STUDENTS students with GRADES results each.

    Fills a database with a synthetic university in bulk, then times the SQL of the records service's
    rankings and transfer list and checks a sample of GPAs against models.grading (target: under 5 s
    on PostgreSQL for 20,000 students x 40 grades).
    """
    from benchmarks import gpa as harness

    try:
        report = harness.run(students, grades, programmes, repeats, seed, database_url, keep)
    except (harness.BenchmarkError, ValueError) as err:
        raise click.ClickException(str(err)) from None
    click.echo(report, nl=False)
