"""Grades under the Kazakhstan credit system: letters, the final score, GPA, transfer and honours.

Every number is configuration in a :class:`GradingPolicy`; ``GradingPolicy()`` gives the defaults of
``shared/notes/kz-registrar-rules.md``:

- a midterm rating is built from the current-control mark and the midterm-control mark of its half
  of the period: ``RK = (TC + MC) / 2`` (:meth:`GradingPolicy.rating`);
- a discipline's final percent is ``0.6 x R + 0.4 x exam`` where the admission rating
  ``R = (RK1 + RK2) / 2`` averages the two midterm ratings;
- a student is admitted to the exam with each midterm rating at least 50;
- the final percent is rounded half up to an integer and looked up in the letter scale
  (A 95-100 4.0 ... D 50-54 1.0, FX 25-49 0, F 0-24 0);
- an exam below 50 fails the discipline whatever the final percent: FX (retake of the exam
  without re-studying) if the final percent is in a passing band or in FX, F (study the discipline
  again) if it is in F;
- a student not admitted to the exam gets F (study again);
- at most 2 retakes: the third failure of a discipline means expulsion for academic failure;
- GPA is credit-weighted, failed disciplines counting 0 points;
- transfer to the next year needs the year's transfer GPA; honours need GPA 3.5 and no retakes.

Units: percentages and scores are 0-100, points are grade points (0-4 on the default scale),
credits any positive unit (KZ credits or ECTS, as long as one GPA uses one unit).

Exactness: scores, weights, points and credits are read as the decimal they print as (``repr`` of a
float, so ``49.99`` is exactly 49.99) and computed with fractions, so boundaries do not depend on
binary floating error (in floats ``0.6 x 15.5 + 0.4 x 0.5`` is 9.499999999999998, not 9.5). Results
are returned as floats of the exact value. Thresholds (admission minimum, exam minimum, transfer
GPA, honours GPA) compare the unrounded value: a rating of 49.99 is not admitted and a GPA of 1.795
(displayed as 1.80) does not reach 1.80. Only the letter lookup rounds.

An invalid policy raises :class:`PolicyError` naming the offending band, weight or letter; invalid
input to a rule (a score outside 0..100, NaN, non-positive credits) raises ``ValueError`` naming the
value.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Real = int | float | Decimal | Fraction
"""A score, weight, points or credits value (any ``numbers.Real`` or ``Decimal`` works); ``bool`` is rejected."""

Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Weight = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Points = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class PolicyError(Exception):
    """A grading policy is inconsistent; the message names the band, weight or letter.

    Deliberately not a ``ValueError``: pydantic would wrap it into a ``ValidationError``.
    """


class Rounding(StrEnum):
    """How a fractional final percent becomes the integer looked up in the letter scale."""

    HALF_UP = "half_up"
    """To the nearest integer, halves up: 94.5 -> 95, 49.99 -> 50, 24.49 -> 24."""
    FLOOR = "floor"
    """Down to the integer: 94.99 -> 94, 49.99 -> 49."""


class Outcome(StrEnum):
    """What a discipline's final result means for the student."""

    PASSED = "passed"
    FX_RETAKE_EXAM = "fx_retake_exam"
    """Failed with FX: retake the exam without studying the discipline again."""
    F_RESTUDY = "f_restudy"
    """Failed with F: study the discipline again."""
    NOT_ADMITTED = "not_admitted"
    """A midterm rating below the admission minimum: no exam, the not-admitted letter (F: study again)."""


class RetakeStatus(StrEnum):
    """Where a student stands with a discipline after a number of failures."""

    CLEAR = "clear"
    """No failure."""
    RETAKE = "retake"
    """Failed, with a retake left."""
    EXPELLED = "expelled_academic_failure"
    """Failed more often than the retakes allow: expulsion for academic failure."""


