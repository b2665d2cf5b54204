"""Academic debts: disciplines whose latest result is a failure (FX, F or not admitted) until a retake passes.

A discipline's attempts are the student's enrolments in it (the same study-plan discipline), numbered
1, 2, 3; each retake points at the failed attempt it retakes. The discipline is a debt while its
latest graded attempt failed, also while a retake of it is registered but not yet graded. The
grading policy's :meth:`~models.grading.GradingPolicy.retake_status` of the number of failures says
whether a retake is left or the failures mean expulsion for academic failure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.grading import GradingPolicy, Outcome, RetakeStatus
from service.models import Enrolment


def failed(enrolment: Enrolment) -> bool:
    """Whether the enrolment has a failing result (a graded attempt that did not pass)."""
    return enrolment.outcome is not None and enrolment.outcome != Outcome.PASSED


@dataclass(frozen=True)
class Debt:
    """A discipline the student still owes: its last failed attempt and, if registered, the pending retake."""

    last_failure: Enrolment
    failures: int
    status: RetakeStatus
    retake: Enrolment | None
    """The registered retake not graded yet, if any."""

    @property
    def retake_of_exam_only(self) -> bool:
        """After FX only the exam is retaken; after F or non-admission the discipline is studied again."""
        return self.last_failure.outcome == Outcome.FX_RETAKE_EXAM


def attempts(db: Session, student_id: int, plan_discipline_id: int) -> list[Enrolment]:
    """The student's enrolments in the discipline, first attempt first."""
    return list(
        db.scalars(
            select(Enrolment)
            .where(Enrolment.student_id == student_id, Enrolment.plan_discipline_id == plan_discipline_id)
            .order_by(Enrolment.attempt, Enrolment.id)
        )
    )


def debt_of(policy: GradingPolicy, tries: list[Enrolment]) -> Debt | None:
    """The debt of one discipline from its attempts (first first), or ``None`` if it is not owed."""
    if not tries:
        return None
    latest = tries[-1]
    failures = sum(1 for e in tries if failed(e))
    if failed(latest):
        return Debt(latest, failures, policy.retake_status(failures), None)
    if latest.outcome is None and len(tries) > 1 and failed(tries[-2]):
        return Debt(tries[-2], failures, policy.retake_status(failures), latest)
    return None


def debts(db: Session, policy: GradingPolicy, student_id: int) -> list[Debt]:
    """Every discipline the student owes, in the order of the failures."""
    by_discipline: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in db.scalars(
        select(Enrolment).where(Enrolment.student_id == student_id).order_by(Enrolment.attempt, Enrolment.id)
    ):
        by_discipline[enrolment.plan_discipline_id].append(enrolment)
    found = [debt for tries in by_discipline.values() if (debt := debt_of(policy, tries)) is not None]
    return sorted(found, key=lambda d: d.last_failure.id)
