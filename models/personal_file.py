"""A student's personal file as a checklist: which documents it must hold and the state of each on a date.

A :class:`Requirement` names a kind of document, to whom it applies (every student, paid or state-grant
students, foreign citizens) and how many copies are needed (photos: several). The state of a
requirement for a student on a date (:func:`checklist`):

- ``present``: at least ``copies`` copies of that kind are in the file and valid on the date;
- ``expired``: not enough valid copies, but some copy of that kind has an expiry date before the date
  (an identity document that ran out): the document must be renewed;
- ``missing``: not enough copies, none of them expired (never handed in, or too few photos).

A document without an expiry date never expires; one expiring on the date itself is still valid that
day. The requirements are configuration (:data:`DEFAULT_REQUIREMENTS` are a typical list).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DocumentKind = Literal[
    "application",
    "identity_copy",
    "education_certificate",
    "test_certificate",
    "medical_certificate",
    "photos",
    "order_copy",
    "contract",
    "grant_certificate",
    "residence_permit",
    "other",
]
"""Kinds of documents kept in a personal file (``other``: anything else, never required)."""
AppliesTo = Literal["all", "paid", "state_grant", "foreign"]


class ItemState(StrEnum):
    PRESENT = "present"
    MISSING = "missing"
    EXPIRED = "expired"


class Requirement(BaseModel):
    """A kind of document every personal file it ``applies_to`` must hold, at least ``copies`` valid copies."""

    model_config = ConfigDict(frozen=True)

    kind: DocumentKind
    title: str = Field(min_length=1, max_length=200)
    applies_to: AppliesTo = "all"
    copies: int = Field(1, ge=1, le=20)


DEFAULT_REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(kind="application", title="Application for admission"),
    Requirement(kind="identity_copy", title="Copy of the identity document"),
    Requirement(kind="education_certificate", title="Certificate or diploma of previous education"),
    Requirement(kind="test_certificate", title="Certificate of the unified national testing"),
    Requirement(kind="medical_certificate", title="Medical certificate (form 075/u)"),
    Requirement(kind="photos", title="Photographs 3x4 cm", copies=6),
    Requirement(kind="order_copy", title="Extract of the enrolment order"),
    Requirement(kind="contract", title="Contract for paid educational services", applies_to="paid"),
    Requirement(kind="grant_certificate", title="Certificate of the state educational grant", applies_to="state_grant"),
    Requirement(kind="residence_permit", title="Residence permit or visa", applies_to="foreign"),
)
"""A typical checklist; a university configures its own."""


class StudentFacts(BaseModel):
    """What decides which requirements apply: the funding and the citizenship (ISO alpha-2)."""

    model_config = ConfigDict(frozen=True)

    funding: Literal["state_grant", "paid"]
    citizenship: str = "KZ"
    home_country: str = "KZ"


class HeldDocument(BaseModel):
    """A document in the file: its kind, how many copies, and its expiry date if it has one."""

    model_config = ConfigDict(frozen=True)

    kind: DocumentKind
    copies: int = Field(1, ge=1)
    expires_on: dt.date | None = None


class ChecklistItem(BaseModel):
    """The state of one requirement: valid copies held, copies needed, and the latest expiry among expired ones."""

    model_config = ConfigDict(frozen=True)

    kind: DocumentKind
    title: str
    state: ItemState
    valid_copies: int
    required_copies: int
    expired_on: dt.date | None = None


def applies(requirement: Requirement, student: StudentFacts) -> bool:
    """Whether ``requirement`` applies to ``student``."""
    match requirement.applies_to:
        case "all":
            return True
        case "foreign":
            return student.citizenship != student.home_country
        case funding:
            return student.funding == funding


def checklist(student: StudentFacts, documents: Iterable[HeldDocument], on: dt.date,
              requirements: Sequence[Requirement] = DEFAULT_REQUIREMENTS) -> list[ChecklistItem]:  # fmt: skip
    """The state of every requirement that applies to ``student`` on ``on``, in the order of ``requirements``."""
    held = list(documents)
    out = []
    for requirement in requirements:
        if not applies(requirement, student):
            continue
        same = [d for d in held if d.kind == requirement.kind]
        valid = sum(d.copies for d in same if d.expires_on is None or d.expires_on >= on)
        expired = [d.expires_on for d in same if d.expires_on is not None and d.expires_on < on]
        if valid >= requirement.copies:
            state = ItemState.PRESENT
        elif expired:
            state = ItemState.EXPIRED
        else:
            state = ItemState.MISSING
        latest = max(expired) if expired and state is ItemState.EXPIRED else None
        out.append(ChecklistItem(kind=requirement.kind, title=requirement.title, state=state, valid_copies=valid,
                                 required_copies=requirement.copies, expired_on=latest))  # fmt: skip
    return out


def is_complete(items: Iterable[ChecklistItem]) -> bool:
    """Whether every requirement is present."""
    return all(item.state is ItemState.PRESENT for item in items)
