"""The ``registrar`` command line: a group of command groups, each imported only when it is used.

- ``registrar timetable solve|check|generate|explain|repair``: lesson timetables (:mod:`registrar.timetable_cli`);
- ``registrar exams solve|check|explain|repair``: examination sessions (:mod:`registrar.exams_cli`);
- ``registrar groups generate|form|check|rebalance|intake|to-timetable``: sections from enrollment results
  (:mod:`registrar.groups_cli`);
- ``registrar benchmark ctt|toronto|exam|groups``: public benchmarks, verified and compared (:mod:`benchmarks.cli`);
- ``registrar demo``: the bundled sample university end to end (:mod:`registrar.demo`);
- ``registrar service run``, ``registrar db upgrade|downgrade|current|revision``, ``registrar demo-data``: the
  records service (:mod:`service.cli`);
- ``registrar users create|list|roles|password|activate|deactivate|token|tokens|revoke|rules``: users, roles and
  API tokens of the records service (:mod:`service.users_cli`);
- ``registrar contingent movement|on|state-form|on-leave|expelled|register``: movement of the contingent
  (:mod:`service.contingent_cli`);
- ``registrar documents issue|verify`` and ``registrar archive inventory|due``: issued documents and the archive
  (:mod:`service.documents_cli`).

The groups pull in OR-Tools, numba, pandas or Flask; importing them lazily keeps ``registrar --help``
and every command of another area fast. To add a group, add one line to :data:`COMMANDS`.
"""

from __future__ import annotations

import importlib

import click

from registrar import __version__

COMMANDS: dict[str, tuple[str, str, str]] = {
    "timetable": ("registrar.timetable_cli", "timetable_cli", "Lesson timetables: solve, check, explain, repair."),
    "exams": ("registrar.exams_cli", "exams_cli", "Examination sessions: solve, check, explain, repair."),
    "groups": ("registrar.groups_cli", "groups_cli", "Sections from enrollment results: form, rebalance, intake."),
    "benchmark": ("benchmarks.cli", "benchmark_cli", "Public benchmarks, verified by the scorers and compared."),
    "demo": ("registrar.demo", "demo_cli", "Timetable the bundled sample university end to end."),
    "service": ("service.cli", "service_cli", "The records service (Flask app, JSON API under /api)."),
    "db": ("service.cli", "db_cli", "Database migrations (Alembic) of the records service."),
    "demo-data": ("service.cli", "demo_data_cli", "Fill an empty records database with a generated university."),
    "users": ("service.users_cli", "users_cli", "Users, roles and API tokens of the records service."),
    "contingent": ("service.contingent_cli", "contingent_cli", "Contingent movement: reports, state form, orders."),
    "documents": ("service.documents_cli", "documents_cli", "Issued documents: issue to a PDF file, verify."),
    "archive": ("service.documents_cli", "archive_cli", "The archive: inventory of a year, files due for destruction."),
    "workflow": ("service.workflow_cli", "workflow_cli", "Timetable workflow: solve jobs, versions, approval."),
    "worker": ("service.workflow_cli", "worker_cli", "A Celery worker for timetable solve jobs (Redis broker)."),
}
"""Command name -> (module, attribute of its click command, one-line help shown by ``registrar --help``)."""


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use; its ``--help`` lists them without importing."""

    def __init__(self, *args: object, lazy: dict[str, tuple[str, str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        module, attribute, _ = self.lazy[cmd_name]
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module}.{attribute} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, self.lazy[name][2]) for name in sorted(self.lazy)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "--version", prog_name="registrar")
def main() -> None:
    """A university registrar's engine: CP-SAT timetables for lessons and exams, and the records service."""
