"""The public check of a document: are this number and this code genuine? Nothing else is revealed.

The answer is only ``genuine`` true or false: an unknown number, a wrong code and a revoked document all
answer false, the same way, so the check cannot tell whether a number exists. The code is compared in
constant time.

Rate limits (config ``VERIFY_LIMITS``, defaults in :data:`DEFAULT_LIMITS`), counted in the database so they
hold across server processes:

- a client (a digest of its address) may check ``per_client`` times per ``client_window`` seconds;
- a number may fail ``failures_per_number`` times per ``number_window`` seconds, from any clients together:
  after that every check of that number is refused until the window has passed, so a code cannot be guessed
  for one number by spreading the guesses over many addresses.

A refused check is a 429 with ``Retry-After`` (seconds) and is not counted. Attempts older than a day are
deleted as new ones arrive.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from flask import current_app, request
from pydantic import BaseModel, Field
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from service.documents.issuing import normal_code
from service.errors import ApiError, FieldError
from service.models import IssuedDocument, VerificationAttempt


class VerifyLimits(BaseModel):
    per_client: int = Field(10, ge=1)
    client_window: int = Field(600, ge=1)
    """Seconds."""
    failures_per_number: int = Field(5, ge=1)
    number_window: int = Field(3600, ge=1)
    """Seconds."""


DEFAULT_LIMITS = VerifyLimits()
KEEP = dt.timedelta(days=1)


class TooManyRequests(ApiError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__([FieldError(None, message)])
        self.headers = {"Retry-After": str(retry_after)}


def limits() -> VerifyLimits:
    configured = current_app.config.get("VERIFY_LIMITS")
    if configured is None:
        return DEFAULT_LIMITS
    return configured if isinstance(configured, VerifyLimits) else VerifyLimits.model_validate(configured)


def client_digest() -> str:
    """A digest of the client's address keyed with the app's secret (the address itself is never stored)."""
    address = (request.remote_addr or "unknown").encode()
    return hmac.new(str(current_app.config["SECRET_KEY"]).encode(), address, hashlib.sha256).hexdigest()


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _retry_after(db: Session, condition: object, window: int, now: dt.datetime) -> int:
    oldest = db.scalar(select(func.min(VerificationAttempt.at)).where(condition))  # type: ignore[arg-type]
    if oldest is None:
        return 1
    return max(1, int((_aware(oldest) + dt.timedelta(seconds=window) - now).total_seconds()) + 1)


def check(db: Session, number: str, code: str, now: dt.datetime | None = None) -> bool:
    """Whether ``number`` and ``code`` belong to a document in force; 429 past a limit. Records the attempt."""
    now = now or dt.datetime.now(dt.UTC)
    rules, client = limits(), client_digest()
    number = number.strip().upper()
    db.execute(delete(VerificationAttempt).where(VerificationAttempt.at < now - KEEP))
    by_client = (VerificationAttempt.client == client) & (
        VerificationAttempt.at >= now - dt.timedelta(seconds=rules.client_window)
    )
    if (db.scalar(select(func.count()).select_from(VerificationAttempt).where(by_client)) or 0) >= rules.per_client:
        retry = _retry_after(db, by_client, rules.client_window, now)
        db.commit()
        raise TooManyRequests(f"too many checks from your address: try again in {retry} seconds", retry)
    failed = (
        (VerificationAttempt.number == number)
        & ~VerificationAttempt.genuine
        & (VerificationAttempt.at >= now - dt.timedelta(seconds=rules.number_window))
    )
    failures = db.scalar(select(func.count()).select_from(VerificationAttempt).where(failed)) or 0
    if failures >= rules.failures_per_number:
        retry = _retry_after(db, failed, rules.number_window, now)
        db.commit()
        raise TooManyRequests(f"too many failed checks of this number: try again in {retry} seconds", retry)
    document = db.scalar(select(IssuedDocument).where(IssuedDocument.number == number))
    stored = document.code if document is not None else "0000-0000-0000"
    matches = hmac.compare_digest(normal_code(code).encode(), stored.encode())
    genuine = document is not None and matches and document.revoked_at is None
    db.add(VerificationAttempt(at=now, client=client, number=number[:32], genuine=genuine))
    db.commit()
    return genuine
