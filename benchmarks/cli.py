"""Command line of the benchmark harnesses: ``registrar benchmark ctt ...`` or ``python -m benchmarks ctt ...``."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from benchmarks import ctt as harness
from benchmarks import data
from benchmarks.data import CTT_NAMES, REPO_ROOT, DataDirError, ctt_instances, published_ctt


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


def default_out() -> Path:
    """``benchmarks/runs/ctt-<today>`` in the repository."""
    return REPO_ROOT / "benchmarks" / "runs" / f"ctt-{datetime.date.today().isoformat()}"


@click.group(name="benchmark")
def benchmark_cli() -> None:
    """Run benchmarks on public instances, verify every result with the scorer and compare with the literature."""


@benchmark_cli.command(name="ctt")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Benchmark data folder [default: $REGISTRAR_DATA, else ../shared/datasets next to the repository].",
)
@click.option(
    "--instances",
    default=None,
    metavar="comp01,comp04",
    help="Comma-separated instances [default: all of comp01..comp21].",
)
@click.option("--seeds", default=None, metavar="0,1", help="Comma-separated seeds [default: 0].")
@click.option("--runs", type=int, default=None, metavar="N", help="Seeds 0..N-1 (instead of --seeds).")
@click.option(
    "--time-limit",
    "time_limit",
    default="300",
    show_default=True,
    metavar="SECONDS[,SECONDS...]",
    help="Time limit per run in seconds; a comma list runs each.",
)
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="CP-SAT workers per run.")
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Runs at once, each in its own process (keep jobs x workers <= cores); 0 runs in this process.",
)
@click.option("--params", default=None, help='Raw CP-SAT parameters passed to every run, e.g. "linearization_level:2".')
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Run folder for results.csv, solutions and summaries [default: benchmarks/runs/ctt-<date>].",
)
@click.option("--report", is_flag=True, help="Only re-summarize the existing results.csv in --out.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
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
    try:
        folder = data.data_dir(data_dir)
        published = published_ctt(folder)
        out_dir = out or default_out()
        csv_path = out_dir / harness.RESULTS_CSV
        if report:
            if not csv_path.is_file():
                raise click.ClickException(f"no results to summarize: {csv_path} does not exist")
            results = harness.latest_runs(harness.read_results(csv_path))
        else:
            names = _split(instances) if instances else list(CTT_NAMES)
            paths = ctt_instances(folder, names)
            results = harness.run_many(
                [str(p) for p in paths],
                _seeds(seeds, runs),
                _time_limits(time_limit),
                out=out_dir,
                workers=workers,
                params=params,
                jobs=jobs,
                progress=not no_progress,
            )
    except (DataDirError, ValueError) as err:
        raise click.ClickException(str(err)) from None
    summary = harness.summarize(results, published)
    text = harness.to_markdown(summary)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "summary.md").write_text(text, encoding="utf-8")
    summary.to_csv(out_dir / "summary.csv", index=False)
    click.echo(text, nl=False)
    click.echo(f"\nResults: {csv_path}\nSummary: {out_dir / 'summary.md'}, {out_dir / 'summary.csv'}", err=True)
