"""Enrollment results: who registered for which discipline, and how each discipline is divided.

After course registration the registrar forms, for every discipline, the sections its lessons are
taught to. A discipline has up to three lesson kinds, from coarse to fine (:data:`KIND_ORDER`):

- a LECTURE stream (sized to a lecture hall);
- a PRACTICE group (a seminar);
- a LAB subgroup (a laboratory or computer class).

A finer kind's sections nest in the coarser kind's: a lecture stream is the union of whole
practice groups, a practice group the union of whole lab subgroups (with the kinds a discipline
has; without practice, lab subgroups nest in the streams).

:class:`SectionRule` gives, per discipline and kind, the capacity (seats), the minimum section
size, whether languages of instruction may mix, the weekly lessons of each section and the room
type. :class:`RuleBook` holds the rules of a whole registration: defaults per kind and overrides
per discipline. Languages mix in a section only if its kind allows it AND every coarser kind of the
discipline allows it (a stream taught in Kazakh cannot hold a mixed practice group):
:meth:`DisciplineRules.mixes`.

An instance validates on construction; problems raise :class:`EnrollmentError` naming the item.
"""

from __future__ import annotations

from collections import Counter
from functools import cached_property
from itertools import pairwise
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.course_instance import LessonKind

Language = Literal["kk", "ru", "en"]
LANGUAGES: tuple[Language, ...] = ("kk", "ru", "en")
"""Languages of instruction: Kazakh, Russian, English."""

KIND_ORDER: tuple[LessonKind, ...] = (LessonKind.LECTURE, LessonKind.PRACTICE, LessonKind.LAB)
"""Lesson kinds from the coarsest (lecture stream) to the finest (lab subgroup)."""

MIXED = "mixed"
"""The pool key of a kind whose sections may mix languages (see :meth:`EnrollmentInstance.pool_of`)."""


class EnrollmentError(Exception):
    """Enrollment data or section rules are inconsistent; the message names the item.

    Deliberately not a ``ValueError``: pydantic would wrap it into a ``ValidationError``.
    """


class SectionRule(BaseModel):
    """How the sections of one lesson kind of a discipline are formed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    capacity: int = Field(ge=1)
    """Most students in a section (seats of the rooms it is taught in)."""
    min_size: int = Field(1, ge=1)
    """Fewest students in a section; a smaller pool (see the scorer) forms a single section."""
    mix_languages: bool = False
    """Whether students of different languages of instruction may share a section."""
    lessons: int = Field(1, ge=1)
    """Weekly lessons ("pairs") of each section: a section costs this many teaching lessons a week."""
    room_type: str | None = None
    """Room type of the lessons in a timetable (``None``: any room)."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.min_size > self.capacity:
            raise EnrollmentError(f"minimum section size {self.min_size} exceeds the capacity {self.capacity}")
        return self


