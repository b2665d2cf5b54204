"""Seeded generator of realistic enrollment results (course registration) of a Kazakhstan-style university.

Built on the catalogue of :mod:`datasets.synthetic_university` (faculties, programmes with state
codes, general-education disciplines). Everything is drawn from one ``random.Random(seed)``, so a
spec and a seed always give the same registration.

- Programmes: about ``students / (years x students_per_programme_year)`` of the catalogue's
  programmes (faculties taken in turn), each year of study with a size drawn around that target
  (first years larger).
- Language tracks: each programme-year's students are split into Kazakh, Russian and English
  tracks (English only in some programmes); a track too small for a group joins the largest one.
  A track is divided into academic groups of ``group_size`` students, ids
  ``<programme>-<admission year>-<n><language letter>`` as in the timetable generator.
- Registrations of a year-y student:

  * the year's compulsory general-education disciplines, university-wide (id ``<code><y>``,
    e.g. ``HKZ1``: every first-year student of the university);
  * the year's compulsory disciplines of the programme: the faculty's foundation disciplines are
    shared by the faculty's programmes (``<faculty>-<code>``, e.g. ``FIT-MAN``), the majors are the
    programme's own (``<programme>-<code>``);
  * electives: ``elective_slots[y]`` choices among ``elective_options`` faculty-wide options each
    (``<faculty>-E<y>-<code>``); a student takes their academic group's favourite with
    probability ``peer_choice``, else an option by popularity;
  * retakes: a ``retake_share`` of students of year 2 and above re-register for one compulsory
    discipline of an earlier year (they join that year's students, in their own group).

- Section rules (:class:`~models.enrollment.RuleBook`): lecture streams of ``lecture_capacity``,
  practice groups of ``practice_capacity``, language classes of ``language_capacity``, lab
  subgroups of ``lab_capacity``; weekly lessons from the catalogue (general education) or drawn
  (1-2 lectures); room types as in the timetable generator; languages never mix.
- Intake: the first-year students again, without groups, with a funding type (state grant or
  paid) and a gender, for forming first-year academic groups.
- Rooms for a draft timetable: per room type enough rooms of the largest capacity for the lessons
  of the lower-bound number of sections, used at about ``room_utilisation``.

Registrations are listed by student (students in order of programme, year and group), the order
a registrar's export would have.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from datasets.synthetic_university import (
    CLASSROOM,
    COMPUTER_LAB,
    FACULTIES,
    GENERAL_EDUCATION,
    GYM,
    LAB,
    LECTURE_HALL,
    Discipline,
    FacultyEntry,
    ProgrammeEntry,
)
from models.course_instance import LessonKind, Room
from models.enrollment import LANGUAGES, EnrollmentInstance, Language, RuleBook, SectionRule, Student, build_instance

ACADEMIC_YEAR = 2025
LANGUAGE_CLASSES = ("KRL", "FLG", "PKR", "PFL")
"""General-education language disciplines: practice only, in small classes."""

SizeName = Literal["1k", "5k", "20k"]


class EnrollmentSpec(BaseModel):
    """Parameters of a generated registration. Ranges ``(low, high)`` are inclusive."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    students: int = Field(1000, ge=10)
    years: int = Field(4, ge=1, le=4)
    students_per_programme_year: int = Field(80, ge=10)
    group_size: tuple[int, int] = (18, 28)
    languages: dict[Language, float] = Field(default_factory=lambda: {"kk": 0.55, "ru": 0.35, "en": 0.10})
    english_programmes: float = Field(0.4, ge=0, le=1)
    """Share of programmes with an English track."""
    general_disciplines: tuple[int, ...] = (5, 5, 1, 0)
    compulsory_disciplines: tuple[int, ...] = (3, 4, 4, 3)
    elective_slots: tuple[int, ...] = (0, 1, 2, 2)
    elective_options: int = Field(3, ge=1)
    peer_choice: float = Field(0.6, ge=0, le=1)
    retake_share: float = Field(0.04, ge=0, le=1)
    lecture_capacity: int = Field(150, ge=1)
    practice_capacity: int = Field(30, ge=1)
    language_capacity: int = Field(15, ge=1)
    lab_capacity: int = Field(15, ge=1)
    grant_share: float = Field(0.45, ge=0, le=1)
    female_share: float = Field(0.52, ge=0, le=1)


PRESETS: dict[str, EnrollmentSpec] = {
    "1k": EnrollmentSpec(students=1000),
    "5k": EnrollmentSpec(students=5000),
    "20k": EnrollmentSpec(students=20000),
}
"""The benchmark sizes: 1,000, 5,000 and 20,000 students."""


