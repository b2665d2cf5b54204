"""Versioned settings kept in the database: the grading policy and the registration credit limits.

Each setting is a pydantic model stored as JSON in :class:`~service.models.SettingVersion`; the newest
version is in force, and a database that never stored one uses the model's defaults (the Kazakhstan
credit system, :class:`models.grading.GradingPolicy`). A new version is validated by the model before
it is stored: an inconsistent policy is refused with the model's message naming the band, weight or
letter. Grade points are stored in hundredths with each result (:mod:`service.models.registration`),
so a policy's points may have at most two decimals.

Results already computed keep the letters they got: a new policy applies to the marks entered or
changed after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.grading import GradingPolicy
from models.registration_rules import CreditLimits
from service.academic.history import created
from service.clock import now
from service.errors import FieldError, Unprocessable
from service.models import SettingVersion

S = TypeVar("S", bound=BaseModel)


@dataclass(frozen=True)
class Setting(Generic[S]):
    """A setting: its key in the table, its model and what it is called in messages."""

    key: str
    model: type[S]
    title: str


GRADING_POLICY = Setting("grading_policy", GradingPolicy, "grading policy")
CREDIT_LIMITS = Setting("credit_limits", CreditLimits, "credit limits")


def newest(db: Session, setting: Setting[S]) -> SettingVersion | None:
    """The version in force, or ``None`` when the defaults apply."""
    return db.scalar(
        select(SettingVersion).where(SettingVersion.key == setting.key).order_by(SettingVersion.id.desc()).limit(1)
    )


def current(db: Session, setting: Setting[S]) -> S:
    """The value in force (the model's defaults when no version was stored)."""
    version = newest(db, setting)
    return setting.model() if version is None else setting.model.model_validate_json(version.value)


def grading_policy(db: Session) -> GradingPolicy:
    return current(db, GRADING_POLICY)


def credit_limits(db: Session) -> CreditLimits:
    return current(db, CREDIT_LIMITS)


def store(db: Session, setting: Setting[S], value: S, reason: str, actor: str) -> SettingVersion:
    """Add ``value`` as the newest version (not committed); 422 for points with more than two decimals."""
    if isinstance(value, GradingPolicy):
        check_points(value)
    version = SettingVersion(
        key=setting.key, value=value.model_dump_json(), reason=reason, created_at=now(), created_by=actor
    )
    db.add(version)
    db.flush()
    created(db, version, ("key", "value", "reason"), reason)
    return version


def check_points(policy: GradingPolicy) -> None:
    """422 naming the band whose points have more than two decimals (they are stored in hundredths)."""
    errors = []
    for index, band in enumerate(policy.bands):
        exponent = Decimal(repr(band.points)).as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            errors.append(
                FieldError(
                    f"policy.bands.{index}.points",
                    f"{band.describe()}: points {band.points!r} have more than two decimals",
                )
            )
    if errors:
        raise Unprocessable(errors)
