"""models.grade_sheet: ratings from the current and midterm marks, admission, the row's result, mark checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.grade_sheet import Marks, check_mark, row_result
from models.grading import GradingPolicy, Outcome

POLICY = GradingPolicy()


def test_ratings_are_exact_averages() -> None:
    result = row_result(POLICY, Marks(current1=49.99, midterm1=50, current2=80, midterm2=81))
    assert (result.rk1, result.rk2) == (49.995, 80.5)
    assert result.admitted is False  # 49.995 < 50
    assert result.final is not None and result.final.outcome is Outcome.NOT_ADMITTED and result.final.letter == "F"


@pytest.mark.parametrize(
    ("marks", "admitted", "graded"),
    [
        (Marks(), None, False),
        (Marks(current1=90, midterm1=90), None, False),
        (Marks(current1=40, midterm1=59.99), False, False),  # one rating below: not admitted, no letter yet
        (Marks(current1=90, midterm1=90, current2=50, midterm2=50), True, False),
        (Marks(current1=90, midterm1=90, current2=50, midterm2=49.98), False, True),
        (Marks(current1=90, midterm1=90, current2=50, midterm2=50, exam=70), True, True),
    ],
)
def test_admission_states(marks: Marks, admitted: bool | None, graded: bool) -> None:
    result = row_result(POLICY, marks)
    assert result.admitted is admitted and (result.final is not None) is graded


def test_final_result_by_hand() -> None:
    # RK1 = (80 + 91.5) / 2 = 85.75, RK2 = 80, R = 82.875, final = 0.6 x 82.875 + 0.4 x 90 = 85.725 -> 86 B+
    result = row_result(POLICY, Marks(current1=80, midterm1=91.5, current2=70, midterm2=90, exam=90))
    assert result.admission_rating == 82.875
    assert result.final is not None
    assert (result.final.final_percent, result.final.final_rounded, result.final.letter) == (85.725, 86, "B+")


def test_exam_refused_without_admission() -> None:
    with pytest.raises(ValueError, match="admission is not established"):
        row_result(POLICY, Marks(current1=90, midterm1=90, exam=80))
    with pytest.raises(ValueError, match="not admitted to the exam"):
        row_result(POLICY, Marks(current1=90, midterm1=90, current2=10, midterm2=10, exam=80))


def test_policy_weights_apply() -> None:
    policy = GradingPolicy(current_weight=0.4, midterm_weight=0.6)
    assert row_result(policy, Marks(current1=50, midterm1=100)).rk1 == 80


@pytest.mark.parametrize(("value", "message"), [(100.5, "outside 0..100"), (-1, "outside"), (50.005, "2 decimals"),
                                                (float("nan"), "not a number"), (True, "not a number")])  # fmt: skip
def test_check_mark_rejects(value: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_mark(value)


def test_check_mark_accepts_two_decimals() -> None:
    assert check_mark(49.99) == 49.99 and check_mark(0) == 0 and check_mark(100) == 100


MARK = st.decimals(0, 100, places=2).map(float)


@given(c1=MARK, m1=MARK, c2=MARK, m2=MARK, exam=MARK)
def test_row_result_agrees_with_final_score(c1: float, m1: float, c2: float, m2: float, exam: float) -> None:
    rk1, rk2 = POLICY.exact_rating(c1, m1), POLICY.exact_rating(c2, m2)
    admitted = POLICY.admission(rk1, rk2).admitted
    result = row_result(
        POLICY, Marks(current1=c1, midterm1=m1, current2=c2, midterm2=m2, exam=exam if admitted else None)
    )
    expected = POLICY.final_score(rk1, rk2, exam if admitted else None)
    assert result.final == expected and result.admitted is admitted