@dataclass(frozen=True)
class GeneratedEnrollment:
    instance: EnrollmentInstance
    rules: RuleBook
    intake: list[dict[str, str]]
    """First-year students: ``student, programme, language, funding, gender``."""
    rooms: tuple[Room, ...]


def generate_enrollment(size: SizeName | EnrollmentSpec | int = "1k", seed: int = 0) -> GeneratedEnrollment:
    """A registration of ``size`` (a preset, a spec, or a number of students); deterministic per seed."""
    if isinstance(size, int):
        spec = EnrollmentSpec(students=size)
    elif isinstance(size, str):
        if size not in PRESETS:
            raise ValueError(f"unknown size {size!r}: expected one of {', '.join(PRESETS)} or a number of students")
        spec = PRESETS[size]
    else:
        spec = size
    return _Builder(spec, seed).build()


@dataclass
class _Track:
    programme: ProgrammeEntry
    faculty: FacultyEntry
    year: int
    groups: list[tuple[str, Language, list[str]]]
    """(group id, language, student ids)."""


class _Builder:
    def __init__(self, spec: EnrollmentSpec, seed: int) -> None:
        self.spec = spec
        self.seed = seed
        self.rng = random.Random(seed)
        self.names: dict[str, str] = {}
        self.rules: dict[str, dict[LessonKind, SectionRule | None]] = {}

    def build(self) -> GeneratedEnrollment:
        spec, rng = self.spec, self.rng
        programmes = self._programmes()
        sizes = self._sizes(len(programmes))
        students: list[Student] = []
        cohorts: list[_Track] = []
        next_id = 1
        for p, (faculty, programme) in enumerate(programmes):
            english = rng.random() < spec.english_programmes
            for year in range(1, spec.years + 1):
                track = _Track(programme, faculty, year, [])
                for language, n in self._tracks(sizes[p][year - 1], english).items():
                    for size in self._group_sizes(n):
                        number = len(track.groups) + 1
                        group_id = f"{programme.abbrev}-{(ACADEMIC_YEAR - year + 1) % 100:02d}-{number}{language[0]}"
                        ids = [f"S{next_id + i:06d}" for i in range(size)]
                        next_id += size
                        track.groups.append((group_id, language, ids))
                        students += [
                            Student(id=i, programme=programme.code, year=year, language=language, group=group_id)
                            for i in ids
                        ]
                cohorts.append(track)
        registrations = self._registrations(cohorts)
        rules = RuleBook(defaults=self._defaults(), disciplines=self.rules)
        instance = build_instance(
            students, registrations, rules, self.names, f"enrollment-{spec.students}-s{self.seed}"
        )
        return GeneratedEnrollment(instance, rules, self._intake(instance), estimate_rooms(instance))

    # -- structure

    def _programmes(self) -> list[tuple[FacultyEntry, ProgrammeEntry]]:
        spec, rng = self.spec, self.rng
        wanted = max(1, round(spec.students / (spec.years * spec.students_per_programme_year)))
        faculties = list(FACULTIES)
        rng.shuffle(faculties)
        pools = [[(f, p) for p in rng.sample(f.programmes, len(f.programmes))] for f in faculties]
        chosen: list[tuple[FacultyEntry, ProgrammeEntry]] = []
        while len(chosen) < wanted and any(pools):
            for pool in pools:
                if pool and len(chosen) < wanted:
                    chosen.append(pool.pop(0))
        return chosen

    def _sizes(self, programmes: int) -> list[list[int]]:
        """Students per programme and year: weights (popularity x year attrition), largest remainder."""
        spec, rng = self.spec, self.rng
        weights = []
        for _ in range(programmes):
            popularity = rng.uniform(0.6, 1.4)
            weights.append([popularity * (1.0 - 0.05 * y) for y in range(spec.years)])
        flat = [w for row in weights for w in row]
        counts = _apportion(spec.students, flat)
        return [counts[p * spec.years : (p + 1) * spec.years] for p in range(programmes)]

    def _tracks(self, n: int, english: bool) -> dict[Language, int]:
        spec, rng = self.spec, self.rng
        shares = {lang: w * rng.uniform(0.7, 1.3) for lang, w in spec.languages.items() if english or lang != "en"}
        languages = [lang for lang in LANGUAGES if lang in shares and shares[lang] > 0]
        counts = dict(zip(languages, _apportion(n, [shares[lang] for lang in languages]), strict=True))
        smallest_group = spec.group_size[0]
        largest = max(counts, key=lambda lang: counts[lang])
        for lang in list(counts):
            if lang != largest and counts[lang] < smallest_group:
                counts[largest] += counts.pop(lang)
        return {lang: c for lang, c in counts.items() if c > 0}

    def _group_sizes(self, n: int) -> list[int]:
        """Groups of ``group_size`` students (a track smaller than the minimum is one group), with
        some random variation between them."""
        low, high = self.spec.group_size
        k = max(1, math.ceil(n / high))
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        for _ in range(k):
            i, j = self.rng.randrange(k), self.rng.randrange(k)
            step = self.rng.randint(1, 3)
            if i != j and sizes[i] + step <= high and sizes[j] - step >= low:
                sizes[i] += step
                sizes[j] -= step
        return sizes

    # -- registrations

    def _registrations(self, cohorts: list[_Track]) -> list[tuple[str, str]]:
        spec, rng = self.spec, self.rng
        per_student: dict[str, list[str]] = defaultdict(list)
        compulsory: dict[tuple[str, int], list[str]] = {}
        electives = self._electives(cohorts)
        for track in cohorts:
            year = track.year
            own = self._general(year) + self._compulsory(track)
            compulsory[track.programme.code, year] = own
            slots = electives.get((track.faculty.abbrev, year), [])
            for _, _, ids in track.groups:
                favourite = [rng.choices(options, weights=_popularity(len(options)))[0] for options in slots]
                for sid in ids:
                    per_student[sid] += own
                    for options, fav in zip(slots, favourite, strict=True):
                        pick = (
                            fav
                            if rng.random() < spec.peer_choice
                            else rng.choices(options, _popularity(len(options)))[0]
                        )
                        per_student[sid].append(pick)
        for track in cohorts:
            if track.year < 2:
                continue
            for _, _, ids in track.groups:
                for sid in ids:
                    if rng.random() < spec.retake_share:
                        earlier = rng.randrange(1, track.year)
                        options = [
                            d for d in compulsory.get((track.programme.code, earlier), []) if d not in per_student[sid]
                        ]
                        if options:
                            per_student[sid].append(rng.choice(options))
        return [(sid, d) for sid, ds in per_student.items() for d in ds]

    def _general(self, year: int) -> list[str]:
        out = []
        for discipline in GENERAL_EDUCATION[year][: self.spec.general_disciplines[year - 1]]:
            assert discipline.hours is not None
            did = f"{discipline.code}{year}"
            if did not in self.rules:
                self._rule(did, discipline, discipline.hours, language_class=discipline.code in LANGUAGE_CLASSES)
            out.append(did)
        return out

    def _compulsory(self, track: _Track) -> list[str]:
        spec = self.spec
        sequence = (*track.faculty.foundation, *track.programme.majors)
        start = sum(spec.compulsory_disciplines[: track.year - 1])
        out = []
        for i in range(start, start + spec.compulsory_disciplines[track.year - 1]):
            base, level = sequence[i % len(sequence)], i // len(sequence)
            owner = (
                track.faculty.abbrev if i % len(sequence) < len(track.faculty.foundation) else track.programme.abbrev
            )
            did = f"{owner}-{base.code}{level + 1 if level else ''}"
            if did not in self.rules:
                self._rule(did, base, self._hours(base))
            out.append(did)
        return out

    def _electives(self, cohorts: list[_Track]) -> dict[tuple[str, int], list[list[str]]]:
        """Faculty-wide elective slots per (faculty, year): lists of option ids."""
        spec, rng = self.spec, self.rng
        out: dict[tuple[str, int], list[list[str]]] = {}
        for track in cohorts:
            key = (track.faculty.abbrev, track.year)
            if key in out:
                continue
            slots = spec.elective_slots[track.year - 1] if track.year - 1 < len(spec.elective_slots) else 0
            catalogue = [d for p in track.faculty.programmes for d in p.majors]
            unique = list({d.code: d for d in catalogue}.values())
            picked = rng.sample(unique, min(len(unique), slots * spec.elective_options))
            out[key] = []
            for s in range(slots):
                options = []
                for discipline in picked[s * spec.elective_options : (s + 1) * spec.elective_options]:
                    did = f"{track.faculty.abbrev}-E{track.year}-{discipline.code}"
                    self._rule(did, discipline, self._hours(discipline), elective=True)
                    options.append(did)
                if options:
                    out[key].append(options)
        return out

    def _hours(self, discipline: Discipline) -> tuple[int, int, int]:
        lectures = 1 if self.rng.random() < 0.7 else 2
        return (lectures, 1, 1 if discipline.lab else 0)

    # -- rules

    def _defaults(self) -> dict[LessonKind, SectionRule]:
        spec = self.spec
        return {
            LessonKind.LECTURE: SectionRule(capacity=spec.lecture_capacity, min_size=10, room_type=LECTURE_HALL),
            LessonKind.PRACTICE: SectionRule(capacity=spec.practice_capacity, min_size=8, room_type=CLASSROOM),
        }

    def _rule(
        self,
        did: str,
        discipline: Discipline,
        hours: tuple[int, int, int],
        language_class: bool = False,
        elective: bool = False,
    ) -> None:
        spec = self.spec
        self.names[did] = discipline.name + (" (elective)" if elective else "")
        lectures, practices, labs = hours
        rules: dict[LessonKind, SectionRule | None] = {
            LessonKind.LECTURE: (
                SectionRule(capacity=spec.lecture_capacity, min_size=10, lessons=lectures, room_type=LECTURE_HALL)
                if lectures
                else None
            ),
            LessonKind.PRACTICE: (
                SectionRule(
                    capacity=spec.language_capacity if language_class else spec.practice_capacity,
                    min_size=5 if language_class else 8,
                    lessons=practices,
                    room_type=discipline.practice_room,
                )
                if practices
                else None
            ),
        }
        if labs and discipline.lab:
            capacity = min(spec.lab_capacity, spec.practice_capacity)
            rules[LessonKind.LAB] = SectionRule(capacity=capacity, min_size=5, lessons=labs, room_type=discipline.lab)
        self.rules[did] = rules

    # -- intake

    def _intake(self, instance: EnrollmentInstance) -> list[dict[str, str]]:
        spec, rng = self.spec, self.rng
        rows = []
        for student in instance.students:
            if student.year != 1:
                continue
            rows.append(
                {
                    "student": student.id,
                    "programme": student.programme,
                    "language": student.language,
                    "funding": "grant" if rng.random() < spec.grant_share else "paid",
                    "gender": "F" if rng.random() < spec.female_share else "M",
                }
            )
        return rows


