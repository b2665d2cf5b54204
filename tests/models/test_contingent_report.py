"""Report arithmetic: periods, the state on a day, the contingent on a day and the movement report, by hand and as
properties over random sequences of valid orders (they always reconcile and agree with direct counts)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.contingent import (
    RECORD,
    Catalogue,
    Change,
    MovementPolicy,
    MovementRefused,
    Names,
    OrderContext,
    OrderKind,
    State,
    Status,
    Subject,
    apply_order,
)
from models.contingent_report import (
    Entry,
    MovementRow,
    Period,
    PeriodError,
    ReconciliationError,
    contingent_on,
    group_histories,
    kind_order,
    movement_report,
    state_on,
)

D = dt.date
ACTIVE = State(Status.ACTIVE, 1, 1, "full_time", "paid", "kk")


def by_programme(_student: int, state: State) -> tuple[int]:
    return (state.programme_id,)


def whole(_student: int, _state: State) -> tuple[()]:
    return ()


def test_periods() -> None:
    assert Period.parse("2025-02") == Period(D(2025, 2, 1), D(2025, 2, 28), "2025-02")
    assert Period.parse("2024-02").end == D(2024, 2, 29)
    assert Period.parse("2025-q4") == Period(D(2025, 10, 1), D(2025, 12, 31), "2025-Q4")
    assert Period.parse("2026") == Period(D(2026, 1, 1), D(2026, 12, 31), "2026")
    assert Period.parse("2025/2026") == Period(D(2025, 9, 1), D(2026, 8, 31), "2025/2026")
    assert Period.parse("2025-09-15..2025-10-14").end == D(2025, 10, 14)
    for bad, message in (
        ("2025-13", "not a real period"),
        ("2025/2027", "consecutive"),
        ("Q4", "not a period"),
        ("2025-10-02..2025-10-01", "before it starts"),
        ("0001-01", "within the years"),
    ):
        with pytest.raises(PeriodError, match=message):
            Period.parse(bad)


def test_state_on_a_day_counts_at_its_end() -> None:
    history = [
        Entry(D(2025, 9, 1), 1, "enrollment", ACTIVE),
        Entry(D(2025, 10, 1), 2, "academic_leave", replace(ACTIVE, status=Status.ON_LEAVE)),
    ]
    assert state_on(history, D(2025, 8, 31)) is None
    assert state_on(history, D(2025, 9, 30)) == ACTIVE
    assert state_on(history, D(2025, 10, 1)).status is Status.ON_LEAVE  # type: ignore[union-attr]


def test_movement_by_hand() -> None:
    """Student 1 moves from programme 1 to 2 in October, 2 leaves in October and returns in November, 3 is
    enrolled in October, 4 was expelled before; the October report by programme, counted by hand."""
    on_leave = replace(ACTIVE, status=Status.ON_LEAVE)
    histories = group_histories(
        [
            (1, Entry(D(2025, 9, 1), 1, RECORD, ACTIVE)),
            (1, Entry(D(2025, 10, 10), 5, "transfer_within", replace(ACTIVE, programme_id=2))),
            (2, Entry(D(2025, 9, 1), 2, RECORD, ACTIVE)),
            (2, Entry(D(2025, 10, 1), 6, "academic_leave", on_leave)),
            (2, Entry(D(2025, 11, 3), 9, "return_from_leave", ACTIVE)),
            (3, Entry(D(2025, 10, 31), 7, "enrollment", replace(ACTIVE, programme_id=2))),
            (4, Entry(D(2025, 9, 1), 3, RECORD, replace(ACTIVE, status=Status.EXPELLED))),
        ]
    )
    report = movement_report(histories, Period.parse("2025-10"), by_programme)
    one, two = report.rows
    assert one == MovementRow((1,), 2, Counter(), Counter({"transfer_within": 1, "academic_leave": 1}), 0)
    assert two == MovementRow((2,), 0, Counter({"transfer_within": 1, "enrollment": 1}), Counter(), 2)
    assert report.total == MovementRow((), 2, Counter({"enrollment": 1}), Counter({"academic_leave": 1}), 2)
    assert report.arrival_kinds == ["enrollment", "transfer_within"]
    assert report.departure_kinds == ["transfer_within", "academic_leave"]
    november = movement_report(histories, Period.parse("2025-11"), whole)
    assert november.rows == [MovementRow((), 2, Counter({"return_from_leave": 1}), Counter(), 3)]
    assert contingent_on(histories, D(2025, 10, 1), by_programme) == Counter({(1,): 1})
    assert contingent_on(histories, D(2025, 10, 31), by_programme) == Counter({(2,): 2})


def test_broken_histories_do_not_reconcile() -> None:
    """A history whose entries are out of order is caught (the guard is not vacuous)."""
    histories = {
        1: [
            Entry(D(2025, 10, 5), 1, "enrollment", ACTIVE),
            Entry(D(2025, 9, 1), 2, RECORD, replace(ACTIVE, status=Status.EXPELLED)),
        ]
    }
    with pytest.raises(ReconciliationError, match="cell"):
        movement_report(histories, Period.parse("2025-10"), whole)


def test_kind_order() -> None:
    kinds = ["record", "zzz", "graduation", "enrollment"]
    assert sorted(kinds, key=kind_order) == ["enrollment", "graduation", "record", "zzz"]


# -- properties: random sequences of valid orders

PROGRAMME_YEARS = {1: 4, 2: 4, 3: 2}
CATALOGUE = Catalogue(PROGRAMME_YEARS.get, lambda _g: None)
POLICY = MovementPolicy(windowed_kinds=frozenset(), applications_required=frozenset())
START = D(2025, 9, 1)
CHANGES: dict[OrderKind, st.SearchStrategy[dict[str, object]]] = {
    OrderKind.ENROLLMENT: st.fixed_dictionaries(
        {
            "programme_id": st.sampled_from([1, 2, 3]),
            "study_form": st.sampled_from(["full_time", "part_time"]),
            "funding": st.sampled_from(["paid", "state_grant"]),
            "language": st.sampled_from(["kk", "ru"]),
        }
    ),
    OrderKind.TRANSFER_IN: st.fixed_dictionaries(
        {
            "programme_id": st.sampled_from([1, 2]),
            "study_form": st.just("full_time"),
            "funding": st.just("paid"),
            "language": st.just("ru"),
            "year_of_study": st.integers(1, 3),
            "other_university": st.just("KazNU"),
        }
    ),
    OrderKind.EXPULSION_ACADEMIC_FAILURE: st.just({}),
    OrderKind.EXPULSION_NON_PAYMENT: st.just({}),
    OrderKind.EXPULSION_LOST_CONTACT: st.fixed_dictionaries({"missed_hours": st.integers(60, 120)}),
    OrderKind.EXPULSION_OWN_REQUEST: st.just({}),
    OrderKind.TRANSFER_OUT: st.just({"other_university": "ENU"}),
    OrderKind.REINSTATEMENT: st.fixed_dictionaries({}, optional={"year_of_study": st.integers(1, 4)}),
    OrderKind.TRANSFER_WITHIN: st.fixed_dictionaries(
        {"programme_id": st.sampled_from([1, 2, 3])},
        optional={
            "language": st.sampled_from(["kk", "ru"]),
            "funding": st.sampled_from(["paid", "state_grant"]),
            "year_of_study": st.integers(1, 4),
        },
    ),
    OrderKind.ACADEMIC_LEAVE: st.fixed_dictionaries(
        {
            "leave_ground": st.just("military"),
            "leave_until": st.just(D(2027, 6, 1)),
        }
    ),
    OrderKind.RETURN_FROM_LEAVE: st.just({}),
    OrderKind.CHANGE_OF_NAME: st.fixed_dictionaries({"last_name": st.sampled_from(["Omarova", "Kim"])}),
    OrderKind.PROMOTION: st.just({}),
    OrderKind.GRADUATION: st.just({}),
}
PLAUSIBLE: dict[Status | None, list[OrderKind]] = {
    None: [OrderKind.ENROLLMENT, OrderKind.TRANSFER_IN],
    Status.ACTIVE: [
        k
        for k in CHANGES
        if k not in (OrderKind.ENROLLMENT, OrderKind.TRANSFER_IN, OrderKind.REINSTATEMENT, OrderKind.RETURN_FROM_LEAVE)
    ],
    Status.ON_LEAVE: [OrderKind.RETURN_FROM_LEAVE, OrderKind.EXPULSION_OWN_REQUEST, OrderKind.TRANSFER_OUT],
    Status.EXPELLED: [OrderKind.REINSTATEMENT, OrderKind.CHANGE_OF_NAME],
    Status.GRADUATED: [OrderKind.CHANGE_OF_NAME],
}
"""Kinds worth trying for a status (most are then valid); a fifth of the orders take any kind instead."""
ORDERS = st.lists(
    st.tuples(st.integers(0, 9), st.integers(0, 20), st.booleans(), st.booleans(), st.data()), min_size=10, max_size=80
)
DIMENSION_KEYS = {
    "programme": lambda _s, state: state.programme_id,
    "year": lambda _s, state: state.year_of_study,
    "language": lambda _s, state: state.language,
    "funding": lambda _s, state: state.funding,
    "parity": lambda s, _state: s % 2,
}


def simulate(orders: list[tuple[int, int, bool, bool, st.DataObject]]) -> tuple[dict[int, list[Entry]], int]:
    """Apply the orders for students 0-9 on days advancing from 1 September 2025; a refused order must change
    nothing. Returns the histories and how many orders were applied."""
    subjects: dict[int, Subject] = {}
    entries: list[tuple[int, Entry]] = []
    applied = 0
    day = START
    for sequence, (student, step, wild, wilder, data) in enumerate(orders):
        day += dt.timedelta(days=step)
        subject = subjects.get(student, Subject(None, Names("Abenov", "Dana"), None))
        status = subject.state.status if subject.state else None
        kind = data.draw(st.sampled_from(sorted(CHANGES) if wild and wilder else PLAUSIBLE[status]))
        context = OrderContext(kind, day, day, POLICY, CATALOGUE)
        try:
            after = apply_order(subject, Change(**data.draw(CHANGES[kind])), context)
        except MovementRefused:
            continue
        assert after.state is not None
        subjects[student] = after
        entries.append((student, Entry(day, sequence, kind.value, after.state)))
        applied += 1
    return group_histories(entries), applied


@settings(max_examples=150, deadline=None)
@given(
    orders=ORDERS,
    first=st.integers(0, 500),
    length=st.integers(0, 400),
    names=st.lists(st.sampled_from(sorted(DIMENSION_KEYS)), unique=True, max_size=3),
)
def test_random_valid_orders_always_reconcile(
    orders: list[tuple[int, int, bool, bool, st.DataObject]], first: int, length: int, names: list[str]
) -> None:
    histories, _ = simulate(orders)
    start = START + dt.timedelta(days=first)
    period = Period(start, start + dt.timedelta(days=length), "p")

    def key(student: int, state: State) -> tuple[object, ...]:
        return tuple(DIMENSION_KEYS[n](student, state) for n in names)

    report = movement_report(histories, period, key)  # raises ReconciliationError if any row does not
    assert all(row.reconciles for row in [*report.rows, report.total])
    opening = contingent_on(histories, start - dt.timedelta(days=1), key)
    closing = contingent_on(histories, period.end, key)
    assert {row.key: row.opening for row in report.rows if row.opening} == dict(opening)
    assert {row.key: row.closing for row in report.rows if row.closing} == dict(closing)
    assert report.total.opening == sum(opening.values()) and report.total.closing == sum(closing.values())
    entered = Counter()
    left = Counter()
    for history in histories.values():
        previous = state_on(history, start - dt.timedelta(days=1))
        for entry in history:
            if period.start <= entry.effective_on <= period.end:
                was, now = previous is not None and previous.in_contingent, entry.state.in_contingent
                if now and not was:
                    entered[entry.kind] += 1
                if was and not now:
                    left[entry.kind] += 1
                previous = entry.state
    assert report.total.arrivals == entered and report.total.departures == left
    assert sum(row.arrived for row in report.rows) - sum(row.departed for row in report.rows) == (
        report.total.arrived - report.total.departed
    )
