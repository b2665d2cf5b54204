"""Issued documents (transcripts, certificates, student cards, diploma supplements) and verification attempts.

- :class:`IssuedDocument`: a document issued to a student: its registered number (``<PREFIX>-<year>-<sequence>``,
  sequential per kind and year), its verification code (random, not derived from anything), the language
  and a snapshot of every value printed on it (``data``), so the document can be printed again exactly as
  issued whatever changes in the records later. Documents are never deleted; a revoked one stops verifying.
- :class:`VerificationAttempt`: one check on the public verification page (who, as a digest of the client
  address; which number; whether it matched), counted by the rate limits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base


class IssuedDocument(Base):
    """A registered document issued to a student."""

    __tablename__ = "issued_documents"
    __table_args__ = (UniqueConstraint("kind", "year", "sequence"),)
    label: ClassVar[str] = "issued document"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    year: Mapped[int]
    sequence: Mapped[int]
    number: Mapped[str] = mapped_column(String(32), unique=True)
    code: Mapped[str] = mapped_column(String(32))
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    language: Mapped[str] = mapped_column(String(2))
    issued_on: Mapped[dt.date]
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    issued_by: Mapped[str] = mapped_column(String(80))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(500))


class VerificationAttempt(Base):
    """One check of a number and code on the public verification page."""

    __tablename__ = "verification_attempts"
    __table_args__ = (
        Index("ix_verification_attempts_client_at", "client", "at"),
        Index("ix_verification_attempts_number_at", "number", "at"),
    )
    label: ClassVar[str] = "verification attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    client: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the client address (the address itself is not kept)."""
    number: Mapped[str] = mapped_column(String(32))
    genuine: Mapped[bool]
