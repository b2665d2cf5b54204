"""Registering an issued document: its number and its verification code.

- The number is ``<PREFIX>-<year>-<sequence>`` with the sequence counted per kind and year from 1, six digits
  (``TR-2026-000017``): it is printed and is not a secret.
- The code is 12 characters of the Crockford base-32 alphabet (no I, L, O, U), 60 random bits drawn with
  :func:`secrets.choice`, printed as ``XXXX-XXXX-XXXX``. Nothing derives it (not the number, the student or
  the time), so one code says nothing about another; with the rate limits of
  :mod:`service.documents.verification` guessing one is hopeless (2^60 values, a handful of tries an hour).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service import audit
from service.models import IssuedDocument, Student

PREFIXES = {
    "transcript": "TR",
    "academic_certificate": "AC",
    "study_certificate": "SC",
    "student_card": "CARD",
    "diploma_supplement": "DS",
}
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: 32 symbols, none easily mistaken for another (5 bits each)."""
CODE_LENGTH = 12


def new_code() -> str:
    """A fresh verification code: 12 random symbols of :data:`CODE_ALPHABET` grouped ``XXXX-XXXX-XXXX``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normal_code(text: str) -> str:
    """A code as typed, made comparable: upper case, no spaces or dashes, O->0, I and L->1 (Crockford)."""
    cleaned = "".join(text.split()).replace("-", "").upper()
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def issue(db: Session, kind: str, student: Student, language: str, issued_on: dt.date, data: dict[str, Any],
          actor: str) -> IssuedDocument:  # fmt: skip
    """Register a document of ``kind`` for ``student`` (not committed): the next number, a new code, the snapshot."""
    year = issued_on.year
    last = select(func.max(IssuedDocument.sequence)).where(IssuedDocument.kind == kind, IssuedDocument.year == year)
    sequence = (db.scalar(last) or 0) + 1
    document = IssuedDocument(kind=kind, year=year, sequence=sequence, number=f"{PREFIXES[kind]}-{year}-{sequence:06d}",
                              code=new_code(), student_id=student.id, language=language, issued_on=issued_on,
                              issued_at=dt.datetime.now(dt.UTC), issued_by=actor, data=data)  # fmt: skip
    db.add(document)
    db.flush()
    logged = ("kind", "number", "student_id", "language", "issued_on", "issued_by")  # not the code: it is a secret
    audit.log_changes(db, "issued_documents", document.id, "create", {f: (None, getattr(document, f)) for f in logged})
    return document
