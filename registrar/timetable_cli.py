"""``registrar timetable``: solve, check and generate course (lesson) timetabling instances.

Exit codes: 0 success; 1 bad input or (for ``check``) a timetable with hard violations; 2 usage
error or an infeasible instance (``solve`` prints why); 3 no timetable found within the time limit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from datasets.instance_json import read_instance_json, write_instance_json
from datasets.itc2007_ctt import (
    FormatError,
    read_instance,
    read_solution,
    solution_text,
    write_ctt,
    write_solution,
)
from datasets.sample_data import load_sample
from datasets.synthetic_university import PRESETS, describe, generate_university
from models.course_instance import CourseInstance, InstanceError, formulation
from models.course_scoring import ScoreReport, score
from models.course_timetable import CourseTimetable

if TYPE_CHECKING:  # the solver (ortools, numba) is imported when a command needs it, keeping --help fast
    from solver.course import Progress, ProgressCallback, SolveResult

SAMPLE_PREFIX = "sample:"
FORMULATIONS = ("UD1", "UD2", "UD3", "UD4", "UD5")
INSTANCE_SUFFIXES = (".ctt", ".ectt", ".json")
EXIT_INFEASIBLE = 2
EXIT_UNKNOWN = 3

formulation_option = click.option(
    "--formulation",
    "formulation_name",
    type=click.Choice(FORMULATIONS, case_sensitive=False),
    default=None,
    help="Weights of the soft rules [default: UD2 (ITC2007) for .ctt/.ectt files, a JSON instance's own rules].",
)


# --------------------------------------------------------------------------- shared helpers


def load_instance(spec: str, formulation_name: str | None = None) -> CourseInstance:
    """The instance named by ``spec``: a ``.ctt``/``.ectt``/``.json`` file or ``sample:NAME``.

    ``formulation_name`` (UD1-UD5) replaces the instance's rules (JSON) or picks the weights of an
    ITC2007 file (default UD2). Problems raise :class:`click.ClickException` with a one-line message.
    """
    try:
        if spec.startswith(SAMPLE_PREFIX):
            instance = load_sample(spec.removeprefix(SAMPLE_PREFIX))
        else:
            path = existing_file(spec, "instance")
            if path.suffix not in INSTANCE_SUFFIXES:
                raise click.ClickException(
                    f"{spec}: unknown instance format {path.suffix or '(no extension)'!r}: "
                    f"expected {', '.join(INSTANCE_SUFFIXES)} or {SAMPLE_PREFIX}NAME"
                )
            if path.suffix != ".json":
                return read_instance(path, formulation_name or "UD2")
            instance = read_instance_json(path)
        if formulation_name is not None:
            low, high = instance.rules.min_daily_lectures, instance.rules.max_daily_lectures
            instance = instance.with_rules(formulation(formulation_name, low, high))
    except (FormatError, InstanceError, ValueError) as err:
        raise click.ClickException(str(err)) from None
    return instance


def existing_file(name: str | Path, what: str) -> Path:
    path = Path(name)
    if not path.exists():
        raise click.ClickException(f"{what} file {name} does not exist")
    if not path.is_file():
        raise click.ClickException(f"{what} file {name} is not a file")
    return path


def _check_params(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Reject text that is not CP-SAT parameters before a long solve starts."""
    if value is None:
        return None
    from google.protobuf import text_format
    from ortools.sat import sat_parameters_pb2

    try:
        text_format.Merge(value, sat_parameters_pb2.SatParameters())
    except text_format.ParseError as err:
        raise click.BadParameter(f"not CP-SAT parameters in protobuf text format: {err}") from None
    return value


def save(out: str, write: Callable[[str], None], what: str = "Solution") -> None:
    """Run ``write(out)`` (an atomic writer); an OS error becomes a one-line error naming the file."""
    try:
        write(out)
    except OSError as err:
        raise click.ClickException(f"cannot write {out}: {err.strerror or err}") from None
    click.echo(f"{what} written to {out}", err=True)


def print_progress(event: Progress) -> None:
    """One progress line on stderr: elapsed seconds, best cost so far and the solver's phase."""
    cost = "-" if event.cost is None else str(event.cost)
    click.echo(f"[{event.elapsed:7.2f} s] best cost {cost:>6}  ({event.phase})", err=True)