class Band(BaseModel):
    """A letter grade: integer percentages ``min_percent``..``max_percent`` (both included) earn ``points``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    letter: str = Field(min_length=1)
    min_percent: int = Field(ge=0, le=100)
    max_percent: int = Field(ge=0, le=100)
    points: Points

    def describe(self) -> str:
        return f"band {self.letter!r} ({self.min_percent}-{self.max_percent})"


KZ_BANDS: tuple[Band, ...] = tuple(
    Band(letter=letter, min_percent=low, max_percent=high, points=points)
    for letter, low, high, points in (
        ("A", 95, 100, 4.0),
        ("A-", 90, 94, 3.67),
        ("B+", 85, 89, 3.33),
        ("B", 80, 84, 3.0),
        ("B-", 75, 79, 2.67),
        ("C+", 70, 74, 2.33),
        ("C", 65, 69, 2.0),
        ("C-", 60, 64, 1.67),
        ("D+", 55, 59, 1.33),
        ("D", 50, 54, 1.0),
        ("FX", 25, 49, 0.0),
        ("F", 0, 24, 0.0),
    )
)
"""The letter scale of the Kazakhstan credit system, from the highest band down."""


class TransferThreshold(BaseModel):
    """The GPA a student of ``level`` needs to move from year ``from_year`` to the next."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    level: str = Field(min_length=1)
    """Level of study: ``"bachelor"``, ``"master"``, ..."""
    from_year: int = Field(ge=1)
    """The year of study being completed (1 for the transfer 1 -> 2)."""
    min_gpa: Points


KZ_TRANSFER_THRESHOLDS: tuple[TransferThreshold, ...] = (
    TransferThreshold(level="bachelor", from_year=1, min_gpa=1.80),
    TransferThreshold(level="bachelor", from_year=2, min_gpa=2.00),
    TransferThreshold(level="bachelor", from_year=3, min_gpa=2.10),
    TransferThreshold(level="bachelor", from_year=4, min_gpa=2.20),
    TransferThreshold(level="master", from_year=1, min_gpa=2.30),
)
"""An example policy's transfer GPAs (older policies used 1.33 / 1.67 / 2.0)."""


