"""The university's movement policy as stored: one row of :class:`~service.models.MovementSettings`; without it
the defaults of :class:`~models.contingent.MovementPolicy` apply. A change is written to the audit log (entity
``movement_settings``, one row per changed field of the policy)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.contingent import MovementPolicy
from service import audit
from service.models import MovementSettings


def load_policy(db: Session) -> MovementPolicy:
    """The policy in force."""
    row = db.scalar(select(MovementSettings).order_by(MovementSettings.id).limit(1))
    return MovementPolicy() if row is None else MovementPolicy.model_validate(row.policy)


def save_policy(db: Session, policy: MovementPolicy) -> MovementPolicy:
    """Replace the policy (not committed); returns it as stored."""
    row = db.scalar(select(MovementSettings).order_by(MovementSettings.id).limit(1))
    data = MovementPolicy.model_validate(policy.model_dump()).model_dump(mode="json")
    old = row.policy if row is not None else MovementPolicy().model_dump(mode="json")
    if row is None:
        row = MovementSettings(policy=data)
        db.add(row)
        db.flush()
    else:
        row.policy = data
    audit.log_changes(db, "movement_settings", row.id, "update", audit.diff(old, data))
    return MovementPolicy.model_validate(data)
