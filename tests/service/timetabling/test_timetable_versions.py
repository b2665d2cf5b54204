"""Versions: a solved timetable stored as a draft with the scorer's breakdown, read back, compared, edited."""

from __future__ import annotations

import pytest
from flask import Flask
from timetable_testing import Term

from models.course_scoring import score
from models.course_timetable import CourseTimetable
from service import db
from service.errors import Conflict, Forbidden, Unprocessable
from service.models import AuditEntry, TimetableVersion
from service.timetabling import instances, versions, workflow
from solver.course.solve import solve


def solved_draft(app: Flask, term: Term) -> int:
    """Solve the term's lessons (in this process) and store them as a draft; the version id."""
    with app.app_context():
        session = db.session()
        built = instances.lesson_instance(session, term.period_id)
        result = solve(built.instance, time_limit=2, workers=1)  # type: ignore[arg-type]
        assert result.timetable is not None
        timetable = versions.timetable_for(session, term.period_id, "lessons")
        version = versions.add_version(
            session, timetable, built.instance_json(), built.legend, result.timetable, source="solve", actor="test"
        )
        session.commit()
        return version.id


def test_a_draft_keeps_instance_solution_and_scores(app: Flask, term: Term) -> None:
    version_id = solved_draft(app, term)
    with app.app_context():
        version = db.session().get_one(TimetableVersion, version_id)
        assert (version.number, version.status, version.revision, version.source) == (1, "draft", 1, "solve")
        instance = versions.instance_of(version, "lessons")
        solution = versions.solution_of(version, "lessons")
        assert isinstance(solution, CourseTimetable) and len(solution) == instance.lectures  # type: ignore[union-attr]
        report = score(instance, solution)  # type: ignore[arg-type]
        assert version.hard_violations == report.hard_violations == 0
        assert version.cost == report.cost and version.soft == report.soft
        rows = versions.lesson_rows(version)
        assert len(rows) == instance.lectures
        assert {r.groups for r in rows} == {("CS-25-1k",)}
        assert versions.dump_solution(solution) == version.placements


def test_move_lesson_rescores_and_audits_and_copy_compares(app: Flask, term: Term) -> None:
    version_id = solved_draft(app, term)
    with app.app_context():
        session = db.session()
        version = session.get_one(TimetableVersion, version_id)
        course, room, day, pair = version.placements[0]
        other = next(r for r in version.placements if r[0] != course)  # a lesson of the same group: a conflict
        result = workflow.move_lesson(
            session,
            version,
            course=course,
            day=day,
            pair=pair,
            room=room,
            to_day=other[2],
            to_pair=other[3],
            to_room=None,
            actor="t",
            roles=["scheduler"],
            revision=1,
        )
        session.commit()
        assert result.version.id == version_id and result.version.revision == 2
        assert result.hard_after > result.hard_before == 0
        assert any("Conflicts" in line or "RoomOccupation" in line or "[H]" in line for line in result.new_violations)
        entries = session.query(AuditEntry).filter_by(entity="timetable_versions", entity_id=version_id).all()
        assert {e.field for e in entries} >= {"lesson", "cost", "hard_violations"}
        with pytest.raises(Conflict, match="your revision 1, now 2"):
            workflow.move_lesson(
                session,
                version,
                course=course,
                day=other[2],
                pair=other[3],
                room=room,
                to_day=day,
                to_pair=pair,
                to_room=None,
                actor="t",
                roles=["scheduler"],
                revision=1,
            )
        with pytest.raises(Forbidden, match="scheduler"):
            workflow.move_lesson(
                session,
                version,
                course=course,
                day=other[2],
                pair=other[3],
                room=room,
                to_day=day,
                to_pair=pair,
                to_room=None,
                actor="t",
                roles=["teacher"],
                revision=2,
            )
        with pytest.raises(Unprocessable, match="no lesson"):
            workflow.move_lesson(
                session,
                version,
                course=course,
                day=5,
                pair=5,
                room="nowhere",
                to_day=0,
                to_pair=0,
                to_room=None,
                actor="t",
                roles=["scheduler"],
                revision=2,
            )
        with pytest.raises(Conflict, match="hard violations"):
            workflow.transition(session, version, "submit", actor="t", roles=["scheduler"], revision=2)
        workflow.move_lesson(
            session,
            version,
            course=course,
            day=other[2],
            pair=other[3],
            room=room,
            to_day=day,
            to_pair=pair,
            to_room=None,
            actor="t",
            roles=["scheduler"],
            revision=2,
        )
        assert version.hard_violations == 0
        copy = workflow.new_draft(session, version, actor="t", roles=None)
        session.commit()
        assert (copy.number, copy.based_on_id, copy.source) == (2, version.id, "copy")
        assert versions.compare("lessons", version, copy) == []
        version.placements = [[c, r, d, p] for c, r, d, p in version.placements]
        moved_rows = [list(r) for r in copy.placements]
        course, room, day, pair = moved_rows[0]
        moved_rows[0] = [course, room, (day + 1) % 6, pair]  # another day
        copy.placements = moved_rows
        moved = versions.compare("lessons", version, copy)
        assert len(moved) == 1 and (moved[0].before, moved[0].after) == ((room, day, pair), (room, (day + 1) % 6, pair))


def test_concurrent_edits_of_one_revision_are_refused(app: Flask, term: Term) -> None:
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    version_id = solved_draft(app, term)
    engine = db.engine(app)
    with Session(engine) as first, Session(engine) as second:
        mine, theirs = first.get_one(TimetableVersion, version_id), second.get_one(TimetableVersion, version_id)
        course, room, day, pair = mine.placements[0]
        move = {"course": course, "day": day, "pair": pair, "room": room, "to_day": day, "to_pair": pair,
                "to_room": None, "actor": "t", "roles": None, "revision": 1}  # fmt: skip
        workflow.move_lesson(first, mine, **move)
        first.commit()
        with pytest.raises(StaleDataError):  # both read revision 1: the second write finds revision 2
            workflow.move_lesson(second, theirs, **move)
        second.rollback()
    with app.app_context():
        assert db.session().get_one(TimetableVersion, version_id).revision == 2
