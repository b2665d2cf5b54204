"""``registrar groups``: generate, form, check, rebalance, intake and to-timetable through click's runner."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from datasets.enrollment_files import read_enrollments, read_grouping, read_rules
from datasets.instance_json import read_instance_json
from models.groups_scoring import score
from registrar.cli import main


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_clean_exit(result: Result, code: int) -> None:
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated registration of 150 students with its sections formed once."""
    folder = tmp_path_factory.mktemp("groups")
    assert_clean_exit(run("groups", "generate", "--students", "150", "--seed", "2", "--out", folder), 0)
    result = run(
        "groups", "form", folder / "enrollments.csv", "--rules", folder / "rules.csv", "--time-limit", "20",
        "--out", folder / "sections",
    )  # fmt: skip
    assert_clean_exit(result, 0)
    return folder


def test_generate_writes_the_files(files: Path) -> None:
    for name in ("enrollments.csv", "rules.csv", "rooms.csv", "intake.csv"):
        assert (files / name).is_file()
    instance = read_enrollments(files / "enrollments.csv", read_rules(files / "rules.csv"))
    assert len(instance.students) == 150


def test_form_prints_the_scorers_terms_and_writes_sections(files: Path) -> None:
    result = run("groups", "form", files / "enrollments.csv", "--rules", files / "rules.csv", "--time-limit", "20")
    assert_clean_exit(result, 0)
    for text in ("Hard violations: 0", "Sections", "LowerBound", "Imbalance", "Splits", "Combinations", "Elapsed:"):
        assert text in result.stdout
    instance = read_enrollments(files / "enrollments.csv", read_rules(files / "rules.csv"))
    report = score(instance, read_grouping(files / "sections"))
    assert report.feasible
    assert (files / "sections" / "report.txt").read_text().startswith("Violations of Coverage")


def test_form_greedy_baseline(files: Path) -> None:
    result = run("groups", "form", files / "enrollments.csv", "--rules", files / "rules.csv", "--method", "greedy")
    assert_clean_exit(result, 0)
    assert "method greedy" in result.stdout


def test_check_passes_and_fails(files: Path, tmp_path: Path) -> None:
    assert_clean_exit(
        run("groups", "check", files / "enrollments.csv", files / "sections", "--rules", files / "rules.csv"), 0
    )
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "sections.csv").write_text((files / "sections" / "sections.csv").read_text())
    lines = (files / "sections" / "assignments.csv").read_text().splitlines()
    (broken / "assignments.csv").write_text("\n".join(lines[:-1]) + "\n")  # one registration lost
    result = run("groups", "check", files / "enrollments.csv", broken, "--rules", files / "rules.csv")
    assert_clean_exit(result, 1)
    assert "[H] Coverage:" in result.stdout and "Hard violations: 1 (Coverage 1)" in result.stdout


def test_bad_enrollment_file_is_exit_1_with_the_row(files: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    text = (files / "enrollments.csv").read_text().splitlines()
    text[3] = text[3].replace(",kk,", ",xx,").replace(",ru,", ",xx,")
    bad.write_text("\n".join(text) + "\n")
    result = run("groups", "form", bad, "--rules", files / "rules.csv")
    assert_clean_exit(result, 1)
    assert "row 4: language 'xx' is not one of kk, ru, en" in result.output
    result = run("groups", "form", tmp_path / "missing.csv", "--rules", files / "rules.csv")
    assert_clean_exit(result, 1)
    assert "does not exist" in result.output


def test_rules_no_section_can_meet_exit_2(files: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules.csv"
    rules.write_text("discipline,kind,capacity,min_size\n*,practice,30,29\n")
    result = run("groups", "form", files / "enrollments.csv", "--rules", rules)
    assert_clean_exit(result, 2)
    assert "Infeasible:" in result.output and "fit no nested sections" in result.output


def test_rebalance_after_changes(files: Path, tmp_path: Path) -> None:
    enrollments = pd.read_csv(files / "enrollments.csv", dtype=str)
    first = enrollments.iloc[0]
    out = tmp_path / "rebalanced"
    result = run(
        "groups", "rebalance", files / "enrollments.csv", "--rules", files / "rules.csv",
        "--current", files / "sections", "--change", f"drop:{first['student']}:*",
        "--change", f"new:NEWBIE:{first['programme']}:{first['year']}:{first['language']}:{first['group']}",
        "--change", f"add:NEWBIE:{first['discipline']}", "--time-limit", "20", "--out", out,
    )  # fmt: skip
    assert_clean_exit(result, 0)
    assert "Moves:" in result.stdout and "forming from scratch would move" in result.stdout
    assert (out / "moves.csv").is_file() and (out / "sections.csv").is_file()
    instance = read_enrollments(files / "enrollments.csv", read_rules(files / "rules.csv"))
    new_sections = read_grouping(out)
    assert first["student"] not in {s for sec in new_sections.sections for s in sec.students}
    assert "NEWBIE" in {s for sec in new_sections.of(first["discipline"]) for s in sec.students}
    del instance
    bad = run(
        "groups", "rebalance", files / "enrollments.csv", "--rules", files / "rules.csv",
        "--current", files / "sections", "--change", "drop:NOBODY:*",
    )  # fmt: skip
    assert_clean_exit(bad, 1)
    assert "unknown student 'NOBODY'" in bad.output


def test_intake(files: Path, tmp_path: Path) -> None:
    out = tmp_path / "intake"
    result = run("groups", "intake", files / "intake.csv", "--size", "25", "--balance", "funding,gender", "--out", out)
    assert_clean_exit(result, 0)
    groups = pd.read_csv(out / "groups.csv")
    assert groups["students"].max() <= 25 and "funding=grant" in groups.columns
    assert len(pd.read_csv(out / "students.csv")) == len(pd.read_csv(files / "intake.csv"))
    missing = run("groups", "intake", files / "intake.csv", "--balance", "height")
    assert_clean_exit(missing, 1)
    assert "no column height to balance on" in missing.output
    impossible = run("groups", "intake", files / "intake.csv", "--size", "10", "--min-size", "10")
    assert_clean_exit(impossible, 2)


def test_to_timetable(files: Path, tmp_path: Path) -> None:
    out = tmp_path / "timetable.json"
    result = run(
        "groups", "to-timetable", files / "enrollments.csv", "--rules", files / "rules.csv",
        "--sections", files / "sections", "--rooms", files / "rooms.csv", "--out", out,
    )  # fmt: skip
    assert_clean_exit(result, 0)
    instance = read_instance_json(out)
    grouping = read_grouping(files / "sections")
    assert {c.id for c in instance.courses} == {s.id for s in grouping.sections}
    bad_rooms = tmp_path / "rooms.csv"
    bad_rooms.write_text("room,capacity,type\nR1,30,classroom\n")
    result = run(
        "groups", "to-timetable", files / "enrollments.csv", "--rules", files / "rules.csv",
        "--sections", files / "sections", "--rooms", bad_rooms, "--out", out,
    )  # fmt: skip
    assert_clean_exit(result, 1)
    assert "no room has the required type" in result.output
