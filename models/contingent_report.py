"""Report arithmetic of the contingent: a student's state on a date, the contingent on a date, and the movement
of the contingent over a period, by any grouping. Pure: the histories come in as data.

A history is a student's entries in order (effective date, then registration order); each entry holds
the student's :class:`~models.contingent.State` from its date on. The state on a day is the last
entry taking effect on or before that day; "the end of the day" is meant: an order taking effect on
1 October counts in the contingent of 1 October.

Movement report over a period ``start..end`` (both days included), per cell of a grouping (``key``:
state -> cell, e.g. the faculty and the year of study):

- opening: students in the contingent in the cell at the end of the day before ``start``;
- arrivals of kind K: entries of kind K in the period that bring a student into the cell (they were
  not in the contingent in this cell just before: newly enrolled, returned from leave, or moved in from
  another cell by a transfer within or a promotion);
- departures of kind K: entries of kind K that take a student out of the cell;
- closing: students in the contingent in the cell at the end of ``end``.

``opening + arrivals - departures = closing`` holds for every cell and the total because each student's
entries in the period chain the opening state to the closing state; :func:`movement_report` checks it
(closing is counted independently from the states on ``end``) and raises :class:`ReconciliationError`
if it does not hold, which would be a bug.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from models.contingent import KIND_RULES, RECORD, State

Key = tuple[Hashable, ...]
"""A cell of a grouping: the values of its dimensions, in order (``()`` for the whole university)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a student's history: from ``effective_on`` on the student is in ``state``."""

    effective_on: dt.date
    sequence: int
    """Order of registration (breaks ties between entries of the same day)."""
    kind: str
    """An :class:`~models.contingent.OrderKind` value or :data:`~models.contingent.RECORD`."""
    state: State


def state_on(history: Sequence[Entry], day: dt.date) -> State | None:
    """The state in force at the end of ``day`` (``None`` before the first entry). ``history`` is in order."""
    found = None
    for entry in history:
        if entry.effective_on > day:
            break
        found = entry.state
    return found


MIN_YEAR, MAX_YEAR = 1900, 2200
"""Years a report period may cover."""


class PeriodError(ValueError):
    """A period text that cannot be read; the message says which forms are accepted."""


