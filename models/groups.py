"""Sections formed from enrollment results, and the moves between two such formations.

A :class:`Grouping` lists, for every discipline and lesson kind, its sections and their students.
A section of a finer kind names its ``parent``: the section of the next coarser kind of the same
discipline that contains it (a practice group's lecture stream, a lab subgroup's practice group),
so the practice groups that make up each lecture stream are explicit
(:meth:`Grouping.children`).

Whether a grouping obeys the rules is the scorer's business (:mod:`models.groups_scoring`); a
:class:`Grouping` itself only checks that section ids are unique.

A *move* is a registration (student, discipline, kind) present in two groupings whose section
differs (:func:`moves_between`). Section ids identify sections across the two; with
``match_labels`` the second grouping's sections are first renamed to the first's by a maximum
matching of shared students, so that a grouping formed from scratch (new ids) is compared fairly.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Self

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.course_instance import LessonKind
from models.enrollment import EnrollmentError

Registration = tuple[str, str, LessonKind]
"""``(student, discipline, kind)``: a student's place in one kind of lessons of a discipline."""


class Section(BaseModel):
    """A section: the students taught one kind of lessons of a discipline together."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    discipline: str = Field(min_length=1)
    kind: LessonKind
    students: tuple[str, ...]
    parent: str | None = None
    """The section of the discipline's next coarser kind containing this one (``None`` for the coarsest)."""


class Grouping(BaseModel):
    """The sections of a whole registration."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sections: tuple[Section, ...] = ()

    @cached_property
    def section_by_id(self) -> dict[str, Section]:
        return {s.id: s for s in self.sections}

    @cached_property
    def _children(self) -> dict[str, list[Section]]:
        out: dict[str, list[Section]] = defaultdict(list)
        for section in self.sections:
            if section.parent is not None:
                out[section.parent].append(section)
        return out

    def children(self, section_id: str) -> list[Section]:
        """Sections whose parent is ``section_id`` (a stream's practice groups), in listed order."""
        return list(self._children.get(section_id, ()))

    def of(self, discipline: str, kind: LessonKind | None = None) -> list[Section]:
        """Sections of ``discipline`` (of ``kind``, if given), in listed order."""
        return [s for s in self.sections if s.discipline == discipline and (kind is None or s.kind == kind)]

    @cached_property
    def assignment(self) -> dict[Registration, str]:
        """``(student, discipline, kind)`` -> section id (the first, if a student is listed twice)."""
        out: dict[Registration, str] = {}
        for section in self.sections:
            for student in section.students:
                out.setdefault((student, section.discipline, section.kind), section.id)
        return out

    def student_sections(self) -> dict[str, tuple[str, ...]]:
        """Student id -> the sorted ids of every section the student is in (the student's combination)."""
        out: dict[str, list[str]] = defaultdict(list)
        for section in self.sections:
            for student in section.students:
                out[student].append(section.id)
        return {student: tuple(sorted(ids)) for student, ids in out.items()}

    def renamed(self, mapping: dict[str, str]) -> Grouping:
        """The same sections with ids (and parents) renamed by ``mapping`` (ids not in it are kept)."""
        return Grouping(
            sections=tuple(
                s.model_copy(
                    update={
                        "id": mapping.get(s.id, s.id),
                        "parent": None if s.parent is None else mapping.get(s.parent, s.parent),
                    }
                )
                for s in self.sections
            )
        )

    @model_validator(mode="after")
    def _check(self) -> Self:
        repeated = [name for name, n in Counter(s.id for s in self.sections).items() if n > 1]
        if repeated:
            raise EnrollmentError(f"duplicate section id {repeated[0]!r}")
        return self


@dataclass(frozen=True)
class Move:
    """A registration whose section changed."""

    student: str
    discipline: str
    kind: LessonKind
    old: str
    new: str


def moves_between(old: Grouping, new: Grouping, match_labels: bool = False) -> list[Move]:
    """Registrations in both groupings whose section id differs, ordered as ``new`` lists them.

    With ``match_labels``, ``new`` is first renamed by :func:`match_labels` (best overlap with ``old``).
    """
    if match_labels:
        new = new.renamed(matching_names(old, new))
    before = old.assignment
    moves = []
    for section in new.sections:
        for student in section.students:
            previous = before.get((student, section.discipline, section.kind))
            if previous is not None and previous != section.id:
                moves.append(Move(student, section.discipline, section.kind, previous, section.id))
    return moves


def matching_names(old: Grouping, new: Grouping) -> dict[str, str]:
    """Names for ``new``'s sections that keep as many students in place as possible.

    Per discipline and kind, a maximum-weight matching (networkx) pairs new sections with old ones,
    the weight being the students they share; a matched new section takes the old id. Unmatched new
    sections keep their id unless it is taken by an old section in use, then get a fresh ``~N`` suffix.
    """
    mapping: dict[str, str] = {}
    for (discipline, kind), new_sections in _by_key(new.sections).items():
        old_sections = old.of(discipline, kind)
        where = {student: s.id for s in old_sections for student in s.students}
        graph = nx.Graph()
        for section in new_sections:
            shared = Counter(where[st] for st in section.students if st in where)
            for old_id, weight in shared.items():
                graph.add_edge(("new", section.id), ("old", old_id), weight=weight)
        for a, b in nx.max_weight_matching(graph):
            new_node, old_node = (a, b) if a[0] == "new" else (b, a)
            mapping[new_node[1]] = old_node[1]
    taken = set(mapping.values()) | set(old.section_by_id)
    for section in new.sections:
        if section.id in mapping:
            continue
        name, n = section.id, 1
        while name in taken:
            n += 1
            name = f"{section.id}~{n}"
        mapping[section.id] = name
        taken.add(name)
    return mapping


def _by_key(sections: Iterable[Section]) -> dict[tuple[str, LessonKind], list[Section]]:
    out: dict[tuple[str, LessonKind], list[Section]] = defaultdict(list)
    for section in sections:
        out[section.discipline, section.kind].append(section)
    return out
