"""The grouping scorer on a hand-built registration: each hard rule satisfied and violated, and every
objective term computed by hand.

Students a1..a4 (Kazakh, group A) and b1..b3 (Russian, group B) all take M: lecture streams of at
most 10, practice groups of 2..3.
"""

from __future__ import annotations

import pytest

from models.course_instance import LessonKind
from models.enrollment import (
    Discipline,
    DisciplineRules,
    EnrollmentInstance,
    SectionRule,
    Student,
)
from models.groups import Grouping, Section
from models.groups_scoring import HARD_TERMS, OBJECTIVE_TERMS, audit_balance, score

L, P, B = LessonKind.LECTURE, LessonKind.PRACTICE, LessonKind.LAB
A = ("a1", "a2", "a3", "a4")
BB = ("b1", "b2", "b3")


def make(lecture_mixes: bool = False, practice_min: int = 2) -> EnrollmentInstance:
    students = [Student(id=s, programme="P", year=1, language="kk", group="A") for s in A]
    students += [Student(id=s, programme="P", year=1, language="ru", group="B") for s in BB]
    rules = DisciplineRules(
        lecture=SectionRule(capacity=10, mix_languages=lecture_mixes, lessons=2),
        practice=SectionRule(capacity=3, min_size=practice_min),
    )
    return EnrollmentInstance(students=tuple(students), disciplines=(Discipline(id="M", students=A + BB, rules=rules),))


def sec(
    sid: str, kind: LessonKind, students: tuple[str, ...], parent: str | None = None, discipline: str = "M"
) -> Section:
    return Section(id=sid, discipline=discipline, kind=kind, students=students, parent=parent)


def valid() -> list[Section]:
    return [
        sec("Lkk", L, A),
        sec("Lru", L, BB),
        sec("Pkk1", P, ("a1", "a2"), "Lkk"),
        sec("Pkk2", P, ("a3", "a4"), "Lkk"),
        sec("Pru", P, BB, "Lru"),
    ]


def replace(sections: list[Section], sid: str, **fields: object) -> list[Section]:
    return [s.model_copy(update=fields) if s.id == sid else s for s in sections]


def hard(sections: list[Section], instance: EnrollmentInstance | None = None) -> dict[str, int]:
    return score(instance or make(), Grouping(sections=tuple(sections))).hard


def test_valid_grouping_and_hand_computed_terms() -> None:
    report = score(make(), Grouping(sections=tuple(valid())))
    assert report.feasible, report.details
    assert list(report.hard) == list(HARD_TERMS) and list(report.terms) == list(OBJECTIVE_TERMS)
    assert report.terms == {
        "Sections": 5,
        "TeachingLessons": 2 * 2 + 3,  # two streams of 2 lessons, three practice groups of 1
        "LowerBound": 1 + 1 + 2 + 1,  # ceil(4/10), ceil(3/10), ceil(4/3), ceil(3/3)
        "AboveBound": 0,
        "Imbalance": 0,
        "PoolsOver1": 0,
        "MaxImbalance": 0,
        "Splits": 1,  # group A in two practice groups
        "Strays": 2,  # a3, a4 (or a1, a2) away from the other half
        "Combinations": 2 + 1,  # A: {Lkk,Pkk1} and {Lkk,Pkk2}; B: one
        "Groups": 2,
    }
    assert "Summary: Violations = 0" in report.text()


def test_coverage_missing_and_twice() -> None:
    missing = replace(valid(), "Pru", students=("b1", "b2"))
    assert hard(missing)["Coverage"] == 1
    # MinSize is fine (2), Nesting fine (subset); b3 has no practice group.
    twice = [*valid(), sec("Pru2", P, ("b3",), "Lru")]
    counts = hard(twice)
    assert counts["Coverage"] == 1  # b3 in two practice groups


def test_registration_unregistered_unknown_discipline_and_kind() -> None:
    extra = replace(valid(), "Pru", students=(*BB, "zz"))
    assert hard(extra)["Registration"] == 1
    unknown = [*valid(), sec("X", L, ("a1",), discipline="NOPE")]
    assert hard(unknown)["Registration"] == 1
    no_lab = [*valid(), sec("Lab", B, ("a1",), "Pkk1")]
    assert hard(no_lab)["Registration"] == 1
    assert hard(valid())["Registration"] == 0


def test_capacity() -> None:
    sections = [sec("Lkk", L, A), sec("Lru", L, BB), sec("Pkk", P, A, "Lkk"), sec("Pru", P, BB, "Lru")]
    counts = hard(sections)
    assert counts["Capacity"] == 1  # 4 students, capacity 3
    assert sum(counts.values()) == 1


def test_min_size_and_the_single_section_exemption() -> None:
    small = [
        sec("Lkk", L, A),
        sec("Lru", L, BB),
        sec("Pkk1", P, ("a1", "a2", "a3"), "Lkk"),
        sec("Pkk2", P, ("a4",), "Lkk"),
        sec("Pru", P, BB, "Lru"),
    ]
    assert hard(small)["MinSize"] == 1
    # A pool smaller than the minimum forms one section: three Russian students, minimum 5.
    instance = make(practice_min=3)
    assert hard(valid(), instance)["MinSize"] == 2  # the two Kazakh groups of 2 are below 3
    lone = [sec("Lkk", L, A), sec("Lru", L, BB), sec("Pkk1", P, ("a1", "a2", "a3"), "Lkk")]
    lone += [sec("Pkk2", P, ("a4",), "Lkk"), sec("Pru", P, BB, "Lru")]
    report = score(make(practice_min=3), Grouping(sections=tuple(lone)))
    assert report.hard["MinSize"] == 1  # a4 alone; the Russian group of 3 meets 3


