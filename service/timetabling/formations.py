"""Group formations of the service: the sections a ``groups`` job formed, stored, read back and exported.

Rules:

- a formation keeps the instance it was formed for (a :class:`~models.enrollment.EnrollmentInstance` as
  JSON; students are ``s<student id>``, disciplines their codes), the sections (a
  :class:`~models.groups.Grouping`'s sections as JSON) and the breakdown of the independent scorer
  (:func:`models.groups_scoring.score`: ``hard`` counts per rule, the objective ``terms``,
  ``hard_violations``), computed once when it is stored (:func:`add_formation`);
- :func:`section_rows` lists the sections for the API and the page, by discipline, kind (lectures
  before practices before labs) and name, each with its size, language(s), students and the sections
  of the next finer kind that make it up (a lecture stream's practice groups);
- :func:`export` gives the files ``registrar groups form --out`` writes (:data:`EXPORTS`), made by the same
  exporter (:func:`datasets.enrollment_files.grouping_file`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from datasets.enrollment_files import GROUPING_FILES, grouping_file
from models.enrollment import KIND_ORDER, EnrollmentInstance
from models.groups import Grouping
from models.groups_scoring import GroupingReport
from service.models import GroupFormation

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXPORTS: dict[str, str] = {name: MEDIA_TYPES[name.rsplit(".", 1)[1]] for name in GROUPING_FILES}
"""File name -> media type of the downloads (the names ``registrar groups form --out`` writes)."""


def instance_json(instance: EnrollmentInstance) -> dict[str, Any]:
    return instance.model_dump(mode="json")


def load_instance(data: dict[str, Any]) -> EnrollmentInstance:
    return EnrollmentInstance.model_validate(data)


def grouping_of(formation: GroupFormation) -> Grouping:
    return Grouping.model_validate({"sections": formation.sections})


def add_formation(
    db: Session,
    period_id: int,
    instance: dict[str, Any],
    grouping: Grouping,
    report: GroupingReport,
    *,
    actor: str,
    job_id: int | None = None,
) -> GroupFormation:
    """A new formation of the period with ``report`` (the scorer's, for ``grouping``); flushed, not committed."""
    formation = GroupFormation(
        period_id=period_id,
        job_id=job_id,
        instance=instance,
        sections=[s.model_dump(mode="json") for s in grouping.sections],
        hard=dict(report.hard),
        terms=dict(report.terms),
        hard_violations=report.hard_violations,
        created_at=dt.datetime.now(dt.UTC),
        created_by=actor,
    )
    db.add(formation)
    db.flush()
    return formation


@dataclass(frozen=True)
class SectionRow:
    """One section as the API and the page show it."""

    discipline: str
    discipline_name: str
    kind: str
    section: str
    language: str
    """The students' languages of instruction joined by ``+`` (one, unless the kind mixes them)."""
    size: int
    students: list[str]
    parent: str | None
    """The section of the next coarser kind containing it (a practice group's lecture stream)."""
    children: list[str]
    """The sections of the next finer kind that make it up (a lecture stream's practice groups)."""


def section_rows(formation: GroupFormation) -> list[SectionRow]:
    """The formation's sections by discipline, kind and name (see the module docstring)."""
    instance = load_instance(formation.instance)
    grouping = grouping_of(formation)
    language = {s.id: s.language for s in instance.student_by_id.values()}
    names = {d.id: d.name for d in instance.disciplines}
    order = {kind.value: n for n, kind in enumerate(KIND_ORDER)}
    rows = [
        SectionRow(
            discipline=s.discipline,
            discipline_name=names.get(s.discipline, ""),
            kind=s.kind.value,
            section=s.id,
            language="+".join(sorted({language[x] for x in s.students if x in language})),
            size=len(s.students),
            students=list(s.students),
            parent=s.parent,
            children=[c.id for c in grouping.children(s.id)],
        )
        for s in grouping.sections
    ]
    return sorted(rows, key=lambda r: (r.discipline, order.get(r.kind, len(order)), r.section))


def export(formation: GroupFormation, name: str) -> bytes:
    """The download ``name`` (one of :data:`EXPORTS`) of the formation."""
    return grouping_file(load_instance(formation.instance), grouping_of(formation), name)
