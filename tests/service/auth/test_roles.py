"""Role rules: construction checks, the gate (admits) and full versus scoped access, the declared-rule requirement."""

from __future__ import annotations

import pytest
from flask import Blueprint

from service.api.routing import endpoint
from service.auth import PUBLIC, SIGNED_IN, RoleRule, allow
from service.auth.roles import check_role


def test_allow_admits_holders_of_any_listed_role() -> None:
    rule = allow("registrar", "scheduler")
    assert rule.admits({"scheduler"}, signed_in=True)
    assert rule.admits({"student", "registrar"}, signed_in=True)
    assert not rule.admits({"student"}, signed_in=True)
    assert not rule.admits(set(), signed_in=True)
    assert not rule.admits({"registrar"}, signed_in=False)
    assert rule.describe() == "roles: registrar, scheduler"


def test_scoped_roles_pass_the_gate_but_not_to_every_row() -> None:
    rule = allow("registrar").scoped(student="own record")
    assert rule.admits({"student"}, signed_in=True)
    assert not rule.full({"student"})
    assert rule.full({"registrar", "student"})
    assert rule.admitted == {"registrar", "student"}
    assert "student (own record)" in rule.describe()


def test_public_and_signed_in() -> None:
    assert PUBLIC.admits(set(), signed_in=False)
    assert SIGNED_IN.admits(set(), signed_in=True) and not SIGNED_IN.admits(set(), signed_in=False)
    assert SIGNED_IN.full(set())


def test_bad_rules_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown role 'dean'"):
        allow("dean")
    with pytest.raises(ValueError, match="both full and scoped"):
        allow("student").scoped(student="own")
    with pytest.raises(ValueError, match="names no roles"):
        RoleRule(frozenset({"registrar"}), public=True)
    assert check_role("archivist") == "archivist"


def test_an_endpoint_cannot_be_declared_without_a_rule() -> None:
    bp = Blueprint("probe", __name__)
    with pytest.raises(TypeError, match=r"probe.ping \(GET /ping\) declares no role rule"):
        endpoint(bp, "/ping", "GET", name="ping", summary="Ping")