def run_solver(
    instance: CourseInstance,
    *,
    time_limit: float,
    workers: int,
    seed: int,
    params: str | None = None,
    progress: ProgressCallback | None = print_progress,
) -> tuple[SolveResult, ScoreReport, CourseTimetable]:
    """Solve ``instance`` and score the timetable with the independent scorer.

    Exits the command with :data:`EXIT_INFEASIBLE` (printing the solver's explanation) or
    :data:`EXIT_UNKNOWN`, and fails if the scorer finds hard violations the solver missed.
    """
    from solver.course import SolveStatus, solve

    result = solve(instance, time_limit=time_limit, workers=workers, seed=seed, params=params, progress=progress)
    if result.status == SolveStatus.INFEASIBLE:
        click.echo("Infeasible: no timetable satisfies the hard constraints.", err=True)
        for line in result.explanation or ["(the solver gave no explanation)"]:
            click.echo(f"  - {line}", err=True)
        raise click.exceptions.Exit(EXIT_INFEASIBLE)
    if result.status == SolveStatus.UNKNOWN or result.timetable is None:
        click.echo(
            f"Unknown: no timetable satisfying the hard constraints was found in {result.elapsed:.1f} s; "
            "try a longer --time-limit.",
            err=True,
        )
        for line in result.explanation:
            click.echo(f"  - {line}", err=True)
        raise click.exceptions.Exit(EXIT_UNKNOWN)
    report = score(instance, result.timetable)
    if not report.feasible:
        raise click.ClickException(
            f"internal error: the scorer finds {report.hard_violations} hard violation(s) in the solver's timetable"
        )
    if result.cost is not None and result.cost != report.cost:
        click.echo(f"Warning: the solver reported cost {result.cost}, the scorer {report.cost}", err=True)
    return result, report, result.timetable


def breakdown(result: SolveResult, report: ScoreReport) -> str:
    """Status, every soft cost by name (from the scorer), hard violations, total cost and time."""
    width = max((len(name) for name in report.soft), default=0)
    lines = [f"Status: {result.status.value}", "Soft costs (independent scorer):"]
    lines += [f"  {name:<{width}}  {cost:>6}" for name, cost in report.soft.items()]
    violated = ", ".join(f"{name} {n}" for name, n in report.hard.items() if n)
    lines.append(f"Hard violations: {report.hard_violations}" + (f" ({violated})" if violated else ""))
    lines.append(f"Total cost: {report.cost}")
    if result.bound is not None:
        lines.append(f"Lower bound: {result.bound}")
    lines.append(f"Elapsed: {result.elapsed:.2f} s")
    return "\n".join(lines)


# --------------------------------------------------------------------------- commands


@click.group(name="timetable")
def timetable_cli() -> None:
    """Weekly lesson timetables: solve an instance, check a solution, generate a synthetic university."""


@timetable_cli.command(name="solve")
@click.argument("instance", metavar="INSTANCE")
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds of wall time for the whole solve.",
)
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Parallel search workers.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (repeatable runs, given the timing).")
@click.option(
    "--params", callback=_check_params, default=None, help='Raw CP-SAT parameters, e.g. "linearization_level:2".'
)
@formulation_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="Write the solution (ITC2007 format: course room day period) to this file; '-' for stdout.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
def solve_command(
    instance: str,
    time_limit: float,
    workers: int,
    seed: int,
    params: str | None,
    formulation_name: str | None,
    out: str | None,
    quiet: bool,
) -> None:
    """Find a timetable for INSTANCE: a .ctt/.ectt/.json file or sample:small-university.

    Progress goes to stderr, the cost breakdown to stdout (to stderr with --out -). Exits 2 if
    the instance is infeasible (with the reason), 3 if no timetable was found in time.
    """
    course_instance = load_instance(instance, formulation_name)
    result, report, timetable = run_solver(
        course_instance,
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        params=params,
        progress=None if quiet else print_progress,
    )
    to_stdout = out == "-"
    click.echo(breakdown(result, report), err=to_stdout)
    if to_stdout:
        click.echo(solution_text(timetable), nl=False)
    elif out is not None:
        save(out, lambda path: write_solution(timetable, path))


