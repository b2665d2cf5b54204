"""ITC2007 ``.exam`` instances and ``.sln`` solutions: reading, writing, round trips, the 12 competition sets
and precise format errors."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from datasets.itc2007_exam import exam_text, read_exam, read_solution, solution_text, write_exam, write_solution
from datasets.text_lines import FormatError
from models.course_instance import InstanceError
from models.exam_instance import Exam, ExamInstance, ExamRoom, ExamTimetable, FrontLoad, Period, RelationKind

# Line numbers matter below: exams on lines 2-5, periods 7-10, rooms 12-13, period constraints 15-19,
# room constraint 21, weightings 23-27.
SMALL = """\
[Exams:4]
120, 1, 2, 3
90, 3, 4
120, 5
60
[Periods:4]
10:01:2024, 09:00:00, 180, 0
10:01:2024, 13:00:00, 180, 0
11:01:2024, 09:00:00, 120, 5
12:01:2024, 09:00:00, 180, 0
[Rooms:2]
100, 0
2, 3
[PeriodHardConstraints]
0, AFTER, 1
1, EXCLUSION, 2
2, EXCLUSION, 1
3, EXAM_COINCIDENCE, 3
2, EXAM_COINCIDENCE, 3
[RoomHardConstraints]
3, ROOM_EXCLUSIVE
[InstitutionalWeightings]
TWOINAROW, 7
TWOINADAY, 5
PERIODSPREAD, 3
NONMIXEDDURATIONS,10
FRONTLOAD,2,1,5
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.exam"
    path.write_text(SMALL)
    return path


def test_read_small(small: Path) -> None:
    inst = read_exam(small)
    assert inst.name == "small" and inst.kind == "itc2007"
    assert [e.id for e in inst.exams] == ["0", "1", "2", "3"]
    assert inst.exams[0] == Exam(id="0", duration=120, students=frozenset({"1", "2", "3"}))
    assert inst.exams[3].students == frozenset()
    assert inst.periods[2] == Period(index=2, date=dt.date(2024, 1, 11), start=dt.time(9), duration=120, penalty=5)
    assert inst.period_day == (0, 0, 1, 2)
    assert inst.rooms == (ExamRoom(id="0", capacity=100), ExamRoom(id="1", capacity=2, penalty=3))
    # the reverse exclusion and the self-coincidence are dropped
    assert [(r.kind, r.first, r.second) for r in inst.relations] == [
        (RelationKind.AFTER, "0", "1"),
        (RelationKind.EXCLUSION, "1", "2"),
        (RelationKind.COINCIDENCE, "2", "3"),
    ]
    assert inst.exclusive == {"3"}
    w = inst.weightings
    assert (w.two_in_a_row, w.two_in_a_day, w.period_spread, w.non_mixed_durations) == (7, 5, 3, 10)
    assert w.front_load == FrontLoad(largest=2, last_periods=1, weight=5)
    assert inst.largest_exams == ("0", "1")


def test_round_trip(small: Path, tmp_path: Path) -> None:
    inst = read_exam(small)
    out = tmp_path / "out" / "copy.exam"
    write_exam(inst, out)
    assert read_exam(out, name="small") == inst
    assert exam_text(read_exam(out)) == out.read_text()
    assert not list(out.parent.glob(".*.tmp"))


def test_writer_renumbers_non_integer_students_and_needs_dates(tmp_path: Path) -> None:
    inst = ExamInstance(
        exams=(Exam(id="a", duration=60, students=frozenset({"kim", "ann"})), Exam(id="b", students=frozenset({"bo"}))),
        periods=(Period(index=0, date=dt.date(2024, 5, 2), start=dt.time(9), duration=90),),
        rooms=(ExamRoom(id="hall", capacity=30),),
    )
    assert exam_text(inst).splitlines()[1:3] == ["60, 0, 2", "0, 1"]  # ann 0, bo 1, kim 2
    undated = inst.model_copy(update={"periods": (Period(index=0),)})
    with pytest.raises(InstanceError, match="period 0 has no date or no duration"):
        exam_text(undated)


