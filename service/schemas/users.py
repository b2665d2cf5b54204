"""Schemas of users and API tokens.

Rules:

- a username is 3-64 characters: lower-case letters, digits, ``.``, ``_``, ``-`` (starting with a letter or digit);
- a password has at least 8 characters;
- roles are the known ones (:data:`service.auth.roles.ROLES`), each at most once;
- the student role needs a linked student record, the teacher and advisor roles a linked teacher record
  (the row-level rules work through these links); a record is linked to at most one user;
- a token has a name and lives 1 to 365 days.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from service.auth.roles import Role
from service.auth.tokens import DEFAULT_DAYS, MAX_DAYS
from service.schemas.common import InputModel, OutputModel, PersonName, UtcDateTime

Username = Annotated[str, Field(min_length=3, max_length=64, pattern=r"^[a-z0-9][a-z0-9._\-]*$")]
Password = Annotated[str, Field(min_length=8, max_length=200)]


class UserCreate(InputModel):
    """A user: username, full name, password, roles and the teacher or student record they are."""

    username: Username
    full_name: Annotated[str, Field(min_length=1, max_length=200)]
    password: Password
    roles: list[Role] = Field(default_factory=list)
    teacher_id: int | None = None
    """The teacher record of a teacher or advisor."""
    student_id: int | None = None
    """The student record of a student."""
    active: bool = True

    @model_validator(mode="after")
    def _roles_fit_links(self) -> UserCreate:
        if len(set(self.roles)) != len(self.roles):
            raise ValueError("roles: each role at most once")
        if "student" in self.roles and self.student_id is None:
            raise ValueError("the student role needs student_id (the student's own record)")
        if {"teacher", "advisor"} & set(self.roles) and self.teacher_id is None:
            raise ValueError("the teacher and advisor roles need teacher_id (the teacher's record)")
        return self


class UserOut(OutputModel):
    id: int
    username: str
    full_name: str
    active: bool
    roles: list[str]
    teacher_id: int | None
    student_id: int | None
    created_at: UtcDateTime


class TokenCreate(InputModel):
    """A new API token of the signed-in user."""

    name: PersonName
    """What the token is for (e.g. ``timetable import``)."""
    days: int = Field(DEFAULT_DAYS, ge=1, le=MAX_DAYS)
    """Days until it expires."""


class TokenOut(OutputModel):
    id: int
    name: str
    prefix: str
    """The token's first characters, to recognise it."""
    created_at: UtcDateTime
    expires_at: UtcDateTime
    revoked_at: UtcDateTime | None
    state: str
    """active, expired or revoked."""


class TokenIssued(TokenOut):
    token: str
    """The secret: shown only in this answer. Send it as ``Authorization: Bearer <token>``."""
