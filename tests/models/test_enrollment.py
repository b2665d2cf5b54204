"""Enrollment results and section rules: validation with named errors, rule resolution, pools."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from models.course_instance import LessonKind
from models.enrollment import (
    MIXED,
    Discipline,
    DisciplineRules,
    EnrollmentError,
    EnrollmentInstance,
    RuleBook,
    SectionRule,
    Student,
    build_instance,
)

LECTURE, PRACTICE, LAB = LessonKind.LECTURE, LessonKind.PRACTICE, LessonKind.LAB


def rules(**kinds: SectionRule) -> DisciplineRules:
    return DisciplineRules(**kinds)


def student(sid: str, language: str = "kk", group: str | None = "G1") -> Student:
    return Student(id=sid, programme="6B06101", year=1, language=language, group=group)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- section rules


def test_min_size_within_capacity() -> None:
    assert SectionRule(capacity=30, min_size=30).min_size == 30
    with pytest.raises(EnrollmentError, match="minimum section size 31 exceeds the capacity 30"):
        SectionRule(capacity=30, min_size=31)


def test_rule_fields_are_checked() -> None:
    with pytest.raises(ValidationError):
        SectionRule(capacity=0)
    with pytest.raises(ValidationError):
        SectionRule(capacity=10, lessons=0)


def test_discipline_needs_a_kind() -> None:
    with pytest.raises(EnrollmentError, match="no lesson kind"):
        DisciplineRules()


def test_finer_kind_must_fit_the_coarser() -> None:
    ok = rules(lecture=SectionRule(capacity=100), practice=SectionRule(capacity=30), lab=SectionRule(capacity=15))
    assert ok.kinds == (LECTURE, PRACTICE, LAB)
    with pytest.raises(EnrollmentError, match="practice capacity 40 exceeds the lecture capacity 30"):
        rules(lecture=SectionRule(capacity=30), practice=SectionRule(capacity=40))
    with pytest.raises(EnrollmentError, match="lab capacity 20 exceeds the lecture capacity 15"):
        rules(lecture=SectionRule(capacity=15), lab=SectionRule(capacity=20))


def test_parent_and_child_kinds_skip_missing_kinds() -> None:
    r = rules(lecture=SectionRule(capacity=100), lab=SectionRule(capacity=15))
    assert r.parent_kind(LAB) == LECTURE
    assert r.child_kind(LECTURE) == LAB
    assert r.parent_kind(LECTURE) is None and r.child_kind(LAB) is None
    with pytest.raises(EnrollmentError, match="no practice lessons"):
        r.rule(PRACTICE)


def test_languages_mix_only_if_every_coarser_kind_allows() -> None:
    r = rules(
        lecture=SectionRule(capacity=100, mix_languages=True),
        practice=SectionRule(capacity=30, mix_languages=False),
        lab=SectionRule(capacity=15, mix_languages=True),
    )
    assert r.mixes(LECTURE)
    assert not r.mixes(PRACTICE)
    assert not r.mixes(LAB)  # inside a one-language practice group


# --------------------------------------------------------------------------- rule book


def test_rule_book_defaults_overrides_and_removals() -> None:
    book = RuleBook(
        defaults={LECTURE: SectionRule(capacity=150), PRACTICE: SectionRule(capacity=30)},
        disciplines={
            "PE": {LECTURE: None, PRACTICE: SectionRule(capacity=25)},
            "ICT": {LAB: SectionRule(capacity=15)},
        },
    )
    assert book.rules_for("MATH").kinds == (LECTURE, PRACTICE)
    pe = book.rules_for("PE")
    assert pe.kinds == (PRACTICE,) and pe.rule(PRACTICE).capacity == 25
    ict = book.rules_for("ICT")
    assert ict.kinds == (LECTURE, PRACTICE, LAB) and ict.rule(LECTURE).capacity == 150


def test_rule_book_names_the_discipline_with_invalid_rules() -> None:
    book = RuleBook(
        defaults={LECTURE: SectionRule(capacity=20)}, disciplines={"BIG": {PRACTICE: SectionRule(capacity=40)}}
    )
    with pytest.raises(EnrollmentError, match="discipline 'BIG': practice capacity 40 exceeds the lecture capacity 20"):
        book.rules_for("BIG")
    with pytest.raises(EnrollmentError, match="discipline 'NONE': no lesson kind"):
        RuleBook().rules_for("NONE")


# --------------------------------------------------------------------------- instance


def test_instance_validates_ids() -> None:
    r = rules(practice=SectionRule(capacity=30))
    ok = EnrollmentInstance(students=(student("a"),), disciplines=(Discipline(id="M", students=("a",), rules=r),))
    assert ok.registrations == 1
    with pytest.raises(EnrollmentError, match="duplicate student id 'a'"):
        EnrollmentInstance(students=(student("a"), student("a")), disciplines=())
    with pytest.raises(EnrollmentError, match="duplicate discipline id 'M'"):
        EnrollmentInstance(
            students=(student("a"),),
            disciplines=(Discipline(id="M", students=(), rules=r), Discipline(id="M", students=(), rules=r)),
        )
    with pytest.raises(EnrollmentError, match="discipline 'M': unknown student 'b'"):
        EnrollmentInstance(students=(student("a"),), disciplines=(Discipline(id="M", students=("b",), rules=r),))
    with pytest.raises(EnrollmentError, match="discipline 'M': student 'a' is registered twice"):
        EnrollmentInstance(students=(student("a"),), disciplines=(Discipline(id="M", students=("a", "a"), rules=r),))


def test_student_fields_are_checked() -> None:
    with pytest.raises(ValidationError):
        student("a", language="de")
    with pytest.raises(ValidationError):
        Student(id="a", programme="P", year=0, language="kk")


def test_pools_split_by_language_unless_the_kind_mixes() -> None:
    book = RuleBook(
        defaults={
            LECTURE: SectionRule(capacity=100, mix_languages=True),
            PRACTICE: SectionRule(capacity=30),
        }
    )
    instance = build_instance(
        [student("a", "kk"), student("b", "ru"), student("c", "kk")],
        [("a", "M"), ("b", "M"), ("c", "M")],
        book,
    )
    discipline = instance.disciplines[0]
    assert instance.pools(discipline, LECTURE) == {MIXED: ["a", "b", "c"]}
    assert instance.pools(discipline, PRACTICE) == {"kk": ["a", "c"], "ru": ["b"]}


def test_build_instance_keeps_order_ignores_duplicates_and_names() -> None:
    book = RuleBook(defaults={PRACTICE: SectionRule(capacity=30)})
    instance = build_instance(
        [student("a"), student("b")],
        [("b", "Y"), ("a", "X"), ("a", "Y"), ("b", "Y")],
        book,
        names={"X": "Ecks"},
    )
    assert [d.id for d in instance.disciplines] == ["Y", "X"]
    assert instance.discipline_by_id["Y"].students == ("b", "a")
    assert instance.discipline_by_id["X"].name == "Ecks"
    with pytest.raises(EnrollmentError, match="unknown student 'z'"):
        build_instance([student("a")], [("z", "X")], book)