def test_solution_round_trip(small: Path, tmp_path: Path) -> None:
    inst = read_exam(small)
    timetable = ExamTimetable.of({"0": (1, "0"), "1": (0, "1"), "3": (3, "0")})
    path = tmp_path / "small.sln"
    write_solution(inst, timetable, path)
    assert path.read_text() == "1, 0\n0, 1\n-1, -1\n3, 0\n"
    assert solution_text(inst, timetable) == path.read_text()
    assert read_solution(path, inst) == timetable
    assert read_solution(path) == timetable  # ids are positions without the instance


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("1, 0\n0, 1\n2, 0\n", 3, "expected 4 lines, one per exam, found 3"),
        ("1, 0\n0, 1\n2\n3, 0\n", 3, "expected 'period, room', found '2'"),
        ("1, 0\n0, 1\n4, 0\n3, 0\n", 3, r"period 4 is outside 0\.\.3"),
        ("1, 0\n0, 2\n2, 0\n3, 0\n", 2, r"room 2 is outside 0\.\.1"),
        ("1, 0\n0, x\n2, 0\n3, 0\n", 2, "expected an integer for the room, found 'x'"),
    ],
)
def test_malformed_solutions(small: Path, tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "bad.sln"
    path.write_text(text)
    with pytest.raises(FormatError, match=message) as caught:
        read_solution(path, read_exam(small))
    assert caught.value.line == line and str(caught.value).startswith(f"{path}:{line}: ")


def _edit(line: int, replacement: str) -> str:
    lines = SMALL.splitlines()
    lines[line - 1] = replacement
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (_edit(1, "[Exam:4]"), 1, r"expected section \[Exams:N\], found '\[Exam:4\]'"),
        (_edit(3, "90, 3, x"), 3, "expected an integer for a student of exam 1, found 'x'"),
        (_edit(3, "-90, 3"), 3, "the duration of exam 1 must not be negative"),
        (_edit(5, "[Periods:4]"), 5, r"section \[Exams:4\] announces 4 lines but has 3"),
        (_edit(8, "10:13:2024, 13:00:00, 180, 0"), 8, "expected a date dd:mm:yyyy for period 1"),
        (_edit(8, "10:01:2024, 25:00:00, 180, 0"), 8, "expected a time hh:mm:ss for period 1"),
        (_edit(8, "10:01:2024, 13:00:00, 180"), 8, "expected a period: dd:mm:yyyy, hh:mm:ss, duration, penalty"),
        (_edit(13, "2"), 13, r"expected a room: capacity, penalty \(2 fields\)"),
        (_edit(15, "0, BEFORE, 1"), 15, "expected 'exam, EXAM_COINCIDENCE|EXCLUSION|AFTER, exam'"),
        (_edit(15, "0, AFTER, 9"), 15, r"exam 9 does not exist \(exams are 0\.\.3\)"),
        (_edit(15, "1, AFTER, 1"), 15, "AFTER relates exam 1 to itself"),
        (_edit(21, "3, EXCLUSIVE"), 21, "expected 'exam, ROOM_EXCLUSIVE'"),
        (_edit(23, "THREEINAROW, 7"), 23, "expected one of TWOINAROW, TWOINADAY"),
        (_edit(27, "FRONTLOAD,2,1"), 27, "expected FRONTLOAD followed by 3 value"),
        (_edit(27, "TWOINAROW, 3"), 27, "TWOINAROW given twice"),
        (SMALL + "[Extra]\n", 28, r"unexpected line after \[InstitutionalWeightings\]: '\[Extra\]'"),
        (SMALL + "surplus\n", 28, "expected one of TWOINAROW"),
        (
            SMALL.split("[RoomHardConstraints]")[0],
            19,
            r"unexpected end of file, expected section \[RoomHardConstraints\]",
        ),
    ],
)
def test_malformed_instances_name_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "bad.exam"
    path.write_text(text)
    with pytest.raises(FormatError, match=message) as caught:
        read_exam(path)
    assert caught.value.line == line and str(caught.value).startswith(f"{path}:{line}: ")


