"""API tokens: ``rgt_`` followed by 43 random URL-safe characters (256 bits), shown once when issued.

Only the SHA-256 of a token is stored (a fast hash is enough for a random secret of that length; a
password needs a slow one), with the first 12 characters as a ``prefix`` to recognise it in lists.
A token has an expiry (1 to 365 days; default 90) and may be revoked; an expired or revoked token,
or one of a deactivated user, is refused with 401. Issuing and revoking are audited (entity ``api_tokens``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from service import audit
from service.errors import Unauthorized
from service.models import ApiToken, User

TOKEN_PREFIX = "rgt_"
DEFAULT_DAYS = 90
MAX_DAYS = 365
SHOWN = 12
"""Characters of a token kept in clear (``prefix``) to tell tokens apart."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(db: Session, user: User, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """Add a token for ``user`` valid for ``days`` (1..365); returns the row and the secret (not committed)."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"a token lives 1 to {MAX_DAYS} days, not {days}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(user_id=user.id, name=name, token_hash=digest(secret), prefix=secret[:SHOWN], created_at=now,
                     expires_at=now + dt.timedelta(days=days))  # fmt: skip
    db.add(token)
    db.flush()
    values = {"user_id": user.id, "name": name, "prefix": token.prefix, "expires_at": token.expires_at}
    audit.log_changes(db, "api_tokens", token.id, "create", {k: (None, v) for k, v in values.items()})
    return token, secret


def authenticate(db: Session, secret: str) -> ApiToken:
    """The live token with this secret (user loaded); 401 saying why otherwise."""
    # one statement for the token, its user and the user's roles (every API request runs it)
    statement = (
        select(ApiToken)
        .where(ApiToken.token_hash == digest(secret))
        .options(joinedload(ApiToken.user).joinedload(User.role_rows))
    )
    token = db.execute(statement).unique().scalar_one_or_none()
    if token is None:
        raise Unauthorized("unknown API token")
    if token.revoked_at is not None:
        raise Unauthorized(f"API token {token.prefix}... was revoked")
    if aware(token.expires_at) <= utcnow():
        raise Unauthorized(f"API token {token.prefix}... expired at {aware(token.expires_at):%Y-%m-%d %H:%M} UTC")
    if not token.user.active:
        raise Unauthorized(f"user {token.user.username} is deactivated")
    return token


def revoke(db: Session, token: ApiToken) -> None:
    """Mark ``token`` revoked now (not committed); revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.log_change(db, "api_tokens", token.id, "revoked_at", None, token.revoked_at)


def state(token: ApiToken) -> str:
    """``active``, ``expired`` or ``revoked``."""
    if token.revoked_at is not None:
        return "revoked"
    return "expired" if aware(token.expires_at) <= utcnow() else "active"


def aware(moment: dt.datetime) -> dt.datetime:
    """``moment`` as UTC-aware (SQLite returns naive datetimes for ``DateTime(timezone=True)``)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
