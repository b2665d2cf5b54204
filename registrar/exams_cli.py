"""``registrar exams``: solve, check, explain and repair examination session timetables.

INSTANCE is an ITC2007 ``.exam`` file, an exam session ``.json`` file (:mod:`datasets.exam_json`,
with groups and registrar rules) or a Toronto ``.stu`` file (with ``--slots N``; default the
standard count for the benchmark's instance names). A Toronto timetable has ``exam slot`` lines;
the others ``period, room`` lines in exam order (ITC2007 ``.sln``, rooms by position).
``--max-daily-exams`` and ``--min-free-days`` set the registrar rules on any instance.

Exit codes: 0 success; 1 bad input, or (``check``) a timetable with hard violations; 2 usage error
or an infeasible session (``solve``, ``explain`` and ``repair`` print why); 3 no timetable found
within the time limit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from datasets import exam_json, itc2007_exam, toronto
from datasets.itc2007_ctt import FormatError
from models.course_instance import InstanceError, Rule
from models.exam_instance import ExamInstance, ExamTimetable
from models.exam_scoring import ExamScoreReport, score
from registrar.timetable_cli import (
    EXIT_INFEASIBLE,
    EXIT_UNKNOWN,
    _check_params,
    existing_file,
    print_progress,
    save,
)


def _rule(value: str | None, param: str) -> tuple[int, Rule] | None:
    """``N`` (hard) or ``N:W`` (soft, weight W per unit) as (N, rule)."""
    if value is None:
        return None
    number, _, weight = value.partition(":")
    if not number.isdigit() or (weight and not weight.isdigit()):
        raise click.BadParameter(f"expected N or N:WEIGHT (non-negative integers), got {value!r}", param_hint=param)
    rule = Rule(weight=int(weight)) if weight else Rule(hard=True)
    return int(number), rule


def instance_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--slots``, ``--max-daily-exams`` and ``--min-free-days`` (the INSTANCE's options)."""
    options = [
        click.option(
            "--slots",
            type=click.IntRange(min=1),
            default=None,
            help="Periods of a Toronto session [default: standard].",
        ),
        click.option(
            "--max-daily-exams",
            "daily",
            default=None,
            metavar="K[:W]",
            help="At most K exams per student a day: hard, or soft with weight W per exam over.",
        ),
        click.option(
            "--min-free-days",
            "free_days",
            default=None,
            metavar="N[:W]",
            help="At least N free days between exams of an academic group: hard, or soft, W per missing day.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def load_exam_instance(
    spec: str, slots: int | None, daily: str | None = None, free_days: str | None = None
) -> ExamInstance:
    """The session in ``spec`` (``.exam``, ``.json`` or ``.stu``) with the registrar rules given."""
    path = existing_file(spec, "instance")
    daily_rule, free_rule = _rule(daily, "--max-daily-exams"), _rule(free_days, "--min-free-days")
    try:
        if path.suffix == ".stu":
            instance = toronto.read_toronto(path, slots)
        elif path.suffix in (".exam", ".json"):
            if slots is not None:
                raise click.BadParameter("--slots applies to Toronto (.stu) instances only", param_hint="--slots")
            instance = itc2007_exam.read_exam(path) if path.suffix == ".exam" else exam_json.read_exam_json(path)
        else:
            raise click.ClickException(
                f"{spec}: unknown exam instance format {path.suffix!r}: expected .exam, .json or .stu"
            )
        if daily_rule or free_rule:
            rules = instance.rules
            if daily_rule:
                if daily_rule[0] < 1:
                    raise click.BadParameter("K must be at least 1", param_hint="--max-daily-exams")
                rules = rules.model_copy(update={"max_daily_exams": daily_rule[0], "daily_exams": daily_rule[1]})
            if free_rule:
                rules = rules.model_copy(update={"min_free_days": free_rule[0], "group_free_days": free_rule[1]})
            instance = instance.model_copy(update={"rules": rules})
    except (FormatError, InstanceError, ValueError) as err:
        raise click.ClickException(str(err)) from None
    return instance


def read_exam_solution(instance: ExamInstance, path: Path) -> ExamTimetable:
    module = toronto if instance.kind == "toronto" else itc2007_exam
    try:
        return module.read_solution(path, instance)
    except FormatError as err:
        raise click.ClickException(str(err)) from None


def solution_text(instance: ExamInstance, timetable: ExamTimetable) -> str:
    if instance.kind == "toronto":
        return toronto.solution_text(timetable, instance)
    return itc2007_exam.solution_text(instance, timetable)


def write_exam_solution(out: str, instance: ExamInstance, timetable: ExamTimetable, what: str = "Solution") -> None:
    """Write ``timetable`` to ``out`` (``-``: stdout) in the instance's solution format."""
    if out == "-":
        click.echo(solution_text(instance, timetable), nl=False)
        return
    if instance.kind == "toronto":
        save(out, lambda path: toronto.write_solution(timetable, path, instance), what)
    else:
        save(out, lambda path: itc2007_exam.write_solution(instance, timetable, path), what)


def breakdown(report: ExamScoreReport) -> list[str]:
    """Soft costs by name (from the scorer), hard violations and the total."""
    width = max((len(name) for name in report.soft), default=0)
    lines = ["Soft costs (independent scorer):"]
    lines += [f"  {name:<{width}}  {cost:>7}" for name, cost in report.soft.items()]
    violated = ", ".join(f"{name} {n}" for name, n in report.hard.items() if n)
    lines.append(f"Hard violations: {report.hard_violations}" + (f" ({violated})" if violated else ""))
    lines.append(f"Total cost: {report.cost}")
    if report.proximity is not None:
        lines.append(f"Proximity per student: {report.proximity:.4f}")
    return lines


@click.group(name="exams")
def exams_cli() -> None:
    """Examination sessions: solve, check, explain why a session cannot be scheduled, repair after a change."""


@exams_cli.command(name="solve")
@click.argument("instance", metavar="INSTANCE")
@instance_options
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Parallel search workers.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--params", callback=_check_params, default=None, help="Raw CP-SAT parameters (construction).")
@click.option(
    "--out", type=click.Path(dir_okay=False, allow_dash=True), default=None, help="Write the timetable; '-': stdout."
)
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
def solve_command(
    instance: str,
    slots: int | None,
    daily: str | None,
    free_days: str | None,
    time_limit: float,
    workers: int,
    seed: int,
    params: str | None,
    out: str | None,
    quiet: bool,
) -> None:
    """Find a session timetable without hard violations and with a low cost.

    Progress goes to stderr, the cost breakdown to stdout (to stderr with --out -). Exits 2 if
    the session cannot be scheduled (with the reason), 3 if no timetable was found in time.
    """
    from solver.course.result import SolveStatus
    from solver.exam import solve

    exam_instance = load_exam_instance(instance, slots, daily, free_days)
    try:
        result = solve(
            exam_instance, time_limit=time_limit, workers=workers, seed=seed, params=params,
            progress=None if quiet else print_progress,
        )  # fmt: skip
    except ValueError as err:
        raise click.ClickException(str(err)) from None
    if result.status == SolveStatus.INFEASIBLE:
        click.echo("Infeasible: the session cannot be scheduled.", err=True)
        for line in result.explanation:
            click.echo(f"  - {line}", err=True)
        raise click.exceptions.Exit(EXIT_INFEASIBLE)
    if result.timetable is None:
        click.echo(f"Unknown: no timetable without hard violations found in {result.elapsed:.1f} s.", err=True)
        for line in result.explanation:
            click.echo(f"  - {line}", err=True)
        raise click.exceptions.Exit(EXIT_UNKNOWN)
    report = score(exam_instance, result.timetable)
    if not report.feasible:
        raise click.ClickException(
            f"internal error: the scorer finds {report.hard_violations} hard violation(s) in the solver's timetable"
        )
    to_stdout = out == "-"
    lines = [f"Status: {result.status.value}", *breakdown(report), f"Elapsed: {result.elapsed:.2f} s"]
    click.echo("\n".join(lines), err=to_stdout)
    if out is not None:
        write_exam_solution(out, exam_instance, result.timetable)


@exams_cli.command(name="check")
@click.argument("instance", metavar="INSTANCE")
@click.argument("solution", metavar="SOLUTION")
@instance_options
def check_command(instance: str, solution: str, slots: int | None, daily: str | None, free_days: str | None) -> None:
    """Score SOLUTION against INSTANCE: every hard violation and soft cost. Exits 1 if infeasible."""
    exam_instance = load_exam_instance(instance, slots, daily, free_days)
    report = score(exam_instance, read_exam_solution(exam_instance, existing_file(solution, "solution")))
    click.echo(report.validator_text())
    if not report.feasible:
        raise click.exceptions.Exit(1)


@exams_cli.command(name="explain")
@click.argument("instance", metavar="INSTANCE")
@instance_options
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True)
def explain_command(
    instance: str, slots: int | None, daily: str | None, free_days: str | None, time_limit: float
) -> None:
    """Say why INSTANCE cannot be scheduled, or that it can. Exits 2 when it cannot.

    First counting arguments (exams pairwise sharing students beyond the number of periods, rooms
    too small, contradictory relations, registrar rules), else a small set of constraints that
    CP-SAT proves contradictory.
    """
    from solver.exam.explain import explain
    from solver.exam.problem import ExamProblem

    problem = ExamProblem.build(load_exam_instance(instance, slots, daily, free_days))
    verdict, reasons = explain(problem, time_limit)
    if verdict is True:
        click.echo("The session can be scheduled: CP-SAT found a timetable without hard violations.")
        return
    if verdict is None:
        click.echo(f"No contradiction found in {time_limit:g} s (and no timetable either): try a longer --time-limit.")
        return
    click.echo("Infeasible:")
    for line in reasons:
        click.echo(f"  - {line}")
    raise click.exceptions.Exit(EXIT_INFEASIBLE)


