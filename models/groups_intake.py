"""First-year academic groups for an intake: the problem, the result and its scorer.

Admitted students (:class:`Applicant`) are divided into academic groups of one programme and one
language of instruction each. :class:`IntakeRules` give the largest group, the smallest group
(waived when a programme-language has fewer students than that: it forms one group) and the
attributes whose values should be spread evenly over the groups of a programme-language (e.g.
``funding``: grant / paid, ``gender``).

Scorer (:func:`score_intake`), hard rules (violation counts):

- Coverage: each applicant in exactly one group; one unit per applicant in none or several;
- Unknown: a group listing an unknown applicant (one unit each);
- Capacity / MinSize: one unit per group above the capacity / below the minimum (MinSize is waived
  for the only group of its programme-language; an empty group always counts);
- Programme / Language: one unit per group whose students are not all of the group's programme /
  language.

Objective terms: Groups; LowerBound (sum over programme-languages of ceil(students / capacity));
AboveBound (groups beyond it); Imbalance (sum over programme-languages of the largest minus the
smallest group); MaxImbalance; AttributeSpread (sum over programme-languages, balanced attributes
and their values of the largest minus the smallest count in a group); MaxAttributeSpread.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.enrollment import EnrollmentError, Language

INTAKE_HARD = ("Coverage", "Unknown", "Capacity", "MinSize", "Programme", "Language")
INTAKE_TERMS = (
    "Groups",
    "LowerBound",
    "AboveBound",
    "Imbalance",
    "MaxImbalance",
    "AttributeSpread",
    "MaxAttributeSpread",
)


class Applicant(BaseModel):
    """An admitted first-year student."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    programme: str = Field(min_length=1)
    language: Language
    attributes: dict[str, str] = {}
    """Other columns of the intake list, e.g. ``{"funding": "grant", "gender": "F"}``."""


class IntakeRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    capacity: int = Field(25, ge=1)
    """Most students in an academic group."""
    min_size: int = Field(1, ge=1)
    balance: tuple[str, ...] = ()
    """Attributes whose values are spread evenly over the groups of a programme-language."""
    admission_year: int = Field(2025, ge=1900, le=2999)
    """Calendar year of admission; its last two digits go into group ids."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.min_size > self.capacity:
            raise EnrollmentError(f"minimum group size {self.min_size} exceeds the capacity {self.capacity}")
        return self


class IntakeInstance(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    applicants: tuple[Applicant, ...]
    rules: IntakeRules = IntakeRules()

    @cached_property
    def applicant_by_id(self) -> dict[str, Applicant]:
        return {a.id: a for a in self.applicants}

    def pools(self) -> dict[tuple[str, str], list[Applicant]]:
        """Applicants by (programme, language), in listed order."""
        out: dict[tuple[str, str], list[Applicant]] = defaultdict(list)
        for applicant in self.applicants:
            out[applicant.programme, applicant.language].append(applicant)
        return dict(out)

    @model_validator(mode="after")
    def _check(self) -> Self:
        repeated = [a for a, n in Counter(a.id for a in self.applicants).items() if n > 1]
        if repeated:
            raise EnrollmentError(f"duplicate applicant id {repeated[0]!r}")
        for applicant in self.applicants:
            for attribute in self.rules.balance:
                if not applicant.attributes.get(attribute):
                    raise EnrollmentError(f"applicant {applicant.id!r} has no {attribute!r} to balance on")
        return self


class AcademicGroup(BaseModel):
    """A formed academic group."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    programme: str
    language: Language
    students: tuple[str, ...]


class IntakeGrouping(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    groups: tuple[AcademicGroup, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Self:
        repeated = [g for g, n in Counter(g.id for g in self.groups).items() if n > 1]
        if repeated:
            raise EnrollmentError(f"duplicate group id {repeated[0]!r}")
        return self


def group_id(programme: str, admission_year: int, number: int, language: str) -> str:
    """``<programme>-<yy>-<n><language letter>``, e.g. ``6B06102-25-1k``."""
    return f"{programme}-{admission_year % 100:02d}-{number}{language[0]}"


@dataclass
class IntakeReport:
    hard: dict[str, int] = field(default_factory=lambda: dict.fromkeys(INTAKE_HARD, 0))
    terms: dict[str, int] = field(default_factory=lambda: dict.fromkeys(INTAKE_TERMS, 0))
    details: list[str] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return not any(self.hard.values())

    def text(self) -> str:
        lines = [*self.details, ""] if self.details else []
        lines += [f"Violations of {name} (hard) : {n}" for name, n in self.hard.items()]
        lines += [f"{name} : {value}" for name, value in self.terms.items()]
        lines.append(f"Summary: Violations = {sum(self.hard.values())}")
        return "\n".join(lines)


def score_intake(instance: IntakeInstance, grouping: IntakeGrouping) -> IntakeReport:
    """Check ``grouping`` against ``instance``; every term recomputed (see the module docstring)."""
    report = IntakeReport()

    def violate(term: str, message: str) -> None:
        report.hard[term] += 1
        report.details.append(f"[H] {term}: {message}")

    applicants = instance.applicant_by_id
    rules = instance.rules
    seen: Counter[str] = Counter()
    by_pool: dict[tuple[str, str], list[tuple[AcademicGroup, list[Applicant]]]] = defaultdict(list)
    for group in grouping.groups:
        members = []
        for sid in group.students:
            if sid not in applicants:
                violate("Unknown", f"group {group.id} lists unknown applicant {sid}")
                continue
            seen[sid] += 1
            members.append(applicants[sid])
        if len(group.students) > rules.capacity:
            violate("Capacity", f"group {group.id} has {len(group.students)} students, capacity {rules.capacity}")
        if any(a.programme != group.programme for a in members):
            violate("Programme", f"group {group.id} has students of another programme than {group.programme}")
        if any(a.language != group.language for a in members):
            violate("Language", f"group {group.id} has students of another language than {group.language}")
        by_pool[group.programme, group.language].append((group, members))
    for applicant in instance.applicants:
        if seen[applicant.id] != 1:
            violate("Coverage", f"applicant {applicant.id} is in {seen[applicant.id]} groups")
    pools = instance.pools()
    terms = report.terms
    terms["Groups"] = len(grouping.groups)
    spreads: list[int] = []
    imbalances: list[int] = []
    for key in sorted(set(pools) | set(by_pool)):
        groups = by_pool.get(key, [])
        for group, _ in groups:
            n = len(group.students)
            if n == 0 or (n < rules.min_size and len(groups) > 1):
                violate("MinSize", f"group {group.id} has {n} students, minimum {rules.min_size}")
        terms["LowerBound"] += math.ceil(len(pools.get(key, ())) / rules.capacity)
        terms["AboveBound"] += max(0, len(groups) - math.ceil(len(pools.get(key, ())) / rules.capacity))
        if groups:
            sizes = [len(g.students) for g, _ in groups]
            imbalances.append(max(sizes) - min(sizes))
        for attribute in rules.balance:
            values = {a.attributes.get(attribute, "") for a in pools.get(key, ())}
            for value in values:
                counts = [sum(1 for a in members if a.attributes.get(attribute) == value) for _, members in groups]
                if counts:
                    spreads.append(max(counts) - min(counts))
    terms["Imbalance"] = sum(imbalances)
    terms["MaxImbalance"] = max(imbalances, default=0)
    terms["AttributeSpread"] = sum(spreads)
    terms["MaxAttributeSpread"] = max(spreads, default=0)
    return report
