"""Schemas of orders on the movement of the contingent and of the status history.

Rules checked here (the movement rules themselves are in :mod:`models.contingent`):

- an order has a kind, a date (of signing) and optionally the date it takes effect (default: its
  date), a signatory and a basis;
- a cancellation names the cancelled order (``cancels_order_id``) and has no items; every other order
  has 1..10,000 items and names no order to cancel;
- an item of an enrollment or a transfer in describes the new student (``student``: person and terms of
  study); an item of any other kind names an existing student (``student_id``); a student appears in an
  order once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from models.contingent import KIND_RULES, Change, OrderKind, order_number
from service.schemas.calendar import Date
from service.schemas.common import InputModel, OutputModel, SearchQuery, Storable
from service.schemas.students import StudentCreate


class NewStudent(StudentCreate):
    """The person and terms of study of a student enrolled (or transferred in) by the order; they start active."""

    status: Literal["active"] = "active"
    """A new student is active."""


class OrderItemCreate(InputModel, Change):
    """One student of an order: an existing student (``student_id``) or a new one (``student``), an optional
    approved application, and the parameters the order's kind uses (see ``KIND_RULES`` in the README)."""

    student_id: int | None = None
    """The student (every kind except enrollment and transfer in)."""
    student: NewStudent | None = None
    """The new student (enrollment and transfer in): programme, group, form, funding and language are given here."""
    application_id: int | None = None
    """An approved application of the matching kind by this student (required for the kinds the policy names)."""


class OrderCreate(InputModel):
    """An order to register: applying it changes every listed student's status and history, or none at all."""

    kind: OrderKind
    date: Date
    """Date of signing; its year numbers the order in the register of its kind."""
    effective_on: Date | None = None
    """Date the changes take effect (default: ``date``)."""
    signatory: str = Field(min_length=1, max_length=200)
    """Who signed: name and position (``A. Rector, Rector``)."""
    basis: str = Field(min_length=1, max_length=1000)
    """What the order rests on (applications, a commission's conclusion, a decision of the council...)."""
    cancels_order_id: int | None = Field(None, validate_default=True)
    """The order cancelled (cancellations only)."""
    items: list[OrderItemCreate] = Field(default_factory=list, max_length=10_000, validate_default=True)

    @field_validator("cancels_order_id")
    @classmethod
    def _only_cancellations_cancel(cls, value: int | None, info: ValidationInfo) -> int | None:
        kind = info.data.get("kind")
        if kind is OrderKind.CANCELLATION and value is None:
            raise ValueError("a cancellation names the order it cancels")
        if kind is not None and kind is not OrderKind.CANCELLATION and value is not None:
            raise ValueError(f"only a cancellation cancels an order, not an order of kind {kind.value}")
        return value

    @field_validator("items")
    @classmethod
    def _items_fit_kind(cls, items: list[OrderItemCreate], info: ValidationInfo) -> list[OrderItemCreate]:
        kind = info.data.get("kind")
        if kind is None:
            return items
        if kind is OrderKind.CANCELLATION:
            if items:
                raise ValueError("a cancellation has no items: it concerns the students of the cancelled order")
            return items
        if not items:
            raise ValueError("an order concerns at least one student")
        new = KIND_RULES[kind].creates_students
        for i, item in enumerate(items):
            if new and (item.student is None or item.student_id is not None):
                raise ValueError(
                    f"item {i}: an order of kind {kind.value} describes the new student in 'student', "
                    "without student_id"
                )
            if not new and (item.student_id is None or item.student is not None):
                raise ValueError(
                    f"item {i}: an order of kind {kind.value} names an existing student by student_id, "
                    "without 'student'"
                )
        ids = [item.student_id for item in items if item.student_id is not None]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"a student appears in an order once; repeated student ids: {repeated}")
        iins = [item.student.iin for item in items if item.student is not None]
        repeated_iins = sorted({i for i in iins if iins.count(i) > 1})
        if repeated_iins:
            raise ValueError(f"a student appears in an order once; repeated IINs: {', '.join(repeated_iins)}")
        return items


class OrderItemOut(OutputModel):
    position: int
    student_id: int
    student_name: str
    application_id: int | None
    details: dict[str, Any]
    """The parameters given for this student."""
    previous: dict[str, Any]
    """What the order replaced: the student's names and group before it."""


class OrderOut(OutputModel):
    id: int
    kind: OrderKind
    title: str
    number: str
    """Register number: ``ALV-2025/017`` (register code, year, sequence)."""
    year: int
    sequence: int
    date: dt.date
    effective_on: dt.date
    signatory: str
    basis: str
    cancels_order_id: int | None
    cancelled_by_order_id: int | None
    items: list[OrderItemOut]

    @classmethod
    def of(cls, order: Any, names: dict[int, str]) -> OrderOut:
        kind = OrderKind(order.kind)
        items = [
            OrderItemOut(
                position=item.position,
                student_id=item.student_id,
                student_name=names.get(item.student_id, ""),
                application_id=item.application_id,
                details=item.details,
                previous=item.previous,
            )
            for item in order.items
        ]
        return cls(
            id=order.id,
            kind=kind,
            title=KIND_RULES[kind].title,
            number=order_number(kind, order.year, order.sequence),
            year=order.year,
            sequence=order.sequence,
            date=order.date,
            effective_on=order.effective_on,
            signatory=order.signatory,
            basis=order.basis,
            cancels_order_id=order.cancels_id,
            cancelled_by_order_id=order.cancelled_by_order_id,
            items=items,
        )


class OrderQuery(SearchQuery):
    """Filters of the register; ``q`` matches the signatory or the basis."""

    kind: OrderKind | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    student_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class StateOut(OutputModel):
    """A student's place in the contingent from ``effective_on`` on, and the order that put them there."""

    effective_on: dt.date
    kind: str
    """The order kind, or ``record`` (taken on record without an order)."""
    order_id: int | None
    order_number: str | None
    status: str
    programme_id: int
    year_of_study: int
    study_form: str
    funding: str
    language: str
    leave_ground: str | None
    leave_until: dt.date | None


class HistoryOut(OutputModel):
    student_id: int
    entries: list[StateOut]
    """Oldest first."""


class StateQuery(Storable):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    on: dt.date | None = None
    """The day (default: today); the state in force at its end."""
