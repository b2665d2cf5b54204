"""Movement of the student contingent: statuses, order kinds, the university's movement policy, and the rules
of which order may change which student how. Pure: no database, no clock (every date is an argument).

A student's place in the contingent is a :class:`State` (status, programme, year of study, form of
study, funding, language, and the ground and planned end of an academic leave). Every change of it is
made by a registered order of one :class:`OrderKind`; :func:`apply_order` takes the student as they are
(:class:`Subject`: state, names, group) and one order item (:class:`Change`) and returns the student
after the order, or raises :class:`MovementRefused` naming every problem (field and message).

The rules (``shared/notes/kz-registrar-rules.md``; every number is in :class:`MovementPolicy`):

- enrollment and transfer in create a new student: active, year of study 1 (enrollment, unless given)
  or the given year (transfer in, from a named other university);
- expulsion for academic failure, for non-payment and for loss of contact (at least
  ``lost_contact_min_missed_hours`` missed hours) only of an active student; expulsion at own request
  and by transfer to another university (transfer out) of an active student or one on leave;
  the expelled student leaves their group;
- reinstatement only of an expelled student, to a year of study not above the one they left, on a
  paid basis when ``reinstatement_paid_only``;
- transfer within the university (another programme, form of study, funding, language or group) only
  of an active student, changing at least one of these, to a year of study not above the current one;
- transfers in, out and within and reinstatements only inside the university's windows (the order's
  date, ``transfer_windows``; which kinds: ``windowed_kinds``);
- academic leave only of an active student, on a configured ground, until a planned date within the
  ground's limits (medical: a commission conclusion, 6-12 months; childcare: at most until the child is
  3); the student leaves their group;
- return from leave only of a student on leave, to the same year of study;
- change of name of anyone ever enrolled, changing at least one name;
- promotion to the next year of study of an active student below the programme's last year;
  graduation of an active student in the last year;
- a group, when given, belongs to the student's programme and teaches in the student's language;
  when the programme or language changes and no group is given, the student is left without a group.

Cancellation is not an item rule: the cancelling order restores each student to their state before
the cancelled order (:func:`cancelled`), which is only possible while that order is the student's
latest movement (the service checks this).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator, model_validator


class Status(StrEnum):
    """Where a student stands; only :data:`CONTINGENT_STATUSES` count in the contingent."""

    ACTIVE = "active"
    ON_LEAVE = "on_leave"
    EXPELLED = "expelled"
    GRADUATED = "graduated"
    NOT_ENROLLED = "not_enrolled"
    """The enrollment (or transfer in) was cancelled by another order: never a student."""


CONTINGENT_STATUSES: frozenset[Status] = frozenset({Status.ACTIVE})
"""Statuses counted in the contingent (the movement report's "studying" count): students on academic leave
leave it (a departure "academic leave") and return to it (an arrival "return from leave")."""


class OrderKind(StrEnum):
    """The kinds of orders on the movement of the contingent; each has its own register (numbering)."""

    ENROLLMENT = "enrollment"
    EXPULSION_ACADEMIC_FAILURE = "expulsion_academic_failure"
    EXPULSION_NON_PAYMENT = "expulsion_non_payment"
    EXPULSION_LOST_CONTACT = "expulsion_lost_contact"
    EXPULSION_OWN_REQUEST = "expulsion_own_request"
    TRANSFER_OUT = "transfer_out"
    """Expulsion by transfer to another university."""
    REINSTATEMENT = "reinstatement"
    TRANSFER_IN = "transfer_in"
    TRANSFER_WITHIN = "transfer_within"
    ACADEMIC_LEAVE = "academic_leave"
    RETURN_FROM_LEAVE = "return_from_leave"
    CHANGE_OF_NAME = "change_of_name"
    PROMOTION = "promotion"
    """Transfer to the next year of study (the yearly course transfer)."""
    GRADUATION = "graduation"
    CANCELLATION = "cancellation"
    """Cancels another order (the only way an order is undone)."""


RECORD = "record"
"""History kind of a student taken on record without an order (entered through the records API, or present
when the history began); it is counted as its own kind of arrival in the movement reports."""

ChangeField = Literal[
    "programme_id",
    "group_id",
    "study_form",
    "funding",
    "language",
    "year_of_study",
    "leave_ground",
    "leave_until",
    "commission_number",
    "commission_date",
    "child_birth_date",
    "last_name",
    "first_name",
    "middle_name",
    "other_university",
    "missed_hours",
    "reason",
]


@dataclass(frozen=True)
class KindRule:
    """What an order kind needs: its register code, title, the statuses it applies to (``None``: a new
    student), and the item fields it requires and allows besides those."""

    code: str
    title: str
    from_statuses: frozenset[Status | None]
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()

    @property
    def creates_students(self) -> bool:
        return self.from_statuses == frozenset({None})


_S = Status
_NEW: frozenset[Status | None] = frozenset({None})
_ACTIVE: frozenset[Status | None] = frozenset({_S.ACTIVE})
_STUDYING: frozenset[Status | None] = frozenset({_S.ACTIVE, _S.ON_LEAVE})
_TERMS = frozenset({"programme_id", "group_id", "study_form", "funding", "language", "year_of_study"})
_NEW_FIELDS = frozenset({"programme_id", "study_form", "funding", "language"})
KIND_RULES: dict[OrderKind, KindRule] = {
    OrderKind.ENROLLMENT: KindRule("ENR", "Enrollment", _NEW, _NEW_FIELDS, frozenset({"group_id", "year_of_study"})),
    OrderKind.EXPULSION_ACADEMIC_FAILURE: KindRule("EAF", "Expulsion for academic failure", _ACTIVE),
    OrderKind.EXPULSION_NON_PAYMENT: KindRule("ENP", "Expulsion for non-payment", _ACTIVE),
    OrderKind.EXPULSION_LOST_CONTACT: KindRule(
        "ELC", "Expulsion for loss of contact with the university", _ACTIVE, frozenset({"missed_hours"})
    ),
    OrderKind.EXPULSION_OWN_REQUEST: KindRule("EOR", "Expulsion at own request", _STUDYING),
    OrderKind.TRANSFER_OUT: KindRule(
        "TOU", "Expulsion by transfer to another university", _STUDYING, frozenset({"other_university"})
    ),
    OrderKind.REINSTATEMENT: KindRule("REI", "Reinstatement", frozenset({_S.EXPELLED}), optional=_TERMS),
    OrderKind.TRANSFER_IN: KindRule(
        "TIN",
        "Transfer from another university",
        _NEW,
        _NEW_FIELDS | {"year_of_study", "other_university"},
        frozenset({"group_id"}),
    ),
    OrderKind.TRANSFER_WITHIN: KindRule("TWI", "Transfer within the university", _ACTIVE, optional=_TERMS),
    OrderKind.ACADEMIC_LEAVE: KindRule(
        "ALV",
        "Academic leave",
        _ACTIVE,
        frozenset({"leave_ground", "leave_until"}),
        frozenset({"commission_number", "commission_date", "child_birth_date"}),
    ),
    OrderKind.RETURN_FROM_LEAVE: KindRule(
        "RET", "Return from academic leave", frozenset({_S.ON_LEAVE}), optional=frozenset({"group_id", "year_of_study"})
    ),
    OrderKind.CHANGE_OF_NAME: KindRule(
        "CHN",
        "Change of name",
        frozenset({_S.ACTIVE, _S.ON_LEAVE, _S.EXPELLED, _S.GRADUATED}),
        optional=frozenset({"last_name", "first_name", "middle_name"}),
    ),
    OrderKind.PROMOTION: KindRule(
        "PRM", "Transfer to the next year of study", _ACTIVE, optional=frozenset({"group_id"})
    ),
    OrderKind.GRADUATION: KindRule("GRD", "Graduation", _ACTIVE),
    OrderKind.CANCELLATION: KindRule("CAN", "Cancellation of an order", frozenset()),
}
"""The rules of each kind; every kind also allows ``reason`` (free text)."""

EXPULSION_KINDS: frozenset[OrderKind] = frozenset(
    {
        OrderKind.EXPULSION_ACADEMIC_FAILURE,
        OrderKind.EXPULSION_NON_PAYMENT,
        OrderKind.EXPULSION_LOST_CONTACT,
        OrderKind.EXPULSION_OWN_REQUEST,
        OrderKind.TRANSFER_OUT,
    }
)
"""Kinds whose students end expelled (the list of expelled students)."""


def register_code(kind: OrderKind) -> str:
    """The register's code of ``kind`` (``ALV`` for academic leave), used in the order number."""
    return KIND_RULES[kind].code


def order_number(kind: OrderKind, year: int, sequence: int) -> str:
    """The number of an order: ``ALV-2025/017``, the 17th academic-leave order of 2025."""
    return f"{register_code(kind)}-{year}/{sequence:03d}"


# -- the policy


MonthDay = Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
"""A day of the year as ``MM-DD`` (``08-25``)."""
GroundCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
Text = Annotated[str, Field(pattern=r"^[^\x00]*$")]
"""Text without NUL characters (no database stores them in text)."""


class Window(BaseModel):
    """A yearly window ``starts``..``ends`` (both included, ``MM-DD``); it may run over the new year (12-25..01-10)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Text = Field(min_length=1, max_length=100)
    starts: MonthDay
    ends: MonthDay

    @model_validator(mode="after")
    def _real_days(self) -> Self:
        for value in (self.starts, self.ends):
            month, day = map(int, value.split("-"))
            try:
                dt.date(2000, month, day)  # a leap year: 02-29 is a real day
            except ValueError:
                raise ValueError(f"{value} is not a day of the year") from None
        return self

    def contains(self, day: dt.date) -> bool:
        """True if ``day`` falls inside the window (any year)."""
        key = f"{day.month:02d}-{day.day:02d}"
        if self.starts <= self.ends:
            return self.starts <= key <= self.ends
        return key >= self.starts or key <= self.ends


class LeaveGround(BaseModel):
    """A ground of academic leave with its limits on the planned duration (whole months from the effective date)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: GroundCode
    title: Text = Field(min_length=1, max_length=200)
    min_months: int | None = Field(None, ge=1, le=120)
    max_months: int | None = Field(None, ge=1, le=120)
    requires_commission: bool = False
    """A conclusion of the medical advisory commission (number and date) is required."""
    child_care: bool = False
    """Childcare: the child's birth date is required and the leave ends at most on the child's birthday of
    :attr:`MovementPolicy.childcare_max_child_age` years."""

    @model_validator(mode="after")
    def _limits_in_order(self) -> Self:
        if self.min_months and self.max_months and self.min_months > self.max_months:
            raise ValueError(f"leave ground {self.code!r}: min_months {self.min_months} > max_months {self.max_months}")
        return self


DEFAULT_WINDOWS: tuple[Window, ...] = (
    Window(name="summer holidays", starts="06-20", ends="08-25"),
    Window(name="winter holidays", starts="12-25", ends="01-10"),
)
DEFAULT_LEAVE_GROUNDS: tuple[LeaveGround, ...] = (
    LeaveGround(
        code="medical",
        title="Illness (medical advisory commission)",
        min_months=6,
        max_months=12,
        requires_commission=True,
    ),
    LeaveGround(
        code="tuberculosis", title="Tuberculosis (medical advisory commission)", max_months=36, requires_commission=True
    ),
    LeaveGround(code="military", title="Military service", max_months=24),
    LeaveGround(code="childcare", title="Birth or adoption of a child, until age 3", child_care=True),
)
DEFAULT_WINDOWED: frozenset[OrderKind] = frozenset(
    {OrderKind.TRANSFER_IN, OrderKind.TRANSFER_OUT, OrderKind.TRANSFER_WITHIN, OrderKind.REINSTATEMENT}
)
DEFAULT_APPLICATION_REQUIRED: frozenset[OrderKind] = frozenset(
    {
        OrderKind.EXPULSION_OWN_REQUEST,
        OrderKind.ACADEMIC_LEAVE,
        OrderKind.RETURN_FROM_LEAVE,
        OrderKind.REINSTATEMENT,
        OrderKind.TRANSFER_OUT,
        OrderKind.TRANSFER_WITHIN,
    }
)


class MovementPolicy(BaseModel):
    """The university's rules of movement; ``MovementPolicy()`` gives the defaults of the KZ rules notes."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    transfer_windows: tuple[Window, ...] = Field(DEFAULT_WINDOWS, min_length=1)
    """When orders of the windowed kinds may be dated (summer and winter holidays by default)."""
    windowed_kinds: frozenset[OrderKind] = DEFAULT_WINDOWED
    """Kinds of orders allowed only inside a transfer window."""
    leave_grounds: tuple[LeaveGround, ...] = Field(DEFAULT_LEAVE_GROUNDS, min_length=1)
    """The grounds of academic leave and their limits."""
    childcare_max_child_age: int = Field(3, ge=1, le=18)
    """Childcare leave ends at the latest on the child's birthday of this age."""
    reinstatement_paid_only: bool = True
    """A reinstated student studies on a paid basis (the grant was lost with the expulsion)."""
    lost_contact_min_missed_hours: int = Field(80, ge=0, le=10_000)
    """Missed academic hours that justify expulsion for loss of contact with the university."""
    applications_required: frozenset[OrderKind] = DEFAULT_APPLICATION_REQUIRED
    """Kinds whose every student needs an approved application of the matching kind."""

    @field_validator("leave_grounds")
    @classmethod
    def _unique_grounds(cls, grounds: tuple[LeaveGround, ...]) -> tuple[LeaveGround, ...]:
        codes = [g.code for g in grounds]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"leave ground codes must be unique; repeated: {', '.join(duplicates)}")
        return grounds

    @field_validator("windowed_kinds", "applications_required")
    @classmethod
    def _no_cancellation(cls, kinds: frozenset[OrderKind]) -> frozenset[OrderKind]:
        if OrderKind.CANCELLATION in kinds:
            raise ValueError("a cancellation is not bound to a window or an application")
        return kinds

    @field_serializer("windowed_kinds", "applications_required")
    def _sorted(self, kinds: frozenset[OrderKind]) -> list[OrderKind]:
        return sorted(kinds, key=list(OrderKind).index)

    def ground(self, code: str) -> LeaveGround | None:
        return next((g for g in self.leave_grounds if g.code == code), None)

    def window_of(self, day: dt.date) -> Window | None:
        return next((w for w in self.transfer_windows if w.contains(day)), None)