class HonoursRule(BaseModel):
    """A diploma with honours: GPA at least ``min_gpa``, at most ``max_retakes`` retakes, optionally a lowest letter.

    Any failing letter (FX, F) among the final letters also excludes honours.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_gpa: Points = 3.5
    max_retakes: int = Field(default=0, ge=0)
    """Retakes allowed over the whole study (0: none)."""
    lowest_letter: str | None = None
    """If set, no final letter may be below this one (some policies: ``"B-"``)."""


class LetterGrade(BaseModel):
    """The letter of a percentage: ``percent_rounded`` is the integer looked up in the scale."""

    model_config = ConfigDict(frozen=True)

    letter: str
    points: float
    percent_rounded: int


class Admission(BaseModel):
    """Admission to the exam: the admission rating R and whether each midterm rating reached the minimum."""

    model_config = ConfigDict(frozen=True)

    admitted: bool
    rating: float
    """R, the weighted average of RK1 and RK2 (percent, unrounded)."""


class FinalResult(BaseModel):
    """A discipline's result from the midterm ratings and the exam.

    ``final_percent`` is unrounded and ``final_rounded`` is the integer looked up in the scale; both
    are ``None`` for a student not admitted to the exam. ``letter`` may differ from the scale's letter
    of ``final_rounded`` when the exam is below the exam minimum (then FX or F).
    """

    model_config = ConfigDict(frozen=True)

    admitted: bool
    admission_rating: float
    final_percent: float | None
    final_rounded: int | None
    letter: str
    points: float
    passed: bool
    outcome: Outcome


class GradingPolicy(BaseModel):
    """A university's grading rules; the defaults are the Kazakhstan credit system. Validated on construction.

    ``bands`` are listed from the highest down, cover the integers 0-100 without gap or overlap, and
    their points do not increase down the list. The two lowest bands are the failing ones: the retake
    letter (FX) then the restudy letter (F). Each pair of weights sums to 1. Unknown fields are
    rejected (a misspelt setting must not be silently ignored).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    bands: tuple[Band, ...] = KZ_BANDS
    rounding: Rounding = Rounding.HALF_UP
    """Rounding of a fractional percent before the band lookup (half up: 94.5 -> A; floor: 94.5 -> A-)."""
    current_weight: Weight = 0.5
    """Weight of the current-control mark TC in a midterm rating RK."""
    midterm_weight: Weight = 0.5
    """Weight of the midterm-control mark MC in RK; ``current_weight + midterm_weight = 1``."""
    rk1_weight: Weight = 0.5
    """Weight of the first midterm rating RK1 in the admission rating R."""
    rk2_weight: Weight = 0.5
    """Weight of the second midterm rating RK2 in R; ``rk1_weight + rk2_weight = 1``."""
    admission_weight: Weight = 0.6
    """Weight of R in the final percent."""
    exam_weight: Weight = 0.4
    """Weight of the exam in the final percent; ``admission_weight + exam_weight = 1``."""
    admission_minimum: Percent = 50
    """Each midterm rating (RK1 and RK2, unrounded) must be at least this for admission to the exam."""
    exam_pass_minimum: Percent = 50
    """An exam (unrounded) below this fails the discipline: FX, or F if the final percent is in the F band."""
    retake_letter: str = "FX"
    """The failing letter that allows a retake of the exam without re-studying."""
    restudy_letter: str = "F"
    """The failing letter that requires studying the discipline again."""
    not_admitted_letter: str = "F"
    """The letter of a student not admitted to the exam (one of the two failing letters)."""
    max_retakes: int = Field(default=2, ge=0)
    """Retakes allowed per discipline; one failure more means expulsion for academic failure."""
    transfer_thresholds: tuple[TransferThreshold, ...] = KZ_TRANSFER_THRESHOLDS
    honours_rule: HonoursRule = HonoursRule()

    # --- letters ------------------------------------------------------------------------------

    def round_percent(self, percent: Real) -> int:
        """``percent`` (0-100) rounded to the integer looked up in the scale, by :attr:`rounding`."""
        value = _percent(percent, "percent")
        if self.rounding is Rounding.FLOOR:
            return math.floor(value)
        return math.floor(value + Fraction(1, 2))

    def letter(self, percent: Real) -> LetterGrade:
        """The letter grade of ``percent`` (0-100) by the scale alone, after rounding.

        No exam minimum applies here: see :meth:`final_score` for a discipline's result.
        """
        rounded = self.round_percent(percent)
        band = next(b for b in self.bands if b.min_percent <= rounded <= b.max_percent)
        return LetterGrade(letter=band.letter, points=band.points, percent_rounded=rounded)

    def band(self, letter: str) -> Band:
        """The band of ``letter``; ``ValueError`` for a letter not on the scale."""
        for band in self.bands:
            if band.letter == letter:
                return band
        raise ValueError(f"unknown letter {letter!r}: the scale has {', '.join(b.letter for b in self.bands)}")

    def is_failing(self, letter: str) -> bool:
        """Whether ``letter`` (on the scale) fails the discipline: the retake or the restudy letter."""
        self.band(letter)
        return letter in (self.retake_letter, self.restudy_letter)

    # --- a discipline's result ----------------------------------------------------------------

    def rating(self, current: Real, midterm: Real) -> float:
        """A midterm rating RK (0-100, unrounded) from the current-control mark TC and the midterm-control
        mark MC of its half of the period: ``current_weight x TC + midterm_weight x MC``.

        The value is exact: (49.99 + 50) / 2 is 49.995, which :meth:`admission` does not admit.
        ``ValueError`` for a mark outside 0..100 or NaN.
        """
        return float(self.exact_rating(current, midterm))

    def exact_rating(self, current: Real, midterm: Real) -> Fraction:
        """:meth:`rating` as an exact fraction (pass it on to :meth:`final_score` to keep exactness)."""
        tc, mc = _percent(current, "current-control mark"), _percent(midterm, "midterm-control mark")
        return _exact(self.current_weight, "current_weight") * tc + _exact(self.midterm_weight, "midterm_weight") * mc

    def admits(self, rating: Real) -> bool:
        """Whether one midterm rating (0-100, unrounded) reaches :attr:`admission_minimum` (49.99 does not reach 50)."""
        return _percent(rating, "rating") >= _exact(self.admission_minimum, "admission_minimum")

    def admission(self, rk1: Real, rk2: Real) -> Admission:
        """Admission to the exam from the midterm ratings RK1 and RK2 (each 0-100).

        Admitted when each rating, unrounded, is at least :attr:`admission_minimum` (49.99 is not 50).
        """
        admitted, rating = self._admission(rk1, rk2)
        return Admission(admitted=admitted, rating=float(rating))

    def _admission(self, rk1: Real, rk2: Real) -> tuple[bool, Fraction]:
        """Admission and the exact admission rating R."""
        first, second = _percent(rk1, "RK1"), _percent(rk2, "RK2")
        rating = _exact(self.rk1_weight, "rk1_weight") * first + _exact(self.rk2_weight, "rk2_weight") * second
        minimum = _exact(self.admission_minimum, "admission_minimum")
        return first >= minimum and second >= minimum, rating

    def final_score(self, rk1: Real, rk2: Real, exam: Real | None = None) -> FinalResult:
        """The result of a discipline from RK1, RK2 and the exam score (each 0-100).

        - Not admitted (a rating below the admission minimum): ``exam`` must be ``None``; the letter is
          :attr:`not_admitted_letter`, outcome ``not_admitted``, no final percent.
        - Admitted: ``exam`` is required; final = admission_weight x R + exam_weight x exam, rounded
          and looked up in the scale. An exam below :attr:`exam_pass_minimum` turns a passing letter into
          the retake letter (FX); a final percent in a failing band keeps its letter (FX or F).
          With the default weights an admitted student's final is at least 30, so never F.
        - Outcome: ``passed``, ``fx_retake_exam`` (retake letter) or ``f_restudy`` (restudy letter).

        Raises ``ValueError`` for a score outside 0..100 or NaN, an exam score for a student not
        admitted, or a missing exam score for an admitted student.
        """
        admitted, rating = self._admission(rk1, rk2)
        if not admitted:
            if exam is not None:
                raise ValueError(
                    f"exam score {exam!r} given for a student not admitted to the exam "
                    f"(RK1 {rk1!r}, RK2 {rk2!r}, minimum {self.admission_minimum:g} each)"
                )
            band = self.band(self.not_admitted_letter)
            return FinalResult(
                admitted=False,
                admission_rating=float(rating),
                final_percent=None,
                final_rounded=None,
                letter=band.letter,
                points=band.points,
                passed=False,
                outcome=Outcome.NOT_ADMITTED,
            )
        if exam is None:
            raise ValueError(f"an exam score is required: the student is admitted (RK1 {rk1!r}, RK2 {rk2!r})")
        exam_value = _percent(exam, "exam score")
        final = _exact(self.admission_weight, "admission_weight") * rating + (
            _exact(self.exam_weight, "exam_weight") * exam_value
        )
        grade = self.letter(final)
        letter = grade.letter
        if exam_value < _exact(self.exam_pass_minimum, "exam_pass_minimum") and not self.is_failing(letter):
            letter = self.retake_letter
        band = self.band(letter)
        if letter == self.retake_letter:
            outcome = Outcome.FX_RETAKE_EXAM
        elif letter == self.restudy_letter:
            outcome = Outcome.F_RESTUDY
        else:
            outcome = Outcome.PASSED
        return FinalResult(
            admitted=True,
            admission_rating=float(rating),
            final_percent=float(final),
            final_rounded=grade.percent_rounded,
            letter=letter,
            points=band.points,
            passed=outcome is Outcome.PASSED,
            outcome=outcome,
        )

    def retake_status(self, failures: int) -> RetakeStatus:
        """Where a student stands with a discipline failed ``failures`` times (FX, F or not admitted).

        0: clear; 1 to :attr:`max_retakes`: a retake is allowed (the last outcome says whether of the
        exam or of the whole discipline); more: expulsion for academic failure (with the default 2,
        the third failure).
        """
        if isinstance(failures, bool) or not isinstance(failures, int) or failures < 0:
            raise ValueError(f"failures {failures!r} must be a non-negative integer")
        if failures == 0:
            return RetakeStatus.CLEAR
        return RetakeStatus.RETAKE if failures <= self.max_retakes else RetakeStatus.EXPELLED

    # --- transfer and honours -----------------------------------------------------------------

    def transfer_threshold(self, year: int, level: str = "bachelor") -> float:
        """The GPA needed to move from year ``year`` of ``level`` to the next; ``ValueError`` if not configured."""
        for threshold in self.transfer_thresholds:
            if threshold.level == level and threshold.from_year == year:
                return threshold.min_gpa
        known = ", ".join(f"{t.level} {t.from_year}" for t in self.transfer_thresholds)
        raise ValueError(f"no transfer threshold for {level} year {year!r} (configured: {known})")

    def may_transfer(self, year: int, gpa: Real, level: str = "bachelor", *, academic_debt: bool = False) -> bool:
        """Whether a student finishing year ``year`` of ``level`` with ``gpa`` may move to the next year.

        The unrounded GPA must reach the year's threshold (1.795 does not reach 1.80) and no academic
        debt may remain (a debt not cleared by the deadline blocks the transfer whatever the GPA).
        """
        value = _points(gpa, "GPA")
        return not academic_debt and value >= _exact(self.transfer_threshold(year, level), "transfer GPA")

    def honours(self, gpa: Real, letters: Iterable[str], retakes: int) -> bool:
        """Whether a graduate with ``gpa``, final ``letters`` and ``retakes`` (over the study) earns honours.

        See :class:`HonoursRule`. ``ValueError`` for an unknown letter or a negative retake count.
        """
        rule = self.honours_rule
        value = _points(gpa, "GPA")
        if isinstance(retakes, bool) or not isinstance(retakes, int) or retakes < 0:
            raise ValueError(f"retakes {retakes!r} must be a non-negative integer")
        order = [b.letter for b in self.bands]
        lowest = len(order) - 1 if rule.lowest_letter is None else order.index(rule.lowest_letter)
        letters_ok = True
        for letter in letters:
            self.band(letter)
            if self.is_failing(letter) or order.index(letter) > lowest:
                letters_ok = False
        return letters_ok and retakes <= rule.max_retakes and value >= _exact(rule.min_gpa, "honours GPA")

    # --- validation ---------------------------------------------------------------------------

    @model_validator(mode="after")
    def _check(self) -> Self:
        self._check_bands()
        _check_sum("current_weight", self.current_weight, "midterm_weight", self.midterm_weight)
        _check_sum("rk1_weight", self.rk1_weight, "rk2_weight", self.rk2_weight)
        _check_sum("admission_weight", self.admission_weight, "exam_weight", self.exam_weight)
        letters = [b.letter for b in self.bands]
        for name in ("retake_letter", "restudy_letter", "not_admitted_letter"):
            letter = getattr(self, name)
            if letter not in letters:
                raise PolicyError(f"{name} {letter!r} is not on the scale ({', '.join(letters)})")
        if self.retake_letter == self.restudy_letter:
            raise PolicyError(f"retake_letter and restudy_letter are both {self.retake_letter!r}")
        if len(letters) < 3 or letters[-2:] != [self.retake_letter, self.restudy_letter]:
            raise PolicyError(
                f"the two lowest bands must be the retake letter {self.retake_letter!r} then the restudy letter "
                f"{self.restudy_letter!r}, with a passing band above them; the scale ends with "
                f"{', '.join(letters[-2:])}"
            )
        if self.not_admitted_letter not in (self.retake_letter, self.restudy_letter):
            raise PolicyError(f"not_admitted_letter {self.not_admitted_letter!r} must be a failing letter")
        top = self.bands[0].points
        rule = self.honours_rule
        if rule.lowest_letter is not None and rule.lowest_letter not in letters:
            raise PolicyError(
                f"honours lowest_letter {rule.lowest_letter!r} is not on the scale ({', '.join(letters)})"
            )
        if rule.min_gpa > top:
            raise PolicyError(f"honours min_gpa {rule.min_gpa:g} is above the top points {top:g}")
        repeated = [
            key for key, n in Counter((t.level, t.from_year) for t in self.transfer_thresholds).items() if n > 1
        ]
        if repeated:
            raise PolicyError(f"duplicate transfer threshold for {repeated[0][0]} year {repeated[0][1]}")
        for threshold in self.transfer_thresholds:
            if threshold.min_gpa > top:
                raise PolicyError(
                    f"transfer threshold for {threshold.level} year {threshold.from_year}: min_gpa "
                    f"{threshold.min_gpa:g} is above the top points {top:g}"
                )
        return self

    def _check_bands(self) -> None:
        if not self.bands:
            raise PolicyError("the letter scale has no bands")
        for band in self.bands:
            if band.min_percent > band.max_percent:
                raise PolicyError(f"{band.describe()}: minimum {band.min_percent} is above maximum {band.max_percent}")
        repeated = [letter for letter, n in Counter(b.letter for b in self.bands).items() if n > 1]
        if repeated:
            raise PolicyError(f"letter {repeated[0]!r} has more than one band")
        pairs = list(zip(self.bands, self.bands[1:], strict=False))
        for higher, lower in pairs:
            if lower.min_percent >= higher.min_percent:
                raise PolicyError(
                    f"{lower.describe()} is listed after {higher.describe()} but is not below it: "
                    "list the bands from 100 down to 0"
                )
        first, last = self.bands[0], self.bands[-1]
        if first.max_percent != 100:
            raise PolicyError(f"{first.describe()}: the highest band must end at 100")
        for higher, lower in pairs:
            if lower.max_percent >= higher.min_percent:
                raise PolicyError(
                    f"{lower.describe()} overlaps {higher.describe()} at {higher.min_percent}-{lower.max_percent}"
                )
            if lower.max_percent < higher.min_percent - 1:
                raise PolicyError(
                    f"gap between {higher.describe()} and {lower.describe()}: "
                    f"{lower.max_percent + 1}-{higher.min_percent - 1} has no letter"
                )
            if lower.points > higher.points:
                raise PolicyError(
                    f"{lower.describe()} earns {lower.points:g} points, more than {higher.describe()} "
                    f"with {higher.points:g}: points must not increase down the scale"
                )
        if last.min_percent != 0:
            raise PolicyError(f"{last.describe()}: the lowest band must start at 0")


