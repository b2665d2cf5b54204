"""Course registration rules: credit limits per period and the semester and year of study.

Every number is configuration in :class:`CreditLimits`; the defaults are example values (set the
university's own):

- autumn and spring: at least 15 and at most 45 credits (half and one and a half times the nominal
  30 credits of a semester);
- summer: at least 1 (one discipline) and at most 15 credits (the summer-semester rule).

Credits are whatever unit the study plans use (ECTS). A registration over the maximum is refused when
a discipline is added; one under the minimum cannot be submitted.

Semesters and years count from the admission year: a student admitted in 2025 is in year 1 in
2025/2026 (semesters 1 in autumn and 2 in spring) and in year 2 in 2026/2027. A summer period has
no semester of its own: it serves retakes and additional study.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

PeriodKind = Literal["autumn", "spring", "summer"]


class CreditLimit(BaseModel):
    """The credits a registration of one period may total: ``min_credits`` to ``max_credits``, both included."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_credits: int = Field(ge=0, le=200)
    max_credits: int = Field(ge=1, le=200)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min_credits > self.max_credits:
            raise ValueError(f"min_credits {self.min_credits} is above max_credits {self.max_credits}")
        return self


class CreditLimits(BaseModel):
    """Credit limits of a registration per kind of period (see the module doc for the defaults)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    autumn: CreditLimit = CreditLimit(min_credits=15, max_credits=45)
    spring: CreditLimit = CreditLimit(min_credits=15, max_credits=45)
    summer: CreditLimit = CreditLimit(min_credits=1, max_credits=15)

    def limit(self, kind: PeriodKind) -> CreditLimit:
        if kind not in ("autumn", "spring", "summer"):
            raise ValueError(f"unknown period kind {kind!r}")
        limit: CreditLimit = getattr(self, kind)
        return limit

    def over_maximum(self, kind: PeriodKind, total: int) -> str | None:
        """Why ``total`` credits are too many for a ``kind`` period, or ``None`` if they are not."""
        limit = self.limit(kind)
        if total > limit.max_credits:
            return f"{total} credits, above the maximum of {limit.max_credits} for {_article(kind)} {kind} period"
        return None

    def under_minimum(self, kind: PeriodKind, total: int) -> str | None:
        """Why ``total`` credits are too few to submit a ``kind`` registration, or ``None``."""
        limit = self.limit(kind)
        if total < limit.min_credits:
            return f"{total} credits, below the minimum of {limit.min_credits} for {_article(kind)} {kind} period"
        return None


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def year_of_study(admission_year: int, start_year: int) -> int:
    """The year of study in the academic year starting in ``start_year`` (1 in the admission year)."""
    return start_year - admission_year + 1


def semester_of_study(admission_year: int, start_year: int, kind: PeriodKind) -> int | None:
    """The plan semester of a period: ``2 x (year - 1) + 1`` in autumn, ``+ 2`` in spring, ``None`` in summer.

    ``ValueError`` for a period before the student's admission.
    """
    year = year_of_study(admission_year, start_year)
    if year < 1:
        raise ValueError(f"the academic year {start_year}/{start_year + 1} is before admission in {admission_year}")
    if kind == "summer":
        return None
    return 2 * (year - 1) + (1 if kind == "autumn" else 2)
