"""The university archive: nomenclature of cases, files (storage units), inventories, loans, condition checks,
storage-condition readings, and acts of destruction and of transfer to state storage.

Rows of files, inventories and acts are never deleted: a destroyed or transferred file keeps its row with
its state, so the act that removed it can always be printed.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base


class NomenclatureItem(Base):
    """A heading of the nomenclature of cases for a year: index, title, retention and the article setting it."""

    __tablename__ = "nomenclature_items"
    __table_args__ = (
        UniqueConstraint("year", "index"),
        CheckConstraint(
            "(permanent AND retention_years IS NULL) OR (NOT permanent AND retention_years IS NOT NULL)",
            name="retention",
        ),
    )
    label: ClassVar[str] = "nomenclature item"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    index: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    retention_years: Mapped[int | None]
    permanent: Mapped[bool] = mapped_column(default=False)
    article: Mapped[str] = mapped_column(String(64))
    """The article of the standard list of documents that sets the retention period."""
    note: Mapped[str | None] = mapped_column(String(500))


class ArchiveInventory(Base):
    """An inventory (opis) of files of one kind closed in one year: ``sequence`` counts the inventories of that
    year and kind; the files are numbered 1..n in it."""

    __tablename__ = "archive_inventories"
    __table_args__ = (UniqueConstraint("year", "kind", "sequence"),)
    label: ClassVar[str] = "inventory"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(32))
    sequence: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(16))
    """``draft`` (files may be added and renumbered), ``approved`` (numbers fixed), ``accepted`` (in the archive)."""
    compiled_on: Mapped[dt.date]
    compiled_by: Mapped[str] = mapped_column(String(80))
    approved_on: Mapped[dt.date | None]
    approved_by: Mapped[str | None] = mapped_column(String(80))
    accepted_on: Mapped[dt.date | None]
    accepted_by: Mapped[str | None] = mapped_column(String(80))
    files: Mapped[list[ArchiveFile]] = relationship(back_populates="inventory", order_by="ArchiveFile.inventory_number")


class ArchiveFile(Base):
    """A file (storage unit): a case of the nomenclature, e.g. one student's personal file, with its dates and pages."""

    __tablename__ = "archive_files"
    __table_args__ = (UniqueConstraint("inventory_id", "inventory_number"),)
    label: ClassVar[str] = "archive file"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomenclature_item_id: Mapped[int] = mapped_column(ForeignKey("nomenclature_items.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    pages: Mapped[int]
    year: Mapped[int] = mapped_column(index=True)
    """The year the file was closed (its end date's year); retention is counted from the next 1 January."""
    state: Mapped[str] = mapped_column(String(16), index=True)
    """``prepared``, ``in_archive``, ``lent``, ``not_received``, ``destroyed``, ``transferred``."""
    condition: Mapped[str] = mapped_column(String(16))
    """``intact``, ``damaged`` or ``restored``."""
    location: Mapped[str | None] = mapped_column(String(100))
    inventory_id: Mapped[int | None] = mapped_column(ForeignKey("archive_inventories.id"), index=True)
    inventory_number: Mapped[int | None]
    inventory: Mapped[ArchiveInventory | None] = relationship(back_populates="files")
    nomenclature_item: Mapped[NomenclatureItem] = relationship(lazy="joined", innerjoin=True)


class ArchiveLoan(Base):
    """A file lent from the archive: to whom, by whom, when, until when, and when it came back in what condition."""

    __tablename__ = "archive_loans"
    label: ClassVar[str] = "loan"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("archive_files.id"), index=True)
    borrower: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(300))
    lent_on: Mapped[dt.date]
    due_on: Mapped[dt.date]
    lent_by: Mapped[str] = mapped_column(String(80))
    returned_on: Mapped[dt.date | None]
    received_by: Mapped[str | None] = mapped_column(String(80))
    condition_on_return: Mapped[str | None] = mapped_column(String(16))


class ConditionCheck(Base):
    """A recorded change of a file's physical condition (intact, damaged, restored), with a note."""

    __tablename__ = "archive_condition_checks"
    label: ClassVar[str] = "condition check"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("archive_files.id"), index=True)
    checked_on: Mapped[dt.date]
    condition: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(500))
    checked_by: Mapped[str] = mapped_column(String(80))


class StorageReading(Base):
    """A reading of a storage room's temperature (°C) and relative humidity (%)."""

    __tablename__ = "storage_readings"
    label: ClassVar[str] = "storage reading"

    id: Mapped[int] = mapped_column(primary_key=True)
    room: Mapped[str] = mapped_column(String(64), index=True)
    measured_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    temperature: Mapped[float] = mapped_column(Float)
    humidity: Mapped[float] = mapped_column(Float)
    recorded_by: Mapped[str] = mapped_column(String(80))
    alert: Mapped[str | None] = mapped_column(String(300))
    """What was out of the norms when recorded (``None``: within them)."""


class ArchiveAct(Base):
    """An act selecting files for destruction (retention expired) or for transfer to state storage (permanent).

    ``draft`` -> ``approved`` (by someone other than the compiler) -> ``executed`` (the files are destroyed or
    handed over); nothing is removed before approval.
    """

    __tablename__ = "archive_acts"
    __table_args__ = (UniqueConstraint("kind", "year", "sequence"),)
    label: ClassVar[str] = "archive act"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    year: Mapped[int]
    sequence: Mapped[int]
    state: Mapped[str] = mapped_column(String(16))
    compiled_on: Mapped[dt.date]
    compiled_by: Mapped[str] = mapped_column(String(80))
    approved_on: Mapped[dt.date | None]
    approved_by: Mapped[str | None] = mapped_column(String(80))
    executed_on: Mapped[dt.date | None]
    executed_by: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(String(500))
    items: Mapped[list[ArchiveActItem]] = relationship(
        back_populates="act", cascade="all, delete-orphan", order_by="ArchiveActItem.position"
    )


class ArchiveActItem(Base):
    """A file listed in an act at its position, with the day its retention expired or its transfer fell due."""

    __tablename__ = "archive_act_items"
    __table_args__ = (UniqueConstraint("act_id", "file_id"), UniqueConstraint("act_id", "position"))
    label: ClassVar[str] = "act item"

    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(ForeignKey("archive_acts.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("archive_files.id"), index=True)
    position: Mapped[int]
    due_on: Mapped[dt.date]
    act: Mapped[ArchiveAct] = relationship(back_populates="items")
    file: Mapped[ArchiveFile] = relationship(lazy="joined", innerjoin=True)
