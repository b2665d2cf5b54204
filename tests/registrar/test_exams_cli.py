"""``registrar exams solve|check|explain|repair`` through click's test runner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from datasets.exam_json import write_exam_json
from models.exam_instance import Exam, ExamInstance, ExamRoom, Period, Relation, RelationKind
from registrar.cli import main


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def test_solve_and_check_a_toronto_instance(data_dir: Path, tmp_path: Path) -> None:
    stu = data_dir / "toronto" / "sta-f-83.stu"
    out = tmp_path / "sta83.sol"
    result = run("exams", "solve", stu, "--time-limit", "3", "--out", out, "--quiet")
    assert result.exit_code == 0, result.output
    assert "Hard violations: 0" in result.stdout and "Proximity per student" in result.stdout
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
    assert "Traceback" not in missing.output


def small_session(path: Path, periods: int = 4, relations: tuple[Relation, ...] = ()) -> Path:
    """Exams a-d; a shares a student with b and with c; rooms R0 (3 seats) and R1 (2)."""
    students = {"a": {"s1", "s2"}, "b": {"s1"}, "c": {"s2", "s3"}, "d": {"s4"}}
    inst = ExamInstance(
        name="small",
        exams=tuple(Exam(id=e, duration=90, students=frozenset(s)) for e, s in students.items()),
        periods=tuple(Period(index=t, date=dt.date(2024, 1, 1 + t // 2), duration=120) for t in range(periods)),
        rooms=(ExamRoom(id="R0", capacity=3), ExamRoom(id="R1", capacity=2)),
        relations=relations,
    )
    write_exam_json(inst, path)
    return path


def test_solve_check_and_repair_a_json_session(tmp_path: Path) -> None:
    session = small_session(tmp_path / "small.json")
    sln = tmp_path / "small.sln"
    solved = run("exams", "solve", session, "--time-limit", "1", "--workers", "1", "--out", sln, "--quiet")
    assert solved.exit_code == 0, solved.output
    assert "Hard violations: 0" in solved.stdout and "TwoInARow" in solved.stdout
    assert run("exams", "check", session, sln).exit_code == 0
    period_of_a = int(sln.read_text().splitlines()[0].split(",")[0])
    repaired = tmp_path / "repaired.sln"
    result = run(
        "exams", "repair", session, sln, "--change", f"forbid:a:{period_of_a}", "--time-limit", "3",
        "--workers", "1", "--out", repaired,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Moved exams: 1 (proven minimal" in result.stdout
    assert f"  a: period {period_of_a}" in result.stdout
    assert "Hard violations: 1 -> 0" in result.stdout
    lines = repaired.read_text().splitlines()
    assert int(lines[0].split(",")[0]) != period_of_a and lines[1:] == sln.read_text().splitlines()[1:]


def test_solve_to_stdout(tmp_path: Path) -> None:
    result = run("exams", "solve", small_session(tmp_path / "s.json"), "--time-limit", "1", "--workers", "1",
                 "--out", "-", "-q")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len([line for line in result.stdout.splitlines() if "," in line]) == 4


def test_explain(tmp_path: Path) -> None:
    feasible = run("exams", "explain", small_session(tmp_path / "ok.json"), "--time-limit", "5")
    assert feasible.exit_code == 0 and "can be scheduled" in feasible.stdout
    tight = run("exams", "explain", small_session(tmp_path / "tight.json", periods=1))
    assert tight.exit_code == 2
    assert "pairwise share students" in tight.stdout and "students involved: s1" in tight.stdout
    cycle = (
        Relation(kind=RelationKind.AFTER, first="a", second="d"),
        Relation(kind=RelationKind.AFTER, first="d", second="a"),
    )
    result = run("exams", "explain", small_session(tmp_path / "cycle.json", relations=cycle))
    assert result.exit_code == 2 and "the AFTER relations form a cycle" in result.stdout


def test_repair_errors(tmp_path: Path) -> None:
    session = small_session(tmp_path / "small.json")
    sln = tmp_path / "small.sln"
    sln.write_text("0, 0\n1, 0\n1, 1\n0, 1\n")
    assert run("exams", "check", session, sln).exit_code == 0
    unknown = run("exams", "repair", session, sln, "--change", "forbid:zz:1")
    assert unknown.exit_code == 1 and "unknown exam 'zz'" in unknown.output
    closed = run("exams", "repair", session, sln, "--change", "close-period:0-3", "--time-limit", "3")
    assert closed.exit_code == 2 and "Infeasible after the changes" in closed.output
    assert "Traceback" not in unknown.output + closed.output


@pytest.mark.parametrize("value", ["x", "2:y", "-1"])
def test_bad_rule_options(tmp_path: Path, value: str) -> None:
    result = run("exams", "solve", small_session(tmp_path / "s.json"), "--max-daily-exams", value)
    assert result.exit_code == 2 and "--max-daily-exams" in result.output


def test_hard_daily_limit_from_the_command_line(tmp_path: Path) -> None:
    result = run("exams", "explain", small_session(tmp_path / "s.json", periods=2), "--max-daily-exams", "1")
    assert result.exit_code == 2 and "at most 1 a day" in result.stdout
