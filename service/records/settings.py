"""Settings kept in the database: the grading policy and the registration credit limits (versioned).

``GET`` answers the version in force (the defaults when none was stored); ``POST`` stores a new version
after validating it (:mod:`service.schemas.settings`).

Access: every role reads the settings (they are the rules everyone works by); the registrar changes them.
"""

from __future__ import annotations

from flask import Blueprint
from pydantic import BaseModel

from service.academic import settings
from service.api.routing import endpoint
from service.auth import EVERY_ROLE, REGISTRAR, require_actor
from service.db import session
from service.records.crud import commit
from service.schemas.settings import CreditLimitsChange, CreditLimitsOut, GradingPolicyChange, GradingPolicyOut

bp = Blueprint("settings", __name__)


def answer(setting: settings.Setting[BaseModel], field: str) -> dict[str, object]:
    db = session()
    version = settings.newest(db, setting)
    value = settings.current(db, setting)
    if version is None:
        return {"version": None, field: value, "reason": None, "changed_at": None, "changed_by": None}
    return {"version": version.id, field: value, "reason": version.reason, "changed_at": version.created_at,
            "changed_by": version.created_by}  # fmt: skip


@endpoint(bp, "/grading-policy", "GET", name="get_grading_policy", summary="The grading policy in force",
          response=GradingPolicyOut, roles=EVERY_ROLE)  # fmt: skip
def get_policy() -> dict[str, object]:
    return answer(settings.GRADING_POLICY, "policy")  # type: ignore[arg-type]


@endpoint(bp, "/grading-policy", "POST", name="change_grading_policy", summary="Store a new grading policy",
          body=GradingPolicyChange, response=GradingPolicyOut, status=201, roles=REGISTRAR, audited=True,
          description="Applies to marks entered or changed afterwards; results already computed keep their "
          "letters.")  # fmt: skip
def change_policy(body: GradingPolicyChange) -> dict[str, object]:
    db = session()
    settings.store(db, settings.GRADING_POLICY, body.policy, body.reason, require_actor().username)
    commit(db)
    return answer(settings.GRADING_POLICY, "policy")  # type: ignore[arg-type]


@endpoint(bp, "/credit-limits", "GET", name="get_credit_limits", summary="The registration credit limits in force",
          response=CreditLimitsOut, roles=EVERY_ROLE)  # fmt: skip
def get_limits() -> dict[str, object]:
    return answer(settings.CREDIT_LIMITS, "limits")  # type: ignore[arg-type]


@endpoint(bp, "/credit-limits", "POST", name="change_credit_limits",
          summary="Store new registration credit limits", body=CreditLimitsChange, response=CreditLimitsOut,
          status=201, roles=REGISTRAR, audited=True)  # fmt: skip
def change_limits(body: CreditLimitsChange) -> dict[str, object]:
    db = session()
    settings.store(db, settings.CREDIT_LIMITS, body.limits, body.reason, require_actor().username)
    commit(db)
    return answer(settings.CREDIT_LIMITS, "limits")  # type: ignore[arg-type]