def test_unreadable_and_inconsistent_files(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="cannot read"):
        read_exam(tmp_path / "missing.exam")
    (tmp_path / "binary.exam").write_bytes(b"[Exams:1]\n\xff\xfe\n")
    with pytest.raises(FormatError, match=r"binary\.exam:2: not a UTF-8 text file"):
        read_exam(tmp_path / "binary.exam")
    norooms = SMALL.replace("[Rooms:2]\n100, 0\n2, 3\n", "[Rooms:0]\n").replace("3, ROOM_EXCLUSIVE\n", "")
    (tmp_path / "norooms.exam").write_text(norooms)
    with pytest.raises(FormatError, match=r"norooms\.exam: the instance has exams but no rooms"):
        read_exam(tmp_path / "norooms.exam")


# The README table (section 2): exams, distinct students, periods, days, rooms, room constraints, weightings.
# The relation counts are ours: the period constraint lines with reverse duplicates and self-coincidences dropped.
SETS = {
    1: (607, 7883, 54, 29, 7, 12, 12, 0, (7, 5, 5, 10, 100, 30, 5)),
    2: (870, 12484, 40, 13, 49, 12, 8, 2, (15, 5, 1, 25, 250, 30, 5)),
    3: (934, 16365, 36, 12, 48, 170, 84, 15, (15, 10, 4, 20, 200, 20, 10)),
    4: (273, 4421, 21, 7, 1, 40, 20, 0, (9, 5, 2, 10, 50, 10, 5)),
    5: (1018, 8719, 42, 14, 3, 27, 27, 0, (40, 15, 5, 0, 250, 30, 10)),
    6: (242, 7909, 16, 8, 8, 23, 22, 0, (20, 5, 20, 25, 25, 30, 15)),
    7: (1096, 13795, 80, 40, 15, 28, 28, 0, (25, 5, 10, 15, 250, 30, 10)),
    8: (598, 7718, 80, 40, 8, 20, 20, 1, (150, 0, 15, 25, 250, 30, 5)),
    9: (169, 624, 25, 13, 3, 10, 10, 0, (25, 10, 5, 25, 100, 10, 5)),
    10: (214, 1415, 32, 12, 48, 58, 58, 0, (50, 0, 20, 25, 100, 10, 5)),
    11: (934, 16365, 26, 9, 40, 83, 83, 15, (10, 50, 4, 35, 400, 20, 10)),
    12: (78, 1653, 12, 7, 50, 9, 9, 7, (35, 10, 5, 5, 25, 5, 10)),
}


def test_all_twelve_competition_sets(data_dir: Path) -> None:
    for number, expected in SETS.items():
        path = data_dir / "itc2007-exam" / f"exam_comp_set{number}.exam"
        inst = read_exam(path)
        text = path.read_text()
        constraint_lines = text.split("[PeriodHardConstraints]")[1].split("[RoomHardConstraints]")[0].split()
        w = inst.weightings
        found = (
            len(inst.exams),
            len(inst.students),
            len(inst.periods),
            inst.days,
            len(inst.rooms),
            len(constraint_lines) // 3,
            len(inst.relations),
            len(inst.exclusive),
            (
                w.two_in_a_row,
                w.two_in_a_day,
                w.period_spread,
                w.non_mixed_durations,
                w.front_load.largest,
                w.front_load.last_periods,
                w.front_load.weight,
            ),
        )
        assert found == expected, f"set {number}"
        assert inst.name == f"exam_comp_set{number}"
    kinds = Counter(r.kind for r in read_exam(data_dir / "itc2007-exam" / "exam_comp_set4.exam").relations)
    assert kinds == {RelationKind.EXCLUSION: 16, RelationKind.COINCIDENCE: 4}