# -- students and order items


@dataclass(frozen=True, slots=True)
class State:
    """A student's place in the contingent from some date on (one entry of the status history)."""

    status: Status
    programme_id: int
    year_of_study: int
    study_form: str
    funding: str
    language: str
    leave_ground: str | None = None
    leave_until: dt.date | None = None

    @property
    def in_contingent(self) -> bool:
        return self.status in CONTINGENT_STATUSES


@dataclass(frozen=True, slots=True)
class Names:
    last_name: str
    first_name: str
    middle_name: str | None = None

    def __str__(self) -> str:
        return " ".join(n for n in (self.last_name, self.first_name, self.middle_name) if n)


@dataclass(frozen=True, slots=True)
class Subject:
    """A student as an order finds or leaves them: state (``None``: not yet a student), names and group."""

    state: State | None
    names: Names
    group_id: int | None


class Change(BaseModel):
    """The parameters of one student's item of an order; which are required or allowed depends on the kind
    (:data:`KIND_RULES`). Fields not given are absent (``model_fields_set``), not null."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_attribute_docstrings=True)

    programme_id: int | None = None
    """The programme after the order (enrollment, transfer in/within, reinstatement)."""
    group_id: int | None = None
    """The academic group after the order; null: no group."""
    study_form: Literal["full_time", "part_time", "distance"] | None = None
    funding: Literal["state_grant", "paid"] | None = None
    language: Literal["kk", "ru", "en"] | None = None
    year_of_study: int | None = Field(None, ge=1, le=8)
    leave_ground: str | None = Field(None, max_length=32)
    """Code of a leave ground of the policy (``medical``, ``military``, ``childcare``, ...)."""
    leave_until: dt.date | None = None
    """Planned last day of the leave."""
    commission_number: str | None = Field(None, min_length=1, max_length=64)
    """Number of the medical advisory commission's conclusion (medical grounds)."""
    commission_date: dt.date | None = None
    child_birth_date: dt.date | None = None
    last_name: str | None = Field(None, min_length=1, max_length=100)
    first_name: str | None = Field(None, min_length=1, max_length=100)
    middle_name: str | None = Field(None, min_length=1, max_length=100)
    """New patronymic; null removes it."""
    other_university: str | None = Field(None, min_length=1, max_length=200)
    """The university the student comes from (transfer in) or goes to (transfer out)."""
    missed_hours: int | None = Field(None, ge=0, le=10_000)
    """Academic hours missed without a valid reason (expulsion for loss of contact)."""
    reason: str | None = Field(None, min_length=1, max_length=500)
    """Free-text reason of this student's item."""


