"""ITC2007 ``.ctt`` / ``.ectt`` instances and solutions: reading, writing, round trips and precise format errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from datasets.itc2007_ctt import (
    FormatError,
    read_ctt,
    read_ectt,
    read_instance,
    read_solution,
    write_ctt,
    write_solution,
)
from models.course_instance import CourseInstance, Rules, Teacher, formulation
from models.course_timetable import CourseTimetable

# Line numbers matter below: line 10 is course A, 19 curriculum Q1, 23 the first unavailability, 27 END.
SMALL_CTT = """\
Name: Toy
Courses: 3
Rooms: 2
Days: 2
Periods_per_day: 3
Curricula: 2
Constraints: 3

COURSES:
A tA 2 2 20
B tB 3 1 35
C tA 1 1 10

ROOMS:
R1 30
R2 40

CURRICULA:
Q1 2 A B
Q2 1 C

UNAVAILABILITY_CONSTRAINTS:
A 0 0
A 1 2
C 0 1

END.
"""

# Line numbers: 7 Min_Max_Daily_Lectures, 12 course A, 21 curriculum Q1, 25 the first unavailability,
# 30 the room constraint, 32 END.
SMALL_ECTT = """\
Name: Toy
Courses: 3
Rooms: 2
Days: 2
Periods_per_day: 3
Curricula: 2
Min_Max_Daily_Lectures: 1 3
UnavailabilityConstraints: 3
RoomConstraints: 1

COURSES:
A tA 2 2 20 1
B tB 3 1 35 0
C tA 1 1 10 0

ROOMS:
R1 30 0
R2 40 1

CURRICULA:
Q1 2 A B
Q2 1 C

UNAVAILABILITY_CONSTRAINTS:
A 0 0
A 1 2
C 0 1

ROOM_CONSTRAINTS:
B R1

END.
"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def replace_line(text: str, line: int, new: str | None) -> str:
    """``text`` with its ``line`` (from 1) replaced by ``new``, or removed if ``new`` is None."""
    lines = text.splitlines()
    lines[line - 1 : line] = [] if new is None else [new]
    return "\n".join(lines) + "\n"


def benchmark_file(data_dir: Path, name: str) -> Path:
    path = data_dir / "itc2007-cbctt" / ("ectt" if name.endswith(".ectt") else ".") / name
    if not path.is_file():
        pytest.skip(f"{path} not found in the benchmark data")
    return path


# --- reading ----------------------------------------------------------------------------------


def test_read_ctt(tmp_path: Path) -> None:
    instance = read_ctt(write(tmp_path, "toy.ctt", SMALL_CTT))
    assert (instance.name, instance.days, instance.periods_per_day) == ("Toy", 2, 3)
    assert [(c.id, c.teacher, c.lectures, c.min_working_days, c.students) for c in instance.courses] == [
        ("A", "tA", 2, 2, 20),
        ("B", "tB", 3, 1, 35),
        ("C", "tA", 1, 1, 10),
    ]
    assert [t.id for t in instance.teachers] == ["tA", "tB"]
    assert [(r.id, r.capacity, r.building) for r in instance.rooms] == [("R1", 30, "main"), ("R2", 40, "main")]
    assert [(q.id, q.courses) for q in instance.curricula] == [("Q1", ("A", "B")), ("Q2", ("C",))]
    assert instance.course_by_id["A"].unavailable == {(0, 0), (1, 2)}
    assert instance.course_by_id["B"].unavailable == frozenset()
    assert not any(c.double_lectures or c.unsuitable_rooms for c in instance.courses)
    assert instance.rules == Rules()


def test_read_ctt_with_other_rules(tmp_path: Path) -> None:
    path = write(tmp_path, "toy.ctt", SMALL_CTT)
    assert read_ctt(path, formulation("UD1")).rules == formulation("UD1")
    assert read_instance(path, "UD3").rules == formulation("UD3")
    assert read_instance(path) == read_ctt(path)


def test_read_ectt(tmp_path: Path) -> None:
    instance = read_ectt(write(tmp_path, "toy.ectt", SMALL_ECTT), "UD3")
    assert [c.id for c in instance.courses if c.double_lectures] == ["A"]
    assert [(r.id, r.building) for r in instance.rooms] == [("R1", "0"), ("R2", "1")]
    assert instance.course_by_id["B"].unsuitable_rooms == {"R1"}
    assert instance.course_by_id["C"].unavailable == {(0, 1)}
    assert instance.rules == formulation("UD3", min_daily=1, max_daily=3)


def test_read_instance_dispatches_on_the_extension(tmp_path: Path) -> None:
    path = write(tmp_path, "toy.ectt", SMALL_ECTT)
    assert read_instance(path, "UD5") == read_ectt(path, "UD5")
    assert read_ectt(path) == read_ectt(path, "UD2")


