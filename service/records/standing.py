"""Standing: a student's electronic record book, rankings by GPA, and the transfer list of a year.

Access: the registrar, vice-rector, exam coordinator and archivist read everything. A student reads
only their own record book; an advisor the record books of their groups' students and the ranking of
a group they advise.
"""

from __future__ import annotations

from flask import Blueprint

from service.academic import record_book, standing
from service.academic.settings import grading_policy
from service.api.routing import endpoint
from service.auth import allow, has_full_access, require_actor, require_student
from service.auth.roles import RECORD_READERS
from service.db import session
from service.errors import Forbidden
from service.models import AcademicGroup
from service.schemas.common import Page
from service.schemas.standing import RankingQuery, RankingRow, RecordBookOut, TransferQuery, TransferRow

bp = Blueprint("standing", __name__)
BOOK_READERS = allow(*RECORD_READERS).scoped(student="own record book", advisor="students of the groups they advise")
RANKING_READERS = allow(*RECORD_READERS).scoped(advisor="rankings of the groups they advise")


@endpoint(bp, "/students/<int:id>/record-book", "GET", name="get_record_book",
          summary="A student's electronic record book: every discipline with its grades, per period, and the GPAs",
          response=RecordBookOut, roles=BOOK_READERS)  # fmt: skip
def get_record_book(id: int) -> RecordBookOut:
    db = session()
    record_book.find_student(db, id)
    require_student(db, id)
    return record_book.record_book(db, id)


@endpoint(bp, "/rankings", "GET", name="list_rankings",
          summary="Students ranked by GPA within a group, a programme or a year of study", query=RankingQuery,
          response=Page[RankingRow], roles=RANKING_READERS)  # fmt: skip
def list_rankings(query: RankingQuery) -> Page[RankingRow]:
    db = session()
    if not has_full_access():
        actor = require_actor()
        group = db.get(AcademicGroup, query.group_id) if query.group_id and 0 < query.group_id < 2**31 else None
        if query.scope != "group" or group is None or actor.teacher_id is None or group.advisor_id != actor.teacher_id:
            raise Forbidden(f"{actor.username} may see only the ranking of a group they advise")
    return standing.rankings(db, query)


@endpoint(bp, "/transfer-list", "GET", name="list_transfer_risks",
          summary="Students of an academic year below the transfer GPA of their year or with academic debt",
          query=TransferQuery, response=Page[TransferRow], roles=allow(*RECORD_READERS))  # fmt: skip
def list_transfer(query: TransferQuery) -> Page[TransferRow]:
    db = session()
    return standing.transfer_list(db, grading_policy(db), query)
