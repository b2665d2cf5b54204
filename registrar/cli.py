"""The ``registrar`` command line: a group of command groups.

- ``registrar timetable solve|check|generate|explain|repair``: lesson timetables (:mod:`registrar.timetable_cli`);
- ``registrar exams solve|check``: examination sessions (:mod:`registrar.exams_cli`);
- ``registrar benchmark ctt``: public benchmarks, verified and compared (:mod:`benchmarks.cli`);
- ``registrar demo``: the bundled sample university end to end (:mod:`registrar.demo`);
- ``registrar service run``, ``registrar db upgrade|downgrade|current|revision``, ``registrar demo-data``: the
  records service (:mod:`service.cli`).
"""

from __future__ import annotations

import click

from benchmarks.cli import benchmark_cli
from registrar import __version__
from registrar.demo import demo_cli
from registrar.exams_cli import exams_cli
from registrar.timetable_cli import timetable_cli
from service.cli import db_cli, demo_data_cli, service_cli


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="registrar")
def main() -> None:
    """A university registrar's engine: CP-SAT timetables for lessons (exams and groups to come)."""


main.add_command(timetable_cli)
main.add_command(exams_cli)
main.add_command(benchmark_cli, name="benchmark")
main.add_command(demo_cli)
main.add_command(service_cli)
main.add_command(db_cli)
main.add_command(demo_data_cli)
