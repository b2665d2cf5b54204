"""API latency of the record pages under concurrent clients, against a real server process on PostgreSQL.

One run (:func:`run`):

1. creates a throw-away database ``registrar_bench_<random>`` on the PostgreSQL server, migrates it and
   fills it with the demo university (``large``: about 3,200 students), plus ``audit_rows`` audit
   entries spread over the students (as if their records had been changed), and a registrar's token;
2. starts the service in gunicorn (``workers`` processes x ``threads`` threads, gthread) on a free
   loopback port;
3. for each request kind (:data:`KINDS`) runs ``clients`` concurrent clients (threads of this process,
   each with its own keep-alive connection) for ``duration`` seconds after a short warm-up, every
   request signed with the token, and records each latency. With ``think`` 0 every client sends its
   next request as soon as it has the answer (a closed loop: the server is saturated and latency is
   mostly queueing, 50 clients / throughput); with ``think`` > 0 a client waits that long between its
   requests (people reading a page), which offers at most clients / think requests per second;
4. stops the server, drops the database, and returns one row per kind: requests, errors (any non-200),
   p50/p95/p99/max latency (ms) and throughput (requests per second), whether the p95 is under the
   target (:data:`TARGET_P95_MS`), and what the requests cost: the CPU time of the gunicorn processes and
   of the database's PostgreSQL backends per request (ms, from ``/proc``; blank when the server is not on
   this machine), and the machine's load average (1 min) at the end of the measurement.

The load generator shares the machine (and the GIL of its own process) with the server, so the
latencies include client-side queuing: they are an upper bound on what the server alone would show.
The CPU per request does not depend on how busy the machine is, so it tells a slow request from a busy
machine: with c ms of server and database CPU per request, two cores serve at most about 2000 / c
requests per second.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import psycopg
from sqlalchemy import insert, select

from benchmarks.runner import markdown_table

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432"
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("request", "request", 0), ("clients", "clients", 0), ("think s", "think s", 1), ("requests", "requests", 0),
    ("errors", "errors", 0),
    ("p50 ms", "p50 ms", 1), ("p95 ms", "p95 ms", 1), ("p99 ms", "p99 ms", 1), ("max ms", "max ms", 1),
    ("req/s", "req/s", 1), ("p95 < 50 ms", "p95 < 50 ms", 0), ("server CPU ms/req", "server CPU ms/req", 2),
    ("db CPU ms/req", "db CPU ms/req", 2), ("load", "load", 1),
)  # fmt: skip
TARGET_P95_MS = 50.0
"""The issue's target: the 95th percentile of the latency under 50 ms."""
STARTUP_TIMEOUT = 180.0
"""Seconds the server may take to answer its first request (it took over 60 s on the shared 2-core machine at a
load average of 12, while a test suite ran beside it)."""


@dataclass
class Fixture:
    """What the clients need: the server's address and token, and ids that exist."""

    token: str
    student_ids: list[int]
    group_ids: list[int]
    surname_prefixes: list[str]
    host: str = "127.0.0.1"
    port: int = 0


@dataclass
class Kind:
    """A request kind: a name and a function drawing one request path."""

    name: str
    path: Callable[[random.Random, Fixture], str]


KINDS: tuple[Kind, ...] = (
    Kind("student get", lambda r, f: f"/api/students/{r.choice(f.student_ids)}"),
    Kind("student search (q)", lambda r, f: f"/api/students?q={r.choice(f.surname_prefixes)}&per_page=50"),
    Kind("student list (group)", lambda r, f: f"/api/students?group_id={r.choice(f.group_ids)}&per_page=50"),
    Kind("audit of a student", lambda r, f: f"/api/audit?entity=students&entity_id={r.choice(f.student_ids)}"),
    Kind("audit, newest 50", lambda r, f: "/api/audit?per_page=50"),
)


@dataclass
class Samples:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of each process (Linux ``/proc/<pid>/stat``); vanished processes are left out."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime and stime, fields 14 and 15 of stat
    return out


