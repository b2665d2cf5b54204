"""What every benchmark harness shares: run records in a CSV, isolated runs, the run loop, formatting.

A harness (:mod:`benchmarks.ctt`, :mod:`benchmarks.toronto`) supplies a module-level ``run_one``
returning a flat record (a dict) and a :class:`RecordSchema` naming the record's columns and the
fields that identify a run. This module then

- appends each record to ``<out>/results.csv`` as soon as it arrives (:meth:`RecordSchema.append`) and,
  when re-run, skips the runs recorded without error (:meth:`RecordSchema.done`; a crashed run is
  tried again and the newest record of a run wins, :meth:`RecordSchema.latest`);
- runs each ``run_one`` in a fresh spawned process with a hard timeout (:func:`run_isolated`), so a
  run that dies or hangs becomes an error record instead of stopping the others (:func:`run_many`);
- records the environment (:func:`environment`) and turns a crash inside ``run_one`` into a record
  (:func:`capture_errors`);
- formats numbers and markdown tables for the reports (:func:`fmt`, :func:`markdown_table`).
"""

from __future__ import annotations

import contextlib
import csv
import importlib.metadata
import math
import multiprocessing
import os
import platform
import subprocess
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from benchmarks.data import REPO_ROOT

RESULTS_CSV = "results.csv"
RunFn = Callable[..., dict[str, Any]]
"""A harness's module-level ``run_one(*args, out_dir=..., solve_fn=..., **kwargs) -> record``."""
Key = tuple[Any, ...]

HARD_TIMEOUT_FACTOR, HARD_TIMEOUT_GRACE = 2.0, 120.0
"""A run still going after ``factor * time limit + grace`` seconds is killed and recorded as failed."""


