"""The limit on failed sign-ins: per account and per client address, with locks that grow.

Rules (the numbers come from the app config, :class:`Limits`; see :mod:`service.config` for the variables):

- a failed sign-in (unknown username or wrong password) counts once for the username tried (``account``,
  whether or not such a user exists, so a lock tells nothing about which usernames exist) and once for the
  client address (``address``); counts start with the first failure and last ``window`` seconds;
- when a count reaches its limit (``account`` 5, ``address`` 30 by default), that account or address is
  locked for ``lockout`` seconds (300), and its count starts again; a lock that follows the previous one
  within a day lasts twice as long as that one, at most ``lockout_max`` seconds (3600);
- while the account or the address is locked, a sign-in is refused before the password is checked (the web
  page answers 429 with ``Retry-After`` and says when to try again), and such refusals do not count;
- a successful sign-in clears the account's count and its lock history (not the address's: one person's
  success must not reset the count of an address that is guessing other accounts);
- each lock is written to the audit log (entity ``login_throttles``: the row's id, fields ``locked_until``
  and ``lockouts``, the reason naming the account or address), by the anonymous request that caused it.

The counts live in the database (:class:`~service.models.LoginThrottle`), so every worker process of the
server sees the same ones. A failure is counted by one ``INSERT ... ON CONFLICT DO UPDATE`` and a lock set
by one conditional ``UPDATE``, so concurrent failures are neither lost nor locked twice; requests that pass
the lock check at the same moment may still all be checked, so an attacker gets at most the limit plus the
number of requests in flight.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, delete, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service import audit
from service.models import LoginThrottle

MEMORY = dt.timedelta(days=1)
"""A lock that follows the previous lock of the same account or address within this time is twice as long."""
Key = tuple[str, str]
"""``(kind, subject)``: ``("account", username)`` or ``("address", client address)``."""


@dataclass(frozen=True)
class Limits:
    """Failures allowed per account and per address within ``window`` seconds (0: no limit), and lock lengths."""

    account: int = 5
    address: int = 30
    window: int = 900
    lockout: int = 300
    lockout_max: int = 3600

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> Limits:
        """The limits set in an app config (``LOGIN_ACCOUNT_LIMIT``, ...), the defaults for the rest."""
        names = {"account": "LOGIN_ACCOUNT_LIMIT", "address": "LOGIN_ADDRESS_LIMIT", "window": "LOGIN_WINDOW",
                 "lockout": "LOGIN_LOCKOUT", "lockout_max": "LOGIN_LOCKOUT_MAX"}  # fmt: skip
        given = {field: int(config[key]) for field, key in names.items() if config.get(key) is not None}
        return cls(**given)

    def limit(self, kind: str) -> int:
        return self.account if kind == "account" else self.address

    def lock_length(self, lockouts: int) -> dt.timedelta:
        """The length of the ``lockouts``-th lock in a row (1-based): ``lockout`` x 2^(n-1), at most ``lockout_max``."""
        seconds = self.lockout * 2 ** min(max(lockouts, 1) - 1, 30)
        return dt.timedelta(seconds=max(1, min(seconds, max(self.lockout_max, self.lockout))))


@dataclass(frozen=True)
class Lock:
    """A lock in force: which kind (``account`` or ``address``) and until when (UTC)."""

    kind: str
    until: dt.datetime

    def retry_after(self, now: dt.datetime) -> int:
        """Whole seconds until the lock ends (at least 1): the ``Retry-After`` value."""
        return max(1, math.ceil((self.until - now).total_seconds()))

    def message(self, now: dt.datetime) -> str:
        what = "this account" if self.kind == "account" else "your address"
        minutes = math.ceil(self.retry_after(now) / 60)
        return (f"too many failed sign-ins for {what}: try again in {minutes} minute{'s' if minutes != 1 else ''} "
                f"(at {self.until:%H:%M} UTC)")  # fmt: skip


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(moment: dt.datetime) -> dt.datetime:
    """UTC-aware (SQLite hands back naive UTC datetimes)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def keys(username: str, address: str | None) -> list[Key]:
    """The counted keys of a sign-in: the username as typed (normalized by the caller) and the client address."""
    return [("account", username[:200]), ("address", (address or "unknown")[:200])]


