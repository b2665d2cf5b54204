"""First-year intake: validation, group ids and the intake scorer (each rule satisfied and violated)."""

from __future__ import annotations

import pytest

from models.enrollment import EnrollmentError
from models.groups_intake import (
    AcademicGroup,
    Applicant,
    IntakeGrouping,
    IntakeInstance,
    IntakeRules,
    group_id,
    score_intake,
)


def applicant(sid: str, programme: str = "CS", language: str = "kk", **attributes: str) -> Applicant:
    return Applicant(id=sid, programme=programme, language=language, attributes=attributes)  # type: ignore[arg-type]


INSTANCE = IntakeInstance(
    applicants=(
        applicant("a", funding="grant"),
        applicant("b", funding="paid"),
        applicant("c", funding="grant"),
        applicant("d", funding="paid"),
        applicant("e", language="ru", funding="paid"),
    ),
    rules=IntakeRules(capacity=2, min_size=2, balance=("funding",)),
)


def group(gid: str, *students: str, programme: str = "CS", language: str = "kk") -> AcademicGroup:
    return AcademicGroup(id=gid, programme=programme, language=language, students=students)  # type: ignore[arg-type]


def test_validation() -> None:
    with pytest.raises(EnrollmentError, match="minimum group size 3 exceeds the capacity 2"):
        IntakeRules(capacity=2, min_size=3)
    with pytest.raises(EnrollmentError, match="duplicate applicant id 'a'"):
        IntakeInstance(applicants=(applicant("a"), applicant("a")))
    with pytest.raises(EnrollmentError, match="applicant 'a' has no 'gender' to balance on"):
        IntakeInstance(applicants=(applicant("a"),), rules=IntakeRules(balance=("gender",)))
    with pytest.raises(EnrollmentError, match="duplicate group id 'G'"):
        IntakeGrouping(groups=(group("G", "a"), group("G", "b")))
    assert group_id("6B06102", 2025, 3, "ru") == "6B06102-25-3r"


def test_a_good_grouping() -> None:
    grouping = IntakeGrouping(groups=(group("G1", "a", "b"), group("G2", "c", "d"), group("G3", "e", language="ru")))
    report = score_intake(INSTANCE, grouping)
    assert report.feasible, report.details
    assert report.terms == {
        "Groups": 3,
        "LowerBound": 2 + 1,
        "AboveBound": 0,
        "Imbalance": 0,
        "MaxImbalance": 0,
        "AttributeSpread": 0,  # grant 1/1, paid 1/1 (kk); the ru group alone
        "MaxAttributeSpread": 0,
    }


def test_unbalanced_attribute() -> None:
    grouping = IntakeGrouping(groups=(group("G1", "a", "c"), group("G2", "b", "d"), group("G3", "e", language="ru")))
    report = score_intake(INSTANCE, grouping)
    assert report.feasible and report.terms["AttributeSpread"] == 2 + 2  # grant 2/0, paid 0/2


@pytest.mark.parametrize(
    ("groups", "term"),
    [
        ((group("G1", "a", "b"), group("G2", "c"), group("G3", "e", language="ru")), "Coverage"),  # d in none
        ((group("G1", "a", "b", "c"), group("G2", "d"), group("G3", "e", language="ru")), "Capacity"),
        ((group("G1", "a", "b"), group("G2", "c", "d"), group("G3", "e", "zz", language="ru")), "Unknown"),
        ((group("G1", "a", "b"), group("G2", "c", "d", programme="IS"), group("G3", "e", language="ru")), "Programme"),
        ((group("G1", "a", "e"), group("G2", "c", "d"), group("G3", "b", language="ru")), "Language"),
    ],
)
def test_violations(groups: tuple[AcademicGroup, ...], term: str) -> None:
    report = score_intake(INSTANCE, IntakeGrouping(groups=groups))
    assert report.hard[term] >= 1, report.hard


def test_min_size_waived_for_a_single_group() -> None:
    alone = IntakeGrouping(groups=(group("G1", "a", "b"), group("G2", "c", "d"), group("G3", "e", language="ru")))
    assert score_intake(INSTANCE, alone).hard["MinSize"] == 0  # e alone, the only ru group
    split = IntakeGrouping(
        groups=(group("G1", "a"), group("G2", "b"), group("G4", "c", "d"), group("G3", "e", language="ru"))
    )
    assert score_intake(INSTANCE, split).hard["MinSize"] == 2