def test_crlf_and_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    plain = read_ctt(write(tmp_path, "plain.ctt", SMALL_CTT))
    windows = write(tmp_path, "windows.ctt", b"\xef\xbb\xbf" + SMALL_CTT.replace("\n", "\r\n").encode())
    assert read_ctt(windows) == plain


def test_unknown_formulation_is_a_format_error(tmp_path: Path) -> None:
    path = write(tmp_path, "toy.ectt", SMALL_ECTT)
    with pytest.raises(FormatError, match="unknown formulation 'UD9'") as caught:
        read_ectt(path, "UD9")
    assert str(path) in str(caught.value)


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "text"), [("toy.ctt", SMALL_CTT), ("toy.ectt", SMALL_ECTT)])
def test_small_instance_round_trip(tmp_path: Path, name: str, text: str) -> None:
    original = read_instance(write(tmp_path, name, text), "UD4")
    copy = tmp_path / f"copy-{name}"
    write_ctt(original, copy, extended=name.endswith(".ectt"))
    assert read_instance(copy, "UD4") == original


@pytest.mark.parametrize("name", ["comp01.ctt", "comp01.ectt"])
def test_benchmark_instance_round_trip(tmp_path: Path, data_dir: Path, name: str) -> None:
    original = read_instance(benchmark_file(data_dir, name), "UD2")
    assert (len(original.courses), original.lectures, len(original.rooms), len(original.curricula)) == (30, 160, 6, 14)
    assert sum(len(c.unavailable) for c in original.courses) == 53
    copy = tmp_path / name
    write_ctt(original, copy, extended=name.endswith(".ectt"))
    assert read_instance(copy, "UD2") == original


def test_teacher_unavailability_is_written_per_course(tmp_path: Path) -> None:
    original = read_ctt(write(tmp_path, "toy.ctt", SMALL_CTT))
    fields = {name: getattr(original, name) for name in CourseInstance.model_fields}
    teachers = tuple(Teacher(id=t.id, unavailable=frozenset({(1, 1)})) for t in original.teachers)
    write_ctt(CourseInstance(**(fields | {"teachers": teachers})), tmp_path / "copy.ctt")
    copy = read_ctt(tmp_path / "copy.ctt")
    assert copy.course_by_id["A"].unavailable == {(0, 0), (1, 2), (1, 1)}
    assert copy.course_by_id["B"].unavailable == {(1, 1)}


def test_solution_round_trip(tmp_path: Path) -> None:
    instance = read_ctt(write(tmp_path, "toy.ctt", SMALL_CTT))
    rows = [("B", "R2", 1, 0), ("A", "R1", 0, 1), ("B", "R2", 0, 2), ("C", "R2", 1, 1), ("A", "R1", 1, 0)]
    rows += [("B", "R1", 0, 0), ("C", "R2", 1, 1)]  # a repeated entry survives the round trip
    path = tmp_path / "toy.sol"
    write_solution(CourseTimetable.of(rows), path)
    assert path.read_text().splitlines()[:3] == ["A R1 0 1", "A R1 1 0", "B R1 0 0"]
    in_file_order = sorted(rows, key=lambda row: (row[0], row[2], row[3]))
    assert read_solution(path, instance) == CourseTimetable.of(in_file_order)
    assert read_solution(path) == read_solution(path, instance)


def test_solution_with_unknown_ids_reads_without_an_instance(tmp_path: Path) -> None:
    path = write(tmp_path, "toy.sol", "Z R9 7 7\n\nA R1 0 0\n")
    assert CourseTimetable.of([("Z", "R9", 7, 7), ("A", "R1", 0, 0)]) == read_solution(path)


# --- malformed files --------------------------------------------------------------------------