@dataclass
class CpuProbe:
    """The processes whose CPU a measurement charges to the requests: gunicorn's master and its workers, and
    the PostgreSQL backends connected to the benchmark's database (when PostgreSQL runs on this machine)."""

    server_pid: int
    postgres: str
    database: str

    def server_pids(self) -> list[int]:
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == self.server_pid:
                children.append(int(stat.parent.name))
        return [self.server_pid, *children]

    def database_pids(self) -> list[int]:
        if urlsplit(self.postgres).hostname not in {"127.0.0.1", "localhost", "::1"}:
            return []  # another machine's process ids mean nothing here
        with psycopg.connect(f"{self.postgres}/postgres", autocommit=True, connect_timeout=5) as admin:
            rows = admin.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.database,)).fetchall()
        return [int(pid) for (pid,) in rows]

    def sample(self) -> tuple[dict[int, float], dict[int, float]]:
        """CPU seconds so far of the server's processes and of the database's backends."""
        return cpu_seconds(self.server_pids()), cpu_seconds(self.database_pids())


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two samples (a process that appeared in between counts from its start)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def create_database(server: str) -> tuple[str, str]:
    """A new empty database on ``server``: ``(name, SQLAlchemy URL)``."""
    name = f"registrar_bench_{secrets.token_hex(5)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return name, f"{server.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"


def drop_database(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(url: str, size: str, seed: int, audit_rows: int) -> Fixture:
    """Migrate, fill the demo university, add ``audit_rows`` audit entries and a registrar token."""
    from service import create_app, db, migrate
    from service.auth import accounts, tokens
    from service.demo import fill
    from service.models import AcademicGroup, AuditEntry, Student
    from service.schemas.users import UserCreate

    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "benchmark"})
    try:
        with app.app_context():
            session = db.session()
            fill(session, size, seed)
            students = session.execute(select(Student.id, Student.last_name)).all()
            group_ids = list(session.scalars(select(AcademicGroup.id)))
            rng = random.Random(seed)
            start = dt.datetime(2025, 9, 1, tzinfo=dt.UTC)
            rows = []
            for i in range(audit_rows):
                student_id = rng.choice(students).id
                rows.append({"change_id": f"{i:032x}", "at": start + dt.timedelta(minutes=i), "actor": "registrar",
                             "action": "update", "entity": "students", "entity_id": student_id,
                             "field": "status", "old_value": "active", "new_value": "on_leave",
                             "reason": f"order {i}-AL"})  # fmt: skip
            for chunk in range(0, len(rows), 5000):
                session.execute(insert(AuditEntry), rows[chunk : chunk + 5000])
            bench = UserCreate(username="bench", full_name="Benchmark", password="benchmark-only", roles=["registrar"])
            user = accounts.create_user(session, bench)
            _, secret = tokens.issue(session, user, "benchmark", 1)
            session.commit()
        with db.engine(app).connect() as connection:
            # vacuumed and analysed as autovacuum keeps the tables of a live database (visibility maps, planner
            # statistics, GIN pending lists merged)
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    finally:
        db.dispose(app)
    prefixes = sorted({name[:3] for _, name in students})
    return Fixture(secret, [s.id for s in students], group_ids, prefixes)


def start_server(url: str, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    """gunicorn serving ``service:create_app()`` on 127.0.0.1:``port``; returns once it answers."""
    env = os.environ | {"REGISTRAR_DATABASE_URL": url, "REGISTRAR_SECRET_KEY": secrets.token_hex(16)}
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
               "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
               "--keep-alive", "30", "service:create_app()"]  # fmt: skip
    server = subprocess.Popen(command, env=env, cwd=Path(__file__).resolve().parents[1])
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/api/openapi.json")
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return server
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)  # polling a starting process: nothing to synchronise on
        finally:
            connection.close()
    stop_server(server)
    raise RuntimeError(f"the server did not answer within {STARTUP_TIMEOUT:.0f} s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def client_loop(fixture: Fixture, kind: Kind, measure_from: float, until: float, seed: int, samples: Samples,
                think: float = 0.0) -> None:  # fmt: skip
    """One client: requests of ``kind`` on a keep-alive connection until ``until``, recording those sent from
    ``measure_from`` on (the ones before are the warm-up), pausing ``think`` seconds (uniformly 0.5-1.5 x)
    between requests.

    With ``think`` > 0 the client first waits a random part of ``think``: people reading pages do not all
    click at the same instant, and 50 clients started together would measure one burst of 50 simultaneous
    requests, repeated while their pauses drift apart."""
    rng = random.Random(seed)
    pause = threading.Event()
    if think > 0:
        pause.wait(think * rng.random())
    headers = {"Authorization": f"Bearer {fixture.token}"}
    connection = http.client.HTTPConnection(fixture.host, fixture.port, timeout=30)
    latencies: list[float] = []
    errors = 0
    while (now := time.monotonic()) < until:
        measured = now >= measure_from
        path = kind.path(rng, fixture)
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection(fixture.host, fixture.port, timeout=30)
            ok = False
        if measured:
            latencies.append((time.perf_counter() - started) * 1000)
            errors += not ok
        if think > 0:
            pause.wait(min(think * rng.uniform(0.5, 1.5), max(0.0, until - time.monotonic())))
    connection.close()
    with samples.lock:
        samples.latencies_ms.extend(latencies)
        samples.errors += errors


