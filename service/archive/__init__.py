"""The university archive: files prepared from personal files, inventories, acceptance, loans, condition,
storage readings, and acts of destruction and transfer (the endpoints are in :mod:`service.records.archive`).

The life of a file (``ArchiveFile.state``)::

    prepared --(inventory approved, then accepted)--> in_archive <--(loan / return)--> lent
        |                                             |
        +--(not handed over at acceptance)--> not_received
                                                      +--(approved act executed)--> destroyed | transferred

The rules are :mod:`models.archive`; the policy in force is :func:`policy` (config ``ARCHIVE_POLICY``, a
:class:`~models.archive.ArchivePolicy` or its dict, else the defaults). Functions here add and change rows
without committing: the view commits, so a refused step leaves nothing half-done.
"""

from __future__ import annotations

from flask import current_app, has_app_context

from models.archive import ArchivePolicy, Retention
from service.models import NomenclatureItem


def policy() -> ArchivePolicy:
    """The archive policy in force."""
    configured = current_app.config.get("ARCHIVE_POLICY") if has_app_context() else None
    if configured is None:
        return ArchivePolicy()
    return configured if isinstance(configured, ArchivePolicy) else ArchivePolicy.model_validate(configured)


def retention(item: NomenclatureItem) -> Retention:
    """The retention of a nomenclature item's cases."""
    return Retention(years=item.retention_years, permanent=item.permanent)
