"""The ``registrar`` command line, through click's test runner (short time limits throughout)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner, Result

from datasets.instance_json import read_instance_json, write_instance_json
from datasets.itc2007_ctt import read_instance, read_solution
from datasets.sample_data import load_sample
from datasets.synthetic_university import generate_university
from models.course_instance import Course, CourseInstance, Curriculum, Room, Teacher
from registrar import __version__
from registrar.cli import main

SAMPLE = "sample:small-university"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_clean_exit(result: Result, code: int) -> None:
    """Exit ``code`` without an uncaught exception (no traceback)."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def sample_solution(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """The bundled sample solved once for the module (3 s), with the solution file written."""
    out = tmp_path_factory.mktemp("solve") / "sample.sol"
    return run("timetable", "solve", SAMPLE, "--time-limit", "3", "--out", out), out


def test_version_and_groups() -> None:
    result = run("--version")
    assert_clean_exit(result, 0)
    assert __version__ in result.output
    for group, command in (("timetable", "solve"), ("benchmark", "ctt")):
        result = run(group, "--help")
        assert_clean_exit(result, 0)
        assert command in result.output


def test_solve_sample_prints_breakdown_and_writes_solution(sample_solution: tuple[Result, Path]) -> None:
    result, out = sample_solution
    assert_clean_exit(result, 0)
    for text in ("Status:", "RoomCapacity", "MinWorkingDays", "CurriculumCompactness", "Hard violations: 0"):
        assert text in result.stdout
    assert "Total cost:" in result.stdout and "Elapsed:" in result.stdout
    assert "best cost" in result.stderr  # progress lines
    instance = load_sample()
    timetable = read_solution(out, instance)
    assert len(timetable) == instance.lectures


def test_check_solved_sample_has_no_violations(sample_solution: tuple[Result, Path]) -> None:
    _, out = sample_solution
    result = run("timetable", "check", SAMPLE, out)
    assert_clean_exit(result, 0)
    assert "Summary: Total Cost =" in result.output
    assert "Violations =" not in result.output
    hard = [line for line in result.output.splitlines() if "(hard) :" in line]
    assert hard and all(line.endswith(": 0") for line in hard)


def test_check_reports_violations(sample_solution: tuple[Result, Path], tmp_path: Path) -> None:
    _, out = sample_solution
    lines = out.read_text().splitlines()
    broken = tmp_path / "broken.sol"
    broken.write_text("\n".join([*lines[1:], "NO-SUCH-COURSE A-101 0 0"]) + "\n")  # one lecture missing
    result = run("timetable", "check", SAMPLE, broken)
    assert_clean_exit(result, 1)
    assert "Violations of Lectures (hard) : 1" in result.stdout
    assert "Summary: Violations = 1," in result.stdout
    assert "Nonexisting course NO-SUCH-COURSE" in result.stderr  # a warning, as in the Udine validator


def test_check_malformed_solution_names_file_and_line(tmp_path: Path) -> None:
    solution = tmp_path / "bad.sol"
    solution.write_text("HKZ-L-FEN-25-kk A-101 0 0\nHKZ-L-FEN-25-kk A-101 0\n")
    result = run("timetable", "check", SAMPLE, solution)
    assert_clean_exit(result, 1)
    assert f"{solution}:2" in result.output


def test_solve_comp01_to_stdout(data_dir: Path, tmp_path: Path) -> None:
    path = data_dir / "itc2007-cbctt" / "comp01.ctt"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    result = run("timetable", "solve", path, "--time-limit", "3", "--quiet", "--out", "-")
    assert_clean_exit(result, 0)
    assert "Total cost:" in result.stderr and "best cost" not in result.stderr
    solution = tmp_path / "comp01.sol"
    solution.write_text(result.stdout)
    instance = read_instance(path)
    assert len(read_solution(solution, instance)) == instance.lectures
    check = run("timetable", "check", path, solution)
    assert_clean_exit(check, 0)
    cost = int(result.stderr.split("Total cost:")[1].split()[0])
    assert f"Summary: Total Cost = {cost}" in check.stdout


def test_malformed_instance_is_one_line_error(tmp_path: Path) -> None:
    instance = tmp_path / "bad.ctt"
    instance.write_text("Name: bad\nCourses: many\n")
    out = tmp_path / "never.sol"
    result = run("timetable", "solve", instance, "--time-limit", "1", "--out", out)
    assert_clean_exit(result, 1)
    assert f"{instance}:2" in result.output and "Courses" in result.output
    assert not out.exists() and not list(tmp_path.glob("*.tmp"))


def test_malformed_json_instance(tmp_path: Path) -> None:
    instance = tmp_path / "bad.json"
    instance.write_text('{"name": "x",\n "days": \n')
    result = run("timetable", "solve", instance, "--time-limit", "1")
    assert_clean_exit(result, 1)
    assert str(instance) in result.output and "invalid JSON" in result.output


def test_missing_and_unknown_inputs(tmp_path: Path) -> None:
    missing = tmp_path / "missing.ctt"
    result = run("timetable", "solve", missing)
    assert_clean_exit(result, 1)
    assert f"instance file {missing} does not exist" in result.output
    result = run("timetable", "solve", "sample:no-such-sample")
    assert_clean_exit(result, 1)
    assert "small-university" in result.output
    other = tmp_path / "instance.txt"
    other.write_text("x\n")
    result = run("timetable", "solve", other)
    assert_clean_exit(result, 1)
    assert "unknown instance format" in result.output
    result = run("timetable", "check", SAMPLE, tmp_path / "missing.sol")
    assert_clean_exit(result, 1)
    assert "missing.sol does not exist" in result.output


@pytest.mark.parametrize(
    ("option", "value"),
    [("--time-limit", "-5"), ("--time-limit", "0"), ("--workers", "0"), ("--params", "no_such_field:1")],
)
def test_bad_option_values_are_usage_errors(option: str, value: str) -> None:
    result = run("timetable", "solve", SAMPLE, option, value)
    assert_clean_exit(result, 2)
    assert option in result.output


def test_infeasible_instance_explains_and_exits_2(tmp_path: Path) -> None:
    instance = CourseInstance(
        name="overfull",
        days=1,
        periods_per_day=3,
        rooms=(Room(id="R1", capacity=30), Room(id="R2", capacity=30)),
        teachers=(Teacher(id="T1"), Teacher(id="T2")),
        courses=(Course(id="C1", teacher="T1", lectures=3), Course(id="C2", teacher="T2", lectures=3)),
        curricula=(Curriculum(id="G1", courses=("C1", "C2")),),
    )
    path = tmp_path / "overfull.json"
    write_instance_json(instance, path)
    out = tmp_path / "never.sol"
    result = run("timetable", "solve", path, "--time-limit", "2", "--out", out)
    assert_clean_exit(result, 2)
    assert "Infeasible" in result.output and "curriculum G1" in result.output
    assert not out.exists()


def test_generate(tmp_path: Path) -> None:
    out = tmp_path / "gen" / "uni.json"
    result = run("timetable", "generate", "--size", "small", "--seed", "3", "--out", out)
    assert_clean_exit(result, 0)
    assert read_instance_json(out) == generate_university("small", 3)
    ctt = tmp_path / "uni.ctt"
    assert_clean_exit(run("timetable", "generate", "--seed", "3", "--out", ctt), 0)
    assert len(read_instance(ctt).courses) == len(generate_university("small", 3).courses)
    assert_clean_exit(run("timetable", "generate", "--out", tmp_path / "uni.xml"), 2)


def test_demo_writes_its_files(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = run("demo", "--out", out, "--time-limit", "3")
    assert_clean_exit(result, 0)
    assert "Total cost:" in result.stdout and "Week of group" in result.stdout
    assert all(day in result.stdout for day in ("Mon", "Sat"))
    for name in ("instance.json", "solution.sol", "score.txt", "timetable.csv"):
        assert (out / name).is_file(), name
    instance = read_instance_json(out / "instance.json")
    assert instance == load_sample()
    assert len(read_solution(out / "solution.sol", instance)) == instance.lectures
    assert "Summary: Total Cost =" in (out / "score.txt").read_text()
    table = pd.read_csv(out / "timetable.csv")
    assert list(table.columns) == ["group", "day", "pair", "course", "kind", "teacher", "room"]
    assert set(table["day"]) <= {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
    assert set(table["course"]) == {c.id for c in instance.courses if c.lectures}


def test_explain_feasible_and_infeasible(tmp_path: Path) -> None:
    assert_clean_exit(run("timetable", "explain", SAMPLE, "--time-limit", "5"), 0)
    instance = CourseInstance(
        name="cycle",
        days=1,
        periods_per_day=2,
        rooms=(Room(id="R1", capacity=30), Room(id="R2", capacity=30), Room(id="R3", capacity=30)),
        teachers=(Teacher(id="T1"), Teacher(id="T2"), Teacher(id="T3")),
        courses=tuple(Course(id=f"C{i}", teacher=f"T{i}", lectures=1) for i in (1, 2, 3)),
        curricula=(
            Curriculum(id="G12", courses=("C1", "C2")),
            Curriculum(id="G23", courses=("C2", "C3")),
            Curriculum(id="G13", courses=("C1", "C3")),
        ),
    )
    path = tmp_path / "cycle.json"
    write_instance_json(instance, path)
    result = run("timetable", "explain", path, "--time-limit", "5")
    assert_clean_exit(result, 2)
    for name in ("curriculum G12", "curriculum G23", "curriculum G13"):
        assert name in result.output


def test_repair_after_losing_a_room(sample_solution: tuple[Result, Path], tmp_path: Path) -> None:
    solved, solution = sample_solution
    assert_clean_exit(solved, 0)
    instance = load_sample()
    old = read_solution(solution, instance)
    room = old.placements[0].room
    in_room = sum(1 for p in old if p.room == room)
    out = tmp_path / "repaired.sol"
    result = run("timetable", "repair", SAMPLE, solution, "--change", f"remove-room:{room}", "--time-limit", "10",
                 "--out", out)  # fmt: skip
    assert_clean_exit(result, 0)
    assert f"Moved lectures: {in_room}" in result.stdout
    assert "Hard violations: " in result.stdout and "-> 0" in result.stdout
    repaired = read_solution(out)
    assert all(p.room != room for p in repaired)


def test_repair_refuses_bad_changes(sample_solution: tuple[Result, Path]) -> None:
    solved, solution = sample_solution
    assert_clean_exit(solved, 0)
    result = run("timetable", "repair", SAMPLE, solution, "--change", "remove-room:nowhere")
    assert_clean_exit(result, 1)
    assert "unknown room 'nowhere'" in result.output


def test_every_lazy_command_imports() -> None:
    from registrar.cli import COMMANDS, LazyGroup

    assert isinstance(main, LazyGroup)
    for name in COMMANDS:
        command = main.get_command(click.Context(main), name)
        assert isinstance(command, click.Command), name


def test_top_level_help_imports_no_area() -> None:
    code = (
        "import sys; from registrar.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('ortools', 'numba', 'flask', 'pandas', 'sqlalchemy') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out
    assert "timetable" in out and "demo-data" in out