@timetable_cli.command(name="check")
@click.argument("instance", metavar="INSTANCE")
@click.argument("solution", metavar="SOLUTION")
@formulation_option
def check_command(instance: str, solution: str, formulation_name: str | None) -> None:
    """Score SOLUTION (course room day period lines) against INSTANCE, like the Udine validator.

    Entries naming an unknown course, room, day or period are skipped with a warning. Exits 1 if
    the timetable has hard violations.
    """
    course_instance = load_instance(instance, formulation_name)
    try:
        timetable = read_solution(existing_file(solution, "solution"))
    except FormatError as err:
        raise click.ClickException(str(err)) from None
    report = score(course_instance, timetable)
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(report.validator_text())
    if not report.feasible:
        raise click.exceptions.Exit(1)


@timetable_cli.command(name="generate")
@click.option("--size", type=click.Choice(tuple(PRESETS)), default="small", show_default=True, help="Preset size.")
@click.option("--seed", type=int, default=0, show_default=True, help="Generator seed.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Instance file: .json keeps everything; .ctt keeps only the ITC2007 fields.",
)
def generate_command(size: str, seed: int, out: Path) -> None:
    """Write the instance of a synthetic (Kazakhstan-style) university."""
    if out.suffix not in (".json", ".ctt"):
        raise click.BadParameter(f"expected a .json or .ctt file name, got {str(out)!r}", param_hint="--out")
    instance = generate_university(size, seed)  # type: ignore[arg-type]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix == ".json":
            write_instance_json(instance, out)
        else:
            write_ctt(instance, out)
    except OSError as err:
        raise click.ClickException(f"cannot write {out}: {err.strerror or err}") from None
    click.echo(describe(instance))
    click.echo(f"Instance written to {out}", err=True)


@timetable_cli.command(name="explain")
@click.argument("instance", metavar="INSTANCE")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True)
@formulation_option
def explain_command(instance: str, time_limit: float, workers: int, formulation_name: str | None) -> None:
    """Say why INSTANCE cannot be timetabled, or that it can. Exits 2 when it cannot."""
    from solver.course.explain import conflicting_rules, counting_reasons, describe_core
    from solver.course.problem import Problem

    problem = Problem.build(load_instance(instance, formulation_name))
    reasons = counting_reasons(problem)
    if not reasons:
        core = conflicting_rules(problem, time_limit, workers)
        if core is not None:
            reasons = describe_core(core)
    if not reasons:
        click.echo("The hard constraints can be satisfied (a timetable exists, or none was disproved in time).")
        return
    click.echo("Infeasible:")
    for line in reasons:
        click.echo(f"  - {line}")
    raise click.exceptions.Exit(EXIT_INFEASIBLE)


@timetable_cli.command(name="repair")
@click.argument("instance", metavar="INSTANCE")
@click.argument("timetable", metavar="TIMETABLE")
@click.option(
    "--change",
    "changes",
    multiple=True,
    help="KIND:ARGS, repeatable: forbid:COURSE:DAY[:PERIOD], teacher-off:TEACHER:DAY[:PERIOD], "
    "remove-room:ROOM, capacity:ROOM:SEATS, lectures:COURSE:N.",
)
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@formulation_option
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write the repaired timetable here.")
def repair_command(
    instance: str,
    timetable: str,
    changes: tuple[str, ...],
    time_limit: float,
    workers: int,
    seed: int,
    formulation_name: str | None,
    out: str | None,
) -> None:
    """Apply the changes to INSTANCE and repair TIMETABLE with as few moved lectures as possible.

    Prints the moved lectures and the cost before and after. Exits 2 if no valid timetable exists
    after the changes, 3 if none was found in time.
    """
    from models.course_changes import apply_changes
    from solver.course import SolveStatus
    from solver.course.repair import repair

    base = load_instance(instance, formulation_name)
    try:
        changed = apply_changes(base, list(changes))
        old = read_solution(existing_file(timetable, "timetable"))
    except (InstanceError, FormatError) as err:
        raise click.ClickException(str(err)) from None
    before = score(changed, old)
    result = repair(changed, old, time_limit=time_limit, workers=workers, seed=seed)
    if result.status == SolveStatus.INFEASIBLE:
        click.echo("Infeasible after the changes:", err=True)
        for line in result.explanation:
            click.echo(f"  - {line}", err=True)
        raise click.exceptions.Exit(EXIT_INFEASIBLE)
    if result.timetable is None:
        click.echo(f"Unknown: no valid timetable found in {result.elapsed:.1f} s.", err=True)
        raise click.exceptions.Exit(EXIT_UNKNOWN)
    after = score(changed, result.timetable)
    minimal = "proven minimal" if result.moves_proven_minimal else "not proven minimal"
    click.echo(f"Moved lectures: {result.moves} ({minimal})")
    for old_p, new_p in result.moved:
        target = f"{new_p.room} {new_p.day} {new_p.period}" if new_p else "(dropped)"
        click.echo(f"  {old_p.course}: {old_p.room} {old_p.day} {old_p.period} -> {target}")
    click.echo(f"Hard violations: {before.hard_violations} -> {after.hard_violations}")
    click.echo(f"Cost: {before.cost} -> {after.cost} ({after.cost - before.cost:+d})")
    if out is not None:
        repaired = result.timetable
        save(out, lambda path: write_solution(repaired, path), "Repaired timetable")


