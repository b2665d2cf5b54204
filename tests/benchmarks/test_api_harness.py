"""``registrar benchmark api`` end to end at a tiny size: a real gunicorn server on PostgreSQL, every request
answered 200, the table and the throw-away database cleaned up. Skipped (failed in CI) without PostgreSQL."""

from __future__ import annotations

import os

import psycopg
import pytest

from benchmarks import api

SERVER = os.environ.get("REGISTRAR_TEST_POSTGRES", api.DEFAULT_POSTGRES)


@pytest.fixture(scope="module")
def server() -> str:
    try:
        psycopg.connect(f"{SERVER}/postgres", connect_timeout=5).close()
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {SERVER} is unreachable: {exc}")
        pytest.skip(f"PostgreSQL at {SERVER} is unreachable")
    return SERVER


def databases(server: str) -> set[str]:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        query = "SELECT datname FROM pg_database WHERE datname LIKE 'registrar_bench_%'"
        return {row[0] for row in admin.execute(query)}


def test_tiny_run(server: str) -> None:
    kinds = (api.KINDS[0], api.KINDS[3])
    messages: list[str] = []
    table = api.run(server, "small", audit_rows=200, clients=3, duration=0.5, warmup=0.1, workers=1, threads=2,
                    kinds=kinds, log=messages.append)  # fmt: skip
    own = {word.rstrip(":") for word in messages[0].split() if word.startswith("registrar_bench_")}
    assert list(table["request"]) == ["student get", "audit of a student"]
    assert (table["errors"] == 0).all() and (table["requests"] > 0).all()
    assert (table["p50 ms"] <= table["p95 ms"]).all() and (table["p95 ms"] <= table["p99 ms"]).all()
    assert "| student get | 3 |" in api.to_markdown(table)
    assert (table["server CPU ms/req"] > 0).all() and (table["db CPU ms/req"] > 0).all()  # both on this machine
    assert (table["p95 < 50 ms"] == (table["p95 ms"] < 50)).all() and (table["load"] >= 0).all()
    # its own database is gone (other runs' databases may come and go meanwhile: compare only this run's)
    assert len(own) == 1 and databases(server) & own == set()