def locked(db: Session, tried: Sequence[Key], now: dt.datetime) -> Lock | None:
    """The longest lock in force on any of ``tried`` (``None``: the sign-in may be checked)."""
    rows = db.execute(
        select(LoginThrottle.kind, LoginThrottle.locked_until).where(
            tuple_(LoginThrottle.kind, LoginThrottle.subject).in_(list(tried)),
            LoginThrottle.locked_until.is_not(None),
        )
    ).all()
    found = [Lock(kind, aware(until)) for kind, until in rows if until is not None and aware(until) > now]
    return max(found, key=lambda lock: lock.until, default=None)


def failed(db: Session, tried: Sequence[Key], now: dt.datetime, limits: Limits) -> Lock | None:
    """Count a failed sign-in for each of ``tried``; lock (and audit) those that reach their limit.

    Returns the longest lock now in force on them (``None`` if none); the caller commits."""
    longest: Lock | None = None
    for kind, subject in tried:
        limit = limits.limit(kind)
        if limit <= 0:
            continue
        row_id, failures, until, lockouts = _count(db, kind, subject, now, limits)
        until = aware(until) if until is not None else None
        if until is not None and until > now:
            lock: Lock | None = Lock(kind, until)
        elif failures >= limit:
            lock = _lock(db, row_id, kind, subject, now, until, lockouts, limits)
        else:
            lock = None
        if lock is not None and (longest is None or lock.until > longest.until):
            longest = lock
    return longest


def succeeded(db: Session, username: str) -> None:
    """Forget the failures and lock history of the account ``username`` (the caller commits)."""
    db.execute(delete(LoginThrottle).where(LoginThrottle.kind == "account", LoginThrottle.subject == username[:200]))


def _count(db: Session, kind: str, subject: str, now: dt.datetime,
           limits: Limits) -> tuple[int, int, dt.datetime | None, int]:  # fmt: skip
    """One more failure of ``(kind, subject)`` (a count older than the window starts again at 1), atomically:
    ``(id, failures, locked_until, lockouts)`` after it."""
    table = LoginThrottle.__table__
    expired = table.c.window_started_at <= now - dt.timedelta(seconds=limits.window)
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(table)
        .values(kind=kind, subject=subject, failures=1, window_started_at=now, last_failure_at=now, lockouts=0)
        .on_conflict_do_update(
            index_elements=[table.c.kind, table.c.subject],
            set_={
                "failures": case((expired, 1), else_=table.c.failures + 1),
                "window_started_at": case((expired, now), else_=table.c.window_started_at),
                "last_failure_at": now,
            },
        )
        .returning(table.c.id, table.c.failures, table.c.locked_until, table.c.lockouts)
    )
    row_id, failures, until, lockouts = db.execute(statement).one()
    return int(row_id), int(failures), until, int(lockouts)


def _lock(db: Session, row_id: int, kind: str, subject: str, now: dt.datetime, previous: dt.datetime | None,
          lockouts: int, limits: Limits) -> Lock | None:  # fmt: skip
    """Lock ``row_id`` unless a concurrent request just did; audit the lock; forget stale rows."""
    in_a_row = lockouts + 1 if previous is not None and now - previous < MEMORY else 1
    until = now + limits.lock_length(in_a_row)
    done = db.execute(
        update(LoginThrottle)
        .where(LoginThrottle.id == row_id,
               or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now))
        .values(locked_until=until, lockouts=in_a_row, failures=0, window_started_at=now)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return locked(db, [(kind, subject)], now)
    who = f"account {subject!r}" if kind == "account" else f"address {subject}"
    minutes = round(limits.window / 60)
    audit.log_changes(
        db, "login_throttles", row_id, "update",
        {"locked_until": (previous, until), "lockouts": (lockouts, in_a_row)},
        reason=f"{limits.limit(kind)} failed sign-ins of {who} within {minutes} min: locked until "
               f"{until:%Y-%m-%d %H:%M:%S} UTC (lock {in_a_row} in a row)",
    )  # fmt: skip
    stale = now - MEMORY
    db.execute(
        delete(LoginThrottle)
        .where(LoginThrottle.last_failure_at < stale,
               or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < stale))
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    return Lock(kind, until)
