"""The approval workflow of timetable versions, manual edits, and their role rules.

States of a version and who moves it (:data:`TRANSITIONS`):

- ``draft`` (a solve, a repair or a copy) -> ``submitted``: :func:`submit`, by the timetable's
  author role (lessons: ``scheduler``; exams: ``exam_coordinator`` or ``scheduler``);
- ``submitted`` -> ``approved``: :func:`approve`, by the ``vice_rector`` (an optional remark);
- ``submitted`` -> ``returned``: :func:`return_version`, by the ``vice_rector``, with a comment (required);
- ``returned`` is edited like a draft and may be submitted again;
- ``approved`` -> ``published``: :func:`publish`, by the ``vice_rector`` or the ``registrar``; the
  timetable's previously published version becomes ``superseded`` in the same transaction (one
  published version per period and kind).

Only a version without hard violations may be submitted, approved or published. Edits (:func:`move_lesson`,
:func:`move_exam`) change a ``draft`` or ``returned`` version in place; on an ``approved`` or ``published``
one they first make a new draft (:func:`new_draft`, a copy) and change that; a ``submitted`` version
(under review) or a ``superseded`` one cannot be edited. An edit is re-scored at once: the answer
(:class:`EditResult`) gives the new hard violations and the cost change.

Optimistic locking: every call that changes a version takes the ``revision`` the caller read; a
different current revision is a :class:`~service.errors.Conflict` (409) naming both numbers. Every
transition and edit is written to the audit log (:mod:`service.audit`, entity ``timetable_versions``)
in the same transaction. Functions here do not commit: the caller does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.course_timetable import CourseTimetable, Placement
from models.exam_instance import ExamInstance, ExamPlacement, ExamTimetable
from service.audit import log_changes
from service.errors import Conflict, FieldError, Forbidden, Unprocessable
from service.models import Timetable, TimetableVersion
from service.timetabling import versions

AUTHORS: dict[str, tuple[str, ...]] = {
    "lessons": ("scheduler",),
    "exams": ("exam_coordinator", "scheduler"),
    "groups": ("scheduler",),
}
"""Roles that solve, edit, repair and submit a timetable of each kind (``groups``: that start a group formation)."""
APPROVERS = ("vice_rector",)
PUBLISHERS = ("vice_rector", "registrar")
STAFF = ("scheduler", "exam_coordinator", "vice_rector", "registrar")
"""Roles that see every version and job (others see published versions only)."""
EDITABLE = ("draft", "returned")
COPY_ON_EDIT = ("approved", "published")
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, tuple[str, ...] | None]] = {
    "submit": (EDITABLE, "submitted", None),
    "approve": (("submitted",), "approved", APPROVERS),
    "return": (("submitted",), "returned", APPROVERS),
    "publish": (("approved",), "published", PUBLISHERS),
}
"""Action -> (states it starts from, state it leads to, roles allowed; ``None``: the kind's authors)."""


def allowed(action: str, kind: str) -> tuple[str, ...]:
    """Roles that may take ``action`` (a transition, ``edit``, ``solve`` or ``repair``) on a timetable of ``kind``."""
    if action in TRANSITIONS:
        return TRANSITIONS[action][2] or AUTHORS[kind]
    return AUTHORS[kind]


def require(roles: Iterable[str] | None, action: str, kind: str) -> None:
    """403 unless ``roles`` hold a role allowed to take ``action`` (``roles=None``: the CLI operator, allowed)."""
    if roles is None:
        return
    needed = allowed(action, kind)
    if not set(roles) & set(needed):
        held = ", ".join(sorted(roles)) or "no role"
        what = "a group formation" if kind == "groups" else f"a {kind} timetable"
        raise Forbidden(f"{action} of {what} needs the role {' or '.join(needed)} (you have {held})")


def check_revision(version: TimetableVersion, revision: int | None) -> None:
    """409 when ``revision`` (what the caller read) is not the version's current one."""
    if revision is not None and revision != version.revision:
        raise Conflict(
            f"version {version.number} was changed by someone else since you read it (your revision {revision}, "
            f"now {version.revision}); reload it and try again",
            "revision",
        )


def kind_of(db: Session, version: TimetableVersion) -> str:
    return db.get_one(Timetable, version.timetable_id).kind


def _stamp(version: TimetableVersion, actor: str) -> None:
    version.updated_at = versions.now()
    version.updated_by = actor


def transition(
    db: Session,
    version: TimetableVersion,
    action: str,
    *,
    actor: str,
    roles: Iterable[str] | None,
    revision: int | None,
    comment: str | None = None,
) -> TimetableVersion:
    """Take ``action`` (``submit``, ``approve``, ``return``, ``publish``) on ``version`` (see the module docstring)."""
    if action not in TRANSITIONS:
        raise Unprocessable(f"unknown action {action!r}: expected one of {', '.join(TRANSITIONS)}", "action")
    kind = kind_of(db, version)
    require(roles, action, kind)
    check_revision(version, revision)
    sources, target, _ = TRANSITIONS[action]
    if version.status not in sources:
        raise Conflict(
            f"version {version.number} is {version.status}; {action} needs a version that is {' or '.join(sources)}",
            "status",
        )
    if action == "return" and not (comment and comment.strip()):
        raise Unprocessable([FieldError("comment", "returning a version needs a comment saying what to change")])
    if action != "return" and version.hard_violations:
        raise Conflict(
            f"version {version.number} has {version.hard_violations} hard violations; repair or edit it first", "status"
        )
    at = versions.now()
    old = {"status": version.status, "comment": version.comment}
    if action == "publish":
        current = db.scalar(
            select(TimetableVersion).where(
                TimetableVersion.timetable_id == version.timetable_id, TimetableVersion.status == "published"
            )
        )
        if current is not None:
            log_changes(db, "timetable_versions", current.id, "update", {"status": ("published", "superseded")})
            current.status = "superseded"
            _stamp(current, actor)
            db.flush()  # the partial unique index allows one published version per timetable
        version.published_at, version.published_by = at, actor
    elif action == "submit":
        version.submitted_at, version.submitted_by = at, actor
    else:
        version.decided_at, version.decided_by = at, actor
        if comment is not None:
            version.comment = comment.strip() or None
    version.status = target
    _stamp(version, actor)
    changes = {"status": (old["status"], target)}
    if version.comment != old["comment"]:
        changes["comment"] = (old["comment"], version.comment)
    log_changes(db, "timetable_versions", version.id, "update", changes, reason=comment or None)
    db.flush()
    return version


def new_draft(db: Session, version: TimetableVersion, *, actor: str, roles: Iterable[str] | None) -> TimetableVersion:
    """A new draft copying ``version`` (its instance, legend and placements), based on it."""
    timetable = db.get_one(Timetable, version.timetable_id)
    require(roles, "edit", timetable.kind)
    solution = versions.solution_of(version, timetable.kind)
    draft = versions.add_version(
        db, timetable, version.instance, version.legend, solution, source="copy", actor=actor, based_on=version
    )
    log_changes(
        db, "timetable_versions", draft.id, "create", {"status": (None, "draft"), "based_on_id": (None, version.id)}
    )
    return draft


@dataclass(frozen=True)
class EditResult:
    """The edited version (maybe a new draft), its hard violations and soft cost before and after."""

    version: TimetableVersion
    hard_before: int
    hard_after: int
    cost_before: int
    cost_after: int
    new_violations: list[str]
    """Hard-violation lines of the scorer that the edit introduced."""

    @property
    def cost_change(self) -> int:
        return self.cost_after - self.cost_before


def _editable(
    db: Session, version: TimetableVersion, *, actor: str, roles: Iterable[str] | None, revision: int | None
) -> tuple[TimetableVersion, str]:
    kind = kind_of(db, version)
    require(roles, "edit", kind)
    check_revision(version, revision)
    if version.status in COPY_ON_EDIT:
        return new_draft(db, version, actor=actor, roles=roles), kind
    if version.status not in EDITABLE:
        raise Conflict(
            f"version {version.number} is {version.status} and cannot be edited"
            + ("; the vice-rector must return it first" if version.status == "submitted" else ""),
            "status",
        )
    return version, kind


def _hard_lines(report: versions.ScoreReport) -> list[str]:
    return [line for line in report.details if line.startswith("[H]")]


def move_lesson(
    db: Session,
    version: TimetableVersion,
    *,
    course: str,
    day: int,
    pair: int,
    room: str,
    to_day: int,
    to_pair: int,
    to_room: str | None,
    actor: str,
    roles: Iterable[str] | None,
    revision: int | None,
) -> EditResult:
    """Move the lesson of ``course`` at (``day``, ``pair``, ``room``) to (``to_day``, ``to_pair``, ``to_room``
    or the same room); 422 for a lesson that is not there or a place outside the week or the rooms."""
    target, kind = _editable(db, version, actor=actor, roles=roles, revision=revision)
    if kind != "lessons":
        raise Unprocessable("this is an exam session: move exams, not lessons", "course")
    instance = versions.instance_of(target, kind)
    assert not isinstance(instance, ExamInstance)
    rows = [tuple(r) for r in target.placements]
    here = (course, room, day, pair)
    if here not in rows:
        raise Unprocessable(f"there is no lesson of {course} in room {room} on day {day}, pair {pair}", "course")
    new_room = to_room or room
    if new_room not in instance.room_by_id:
        raise Unprocessable(f"unknown room {new_room!r}", "to_room")
    if not (0 <= to_day < instance.days and 0 <= to_pair < instance.periods_per_day):
        raise Unprocessable(
            f"day {to_day}, pair {to_pair} is outside the {instance.days} x {instance.periods_per_day} week", "to_day"
        )
    before = versions.score(kind, instance, versions.load_solution(kind, target.placements))
    rows.remove(here)
    rows.append((course, new_room, to_day, to_pair))
    solution = CourseTimetable(placements=tuple(Placement(course=c, room=r, day=d, period=p) for c, r, d, p in rows))
    return _store_edit(
        db,
        target,
        kind,
        instance,
        solution,
        before,
        actor,
        {"lesson": ([course, room, day, pair], [course, new_room, to_day, to_pair])},
    )


def move_exam(
    db: Session,
    version: TimetableVersion,
    *,
    exam: str,
    to_period: int,
    to_room: str | None,
    actor: str,
    roles: Iterable[str] | None,
    revision: int | None,
) -> EditResult:
    """Move ``exam`` to sitting ``to_period`` (index) and ``to_room`` (or its room); 422 for unknown ones."""
    target, kind = _editable(db, version, actor=actor, roles=roles, revision=revision)
    if kind != "exams":
        raise Unprocessable("this is a lesson timetable: move lessons, not exams", "exam")
    instance = versions.instance_of(target, kind)
    assert isinstance(instance, ExamInstance)
    old = versions.load_solution(kind, target.placements)
    assert isinstance(old, ExamTimetable)
    placement = old.get(exam)
    if placement is None:
        raise Unprocessable(f"there is no exam {exam!r} in this version", "exam")
    room = to_room or placement.room
    if room is not None and room not in instance.room_by_id:
        raise Unprocessable(f"unknown room {room!r}", "to_room")
    if not 0 <= to_period < len(instance.periods):
        raise Unprocessable(f"sitting {to_period} is outside 0..{len(instance.periods) - 1}", "to_period")
    before = versions.score(kind, instance, old)
    solution = ExamTimetable(placements=old.placements | {exam: ExamPlacement(period=to_period, room=room)})
    return _store_edit(
        db,
        target,
        kind,
        instance,
        solution,
        before,
        actor,
        {"exam": ([exam, placement.period, placement.room], [exam, to_period, room])},
    )


def _store_edit(
    db: Session,
    version: TimetableVersion,
    kind: str,
    instance: versions.Instance,
    solution: versions.Solution,
    before: versions.ScoreReport,
    actor: str,
    change: dict[str, tuple[object, object]],
) -> EditResult:
    after = versions.score(kind, instance, solution)
    old_hard, old_cost = version.hard_violations, version.cost
    version.placements = versions.dump_solution(solution)
    versions.apply_score(version, after)
    version.edits += 1
    _stamp(version, actor)
    scores = {"cost": (old_cost, version.cost), "hard_violations": (old_hard, version.hard_violations)}
    log_changes(db, "timetable_versions", version.id, "update", change | scores)
    db.flush()
    known = set(_hard_lines(before))
    return EditResult(
        version,
        old_hard,
        version.hard_violations,
        old_cost,
        version.cost,
        [line for line in _hard_lines(after) if line not in known],
    )