@dataclass(frozen=True)
class Period:
    """Days ``start``..``end`` (both included) with a label (``2025-10``, ``2025-Q4``, ``2025``, ``2025/2026``)."""

    start: dt.date
    end: dt.date
    label: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(f"the period ends on {self.end}, before it starts on {self.start}")
        if self.start.year < MIN_YEAR or self.end.year > MAX_YEAR:
            raise PeriodError(f"a period lies within the years {MIN_YEAR}-{MAX_YEAR}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """A month ``2025-10``, a quarter ``2025-Q4``, a calendar year ``2025``, an academic year ``2025/2026``
        (1 September to 31 August) or days ``2025-09-01..2025-12-31``."""
        text = text.strip()
        try:
            if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
                year, month = int(m[1]), int(m[2])
                return cls(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), text)
            if m := re.fullmatch(r"(\d{4})-Q([1-4])", text, re.IGNORECASE):
                year, quarter = int(m[1]), int(m[2])
                last = 3 * quarter
                start, end = dt.date(year, last - 2, 1), dt.date(year, last, calendar.monthrange(year, last)[1])
                return cls(start, end, f"{year}-Q{quarter}")
            if m := re.fullmatch(r"(\d{4})", text):
                year = int(m[1])
                return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), text)
            if m := re.fullmatch(r"(\d{4})/(\d{4})", text):
                first, second = int(m[1]), int(m[2])
                if second != first + 1:
                    raise PeriodError(f"an academic year is two consecutive years (2025/2026), not {text}")
                return cls(dt.date(first, 9, 1), dt.date(second, 8, 31), text)
            if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text):
                return cls(dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2]), text)
        except ValueError as exc:
            if isinstance(exc, PeriodError):
                raise
            raise PeriodError(f"{text!r} is not a real period: {exc}") from None
        raise PeriodError(
            f"{text!r} is not a period: use a month 2025-10, a quarter 2025-Q4, a year 2025, an academic year "
            "2025/2026 or days 2025-09-01..2025-12-31"
        )


class ReconciliationError(AssertionError):
    """opening + arrivals - departures != closing for a cell: the histories or the arithmetic are wrong."""


@dataclass
class MovementRow:
    """One cell of a movement report."""

    key: Key
    opening: int = 0
    arrivals: Counter[str] = field(default_factory=Counter)
    departures: Counter[str] = field(default_factory=Counter)
    closing: int = 0

    @property
    def arrived(self) -> int:
        return sum(self.arrivals.values())

    @property
    def departed(self) -> int:
        return sum(self.departures.values())

    @property
    def reconciles(self) -> bool:
        return self.opening + self.arrived - self.departed == self.closing


@dataclass
class MovementReport:
    """The rows (sorted by cell), the total, and the kinds that occur in the rows, in :func:`kind_order`.

    The total is the whole university: it counts only movements into and out of the contingent (a transfer
    within or a promotion moves a student between cells, an arrival in one and a departure in another, and
    cancels out), so its arrivals are not the sum of the rows' arrivals, but its opening and closing are.
    """

    period: Period
    rows: list[MovementRow]
    total: MovementRow
    arrival_kinds: list[str]
    departure_kinds: list[str]


def kind_order(kind: str) -> tuple[int, str]:
    """Sort key of kinds: the order of :class:`OrderKind`, then ``record``, then anything else by name."""
    kinds = [k.value for k in KIND_RULES]
    if kind in kinds:
        return (kinds.index(kind), kind)
    return (len(kinds) + (0 if kind == RECORD else 1), kind)


StateKey = Callable[[int, State], Key]
"""``key(student_id, state)``: the cell of a student in the contingent (called only for states in it)."""


def _cell(key: StateKey, student: int, state: State | None) -> Key | None:
    return key(student, state) if state is not None and state.in_contingent else None


def movement_report(histories: Mapping[int, Sequence[Entry]], period: Period, key: StateKey) -> MovementReport:
    """The movement of the contingent over ``period`` per cell of ``key``; every row and the total reconcile.

    ``histories`` maps a student id to their entries in order; entries after ``period.end`` are ignored.
    """
    rows: dict[Key, MovementRow] = {}

    def row(cell: Key) -> MovementRow:
        if cell not in rows:
            rows[cell] = MovementRow(cell)
        return rows[cell]

    total = MovementRow(())
    day_before = period.start - dt.timedelta(days=1)
    for student, history in histories.items():
        opening = state_on(history, day_before)
        cell = _cell(key, student, opening)
        if cell is not None:
            row(cell).opening += 1
            total.opening += 1
        for entry in history:
            if entry.effective_on < period.start:
                continue
            if entry.effective_on > period.end:
                break
            after = _cell(key, student, entry.state)
            if after != cell:
                if cell is not None:
                    row(cell).departures[entry.kind] += 1
                if after is not None:
                    row(after).arrivals[entry.kind] += 1
            if (cell is None) != (after is None):
                (total.arrivals if after is not None else total.departures)[entry.kind] += 1
            cell = after
        closing = _cell(key, student, state_on(history, period.end))
        if closing is not None:
            row(closing).closing += 1
            total.closing += 1
    ordered = [rows[k] for k in sorted(rows, key=_sortable)]
    for checked in [*ordered, total]:
        if not checked.reconciles:
            raise ReconciliationError(
                f"cell {checked.key}: opening {checked.opening} + arrivals {checked.arrived} - departures "
                f"{checked.departed} != closing {checked.closing}"
            )
    arrival_kinds = sorted({k for r in ordered for k in r.arrivals}, key=kind_order)
    departure_kinds = sorted({k for r in ordered for k in r.departures}, key=kind_order)
    return MovementReport(period, ordered, total, arrival_kinds, departure_kinds)


def contingent_on(histories: Mapping[int, Sequence[Entry]], day: dt.date, key: StateKey) -> Counter[Key]:
    """Students in the contingent at the end of ``day``, counted per cell of ``key``."""
    counts: Counter[Key] = Counter()
    for student, history in histories.items():
        cell = _cell(key, student, state_on(history, day))
        if cell is not None:
            counts[cell] += 1
    return counts


def _sortable(key: Key) -> tuple[tuple[bool, str], ...]:
    """Cells sort by their values, ``None`` last, numbers and text alike (as text, numbers zero-padded)."""
    return tuple((v is None, f"{v:012d}" if isinstance(v, int) else str(v)) for v in key)


def group_histories(entries: Iterable[tuple[int, Entry]]) -> dict[int, list[Entry]]:
    """``(student id, entry)`` pairs in any order -> each student's entries in order (date, then sequence)."""
    out: dict[int, list[Entry]] = defaultdict(list)
    for student, entry in entries:
        out[student].append(entry)
    for history in out.values():
        history.sort(key=lambda e: (e.effective_on, e.sequence))
    return dict(out)
