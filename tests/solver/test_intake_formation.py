"""First-year group formation: fewest balanced groups per programme and language, attributes spread."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.enrollment import EnrollmentError
from models.groups_intake import Applicant, IntakeInstance, IntakeRules, score_intake
from solver.groups.intake import form_intake_groups


def applicants(n: int, programme: str = "CS", language: str = "kk", grant_every: int = 3) -> list[Applicant]:
    return [
        Applicant(
            id=f"{programme}{language}{i:03d}",
            programme=programme,
            language=language,  # type: ignore[arg-type]
            attributes={"funding": "grant" if i % grant_every == 0 else "paid", "gender": "F" if i % 2 else "M"},
        )
        for i in range(n)
    ]


def test_fewest_balanced_groups_per_programme_and_language() -> None:
    instance = IntakeInstance(
        applicants=tuple(applicants(60) + applicants(30, language="ru") + applicants(10, programme="IS")),
        rules=IntakeRules(capacity=25),
    )
    result = form_intake_groups(instance)
    report = score_intake(instance, result.grouping)
    assert report.feasible and report.terms["AboveBound"] == 0 and report.terms["MaxImbalance"] <= 1
    assert [g.id for g in result.grouping.groups] == [
        "CS-25-1k",
        "CS-25-2k",
        "CS-25-3k",
        "CS-25-4r",
        "CS-25-5r",
        "IS-25-1k",
    ]


def test_attributes_are_spread() -> None:
    instance = IntakeInstance(
        applicants=tuple(applicants(100, grant_every=4)),
        rules=IntakeRules(capacity=25, balance=("funding", "gender")),
    )
    result = form_intake_groups(instance)
    report = score_intake(instance, result.grouping)
    assert result.optimal and report.terms["MaxAttributeSpread"] <= 1
    plain = form_intake_groups(IntakeInstance(applicants=instance.applicants, rules=IntakeRules(capacity=25)))
    unbalanced = score_intake(instance, plain.grouping)  # scored on the same attributes
    assert unbalanced.terms["AttributeSpread"] >= report.terms["AttributeSpread"]


def test_minimum_size_that_cannot_be_met() -> None:
    instance = IntakeInstance(applicants=tuple(applicants(26)), rules=IntakeRules(capacity=25, min_size=14))
    with pytest.raises(EnrollmentError, match=r"CS \(kk\): 26 students fit no groups of 14..25"):
        form_intake_groups(instance)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(1, 80), min_size=1, max_size=4),
    capacity=st.integers(5, 30),
    grant_every=st.integers(1, 5),
)
def test_random_intakes_are_valid_and_balanced(sizes: list[int], capacity: int, grant_every: int) -> None:
    people = [a for i, n in enumerate(sizes) for a in applicants(n, programme=f"P{i}", grant_every=grant_every)]
    instance = IntakeInstance(
        applicants=tuple(people), rules=IntakeRules(capacity=capacity, balance=("funding", "gender"))
    )
    result = form_intake_groups(instance)
    report = score_intake(instance, result.grouping)
    assert report.feasible and report.terms["AboveBound"] == 0 and report.terms["MaxImbalance"] <= 1
    if result.optimal:
        assert report.terms["MaxAttributeSpread"] <= 2
