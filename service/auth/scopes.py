"""Row-level rules: which records a caller with only *scoped* roles may reach.

An endpoint's :class:`~service.auth.roles.RoleRule` admits full roles (every row) and scoped roles
(``allow(...).scoped(student="own record")``). After :func:`~service.auth.identity.authorize`, a view
calls these helpers; a caller holding a full role of the rule always passes.

Students (``/students`` and everything hanging off a student: registration, grades, record book):

- ``student``: their own record (the user's ``student_id``);
- ``advisor``: the students of the academic groups they advise (``groups.advisor_id`` is their ``teacher_id``);
- other areas add scopes with :func:`register_student_scope` (e.g. ``teacher``: the students of the
  sections they teach, once sections exist).

Helpers for views: :func:`student_filter` (a SQL condition for lists), :func:`require_student`
(403 unless the caller may see that student), :func:`require_self_or_role` (the caller *is* that
student or teacher, e.g. a teacher's own grade sheet), :func:`has_full_access`.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import Session

from service.auth.identity import Actor, current_rule, require_actor
from service.errors import Forbidden
from service.models import AcademicGroup, Student

StudentScope = Callable[[Actor], ColumnElement[bool]]
"""A condition on :class:`~service.models.Student` rows that a caller with the role may reach."""


def _own_record(actor: Actor) -> ColumnElement[bool]:
    return Student.id == actor.student_id if actor.student_id is not None else false()


def _advised_groups(actor: Actor) -> ColumnElement[bool]:
    if actor.teacher_id is None:
        return false()
    return Student.group_id.in_(select(AcademicGroup.id).where(AcademicGroup.advisor_id == actor.teacher_id))


STUDENT_SCOPES: dict[str, StudentScope] = {"student": _own_record, "advisor": _advised_groups}


def register_student_scope(role: str, scope: StudentScope) -> None:
    """Let ``role``, where an endpoint's rule scopes it, reach the students ``scope`` selects."""
    STUDENT_SCOPES[role] = scope


def has_full_access() -> bool:
    """Whether the caller holds a full (not only a scoped) role of the current endpoint's rule."""
    return current_rule().full(require_actor().roles)


def student_filter() -> ColumnElement[bool] | None:
    """``None`` for full access, else the condition on students the caller's scoped roles reach (maybe none)."""
    if has_full_access():
        return None
    actor, rule = require_actor(), current_rule()
    conditions = [STUDENT_SCOPES[r](actor) for r in actor.roles if r in rule.scopes and r in STUDENT_SCOPES]
    return or_(*conditions) if conditions else false()


def require_student(db: Session, student_id: int) -> None:
    """403 unless the caller may see student ``student_id`` (call after the 404 check)."""
    condition = student_filter()
    if condition is None:
        return
    if db.scalar(select(Student.id).where(Student.id == student_id, condition)) is None:
        actor = require_actor()
        raise Forbidden(f"{actor.username} may not see student {student_id}: {_scope_text(actor)}")


def require_self_or_role(*, student_id: int | None = None, teacher_id: int | None = None) -> None:
    """403 unless the caller has a full role of the rule or *is* the given student or teacher."""
    if has_full_access():
        return
    actor = require_actor()
    if student_id is not None and actor.student_id == student_id:
        return
    if teacher_id is not None and actor.teacher_id == teacher_id:
        return
    whom = f"student {student_id}" if student_id is not None else f"teacher {teacher_id}"
    raise Forbidden(f"only {whom} or {' or '.join(sorted(current_rule().roles))} may do this")


def _scope_text(actor: Actor) -> str:
    rule = current_rule()
    scoped = [f"{r}: {rule.scopes[r]}" for r in actor.sorted_roles if r in rule.scopes]
    return "; ".join(scoped) or "no role reaches students"
