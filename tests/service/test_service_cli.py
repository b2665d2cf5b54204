"""``registrar db``, ``registrar demo-data`` and ``registrar service run`` through click's test runner."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask

from registrar.cli import main
from service import migrate


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"REGISTRAR_DATABASE_URL": url})


def test_db_upgrade_current_downgrade(empty_database_url: str) -> None:
    result = run(empty_database_url, "db", "current")
    assert result.exit_code == 0 and "none (not migrated)" in result.output
    result = run(empty_database_url, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert migrate.current(empty_database_url) == migrate.head()
    assert f"current:  {migrate.head()}" in run(empty_database_url, "db", "current").output
    result = run(empty_database_url, "db", "downgrade", "base")
    assert result.exit_code == 0 and "revision base" in result.output


def test_demo_data_fills_an_empty_database_once(empty_database_url: str) -> None:
    result = run(empty_database_url, "demo-data", "--size", "small", "--seed", "2")
    assert result.exit_code == 0, result.output
    assert "students" in result.output and "study_plans" in result.output
    again = run(empty_database_url, "demo-data")
    assert again.exit_code == 1 and "already holds records" in again.output


def test_service_run_warns_about_unmigrated_database(empty_database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(Flask, "run", lambda self, **kwargs: calls.append(kwargs))
    result = run(empty_database_url, "service", "run", "--port", "5099")
    assert result.exit_code == 0, result.output
    assert "run `registrar db upgrade`" in result.stderr
    assert calls == [{"host": "127.0.0.1", "port": 5099, "debug": False}]
    migrate.upgrade(empty_database_url)
    result = run(empty_database_url, "service", "run", "--debug")
    assert "warning" not in result.stderr and calls[-1]["debug"] is True