class DisciplineRules(BaseModel):
    """The section rules of one discipline: a rule per lesson kind it has (``None``: no such lessons)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lecture: SectionRule | None = None
    practice: SectionRule | None = None
    lab: SectionRule | None = None

    @property
    def kinds(self) -> tuple[LessonKind, ...]:
        """The kinds this discipline has, coarse to fine."""
        return tuple(kind for kind in KIND_ORDER if getattr(self, kind.value) is not None)

    def rule(self, kind: LessonKind) -> SectionRule:
        rule = getattr(self, LessonKind(kind).value)
        if rule is None:
            raise EnrollmentError(f"the discipline has no {LessonKind(kind).value} lessons")
        return rule

    def parent_kind(self, kind: LessonKind) -> LessonKind | None:
        """The next coarser kind the discipline has (its sections contain this kind's), if any."""
        kinds = self.kinds
        i = kinds.index(kind)
        return kinds[i - 1] if i else None

    def child_kind(self, kind: LessonKind) -> LessonKind | None:
        kinds = self.kinds
        i = kinds.index(kind)
        return kinds[i + 1] if i + 1 < len(kinds) else None

    def mixes(self, kind: LessonKind) -> bool:
        """Languages may mix in this kind's sections: its rule and every coarser kind's allow it."""
        kinds = self.kinds
        return all(self.rule(k).mix_languages for k in kinds[: kinds.index(kind) + 1])

    @model_validator(mode="after")
    def _check(self) -> Self:
        kinds = self.kinds
        if not kinds:
            raise EnrollmentError("no lesson kind: give a lecture, practice or lab rule")
        for coarse, fine in pairwise(kinds):
            if self.rule(fine).capacity > self.rule(coarse).capacity:
                raise EnrollmentError(
                    f"{fine.value} capacity {self.rule(fine).capacity} exceeds the {coarse.value} capacity "
                    f"{self.rule(coarse).capacity} (a {fine.value} section must fit in a {coarse.value} section)"
                )
        return self


class RuleBook(BaseModel):
    """Section rules of a registration: a default rule per kind, and overrides per discipline.

    A discipline's rule for a kind is its own override if it has one (``None`` there: the
    discipline has no lessons of that kind), else the default for the kind (absent: no such
    lessons). The resolved rules must leave every discipline at least one kind.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    defaults: dict[LessonKind, SectionRule] = {}
    disciplines: dict[str, dict[LessonKind, SectionRule | None]] = {}

    def rules_for(self, discipline: str) -> DisciplineRules:
        """The resolved rules of ``discipline``; :class:`EnrollmentError` naming it if they are invalid."""
        own = self.disciplines.get(discipline, {})
        fields = {kind.value: own[kind] if kind in own else self.defaults.get(kind) for kind in KIND_ORDER}
        try:
            return DisciplineRules(**fields)
        except EnrollmentError as err:
            raise EnrollmentError(f"discipline {discipline!r}: {err}") from None


class Student(BaseModel):
    """A student as the registration sees them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    programme: str = Field(min_length=1)
    """Educational programme code, e.g. ``6B06102``."""
    year: int = Field(ge=1, le=7)
    """Year of study."""
    language: Language
    """Language of instruction."""
    group: str | None = None
    """Current academic group (``None``: none yet); cohesion keeps a group's students together."""


class Discipline(BaseModel):
    """A discipline of the registration: the students registered for it and its section rules."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    name: str = ""
    students: tuple[str, ...]
    """Registered students (ids), in the order the registration lists them."""
    rules: DisciplineRules


class EnrollmentInstance(BaseModel):
    """Enrollment results to form sections from. Validated on construction."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = "enrollment"
    students: tuple[Student, ...]
    disciplines: tuple[Discipline, ...]

    @cached_property
    def student_by_id(self) -> dict[str, Student]:
        return {s.id: s for s in self.students}

    @cached_property
    def discipline_by_id(self) -> dict[str, Discipline]:
        return {d.id: d for d in self.disciplines}

    @property
    def registrations(self) -> int:
        """Number of (student, discipline) registrations."""
        return sum(len(d.students) for d in self.disciplines)

    def pool_of(self, discipline: Discipline, kind: LessonKind, student: str) -> str:
        """The pool of ``student`` for ``kind`` sections of ``discipline``: its language, or
        :data:`MIXED` when the kind's sections may mix languages. Balance and lower bounds are per pool."""
        if discipline.rules.mixes(kind):
            return MIXED
        return self.student_by_id[student].language

    def pools(self, discipline: Discipline, kind: LessonKind) -> dict[str, list[str]]:
        """Registered students of ``discipline`` by pool for ``kind`` sections (in registration order)."""
        out: dict[str, list[str]] = {}
        for student in discipline.students:
            out.setdefault(self.pool_of(discipline, kind, student), []).append(student)
        return out

    def with_disciplines(
        self, disciplines: tuple[Discipline, ...], students: tuple[Student, ...] | None = None
    ) -> Self:
        """The same registration with other disciplines (and students), validated again."""
        return type(self)(
            name=self.name, students=self.students if students is None else students, disciplines=disciplines
        )

    @model_validator(mode="after")
    def _check(self) -> Self:
        _unique("student", [s.id for s in self.students])
        _unique("discipline", [d.id for d in self.disciplines])
        known = self.student_by_id
        for discipline in self.disciplines:
            where = f"discipline {discipline.id!r}"
            for student in discipline.students:
                if student not in known:
                    raise EnrollmentError(f"{where}: unknown student {student!r}")
            twice = [sid for sid, n in Counter(discipline.students).items() if n > 1]
            if twice:
                raise EnrollmentError(f"{where}: student {twice[0]!r} is registered twice")
        return self


def build_instance(
    students: list[Student],
    registrations: list[tuple[str, str]],
    rules: RuleBook,
    names: dict[str, str] | None = None,
    name: str = "enrollment",
) -> EnrollmentInstance:
    """An instance from ``(student, discipline)`` registrations (duplicates ignored, order kept).

    ``names`` maps discipline ids to names. Disciplines appear in order of first registration.
    Raises :class:`EnrollmentError` for an unknown student or invalid rules (naming the discipline).
    """
    by_discipline: dict[str, dict[str, None]] = {}
    for student, discipline in registrations:
        by_discipline.setdefault(discipline, {})[student] = None
    disciplines = tuple(
        Discipline(
            id=discipline,
            name=(names or {}).get(discipline, ""),
            students=tuple(members),
            rules=rules.rules_for(discipline),
        )
        for discipline, members in by_discipline.items()
    )
    return EnrollmentInstance(name=name, students=tuple(students), disciplines=disciplines)


def _unique(kind: str, ids: list[str]) -> None:
    repeated = [name for name, n in Counter(ids).items() if n > 1]
    if repeated:
        raise EnrollmentError(f"duplicate {kind} id {repeated[0]!r}")
