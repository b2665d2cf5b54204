"""Who is making the request, and the gate every endpoint passes (:func:`authorize`).

A request is signed in by one of:

- an API token: ``Authorization: Bearer <token>`` (:mod:`service.auth.tokens`); a malformed header, an
  unknown, expired or revoked token, or a deactivated user is a 401 at once;
- the Flask session cookie set by the web login (:mod:`service.web`): it holds the user id and a stamp
  of the password hash, so changing the password ends every session; a deactivated user is signed out.

:func:`current_user` finds the caller once per request (``None``: anonymous). :func:`authorize` checks
an endpoint's :class:`~service.auth.roles.RoleRule` and remembers it for the row-level helpers of
:mod:`service.auth.scopes`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from flask import g, has_request_context, request, session
from sqlalchemy.orm import joinedload

from service import db
from service.auth.roles import ROLES, RoleRule
from service.errors import Forbidden, Unauthorized
from service.models import User

SESSION_USER = "user_id"
SESSION_STAMP = "stamp"


@dataclass(frozen=True)
class Actor:
    """A signed-in caller: the user, their roles and record links, and how they proved who they are."""

    user_id: int
    username: str
    full_name: str
    roles: frozenset[str]
    teacher_id: int | None
    student_id: int | None
    via: Literal["token", "session"]

    @classmethod
    def of(cls, user: User, via: Literal["token", "session"]) -> Actor:
        return cls(user.id, user.username, user.full_name, frozenset(user.roles), user.teacher_id, user.student_id, via)

    @property
    def sorted_roles(self) -> list[str]:
        return [r for r in ROLES if r in self.roles]


def password_stamp(user: User) -> str:
    """A short digest of the password hash kept in the session: a new password invalidates old sessions."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def current_user() -> Actor | None:
    """The caller of the current request (``None``: anonymous or outside a request); found once per request."""
    if not has_request_context():
        return None
    if "actor" not in g:
        g.actor = _load()
    actor: Actor | None = g.actor
    return actor


def _load() -> Actor | None:
    from service.auth import tokens

    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, secret = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthorized("the Authorization header must be 'Bearer <token>'")
        token = tokens.authenticate(db.session(), secret.strip())
        return Actor.of(token.user, "token")
    user_id = session.get(SESSION_USER)
    if not isinstance(user_id, int):
        return None
    user = db.session().get(User, user_id, options=[joinedload(User.role_rows)])
    if user is None or not user.active or session.get(SESSION_STAMP) != password_stamp(user):
        session.clear()
        return None
    return Actor.of(user, "session")


def authorize(rule: RoleRule) -> Actor | None:
    """Let the caller through ``rule`` or raise: 401 when anonymous, 403 naming the roles that would do.

    Returns the caller; ``None`` for a public endpoint, which does not look at credentials at all.
    """
    g.role_rule = rule
    if rule.public:
        return None
    actor = current_user()
    if actor is None:
        raise Unauthorized("sign in first: send 'Authorization: Bearer <token>' or log in at /login")
    if not rule.admits(actor.roles, signed_in=True):
        needed = " or ".join(r for r in ROLES if r in rule.admitted)
        held = ", ".join(actor.sorted_roles) or "no role"
        raise Forbidden(f"this needs the role {needed}; {actor.username} has {held}")
    return actor


def current_rule() -> RoleRule:
    """The rule the current endpoint was authorized by (:func:`authorize` must have run)."""
    rule: RoleRule | None = g.get("role_rule")
    if rule is None:
        raise RuntimeError("no role rule was checked for this request: call authorize() first")
    return rule


def require_actor() -> Actor:
    """The signed-in caller; 401 if anonymous."""
    actor = current_user()
    if actor is None:
        raise Unauthorized("sign in first")
    return actor
