"""Schemas of the settings kept in the database: the grading policy and the registration credit limits.

A new version replaces the one in force and must say why. The policy is validated by
:class:`models.grading.GradingPolicy` (bands covering 0-100 in order, weights summing to 1, failing
letters on the scale, ...); its points may have at most two decimals. Credit limits are validated by
:class:`models.registration_rules.CreditLimits` (minimum not above maximum).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidatorFunctionWrapHandler, field_validator

from models.grading import GradingPolicy, PolicyError
from models.registration_rules import CreditLimits
from service.schemas.common import InputModel, OutputModel, UtcDateTime

Reason = Field(min_length=1, max_length=500)


class GradingPolicyChange(InputModel):
    """A new grading policy (every field optional: the defaults are the Kazakhstan credit system)."""

    policy: GradingPolicy
    reason: str = Reason
    """Why the policy changes (e.g. the academic council's decision)."""

    @field_validator("policy", mode="wrap")
    @classmethod
    def _consistent(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> GradingPolicy:
        """An inconsistent policy (:class:`PolicyError`, not a ``ValueError``) becomes a field error.

        The wrapped validation runs in strict Python mode, where a tuple field takes no list: the JSON
        arrays of the policy (``bands``, ``transfer_thresholds``) become tuples first.
        """
        if isinstance(value, dict):
            value = {key: tuple(item) if isinstance(item, list) else item for key, item in value.items()}
        try:
            policy: GradingPolicy = handler(value)
        except PolicyError as exc:
            raise ValueError(str(exc)) from None
        return policy


class GradingPolicyOut(OutputModel):
    version: int | None
    """The stored version in force; ``null``: nothing stored, the defaults apply."""
    policy: GradingPolicy
    reason: str | None
    changed_at: UtcDateTime | None
    changed_by: str | None


class CreditLimitsChange(InputModel):
    """New credit limits per kind of period."""

    limits: CreditLimits
    reason: str = Reason


class CreditLimitsOut(OutputModel):
    version: int | None
    limits: CreditLimits
    reason: str | None
    changed_at: UtcDateTime | None
    changed_by: str | None
