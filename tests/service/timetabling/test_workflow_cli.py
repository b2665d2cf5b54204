"""``registrar workflow``: solve in the foreground, show, move, submit, approve, publish, compare; clear errors."""

from __future__ import annotations

import re

from click.testing import CliRunner, Result
from flask import Flask
from timetable_testing import Term

from registrar.cli import main
from service import db
from service.models import AuditEntry, GroupFormation, TimetableVersion


def run(app: Flask, *args: str) -> Result:
    url = db.engine(app).url.render_as_string(hide_password=False)
    return CliRunner().invoke(main, ["workflow", *args], env={"REGISTRAR_DATABASE_URL": url})


def test_the_workflow_from_the_command_line(app: Flask, term: Term) -> None:
    result = run(app, "solve", str(term.period_id), "--kind", "lessons", "--time-limit", "2")
    assert result.exit_code == 0, result.output
    assert re.search(r"job \d+ lessons finished elapsed [\d.]+s cost \d+ version \d+", result.output)
    version = int(result.output.split("version ")[-1].split()[0])
    shown = run(app, "show", str(version))
    assert shown.exit_code == 0 and "draft revision 1: hard 0" in shown.output and "CS-25-1k" in shown.output
    with app.app_context():
        row = db.session().get_one(TimetableVersion, version)
        course, room, day, pair = row.placements[0]
    moved = run(app, "move-lesson", str(version), course, str(day), str(pair), room, str(day), str(pair),
                "--revision", "1")  # fmt: skip
    assert moved.exit_code == 0 and "cost" in moved.output and "revision 2" in moved.output
    stale = run(app, "submit", str(version), "--revision", "1")
    assert stale.exit_code == 1 and "your revision 1, now 2" in stale.output
    assert run(app, "submit", str(version), "--revision", "2").exit_code == 0
    assert run(app, "return", str(version), "--revision", "3", "--comment", "Fewer Saturdays").exit_code == 0
    assert run(app, "submit", str(version), "--revision", "4").exit_code == 0
    assert run(app, "approve", str(version), "--revision", "5").exit_code == 0
    published = run(app, "publish", str(version), "--revision", "6")
    assert published.exit_code == 0 and "published revision 7" in published.output
    copy = run(app, "copy", str(version))
    assert copy.exit_code == 0 and "no. 2) draft" in copy.output
    compared = run(app, "compare", str(version), str(version + 1))
    assert compared.exit_code == 0 and "0 moved" in compared.output
    assert "finished" in run(app, "jobs").output and f"version {version} " in run(app, "versions").output
    with app.app_context():
        actors = {e.actor for e in db.session().query(AuditEntry).filter_by(entity="timetable_versions")}
    assert actors and all(a.startswith("cli:") for a in actors)


def test_a_groups_job_from_the_command_line(app: Flask, term: Term) -> None:
    result = run(app, "solve", str(term.period_id), "--kind", "groups", "--time-limit", "2")
    assert result.exit_code == 0, result.output
    assert re.search(r"job \d+ groups finished elapsed [\d.]+s cost 8 formation \d+", result.output)
    formation = int(result.output.split("formation ")[-1].split()[0])
    with app.app_context():
        assert db.session().get_one(GroupFormation, formation).hard_violations == 0
    spring = term.campus.periods["spring"]["id"]
    refused = run(app, "solve", str(spring), "--kind", "groups")
    assert refused.exit_code == 1 and "has no submitted or confirmed registrations" in refused.output


def test_bad_input_exits_1_naming_the_problem(app: Flask, term: Term) -> None:
    result = run(app, "solve", "999", "--kind", "exams")
    assert result.exit_code == 1 and "there is no period 999" in result.output
    result = run(app, "show", "42")
    assert result.exit_code == 1 and "there is no timetable version 42" in result.output
    result = run(app, "cancel", "7")
    assert result.exit_code == 1 and "there is no solve job 7" in result.output
    result = run(app, "solve", str(term.period_id), "--time-limit", "0")
    assert result.exit_code == 1 and "time limit must be between 1 and 3600 seconds" in result.output
