"""Configuration kept in the database: versions of each setting (the grading policy, credit limits).

Every change adds a version; the newest version of a key is in force. Values are JSON validated by the
setting's pydantic model (:mod:`service.academic.settings`).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base


class SettingVersion(Base):
    """One version of a setting: its JSON value, why it was changed, when and by whom."""

    __tablename__ = "setting_versions"
    label: ClassVar[str] = "setting version"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    value: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(String(100))