R = replace_line
MALFORMED: dict[str, tuple[str, str | bytes, int, str]] = {  # id: (file name, content, line, message)
    "missing-header": ("toy.ctt", R(SMALL_CTT, 1, None), 1, "expected 'Name:'"),
    "bad-integer": ("toy.ctt", R(SMALL_CTT, 2, "Courses: three"), 2, "expected an integer for Courses"),
    "negative-integer": ("toy.ctt", R(SMALL_CTT, 4, "Days: -2"), 4, "Days must not be negative"),
    "course-field-count": ("toy.ctt", R(SMALL_CTT, 10, "A tA 2 2"), 10, "(5 fields), found 'A tA 2 2'"),
    "course-bad-integer": ("toy.ctt", R(SMALL_CTT, 11, "B tB x 1 35"), 11, "expected an integer for the lectures"),
    "room-field-count": ("toy.ctt", R(SMALL_CTT, 15, "R1 30 0"), 15, "a room: name capacity (2 fields)"),
    "curriculum-count-mismatch": ("toy.ctt", R(SMALL_CTT, 19, "Q1 3 A B"), 19, "Q1 announces 3 courses but lists 2"),
    "curriculum-unknown-course": ("toy.ctt", R(SMALL_CTT, 19, "Q1 2 A Z"), 19, "Q1 lists unknown course 'Z'"),
    "unavailability-unknown-course": ("toy.ctt", R(SMALL_CTT, 23, "Z 0 0"), 23, "unavailability of unknown course"),
    "unavailability-outside-week": ("toy.ctt", R(SMALL_CTT, 23, "A 2 0"), 23, "(2, 0) is outside the 2 x 3 week"),
    "wrong-section": ("toy.ctt", R(SMALL_CTT, 9, "COURSE:"), 9, "expected section 'COURSES:'"),
    "course-count-too-high": ("toy.ctt", R(SMALL_CTT, 2, "Courses: 4"), 14, "expected a course"),
    "missing-end": ("toy.ctt", R(SMALL_CTT, 27, "THE END."), 27, "expected section 'END.'"),
    "truncated": ("toy.ctt", "\n".join(SMALL_CTT.splitlines()[:12]), 12, "unexpected end of file"),
    "not-utf8": ("toy.ctt", SMALL_CTT.replace("R2 40", "R\xff2 40").encode("latin-1"), 16, "not a UTF-8 text file"),
    "ectt-min-max": ("toy.ectt", R(SMALL_ECTT, 7, "Min_Max_Daily_Lectures: 1"), 7, "followed by 2 value(s)"),
    "ectt-course-field-count": ("toy.ectt", R(SMALL_ECTT, 12, "A tA 2 2 20"), 12, "double_lectures (6 fields)"),
    "ectt-outside-week": ("toy.ectt", R(SMALL_ECTT, 25, "A 0 3"), 25, "(0, 3) is outside the 2 x 3 week"),
    "ectt-room-constraint-course": ("toy.ectt", R(SMALL_ECTT, 30, "Z R1"), 30, "constraint of unknown course 'Z'"),
    "ectt-room-constraint-room": ("toy.ectt", R(SMALL_ECTT, 30, "B R9"), 30, "names unknown room 'R9'"),
    "ectt-count-too-high": ("toy.ectt", R(SMALL_ECTT, 9, "RoomConstraints: 2"), 32, "(2 fields), found 'END.'"),
}


@pytest.mark.parametrize(
    ("name", "content", "line", "message"), [pytest.param(*case, id=key) for key, case in MALFORMED.items()]
)
def test_malformed_instance(tmp_path: Path, name: str, content: str | bytes, line: int, message: str) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(FormatError) as caught:
        read_instance(path, "UD2")
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)
    assert (caught.value.path, caught.value.line) == (str(path), line)


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("A R1 0 0\nZ R1 1 0\n", 2, "unknown course 'Z'"),
        ("A R1 0 0\n\nA R9 1 0\n", 3, "unknown room 'R9'"),
        ("A R1 2 0\n", 1, "day 2 is outside 0..1"),
        ("B R1 0 0\nA R1 1 3\n", 2, "period 3 is outside 0..2"),
        ("A R1 0\n", 1, "expected 'course room day period', found 'A R1 0'"),
        ("A R1 0 0 0\n", 1, "expected 'course room day period'"),
        ("A R1 x 0\n", 1, "expected an integer for the day, found 'x'"),
        ("A R1 0 -1\n", 1, "the period must not be negative"),
        (b"A R1 0 0\nB R\xe92 0 1\n", 2, "not a UTF-8 text file"),
    ],
)
def test_malformed_solution(tmp_path: Path, content: str | bytes, line: int, message: str) -> None:
    instance = read_ctt(write(tmp_path, "toy.ctt", SMALL_CTT))
    path = write(tmp_path, "toy.sol", content)
    with pytest.raises(FormatError) as caught:
        read_solution(path, instance)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.ctt"
    with pytest.raises(FormatError, match="cannot read") as caught:
        read_ctt(path)
    assert str(path) in str(caught.value)


def test_instance_errors_surface_as_format_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "toy.ctt", replace_line(SMALL_CTT, 16, "R1 40"))
    with pytest.raises(FormatError, match="duplicate room id 'R1'") as caught:
        read_ctt(path)
    assert str(path) in str(caught.value)


def test_read_back_instance_is_a_course_instance(tmp_path: Path) -> None:
    assert isinstance(read_ctt(write(tmp_path, "toy.ctt", SMALL_CTT)), CourseInstance)
