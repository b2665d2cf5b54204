"""``registrar groups``: academic groups and streams from enrollment results.

- ``generate``: a synthetic registration (enrollments, rules, rooms, first-year intake);
- ``form``: sections for every discipline (CP-SAT, or the greedy baseline) with the scorer's terms;
- ``check``: score existing sections;
- ``rebalance``: re-form current sections after changes, moving as few students as possible;
- ``intake``: first-year academic groups from an intake list;
- ``to-timetable``: a course timetabling instance from sections (then ``registrar timetable solve``).

ENROLLMENTS and RULES are CSV or Excel files (RULES may be JSON); see :mod:`datasets.enrollment_files`.
Exit codes: 0 success; 1 bad input, or (``check``) sections with hard violations; 2 usage error, or
rules no sections can meet (the message names the discipline and pool).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from datasets.enrollment_files import (
    read_enrollments,
    read_grouping,
    read_rooms,
    read_rules,
    write_enrollments,
    write_grouping,
    write_moves,
    write_rooms,
    write_rules,
)
from datasets.text_lines import FormatError
from models.course_instance import InstanceError
from models.enrollment import EnrollmentError, EnrollmentInstance
from models.groups import Grouping
from models.groups_scoring import GroupingReport, score
from registrar.timetable_cli import EXIT_INFEASIBLE, save

if TYPE_CHECKING:
    from solver.groups.form import FormOptions

SIZES = ("1k", "5k", "20k")


def load(enrollments: str, rules: str) -> EnrollmentInstance:
    """The registration with its rules; file problems become a one-line (or row-list) error."""
    try:
        return read_enrollments(enrollments, read_rules(rules))
    except FormatError as err:
        raise click.ClickException(str(err)) from None


def load_grouping(folder: str) -> Grouping:
    try:
        return read_grouping(folder)
    except FormatError as err:
        raise click.ClickException(str(err)) from None


def print_report(report: GroupingReport, label: str = "Independent scorer") -> None:
    """Hard violations by rule and every objective term, one per line."""
    violated = ", ".join(f"{name} {n}" for name, n in report.hard.items() if n)
    click.echo(f"Hard violations: {report.hard_violations}" + (f" ({violated})" if violated else ""))
    click.echo(f"{label}:")
    width = max(len(name) for name in report.terms)
    for name, value in report.terms.items():
        click.echo(f"  {name:<{width}}  {value:>8}")


def write_out(instance: EnrollmentInstance, grouping: Grouping, out: Path, report: GroupingReport) -> None:
    try:
        paths = write_grouping(instance, grouping, out)
        save(str(out / "report.txt"), lambda p: Path(p).write_text(report.text() + "\n", encoding="utf-8"), "Report")
    except OSError as err:
        raise click.ClickException(f"cannot write to {out}: {err.strerror or err}") from None
    click.echo(f"Sections written to {', '.join(str(p) for p in paths)}", err=True)


def form_options(time_limit: float, workers: int, seed: int, balance_first: bool) -> FormOptions:
    from solver.groups.form import FormOptions

    return FormOptions(time_limit=time_limit, workers=workers, seed=seed, balance_first=balance_first)


def infeasible(err: EnrollmentError) -> click.exceptions.Exit:
    click.echo(f"Infeasible: {err}", err=True)
    return click.exceptions.Exit(EXIT_INFEASIBLE)


rules_option = click.option(
    "--rules", "rules", required=True, metavar="RULES", help="Section rules: .csv, .xlsx or .json."
)
solve_options = [
    click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True,
                 help="Seconds for the whole formation (level models beyond it use the greedy placement)."),
    click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
                 help="Processes forming disciplines in parallel (used from 20,000 registrations)."),
    click.option("--seed", type=int, default=0, show_default=True),
    click.option("--balance-first", is_flag=True,
                 help="Prefer balanced sizes (every kind within one) to the fewest sections."),
]  # fmt: skip


def with_solve_options(command: Callable[..., None]) -> Callable[..., None]:
    for option in reversed(solve_options):
        command = option(command)
    return command


@click.group(name="groups")
def groups_cli() -> None:
    """Academic groups and streams from enrollment results: form, check, rebalance, intake, to-timetable."""


@groups_cli.command(name="generate")
@click.option("--size", type=click.Choice(SIZES), default="1k", show_default=True, help="Students: 1,000/5,000/20,000.")
@click.option("--students", type=click.IntRange(min=10), default=None, help="Any number of students instead of --size.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the files.")
def generate_command(size: str, students: int | None, seed: int, out: Path) -> None:
    """Write a synthetic registration: enrollments.csv, rules.csv, rooms.csv and intake.csv."""
    import pandas as pd

    from datasets.enrollment_generator import describe, generate_enrollment

    generated = generate_enrollment(students if students is not None else size, seed)  # type: ignore[arg-type]
    try:
        out.mkdir(parents=True, exist_ok=True)
        write_enrollments(generated.instance, out / "enrollments.csv")
        write_rules(generated.rules, out / "rules.csv")
        write_rooms(generated.rooms, out / "rooms.csv")
        pd.DataFrame(generated.intake).to_csv(out / "intake.csv", index=False)
    except OSError as err:
        raise click.ClickException(f"cannot write to {out}: {err.strerror or err}") from None
    click.echo(describe(generated.instance))
    click.echo(f"Files written to {out}: enrollments.csv, rules.csv, rooms.csv, intake.csv", err=True)


@groups_cli.command(name="form")
@click.argument("enrollments", metavar="ENROLLMENTS")
@rules_option
@with_solve_options
@click.option("--method", type=click.Choice(("cpsat", "greedy")), default="cpsat", show_default=True,
              help="cpsat: the optimising formation; greedy: the baseline (fill sections in list order).")  # fmt: skip
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for sections.csv, assignments.csv, sections.xlsx and report.txt.")  # fmt: skip
def form_command(
    enrollments: str,
    rules: str,
    time_limit: float,
    workers: int,
    seed: int,
    balance_first: bool,
    method: str,
    out: Path | None,
) -> None:
    """Form the sections (lecture streams, practice groups, lab subgroups) of every discipline.

    Objectives in order: fewest sections (weighted by weekly lessons), balanced sizes, academic
    groups kept together. Prints the independent scorer's terms; exits 2 when the rules cannot be met.
    """
    instance = load(enrollments, rules)
    if method == "greedy":
        from solver.groups.greedy import form_greedy

        grouping, elapsed, note = form_greedy(instance), None, ""
    else:
        from solver.groups.form import form_sections

        try:
            result = form_sections(instance, form_options(time_limit, workers, seed, balance_first))
        except EnrollmentError as err:
            raise infeasible(err) from None
        grouping, elapsed = result.grouping, result.elapsed
        s = result.stats
        note = (
            f"level models: {s.models} solved ({s.optimal} optimal), {s.cached} repeated, {s.shortcut} placed by "
            f"the greedy at its bound, {s.fallback} by the greedy without a model; {result.reused} disciplines copied"
        )
    report = score(instance, grouping)
    click.echo(f"{len(instance.students)} students, {len(instance.disciplines)} disciplines, "
               f"{instance.registrations} registrations; method {method}")  # fmt: skip
    print_report(report)
    if note:
        click.echo(note)
    if elapsed is not None:
        click.echo(f"Elapsed: {elapsed:.2f} s")
    if out is not None:
        write_out(instance, grouping, out, report)
    if not report.feasible:
        if method == "greedy":  # the hand-made way breaks minimum sizes: reported, not an error
            click.echo(f"Warning: the baseline breaks {report.hard_violations} hard rule(s) (see report.txt)", err=True)
        else:
            raise click.ClickException("internal error: the scorer finds hard violations in the formed sections")


@groups_cli.command(name="check")
@click.argument("enrollments", metavar="ENROLLMENTS")
@click.argument("sections", metavar="SECTIONS")
@rules_option
@click.option("--details/--no-details", default=True, show_default=True, help="List every violation.")
def check_command(enrollments: str, sections: str, rules: str, details: bool) -> None:
    """Score the sections in folder SECTIONS against ENROLLMENTS. Exits 1 if a hard rule is broken."""
    instance = load(enrollments, rules)
    report = score(instance, load_grouping(sections))
    if details:
        for line in report.details:
            click.echo(line)
    print_report(report)
    if not report.feasible:
        raise click.exceptions.Exit(1)


@groups_cli.command(name="rebalance")
@click.argument("enrollments", metavar="ENROLLMENTS")
@rules_option
@click.option("--current", required=True, metavar="SECTIONS", help="Folder of the current sections.")
@click.option("--change", "changes", multiple=True, metavar="KIND:ARGS",
              help="Repeatable, applied to ENROLLMENTS: add:S:D, drop:S:D|*, new:S:PROG:YEAR:LANG[:GROUP], "
              "transfer:S:GROUP, group:S:GROUP.")  # fmt: skip
@with_solve_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the new sections, moves.csv and report.txt.")  # fmt: skip
@click.option("--show", type=click.IntRange(min=0), default=20, show_default=True, help="Moves to print.")
def rebalance_command(
    enrollments: str,
    rules: str,
    current: str,
    changes: tuple[str, ...],
    time_limit: float,
    workers: int,
    seed: int,
    balance_first: bool,
    out: Path | None,
    show: int,
) -> None:
    """Re-form the CURRENT sections for ENROLLMENTS (a newer export, and/or --change), moving as few
    students as possible; sizes and section counts are as good as forming from scratch."""
    from models.enrollment_changes import apply_changes
    from solver.groups.rebalance import rebalance

    instance = load(enrollments, rules)
    old = load_grouping(current)
    try:
        instance = apply_changes(instance, list(changes), read_rules(rules))
    except EnrollmentError as err:
        raise click.ClickException(str(err)) from None
    before = score(instance, old)
    try:
        result = rebalance(instance, old, form_options(time_limit, workers, seed, balance_first))
    except EnrollmentError as err:
        raise infeasible(err) from None
    report = score(instance, result.grouping)
    click.echo(f"Current sections after the changes: {before.hard_violations} hard violation(s), "
               f"imbalance {before.terms['Imbalance']}")  # fmt: skip
    source = " (formed from scratch: it moved fewer)" if result.from_scratch else ""
    click.echo(
        f"Moves: {len(result.moves)} registrations of {result.moved_students} students{source}; "
        f"forming from scratch would move {result.scratch_moves}"
    )
    for move in result.moves[:show]:
        click.echo(f"  {move.student} {move.discipline} {move.kind.value}: {move.old} -> {move.new}")
    if len(result.moves) > show:
        click.echo(f"  ... and {len(result.moves) - show} more")
    print_report(report)
    click.echo(f"Elapsed: {result.elapsed:.2f} s")
    if out is not None:
        write_out(instance, result.grouping, out, report)
        try:
            write_moves(result.moves, out / "moves.csv")
        except OSError as err:
            raise click.ClickException(f"cannot write {out / 'moves.csv'}: {err.strerror or err}") from None
    if not report.feasible:
        raise click.ClickException("internal error: the scorer finds hard violations in the rebalanced sections")


@groups_cli.command(name="intake")
@click.argument("intake", metavar="INTAKE")
@click.option("--size", "capacity", type=click.IntRange(min=1), default=25, show_default=True, help="Largest group.")
@click.option("--min-size", type=click.IntRange(min=1), default=1, show_default=True, help="Smallest group.")
@click.option("--balance", default="", metavar="ATTR[,ATTR]", help="Columns to spread evenly, e.g. funding,gender.")
@click.option("--year", type=click.IntRange(1900, 2999), default=2025, show_default=True, help="Admission year.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for groups.csv and students.csv.")  # fmt: skip
def intake_command(intake: str, capacity: int, min_size: int, balance: str, year: int, out: Path | None) -> None:
    """First-year academic groups from INTAKE (.csv/.xlsx: student, programme, language and any
    attribute columns): per programme and language, fewest groups of balanced sizes, attributes spread."""
    from datasets.enrollment_files import read_intake, write_intake_groups
    from models.groups_intake import IntakeInstance, IntakeRules, score_intake
    from solver.groups.intake import form_intake_groups

    attributes = tuple(a.strip().lower() for a in balance.split(",") if a.strip())
    try:
        rules = IntakeRules(capacity=capacity, min_size=min_size, balance=attributes, admission_year=year)
        instance = IntakeInstance(applicants=tuple(read_intake(intake, attributes)), rules=rules)
        result = form_intake_groups(instance)
    except FormatError as err:
        raise click.ClickException(str(err)) from None
    except EnrollmentError as err:
        if "fit no groups" in str(err):
            raise infeasible(err) from None
        raise click.ClickException(str(err)) from None
    report = score_intake(instance, result.grouping)
    click.echo(f"{len(instance.applicants)} students, {len(result.grouping.groups)} groups")
    for name, value in report.terms.items():
        click.echo(f"  {name:<18}  {value:>6}")
    if out is not None:
        try:
            paths = write_intake_groups(instance, result.grouping, out)
        except OSError as err:
            raise click.ClickException(f"cannot write to {out}: {err.strerror or err}") from None
        click.echo(f"Groups written to {', '.join(str(p) for p in paths)}", err=True)
    if not report.feasible:
        raise click.ClickException("internal error: the scorer finds hard violations in the groups")


@groups_cli.command(name="to-timetable")
@click.argument("enrollments", metavar="ENROLLMENTS")
@rules_option
@click.option("--sections", required=True, metavar="SECTIONS", help="Folder of the sections (from groups form).")
@click.option("--rooms", required=True, metavar="ROOMS", help="Rooms .csv/.xlsx: room, capacity, type, building.")
@click.option("--curricula", type=click.Choice(("students", "groups")), default="students", show_default=True,
              help="students: one curriculum per distinct combination of sections (exact); "
              "groups: one per academic group (its main sections).")  # fmt: skip
@click.option("--days", type=click.IntRange(1, 7), default=6, show_default=True)
@click.option("--periods", type=click.IntRange(1, 12), default=6, show_default=True, help="Periods a day.")
@click.option("--teacher-load", type=click.IntRange(min=1), default=16, show_default=True,
              help="Weekly lessons of a placeholder teacher (sections packed in order).")  # fmt: skip
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Instance .json to write.")
def to_timetable_command(
    enrollments: str,
    rules: str,
    sections: str,
    rooms: str,
    curricula: str,
    days: int,
    periods: int,
    teacher_load: int,
    out: Path,
) -> None:
    """A course timetabling instance (JSON) from the sections, for ``registrar timetable solve``.

    Uses the registrar rules of the synthetic universities: ITC2007 weights plus windows and group
    daily loads (2-4 lessons a day), soft.
    """
    from datasets.instance_json import write_instance_json
    from datasets.synthetic_university import describe, registrar_rules
    from models.groups_timetable import timetable_instance

    instance = load(enrollments, rules)
    grouping = load_grouping(sections)
    report = score(instance, grouping)
    if not report.feasible:
        raise click.ClickException(
            f"the sections break {report.hard_violations} hard rule(s) for these enrollments "
            f"(run registrar groups check): {report.details[0]}"
        )
    try:
        room_list = read_rooms(rooms)
        course_instance = timetable_instance(
            instance,
            grouping,
            room_list,
            days=days,
            periods_per_day=periods,
            rules=registrar_rules(),
            teacher_load=teacher_load,
            curricula=curricula,  # type: ignore[arg-type]
        )
    except (FormatError, InstanceError, ValueError) as err:
        raise click.ClickException(str(err)) from None
    click.echo(describe(course_instance))
    save(str(out), lambda p: write_instance_json(course_instance, p), "Instance")
