"""Movement rules: every order kind with an allowed and a refused case, the policy (windows, leave grounds,
limits), cancellation and applications."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from pydantic import ValidationError

from models.contingent import (
    APPLICATION_ORDER_KIND,
    KIND_RULES,
    ApplicationKind,
    ApplicationState,
    Catalogue,
    Change,
    LeaveGround,
    MovementPolicy,
    MovementRefused,
    Names,
    OrderContext,
    OrderKind,
    State,
    Status,
    Subject,
    Window,
    add_months,
    application_fits,
    application_transition_problem,
    apply_order,
    cancelled,
    order_number,
    year_of_study_on,
)

K = OrderKind
PROGRAMMES = {1: 4, 2: 4, 3: 2}
GROUPS = {10: (1, "kk"), 11: (1, "ru"), 20: (2, "kk"), 30: (3, "kk")}
CATALOGUE = Catalogue(PROGRAMMES.get, GROUPS.get)
OCTOBER = dt.date(2025, 10, 6)
SUMMER = dt.date(2025, 8, 20)
WINTER = dt.date(2026, 1, 5)
ACTIVE = State(Status.ACTIVE, 1, 2, "full_time", "state_grant", "kk")
NAMES = Names("Nurlanov", "Arman", "Serikovich")


def student(state: State | None = ACTIVE, group: int | None = 10) -> Subject:
    return Subject(state, NAMES, group)


def run(
    kind: OrderKind,
    subject: Subject,
    day: dt.date = OCTOBER,
    policy: MovementPolicy | None = None,
    effective_on: dt.date | None = None,
    **change: Any,
) -> Subject:
    context = OrderContext(kind, day, effective_on or day, policy or MovementPolicy(), CATALOGUE)
    return apply_order(subject, Change(**change), context)


def refused(kind: OrderKind, subject: Subject, day: dt.date = OCTOBER, **change: Any) -> dict[str | None, str]:
    with pytest.raises(MovementRefused) as info:
        run(kind, subject, day, **change)
    return {p.field: p.message for p in info.value.problems}


NEW_TERMS = {"programme_id": 1, "study_form": "full_time", "funding": "paid", "language": "kk"}


# -- enrollment and transfer in


def test_enrollment_makes_an_active_first_year_student() -> None:
    after = run(K.ENROLLMENT, student(None, None), group_id=10, **NEW_TERMS)
    assert after.state == State(Status.ACTIVE, 1, 1, "full_time", "paid", "kk")
    assert after.group_id == 10
    assert run(K.ENROLLMENT, student(None, None), year_of_study=2, **NEW_TERMS).state.year_of_study == 2  # type: ignore[union-attr]


def test_enrollment_refusals() -> None:
    assert "already exists" in refused(K.ENROLLMENT, student(), **NEW_TERMS)[None]
    assert refused(K.ENROLLMENT, student(None, None), programme_id=1)["study_form"].startswith("required")
    assert refused(K.ENROLLMENT, student(None, None), **{**NEW_TERMS, "programme_id": 9}) == {
        "programme_id": "no programme with id 9"
    }
    assert "beyond" in refused(K.ENROLLMENT, student(None, None), year_of_study=5, **NEW_TERMS)["year_of_study"]
    assert "another programme" in refused(K.ENROLLMENT, student(None, None), group_id=20, **NEW_TERMS)["group_id"]
    assert "taught in ru" in refused(K.ENROLLMENT, student(None, None), group_id=11, **NEW_TERMS)["group_id"]
    assert refused(K.ENROLLMENT, student(None, None), leave_ground="medical", **NEW_TERMS) == {
        "leave_ground": "not used by an order of kind enrollment"
    }


def test_transfer_in_needs_the_other_university_and_a_window() -> None:
    terms = {**NEW_TERMS, "year_of_study": 2, "other_university": "KazNU"}
    assert run(K.TRANSFER_IN, student(None, None), SUMMER, **terms).state.year_of_study == 2  # type: ignore[union-attr]
    assert run(K.TRANSFER_IN, student(None, None), WINTER, **terms).state.status is Status.ACTIVE  # type: ignore[union-attr]
    assert "outside" in refused(K.TRANSFER_IN, student(None, None), OCTOBER, **terms)[None]
    missing = refused(K.TRANSFER_IN, student(None, None), SUMMER, **NEW_TERMS)
    assert set(missing) == {"year_of_study", "other_university"}


# -- expulsions


@pytest.mark.parametrize("kind", [K.EXPULSION_ACADEMIC_FAILURE, K.EXPULSION_NON_PAYMENT])
def test_expulsion_of_an_active_student(kind: OrderKind) -> None:
    after = run(kind, student(), reason="debt")
    assert after.state == replace(ACTIVE, status=Status.EXPELLED) and after.group_id is None
    on_leave = replace(ACTIVE, status=Status.ON_LEAVE, leave_ground="military", leave_until=dt.date(2026, 10, 1))
    assert "only to a student who is active; this student is on_leave" in refused(kind, student(on_leave))[None]
    assert "applies only" in refused(kind, student(replace(ACTIVE, status=Status.EXPELLED)))[None]
    assert "existing student" in refused(kind, student(None, None))[None]


def test_expulsion_for_lost_contact_needs_the_missed_hours() -> None:
    assert run(K.EXPULSION_LOST_CONTACT, student(), missed_hours=80).state.status is Status.EXPELLED  # type: ignore[union-attr]
    assert (
        "at least 80 missed hours; 79 given"
        in refused(K.EXPULSION_LOST_CONTACT, student(), missed_hours=79)["missed_hours"]
    )
    assert refused(K.EXPULSION_LOST_CONTACT, student())["missed_hours"].startswith("required")
    lenient = MovementPolicy(lost_contact_min_missed_hours=40)
    assert run(K.EXPULSION_LOST_CONTACT, student(), policy=lenient, missed_hours=40).state.status is Status.EXPELLED  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("kind", "day", "extra"),
    [
        (K.EXPULSION_OWN_REQUEST, OCTOBER, {}),
        (K.TRANSFER_OUT, SUMMER, {"other_university": "ENU"}),
    ],
)
def test_own_request_and_transfer_out_also_from_leave(kind: OrderKind, day: dt.date, extra: dict[str, Any]) -> None:
    on_leave = replace(ACTIVE, status=Status.ON_LEAVE, leave_ground="military", leave_until=dt.date(2026, 10, 1))
    after = run(kind, student(on_leave, None), day, **extra)
    assert after.state == replace(ACTIVE, status=Status.EXPELLED)
    assert run(kind, student(), day, **extra).state.status is Status.EXPELLED  # type: ignore[union-attr]
    assert "graduated" in refused(kind, student(replace(ACTIVE, status=Status.GRADUATED)), day, **extra)[None]


def test_transfer_out_only_in_a_window_and_names_the_university() -> None:
    assert "outside" in refused(K.TRANSFER_OUT, student(), OCTOBER, other_university="ENU")[None]
    assert set(refused(K.TRANSFER_OUT, student(), SUMMER)) == {"other_university"}


# -- reinstatement


EXPELLED = replace(ACTIVE, status=Status.EXPELLED, year_of_study=3)


def test_reinstatement_of_an_expelled_student_on_a_paid_basis() -> None:
    after = run(K.REINSTATEMENT, student(EXPELLED, None), SUMMER, group_id=10)
    assert after.state == State(Status.ACTIVE, 1, 3, "full_time", "paid", "kk") and after.group_id == 10
    assert run(K.REINSTATEMENT, student(EXPELLED, None), WINTER, year_of_study=2).state.year_of_study == 2  # type: ignore[union-attr]
    grants = MovementPolicy(reinstatement_paid_only=False)
    kept = run(K.REINSTATEMENT, student(EXPELLED, None), SUMMER, policy=grants)
    assert kept.state is not None and kept.state.funding == "state_grant"


def test_reinstatement_refusals() -> None:
    assert (
        "only to a student who is expelled; this student is active" in refused(K.REINSTATEMENT, student(), SUMMER)[None]
    )
    assert "outside" in refused(K.REINSTATEMENT, student(EXPELLED), OCTOBER)[None]
    assert "paid basis" in refused(K.REINSTATEMENT, student(EXPELLED), SUMMER, funding="state_grant")["funding"]
    assert "at most 3" in refused(K.REINSTATEMENT, student(EXPELLED), SUMMER, year_of_study=4)["year_of_study"]
    graduated = replace(ACTIVE, status=Status.GRADUATED)
    assert "graduated" in refused(K.REINSTATEMENT, student(graduated), SUMMER)[None]


# -- transfer within


def test_transfer_within_changes_programme_language_or_form() -> None:
    moved = run(K.TRANSFER_WITHIN, student(), WINTER, programme_id=2, group_id=20)
    assert moved.state == replace(ACTIVE, programme_id=2) and moved.group_id == 20
    russian = run(K.TRANSFER_WITHIN, student(), WINTER, language="ru")
    assert russian.state is not None and russian.state.language == "ru"
    assert russian.group_id is None  # the Kazakh group no longer fits
    paid = run(K.TRANSFER_WITHIN, student(), SUMMER, funding="paid", study_form="part_time")
    assert paid.group_id == 10 and paid.state == replace(ACTIVE, funding="paid", study_form="part_time")
    assert run(K.TRANSFER_WITHIN, student(), SUMMER, group_id=None).group_id is None


def test_transfer_within_refusals() -> None:
    assert "outside" in refused(K.TRANSFER_WITHIN, student(), OCTOBER, programme_id=2)[None]
    assert "changes nothing" in refused(K.TRANSFER_WITHIN, student(), WINTER, programme_id=1)[None]
    assert "at most 2" in refused(K.TRANSFER_WITHIN, student(), WINTER, year_of_study=3)["year_of_study"]
    assert "another programme" in refused(K.TRANSFER_WITHIN, student(), WINTER, programme_id=2, group_id=10)["group_id"]
    assert "no academic group" in refused(K.TRANSFER_WITHIN, student(), WINTER, group_id=99)["group_id"]
    assert (
        "beyond"
        in refused(K.TRANSFER_WITHIN, student(replace(ACTIVE, year_of_study=4)), WINTER, programme_id=3)[
            "year_of_study"
        ]
    )
    on_leave = replace(ACTIVE, status=Status.ON_LEAVE)
    assert "on_leave" in refused(K.TRANSFER_WITHIN, student(on_leave), WINTER, programme_id=2)[None]
    assert refused(K.TRANSFER_WITHIN, student(), WINTER, study_form=None) == {"study_form": "must not be null"}


def test_windows_are_configurable_and_may_cross_the_new_year() -> None:
    window = Window(name="all autumn", starts="09-01", ends="11-30")
    policy = MovementPolicy(transfer_windows=(window,))
    assert run(K.TRANSFER_WITHIN, student(), OCTOBER, policy=policy, programme_id=2).state.programme_id == 2  # type: ignore[union-attr]
    unbound = MovementPolicy(windowed_kinds=frozenset())
    assert run(K.TRANSFER_WITHIN, student(), OCTOBER, policy=unbound, programme_id=2).state.programme_id == 2  # type: ignore[union-attr]
    winter = Window(name="winter", starts="12-25", ends="01-10")
    assert [winter.contains(dt.date(2025, m, d)) for m, d in ((12, 24), (12, 25), (1, 1), (1, 10), (1, 11))] == [
        False,
        True,
        True,
        True,
        False,
    ]
    with pytest.raises(ValidationError, match="not a day of the year"):
        Window(name="bad", starts="02-30", ends="03-01")


# -- academic leave and return


def leave(**change: Any) -> Subject:
    return run(K.ACADEMIC_LEAVE, student(), **change)


def test_medical_leave_needs_the_commission_and_6_to_12_months() -> None:
    after = leave(
        leave_ground="medical",
        leave_until=dt.date(2026, 6, 30),
        commission_number="MAC-17",
        commission_date=dt.date(2025, 10, 1),
    )
    assert after.state == replace(
        ACTIVE, status=Status.ON_LEAVE, leave_ground="medical", leave_until=dt.date(2026, 6, 30)
    )
    assert after.group_id is None
    problems = refused(K.ACADEMIC_LEAVE, student(), leave_ground="medical", leave_until=dt.date(2026, 3, 1))
    assert set(problems) == {"leave_until", "commission_number", "commission_date"}
    assert "at least 6 months: until 2026-04-06 or later" in problems["leave_until"]
    long = refused(
        K.ACADEMIC_LEAVE,
        student(),
        leave_ground="medical",
        leave_until=dt.date(2026, 10, 7),
        commission_number="1",
        commission_date=dt.date(2025, 10, 1),
    )
    assert long == {"leave_until": "a leave on ground medical lasts at most 12 months: until 2026-10-06 at the latest"}
    later = refused(
        K.ACADEMIC_LEAVE,
        student(),
        leave_ground="medical",
        leave_until=dt.date(2026, 6, 1),
        commission_number="1",
        commission_date=dt.date(2025, 10, 7),
    )
    assert set(later) == {"commission_date"}


def test_military_leave() -> None:
    after = leave(leave_ground="military", leave_until=dt.date(2026, 11, 30))
    assert after.state is not None and after.state.leave_ground == "military"
    assert (
        "not used by a leave on ground military"
        in refused(
            K.ACADEMIC_LEAVE,
            student(),
            leave_ground="military",
            leave_until=dt.date(2026, 11, 30),
            commission_number="1",
        )["commission_number"]
    )
    assert (
        "at most 24 months"
        in refused(K.ACADEMIC_LEAVE, student(), leave_ground="military", leave_until=dt.date(2027, 11, 30))[
            "leave_until"
        ]
    )


def test_childcare_leave_ends_by_the_third_birthday() -> None:
    birth = dt.date(2025, 2, 14)
    after = leave(leave_ground="childcare", leave_until=dt.date(2028, 2, 14), child_birth_date=birth)
    assert after.state is not None and after.state.leave_until == dt.date(2028, 2, 14)
    too_long = refused(
        K.ACADEMIC_LEAVE, student(), leave_ground="childcare", leave_until=dt.date(2028, 2, 15), child_birth_date=birth
    )
    assert too_long == {"leave_until": "a childcare leave ends at the latest when the child is 3, on 2028-02-14"}
    assert set(refused(K.ACADEMIC_LEAVE, student(), leave_ground="childcare", leave_until=dt.date(2026, 1, 1))) == {
        "child_birth_date"
    }
    unborn = refused(
        K.ACADEMIC_LEAVE,
        student(),
        leave_ground="childcare",
        leave_until=dt.date(2026, 9, 1),
        child_birth_date=dt.date(2025, 11, 1),
    )
    assert "born by the start" in unborn["child_birth_date"]


def test_leave_grounds_are_configurable() -> None:
    custom = LeaveGround(code="family", title="Family circumstances", max_months=12)
    policy = MovementPolicy(leave_grounds=(*MovementPolicy().leave_grounds, custom))
    after = run(K.ACADEMIC_LEAVE, student(), policy=policy, leave_ground="family", leave_until=dt.date(2026, 9, 1))
    assert after.state is not None and after.state.leave_ground == "family"
    unknown = refused(K.ACADEMIC_LEAVE, student(), leave_ground="family", leave_until=dt.date(2026, 9, 1))
    assert (
        "unknown leave ground 'family'; the policy has medical, tuberculosis, military, childcare"
        in unknown["leave_ground"]
    )
    with pytest.raises(ValidationError, match="repeated: family"):
        MovementPolicy(leave_grounds=(custom, custom))
    with pytest.raises(ValidationError, match="min_months 13 > max_months 12"):
        LeaveGround(code="x", title="x", min_months=13, max_months=12)


def test_leave_only_for_an_active_student_and_ends_after_it_starts() -> None:
    on_leave = replace(ACTIVE, status=Status.ON_LEAVE)
    assert (
        "on_leave"
        in refused(K.ACADEMIC_LEAVE, student(on_leave), leave_ground="military", leave_until=dt.date(2026, 9, 1))[None]
    )
    assert (
        "must be after"
        in refused(K.ACADEMIC_LEAVE, student(), leave_ground="military", leave_until=OCTOBER)["leave_until"]
    )
    assert set(refused(K.ACADEMIC_LEAVE, student())) == {"leave_ground", "leave_until"}


def test_return_from_leave_to_the_same_year() -> None:
    on_leave = replace(ACTIVE, status=Status.ON_LEAVE, leave_ground="military", leave_until=dt.date(2026, 10, 1))
    back = run(K.RETURN_FROM_LEAVE, student(on_leave, None), group_id=10)
    assert back.state == ACTIVE and back.group_id == 10
    assert run(K.RETURN_FROM_LEAVE, student(on_leave, None), year_of_study=2).state == ACTIVE
    assert refused(K.RETURN_FROM_LEAVE, student(on_leave, None), year_of_study=3) == {
        "year_of_study": "a student returns from leave to the same year of study, 2"
    }
    assert "active" in refused(K.RETURN_FROM_LEAVE, student())[None]
    assert "taught in ru" in refused(K.RETURN_FROM_LEAVE, student(on_leave, None), group_id=11)["group_id"]


# -- change of name, promotion, graduation


def test_change_of_name() -> None:
    after = run(K.CHANGE_OF_NAME, student(), last_name="Omarova", middle_name=None)
    assert after.names == Names("Omarova", "Arman", None) and after.state == ACTIVE
    expelled = run(K.CHANGE_OF_NAME, student(EXPELLED, None), first_name="Aruzhan")
    assert expelled.names.first_name == "Aruzhan"
    assert "stays the same" in refused(K.CHANGE_OF_NAME, student(), last_name="Nurlanov")[None]
    assert refused(K.CHANGE_OF_NAME, student(), last_name=None) == {"last_name": "must not be null"}
    assert (
        "not_enrolled"
        in refused(K.CHANGE_OF_NAME, student(replace(ACTIVE, status=Status.NOT_ENROLLED)), last_name="X")[None]
    )


def test_promotion_and_graduation() -> None:
    promoted = run(K.PROMOTION, student())
    assert promoted.state == replace(ACTIVE, year_of_study=3) and promoted.group_id == 10
    last = replace(ACTIVE, year_of_study=4)
    assert "graduation, not promotion" in refused(K.PROMOTION, student(last))[None]
    graduate = run(K.GRADUATION, student(last))
    assert graduate.state == replace(last, status=Status.GRADUATED) and graduate.group_id == 10
    assert "only a student in the last year (4)" in refused(K.GRADUATION, student())[None]
    assert "on_leave" in refused(K.GRADUATION, student(replace(last, status=Status.ON_LEAVE)))[None]


def test_cancellation_is_not_an_item_and_restores() -> None:
    assert "has no items" in refused(K.CANCELLATION, student())[None]
    expelled = run(K.EXPULSION_NON_PAYMENT, student())
    assert cancelled(student(), expelled) == student()
    enrolled = run(K.ENROLLMENT, student(None, None), group_id=10, **NEW_TERMS)
    undone = cancelled(None, enrolled)
    assert undone.state is not None and undone.state.status is Status.NOT_ENROLLED and undone.group_id is None
    assert not undone.state.in_contingent


def test_every_kind_has_a_rule_a_register_and_a_number() -> None:
    assert set(KIND_RULES) == set(OrderKind)
    codes = [rule.code for rule in KIND_RULES.values()]
    assert len(set(codes)) == len(codes)
    assert order_number(K.ACADEMIC_LEAVE, 2025, 17) == "ALV-2025/017"


# -- helpers and applications


def test_add_months_and_year_of_study() -> None:
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2025, 10, 6), 12) == dt.date(2026, 10, 6)
    assert year_of_study_on(dt.date(2025, 10, 1), 2023, 4) == 3
    assert year_of_study_on(dt.date(2025, 8, 31), 2023, 4) == 2
    assert year_of_study_on(dt.date(2030, 10, 1), 2023, 4) == 4
    assert year_of_study_on(dt.date(2022, 10, 1), 2023, 4) == 1


def test_application_review_and_kinds() -> None:
    S = ApplicationState
    assert application_transition_problem(S.SUBMITTED, S.UNDER_REVIEW) is None
    assert application_transition_problem(S.SUBMITTED, S.REJECTED) is None
    assert application_transition_problem(S.UNDER_REVIEW, S.APPROVED) is None
    assert application_transition_problem(S.SUBMITTED, S.APPROVED) == (
        "an application that is submitted becomes rejected or under_review, not approved"
    )
    assert application_transition_problem(S.APPROVED, S.REJECTED) == "the application is approved, which is final"
    assert set(APPLICATION_ORDER_KIND) == set(ApplicationKind)
    assert application_fits(ApplicationKind.ADMISSION, K.ENROLLMENT)
    assert not application_fits(ApplicationKind.ACADEMIC_LEAVE, K.RETURN_FROM_LEAVE)


def test_policy_round_trips_and_refuses_cancellation_rules() -> None:
    policy = MovementPolicy()
    assert MovementPolicy.model_validate(policy.model_dump(mode="json")) == policy
    assert policy.model_dump(mode="json")["windowed_kinds"] == [
        "transfer_out",
        "reinstatement",
        "transfer_in",
        "transfer_within",
    ]
    with pytest.raises(ValidationError, match="not bound to a window"):
        MovementPolicy(windowed_kinds=frozenset({K.CANCELLATION}))
    with pytest.raises(ValidationError):
        MovementPolicy(transfer_windows=())
