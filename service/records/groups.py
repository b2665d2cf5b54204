"""Academic groups and lecture streams.

Database rules (beyond the schemas): every group of a stream exists, and a stream with a language
holds only groups taught in it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from service.auth import EVERY_ROLE, REGISTRAR
from service.errors import FieldError
from service.models import AcademicGroup, Programme, Stream, Teacher
from service.records.crud import Resource, register
from service.schemas.groups import GroupCreate, GroupOut, GroupQuery, StreamCreate, StreamOut, StreamQuery

bp = Blueprint("groups", __name__)


def stream_rules(db: Session, data: StreamCreate, _row: Any) -> list[FieldError]:
    found = {g.id: g for g in db.scalars(select(AcademicGroup).where(AcademicGroup.id.in_(data.group_ids)))}
    missing = [str(g) for g in data.group_ids if g not in found]
    if missing:
        return [FieldError("group_ids", f"no academic group with id {', '.join(missing)}")]
    if data.language is not None:
        other = [f"{g.code} ({g.language})" for g in found.values() if g.language != data.language]
        if other:
            return [FieldError("group_ids", f"not taught in {data.language}: {', '.join(sorted(other))}")]
    return []


def stream_input(stream: Stream) -> dict[str, Any]:
    return {"code": stream.code, "language": stream.language, "group_ids": stream.group_ids}


def apply_stream(db: Session, stream: Stream, data: StreamCreate) -> None:
    stream.code = data.code
    stream.language = data.language
    groups = db.scalars(select(AcademicGroup).where(AcademicGroup.id.in_(data.group_ids))).all()
    stream.groups = sorted(groups, key=lambda g: g.code)


GROUPS = Resource(
    "/groups",
    AcademicGroup,
    GroupCreate,
    GroupOut,
    GroupQuery,
    references={"programme_id": Programme, "advisor_id": Teacher},
    unique=[("code",)],
    search=("code",),
    read=EVERY_ROLE,
    write=REGISTRAR,
)
STREAMS = Resource(
    "/streams",
    Stream,
    StreamCreate,
    StreamOut,
    StreamQuery,
    unique=[("code",)],
    search=("code",),
    filters={"group_id": lambda group_id: Stream.groups.any(AcademicGroup.id == group_id)},
    rules=stream_rules,
    load=(selectinload(Stream.groups),),
    to_input=stream_input,
    apply=apply_stream,
    read=EVERY_ROLE,
    write=REGISTRAR,
)
register(bp, GROUPS, "academic groups")
register(bp, STREAMS, "lecture streams")