def _popularity(n: int) -> list[float]:
    """Popularity of ``n`` options: the first is the most chosen (1, 1/2, 1/3, ...)."""
    return [1 / (i + 1) for i in range(n)]


def _apportion(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder), summing exactly to ``total``."""
    if not weights:
        return []
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    counts = [math.floor(e) for e in exact]
    for i in sorted(range(len(weights)), key=lambda i: counts[i] - exact[i])[: total - sum(counts)]:
        counts[i] += 1
    return counts


# --------------------------------------------------------------------------- rooms


ROOM_PREFIX = {LECTURE_HALL: "LH", CLASSROOM: "C", COMPUTER_LAB: "CL", LAB: "LB", GYM: "G"}


def estimate_rooms(
    instance: EnrollmentInstance, days: int = 6, periods_per_day: int = 6, room_utilisation: float = 0.5
) -> tuple[Room, ...]:
    """Rooms for a draft timetable: per room type, rooms seating the largest capacity of the rules
    using that type, enough for the weekly lessons of the lower-bound sections (ceil(pool /
    capacity) per discipline, kind and language) at ``room_utilisation`` of the week, plus 25 %."""
    lessons: dict[str, int] = defaultdict(int)
    seats: dict[str, int] = defaultdict(int)
    for discipline in instance.disciplines:
        for kind in discipline.rules.kinds:
            rule = discipline.rules.rule(kind)
            room_type = rule.room_type or "general"
            for members in instance.pools(discipline, kind).values():
                lessons[room_type] += math.ceil(len(members) / rule.capacity) * rule.lessons
            seats[room_type] = max(seats[room_type], rule.capacity)
    rooms = []
    week = days * periods_per_day
    for room_type in sorted(lessons):
        count = max(1, math.ceil(1.25 * lessons[room_type] / (week * room_utilisation)))
        prefix = ROOM_PREFIX.get(room_type, room_type[:2].upper())
        rooms += [Room(id=f"{prefix}-{i:03d}", capacity=seats[room_type], type=room_type) for i in range(1, count + 1)]
    return tuple(rooms)


def describe(instance: EnrollmentInstance) -> str:
    """Students, academic groups, programmes and languages; disciplines and registrations."""
    groups = {s.group for s in instance.students if s.group}
    programmes = {s.programme for s in instance.students}
    languages = defaultdict(int)
    for s in instance.students:
        languages[s.language] += 1
    by_language = ", ".join(f"{languages[lang]} {lang}" for lang in LANGUAGES if languages[lang])
    return "\n".join(
        [
            f"{instance.name}: {len(instance.students)} students ({by_language}) in {len(groups)} academic groups, "
            f"{len(programmes)} programmes",
            f"disciplines: {len(instance.disciplines)}, registrations: {instance.registrations}",
        ]
    )
