"""The personal-file checklist: which requirements apply, and present / missing / expired on a date."""

from __future__ import annotations

import datetime as dt

from models.personal_file import (
    DEFAULT_REQUIREMENTS,
    HeldDocument,
    ItemState,
    Requirement,
    StudentFacts,
    checklist,
    is_complete,
)

DAY = dt.date(2026, 3, 1)
GRANT = StudentFacts(funding="state_grant")
PAID = StudentFacts(funding="paid")
FOREIGN = StudentFacts(funding="paid", citizenship="UZ")


def full_set(*extra: str) -> list[HeldDocument]:
    kinds = [
        "application",
        "identity_copy",
        "education_certificate",
        "test_certificate",
        "medical_certificate",
        "order_copy",
        *extra,
    ]
    return [HeldDocument(kind=k) for k in kinds] + [HeldDocument(kind="photos", copies=6)]  # type: ignore[arg-type]


def states(items: list) -> dict[str, ItemState]:  # type: ignore[type-arg]
    return {i.kind: i.state for i in items}


def test_which_requirements_apply() -> None:
    grant = {i.kind for i in checklist(GRANT, [], DAY)}
    paid = {i.kind for i in checklist(PAID, [], DAY)}
    foreign = {i.kind for i in checklist(FOREIGN, [], DAY)}
    assert "grant_certificate" in grant and "contract" not in grant and "residence_permit" not in grant
    assert "contract" in paid and "grant_certificate" not in paid
    assert "residence_permit" in foreign and "contract" in foreign


def test_a_complete_file() -> None:
    items = checklist(PAID, full_set("contract"), DAY)
    assert is_complete(items)
    assert all(i.state is ItemState.PRESENT for i in items)
    assert [i.kind for i in items] == [r.kind for r in DEFAULT_REQUIREMENTS if r.applies_to in ("all", "paid")]


def test_missing_document_and_too_few_photos() -> None:
    documents = [d for d in full_set() if d.kind != "photos"] + [HeldDocument(kind="photos", copies=4)]
    items = checklist(PAID, documents, DAY)
    found = {i.kind: i for i in items}
    assert found["contract"].state is ItemState.MISSING and found["contract"].valid_copies == 0
    assert found["photos"].state is ItemState.MISSING
    assert (found["photos"].valid_copies, found["photos"].required_copies) == (4, 6)
    assert not is_complete(items)


def test_expired_identity_document_and_its_renewal() -> None:
    old = HeldDocument(kind="identity_copy", expires_on=dt.date(2026, 2, 28))
    documents = [d for d in full_set("grant_certificate") if d.kind != "identity_copy"] + [old]
    item = next(i for i in checklist(GRANT, documents, DAY) if i.kind == "identity_copy")
    assert item.state is ItemState.EXPIRED and item.expired_on == dt.date(2026, 2, 28)
    on_last_day = next(i for i in checklist(GRANT, documents, dt.date(2026, 2, 28)) if i.kind == "identity_copy")
    assert on_last_day.state is ItemState.PRESENT
    renewed = [*documents, HeldDocument(kind="identity_copy", expires_on=dt.date(2036, 2, 1))]
    assert states(checklist(GRANT, renewed, DAY))["identity_copy"] is ItemState.PRESENT


def test_configured_requirements() -> None:
    rules = [Requirement(kind="photos", title="Photos", copies=2)]
    assert states(checklist(GRANT, [HeldDocument(kind="photos", copies=2)], DAY, rules)) == {
        "photos": ItemState.PRESENT
    }
    assert states(checklist(GRANT, [], DAY, rules)) == {"photos": ItemState.MISSING}