@dataclass(frozen=True)
class Problem:
    """A refused item: the field at fault (``None``: the item as a whole) and why."""

    field: str | None
    message: str


class MovementRefused(Exception):
    """An order item breaks the rules; :attr:`problems` names each field and what is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field or '(item)'}: {p.message}" for p in problems))


@dataclass(frozen=True)
class Catalogue:
    """What the rules need to know about the university: a programme's number of years of study (``None``
    for an unknown programme) and a group's programme and language (``None`` for an unknown group)."""

    programme_years: Callable[[int], int | None]
    group: Callable[[int], tuple[int, str] | None]


@dataclass(frozen=True)
class OrderContext:
    """The order an item belongs to: kind, date of signing, date it takes effect, the policy and the catalogue."""

    kind: OrderKind
    date: dt.date
    effective_on: dt.date
    policy: MovementPolicy
    catalogue: Catalogue


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole ``months``; a day missing in the target month becomes its last (31 Jan + 1 -> 28/29 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _birthday(birth: dt.date, years: int) -> dt.date:
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # 29 February
        return dt.date(birth.year + years, 3, 1)


def apply_order(subject: Subject, change: Change, ctx: OrderContext) -> Subject:
    """The student after one item of an order of ``ctx.kind``; raises :class:`MovementRefused` with every problem.

    ``subject.state`` is ``None`` for the new student of an enrollment or transfer in. Cancellations are
    not items (see :func:`cancelled`).
    """
    kind = ctx.kind
    rule = KIND_RULES[kind]
    if kind is OrderKind.CANCELLATION:
        raise MovementRefused([Problem(None, "a cancellation has no items: it names the cancelled order")])
    given = change.model_fields_set - {"reason"}
    unused = sorted(given - rule.required - rule.optional)
    problems = [Problem(f, f"not used by an order of kind {kind.value}") for f in unused]
    problems += [Problem(f, f"required by an order of kind {kind.value}") for f in sorted(rule.required - given)]
    state = subject.state
    current = state.status if state else None
    if current not in rule.from_statuses:
        problems.append(Problem(None, _wrong_status(kind, rule, current)))
    if kind in ctx.policy.windowed_kinds and ctx.policy.window_of(ctx.date) is None:
        windows = ", ".join(f"{w.name} {w.starts}..{w.ends}" for w in ctx.policy.transfer_windows)
        problems.append(
            Problem(
                None,
                f"an order of kind {kind.value} is dated only inside a transfer window "
                f"({windows}); {ctx.date} is outside",
            )
        )
    if problems:
        raise MovementRefused(problems)
    checker = _CHECKS[kind]
    result = checker(subject, change, ctx)
    if isinstance(result, list):
        raise MovementRefused(result)
    return result


def _wrong_status(kind: OrderKind, rule: KindRule, current: Status | None) -> str:
    if current is None:
        return f"an order of kind {kind.value} applies to an existing student, not a new one"
    if rule.creates_students:
        return f"an order of kind {kind.value} enrolls a new person; this student already exists ({current.value})"
    allowed = " or ".join(sorted(s.value for s in rule.from_statuses if s is not None))
    return f"an order of kind {kind.value} applies only to a student who is {allowed}; this student is {current.value}"


Outcome = Subject | list[Problem]


def _terms(subject: Subject, change: Change, ctx: OrderContext, *, max_year: int | None, status: Status) -> Outcome:
    """The student after a change of terms (programme, group, form, funding, language, year), all checked."""
    problems: list[Problem] = []
    base = subject.state
    given = change.model_fields_set
    programme_id = change.programme_id if "programme_id" in given else (base.programme_id if base else None)
    if programme_id is None:
        return [Problem("programme_id", "a programme is required")]
    years = ctx.catalogue.programme_years(programme_id)
    if years is None:
        return [Problem("programme_id", f"no programme with id {programme_id}")]
    language = change.language if "language" in given else (base.language if base else None)
    study_form = change.study_form if "study_form" in given else (base.study_form if base else None)
    funding = change.funding if "funding" in given else (base.funding if base else None)
    for name, value in (("language", language), ("study_form", study_form), ("funding", funding)):
        if value is None:
            problems.append(Problem(name, "must not be null"))
    if "year_of_study" in given:
        year = change.year_of_study
        if year is None:
            problems.append(Problem("year_of_study", "must not be null"))
            year = 1
    else:
        year = base.year_of_study if base else 1
    if year > years:
        problems.append(Problem("year_of_study", f"the programme has {years} years of study; {year} is beyond"))
    if max_year is not None and year > max_year:
        problems.append(Problem("year_of_study", f"must be at most {max_year} (the year the student leaves)"))
    group_id = _group(subject, change, ctx, programme_id, language, problems)
    if problems:
        return problems
    assert language is not None and study_form is not None and funding is not None
    state = State(status, programme_id, year, study_form, funding, language)
    return Subject(state, subject.names, group_id)


def _group(
    subject: Subject,
    change: Change,
    ctx: OrderContext,
    programme_id: int,
    language: str | None,
    problems: list[Problem],
) -> int | None:
    """The group after the order: the given one (checked), else the current one if it still fits, else none."""
    if "group_id" in change.model_fields_set:
        if change.group_id is None:
            return None
        found = ctx.catalogue.group(change.group_id)
        if found is None:
            problems.append(Problem("group_id", f"no academic group with id {change.group_id}"))
        elif found[0] != programme_id:
            problems.append(Problem("group_id", f"group {change.group_id} belongs to another programme"))
        elif language is not None and found[1] != language:
            problems.append(Problem("group_id", f"group {change.group_id} is taught in {found[1]}, not {language}"))
        return change.group_id
    if subject.group_id is None:
        return None
    found = ctx.catalogue.group(subject.group_id)
    return subject.group_id if found == (programme_id, language) else None


def _enroll(subject: Subject, change: Change, ctx: OrderContext) -> Outcome:
    return _terms(subject, change, ctx, max_year=None, status=Status.ACTIVE)


def _expel(subject: Subject, change: Change, ctx: OrderContext) -> Outcome:
    assert subject.state is not None
    if ctx.kind is OrderKind.EXPULSION_LOST_CONTACT:
        minimum = ctx.policy.lost_contact_min_missed_hours
        if change.missed_hours is None or change.missed_hours < minimum:
            return [
                Problem(
                    "missed_hours",
                    f"expulsion for loss of contact needs at least {minimum} missed hours; {change.missed_hours} given",
                )
            ]
    state = replace(subject.state, status=Status.EXPELLED, leave_ground=None, leave_until=None)
    return Subject(state, subject.names, None)


def _reinstate(subject: Subject, change: Change, ctx: OrderContext) -> Outcome:
    assert subject.state is not None
    if ctx.policy.reinstatement_paid_only:
        if change.funding == "state_grant":
            return [Problem("funding", "a reinstated student studies on a paid basis (policy reinstatement_paid_only)")]
        change = change.model_copy(update={"funding": "paid"})  # an update is in model_fields_set
    return _terms(subject, change, ctx, max_year=subject.state.year_of_study, status=Status.ACTIVE)


def _transfer_within(subject: Subject, change: Change, ctx: OrderContext) -> Outcome:
    result = _terms(
        subject, change, ctx, max_year=subject.state.year_of_study if subject.state else None, status=Status.ACTIVE
    )
    if isinstance(result, list):
        return result
    if result.state == subject.state and result.group_id == subject.group_id:
        return [
            Problem(
                None,
                "a transfer within the university changes the programme, form of study, funding, "
                "language, year or group; this one changes nothing",
            )
        ]
    return result


def _leave(subject: Subject, change: Change, ctx: OrderContext) -> Outcome:
    assert subject.state is not None and change.leave_ground is not None and change.leave_until is not None
    policy = ctx.policy
    ground = policy.ground(change.leave_ground)
    if ground is None:
        codes = ", ".join(g.code for g in policy.leave_grounds)
        return [Problem("leave_ground", f"unknown leave ground {change.leave_ground!r}; the policy has {codes}")]
    problems: list[Problem] = []
    start, until = ctx.effective_on, change.leave_until
    if until <= start:
        problems.append(Problem("leave_until", f"must be after the leave starts on {start}"))
    if ground.min_months and until < (earliest := add_months(start, ground.min_months)):
        message = f"a leave on ground {ground.code} lasts at least {ground.min_months} months: until {earliest}"
        message += " or later"
        problems.append(Problem("leave_until", message))
    if ground.max_months and until > (latest := add_months(start, ground.max_months)):
        message = f"a leave on ground {ground.code} lasts at most {ground.max_months} months: until {latest}"
        message += " at the latest"
        problems.append(Problem("leave_until", message))
    if ground.requires_commission:
        if change.commission_number is None:
            problems.append(
                Problem(
                    "commission_number",
                    f"a leave on ground {ground.code} needs the medical advisory commission's conclusion",
                )
            )
        if change.commission_date is None:
            problems.append(Problem("commission_date", "the date of the commission's conclusion is required"))
        elif change.commission_date > ctx.date:
            problems.append(Problem("commission_date", f"the conclusion must precede the order of {ctx.date}"))
    else:
        for name in ("commission_number", "commission_date"):
            if name in change.model_fields_set:
                problems.append(Problem(name, f"not used by a leave on ground {ground.code}"))
    if ground.child_care:
        birth = change.child_birth_date
        if birth is None:
            problems.append(Problem("child_birth_date", "a childcare leave needs the child's birth date"))
        elif birth > start:
            problems.append(Problem("child_birth_date", f"the child must be born by the start of the leave {start}"))
        elif until > (limit := _birthday(birth, policy.childcare_max_child_age)):
            problems.append(
                Problem(
                    "leave_until",
                    f"a childcare leave ends at the latest when the child is "
                    f"{policy.childcare_max_child_age}, on {limit}",
                )
            )
    elif "child_birth_date" in change.model_fields_set:
        problems.append(Problem("child_birth_date", f"not used by a leave on ground {ground.code}"))
    if problems:
        return problems
    state = replace(subject.state, status=Status.ON_LEAVE, leave_ground=ground.code, leave_until=until)
    return Subject(state, subject.names, None)


def _return(subject: Subject, change: Change, ctx: OrderContext) -> Outcome:
    assert subject.state is not None
    year = subject.state.year_of_study
    if "year_of_study" in change.model_fields_set and change.year_of_study != year:
        return [Problem("year_of_study", f"a student returns from leave to the same year of study, {year}")]
    active = replace(subject.state, status=Status.ACTIVE, leave_ground=None, leave_until=None)
    problems: list[Problem] = []
    group_id = _group(Subject(active, subject.names, None), change, ctx, active.programme_id, active.language, problems)
    return problems or Subject(active, subject.names, group_id)


def _rename(subject: Subject, change: Change, ctx: OrderContext) -> Outcome:
    given = change.model_fields_set
    problems = [
        Problem(f, "must not be null") for f in ("last_name", "first_name") if f in given and getattr(change, f) is None
    ]
    if problems:
        return problems
    old = subject.names
    new = Names(
        change.last_name if "last_name" in given and change.last_name else old.last_name,
        change.first_name if "first_name" in given and change.first_name else old.first_name,
        change.middle_name if "middle_name" in given else old.middle_name,
    )
    if new == old:
        return [Problem(None, f"a change of name changes at least one name; {old} stays the same")]
    return Subject(subject.state, new, subject.group_id)


def _promote(subject: Subject, change: Change, ctx: OrderContext) -> Outcome:
    assert subject.state is not None
    years = ctx.catalogue.programme_years(subject.state.programme_id) or 0
    if subject.state.year_of_study >= years:
        return [
            Problem(
                None,
                f"year {subject.state.year_of_study} is the last of the programme ({years} years): "
                "graduation, not promotion",
            )
        ]
    state = replace(subject.state, year_of_study=subject.state.year_of_study + 1)
    problems: list[Problem] = []
    group_id = _group(subject, change, ctx, state.programme_id, state.language, problems)
    return problems or Subject(state, subject.names, group_id)


def _graduate(subject: Subject, change: Change, ctx: OrderContext) -> Outcome:
    assert subject.state is not None
    years = ctx.catalogue.programme_years(subject.state.programme_id) or 0
    if subject.state.year_of_study != years:
        return [
            Problem(
                None,
                f"only a student in the last year ({years}) graduates; this one is in year "
                f"{subject.state.year_of_study}",
            )
        ]
    return Subject(replace(subject.state, status=Status.GRADUATED), subject.names, subject.group_id)


_CHECKS: dict[OrderKind, Callable[[Subject, Change, OrderContext], Outcome]] = {
    OrderKind.ENROLLMENT: _enroll,
    OrderKind.TRANSFER_IN: _enroll,
    OrderKind.EXPULSION_ACADEMIC_FAILURE: _expel,
    OrderKind.EXPULSION_NON_PAYMENT: _expel,
    OrderKind.EXPULSION_LOST_CONTACT: _expel,
    OrderKind.EXPULSION_OWN_REQUEST: _expel,
    OrderKind.TRANSFER_OUT: _expel,
    OrderKind.REINSTATEMENT: _reinstate,
    OrderKind.TRANSFER_WITHIN: _transfer_within,
    OrderKind.ACADEMIC_LEAVE: _leave,
    OrderKind.RETURN_FROM_LEAVE: _return,
    OrderKind.CHANGE_OF_NAME: _rename,
    OrderKind.PROMOTION: _promote,
    OrderKind.GRADUATION: _graduate,
}


def cancelled(before: Subject | None, after_cancelled: Subject) -> Subject:
    """The student after a cancellation: as before the cancelled order (``before``), or, if that order made them
    a student, :attr:`Status.NOT_ENROLLED` with the terms the cancelled order gave them (and no group)."""
    if before is not None and before.state is not None:
        return before
    assert after_cancelled.state is not None
    return Subject(replace(after_cancelled.state, status=Status.NOT_ENROLLED), after_cancelled.names, None)


def year_of_study_on(day: dt.date, admission_year: int, years: int) -> int:
    """The year of study of a student admitted in ``admission_year`` on ``day`` (academic years start on
    1 September), within 1..``years``: the estimate used for a student taken on record without history."""
    academic_year = day.year if day.month >= 9 else day.year - 1
    return max(1, min(years, academic_year - admission_year + 1))


_LABEL = re.compile(r"_")


def kind_title(kind: str) -> str:
    """A kind's human title (``record`` included): ``Academic leave``."""
    if kind == RECORD:
        return "Taken on record"
    try:
        return KIND_RULES[OrderKind(kind)].title
    except ValueError:
        return _LABEL.sub(" ", kind).capitalize()


# -- applications


class ApplicationKind(StrEnum):
    """What a student (or an applicant) applies for; each leads to an order of :data:`APPLICATION_ORDER_KIND`."""

    ADMISSION = "admission"
    EXPULSION_OWN_REQUEST = "expulsion_own_request"
    ACADEMIC_LEAVE = "academic_leave"
    RETURN_FROM_LEAVE = "return_from_leave"
    REINSTATEMENT = "reinstatement"
    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_WITHIN = "transfer_within"


APPLICATION_ORDER_KIND: dict[ApplicationKind, OrderKind] = {
    ApplicationKind.ADMISSION: OrderKind.ENROLLMENT,
    ApplicationKind.EXPULSION_OWN_REQUEST: OrderKind.EXPULSION_OWN_REQUEST,
    ApplicationKind.ACADEMIC_LEAVE: OrderKind.ACADEMIC_LEAVE,
    ApplicationKind.RETURN_FROM_LEAVE: OrderKind.RETURN_FROM_LEAVE,
    ApplicationKind.REINSTATEMENT: OrderKind.REINSTATEMENT,
    ApplicationKind.TRANSFER_IN: OrderKind.TRANSFER_IN,
    ApplicationKind.TRANSFER_OUT: OrderKind.TRANSFER_OUT,
    ApplicationKind.TRANSFER_WITHIN: OrderKind.TRANSFER_WITHIN,
}
APPLICANT_KINDS: frozenset[ApplicationKind] = frozenset({ApplicationKind.ADMISSION, ApplicationKind.TRANSFER_IN})
"""Kinds applied for by a person who is not a student yet (the application names the applicant, not a student)."""


class ApplicationState(StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    REJECTED = "rejected"


APPLICATION_TRANSITIONS: dict[ApplicationState, frozenset[ApplicationState]] = {
    ApplicationState.SUBMITTED: frozenset({ApplicationState.UNDER_REVIEW, ApplicationState.REJECTED}),
    ApplicationState.UNDER_REVIEW: frozenset({ApplicationState.APPROVED, ApplicationState.REJECTED}),
    ApplicationState.APPROVED: frozenset(),
    ApplicationState.REJECTED: frozenset(),
}
"""An application is reviewed before it is approved; approved and rejected are final."""


def application_transition_problem(current: ApplicationState, new: ApplicationState) -> str | None:
    """Why an application cannot go from ``current`` to ``new`` (``None``: it can)."""
    allowed = APPLICATION_TRANSITIONS[current]
    if new in allowed:
        return None
    if not allowed:
        return f"the application is {current.value}, which is final"
    options = " or ".join(sorted(s.value for s in allowed))
    return f"an application that is {current.value} becomes {options}, not {new.value}"


def application_fits(kind: ApplicationKind, order_kind: OrderKind) -> bool:
    """True if an application of ``kind`` can be the basis of an order of ``order_kind``."""
    return APPLICATION_ORDER_KIND[kind] is order_kind
