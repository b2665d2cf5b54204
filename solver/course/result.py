"""What a course timetabling solve returns and reports while it runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from models.course_timetable import CourseTimetable


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"
    """The timetable's cost is proven minimal."""
    FEASIBLE = "feasible"
    """A timetable without hard violations was found; optimality not proven."""
    INFEASIBLE = "infeasible"
    """No timetable satisfies the hard constraints; see ``SolveResult.explanation``."""
    UNKNOWN = "unknown"
    """The time limit ran out before any feasible timetable was found."""


@dataclass(frozen=True)
class Progress:
    """A progress event: seconds since the start, best cost and best lower bound so far."""

    elapsed: float
    cost: int | None
    bound: int | None
    phase: str


ProgressCallback = Callable[[Progress], None]


@dataclass
class SolveResult:
    status: SolveStatus
    timetable: CourseTimetable | None
    cost: int | None
    """The solver's own total soft cost of ``timetable`` (the scorer must agree)."""
    bound: int | None
    """Best proven lower bound on the cost, if any."""
    elapsed: float
    explanation: list[str] = field(default_factory=list)
    """Why the instance is infeasible, in the registrar's terms (empty otherwise)."""
    history: list[Progress] = field(default_factory=list)
