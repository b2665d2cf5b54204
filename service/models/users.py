"""Users of the service, their roles and their API tokens.

- A user signs in with a username and password (only a werkzeug hash is stored) and may hold several
  roles (:data:`service.auth.roles.ROLES`). A user may be linked to the teacher record or the student
  record they are (``teacher_id`` / ``student_id``): the row-level rules use these links.
- Users are never deleted (the audit log names them); ``active=False`` locks one out.
- An API token is stored only as the SHA-256 of its secret; it has an expiry and may be revoked.
- A login throttle counts failed sign-ins of one account or one client address and locks it for a while
  (:mod:`service.auth.throttle`); it lives in the database so every server process sees the same counts.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base


class User(Base):
    """Someone who signs in: a unique username, a full name, a password hash, roles and record links."""

    __tablename__ = "users"
    label: ClassVar[str] = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(default=True)
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teachers.id"), unique=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", order_by="UserRole.role", lazy="selectin"
    )

    @property
    def roles(self) -> list[str]:
        """The role names, alphabetically."""
        return sorted(r.role for r in self.role_rows)


class UserRole(Base):
    """One role held by one user."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class ApiToken(Base):
    """A bearer token of a user: a name, the SHA-256 of the secret, a prefix shown in lists, expiry and revocation."""

    __tablename__ = "api_tokens"
    label: ClassVar[str] = "API token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    user: Mapped[User] = relationship()


class LoginThrottle(Base):
    """Failed sign-ins of one account (``kind`` ``account``, the username tried) or one client address
    (``address``): the count in the current window, and the lock (``locked_until``) once the count reaches the
    limit; ``lockouts`` counts the locks in a row, each twice as long as the one before."""

    __tablename__ = "login_throttles"
    __table_args__ = (UniqueConstraint("kind", "subject"),)
    label: ClassVar[str] = "login throttle"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(200))
    failures: Mapped[int]
    window_started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_failure_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    lockouts: Mapped[int]
