"""Exam sessions as JSON: round trips keep everything, bad files are named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from datasets.exam_json import read_exam_json, write_exam_json
from datasets.itc2007_exam import read_exam
from datasets.text_lines import FormatError
from models.course_instance import Rule
from models.exam_instance import Exam, ExamInstance, ExamRoom, ExamRules, Period, Relation, RelationKind


def test_round_trip_keeps_groups_rules_and_unavailable_periods(tmp_path: Path) -> None:
    inst = ExamInstance(
        name="winter",
        exams=(
            Exam(id="MATH101", duration=120, students=frozenset({"s1", "s2"}), group="CS-21", unavailable={0}),
            Exam(id="PHYS101", duration=90, students=frozenset({"s2"}), examiner="t7", group="CS-21"),
        ),
        periods=tuple(Period(index=t, date=dt.date(2024, 1, 8 + t), start=dt.time(9), duration=180) for t in range(3)),
        rooms=(ExamRoom(id="A-101", capacity=40, penalty=2),),
        relations=(Relation(kind=RelationKind.AFTER, first="PHYS101", second="MATH101"),),
        exclusive=frozenset({"MATH101"}),
        rules=ExamRules(daily_exams=Rule(hard=True), max_daily_exams=1, group_free_days=Rule(weight=3)),
    )
    path = tmp_path / "winter.json"
    write_exam_json(inst, path)
    assert read_exam_json(path) == inst


def test_itc2007_set_round_trips_through_json(data_dir: Path, tmp_path: Path) -> None:
    inst = read_exam(data_dir / "itc2007-exam" / "exam_comp_set12.exam")
    write_exam_json(inst, tmp_path / "set12.json")
    assert read_exam_json(tmp_path / "set12.json") == inst


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "invalid JSON"),
        ('{"exams": [], "periods": "x"}', "invalid exam session: periods"),
        ('{"exams": [{"id": "a"}, {"id": "a"}], "periods": []}', "duplicate exam id 'a'"),
    ],
)
def test_bad_files_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(FormatError, match=message) as err:
        read_exam_json(path)
    assert str(path) in str(err.value)
