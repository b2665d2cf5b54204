"""The exam scorer: each hard constraint and each soft cost satisfied and violated, with hand-computed numbers.

The toy session (see ``periods``): day 0 (10 Jan) has periods 0, 1, 2; day 1 (11 Jan) periods 3, 4;
day 2 (13 Jan, two calendar days later) period 5, which has a penalty of 7. Every period lasts 180
minutes. Room R0 seats 10 (no penalty), room R1 seats 3 (penalty 4).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from models.course_instance import Rule
from models.exam_instance import (
    Exam,
    ExamInstance,
    ExamRoom,
    ExamRules,
    ExamTimetable,
    FrontLoad,
    Period,
    Relation,
    RelationKind,
    Weightings,
)
from models.exam_scoring import ExamScoreReport, score

D1, D2, D3 = dt.date(2024, 1, 10), dt.date(2024, 1, 11), dt.date(2024, 1, 13)
ROOMS = (ExamRoom(id="R0", capacity=10), ExamRoom(id="R1", capacity=3, penalty=4))


def periods() -> tuple[Period, ...]:
    slots = [(D1, 9), (D1, 13), (D1, 17), (D2, 9), (D2, 13), (D3, 9)]
    return tuple(
        Period(index=n, date=d, start=dt.time(h), duration=180, penalty=7 if n == 5 else 0)
        for n, (d, h) in enumerate(slots)
    )


def ex(exam_id: str, *students: str, duration: int = 60, group: str | None = None) -> Exam:
    return Exam(id=exam_id, duration=duration, students=frozenset(students), group=group)


def itc(*exams: Exam, **fields) -> ExamInstance:
    return ExamInstance(name="toy", exams=exams, periods=periods(), rooms=ROOMS, **fields)


def run(instance: ExamInstance, placements: dict[str, tuple[int, str | None]]) -> ExamScoreReport:
    return score(instance, ExamTimetable.of(placements))


def relation(kind: RelationKind, first: str = "A", second: str = "B") -> tuple[Relation, ...]:
    return (Relation(kind=kind, first=first, second=second),)


# --- hard constraints -------------------------------------------------------------------------


def test_unassigned() -> None:
    inst = itc(ex("A", "s1"), ex("B", "s2"))
    assert run(inst, {"A": (0, "R0"), "B": (1, "R0")}).hard["Unassigned"] == 0
    report = run(inst, {"A": (0, "R0")})
    assert report.hard["Unassigned"] == 1 and not report.feasible
    assert "[H] Exam B is not assigned" in report.details


def test_conflicts_count_each_students_exams_beyond_the_first_in_a_period() -> None:
    inst = itc(ex("A", "s1", "s2"), ex("B", "s1", "s3"), ex("C", "s1", "s2"))
    assert run(inst, {"A": (0, "R0"), "B": (1, "R0"), "C": (2, "R0")}).hard["Conflicts"] == 0
    assert run(inst, {"A": (0, "R0"), "B": (0, "R0"), "C": (2, "R0")}).hard["Conflicts"] == 1  # s1
    # s1 sits A, B and C at once (2 beyond the first), s2 sits A and C (1): 3
    report = run(inst, {"A": (0, "R0"), "B": (0, "R0"), "C": (0, "R0")})
    assert report.hard["Conflicts"] == 3
    assert any("Exams A and C share 2 students at period 0" in line for line in report.details)


def test_room_occupancy_counts_seats_over_capacity() -> None:
    inst = itc(ex("A", "s1", "s2"), ex("D", "s4", "s5"))
    assert run(inst, {"A": (0, "R1"), "D": (1, "R1")}).hard["RoomOccupancy"] == 0
    assert run(inst, {"A": (0, "R1"), "D": (0, "R0")}).hard["RoomOccupancy"] == 0
    report = run(inst, {"A": (0, "R1"), "D": (0, "R1")})  # 4 students in 3 seats
    assert report.hard["RoomOccupancy"] == 1
    assert any("Room R1 holds 4 students" in line for line in report.details)


def test_period_utilisation() -> None:
    inst = itc(ex("A", "s1", duration=180), ex("B", "s2", duration=200))
    report = run(inst, {"A": (0, "R0"), "B": (1, "R0")})
    assert report.hard["PeriodUtilisation"] == 1
    assert any("Exam B lasts 200 min, period 1" in line for line in report.details)
    assert run(itc(ex("A", "s1", duration=180)), {"A": (0, "R0")}).hard["PeriodUtilisation"] == 0


def test_unavailable_periods() -> None:
    inst = itc(Exam(id="A", duration=60, students=frozenset({"s1"}), unavailable=frozenset({1, 2})), ex("B", "s2"))
    assert run(inst, {"A": (0, "R0"), "B": (1, "R0")}).hard["Unavailable"] == 0
    report = run(inst, {"A": (2, "R0"), "B": (2, "R0")})
    assert report.hard["Unavailable"] == 1 and not report.feasible
    assert any("Exam A is at period 2" in line and "unavailable" in line for line in report.details)
    assert "Unavailable" not in run(itc(ex("A", "s1")), {"A": (0, "R0")}).hard  # ITC2007 layout unchanged


def test_coincidence() -> None:
    inst = itc(ex("A", "s1"), ex("B", "s2"), relations=relation(RelationKind.COINCIDENCE))
    assert run(inst, {"A": (2, "R0"), "B": (2, "R1")}).hard["Coincidence"] == 0
    assert run(inst, {"A": (2, "R0"), "B": (3, "R0")}).hard["Coincidence"] == 1
    assert run(inst, {"A": (2, "R0")}).hard["Coincidence"] == 0  # B unassigned: counted there only


def test_coincidence_of_exams_sharing_students_is_ignored() -> None:
    inst = itc(ex("A", "s1"), ex("B", "s1"), relations=relation(RelationKind.COINCIDENCE))
    report = run(inst, {"A": (2, "R0"), "B": (3, "R0")})
    assert report.hard["Coincidence"] == 0 and report.feasible


def test_exclusion() -> None:
    inst = itc(ex("A", "s1"), ex("B", "s2"), relations=relation(RelationKind.EXCLUSION))
    assert run(inst, {"A": (2, "R0"), "B": (3, "R0")}).hard["Exclusion"] == 0
    report = run(inst, {"A": (2, "R0"), "B": (2, "R1")})
    assert report.hard["Exclusion"] == 1
    assert "[H] Exams A and B of exclusion(A, B) are in the same period" in report.details


def test_after_means_strictly_later() -> None:
    inst = itc(ex("A", "s1"), ex("B", "s2"), relations=relation(RelationKind.AFTER))
    assert run(inst, {"A": (3, "R0"), "B": (2, "R0")}).hard["After"] == 0
    assert run(inst, {"A": (2, "R0"), "B": (2, "R1")}).hard["After"] == 1
    assert run(inst, {"A": (1, "R0"), "B": (2, "R0")}).hard["After"] == 1


def test_room_exclusive() -> None:
    inst = itc(ex("A", "s1"), ex("B", "s2"), exclusive=frozenset({"A"}))
    assert run(inst, {"A": (0, "R0"), "B": (0, "R1")}).hard["RoomExclusive"] == 0
    assert run(inst, {"A": (0, "R0"), "B": (1, "R0")}).hard["RoomExclusive"] == 0
    report = run(inst, {"A": (0, "R0"), "B": (0, "R0")})
    assert report.hard["RoomExclusive"] == 1
    assert any("Exclusive exam A shares room R0" in line for line in report.details)


# --- ITC2007 soft costs ---------------------------------------------------------------------


def soft(report: ExamScoreReport) -> dict[str, int]:
    return {name: cost for name, cost in report.soft.items() if cost}


def test_two_in_a_row_counts_students_and_never_crosses_days() -> None:
    inst = itc(ex("A", "s1", "s2"), ex("B", "s1", "s2"), weightings=Weightings(two_in_a_row=7))
    report = run(inst, {"A": (1, "R0"), "B": (0, "R0")})  # 2 students, consecutive periods of day 0
    assert report.units["TwoInARow"] == 2 and soft(report) == {"TwoInARow": 14}
    assert run(inst, {"A": (2, "R0"), "B": (3, "R0")}).soft["TwoInARow"] == 0  # last of day 0, first of day 1
    assert run(inst, {"A": (0, "R0"), "B": (2, "R0")}).soft["TwoInARow"] == 0


def test_two_in_a_day_needs_a_free_period_between() -> None:
    inst = itc(ex("A", "s1", "s2"), ex("B", "s1", "s2"), weightings=Weightings(two_in_a_day=5))
    assert soft(run(inst, {"A": (0, "R0"), "B": (2, "R0")})) == {"TwoInADay": 10}
    assert run(inst, {"A": (0, "R0"), "B": (1, "R0")}).soft["TwoInADay"] == 0  # adjacent: that is two in a row
    assert run(inst, {"A": (3, "R0"), "B": (4, "R0")}).soft["TwoInADay"] == 0  # a day of two periods
    assert run(inst, {"A": (2, "R0"), "B": (3, "R0")}).soft["TwoInADay"] == 0


def test_period_spread_counts_pairs_within_g_periods_across_days() -> None:
    inst = itc(ex("A", "s1"), ex("B", "s1"), weightings=Weightings(period_spread=2))
    assert soft(run(inst, {"A": (0, "R0"), "B": (2, "R0")})) == {"PeriodSpread": 1}
    assert soft(run(inst, {"A": (2, "R0"), "B": (3, "R0")})) == {"PeriodSpread": 1}
    assert run(inst, {"A": (0, "R0"), "B": (3, "R0")}).soft["PeriodSpread"] == 0


def test_non_mixed_durations_per_room_and_period() -> None:
    weightings = Weightings(non_mixed_durations=10)
    same = itc(ex("A", "s1", duration=60), ex("B", "s2", duration=60), weightings=weightings)
    assert run(same, {"A": (0, "R0"), "B": (0, "R0")}).soft["NonMixedDurations"] == 0
    mixed = itc(
        ex("A", "s1", duration=60), ex("B", "s2", duration=90), ex("C", "s3", duration=120), weightings=weightings
    )
    assert soft(run(mixed, {"A": (0, "R0"), "B": (0, "R0"), "C": (1, "R0")})) == {"NonMixedDurations": 10}
    assert soft(run(mixed, {"A": (0, "R0"), "B": (0, "R0"), "C": (0, "R0")})) == {"NonMixedDurations": 20}
    assert run(mixed, {"A": (0, "R0"), "B": (0, "R1"), "C": (1, "R0")}).soft["NonMixedDurations"] == 0


def test_front_load_penalises_large_exams_in_the_last_periods() -> None:
    weightings = Weightings(front_load=FrontLoad(largest=1, last_periods=2, weight=5))
    inst = itc(ex("A", "s1", "s2", "s3"), ex("B", "s4"), weightings=weightings)
    assert soft(run(inst, {"A": (4, "R0"), "B": (0, "R0")})) == {"FrontLoad": 5}  # periods 4, 5 are the last 2
    assert run(inst, {"A": (3, "R0"), "B": (5, "R0")}).soft["FrontLoad"] == 0  # B is not among the largest
    tie = itc(ex("A", "s1"), ex("B", "s2"), weightings=weightings)  # equal sizes: the first exam is the larger
    assert run(tie, {"A": (0, "R0"), "B": (5, "R0")}).soft["FrontLoad"] == 0
    assert run(tie, {"A": (5, "R0"), "B": (0, "R0")}).soft["FrontLoad"] == 5


def test_room_and_period_penalties_per_exam() -> None:
    inst = itc(ex("A", "s1"), ex("B", "s2"))
    assert soft(run(inst, {"A": (0, "R0"), "B": (1, "R0")})) == {}
    assert soft(run(inst, {"A": (0, "R1"), "B": (1, "R1")})) == {"RoomPenalty": 8}
    assert soft(run(inst, {"A": (5, "R0"), "B": (5, "R1")})) == {"RoomPenalty": 4, "PeriodPenalty": 14}


def test_total_cost_adds_every_weighted_term() -> None:
    weightings = Weightings(
        two_in_a_row=7,
        two_in_a_day=5,
        period_spread=2,
        non_mixed_durations=10,
        front_load=FrontLoad(largest=1, last_periods=1, weight=3),
    )
    inst = itc(ex("A", "s1", "s2", duration=60), ex("B", "s1", duration=90), ex("C", "s1"), weightings=weightings)
    # s1: A at 0, B at 1 (row, spread 1), C at 2 (row with B, two in a day with A, spread 1 and 2) -> 2 rows,
    # 1 two-in-a-day, 3 spread pairs; A (the largest) at period 0: no front load; R1 penalty for B.
    report = run(inst, {"A": (0, "R0"), "B": (1, "R1"), "C": (2, "R0")})
    assert report.soft == {
        "TwoInARow": 14,
        "TwoInADay": 5,
        "PeriodSpread": 3,
        "NonMixedDurations": 0,
        "FrontLoad": 0,
        "RoomPenalty": 4,
        "PeriodPenalty": 0,
    }
    assert report.cost == 26 and report.objective == 26.0 and report.proximity is None
    assert report.validator_text().endswith("Summary: Total Cost = 26")


# --- registrar rules ------------------------------------------------------------------------


def test_daily_exam_limit_soft_hard_and_off() -> None:
    exams = (ex("A", "s1"), ex("B", "s1"), ex("C", "s1"))
    soft_rule = ExamRules(daily_exams=Rule(weight=3), max_daily_exams=1)
    inst = itc(*exams, rules=soft_rule)
    assert run(inst, {"A": (0, "R0"), "B": (3, "R0"), "C": (5, "R0")}).soft["StudentDailyLimit"] == 0
    report = run(inst, {"A": (0, "R0"), "B": (2, "R0"), "C": (5, "R0")})
    assert report.units["StudentDailyLimit"] == 1 and report.soft["StudentDailyLimit"] == 3
    two = itc(*exams, rules=ExamRules(daily_exams=Rule(hard=True), max_daily_exams=2))
    report = run(two, {"A": (0, "R0"), "B": (1, "R0"), "C": (2, "R0")})
    assert report.hard["StudentDailyLimit"] == 1 and "StudentDailyLimit" not in report.soft
    assert "[H] Student s1 has 3 exams on day 0 (maximum 2)" in report.details
    off = run(itc(*exams), {"A": (0, "R0"), "B": (1, "R0"), "C": (2, "R0")})
    assert "StudentDailyLimit" not in off.hard and "StudentDailyLimit" not in off.soft


def test_group_free_days_counts_missing_calendar_days() -> None:
    exams = (ex("A", "s1", group="G"), ex("B", "s2", group="G"), ex("C", "s3"))
    inst = itc(*exams, rules=ExamRules(group_free_days=Rule(weight=2), min_free_days=1))
    assert run(inst, {"A": (0, "R0"), "B": (5, "R0"), "C": (1, "R0")}).soft["GroupFreeDays"] == 0  # 10 -> 13 Jan
    assert run(inst, {"A": (0, "R0"), "B": (3, "R0"), "C": (1, "R0")}).soft["GroupFreeDays"] == 2  # no day between
    assert run(inst, {"A": (0, "R0"), "B": (1, "R0"), "C": (2, "R0")}).soft["GroupFreeDays"] == 4  # same day
    two = itc(*exams, rules=ExamRules(group_free_days=Rule(hard=True), min_free_days=2))
    report = run(two, {"A": (3, "R0"), "B": (5, "R0"), "C": (0, "R0")})  # 11 -> 13 Jan: 1 free day of 2
    assert report.hard["GroupFreeDays"] == 1
    assert "[H] Group G: exams A and B have 1 free days between them (minimum 2)" in report.details


# --- Toronto ----------------------------------------------------------------------------------


def toronto(slots: int = 6) -> ExamInstance:
    exams = (ex("X", "s1", "s2"), ex("Y", "s1", "s2"), ex("Z", "s2", "s3"))
    return ExamInstance(name="tiny", kind="toronto", exams=exams, periods=tuple(Period(index=t) for t in range(slots)))


def test_toronto_proximity_hand_case() -> None:
    # X-Y 1 slot apart, 2 students: 2 x 16; X-Z 3 apart, s2: 4; Y-Z 2 apart, s2: 8 -> 44 over 3 students
    report = run(toronto(), {"X": (0, None), "Y": (1, None), "Z": (3, None)})
    assert report.feasible and report.soft == {"Proximity": 44}
    assert report.proximity == pytest.approx(44 / 3) and report.objective == pytest.approx(14.6667, abs=1e-4)
    assert set(report.hard) == {"Unassigned", "Conflicts", "Coincidence", "Exclusion", "After"}
    # 5 slots apart costs 1 per student, 6 or more nothing: X-Y 2 x 1, X-Z 6 apart 0, Y-Z 1 apart 16
    far = run(toronto(8), {"X": (0, None), "Y": (5, None), "Z": (6, None)})
    assert far.soft["Proximity"] == 18


def test_toronto_clash_and_room_warning() -> None:
    report = run(toronto(), {"X": (2, None), "Y": (2, "R0"), "Z": (4, None)})
    assert report.hard["Conflicts"] == 2  # s1 and s2 sit X and Y at once
    assert report.warnings == ["Room R0 of exam Y ignored (Toronto instances have no rooms)"]


# --- robustness -------------------------------------------------------------------------------


def test_bad_entries_are_skipped_with_warnings() -> None:
    inst = itc(ex("A", "s1"), ex("B", "s2"), ex("C", "s3"), ex("D", "s4"))
    report = run(inst, {"A": (9, "R0"), "B": (0, None), "C": (0, "R7"), "Q": (0, "R0"), "D": (0, "R0")})
    assert report.hard["Unassigned"] == 3
    assert report.warnings == [
        "Nonexisting period 9 for exam A (entry skipped)",
        "No room for exam B (entry skipped)",
        "Nonexisting room R7 for exam C (entry skipped)",
        "Nonexisting exam Q (entry skipped)",
    ]
    assert "There are 4 warnings!" in report.validator_text()


def test_generated_timetable_on_set4_is_pinned(data_dir: Path) -> None:
    """Regression pin on real data: our own generated timetable (exam i in period 5i mod 21, room 0)
    on ITC2007 set 4. The numbers were recorded from this scorer after it reproduced the published
    FastTA averages of sets 4, 10 and 12 exactly (13011.0, 13703.7, 5233.0)."""
    from datasets.itc2007_exam import read_exam

    inst = read_exam(data_dir / "itc2007-exam" / "exam_comp_set4.exam")
    report = run(inst, {e.id: ((5 * n) % 21, "0") for n, e in enumerate(inst.exams)})
    assert (report.hard, report.soft) == PINNED_SET4


PINNED_SET4: tuple[dict[str, int], dict[str, int]] = (
    {
        "Unassigned": 0,
        "Conflicts": 2043,
        "RoomOccupancy": 4337,
        "PeriodUtilisation": 0,
        "Coincidence": 4,
        "Exclusion": 0,
        "After": 0,
        "RoomExclusive": 0,
    },
    {
        "TwoInARow": 21096,
        "TwoInADay": 5350,
        "PeriodSpread": 6510,
        "NonMixedDurations": 0,
        "FrontLoad": 110,
        "RoomPenalty": 0,
        "PeriodPenalty": 9750,
    },
)
