"""``registrar exams``: solve and check examination session timetables.

INSTANCE is an ITC2007 ``.exam`` file or a Toronto ``.stu`` file (with ``--slots N``; default the
standard count for the benchmark's instance names). ``solve`` handles uncapacitated (Toronto-style)
sessions today; ``check`` scores either kind with the independent scorer.

Exit codes: 0 success; 1 bad input, or (``check``) a timetable with hard violations; 2 usage error
or an infeasible instance (``solve`` prints why); 3 no timetable found within the time limit.
"""

from __future__ import annotations

from pathlib import Path

import click

from datasets import itc2007_exam, toronto
from datasets.itc2007_ctt import FormatError
from models.course_instance import InstanceError
from models.exam_instance import ExamInstance, ExamTimetable
from models.exam_scoring import score
from registrar.timetable_cli import EXIT_INFEASIBLE, EXIT_UNKNOWN, existing_file, print_progress, save

slots_option = click.option(
    "--slots", type=click.IntRange(min=1), default=None, help="Periods of a Toronto session [default: standard]."
)


def load_exam_instance(spec: str, slots: int | None) -> ExamInstance:
    path = existing_file(spec, "instance")
    try:
        if path.suffix == ".stu":
            return toronto.read_toronto(path, slots)
        if path.suffix == ".exam":
            if slots is not None:
                raise click.BadParameter("--slots applies to Toronto (.stu) instances only", param_hint="--slots")
            return itc2007_exam.read_exam(path)
    except (FormatError, InstanceError, ValueError) as err:
        raise click.ClickException(str(err)) from None
    raise click.ClickException(f"{spec}: unknown exam instance format {path.suffix!r}: expected .exam or .stu")


def read_exam_solution(instance: ExamInstance, path: Path) -> ExamTimetable:
    module = toronto if instance.kind == "toronto" else itc2007_exam
    try:
        return module.read_solution(path, instance)
    except FormatError as err:
        raise click.ClickException(str(err)) from None


@click.group(name="exams")
def exams_cli() -> None:
    """Examination sessions: solve a Toronto-style session, check any timetable."""


@exams_cli.command(name="solve")
@click.argument("instance", metavar="INSTANCE")
@slots_option
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write 'exam slot' lines here.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
def solve_command(
    instance: str, slots: int | None, time_limit: float, workers: int, seed: int, out: str | None, quiet: bool
) -> None:
    """Find a clash-free session timetable with a low proximity cost."""
    from solver.course.result import SolveStatus
    from solver.exam import solve_uncapacitated

    exam_instance = load_exam_instance(instance, slots)
    try:
        result = solve_uncapacitated(
            exam_instance, time_limit=time_limit, workers=workers, seed=seed, progress=None if quiet else print_progress
        )
    except ValueError as err:
        raise click.ClickException(str(err)) from None
    if result.status == SolveStatus.INFEASIBLE:
        click.echo("Infeasible:", err=True)
        for line in result.explanation:
            click.echo(f"  - {line}", err=True)
        raise click.exceptions.Exit(EXIT_INFEASIBLE)
    if result.timetable is None:
        click.echo(f"Unknown: no clash-free timetable found in {result.elapsed:.1f} s.", err=True)
        raise click.exceptions.Exit(EXIT_UNKNOWN)
    report = score(exam_instance, result.timetable)
    click.echo(f"Status: {result.status.value}")
    click.echo(f"Clashes: {report.hard_violations}")
    click.echo(f"Proximity: {report.soft.get('Proximity', 0)} (per student {report.proximity:.4f})")
    click.echo(f"Elapsed: {result.elapsed:.2f} s")
    if out is not None:
        timetable = result.timetable
        save(out, lambda path: toronto.write_solution(timetable, path, exam_instance))


@exams_cli.command(name="check")
@click.argument("instance", metavar="INSTANCE")
@click.argument("solution", metavar="SOLUTION")
@slots_option
def check_command(instance: str, solution: str, slots: int | None) -> None:
    """Score SOLUTION against INSTANCE: every hard violation and soft cost. Exits 1 if infeasible."""
    exam_instance = load_exam_instance(instance, slots)
    report = score(exam_instance, read_exam_solution(exam_instance, existing_file(solution, "solution")))
    click.echo(report.validator_text())
    if not report.feasible:
        raise click.exceptions.Exit(1)