def text(value: Any) -> str:
    """``value`` as a string, with ``None`` and NaN (an empty CSV cell) as ``""``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


# --- records ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordSchema:
    """The columns of a harness's ``results.csv`` and the fields that identify a run.

    ``key_types`` normalize the key fields (one per field, e.g. ``(str, int, float, int, text)``), so that
    a key built from arguments equals the key of the record read back from the CSV. ``text_fields`` are
    read as strings, an empty cell as ``""``.
    """

    fields: tuple[str, ...]
    key_fields: tuple[str, ...]
    key_types: tuple[Callable[[Any], Any], ...]
    text_fields: tuple[str, ...] = ("error", "status", "solution_file")

    def __post_init__(self) -> None:
        if len(self.key_types) != len(self.key_fields):
            raise ValueError("one key type per key field")
        missing = {*self.key_fields, *self.text_fields, "error", "status", "solution_file"} - set(self.fields)
        if missing:
            raise ValueError(f"record fields lack {', '.join(sorted(missing))}")

    def key(self, *values: Any) -> Key:
        """The normalized key of a run from its key field values, in ``key_fields`` order."""
        return tuple(kind(value) for kind, value in zip(self.key_types, values, strict=True))

    def empty(self, **values: Any) -> dict[str, Any]:
        """A record with every field ``None`` except ``status``/``error``/``solution_file`` (``""``) and ``values``.

        Key fields among ``values`` are normalized by their key type.
        """
        record: dict[str, Any] = dict.fromkeys(self.fields)
        record.update(status="", error="", solution_file="")
        types = dict(zip(self.key_fields, self.key_types, strict=True))
        record.update({k: types[k](v) if k in types else v for k, v in values.items()})
        return record

    def read(self, path: str | Path) -> pd.DataFrame:
        """The records of a ``results.csv`` (empty frame with the record columns if there is none)."""
        path = Path(path)
        if not path.is_file() or path.stat().st_size == 0:
            return pd.DataFrame(columns=list(self.fields))
        table = pd.read_csv(path, dtype=dict.fromkeys(self.text_fields, str))
        for column in self.text_fields:
            if column in table:
                table[column] = table[column].fillna("")
        return table

    def latest(self, results: pd.DataFrame) -> pd.DataFrame:
        """One record per run key: the last one (a retried crash is replaced by its retry)."""
        if results.empty:
            return results
        table = results.copy()
        for column, kind in zip(self.key_fields, self.key_types, strict=True):
            if kind is text:
                table[column] = table[column].fillna("").astype(str) if column in table else ""
        return table.drop_duplicates(subset=list(self.key_fields), keep="last").reset_index(drop=True)

    def done(self, results: pd.DataFrame) -> set[Key]:
        """Keys of runs recorded without error (a crashed run is retried)."""
        if results.empty:
            return set()
        ok = self.latest(results)
        ok = ok[ok["error"].fillna("").astype(str) == ""]
        return {self.key(*row) for row in ok[list(self.key_fields)].itertuples(index=False)}

    def check_header(self, path: Path) -> bool:
        """Whether ``path`` is new (missing or empty); raise ``ValueError`` if it has other columns than a record."""
        if not path.is_file() or path.stat().st_size == 0:
            return True
        with path.open(newline="", encoding="utf-8") as f:
            header = next(csv.reader(f), [])
        if tuple(header) != self.fields:
            raise ValueError(f"{path} has other columns than this harness writes; use another --out folder")
        return False

    def append(self, path: Path, record: Mapping[str, Any]) -> None:
        """Append one record to the CSV (header first if the file is new) and flush it to disk."""
        new = self.check_header(path)
        with path.open("a", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(self.fields), extrasaction="ignore")
            if new:
                writer.writeheader()
            writer.writerow({k: "" if record.get(k) is None else record[k] for k in self.fields})
            f.flush()
            os.fsync(f.fileno())


# --- one run ---------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def environment(*packages: str) -> dict[str, Any]:
    """Host, CPU, Python, the versions of ``packages`` (``""`` if not installed) and the git commit.

    Computed once per process and package list.
    """
    versions = {}
    for package in packages:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = ""
    return {
        "host": platform.node(),
        "cpu": cpu_name(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        **versions,
        "git_commit": git_commit(),
    }


def cpu_name() -> str:
    """``platform.processor()``, or the model name from ``/proc/cpuinfo`` where that is empty (Linux)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def git_commit() -> str:
    """Short hash of HEAD, with ``-dirty`` if tracked files differ from it; empty if git is unavailable."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10
        )
        if head.returncode != 0:
            return ""
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD"], cwd=REPO_ROOT, capture_output=True, timeout=30)
        return head.stdout.strip() + ("-dirty" if dirty.returncode == 1 else "")
    except (OSError, subprocess.SubprocessError):
        return ""


def started() -> str:
    """The current local time as ``YYYY-MM-DDTHH:MM:SS`` (a record's ``started``)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S")


@contextlib.contextmanager
def capture_errors(record: dict[str, Any], solution: Path | None) -> Iterator[None]:
    """Turn an exception in the block into the record's ``error`` (and ``status`` ``error`` if none yet).

    The traceback goes to ``<solution>.err`` (if ``solution`` is given); a block that succeeds removes a
    stale ``.err`` left by an earlier crash of the same run. Never raises for an ``Exception``.
    """
    try:
        yield
    except Exception as err:  # a crashed run is a record, not a harness crash
        record["error"] = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
        if not record["status"]:
            record["status"] = "error"
        if solution is not None:
            with contextlib.suppress(OSError):
                solution.parent.mkdir(parents=True, exist_ok=True)
                solution.with_suffix(".err").write_text(traceback.format_exc(), encoding="utf-8")
    else:
        if solution is not None:
            solution.with_suffix(".err").unlink(missing_ok=True)


# --- many runs -------------------------------------------------------------------------------------


def hard_timeout(time_limit: float) -> float:
    """Seconds after which a run with this time limit is killed: ``factor * limit + grace``."""
    return HARD_TIMEOUT_FACTOR * float(time_limit) + HARD_TIMEOUT_GRACE


def _child(conn: Any, run_fn: RunFn, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    try:
        conn.send(run_fn(*args, **kwargs))
    finally:
        conn.close()


def run_isolated(
    context: Any,
    run_fn: RunFn,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    *,
    timeout: float,
    failed: Callable[[str], dict[str, Any]],
) -> dict[str, Any]:
    """``run_fn(*args, **kwargs)`` in a fresh process of its own (``context``: a multiprocessing context).

    ``run_fn`` and everything in ``args``/``kwargs`` must be picklable (module-level functions). A process
    that dies (signal, out of memory) or is still running after ``timeout`` seconds (then it is killed)
    becomes ``failed(why)``, the error record naming the exit code or the timeout, so one bad run never
    stops the others.
    """
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, run_fn, args, kwargs), daemon=True)
    process.start()
    send.close()
    record: dict[str, Any] | None = None
    timed_out = not receive.poll(timeout)
    if not timed_out:
        try:
            record = receive.recv()
        except EOFError:
            record = None
    if timed_out:
        process.kill()
    process.join()
    receive.close()
    if record is None:
        why = f"killed after {timeout:.0f} s" if timed_out else f"worker process died (exit code {process.exitcode})"
        record = failed(why)
    return record


