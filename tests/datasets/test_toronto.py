"""Toronto ``.crs``/``.stu`` instances and ``exam slot`` solutions: reading, the standard slot counts, the 13
version-I instances, round trips and precise format errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from datasets.text_lines import FormatError
from datasets.toronto import (
    TORONTO_INSTANCES,
    TORONTO_SLOTS,
    read_solution,
    read_toronto,
    solution_text,
    standard_slots,
    write_solution,
)
from models.exam_instance import ExamTimetable

CRS = "0001 2\n0002 3\n0003 1\n0004 0\n"
# Line 3 is blank (not a student) and line 4 lists exam 0002 twice.
STU = "0001 0002\n0002\n\n0001 0003 0002 0002\n"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    (tmp_path / "toy.crs").write_text(CRS)
    stu = tmp_path / "toy.stu"
    stu.write_text(STU)
    return stu


def test_read_small(small: Path) -> None:
    inst = read_toronto(small, slots=4)
    assert inst.name == "toy" and inst.kind == "toronto" and inst.rooms == ()
    assert [p.index for p in inst.periods] == [0, 1, 2, 3] and inst.periods[0].date is None
    assert [e.id for e in inst.exams] == ["0001", "0002", "0003", "0004"]
    students = {e.id: set(e.students) for e in inst.exams}
    assert students == {"0001": {"1", "4"}, "0002": {"1", "2", "4"}, "0003": {"4"}, "0004": set()}
    assert len(inst.students) == 3  # the blank line is not a student


def test_without_a_crs_file_the_exams_come_from_the_stu_file(tmp_path: Path) -> None:
    stu = tmp_path / "alone.stu"
    stu.write_text("10 9\n9\n")
    inst = read_toronto(stu, slots=2)
    assert [e.id for e in inst.exams] == ["9", "10"]


def test_explicit_crs_path_and_name(small: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.crs"
    other.write_text("0003 1\n0002 3\n0001 2\n")
    inst = read_toronto(small, slots=3, crs_path=other, name="renamed")
    assert inst.name == "renamed" and [e.id for e in inst.exams] == ["0003", "0002", "0001"]


def test_standard_slot_counts() -> None:
    assert standard_slots("car-s-91") == 35 == standard_slots("car91") == standard_slots("data/car-s-91.stu")
    assert standard_slots("rye92") == standard_slots("rye-s-93") == 23
    assert len(TORONTO_INSTANCES) == 13 and len(TORONTO_SLOTS) == 27
    with pytest.raises(ValueError, match="no standard slot count for Toronto instance 'toy'"):
        standard_slots("toy")


def test_slots_default_by_name(small: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="give the slots"):
        read_toronto(small)
    sta = tmp_path / "sta-f-83.stu"
    sta.write_text("1 2\n")
    assert len(read_toronto(sta).periods) == 13
    with pytest.raises(ValueError, match="must be positive"):
        read_toronto(sta, slots=0)


def test_solution_round_trip(small: Path, tmp_path: Path) -> None:
    inst = read_toronto(small, slots=4)
    timetable = ExamTimetable.of({"0002": (3, None), "0001": (0, None), "0004": (1, None)})
    path = tmp_path / "toy.sol"
    write_solution(timetable, path, inst)
    assert path.read_text() == "0001 0\n0002 3\n0004 1\n"  # exam order, the unplaced 0003 omitted
    assert read_solution(path, inst) == timetable
    assert read_solution(path) == timetable
    assert solution_text(timetable) == "0001 0\n0002 3\n0004 1\n"  # sorted by id without an instance


def test_solution_exam_ids_match_by_number(small: Path, tmp_path: Path) -> None:
    path = tmp_path / "numbers.sol"
    path.write_text("2 0\n1 1\n3 2\n")
    timetable = read_solution(path, read_toronto(small, slots=4))
    assert {e: p.period for e, p in timetable.placements.items()} == {"0002": 0, "0001": 1, "0003": 2}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("0001 0\n0002\n", 2, "expected 'exam slot', found '0002'"),
        ("0001 0\n0009 1\n", 2, "unknown exam '0009'"),
        ("0001 0\n0002 4\n", 2, r"slot 4 is outside 0\.\.3"),
        ("0001 0\n0002 -1\n", 2, "the slot of exam 0002 must not be negative"),
        ("0001 0\n\n1 2\n", 3, r"exam 0001 is given again \(first on line 1\)"),
    ],
)
def test_malformed_solutions(small: Path, tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "bad.sol"
    path.write_text(text)
    with pytest.raises(FormatError, match=message) as caught:
        read_solution(path, read_toronto(small, slots=4))
    assert caught.value.line == line and str(caught.value).startswith(f"{path}:{line}: ")


@pytest.mark.parametrize(
    ("crs", "stu", "where", "line", "message"),
    [
        ("0001 2\n0002\n", STU, "crs", 2, "expected 'exam_id enrolment', found '0002'"),
        ("0001 2\n0002 x\n", STU, "crs", 2, "expected an integer for the enrolment of exam 0002"),
        ("0001 2\n0002 3\n0001 1\n", STU, "crs", 3, r"exam 0001 is listed again \(first on line 1\)"),
        (CRS, "0001\n0001 0007\n", "stu", 2, "student 2 sits exam '0007', which toy.crs lacks"),
    ],
)
def test_malformed_instances_name_file_and_line(
    tmp_path: Path, crs: str, stu: str, where: str, line: int, message: str
) -> None:
    (tmp_path / "toy.crs").write_text(crs)
    (tmp_path / "toy.stu").write_text(stu)
    with pytest.raises(FormatError, match=message) as caught:
        read_toronto(tmp_path / "toy.stu", slots=4)
    assert caught.value.line == line and str(caught.value).startswith(f"{tmp_path / f'toy.{where}'}:{line}: ")


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="cannot read"):
        read_toronto(tmp_path / "missing.stu", slots=3)


# The README table (section 3): slots, exams, students, enrolments.
INSTANCES = {
    "car-s-91": (35, 682, 16925, 56877),
    "car-f-92": (32, 543, 18419, 55522),
    "ear-f-83": (24, 190, 1125, 8109),
    "hec-s-92": (18, 81, 2823, 10632),
    "kfu-s-93": (20, 461, 5349, 25113),
    "lse-f-91": (18, 381, 2726, 10918),
    "pur-s-93": (42, 2419, 30029, 120681),
    "rye-s-93": (23, 486, 11483, 45051),
    "sta-f-83": (13, 139, 611, 5751),
    "tre-s-92": (23, 261, 4360, 14901),
    "uta-s-92": (35, 622, 21266, 58979),
    "ute-s-92": (10, 184, 2749, 11793),
    "yor-f-83": (21, 181, 941, 6034),
}


def test_all_thirteen_instances(data_dir: Path) -> None:
    assert set(INSTANCES) == {stem for stem, _ in TORONTO_INSTANCES.values()}
    for stem, expected in INSTANCES.items():
        inst = read_toronto(data_dir / "toronto" / f"{stem}.stu")
        found = (len(inst.periods), len(inst.exams), len(inst.students), sum(e.size for e in inst.exams))
        assert found == expected, stem
