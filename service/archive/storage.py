"""The storage-condition log: readings of temperature and humidity, each checked against the norms in force.

A reading outside the norms (:class:`models.archive.StorageNorms`) is stored with its alert text, which the
answer to the reading carries and the alert list (``alerts=true``) shows.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.archive import policy
from service.models import StorageReading
from service.row_audit import log_row
from service.schemas.archive import ReadingCreate


def record_reading(db: Session, data: ReadingCreate, actor: str) -> StorageReading:
    alerts = policy().storage.alerts(data.temperature, data.humidity)
    row = StorageReading(room=data.room, measured_at=data.measured_at, temperature=data.temperature,
                         humidity=data.humidity, recorded_by=actor, alert="; ".join(alerts) or None)  # fmt: skip
    db.add(row)
    log_row(db, row)
    return row
