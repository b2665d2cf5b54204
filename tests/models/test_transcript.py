"""Transcripts: the latest attempt counts, retakes, GPA per semester and cumulative, ECTS, honours, ranking.

Hand computation: semester 1: PRG 5 credits A (4.0), MAT 5 credits FX then retaken C+ (2.33); semester 2:
HIS 6 credits B- (2.67), PHY 4 credits F (0, academic debt). Semester 1 GPA (20 + 11.65) / 10 = 3.165;
semester 2 (16.02 + 0) / 10 = 1.602; cumulative (20 + 11.65 + 16.02 + 0) / 20 = 2.3835; earned 16 credits.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.grading import HonoursRule
from models.transcript import AcademicRecord, ResultLine, StudentInfo, build_transcript, honours, rank

STUDENT = StudentInfo(student_id=1, iin="070312500018", last_name="Nurlanov", first_name="Arman",
                      birth_date=dt.date(2007, 3, 12), programme_code="6B06101", programme_en="Computer Science",
                      admission_year=2025)  # fmt: skip


def line(semester: int, code: str, credits: float, letter: str | None, attempt: int = 1, **extra: object) -> ResultLine:
    return ResultLine(
        semester=semester, code=code, name_en=code.title(), credits=credits, letter=letter, attempt=attempt, **extra
    )  # type: ignore[arg-type]


RECORD = AcademicRecord(student=STUDENT, lines=(
    line(1, "PRG", 5, "A", percent=96),
    line(1, "MAT", 5, "FX", percent=45),
    line(1, "MAT", 5, "C+", attempt=2, percent=72),
    line(2, "HIS", 6, "B-", percent=77),
    line(2, "PHY", 4, "F", percent=20),
    line(3, "NET", 5, None),
))  # fmt: skip


def test_latest_attempt_counts_and_gpa_is_credit_weighted() -> None:
    transcript = build_transcript(RECORD)
    assert [(t.code, t.letter, t.attempts) for t in transcript.lines] == [
        ("MAT", "C+", 2), ("PRG", "A", 1), ("HIS", "B-", 1), ("PHY", "F", 1)]  # fmt: skip
    assert [s.gpa for s in transcript.semesters] == [pytest.approx(3.165), pytest.approx(1.602)]
    assert transcript.gpa == pytest.approx(2.3835)
    assert (transcript.attempted_credits, transcript.earned_credits, transcript.retakes, transcript.failed) == (
        20, 16, 1, 1)  # fmt: skip
    assert "NET" not in {t.code for t in transcript.lines}  # in progress


def test_ects_conversion_of_old_kz_credits() -> None:
    transcript = build_transcript(RECORD, ects_per_credit=1.5)
    assert transcript.lines[1].ects == 7.5 and transcript.earned_ects == 24
    with pytest.raises(ValueError, match="ects_per_credit"):
        build_transcript(RECORD, ects_per_credit=0)


def test_unknown_letter_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown letter 'E'"):
        build_transcript(AcademicRecord(student=STUDENT, lines=(line(1, "X", 5, "E"),)))


def test_honours_rule() -> None:
    # A x5 + A- x5: (20 + 18.35) / 10 = 3.835, lowest A-: honours.
    assert honours(build_transcript(AcademicRecord(student=STUDENT, lines=(line(1, "A1", 5, "A"),
                                                                           line(1, "A2", 5, "A-")))))  # fmt: skip
    # A x15 + C+ x5: (60 + 11.65) / 20 = 3.5825 >= 3.5, but C+ is below B-.
    low_letter = AcademicRecord(student=STUDENT, lines=(line(1, "A1", 15, "A"), line(1, "A2", 5, "C+")))
    assert not honours(build_transcript(low_letter))
    assert honours(build_transcript(low_letter), rule=HonoursRule(min_gpa=3.5))  # a policy without the letter rule
    # A retake (FX then A): GPA 4.0 but one retake.
    retaken = AcademicRecord(student=STUDENT, lines=(line(1, "A1", 5, "FX"), line(1, "A1", 5, "A", attempt=2)))
    transcript = build_transcript(retaken)
    assert transcript.gpa == 4.0 and transcript.retakes == 1 and not honours(transcript)
    assert honours(transcript, rule=HonoursRule(min_gpa=3.5, max_retakes=1))
    # A x5 + B- x5: (20 + 13.35) / 10 = 3.335 < 3.5.
    assert not honours(build_transcript(AcademicRecord(student=STUDENT, lines=(line(1, "A1", 5, "A"),
                                                                               line(1, "A2", 5, "B-")))))  # fmt: skip
    assert not honours(build_transcript(AcademicRecord(student=STUDENT)))


def test_competition_ranking() -> None:
    assert rank([(1, 3.2), (2, 3.9), (3, 3.2), (4, None), (5, 2.0)]) == {2: 1, 1: 2, 3: 2, 5: 4, 4: None}
    assert rank([]) == {}


@given(st.lists(st.one_of(st.none(), st.floats(0, 4)), max_size=30))
def test_ranks_follow_gpa(values: list[float | None]) -> None:
    ranks = rank(list(enumerate(values)))
    for i, a in enumerate(values):
        for j, b in enumerate(values):
            if a is not None and b is not None:
                ra, rb = ranks[i], ranks[j]
                assert ra is not None and rb is not None
                assert (a > b) == (ra < rb) and (a == b) == (ra == rb)
        if a is None:
            assert ranks[i] is None
