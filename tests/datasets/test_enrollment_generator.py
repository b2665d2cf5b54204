"""The enrollment generator: determinism, sizes, language tracks, electives, retakes, rules, rooms."""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from datasets.enrollment_generator import EnrollmentSpec, GeneratedEnrollment, describe, generate_enrollment
from models.course_instance import LessonKind


@cache
def generated(size: str, seed: int = 0) -> GeneratedEnrollment:
    return generate_enrollment(size, seed)  # type: ignore[arg-type]


def test_same_seed_same_registration() -> None:
    assert generate_enrollment(300, 4).instance == generate_enrollment(300, 4).instance
    assert generate_enrollment(300, 4).instance != generate_enrollment(300, 5).instance


@pytest.mark.parametrize(("size", "students"), [("1k", 1000), ("5k", 5000)])
def test_sizes(size: str, students: int) -> None:
    instance = generated(size).instance
    assert len(instance.students) == students
    assert instance.registrations > 6 * students  # 6-10 disciplines a student


def test_groups_are_one_language_of_sensible_size() -> None:
    instance = generated("5k").instance
    by_group: dict[str, list[str]] = {}
    for s in instance.students:
        assert s.group is not None
        by_group.setdefault(s.group, []).append(s.language)
    assert all(len(set(langs)) == 1 for langs in by_group.values())
    sizes = [len(v) for v in by_group.values()]
    assert max(sizes) <= 28 and sum(1 for n in sizes if n >= 18) > 0.8 * len(
        sizes
    )  # small tracks make some small groups
    languages = Counter(s.language for s in instance.students)
    assert set(languages) <= {"kk", "ru", "en"} and languages["kk"] > languages["ru"]


def test_registrations_have_general_education_majors_electives_and_retakes() -> None:
    instance = generated("5k").instance
    ids = {d.id for d in instance.disciplines}
    assert {"HKZ1", "PE1", "PHI2"} <= ids  # university-wide general education
    assert any("-E" in d for d in ids)  # faculty electives
    first_years = {s.id for s in instance.students if s.year == 1}
    hkz = set(instance.discipline_by_id["HKZ1"].students)
    retakers = hkz - first_years
    assert first_years <= hkz and 0 < len(retakers) < 0.05 * len(instance.students)
    electives = [d for d in instance.disciplines if "-E" in d.id]
    groups_per_elective = [len({instance.student_by_id[s].group for s in d.students}) for d in electives]
    assert max(groups_per_elective) > 3  # electives mix academic groups


def test_rules_follow_the_catalogue() -> None:
    instance = generated("1k").instance
    kinds = {d.id: d.rules.kinds for d in instance.disciplines}
    assert kinds["KRL1"] == (LessonKind.PRACTICE,)  # a language class: no lectures
    assert instance.discipline_by_id["KRL1"].rules.rule(LessonKind.PRACTICE).capacity == 15
    assert kinds["ICT1"] == (LessonKind.LECTURE, LessonKind.LAB)  # 1 lecture, 0 practice, 1 lab a week
    assert instance.discipline_by_id["PE1"].rules.rule(LessonKind.PRACTICE).room_type == "gym"


def test_intake_and_rooms() -> None:
    g = generated("1k")
    first_years = [s for s in g.instance.students if s.year == 1]
    assert [r["student"] for r in g.intake] == [s.id for s in first_years]
    assert {r["funding"] for r in g.intake} == {"grant", "paid"} and {r["gender"] for r in g.intake} == {"F", "M"}
    types = {r.type for r in g.rooms}
    assert {"lecture_hall", "classroom", "computer_lab", "gym"} <= types
    assert "1000 students" in describe(g.instance)


def test_bad_size() -> None:
    with pytest.raises(ValueError, match="unknown size 'huge'"):
        generate_enrollment("huge")  # type: ignore[arg-type]
    assert len(generate_enrollment(EnrollmentSpec(students=50, years=1)).instance.students) == 50
