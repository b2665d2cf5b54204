"""``registrar exams solve|check`` through click's test runner."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from registrar.cli import main


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def test_solve_and_check_a_toronto_instance(data_dir: Path, tmp_path: Path) -> None:
    stu = data_dir / "toronto" / "sta-f-83.stu"
    out = tmp_path / "sta83.sol"
    result = run("exams", "solve", stu, "--time-limit", "3", "--out", out, "--quiet")
    assert result.exit_code == 0, result.output
    assert "Clashes: 0" in result.stdout and "per student" in result.stdout
    checked = run("exams", "check", stu, out)
    assert checked.exit_code == 0, checked.output
    assert "Violations of Conflicts (hard) : 0" in checked.stdout


def test_check_reports_clashes_and_exits_1(data_dir: Path, tmp_path: Path) -> None:
    stu = data_dir / "toronto" / "sta-f-83.stu"
    crs = data_dir / "toronto" / "sta-f-83.crs"
    exams = [line.split()[0] for line in crs.read_text().splitlines() if line.strip()]
    everything_in_slot_0 = tmp_path / "bad.sol"
    everything_in_slot_0.write_text("".join(f"{e} 0\n" for e in exams))
    result = run("exams", "check", stu, everything_in_slot_0)
    assert result.exit_code == 1
    assert "Summary: Violations = " in result.stdout


def test_too_few_slots_is_explained(data_dir: Path) -> None:
    result = run("exams", "solve", data_dir / "toronto" / "sta-f-83.stu", "--slots", "3", "--time-limit", "2")
    assert result.exit_code == 2
    assert "pairwise share students" in result.output


def test_bad_inputs(data_dir: Path, tmp_path: Path) -> None:
    missing = run("exams", "solve", tmp_path / "nope.stu")
    assert missing.exit_code == 1 and "does not exist" in missing.output
    odd = tmp_path / "x.txt"
    odd.write_text("1 2\n")
    assert "unknown exam instance format" in run("exams", "solve", odd).output
    itc = run("exams", "solve", data_dir / "itc2007-exam" / "exam_comp_set4.exam", "--time-limit", "1")
    assert itc.exit_code == 1 and "only uncapacitated" in itc.output
    assert "Traceback" not in missing.output + itc.output
