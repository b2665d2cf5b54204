"""Columns shared by named records."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column


class NamesMixin:
    """A name in English (required), Kazakh and Russian."""

    name_en: Mapped[str] = mapped_column(String(200))
    name_kk: Mapped[str | None] = mapped_column(String(200))
    name_ru: Mapped[str | None] = mapped_column(String(200))
