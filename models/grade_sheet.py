"""A grade-sheet row: the marks a teacher enters for one student in one discipline, and their result.

The marks (each 0-100, at most two decimals, ``None`` while not entered):

- ``current1`` and ``midterm1``: the current-control mark and the midterm-control mark of the first
  half of the period; together they make the first midterm rating RK1 (:meth:`GradingPolicy.rating`);
- ``current2`` and ``midterm2``: the same for the second half, making RK2;
- ``exam``: the final-control mark (examination, differentiated credit or course-work defence).

The result follows the :class:`~models.grading.GradingPolicy`:

- a rating is known when both of its marks are entered;
- admission is ``False`` as soon as one known rating is below the admission minimum, ``True`` when both
  ratings are known and reach it, otherwise unknown (``None``);
- the final result (letter, points, outcome) exists when both ratings are known and the student is
  not admitted (the not-admitted letter, F) or is admitted and the exam mark is entered;
- an exam mark is refused for a student whose admission is not (yet) established.

Ratings and percentages are exact fractions computed from the marks as the decimals they print as.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from pydantic import BaseModel, ConfigDict

from models.grading import FinalResult, GradingPolicy

MARK_FIELDS: tuple[str, ...] = ("current1", "midterm1", "current2", "midterm2", "exam")
CONTROL_OF_MARK: dict[str, str] = {
    "current1": "rk1",
    "midterm1": "rk1",
    "current2": "rk2",
    "midterm2": "rk2",
    "exam": "exam",
}
"""Which control's grade-entry deadline governs each mark."""
MARK_DECIMALS = 2


class Marks(BaseModel):
    """The entered marks of a row (see the module doc); ``None``: not entered."""

    model_config = ConfigDict(frozen=True)

    current1: float | None = None
    midterm1: float | None = None
    current2: float | None = None
    midterm2: float | None = None
    exam: float | None = None


class RowResult(BaseModel):
    """What the marks give: the ratings (``None`` while a mark is missing), admission and the final result."""

    model_config = ConfigDict(frozen=True)

    rk1: float | None
    rk2: float | None
    admission_rating: float | None
    """R from RK1 and RK2 (both known), unrounded."""
    admitted: bool | None
    """``None`` while not established (see the module doc)."""
    final: FinalResult | None
    """``None`` while the discipline is in progress."""


def check_mark(value: float) -> float:
    """``value`` if it is a mark: 0-100 with at most two decimals; ``ValueError`` naming the problem otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise ValueError(f"mark {value!r} is not a number")
    if not 0 <= value <= 100:
        raise ValueError(f"mark {value!r} is outside 0..100")
    exponent = Decimal(repr(float(value))).as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MARK_DECIMALS:
        raise ValueError(f"mark {value!r} has more than {MARK_DECIMALS} decimals")
    return value


def row_result(policy: GradingPolicy, marks: Marks) -> RowResult:
    """The result of ``marks`` under ``policy``.

    Raises ``ValueError`` naming the problem for an exam mark while admission is not established or
    refused, and for a mark outside 0..100.
    """
    rk1 = _rating(policy, marks.current1, marks.midterm1)
    rk2 = _rating(policy, marks.current2, marks.midterm2)
    known = [r for r in (rk1, rk2) if r is not None]
    if any(not policy.admits(r) for r in known):
        admitted: bool | None = False
    elif len(known) == 2:
        admitted = True
    else:
        admitted = None
    if marks.exam is not None and not admitted:
        reason = "not admitted to the exam" if admitted is False else "admission is not established (RK1 and RK2)"
        raise ValueError(f"an exam mark {marks.exam!r} is given but the student is {reason}")
    final = None
    rating = None
    if rk1 is not None and rk2 is not None:
        rating = policy.admission(rk1, rk2).rating
        if not admitted:
            final = policy.final_score(rk1, rk2)
        elif marks.exam is not None:
            final = policy.final_score(rk1, rk2, marks.exam)
    return RowResult(
        rk1=None if rk1 is None else float(rk1),
        rk2=None if rk2 is None else float(rk2),
        admission_rating=rating,
        admitted=admitted,
        final=final,
    )


def _rating(policy: GradingPolicy, current: float | None, midterm: float | None) -> Fraction | None:
    if current is None or midterm is None:
        return None
    return policy.exact_rating(current, midterm)
