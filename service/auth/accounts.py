"""Creating and changing users (the command line, the demo data and the tests use these).

Passwords are hashed with :func:`werkzeug.security.generate_password_hash` (scrypt by default);
only the hash is stored. Every change is written to the audit log (entity ``users``; a password
appears only as ``(set)`` / ``(changed)``) in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from service import audit
from service.auth.roles import check_role
from service.errors import Conflict, FieldError, NotFound, Unprocessable
from service.models import Student, Teacher, User, UserRole
from service.schemas.users import UserCreate


def snapshot(user: User) -> dict[str, Any]:
    """The audited fields of ``user``."""
    fields = ("username", "full_name", "active", "roles", "teacher_id", "student_id")
    return {name: getattr(user, name) for name in fields}


def log_user_change(db: Session, user: User, before: dict[str, Any], password_changed: bool = False) -> None:
    """Audit the difference between ``before`` and ``user`` now (plus a password change, without the password)."""
    changes = audit.diff(before, snapshot(user))
    if password_changed:
        changes["password"] = ("(hidden)", "(changed)")
    audit.log_changes(db, "users", user.id, "update", changes)


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def password_matches(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def find_user(db: Session, username: str) -> User:
    user = db.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def check_links(db: Session, data: UserCreate, user: User | None = None) -> None:
    """422 for an unknown teacher or student record, 409 for one already linked to another user."""
    errors = []
    for field, model in (("teacher_id", Teacher), ("student_id", Student)):
        value = getattr(data, field)
        if value is not None and db.get(model, value) is None:
            errors.append(FieldError(field, f"no {model.label} with id {value}"))
    if errors:
        raise Unprocessable(errors)
    if db.scalar(select(User).where(User.username == data.username, User.id != (user.id if user else -1))):
        raise Conflict(f"a user with username {data.username} already exists", field="username")
    for field in ("teacher_id", "student_id"):
        value = getattr(data, field)
        other = value is not None and db.scalar(
            select(User).where(getattr(User, field) == value, User.id != (user.id if user else -1))
        )
        if other:
            raise Conflict(f"{field} {value} is already linked to user {other.username}", field=field)


def create_user(db: Session, data: UserCreate, password_hash: str | None = None) -> User:
    """Add a user (not committed); ``password_hash`` skips hashing ``data.password`` again (tests, bulk demo)."""
    check_links(db, data)
    user = User(
        username=data.username,
        full_name=data.full_name,
        password_hash=password_hash or hash_password(data.password),
        active=data.active,
        teacher_id=data.teacher_id,
        student_id=data.student_id,
        created_at=dt.datetime.now(dt.UTC),
        role_rows=[UserRole(role=r) for r in sorted(set(data.roles))],
    )
    db.add(user)
    db.flush()
    values = {name: (None, value) for name, value in snapshot(user).items() if value not in (None, [])}
    audit.log_changes(db, "users", user.id, "create", values | {"password": (None, "(set)")})
    return user


def set_roles(db: Session, user: User, roles: Iterable[str]) -> None:
    """Replace ``user``'s roles (checked against the role names and the record links; not committed)."""
    before = snapshot(user)
    wanted = [check_role(r) for r in dict.fromkeys(roles)]
    UserCreate(username=user.username, full_name=user.full_name, password="x" * 8, roles=wanted,  # type: ignore[arg-type]
               teacher_id=user.teacher_id, student_id=user.student_id)  # fmt: skip
    user.role_rows = [UserRole(role=r) for r in sorted(wanted)]
    db.flush()
    log_user_change(db, user, before)


def set_password(db: Session, user: User, password: str) -> None:
    """A new password (at least 8 characters; not committed); every open session of the user ends."""
    if len(password) < 8:
        raise ValueError("a password has at least 8 characters")
    user.password_hash = hash_password(password)
    log_user_change(db, user, snapshot(user), password_changed=True)


def set_active(db: Session, user: User, active: bool) -> None:
    """Let the user in or lock them out (sessions and tokens stop working); not committed."""
    before = snapshot(user)
    user.active = active
    log_user_change(db, user, before)
