"""Personal files of students: the documents each file holds, and the register of personal-data changes.

- :class:`PersonalFileDocument`: one document in a student's personal file (kind, number, dates,
  copies, pages); the checklist of :mod:`models.personal_file` is computed from these rows;
- :class:`PersonalDataChange`: one changed field of a student's personal data (names, IIN, birth date,
  sex, citizenship) with the registered order (``order_id``, its number and date copied for the register) or
  the document of the file that justifies it. Rows are only added. Rows from before orders were referenced
  carry only the order's number and date as typed.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base


class PersonalFileDocument(Base):
    """A document of a student's personal file: what it is, its number, when issued, received and valid until."""

    __tablename__ = "personal_file_documents"
    label: ClassVar[str] = "personal file document"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str | None] = mapped_column(String(100))
    """Series and number of the document, or of the order it is an extract of."""
    issued_on: Mapped[dt.date | None]
    expires_on: Mapped[dt.date | None]
    received_on: Mapped[dt.date]
    copies: Mapped[int] = mapped_column(default=1)
    pages: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(String(500))


class PersonalDataChange(Base):
    """One changed field of a student's personal data and what justifies it (an order, a document, or both)."""

    __tablename__ = "personal_data_changes"
    label: ClassVar[str] = "personal data change"

    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[str] = mapped_column(String(32), index=True)
    """Shared by the fields changed together."""
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(String(100))
    new_value: Mapped[str | None] = mapped_column(String(100))
    effective_on: Mapped[dt.date]
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    """The registered order (:class:`~service.models.Order`) justifying the change."""
    order_number: Mapped[str | None] = mapped_column(String(64))
    order_date: Mapped[dt.date | None]
    document_id: Mapped[int | None] = mapped_column(ForeignKey("personal_file_documents.id"), index=True)
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    registered_by: Mapped[str] = mapped_column(String(80))
