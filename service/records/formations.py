"""Group formations API: the sections a ``groups`` job formed (``POST /timetable-jobs`` with kind ``groups``).

- ``GET /group-formations/<id>``: the scorer's breakdown and the sections (discipline, kind, language,
  name, size, student ids, and the sections of the next finer kind that make up each one: a lecture
  stream's practice groups);
- ``GET /group-formations/<id>/sections.csv``, ``.../assignments.csv``, ``.../sections.xlsx``: the files
  ``registrar groups form --out`` writes (:func:`datasets.enrollment_files.grouping_file`).

Who may call them: the timetable staff (``scheduler``, ``exam_coordinator``, ``vice_rector``,
``registrar``), as for the jobs; an unknown id (or one beyond the integer columns) is a 404.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response

from service.api.routing import endpoint
from service.auth import allow
from service.db import session
from service.errors import NotFound
from service.models import GroupFormation
from service.schemas.common import INT_MAX
from service.schemas.timetables import FormationOut
from service.timetabling import formations, workflow

bp = Blueprint("formations", __name__)
STAFF = allow(*workflow.STAFF)
FORMATION = "/group-formations/<int:id>"


def find_formation(id: int) -> GroupFormation:
    """The formation (404 if unknown)."""
    formation = session().get(GroupFormation, id) if 0 < id <= INT_MAX else None
    if formation is None:
        raise NotFound(f"there is no group formation {id}")
    return formation


def formation_out(formation: GroupFormation) -> FormationOut:
    data = {name: getattr(formation, name) for name in FormationOut.model_fields if name != "sections"}
    rows = [asdict(row) for row in formations.section_rows(formation)]
    return FormationOut.model_validate(data | {"sections": rows})


def download(formation: GroupFormation, name: str) -> Response:
    """The formation's file ``name`` (one of :data:`service.timetabling.formations.EXPORTS`) as an attachment."""
    answer = Response(formations.export(formation, name), mimetype=formations.EXPORTS[name])
    stem, suffix = name.split(".")
    answer.headers["Content-Disposition"] = f'attachment; filename="formation-{formation.id}-{stem}.{suffix}"'
    return answer


@endpoint(
    bp,
    FORMATION,
    "GET",
    name="get_group_formation",
    summary="A group formation: the scorer's breakdown and the sections",
    response=FormationOut,
    roles=STAFF,
)
def get_formation(id: int) -> FormationOut:
    return formation_out(find_formation(id))


@endpoint(
    bp,
    f"{FORMATION}/sections.csv",
    "GET",
    name="group_formation_sections_csv",
    summary="A group formation's sections as CSV (one row per section)",
    files=("text/csv",),
    roles=STAFF,
)
def sections_csv(id: int) -> Response:
    return download(find_formation(id), "sections.csv")


@endpoint(
    bp,
    f"{FORMATION}/assignments.csv",
    "GET",
    name="group_formation_assignments_csv",
    summary="A group formation's student lists as CSV (one row per student and section)",
    files=("text/csv",),
    roles=STAFF,
)
def assignments_csv(id: int) -> Response:
    return download(find_formation(id), "assignments.csv")


@endpoint(
    bp,
    f"{FORMATION}/sections.xlsx",
    "GET",
    name="group_formation_sections_xlsx",
    summary="A group formation as an Excel workbook (sheets Sections and Students)",
    files=(formations.MEDIA_TYPES["xlsx"],),
    roles=STAFF,
)
def sections_xlsx(id: int) -> Response:
    return download(find_formation(id), "sections.xlsx")
