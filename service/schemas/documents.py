"""Schemas of issued documents and of their verification.

Rules: ``on`` (the day a certificate of study speaks of) only for a certificate of study, and required there;
the language is Kazakh, Russian or English.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Self

from pydantic import Field, model_validator

from service.schemas.calendar import Date
from service.schemas.common import InputModel, Language, ListQuery, OutputModel, UtcDateTime

DocumentKind = Literal["transcript", "academic_certificate", "study_certificate", "student_card", "diploma_supplement"]


class DocumentCreate(InputModel):
    """Issue a document of ``kind`` to a student in ``language``."""

    kind: DocumentKind
    student_id: int
    language: Language
    on: Date | None = None
    """For a certificate of study: the day it certifies (default: the day of issue)."""

    @model_validator(mode="after")
    def _on_only_for_certificates(self) -> Self:
        if self.on is not None and self.kind != "study_certificate":
            raise ValueError(f"'on' is given only for a study_certificate, not a {self.kind}")
        return self


class DocumentOut(OutputModel):
    id: int
    kind: DocumentKind
    number: str
    code: str
    """The verification code printed on the document."""
    student_id: int
    language: Language
    issued_on: dt.date
    issued_at: UtcDateTime
    issued_by: str
    revoked_at: UtcDateTime | None
    revoked_reason: str | None
    data: dict[str, Any]
    """Everything the document says (a snapshot taken when it was issued)."""


class DocumentQuery(ListQuery):
    student_id: int | None = None
    kind: DocumentKind | None = None


class Revocation(InputModel):
    reason: str = Field(min_length=1, max_length=500)


class VerifyQuery(InputModel):
    number: str = Field(min_length=1, max_length=32)
    code: str = Field(min_length=1, max_length=32)


class VerifyOut(OutputModel):
    """Only whether the number and code belong to a document in force."""

    genuine: bool