@dataclass(frozen=True)
class Run:
    """One run to do: its normalized ``key`` (see :meth:`RecordSchema.key`) and ``run_one``'s arguments.

    ``out_dir`` and ``solve_fn`` are added to ``kwargs`` by :func:`run_many`.
    """

    key: Key
    time_limit: float
    args: tuple[Any, ...]
    kwargs: Mapping[str, Any] = field(default_factory=dict)


def run_many(
    run_fn: RunFn,
    runs: Iterable[Run],
    schema: RecordSchema,
    *,
    out: str | Path,
    failed: Callable[[Run, str], dict[str, Any]],
    jobs: int = 1,
    solve_fn: Callable[..., Any] | None = None,
    progress: bool = True,
    desc: str = "runs",
    show: Callable[[dict[str, Any]], str] | None = None,
) -> pd.DataFrame:
    """Do every run of ``runs`` whose key is not done in ``out/results.csv``; return all latest records.

    Runs with the same key are done once (the first). ``jobs`` is the number of runs at once, each
    ``run_fn(*run.args, **run.kwargs, out_dir=out, solve_fn=solve_fn)`` in its own fresh spawned process
    (:func:`run_isolated`, hard timeout :func:`hard_timeout` of ``run.time_limit``; ``failed(run, why)``
    makes the record of a process that died); ``jobs=0`` runs in this process (debugging, tests). Each
    record is appended to the CSV as soon as it arrives. ``show(record)`` is the progress bar's note.
    """
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = out_dir / RESULTS_CSV
    schema.check_header(csv_path)  # fail before running anything
    done = schema.done(schema.read(csv_path))
    unique: dict[Key, Run] = {}
    for run in runs:
        unique.setdefault(run.key, run)
    todo = [run for key, run in unique.items() if key not in done]
    bar = tqdm(total=len(todo), desc=desc, unit="run", disable=not progress or not todo, dynamic_ncols=True)

    def finished(record: dict[str, Any]) -> None:
        schema.append(csv_path, record)
        note = record["error"][:40] if record["error"] else show(record) if show else record["status"]
        bar.set_postfix_str(f"{record['instance']} s{record['seed']}: {note}")
        bar.update()

    def extra(run: Run) -> dict[str, Any]:
        return {**run.kwargs, "out_dir": out_dir, "solve_fn": solve_fn}

    try:
        if jobs <= 0:
            for run in todo:
                finished(run_fn(*run.args, **extra(run)))
        elif todo:
            context = multiprocessing.get_context("spawn")

            def isolated(run: Run) -> dict[str, Any]:
                return run_isolated(
                    context,
                    run_fn,
                    run.args,
                    extra(run),
                    timeout=hard_timeout(run.time_limit),
                    failed=lambda why: failed(run, why),
                )

            with ThreadPoolExecutor(max_workers=jobs) as pool:
                for record in pool.map(isolated, todo):
                    finished(record)
    finally:
        bar.close()
    return schema.latest(schema.read(csv_path))


# --- reports ---------------------------------------------------------------------------------------


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``; 1.0 for 0/0 (both optimal at zero), inf for x/0, NaN if either is NaN."""
    if pd.isna(numerator) or pd.isna(denominator):
        return math.nan
    if denominator == 0:
        return 1.0 if numerator == 0 else math.inf
    return float(numerator) / float(denominator)


def fmt(value: Any, digits: int = 0) -> str:
    """A table cell: yes/no for booleans, ``–`` for missing, ``∞``, ``digits`` decimals (0: integers as such)."""
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float) and math.isinf(value):
        return "∞"
    if isinstance(value, (int, float)):
        return f"{value:.{digits}f}" if digits else f"{value:.0f}" if float(value).is_integer() else f"{value:g}"
    return str(value)


def markdown_table(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[tuple[str, str, int]],
    *,
    left: Iterable[str] = ("instance",),
    blank: Callable[[Mapping[str, Any], str], bool] | None = None,
) -> list[str]:
    """The lines of a GitHub-flavoured markdown table.

    ``columns`` are ``(field, title, digits)`` (see :func:`fmt`); the ``left`` fields are left-aligned,
    the others right-aligned; a cell where ``blank(row, field)`` is true is left empty (not applicable).
    """
    left = set(left)
    lines = [
        "| " + " | ".join(title for _, title, _ in columns) + " |",
        "|" + "|".join(":---" if name in left else "---:" for name, _, _ in columns) + "|",
    ]
    for row in rows:
        cells = [
            "" if blank is not None and blank(row, name) else fmt(row[name], digits).replace("|", "\\|")
            for name, _, digits in columns
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines
