"""Enrollment, rules, sections and rooms files: round trips and row-level errors on bad files."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from datasets.enrollment_files import (
    GROUPING_FILES,
    grouping_file,
    read_enrollments,
    read_grouping,
    read_rooms,
    read_rules,
    write_enrollments,
    write_grouping,
    write_moves,
    write_rooms,
    write_rules,
)
from datasets.text_lines import FormatError
from models.course_instance import LessonKind, Room
from models.enrollment import RuleBook, SectionRule
from models.groups import Move
from solver.groups.greedy import form_greedy

L, P, B = LessonKind.LECTURE, LessonKind.PRACTICE, LessonKind.LAB
BOOK = RuleBook(
    defaults={L: SectionRule(capacity=100, min_size=5, room_type="lecture_hall"), P: SectionRule(capacity=25)},
    disciplines={"ICT": {B: SectionRule(capacity=12, lessons=2, room_type="computer_lab")}, "PE": {L: None}},
)
HEADER = "student,programme,year,language,group,discipline,discipline_name\n"
ROWS = [
    "S1,6B06101,1,kk,CS-25-1k,ICT,Information and Communication Technologies",
    "S1,6B06101,1,kk,CS-25-1k,PE,Physical Education",
    "S2,6B06101,1,KZ,CS-25-1k,ICT,Information and Communication Technologies",
    "S3,6B06101,1,rus,CS-25-2r,PE,",
]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_read_enrollments(tmp_path: Path) -> None:
    instance = read_enrollments(write(tmp_path / "e.csv", HEADER + "\n".join(ROWS) + "\n"), BOOK)
    assert [s.id for s in instance.students] == ["S1", "S2", "S3"]
    assert instance.student_by_id["S2"].language == "kk" and instance.student_by_id["S3"].language == "ru"
    ict = instance.discipline_by_id["ICT"]
    assert ict.students == ("S1", "S2") and ict.name.startswith("Information")
    assert ict.rules.kinds == (L, P, B) and ict.rules.rule(B).lessons == 2
    assert instance.discipline_by_id["PE"].rules.kinds == (P,)


def test_enrollment_round_trip_csv_and_excel(tmp_path: Path) -> None:
    instance = read_enrollments(write(tmp_path / "e.csv", HEADER + "\n".join(ROWS) + "\n"), BOOK)
    for name in ("again.csv", "again.xlsx"):
        write_enrollments(instance, tmp_path / name)
        back = read_enrollments(tmp_path / name, BOOK, name=instance.name)
        assert back == instance


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("S9,6B06101,1,kk,G,,", "row 2: missing discipline"),
        ("S9,6B06101,x,kk,G,ICT,", "row 2: year 'x' is not a whole number"),
        ("S9,6B06101,9,kk,G,ICT,", "row 2: year 9 is out of range"),
        ("S9,6B06101,1,de,G,ICT,", "row 2: language 'de' is not one of kk, ru, en"),
    ],
)
def test_bad_enrollment_rows_are_named(tmp_path: Path, row: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        read_enrollments(write(tmp_path / "e.csv", HEADER + row + "\n"), BOOK)


def test_inconsistent_and_repeated_rows_list_every_error(tmp_path: Path) -> None:
    rows = [
        *ROWS,
        "S1,6B06102,1,kk,CS-25-1k,MATH,",  # another programme for S1
        "S2,6B06101,1,kk,CS-25-1k,ICT,Information and Communication Technologies",  # registered twice
        "S3,6B06101,1,ru,CS-25-2r,ICT,Informatics",  # another name for ICT
        "S4,6B06101,1,ru,,,",
    ]
    with pytest.raises(FormatError) as caught:
        read_enrollments(write(tmp_path / "e.csv", HEADER + "\n".join(rows) + "\n"), BOOK)
    text = str(caught.value)
    assert "4 bad row(s)" in text
    assert "row 6: student S1 has programme '6B06102' here but '6B06101' on row 2" in text
    assert "row 7: student S2 is registered for ICT again (first on row 4)" in text
    assert "row 8: discipline ICT is named 'Informatics' here but" in text
    assert "row 9: missing discipline" in text


def test_enrollment_file_problems(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="missing column\\(s\\) language"):
        read_enrollments(write(tmp_path / "e.csv", "student,programme,year,discipline\nS1,P,1,X\n"), BOOK)
    with pytest.raises(FormatError, match="no registrations"):
        read_enrollments(write(tmp_path / "e.csv", HEADER), BOOK)
    with pytest.raises(FormatError, match="empty enrollments file"):
        read_enrollments(write(tmp_path / "e.csv", ""), BOOK)
    with pytest.raises(FormatError, match="does not exist"):
        read_enrollments(tmp_path / "missing.csv", BOOK)
    with pytest.raises(FormatError, match=r"unknown enrollments file type '\.txt'"):
        read_enrollments(write(tmp_path / "e.txt", HEADER), BOOK)
    (tmp_path / "bad.csv").write_bytes(HEADER.encode() + b"S1,P,1,kk,G,\xff\xfe,\n")
    with pytest.raises(FormatError, match="not a UTF-8 text file"):
        read_enrollments(tmp_path / "bad.csv", BOOK)
    write(tmp_path / "broken.xlsx", "this is not a workbook")
    with pytest.raises(FormatError, match="cannot read the enrollments file"):
        read_enrollments(tmp_path / "broken.xlsx", BOOK)


def test_invalid_resolved_rules_name_the_discipline(tmp_path: Path) -> None:
    book = RuleBook(defaults={L: SectionRule(capacity=20), P: SectionRule(capacity=40)})
    with pytest.raises(FormatError, match="discipline 'ICT': practice capacity 40 exceeds the lecture capacity 20"):
        read_enrollments(write(tmp_path / "e.csv", HEADER + ROWS[0] + "\n"), book)


# --------------------------------------------------------------------------- rules


RULES = """discipline,kind,capacity,min_size,mix_languages,lessons,room_type
*,lecture,100,5,no,1,lecture_hall
*,practice,25,,,,
ICT,lab,12,,,2,computer_lab
PE,lecture,,,,0,
"""


def test_rules_round_trip(tmp_path: Path) -> None:
    book = read_rules(write(tmp_path / "rules.csv", RULES))
    assert book == BOOK
    for name in ("r.csv", "r.xlsx", "r.json"):
        write_rules(book, tmp_path / name)
        assert read_rules(tmp_path / name) == book


def test_bad_rule_rows(tmp_path: Path) -> None:
    text = RULES + "\n".join(
        [
            "MATH,seminar,30,,,,",
            "MATH,practice,0,,,,",
            "MATH,lecture,30,40,,,",
            "MATH,lab,10,,maybe,,",
            "ICT,lab,10,,,,",
            ",practice,30,,,,",
        ]
    )
    with pytest.raises(FormatError) as caught:
        read_rules(write(tmp_path / "rules.csv", text + "\n"))
    message = str(caught.value)
    assert "row 6: kind 'seminar' is not one of lecture, practice, lab" in message
    assert "row 7: capacity 0 is out of range (at least 1)" in message
    assert "row 8: minimum section size 40 exceeds the capacity 30" in message
    assert "row 9: mix_languages 'maybe' is not yes or no" in message
    assert "row 10: a second lab rule for ICT (first on row 4)" in message
    assert "row 11: missing discipline" in message


def test_bad_json_rules(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="invalid JSON"):
        read_rules(write(tmp_path / "r.json", "{"))
    with pytest.raises(FormatError, match="invalid rules"):
        read_rules(write(tmp_path / "r.json", '{"defaults": {"lecture": {"capacity": -1}}}'))


# --------------------------------------------------------------------------- sections, moves, rooms


def test_sections_round_trip_and_workbook(tmp_path: Path) -> None:
    instance = read_enrollments(write(tmp_path / "e.csv", HEADER + "\n".join(ROWS) + "\n"), BOOK)
    grouping = form_greedy(instance)
    paths = write_grouping(instance, grouping, tmp_path / "out")
    assert [p.name for p in paths] == ["sections.csv", "assignments.csv", "sections.xlsx"]
    back = read_grouping(tmp_path / "out")
    assert {(s.id, s.students, s.parent, s.kind) for s in back.sections} == {
        (s.id, s.students, s.parent, s.kind) for s in grouping.sections
    }
    sheets = pd.read_excel(paths[2], sheet_name=None)
    assert set(sheets) == {"Sections", "Students"}
    assert len(sheets["Students"]) == sum(len(s.students) for s in grouping.sections)
    assert not list((tmp_path / "out").glob(".*"))  # no temporary files left


def test_grouping_files_as_bytes_are_what_is_written(tmp_path: Path) -> None:
    instance = read_enrollments(write(tmp_path / "e.csv", HEADER + "\n".join(ROWS) + "\n"), BOOK)
    grouping = form_greedy(instance)
    paths = write_grouping(instance, grouping, tmp_path / "out")
    assert [p.name for p in paths] == list(GROUPING_FILES)
    for path in paths[:2]:
        assert grouping_file(instance, grouping, path.name) == path.read_bytes()
    sheets = pd.read_excel(io.BytesIO(grouping_file(instance, grouping, "sections.xlsx")), sheet_name=None)
    written = pd.read_excel(paths[2], sheet_name=None)
    assert set(sheets) == set(written) and all(sheets[name].equals(written[name]) for name in sheets)
    with pytest.raises(ValueError, match=r"unknown sections file 'moves\.csv'"):
        grouping_file(instance, grouping, "moves.csv")


def test_bad_section_files(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    write(folder / "sections.csv", "section,discipline,kind,parent\nX,M,practice,\nX,M,practice,\nY,M,talk,\n")
    write(folder / "assignments.csv", "student,discipline,kind,section\n")
    with pytest.raises(FormatError, match="row 3: section X is listed twice"):
        read_grouping(folder)
    write(folder / "sections.csv", "section,discipline,kind,parent\nX,M,practice,\n")
    write(folder / "assignments.csv", "student,discipline,kind,section\nS1,M,practice,Z\nS1,N,practice,X\n")
    with pytest.raises(FormatError) as caught:
        read_grouping(folder)
    assert "row 2: unknown section 'Z'" in str(caught.value)
    assert "row 3: section X is a practice section of M" in str(caught.value)
    with pytest.raises(FormatError, match="sections folder does not exist"):
        read_grouping(tmp_path / "nowhere")


def test_moves_and_rooms(tmp_path: Path) -> None:
    write_moves([Move("S1", "M", P, "M.P1", "M.P2")], tmp_path / "moves.csv")
    assert (tmp_path / "moves.csv").read_text().splitlines() == [
        "student,discipline,kind,from,to",
        "S1,M,practice,M.P1,M.P2",
    ]
    rooms = (Room(id="A-101", capacity=30, type="classroom"), Room(id="LH-1", capacity=150, type="lecture_hall"))
    write_rooms(rooms, tmp_path / "rooms.csv")
    assert read_rooms(tmp_path / "rooms.csv") == rooms
    write(tmp_path / "bad.csv", "room,capacity\nA,10\nA,12\nB,many\n")
    with pytest.raises(FormatError) as caught:
        read_rooms(tmp_path / "bad.csv")
    assert "row 3: room A is listed twice" in str(caught.value) and "row 4: capacity 'many'" in str(caught.value)
