"""Movement of the contingent: applications, orders in their registers, and each student's status history.

The rules live in :mod:`models.contingent`; these tables keep what happened:

- :class:`Application`: a student's (or applicant's) request with document references and a state
  (submitted, under review, approved, rejected); an approved one is used by one order in force (once that
  order is cancelled, the application may serve a new order);
- :class:`Order`: a registered order, numbered per kind and year (``kind``, ``year``, ``sequence``
  unique), with its date, effective date, signatory, basis and items; a cancellation names the order it
  cancels (``cancels_id``, at most one cancellation per order); orders are never changed or deleted;
- :class:`OrderItem`: one student of an order with the item's parameters (``details``, as given) and
  what the order replaced (``previous``: names and group before, so a cancellation can restore them);
- :class:`StudentState`: one entry of a student's status history, from ``effective_on`` on; entries
  are only added. The student's row (status, programme, form, funding, language, group, names) always
  equals the latest entry and the latest order;
- :class:`MovementSettings`: the university's :class:`~models.contingent.MovementPolicy` (one row; none
  means the defaults).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base


class Application(Base):
    """An application about the movement of a student: by the student (``student_id``) or, for admission and
    transfer in, by an applicant who is not a student yet (``applicant_*``)."""

    __tablename__ = "applications"
    label: ClassVar[str] = "application"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"), index=True)
    applicant_iin: Mapped[str | None] = mapped_column(String(12))
    applicant_last_name: Mapped[str | None] = mapped_column(String(100))
    applicant_first_name: Mapped[str | None] = mapped_column(String(100))
    applicant_middle_name: Mapped[str | None] = mapped_column(String(100))
    submitted_on: Mapped[dt.date]
    submitted_by: Mapped[str] = mapped_column(String(200))
    request: Mapped[str | None] = mapped_column(String(2000))
    decided_on: Mapped[dt.date | None]
    decision_note: Mapped[str | None] = mapped_column(String(1000))
    documents: Mapped[list[ApplicationDocument]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ApplicationDocument.id"
    )
    items: Mapped[list[OrderItem]] = relationship(back_populates="application", order_by="OrderItem.id")

    @property
    def used_by(self) -> OrderItem | None:
        """The item of an order in force (not cancelled) that acted on the application, if any."""
        return next((i for i in self.items if i.order.kind != "cancellation" and i.order.cancelled_by is None), None)

    @property
    def order_id(self) -> int | None:
        item = self.used_by
        return item.order_id if item else None


class ApplicationDocument(Base):
    """A document attached to an application, by reference (a register number, a file name, a URL)."""

    __tablename__ = "application_documents"
    label: ClassVar[str] = "application document"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(500))
    issued_on: Mapped[dt.date | None]
    application: Mapped[Application] = relationship(back_populates="documents")


class Order(Base):
    """A registered order on the movement of the contingent (never changed; undone only by a cancellation)."""

    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("kind", "year", "sequence"),)
    label: ClassVar[str] = "order"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    year: Mapped[int]
    sequence: Mapped[int]
    date: Mapped[dt.date] = mapped_column(index=True)
    effective_on: Mapped[dt.date]
    signatory: Mapped[str] = mapped_column(String(200))
    basis: Mapped[str] = mapped_column(String(1000))
    cancels_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), unique=True)
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    items: Mapped[list[OrderItem]] = relationship(back_populates="order", order_by="OrderItem.position")
    cancels: Mapped[Order | None] = relationship(
        remote_side="Order.id", foreign_keys=[cancels_id], back_populates="cancelled_by"
    )
    cancelled_by: Mapped[Order | None] = relationship(back_populates="cancels", foreign_keys=[cancels_id])

    @property
    def cancels_order_id(self) -> int | None:
        return self.cancels_id

    @property
    def cancelled_by_order_id(self) -> int | None:
        return self.cancelled_by.id if self.cancelled_by else None


class OrderItem(Base):
    """One student of an order."""

    __tablename__ = "order_items"
    __table_args__ = (UniqueConstraint("order_id", "student_id"),)
    label: ClassVar[str] = "order item"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    position: Mapped[int]
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    previous: Mapped[dict[str, Any]] = mapped_column(JSON)
    order: Mapped[Order] = relationship(back_populates="items")
    application: Mapped[Application | None] = relationship(back_populates="items")


class StudentState(Base):
    """An entry of a student's status history: the student's place in the contingent from ``effective_on`` on."""

    __tablename__ = "student_states"
    __table_args__ = (Index("ix_student_states_student_id_effective_on", "student_id", "effective_on"),)
    label: ClassVar[str] = "status history entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"))
    effective_on: Mapped[dt.date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(32))
    order_item_id: Mapped[int | None] = mapped_column(ForeignKey("order_items.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    year_of_study: Mapped[int]
    study_form: Mapped[str] = mapped_column(String(16))
    funding: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(2))
    leave_ground: Mapped[str | None] = mapped_column(String(32))
    leave_until: Mapped[dt.date | None]
    item: Mapped[OrderItem | None] = relationship()


class MovementSettings(Base):
    """The university's movement policy (a :class:`~models.contingent.MovementPolicy` as JSON)."""

    __tablename__ = "movement_settings"
    label: ClassVar[str] = "movement policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