# --- GPA -------------------------------------------------------------------------------------


def gpa(records: Iterable[tuple[Real, Real]]) -> float | None:
    """The credit-weighted grade point average of ``(points, credits)`` records; ``None`` for no records.

    GPA = sum(points x credits) / sum(credits). A failed discipline is a record with 0 points: it
    lowers the GPA. The value is exact (not rounded): round only for display with :func:`display_gpa`.
    Raises ``ValueError`` naming the record for negative or non-finite points and for credits that
    are not positive.
    """
    weighted = Fraction(0)
    credits_total = Fraction(0)
    for index, record in enumerate(records, start=1):
        points, credits = record
        value = _points(points, f"record {index}: points")
        weight = _exact(credits, f"record {index}: credits")
        if weight <= 0:
            raise ValueError(f"record {index}: credits {credits!r} must be positive")
        weighted += value * weight
        credits_total += weight
    if not credits_total:
        return None
    return float(weighted / credits_total)


def display_gpa(value: Real, places: int = 2) -> str:
    """``value`` rounded half up to ``places`` decimals for display (1.795 -> ``"1.80"``, 2.49875 -> ``"2.50"``)."""
    exact = _exact(value, "GPA")
    if exact < 0:
        raise ValueError(f"GPA {value!r} must not be negative")
    if isinstance(places, bool) or not isinstance(places, int) or places < 0:
        raise ValueError(f"places {places!r} must be a non-negative integer")
    scaled = math.floor(exact * 10**places + Fraction(1, 2))
    return f"{Decimal(scaled).scaleb(-places):f}"


