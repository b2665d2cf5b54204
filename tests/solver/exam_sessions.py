"""Builder of small exam sessions for the exam solver tests (imported by them as ``exam_sessions``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from models.exam_instance import (
    Exam,
    ExamInstance,
    ExamRoom,
    ExamRules,
    FrontLoad,
    Period,
    Relation,
    RelationKind,
    Weightings,
)

NO_RULES = ExamRules()
WEIGHTS = Weightings(
    two_in_a_row=10,
    two_in_a_day=5,
    period_spread=3,
    non_mixed_durations=7,
    front_load=FrontLoad(largest=1, last_periods=1, weight=9),
)


def build_session(
    exams: Mapping[str, Iterable[str]],
    *,
    periods: int = 4,
    per_day: int = 2,
    rooms: Iterable[tuple[str, int, int]] = (("R0", 100, 0),),
    relations: Iterable[tuple[str, str, str]] = (),
    exclusive: Iterable[str] = (),
    durations: Mapping[str, int] | None = None,
    period_minutes: Mapping[int, int] | None = None,
    period_penalty: Mapping[int, int] | None = None,
    groups: Mapping[str, str] | None = None,
    unavailable: Mapping[str, Iterable[int]] | None = None,
    weightings: Weightings = WEIGHTS,
    rules: ExamRules = NO_RULES,
    kind: str = "itc2007",
) -> ExamInstance:
    """An exam session: ``exams`` maps an exam id to its students; ``periods`` periods, ``per_day``
    a day from 1 Jan 2024 (9:00, 12:00, 15:00, ...), each 120 minutes unless ``period_minutes``
    says otherwise; ``rooms`` are (id, seats, penalty); ``relations`` (first, kind, second) with
    kind ``after``, ``exclusion`` or ``coincidence``."""
    durations = dict(durations or {})
    toronto = kind == "toronto"
    day0 = dt.date(2024, 1, 1)
    return ExamInstance(
        name="session",
        kind=kind,  # type: ignore[arg-type]
        exams=tuple(
            Exam(
                id=e,
                duration=durations.get(e, 0 if toronto else 90),
                students=frozenset(s),
                group=(groups or {}).get(e),
                unavailable=frozenset((unavailable or {}).get(e, ())),
            )
            for e, s in exams.items()
        ),
        periods=tuple(
            Period(index=t)
            if toronto
            else Period(
                index=t,
                date=day0 + dt.timedelta(days=t // per_day),
                start=dt.time(9 + 3 * (t % per_day)),
                duration=(period_minutes or {}).get(t, 120),
                penalty=(period_penalty or {}).get(t, 0),
            )
            for t in range(periods)
        ),
        rooms=() if toronto else tuple(ExamRoom(id=r, capacity=c, penalty=p) for r, c, p in rooms),
        relations=tuple(Relation(kind=RelationKind(k), first=a, second=b) for a, k, b in relations),
        exclusive=frozenset(exclusive),
        weightings=Weightings() if toronto else weightings,
        rules=rules,
    )