def measure(fixture: Fixture, kind: Kind, clients: int, duration: float, warmup: float,
            think: float = 0.0, probe: CpuProbe | None = None) -> dict[str, Any]:  # fmt: skip
    """Run ``clients`` concurrent clients of ``kind`` for ``warmup`` + ``duration`` s and measure the requests
    sent in the last ``duration`` s; one result row.

    The same clients (and connections) run through the warm-up and the measurement, so the measurement
    does not start with every client connecting at once. With a ``probe``, the row also has the CPU
    milliseconds per request of the server and of the database."""
    samples = Samples()
    measure_from = time.monotonic() + warmup
    until = measure_from + duration
    threads = [threading.Thread(target=client_loop, args=(fixture, kind, measure_from, until, i, samples, think))
               for i in range(clients)]  # fmt: skip
    for thread in threads:
        thread.start()
    clock = threading.Event()
    clock.wait(max(0.0, measure_from - time.monotonic()))
    cpu_before = probe.sample() if probe is not None else None
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu_after = probe.sample() if probe is not None else None
    assert samples is not None
    series = pd.Series(samples.latencies_ms)
    server_ms = db_ms = None
    if cpu_before is not None and cpu_after is not None and len(series):
        server_ms = round(spent(cpu_before[0], cpu_after[0]) * 1000 / len(series), 2)
        db_ms = round(spent(cpu_before[1], cpu_after[1]) * 1000 / len(series), 2) if cpu_after[1] else None
    p95 = round(series.quantile(0.95), 1)
    return {
        "request": kind.name,
        "clients": clients,
        "think s": think,
        "requests": len(series),
        "errors": samples.errors,
        "p50 ms": round(series.quantile(0.50), 1),
        "p95 ms": p95,
        "p99 ms": round(series.quantile(0.99), 1),
        "max ms": round(series.max(), 1),
        "req/s": round(len(series) / elapsed, 1),
        "p95 < 50 ms": bool(p95 < TARGET_P95_MS),
        "server CPU ms/req": server_ms,
        "db CPU ms/req": db_ms,
        "load": round(os.getloadavg()[0], 1),
    }


def run(server: str = DEFAULT_POSTGRES, size: str = "large", seed: int = 0, audit_rows: int = 50_000,
        clients: int = 50, duration: float = 10.0, warmup: float = 2.0, workers: int = 2, threads: int = 8,
        kinds: tuple[Kind, ...] = KINDS, thinks: tuple[float, ...] = (0.0,),
        log: Callable[[str], None] = print) -> pd.DataFrame:  # fmt: skip
    """The whole benchmark (see the module doc); the database is dropped afterwards."""
    name, url = create_database(server)
    try:
        log(f"database {name}: filling the {size} demo university and {audit_rows} audit entries")
        fixture = prepare(url, size, seed, audit_rows)
        fixture.port = free_port()
        students = len(fixture.student_ids)
        log(f"{students} students; gunicorn {workers} workers x {threads} threads on port {fixture.port}")
        process = start_server(url, fixture.port, workers, threads)
        probe = CpuProbe(process.pid, server, name) if Path("/proc/self/stat").exists() else None
        try:
            rows = []
            for think in thinks:
                for kind in kinds:
                    log(f"{kind.name}: {clients} clients, think {think:g} s, for {duration:g} s")
                    rows.append(measure(fixture, kind, clients, duration, warmup, think, probe))
        finally:
            stop_server(process)
    finally:
        drop_database(server, name)
    return pd.DataFrame(rows)


def to_markdown(table: pd.DataFrame) -> str:
    """The result table as GitHub-flavoured markdown."""
    return "\n".join(markdown_table(table.to_dict("records"), COLUMNS, left=("request",)))