# --- exact input ------------------------------------------------------------------------------


def _exact(value: Real, what: str) -> Fraction:
    """``value`` as an exact fraction (a float as the decimal it prints as); ``ValueError`` naming ``what``."""
    if isinstance(value, bool) or not isinstance(value, Decimal | numbers.Real):
        raise ValueError(f"{what} {value!r} is not a number")
    if isinstance(value, Decimal | numbers.Rational):
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(f"{what} {value!r} is not a finite number")
        return Fraction(value)
    number = float(value)  # float and other reals (numpy floats)
    if not math.isfinite(number):
        raise ValueError(f"{what} {value!r} is not a finite number")
    return Fraction(repr(number))


def _percent(value: Real, what: str) -> Fraction:
    exact = _exact(value, what)
    if not 0 <= exact <= 100:
        raise ValueError(f"{what} {value!r} is outside 0..100")
    return exact


def _points(value: Real, what: str) -> Fraction:
    exact = _exact(value, what)
    if exact < 0:
        raise ValueError(f"{what} {value!r} must not be negative")
    return exact


def _check_sum(first_name: str, first: float, second_name: str, second: float) -> None:
    total = _exact(first, first_name) + _exact(second, second_name)
    if total != 1:
        raise PolicyError(
            f"{first_name} {first:g} + {second_name} {second:g} = {float(total):g}: the weights must sum to 1"
        )