EXPORT_FORMATS = ("ics", "xlsx", "pdf")


@timetable_cli.command(name="export")
@click.argument("instance", metavar="INSTANCE")
@click.argument("solution", metavar="SOLUTION")
@click.option("--group", default=None, help="Only the lessons of this curriculum (academic group).")
@click.option("--teacher", default=None, help="Only the lessons of this teacher.")
@click.option("--room", default=None, help="Only the lessons in this room.")
@click.option("--format", "form", type=click.Choice(EXPORT_FORMATS), default=None,
              help="ics (iCalendar), xlsx (Excel) or pdf [default: from the --out suffix].")  # fmt: skip
@click.option("--from", "first_day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="iCalendar: the term's first day (YYYY-MM-DD) [default: the coming Monday].")  # fmt: skip
@click.option("--weeks", type=click.IntRange(min=1, max=52), default=15, show_default=True,
              help="iCalendar: the term's length in weeks.")  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="The file to write.")
@formulation_option
def export_command(instance: str, solution: str, group: str | None, teacher: str | None, room: str | None,
                   form: str | None, first_day: dt.datetime | None, weeks: int, out: str,
                   formulation_name: str | None) -> None:  # fmt: skip
    """Export SOLUTION of INSTANCE for a group, a teacher, a room (or everything) as iCalendar, Excel or PDF.

    The grid is days x pairs; lessons in a hard conflict (by the scorer) are marked. iCalendar events
    repeat weekly for --weeks weeks from --from, at the pair times 08:30, 10:10, 11:50, 14:00, 15:40,
    17:20, 19:00, 20:40 (80 minutes), Asia/Almaty. The file is written whole or not at all.
    """
    from models.timetable_view import course_week
    from service.contingent.exports import write_atomically
    from service.timetable_exports import Term, week_ical, week_pdf, week_xlsx

    if sum(x is not None for x in (group, teacher, room)) > 1:
        raise click.UsageError("give at most one of --group, --teacher and --room")
    form = form or Path(out).suffix.lstrip(".").lower()
    if form not in EXPORT_FORMATS:
        raise click.UsageError(f"cannot tell the format from {out!r}: give --format {'|'.join(EXPORT_FORMATS)}")
    course_instance = load_instance(instance, formulation_name)
    try:
        timetable = read_solution(existing_file(solution, "solution"))
    except FormatError as err:
        raise click.ClickException(str(err)) from None
    week = course_week(course_instance, timetable, report=score(course_instance, timetable))
    title = f"Timetable of {course_instance.name}"
    for value, known, select, what in (
        (group, {q.id for q in course_instance.curricula}, week.of_group, "curriculum"),
        (teacher, set(course_instance.teacher_by_id), week.of_teacher, "teacher"),
        (room, set(course_instance.room_by_id), week.of_room, "room"),
    ):
        if value is not None:
            if value not in known:
                raise click.ClickException(f"{instance}: no {what} {value!r}")
            week, title = select(value), f"Timetable of {what} {value}"
    try:
        if form == "ics":
            today = dt.date.today()
            start = first_day.date() if first_day else today + dt.timedelta(days=7 - today.weekday())
            term = Term(start, start + dt.timedelta(weeks=weeks, days=-1))
            data = week_ical(week, term, title)
        elif form == "xlsx":
            data = week_xlsx(week, title)
        else:
            about = f"{course_instance.name}: {len(week.lessons)} lessons, {week.conflicts} in conflict"
            data = week_pdf(week, title, about)
    except ValueError as err:  # a pair without a bell time
        raise click.ClickException(str(err)) from None
    save(out, lambda path: write_atomically(Path(path), data), "Timetable")
