"""``registrar demo``: timetable the bundled sample university end to end and show the result.

Loads the bundled sample (or generates a synthetic university), solves it, prints the instance
counts, the soft costs and the week of one academic group, and writes into the output folder:

- ``instance.json``: the instance (``registrar timetable solve OUT/instance.json`` re-solves it);
- ``solution.sol``: the timetable in the ITC2007 format (``course room day period``);
- ``score.txt``: the scorer's report in the Udine validator's layout;
- ``timetable.csv``: one row per lesson and group: group, day, pair, course, kind, teacher, room.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import click
import pandas as pd

from datasets.instance_json import write_instance_json
from datasets.itc2007_ctt import write_solution
from datasets.sample_data import load_sample
from datasets.synthetic_university import PRESETS, describe, generate_university
from models.course_instance import CourseInstance, Curriculum
from models.course_timetable import CourseTimetable
from registrar.timetable_cli import breakdown, run_solver

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SAMPLE = "small-university"
TIMETABLE_COLUMNS = ["group", "day", "pair", "course", "kind", "teacher", "room"]


def day_name(day: int) -> str:
    """``Mon``.. ``Sun`` for days 0..6, ``Day N`` (from 1) beyond."""
    return DAY_NAMES[day] if day < len(DAY_NAMES) else f"Day {day + 1}"


def group_of(curriculum_id: str) -> str:
    """The academic group of a curriculum: ``IS-23-1k.2`` (lab subgroup 2) -> ``IS-23-1k``."""
    group, dot, subgroup = curriculum_id.rpartition(".")
    return group if dot and subgroup.isdigit() else curriculum_id


def timetable_frame(instance: CourseInstance, timetable: CourseTimetable) -> pd.DataFrame:
    """One row per lesson and curriculum attending it (lessons of courses in no curriculum once, group empty)."""
    by_course: dict[str, list[str]] = defaultdict(list)
    for curriculum in instance.curricula:
        for course_id in curriculum.courses:
            by_course[course_id].append(curriculum.id)
    rows = []
    for p in timetable:
        course = instance.course_by_id[p.course]
        for group in by_course.get(p.course) or [""]:
            rows.append((group, p.day, p.period + 1, p.course, course.kind.value, course.teacher, p.room))
    frame = pd.DataFrame(rows, columns=TIMETABLE_COLUMNS)
    frame = frame.sort_values(["group", "day", "pair", "course"], ignore_index=True)
    frame["day"] = frame["day"].map(day_name)
    return frame


def group_grid(instance: CourseInstance, timetable: CourseTimetable, curricula: list[Curriculum]) -> str:
    """The week of the students of ``curricula`` as text: a row per day, a column per pair, course ids in cells."""
    courses = {c for q in curricula for c in q.courses}
    cells: dict[tuple[int, int], list[str]] = defaultdict(list)
    for p in timetable:
        if p.course in courses:
            cells[(p.day, p.period)].append(p.course)
    header = ["", *(f"pair {k + 1}" for k in range(instance.periods_per_day))]
    rows = [
        [day_name(d), *(sorted(cells[(d, k)]) or ["-"] for k in range(instance.periods_per_day))]
        for d in range(instance.days)
    ]
    table = [[[text] for text in header]] + [[[row[0]], *row[1:]] for row in rows]
    widths = [max(len(line) for row in table for line in row[i]) for i in range(len(header))]
    rule = "-+-".join("-" * w for w in widths)
    stacked = any(len(cell) > 1 for row in rows for cell in row[1:])
    out = []
    for n, row in enumerate(table):
        for k in range(max(len(cell) for cell in row)):
            parts = [(cell[k] if k < len(cell) else "").ljust(w) for cell, w in zip(row, widths, strict=True)]
            out.append(" | ".join(parts).rstrip())
        if n == 0 or (stacked and n < len(table) - 1):  # rule under the header; between days if cells stack
            out.append(rule)
    return "\n".join(out)


def group_legend(instance: CourseInstance, timetable: CourseTimetable, courses: set[str]) -> str:
    """One line per course: id, kind, lessons a week, teacher and rooms used."""
    rooms: dict[str, set[str]] = defaultdict(set)
    for p in timetable:
        rooms[p.course].add(p.room)
    width = max((len(c) for c in courses), default=0)
    lines = []
    for course_id in sorted(courses):
        course = instance.course_by_id[course_id]
        lines.append(
            f"  {course_id:<{width}}  {course.kind.value:<8} {course.lectures}/week  "
            f"teacher {course.teacher}, room {', '.join(sorted(rooms[course_id])) or '-'}"
        )
    return "\n".join(lines)


def _write_text(path: Path, text: str) -> None:
    """Write atomically (temporary file, then rename)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


@click.command(name="demo")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out/demo"),
    show_default=True,
    help="Folder for instance.json, solution.sol, score.txt and timetable.csv.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=20.0,
    show_default=True,
    help="Seconds for the solver.",
)
@click.option(
    "--size",
    type=click.Choice(tuple(PRESETS)),
    default=None,
    help="Generate a synthetic university of this size instead of the bundled sample (small, seed 1).",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Generator seed (with --size).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Parallel search workers.")
def demo_cli(out_dir: Path, time_limit: float, size: str | None, seed: int, workers: int) -> None:
    """Timetable a sample university: solve it, show one group's week, write the result files."""
    if size is None:
        instance, origin = load_sample(SAMPLE), f"the bundled sample {SAMPLE!r}"
    else:
        instance, origin = generate_university(size, seed), f"a generated {size} university (seed {seed})"  # type: ignore[arg-type]
    click.echo(f"Weekly lesson timetable of {origin}\n")
    click.echo(describe(instance) + "\n")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_instance_json(instance, out_dir / "instance.json")
    except OSError as err:
        raise click.ClickException(f"cannot write to {out_dir}: {err.strerror or err}") from None

    click.echo(f"Solving ({time_limit:g} s, {workers} workers)...", err=True)
    result, report, timetable = run_solver(instance, time_limit=time_limit, workers=workers, seed=0)
    click.echo(breakdown(result, report) + "\n")

    if instance.curricula:
        group = group_of(instance.curricula[0].id)
        curricula = [q for q in instance.curricula if group_of(q.id) == group]
        members = "" if [q.id for q in curricula] == [group] else f" (curricula {', '.join(q.id for q in curricula)})"
        click.echo(f"Week of group {group}{members}:\n")
        click.echo(group_grid(instance, timetable, curricula) + "\n")
        click.echo(group_legend(instance, timetable, {c for q in curricula for c in q.courses}) + "\n")

    try:
        write_solution(timetable, out_dir / "solution.sol")
        _write_text(out_dir / "score.txt", report.validator_text() + "\n")
        _write_text(out_dir / "timetable.csv", timetable_frame(instance, timetable).to_csv(index=False))
    except OSError as err:
        raise click.ClickException(f"cannot write to {out_dir}: {err.strerror or err}") from None
    names = ", ".join(["instance.json", "solution.sol", "score.txt", "timetable.csv"])
    click.echo(f"Files written to {out_dir}: {names}")
