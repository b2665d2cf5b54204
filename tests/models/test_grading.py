"""The grading policy: band boundaries under both roundings, admission, the final formula, GPA, transfer, honours.

Hand computations (default policy: R = (RK1 + RK2) / 2, final = 0.6 R + 0.4 exam):

- RK1 80, RK2 90: R 85; exam 70: 51 + 28 = 79 -> B- (2.67).
- RK1 92.5, RK2 92.5: R 92.5; exam 97.5: 55.5 + 39 = 94.5 -> 95 (half up) A, 94 (floor) A-.
- RK1 50, RK2 50: R 50; exam 49: 30 + 19.6 = 49.6 -> 50 would be D, but the exam is below 50: FX.
- RK1 100, RK2 100; exam 49.99: 60 + 19.996 = 79.996 -> 80 would be B, exam below 50: FX.
- RK1 50, RK2 50; exam 50: 30 + 20 = 50 -> D (1.0), passed.
- RK1 60, RK2 70: R 65; exam 0: 39 -> FX (in the FX band anyway).
- GPA of (4.0, 5 credits), (0 failed, 5), (3.33, 6): (20 + 0 + 19.98) / 16 = 39.98 / 16 = 2.49875,
  displayed 2.50.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from models.grading import (
    KZ_BANDS,
    Band,
    GradingPolicy,
    HonoursRule,
    Outcome,
    PolicyError,
    RetakeStatus,
    Rounding,
    TransferThreshold,
    display_gpa,
    gpa,
)

POLICY = GradingPolicy()
FLOOR = GradingPolicy(rounding=Rounding.FLOOR)


def bands(*rows: tuple[str, int, int, float]) -> tuple[Band, ...]:
    return tuple(Band(letter=letter, min_percent=low, max_percent=high, points=pts) for letter, low, high, pts in rows)


# --- letters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "half_up", "floor"),
    [
        (100, "A", "A"),
        (99.5, "A", "A"),
        (95, "A", "A"),
        (94.99, "A", "A-"),
        (94.5, "A", "A-"),
        (94.49, "A-", "A-"),
        (94, "A-", "A-"),
        (90, "A-", "A-"),
        (89.99, "A-", "B+"),
        (89.5, "A-", "B+"),
        (89, "B+", "B+"),
        (85, "B+", "B+"),
        (84.5, "B+", "B"),
        (80, "B", "B"),
        (79, "B-", "B-"),
        (75, "B-", "B-"),
        (74, "C+", "C+"),
        (70, "C+", "C+"),
        (69, "C", "C"),
        (65, "C", "C"),
        (64, "C-", "C-"),
        (60, "C-", "C-"),
        (59, "D+", "D+"),
        (55, "D+", "D+"),
        (54, "D", "D"),
        (50, "D", "D"),
        (49.99, "D", "FX"),
        (49.5, "D", "FX"),
        (49.49, "FX", "FX"),
        (49, "FX", "FX"),
        (25, "FX", "FX"),
        (24.99, "FX", "F"),
        (24.5, "FX", "F"),
        (24.49, "F", "F"),
        (24, "F", "F"),
        (0.5, "F", "F"),
        (0, "F", "F"),
    ],
)
def test_band_boundaries_under_both_roundings(percent: float, half_up: str, floor: str) -> None:
    assert POLICY.letter(percent).letter == half_up
    assert FLOOR.letter(percent).letter == floor


def test_letter_grade_carries_points_and_rounded_percent() -> None:
    grade = POLICY.letter(94.5)
    assert (grade.letter, grade.points, grade.percent_rounded) == ("A", 4.0, 95)
    assert FLOOR.letter(94.5).percent_rounded == 94
    assert POLICY.letter(89.99).points == 3.67
    assert POLICY.letter(49.99).percent_rounded == 50
    assert FLOOR.letter(49.99).percent_rounded == 49


def test_default_scale_points() -> None:
    expected = {
        "A": 4.0,
        "A-": 3.67,
        "B+": 3.33,
        "B": 3.0,
        "B-": 2.67,
        "C+": 2.33,
        "C": 2.0,
        "C-": 1.67,
        "D+": 1.33,
        "D": 1.0,
        "FX": 0.0,
        "F": 0.0,
    }
    assert {b.letter: b.points for b in KZ_BANDS} == expected
    assert POLICY.is_failing("FX") and POLICY.is_failing("F") and not POLICY.is_failing("D")


def test_letter_accepts_decimal_fraction_and_numpy() -> None:
    assert POLICY.letter(Decimal("94.5")).letter == "A"
    assert POLICY.letter(Fraction(189, 2)).letter == "A"
    assert POLICY.letter(Decimal("94.4999")).letter == "A-"
    assert POLICY.letter(np.float64(49.99)).letter == "D" and POLICY.letter(np.int64(94)).letter == "A-"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-0.01, "percent -0.01 is outside 0..100"),
        (100.01, "percent 100.01 is outside 0..100"),
        (math.nan, "percent nan is not a finite number"),
        (math.inf, "percent inf is not a finite number"),
        (Decimal("NaN"), "percent Decimal\\('NaN'\\) is not a finite number"),
        ("50", "percent '50' is not a number"),
        (True, "percent True is not a number"),
        (None, "percent None is not a number"),
    ],
)
def test_letter_rejects_bad_percentages(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        POLICY.letter(value)  # type: ignore[arg-type]


def test_unknown_letter() -> None:
    with pytest.raises(ValueError, match="unknown letter 'E': the scale has A, A-"):
        POLICY.band("E")


# --- admission and the final score -------------------------------------------------------------


@pytest.mark.parametrize(
    ("rk1", "rk2", "admitted"),
    [(50, 50, True), (49.99, 50, False), (50, 49.99, False), (49.99, 100, False), (100, 49.5, False), (100, 100, True)],
)
def test_admission_boundaries(rk1: float, rk2: float, admitted: bool) -> None:
    assert POLICY.admission(rk1, rk2).admitted is admitted


def test_admission_rating_and_weights() -> None:
    assert POLICY.admission(80, 90).rating == 85
    weighted = GradingPolicy(rk1_weight=0.4, rk2_weight=0.6)
    assert weighted.admission(80, 90).rating == 86  # 32 + 54
    assert GradingPolicy(admission_minimum=60).admission(59.99, 90).admitted is False


@pytest.mark.parametrize(
    ("rk1", "rk2", "exam", "final", "rounded", "letter", "points", "outcome"),
    [
        (80, 90, 70, 79, 79, "B-", 2.67, Outcome.PASSED),
        (92.5, 92.5, 97.5, 94.5, 95, "A", 4.0, Outcome.PASSED),
        (50, 50, 49, 49.6, 50, "FX", 0.0, Outcome.FX_RETAKE_EXAM),
        (100, 100, 49.99, 79.996, 80, "FX", 0.0, Outcome.FX_RETAKE_EXAM),
        (50, 50, 50, 50, 50, "D", 1.0, Outcome.PASSED),
        (60, 70, 0, 39, 39, "FX", 0.0, Outcome.FX_RETAKE_EXAM),
        (100, 100, 100, 100, 100, "A", 4.0, Outcome.PASSED),
        (70, 70, 60, 66, 66, "C", 2.0, Outcome.PASSED),
    ],
)
def test_final_score_by_hand(
    rk1: float, rk2: float, exam: float, final: float, rounded: int, letter: str, points: float, outcome: Outcome
) -> None:
    result = POLICY.final_score(rk1, rk2, exam)
    assert result.admitted
    assert result.final_percent == pytest.approx(final, abs=1e-12)
    assert (result.final_rounded, result.letter, result.points, result.outcome) == (rounded, letter, points, outcome)
    assert result.passed is (outcome is Outcome.PASSED)


def test_final_score_floor_rounding() -> None:
    result = FLOOR.final_score(92.5, 92.5, 97.5)
    assert (result.final_percent, result.final_rounded, result.letter) == (94.5, 94, "A-")
    # 30 + 39.996 = 69.996: floor 69 (C), half up 70 (C+)
    assert (FLOOR.final_score(50, 50, 99.99).final_rounded, FLOOR.final_score(50, 50, 99.99).letter) == (69, "C")
    assert (POLICY.final_score(50, 50, 99.99).final_rounded, POLICY.final_score(50, 50, 99.99).letter) == (70, "C+")


def test_final_score_is_exact() -> None:
    """In floats 0.6 x 15.5 + 0.4 x 0.5 is 9.499999999999998; exactly it is 9.5, which rounds to 10."""
    assert 0.6 * 15.5 + 0.4 * 0.5 < 9.5
    lenient = GradingPolicy(admission_minimum=0, exam_pass_minimum=0)
    result = lenient.final_score(15.5, 15.5, 0.5)
    assert (result.final_percent, result.final_rounded, result.letter) == (9.5, 10, "F")
    assert result.outcome is Outcome.F_RESTUDY


def test_exam_minimum_gives_f_when_final_is_in_the_f_band() -> None:
    """With admission weight 0.3: R 50, exam 0 gives 15 -> F; exam 40 gives 15 + 28 = 43 -> FX."""
    policy = GradingPolicy(admission_weight=0.3, exam_weight=0.7)
    assert policy.final_score(50, 50, 0).outcome is Outcome.F_RESTUDY
    assert policy.final_score(50, 50, 40).outcome is Outcome.FX_RETAKE_EXAM
    assert policy.final_score(50, 50, 49.99).letter == "FX"


def test_exam_pass_minimum_is_configurable() -> None:
    assert GradingPolicy(exam_pass_minimum=0).final_score(50, 50, 49).letter == "D"  # 49.6 -> 50
    assert GradingPolicy(exam_pass_minimum=60).final_score(100, 100, 59.99).letter == "FX"


def test_not_admitted() -> None:
    result = POLICY.final_score(49.99, 100)
    assert not result.admitted and not result.passed
    assert result.admission_rating == pytest.approx(74.995)
    assert (result.final_percent, result.final_rounded, result.letter, result.points) == (None, None, "F", 0.0)
    assert result.outcome is Outcome.NOT_ADMITTED
    fx = GradingPolicy(not_admitted_letter="FX").final_score(40, 80)
    assert (fx.letter, fx.outcome) == ("FX", Outcome.NOT_ADMITTED)


def test_final_score_input_errors() -> None:
    with pytest.raises(ValueError, match="exam score 70 given for a student not admitted"):
        POLICY.final_score(49, 80, 70)
    with pytest.raises(ValueError, match="an exam score is required"):
        POLICY.final_score(50, 80)
    with pytest.raises(ValueError, match=r"RK1 101 is outside 0..100"):
        POLICY.final_score(101, 80, 70)
    with pytest.raises(ValueError, match=r"RK2 nan is not a finite number"):
        POLICY.final_score(80, math.nan, 70)
    with pytest.raises(ValueError, match=r"exam score -1 is outside 0..100"):
        POLICY.final_score(80, 80, -1)


@pytest.mark.parametrize(
    ("failures", "status"),
    [(0, RetakeStatus.CLEAR), (1, RetakeStatus.RETAKE), (2, RetakeStatus.RETAKE), (3, RetakeStatus.EXPELLED)],
)
def test_retake_status(failures: int, status: RetakeStatus) -> None:
    assert POLICY.retake_status(failures) is status


def test_retake_status_configurable_and_validated() -> None:
    assert GradingPolicy(max_retakes=1).retake_status(2) is RetakeStatus.EXPELLED
    with pytest.raises(ValueError, match="failures -1 must be a non-negative integer"):
        POLICY.retake_status(-1)


# --- GPA --------------------------------------------------------------------------------------


def test_gpa_examples() -> None:
    assert gpa([(4.0, 5), (3.0, 5)]) == 3.5
    assert gpa([(4.0, 5), (0, 5), (3.33, 6)]) == 2.49875
    assert display_gpa(2.49875) == "2.50"
    assert gpa([(2.67, 5)]) == 2.67
    assert gpa([(0, 5), (0, 3)]) == 0
    assert gpa([]) is None
    assert gpa(iter([(1.0, 6), (4.0, 3)])) == 2.0  # (6 + 12) / 9


def test_gpa_is_exact_and_unrounded() -> None:
    """(3.67 x 3 + 1.33 x 4) / 7 = (11.01 + 5.32) / 7 = 16.33 / 7 = 2.332857..."""
    value = gpa([(3.67, 3), (1.33, 4)])
    assert value == float(Fraction(1633, 700))
    assert display_gpa(value) == "2.33"
    assert gpa([(0.1, 1), (0.2, 1)]) == 0.15  # exactly (0.1 + 0.2) / 2, not 0.15000000000000002


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([(4.0, -5)], "record 1: credits -5 must be positive"),
        ([(4.0, 5), (3.0, 0)], "record 2: credits 0 must be positive"),
        ([(4.0, 5), (math.nan, 5)], "record 2: points nan is not a finite number"),
        ([(-1, 5)], "record 1: points -1 must not be negative"),
        ([(4.0, math.inf)], "record 1: credits inf is not a finite number"),
    ],
)
def test_gpa_rejects(records: list[tuple[float, float]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        gpa(records)


def test_display_gpa() -> None:
    assert display_gpa(1.795) == "1.80"
    assert display_gpa(1.794999) == "1.79"
    assert display_gpa(4) == "4.00"
    assert display_gpa(0) == "0.00"
    assert display_gpa(3.456, places=1) == "3.5"


# --- transfer and honours ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "level", "threshold"),
    [(1, "bachelor", 1.80), (2, "bachelor", 2.00), (3, "bachelor", 2.10), (4, "bachelor", 2.20), (1, "master", 2.30)],
)
def test_transfer_thresholds(year: int, level: str, threshold: float) -> None:
    assert POLICY.transfer_threshold(year, level) == threshold
    assert POLICY.may_transfer(year, threshold, level)
    assert not POLICY.may_transfer(year, threshold - 0.01, level)
    assert POLICY.may_transfer(year, 4.0, level)
    assert not POLICY.may_transfer(year, 4.0, level, academic_debt=True)


def test_transfer_compares_the_unrounded_gpa() -> None:
    assert display_gpa(1.795) == "1.80"
    assert not POLICY.may_transfer(1, 1.795)
    assert POLICY.may_transfer(1, gpa([(2.0, 4), (1.0, 1)]))  # (8 + 1) / 5 = 1.8 exactly


def test_transfer_unknown_year_and_custom_thresholds() -> None:
    with pytest.raises(ValueError, match="no transfer threshold for bachelor year 5 \\(configured: bachelor 1, "):
        POLICY.may_transfer(5, 3.0)
    old = GradingPolicy(
        transfer_thresholds=tuple(
            TransferThreshold(level="bachelor", from_year=year, min_gpa=value)
            for year, value in ((1, 1.33), (2, 1.67), (3, 2.0))
        )
    )
    assert old.may_transfer(1, 1.33) and not old.may_transfer(2, 1.66)
    with pytest.raises(ValueError, match=r"GPA -0.5 must not be negative"):
        POLICY.may_transfer(1, -0.5)


def test_honours_default_rule() -> None:
    letters = ["A", "B-", "C"]
    assert POLICY.honours(3.5, letters, retakes=0)
    assert not POLICY.honours(3.49, letters, retakes=0)
    assert not POLICY.honours(3.9, letters, retakes=1)
    assert not POLICY.honours(3.9, ["A", "FX"], retakes=0)
    assert POLICY.honours(3.5, [], retakes=0)


def test_honours_with_lowest_letter() -> None:
    strict = GradingPolicy(honours_rule=HonoursRule(lowest_letter="B-"))
    assert strict.honours(3.6, ["A", "A-", "B-"], retakes=0)
    assert not strict.honours(3.6, ["A", "A-", "C+"], retakes=0)
    lenient = GradingPolicy(honours_rule=HonoursRule(min_gpa=3.67, max_retakes=1))
    assert lenient.honours(3.67, ["A"], retakes=1) and not lenient.honours(3.66, ["A"], retakes=0)


def test_honours_rejects() -> None:
    with pytest.raises(ValueError, match="unknown letter 'E'"):
        POLICY.honours(3.9, ["A", "E"], retakes=0)
    with pytest.raises(ValueError, match="retakes -1 must be a non-negative integer"):
        POLICY.honours(3.9, ["A"], retakes=-1)


# --- invalid policies -------------------------------------------------------------------------


def replaced(letter: str, low: int, high: int, points: float | None = None) -> tuple[Band, ...]:
    """The default scale with the band of ``letter`` replaced."""
    return tuple(
        Band(letter=letter, min_percent=low, max_percent=high, points=b.points if points is None else points)
        if b.letter == letter
        else b
        for b in KZ_BANDS
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"bands": replaced("B+", 85, 88)}, r"gap between band 'A-' \(90-94\) and band 'B\+' \(85-88\): 89-89 has no"),
        ({"bands": replaced("B+", 85, 90)}, r"band 'B\+' \(85-90\) overlaps band 'A-' \(90-94\) at 90-90"),
        ({"bands": replaced("A", 95, 99)}, r"band 'A' \(95-99\): the highest band must end at 100"),
        ({"bands": replaced("F", 1, 24)}, r"band 'F' \(1-24\): the lowest band must start at 0"),
        ({"bands": replaced("C", 69, 65)}, r"band 'C' \(69-65\): minimum 69 is above maximum 65"),
        ({"bands": replaced("B", 80, 84, 3.5)}, r"band 'B' \(80-84\) earns 3.5 points, more than band 'B\+'"),
        ({"bands": KZ_BANDS[1:2] + KZ_BANDS[:1] + KZ_BANDS[2:]}, r"band 'A' \(95-100\) is listed after band 'A-'"),
        ({"bands": ()}, "the letter scale has no bands"),
        ({"bands": KZ_BANDS[:1] + KZ_BANDS}, "letter 'A' has more than one band"),
        ({"rk1_weight": 0.5, "rk2_weight": 0.6}, "rk1_weight 0.5 \\+ rk2_weight 0.6 = 1.1: the weights must sum to 1"),
        ({"admission_weight": 0.7}, "admission_weight 0.7 \\+ exam_weight 0.4 = 1.1: the weights must sum to 1"),
        ({"admission_weight": 0.5}, "admission_weight 0.5 \\+ exam_weight 0.4 = 0.9"),
        ({"retake_letter": "E"}, "retake_letter 'E' is not on the scale"),
        ({"retake_letter": "F"}, "retake_letter and restudy_letter are both 'F'"),
        ({"retake_letter": "F", "restudy_letter": "FX"}, "the two lowest bands must be the retake letter 'F' then"),
        ({"not_admitted_letter": "D"}, "not_admitted_letter 'D' must be a failing letter"),
        ({"honours_rule": HonoursRule(lowest_letter="Q")}, "honours lowest_letter 'Q' is not on the scale"),
        ({"honours_rule": HonoursRule(min_gpa=4.5)}, "honours min_gpa 4.5 is above the top points 4"),
        (
            {"transfer_thresholds": (TransferThreshold(level="master", from_year=1, min_gpa=2.3),) * 2},
            "duplicate transfer threshold for master year 1",
        ),
        (
            {"transfer_thresholds": (TransferThreshold(level="master", from_year=1, min_gpa=5),)},
            "transfer threshold for master year 1: min_gpa 5 is above the top points 4",
        ),
    ],
)
def test_invalid_policies(fields: dict[str, object], message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        GradingPolicy(**fields)  # type: ignore[arg-type]


def test_gap_message_names_the_whole_range() -> None:
    with pytest.raises(PolicyError, match=r"gap between band 'C' \(65-69\) and band 'C-' \(60-62\): 63-64 has no"):
        GradingPolicy(bands=replaced("C-", 60, 62))


@pytest.mark.parametrize(
    "fields", [{"rk1_weight": 1.5, "rk2_weight": -0.5}, {"exam_weight": math.nan}, {"admission_minimum": 101}]
)
def test_out_of_range_fields_are_validation_errors(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        GradingPolicy(**fields)  # type: ignore[arg-type]


def test_custom_scale() -> None:
    """A pass/fail-like scale: P 50-100 1 point, FX 30-49, F 0-29."""
    policy = GradingPolicy(
        bands=bands(("P", 50, 100, 1.0), ("FX", 30, 49, 0.0), ("F", 0, 29, 0.0)),
        honours_rule=HonoursRule(min_gpa=1.0),
        transfer_thresholds=(TransferThreshold(level="bachelor", from_year=1, min_gpa=0.5),),
    )
    assert policy.letter(49.5).letter == "P"
    assert policy.final_score(50, 50, 50).letter == "P"
    assert policy.final_score(50, 50, 40).letter == "FX"  # 30 + 16 = 46
    assert policy.may_transfer(1, 0.5) and policy.honours(1.0, ["P"], retakes=0)


def test_policy_is_frozen() -> None:
    with pytest.raises(ValidationError):
        POLICY.rounding = Rounding.FLOOR  # type: ignore[misc]


# --- properties -------------------------------------------------------------------------------

percents = st.one_of(
    st.integers(min_value=0, max_value=100),
    st.floats(min_value=0, max_value=100, allow_nan=False),
    st.integers(min_value=0, max_value=10000).map(lambda n: n / 100),
)
policies = st.sampled_from([POLICY, FLOOR])


@given(policies, percents, percents)
def test_points_are_monotonic_in_the_percentage(policy: GradingPolicy, a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert policy.letter(low).points <= policy.letter(high).points
    assert policy.letter(low).percent_rounded <= policy.letter(high).percent_rounded


@given(policies, percents)
def test_rounded_percent_is_within_its_band(policy: GradingPolicy, percent: float) -> None:
    grade = policy.letter(percent)
    band = policy.band(grade.letter)
    assert band.min_percent <= grade.percent_rounded <= band.max_percent
    assert abs(grade.percent_rounded - percent) <= 1


points_values = st.sampled_from([b.points for b in KZ_BANDS])
credit_values = st.one_of(st.integers(1, 15), st.sampled_from([0.5, 1.5, 2.5, 7.5]))


@given(st.lists(st.tuples(points_values, credit_values), min_size=1, max_size=40))
def test_gpa_lies_between_min_and_max_points(records: list[tuple[float, float]]) -> None:
    value = gpa(records)
    assert value is not None
    assert min(p for p, _ in records) <= value <= max(p for p, _ in records)


admitted_ratings = st.one_of(st.integers(50, 100), st.integers(5000, 10000).map(lambda n: n / 100))


@given(policies, admitted_ratings, admitted_ratings, percents)
def test_final_percent_lies_between_rating_and_exam(policy: GradingPolicy, rk1: float, rk2: float, exam: float) -> None:
    result = policy.final_score(rk1, rk2, exam)
    assert result.admitted and result.final_percent is not None
    low, high = sorted((result.admission_rating, exam))
    assert low <= result.final_percent <= high
    if exam < 50:
        assert not result.passed
    assert result.passed is (result.points > 0)


def test_rating_from_current_and_midterm_marks() -> None:
    policy = GradingPolicy()
    assert policy.rating(49.99, 50) == 49.995 and not policy.admits(policy.rating(49.99, 50))
    assert policy.admits(50) and not policy.admits(49.99)
    assert GradingPolicy(current_weight=0.3, midterm_weight=0.7).rating(100, 0) == 30
    with pytest.raises(PolicyError, match=r"current_weight 0.3 \+ midterm_weight 0.6"):
        GradingPolicy(current_weight=0.3, midterm_weight=0.6)
    with pytest.raises(ValueError, match=r"current-control mark 101 is outside 0\.\.100"):
        policy.rating(101, 50)


def test_unknown_policy_fields_are_rejected() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        GradingPolicy.model_validate({"max_retake": 3})