def test_single_small_section_is_allowed_when_the_pool_is_small() -> None:
    instance = EnrollmentInstance(
        students=(Student(id="x", programme="P", year=1, language="en", group="E"),),
        disciplines=(
            Discipline(id="M", students=("x",), rules=DisciplineRules(practice=SectionRule(capacity=30, min_size=10))),
        ),
    )
    assert score(instance, Grouping(sections=(sec("P1", P, ("x",)),))).feasible
    empty = Grouping(sections=(sec("P1", P, ("x",)), sec("P2", P, ())))
    assert score(instance, empty).hard["MinSize"] == 1


def test_language_mixing_only_where_allowed() -> None:
    mixed = [
        sec("L", L, A + BB),
        sec("P1", P, ("a1", "a2"), "L"),
        sec("P2", P, ("a3", "a4"), "L"),
        sec("P3", P, BB, "L"),
    ]
    assert hard(mixed)["Language"] == 1  # the stream; streams may not mix here
    report = score(make(lecture_mixes=True), Grouping(sections=tuple(mixed)))
    assert report.feasible, report.details
    assert report.terms["LowerBound"] == 1 + 2 + 1  # one mixed stream pool
    wrong = [sec("L", L, A + BB), sec("P1", P, ("a1", "b1"), "L"), sec("P2", P, ("a2", "a3", "a4"), "L")]
    wrong += [sec("P3", P, ("b2", "b3"), "L")]
    assert score(make(lecture_mixes=True), Grouping(sections=tuple(wrong))).hard["Language"] == 1


@pytest.mark.parametrize(
    ("change", "sid"),
    [
        ({"parent": None}, "Pkk1"),  # no parent
        ({"parent": "Pkk2"}, "Pkk1"),  # parent of the wrong kind
        ({"parent": "Lru"}, "Pkk1"),  # students not in the parent
        ({"parent": "Lru"}, "Lkk"),  # the coarsest kind has no parent
        ({"parent": "NOPE"}, "Pru"),  # unknown parent
    ],
)
def test_nesting(change: dict[str, object], sid: str) -> None:
    assert hard(replace(valid(), sid, **change))["Nesting"] == 1


def test_nesting_across_disciplines_is_rejected() -> None:
    instance = make()
    other = instance.disciplines[0].model_copy(update={"id": "N"})
    both = instance.with_disciplines((instance.disciplines[0], other))
    sections = [*valid(), sec("NL", L, A, discipline="N"), sec("NLru", L, BB, discipline="N")]
    sections += [sec("NP1", P, ("a1", "a2"), "Lkk", discipline="N"), sec("NP2", P, ("a3", "a4"), "NL", discipline="N")]
    sections += [sec("NPru", P, BB, "NLru", discipline="N")]
    assert score(both, Grouping(sections=tuple(sections))).hard["Nesting"] == 1


def test_imbalance_and_sections_above_bound() -> None:
    unbalanced = [
        sec("Lkk", L, A),
        sec("Lru", L, BB),
        sec("Pkk1", P, ("a1", "a2", "a3"), "Lkk"),
        sec("Pkk2", P, ("a4",), "Lkk"),
        sec("Pru1", P, ("b1",), "Lru"),
        sec("Pru2", P, ("b2", "b3"), "Lru"),
    ]
    report = score(make(practice_min=1), Grouping(sections=tuple(unbalanced)))
    assert report.feasible
    assert report.terms["Imbalance"] == 2 + 1  # Kazakh practice 3-1, Russian 2-1
    assert report.terms["PoolsOver1"] == 1 and report.terms["MaxImbalance"] == 2
    assert report.terms["AboveBound"] == 1  # the Russian pool needs one practice group
    assert report.terms["Splits"] == 1 + 1
    pools = {(p.kind, p.pool): (p.students, p.sections, p.bound) for p in report.pools}
    assert pools[P, "ru"] == (3, 2, 1) and pools[L, "kk"] == (4, 1, 1)


def test_students_without_group_count_in_no_cohesion_term() -> None:
    instance = make()
    loners = tuple(s.model_copy(update={"group": None}) for s in instance.students)
    report = score(instance.with_disciplines(instance.disciplines, loners), Grouping(sections=tuple(valid())))
    assert report.terms["Splits"] == 0 and report.terms["Combinations"] == 0 and report.terms["Groups"] == 0


def test_balance_audit_against_the_exact_best() -> None:
    # Kazakh pool of M: 4 students, 1 stream, 2 practice groups of 2..3: the best is 2 + 2 (spreads 0).
    instance = make()
    balanced = audit_balance(instance, score(instance, Grouping(sections=tuple(valid()))))
    assert (balanced.chains, balanced.pools, balanced.chains_at_bound) == (2, 4, 2)
    assert balanced.chains_at_best == 2 and balanced.chains_worse == balanced.chains_better == 0
    assert balanced.pools_within_one_possible == balanced.pools_within_one_best == 4
    # With practice groups of 1..3, groups of 3 + 1 are valid but worse than 2 + 2.
    wide = EnrollmentInstance(
        students=instance.students,
        disciplines=(
            instance.disciplines[0].model_copy(
                update={"rules": DisciplineRules(lecture=SectionRule(capacity=10), practice=SectionRule(capacity=3))}
            ),
        ),
    )
    uneven = replace(replace(valid(), "Pkk1", students=("a1", "a2", "a3")), "Pkk2", students=("a4",))
    audit = audit_balance(wide, score(wide, Grouping(sections=tuple(uneven))))
    assert audit.chains_at_bound == 2 and audit.chains_worse == 1 and audit.pools_missed == 1
    assert audit.best_imbalance == 0 and audit.imbalance == 2
    assert audit.details == ["M (kk), 4 students in (1, 2): imbalance [0, 2], best [0, 0]"]
