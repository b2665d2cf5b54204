"""The synthetic Kazakhstan-style university generator, instance JSON files and the bundled sample."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from pydantic import ValidationError

from datasets.instance_json import parse_instance_json, read_instance_json, write_instance_json
from datasets.itc2007_ctt import FormatError
from datasets.sample_data import load_sample, sample_names
from datasets.synthetic_university import (
    CLASSROOM,
    COMPUTER_LAB,
    GYM,
    LAB,
    LECTURE_HALL,
    University,
    UniversitySpec,
    build_university,
    describe,
    generate_university,
    main,
    necessary_conditions,
)
from models.course_instance import CourseInstance, LessonKind, Rules

SIZES = ("small", "medium", "large")
SEEDS = (0, 1)
REGENERATE = "python -m datasets.synthetic_university small --seed 1 --json datasets/samples/small-university.json"


@cache
def university(size: str, seed: int) -> University:
    return build_university(size, seed)  # type: ignore[arg-type]


def all_universities() -> list[tuple[str, int]]:
    return [(size, seed) for size in SIZES for seed in SEEDS]


# --------------------------------------------------------------------------- determinism and sizes


def test_same_seed_gives_equal_instances() -> None:
    assert generate_university("small", 3) == generate_university("small", 3)
    assert build_university("medium", 5).instance == build_university("medium", 5).instance


def test_different_seeds_give_different_instances() -> None:
    assert generate_university("small", 0) != generate_university("small", 1)
    assert university("large", 0).instance != university("large", 1).instance


@pytest.mark.parametrize(
    ("size", "groups", "courses", "lessons", "rooms"),
    [
        ("small", (8, 8), (40, 90), (60, 120), (5, 12)),
        ("medium", (30, 50), (300, 700), (400, 900), (20, 50)),
        ("large", (120, 180), (1200, 2400), (1600, 3200), (70, 160)),
    ],
)
@pytest.mark.parametrize("seed", SEEDS)
def test_sizes_are_in_the_expected_ranges(
    size: str,
    seed: int,
    groups: tuple[int, int],
    courses: tuple[int, int],
    lessons: tuple[int, int],
    rooms: tuple[int, int],
) -> None:
    u = university(size, seed)
    instance = u.instance
    counts = (len(u.groups), len(instance.courses), instance.lectures, len(instance.rooms))
    names = ("groups", "courses", "lessons", "rooms")
    for (low, high), value, what in zip((groups, courses, lessons, rooms), counts, names, strict=True):
        assert low <= value <= high, f"{size} seed {seed}: {value} {what} not in [{low}, {high}]"
    assert instance.days == 6 and instance.periods_per_day == 6
    faculties = {p.faculty for p in u.programmes}
    assert len(faculties) == {"small": 1, "medium": 3, "large": 6}[size]
    assert len({r.building for r in instance.rooms}) <= {"small": 1, "medium": 2, "large": 3}[size]


def test_custom_spec_and_spec_validation() -> None:
    spec = UniversitySpec(name="two-fac", faculties=2, programmes_per_faculty=1, years=3, languages={"ru": 1.0})
    u = build_university(spec, seed=4)
    assert u.instance.name == "two-fac-s4"
    assert {g.language for g in u.groups} == {"ru"}
    assert {g.year for g in u.groups} == {1, 2, 3}
    assert necessary_conditions(u.instance) == []
    with pytest.raises(ValidationError):
        UniversitySpec(group_size=(30, 15))
    with pytest.raises(ValidationError):
        UniversitySpec(faculties=7)
    with pytest.raises(ValidationError):
        UniversitySpec(years=4, major_disciplines=(1, 2))
    with pytest.raises(ValidationError):
        UniversitySpec(languages={"kk": 0.0})
    with pytest.raises(ValueError, match="unknown size"):
        generate_university("huge", 0)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize(("size", "seed"), all_universities())
def test_necessary_conditions_hold(size: str, seed: int) -> None:
    assert necessary_conditions(university(size, seed).instance) == []


@pytest.mark.parametrize(("size", "seed"), all_universities())
def test_curriculum_and_teacher_loads_fit_the_week(size: str, seed: int) -> None:
    instance = university(size, seed).instance
    courses = instance.course_by_id
    for curriculum in instance.curricula:
        lessons = sum(courses[c].lectures for c in curriculum.courses)
        assert 0 < lessons <= instance.periods, curriculum.id
        assert lessons <= instance.days * 4, curriculum.id
    load: Counter[str] = Counter()
    for course in instance.courses:
        load[course.teacher] += course.lectures
    assert set(load) == {t.id for t in instance.teachers}, "every teacher teaches"
    for teacher in instance.teachers:
        assert teacher.max_daily_lectures == 4
        assert load[teacher.id] <= 18, teacher.id
        per_day = [
            min(4, sum((d, p) not in teacher.unavailable for p in range(instance.periods_per_day)))
            for d in range(instance.days)
        ]
        assert load[teacher.id] <= sum(per_day), teacher.id
    if size != "small":
        loads = sorted(load.values())
        assert 8 <= loads[len(loads) // 2] <= 18, "typical teacher load"
        assert any(t.unavailable for t in instance.teachers)


@pytest.mark.parametrize(("size", "seed"), all_universities())
def test_streams_groups_and_subgroups(size: str, seed: int) -> None:
    u = university(size, seed)
    instance = u.instance
    groups = u.group_by_id
    in_curricula: dict[str, set[str]] = {}
    for curriculum in instance.curricula:
        for course_id in curriculum.courses:
            in_curricula.setdefault(course_id, set()).add(curriculum.id)
    assert set(in_curricula) == {c.id for c in instance.courses}, "every course is in a curriculum"
    assert {q.id for q in instance.curricula} == {q for g in u.groups for q in g.curricula}
    for course in instance.courses:
        members = [groups[g] for g in u.course_groups[course.id]]
        if course.kind is LessonKind.LECTURE:
            assert course.students == sum(g.students for g in members), course.id
            assert len({g.language for g in members}) == 1 and len({g.year for g in members}) == 1
            assert in_curricula[course.id] == {q for g in members for q in g.curricula}, course.id
        elif course.kind is LessonKind.PRACTICE:
            (group,) = members
            assert course.students == group.students
            assert in_curricula[course.id] == set(group.curricula)
        else:
            (group,) = members
            k = int(course.id.rsplit(".", 1)[1])
            assert course.students == group.subgroups[k - 1]
            assert in_curricula[course.id] == {f"{group.id}.{k}"}
    for group in u.groups:
        assert 15 <= group.students <= 30
        assert not group.subgroups or sum(group.subgroups) == group.students
        assert re.fullmatch(r"[A-Z]+-\d\d-\d+[kre]", group.id), group.id
    for curriculum in instance.curricula:
        if "." in curriculum.id:
            assert any(instance.course_by_id[c].kind is LessonKind.LAB for c in curriculum.courses)
    if size != "small":
        lectures = [c for c in instance.courses if c.kind is LessonKind.LECTURE]
        assert any(len(u.course_groups[c.id]) > 1 for c in lectures), "some stream joins several groups"
        assert any(len({groups[g].programme for g in u.course_groups[c.id]}) > 1 for c in lectures), (
            "general-education streams join programmes"
        )


@pytest.mark.parametrize(("size", "seed"), all_universities())
def test_room_types_and_capacities(size: str, seed: int) -> None:
    instance = university(size, seed).instance
    expected = {
        LessonKind.LECTURE: {LECTURE_HALL},
        LessonKind.PRACTICE: {CLASSROOM, GYM},
        LessonKind.LAB: {COMPUTER_LAB, LAB},
    }
    for course in instance.courses:
        assert course.room_type in expected[course.kind], course.id
        assert 1 <= course.lectures <= 2
        assert course.min_working_days == min(course.lectures, 2)
        assert any(r.type == course.room_type and r.capacity >= course.students for r in instance.rooms), course.id
    ranges = {LECTURE_HALL: (60, 200), CLASSROOM: (25, 40), COMPUTER_LAB: (15, 25), LAB: (15, 20), GYM: (30, 60)}
    for room in instance.rooms:
        low, high = ranges[room.type]
        assert low <= room.capacity <= high, room.id
    assert len({r.type for r in instance.rooms}) >= 3
    for item in (*instance.rooms, *instance.teachers, *instance.courses, *instance.curricula):
        assert item.id.isascii() and not re.search(r"\s", item.id), item.id


def test_rules_are_itc2007_plus_registrar_extras() -> None:
    rules = generate_university("small", 0).rules
    itc = Rules()
    assert rules.windows.weight == 2 and not rules.windows.hard
    assert rules.group_daily_load.weight == 2 and not rules.group_daily_load.hard
    assert (rules.min_daily_lectures, rules.max_daily_lectures) == (2, 4)
    assert rules.teacher_daily_load.hard
    for name in ("room_capacity", "min_working_days", "isolated_lectures", "room_stability", "room_suitability"):
        assert getattr(rules, name) == getattr(itc, name), name


def test_describe_counts() -> None:
    instance = generate_university("small", 1)
    text = describe(instance)
    assert f"{len(instance.courses)}" in text and f"{instance.lectures} weekly lessons" in text
    assert f"curricula: {len(instance.curricula)}, teachers: {len(instance.teachers)}" in text
    assert "lecture_hall" in text


# --------------------------------------------------------------------------- JSON files and the sample


def test_json_round_trip(tmp_path: Path) -> None:
    instance = university("medium", 0).instance
    path = tmp_path / "medium.json"
    write_instance_json(instance, path)
    assert read_instance_json(path) == instance
    write_instance_json(instance, path)  # overwrites
    assert read_instance_json(path) == instance
    assert [p.name for p in tmp_path.iterdir()] == ["medium.json"], "no temporary file left behind"


def test_bundled_sample_matches_the_generator() -> None:
    assert "small-university" in sample_names()
    assert load_sample() == generate_university("small", 1), (
        "datasets/samples/small-university.json differs from generate_university('small', 1): "
        f"the generator changed, regenerate the sample with `{REGENERATE}`"
    )
    with pytest.raises(ValueError, match="unknown sample"):
        load_sample("no-such-sample")


def test_cli_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.json"
    main(["small", "--seed", "2", "--json", str(path)])
    assert read_instance_json(path) == generate_university("small", 2)
    assert "small-s2" in capsys.readouterr().out


def test_format_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(FormatError, match=r"missing\.json: cannot read"):
        read_instance_json(missing)

    broken = tmp_path / "broken.json"
    broken.write_text('{\n "name": "x",\n "days": \n}\n', encoding="utf-8")
    with pytest.raises(FormatError, match=r"broken\.json:4: invalid JSON") as err:
        read_instance_json(broken)
    assert err.value.line == 4  # the value is missing where '}' stands

    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(FormatError, match=r"binary\.json: not a UTF-8"):
        read_instance_json(binary)

    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"name": "x", "days": 0, "periods_per_day": 2}), encoding="utf-8")
    with pytest.raises(FormatError, match=r"wrong\.json: invalid instance: days"):
        read_instance_json(wrong)

    data = json.loads(generate_university("small", 0).model_dump_json())
    data["courses"][0]["teacher"] = "nobody"
    inconsistent = tmp_path / "inconsistent.json"
    inconsistent.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FormatError, match=r"inconsistent\.json: invalid instance: .*unknown teacher 'nobody'"):
        read_instance_json(inconsistent)

    with pytest.raises(FormatError, match="<json>"):
        parse_instance_json("[]")
    assert isinstance(parse_instance_json(generate_university("small", 0).model_dump_json()), CourseInstance)