@exams_cli.command(name="repair")
@click.argument("instance", metavar="INSTANCE")
@click.argument("timetable", metavar="TIMETABLE")
@instance_options
@click.option(
    "--change",
    "changes",
    multiple=True,
    help="KIND:ARGS, repeatable: move:EXAM, forbid:EXAM:PERIODS, close-period:PERIODS, remove-room:ROOM, "
    "capacity:ROOM:SEATS, enrol:EXAM:STUDENTS (ids, or @EXAM for that exam's students). PERIODS: 5, 5-7 or 5,9.",
)
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--params", callback=_check_params, default=None, help="Raw CP-SAT parameters.")
@click.option(
    "--out", type=click.Path(dir_okay=False, allow_dash=True), default=None, help="Write the repaired timetable here."
)
def repair_command(
    instance: str,
    timetable: str,
    slots: int | None,
    daily: str | None,
    free_days: str | None,
    changes: tuple[str, ...],
    time_limit: float,
    workers: int,
    seed: int,
    params: str | None,
    out: str | None,
) -> None:
    """Apply the changes to INSTANCE and repair TIMETABLE moving as few exams as possible.

    An exam moves when its period or room changes. Prints the moved exams and the cost before and
    after. The written timetable refers to the rooms of INSTANCE (a lost room is simply unused).
    Exits 2 if no valid timetable exists after the changes, 3 if none was found in time.
    """
    from models.exam_changes import apply_changes
    from solver.course.result import SolveStatus
    from solver.exam.repair import repair

    base = load_exam_instance(instance, slots, daily, free_days)
    old = read_exam_solution(base, existing_file(timetable, "timetable"))
    try:
        changed = apply_changes(base, list(changes), old)
    except InstanceError as err:
        raise click.ClickException(str(err)) from None
    before = score(changed, old)
    result = repair(changed, old, time_limit=time_limit, workers=workers, seed=seed, params=params)
    if result.status == SolveStatus.INFEASIBLE:
        click.echo("Infeasible after the changes:", err=True)
        for line in result.explanation:
            click.echo(f"  - {line}", err=True)
        raise click.exceptions.Exit(EXIT_INFEASIBLE)
    if result.timetable is None:
        click.echo(f"Unknown: no valid timetable found in {result.elapsed:.1f} s.", err=True)
        for line in result.explanation:
            click.echo(f"  - {line}", err=True)
        raise click.exceptions.Exit(EXIT_UNKNOWN)
    after = score(changed, result.timetable)
    minimal = "proven minimal" if result.moves_proven_minimal else "not proven minimal"
    to_stdout = out == "-"
    lines = [f"Moved exams: {result.moves} ({minimal}; {result.freed} exams were free to move)"]
    for moved in result.moved:
        old_place = "(not placed)" if moved.old is None else _place(moved.old.period, moved.old.room)
        lines.append(f"  {moved.exam}: {old_place} -> {_place(moved.new.period, moved.new.room)}")
    lines.append(f"Hard violations: {before.hard_violations} -> {after.hard_violations}")
    lines.append(f"Cost: {before.cost} -> {after.cost} ({after.cost - before.cost:+d})")
    click.echo("\n".join(lines), err=to_stdout)
    if out is not None:
        # Rooms are written by their position in the original file, so a lost room stays numbered.
        write_exam_solution(out, base, result.timetable, "Repaired timetable")


def _place(period: int, room: str | None) -> str:
    return f"period {period}" + (f", room {room}" if room is not None else "")
