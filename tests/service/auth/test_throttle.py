"""The limit on failed sign-ins (:mod:`service.auth.throttle`) on both databases: per account and per address,
refused before the password is checked, locks that double, audit entries, and counts shared by separate app
instances (as by several gunicorn workers) and exact under concurrent failures."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from service_testing import Api, make_user, web_login
from sqlalchemy import func, select

from service import create_app, db
from service.auth import throttle
from service.config import from_environment
from service.models import AuditEntry, LoginThrottle

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class Clock:
    """The throttle's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(throttle, "utcnow", fake)
    return fake


@pytest.fixture
def users(app: Flask, password_hash: str) -> None:
    make_user(app, "aliya", ["registrar"], password_hash)
    make_user(app, "dias", ["scheduler"], password_hash)


def from_address(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_account_is_locked_after_five_failures_even_for_the_right_password(
    app: Flask, users: None, clock: Clock, api: Api
) -> None:
    client = from_address(app, "10.0.0.1")
    for _ in range(4):
        assert web_login(client, "aliya", password="guess").status_code == 401
    fifth = web_login(client, "Aliya ", password="guess")  # the same account however it is typed
    assert fifth.status_code == 429 and fifth.headers["Retry-After"] == "300"
    text = fifth.get_data(as_text=True)
    assert "wrong username or password" in text and "try again in 5 minutes" in text
    refused = web_login(from_address(app, "10.0.0.2"), "aliya")  # right password, other address: still locked
    assert refused.status_code == 429 and "this account" in refused.get_data(as_text=True)
    clock.advance(299)
    assert web_login(client, "aliya").headers["Retry-After"] == "1"
    assert web_login(client, "dias").status_code == 302  # another account from the same address signs in
    clock.advance(1)
    assert web_login(from_address(app, "10.0.0.2"), "aliya").status_code == 302
    entries = api.get("/audit?entity=login_throttles")["items"]
    assert sorted(e["field"] for e in entries) == ["locked_until", "lockouts"]
    assert all(e["actor"] == "anonymous" for e in entries)
    assert "5 failed sign-ins of account 'aliya' within 15 min" in entries[0]["reason"]


def test_success_clears_the_account_count(app: Flask, users: None, clock: Clock) -> None:
    client = from_address(app, "10.0.0.1")
    for _ in range(4):
        assert web_login(client, "aliya", password="guess").status_code == 401
    assert web_login(client, "aliya").status_code == 302
    client = from_address(app, "10.0.0.1")
    for _ in range(4):
        assert web_login(client, "aliya", password="guess").status_code == 401


def test_unknown_usernames_lock_like_known_ones(app: Flask, users: None, clock: Clock) -> None:
    client = from_address(app, "10.0.0.1")
    answers = [web_login(client, "nobody", password="guess").status_code for _ in range(6)]
    assert answers == [401, 401, 401, 401, 429, 429]


def test_an_address_guessing_many_accounts_is_locked(app: Flask, users: None, clock: Clock) -> None:
    app.config["LOGIN_ADDRESS_LIMIT"] = 6
    guesser = from_address(app, "10.9.9.9")
    answers = [web_login(guesser, f"user{i}", password="guess").status_code for i in range(6)]
    assert answers == [401] * 5 + [429]
    refused = web_login(guesser, "aliya")
    assert refused.status_code == 429 and "your address" in refused.get_data(as_text=True)
    assert web_login(from_address(app, "10.0.0.1"), "aliya").status_code == 302


def test_locks_in_a_row_double_up_to_the_maximum(app: Flask, users: None, clock: Clock) -> None:
    app.config.update(LOGIN_ACCOUNT_LIMIT=2, LOGIN_LOCKOUT=60, LOGIN_LOCKOUT_MAX=200)
    client = from_address(app, "10.0.0.1")
    waits = []
    for _ in range(4):
        assert web_login(client, "dias", password="guess").status_code == 401
        locked = web_login(client, "dias", password="guess")
        assert locked.status_code == 429
        waits.append(int(locked.headers["Retry-After"]))
        clock.advance(waits[-1])
    assert waits == [60, 120, 200, 200]
    clock.advance(dt.timedelta(days=1).total_seconds())
    assert web_login(client, "dias", password="guess").status_code == 401
    assert web_login(client, "dias", password="guess").headers["Retry-After"] == "60"  # a day later: short again


def test_failures_outside_the_window_start_a_new_count(app: Flask, users: None, clock: Clock) -> None:
    client = from_address(app, "10.0.0.1")
    for _ in range(4):
        assert web_login(client, "aliya", password="guess").status_code == 401
    clock.advance(901)
    for _ in range(4):
        assert web_login(client, "aliya", password="guess").status_code == 401
    assert web_login(client, "aliya", password="guess").status_code == 429


def test_a_limit_of_zero_turns_it_off(app: Flask, users: None, clock: Clock) -> None:
    app.config.update(LOGIN_ACCOUNT_LIMIT=0, LOGIN_ADDRESS_LIMIT=0)
    client = from_address(app, "10.0.0.1")
    assert {web_login(client, "aliya", password="guess").status_code for _ in range(8)} == {401}
    assert web_login(client, "aliya").status_code == 302


def test_separate_app_instances_share_the_counts(app: Flask, database_url: str, users: None, clock: Clock) -> None:
    """Two apps on one database stand for two gunicorn workers: failures in either count towards one lock."""
    other = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test"})
    try:
        clients = [from_address(app, "10.0.0.1"), from_address(other, "10.0.0.1")]
        answers = [web_login(clients[i % 2], "aliya", password="guess").status_code for i in range(5)]
        assert answers == [401, 401, 401, 401, 429]
        assert web_login(clients[0], "aliya").status_code == 429
        assert web_login(clients[1], "aliya").status_code == 429
    finally:
        db.dispose(other)


def concurrent_failures(app: Flask, count: int, limits: throttle.Limits) -> Iterator[Any]:
    """``count`` threads, each in its own session, record one failure of account ``target`` at the same moment."""
    barrier = threading.Barrier(count)
    problems: list[BaseException] = []

    def fail() -> None:
        try:
            with app.app_context():
                session = db.session()
                barrier.wait(timeout=30)
                throttle.failed(session, [("account", "target")], START, limits)
                session.commit()
        except BaseException as exc:  # reported below
            problems.append(exc)

    threads = [threading.Thread(target=fail) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    with app.app_context():
        yield db.session()


def test_concurrent_failures_are_all_counted(app: Flask) -> None:
    for session in concurrent_failures(app, 8, throttle.Limits(account=100)):
        row = session.scalar(select(LoginThrottle))
        assert row is not None and row.failures == 8 and row.locked_until is None


def test_concurrent_failures_lock_once(app: Flask) -> None:
    for session in concurrent_failures(app, 8, throttle.Limits(account=3)):
        row = session.scalar(select(LoginThrottle))
        assert row is not None and row.lockouts == 1 and row.locked_until is not None
        locks = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.field == "lockouts"))
        assert locks == 1


def test_limits_come_from_the_environment() -> None:
    config = from_environment({"REGISTRAR_LOGIN_ACCOUNT_LIMIT": "3", "REGISTRAR_LOGIN_LOCKOUT": " 600 "})
    assert config == {"LOGIN_ACCOUNT_LIMIT": 3, "LOGIN_LOCKOUT": 600}
    assert throttle.Limits.of(config) == throttle.Limits(account=3, lockout=600)
    for bad in ("-1", "five", "1.5", "٣"):
        with pytest.raises(ValueError, match="REGISTRAR_LOGIN_WINDOW must be a whole number"):
            from_environment({"REGISTRAR_LOGIN_WINDOW": bad})


def test_a_bad_limit_in_the_environment_stops_the_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from service.cli import db_cli

    monkeypatch.setenv("REGISTRAR_DATABASE_URL", f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    monkeypatch.setenv("REGISTRAR_LOGIN_ACCOUNT_LIMIT", "many")
    result = CliRunner().invoke(db_cli, ["current"])
    assert result.exit_code == 1 and "REGISTRAR_LOGIN_ACCOUNT_LIMIT must be a whole number" in result.output
