"""GPA and rankings benchmark: recompute every student's GPA and ranks (group, programme, year of study).

:func:`build` makes the rows of a synthetic university of ``students`` students holding ``grades``
graded disciplines each, and :func:`load` inserts them in bulk (PostgreSQL ``COPY``, executemany
elsewhere) into an empty, migrated records database:

- four cohorts (admitted 2022-2025, a quarter each) of ``programmes`` programmes, groups of 25; the
  academic years 2022/2023-2025/2026 with autumn and spring periods; a cohort's ``grades`` are spread
  over the periods it studied (8, 6, 4 or 2), so every student has exactly ``grades`` results;
- letters drawn from a fixed distribution over the policy's scale (about 4% FX/F); a failure before
  the last period is retaken in the next one (attempt 2, in place of one of that period's disciplines);
- one registration per student and period, credits 5 or 6; no marks and no sections (GPA and ranks
  need the results only).

:func:`measure` times the SQL of :mod:`service.academic.standing` over all active students (the same
statements the API's rankings and transfer list run); :func:`verify` recomputes a sample of students'
GPAs from their raw results with :func:`models.grading.gpa` and compares.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Table, func, insert, select, text
from sqlalchemy.orm import Session

from models.grading import GradingPolicy, gpa
from models.iin import InvalidIIN, make_iin
from service.academic.standing import open_debts_query, periods_where, standings_query, totals, totals_query
from service.db import Base
from service.models import Enrolment, Period, Student

FIRST_YEAR = 2022
LAST_YEAR = 2025
GROUP_SIZE = 25
LETTER_WEIGHTS: dict[str, float] = {
    "A": 10, "A-": 12, "B+": 13, "B": 14, "B-": 12, "C+": 10, "C": 8, "C-": 6, "D+": 5, "D": 6, "FX": 3, "F": 1,
}  # fmt: skip
"""Relative frequency of each letter in the synthetic results."""
TABLES = ("faculties", "programmes", "academic_years", "periods", "study_plans", "plan_disciplines", "groups",
          "students", "registrations", "enrolments")  # fmt: skip
"""Tables filled, in insertion order (ids are explicit so retakes can point at the failures)."""

Rows = dict[str, list[dict[str, Any]]]


def periods_of(periods: Sequence[tuple[int, int]], admitted: int) -> list[int]:
    """Ids of the periods (id, start year) a cohort admitted in ``admitted`` studied, in order."""
    return [period_id for period_id, year in periods if year >= admitted]


def spread(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` near-equal counts, larger first (40 over 6: 7, 7, 7, 7, 6, 6)."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


class _Builder:
    def __init__(self, programmes: int, grades: int, seed: int, policy: GradingPolicy) -> None:
        self.rows: Rows = {name: [] for name in TABLES}
        self.programmes, self.grades = programmes, grades
        self.rng = random.Random(seed)
        self.points = {band.letter: round(band.points * 100) for band in policy.bands}
        self.letters, self.weights = zip(*LETTER_WEIGHTS.items(), strict=True)
        self.failing = {policy.retake_letter: "fx_retake_exam", policy.restudy_letter: "f_restudy"}
        self.periods: list[tuple[int, int]] = []
        self.plans: dict[tuple[int, int], dict[int, list[tuple[int, int]]]] = {}
        self.groups: dict[tuple[int, int, int], int] = {}
        self.members: dict[tuple[int, int], int] = {}
        self.serials: dict[tuple[dt.date, str], int] = {}
        self.created = dt.datetime(LAST_YEAR, 9, 1)

    def add(self, table: str, **values: Any) -> int:
        rows = self.rows[table]
        values["id"] = len(rows) + 1
        rows.append(values)
        return int(values["id"])

    def calendar_and_plans(self) -> None:
        self.add("faculties", code="FB", name_en="Faculty of Benchmarks")
        for p in range(1, self.programmes + 1):
            self.add("programmes", code=f"6B{61000 + p:05d}", level="bachelor", credits=240, faculty_id=1,
                     name_en=f"Programme {p}")  # fmt: skip
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            year_id = self.add("academic_years", start_year=year, starts_on=dt.date(year, 9, 1),
                               ends_on=dt.date(year + 1, 8, 15))  # fmt: skip
            for kind, start in (("autumn", dt.date(year, 9, 1)), ("spring", dt.date(year + 1, 1, 19))):
                day = dt.timedelta(days=1)
                period_id = self.add(
                    "periods", academic_year_id=year_id, kind=kind, starts_on=start, ends_on=start + 125 * day,
                    rk1_week=8, rk2_week=15, session_first_week=16, session_last_week=18,
                    rk1_deadline=start + 54 * day, rk2_deadline=start + 103 * day, exam_deadline=start + 124 * day,
                    add_deadline=start + 6 * day, drop_deadline=start + 13 * day,
                )  # fmt: skip
                self.periods.append((period_id, year))
        for programme in range(1, self.programmes + 1):
            for admitted in range(FIRST_YEAR, LAST_YEAR + 1):
                plan_id = self.add("study_plans", programme_id=programme, admission_year=admitted)
                semesters: dict[int, list[tuple[int, int]]] = {}
                per_period = spread(self.grades, len(periods_of(self.periods, admitted)))
                for semester, count in enumerate(per_period, start=1):
                    for i in range(count):
                        credits = 6 if (programme + semester + i) % 4 == 0 else 5
                        discipline = self.add(
                            "plan_disciplines", plan_id=plan_id, semester=semester, code=f"D{semester}-{i:02d}",
                            credits=credits, control="exam", component="compulsory",
                            name_en=f"Discipline {semester}.{i}",
                        )  # fmt: skip
                        semesters.setdefault(semester, []).append((discipline, credits))
                self.plans[programme, admitted] = semesters

    def group(self, programme: int, admitted: int) -> int:
        position = self.members[programme, admitted] = self.members.get((programme, admitted), 0) + 1
        key = (programme, admitted, (position - 1) // GROUP_SIZE)
        if key not in self.groups:
            self.groups[key] = self.add("groups", code=f"P{programme}-{admitted % 100:02d}-{key[2] + 1}",
                                        programme_id=programme, admission_year=admitted, language="kk")  # fmt: skip
        return self.groups[key]

    def iin(self, birth: dt.date, sex: str) -> str:
        """A valid IIN for the birth date and sex not given before (the next serial with a valid check digit)."""
        while True:
            serial = self.serials[birth, sex] = self.serials.get((birth, sex), 0) + 1
            try:
                return make_iin(birth, sex, serial)  # type: ignore[arg-type]
            except InvalidIIN:
                continue

    def student(self, index: int) -> None:
        programme = index % self.programmes + 1
        admitted = FIRST_YEAR + (index // self.programmes) % (LAST_YEAR - FIRST_YEAR + 1)
        birth = dt.date(admitted - 18, 1, 1) + dt.timedelta(days=index % 365)
        sex = "male" if index % 2 else "female"
        student_id = self.add(
            "students", iin=self.iin(birth, sex), last_name=f"Student{index + 1:06d}",
            first_name="Test", birth_date=birth, sex=sex, citizenship="KZ", language="kk", study_form="full_time",
            funding="state_grant", programme_id=programme, group_id=self.group(programme, admitted),
            admission_year=admitted, status="active",
        )  # fmt: skip
        failed: list[tuple[int, int, int]] = []  # (enrolment, discipline, credits) failed in the previous period
        for semester, period_id in enumerate(periods_of(self.periods, admitted), start=1):
            taken = self.plans[programme, admitted].get(semester, [])
            if not taken:  # fewer grades than periods: a period without disciplines
                continue
            registration_id = self.add("registrations", student_id=student_id, period_id=period_id,
                                       status="confirmed", created_at=self.created)  # fmt: skip
            retakes, failed = failed[: len(taken) - 1], []
            courses = [(d, c, None) for d, c in taken[: len(taken) - len(retakes)]]
            courses += [(d, c, e) for e, d, c in retakes]
            for discipline, credits, retake_of in courses:
                letter = self.rng.choices(self.letters, self.weights)[0]
                if retake_of is not None and letter in self.failing:
                    letter = "C"  # retakes pass here: one retake per failure at most
                outcome = self.failing.get(letter, "passed")
                enrolment_id = self.add(
                    "enrolments", registration_id=registration_id, student_id=student_id, period_id=period_id,
                    plan_discipline_id=discipline, credits=credits, kind="retake" if retake_of else "compulsory",
                    attempt=2 if retake_of else 1, retake_of_id=retake_of, marks_carried=False, admitted=True,
                    letter=letter, points_hundredths=self.points[letter], outcome=outcome, graded_at=self.created,
                )  # fmt: skip
                if outcome != "passed" and retake_of is None:
                    failed.append((enrolment_id, discipline, credits))


def build(students: int, grades: int, programmes: int | None = None, seed: int = 0,
          policy: GradingPolicy | None = None) -> Rows:  # fmt: skip
    """The rows of a synthetic university (see the module doc), table -> rows; deterministic for the arguments.

    ``programmes`` defaults to one per 2,000 students. ``ValueError`` for fewer than 1 student or 2 grades.
    """
    if students < 1 or grades < 2:
        raise ValueError(f"need at least 1 student and 2 grades (got {students} and {grades})")
    builder = _Builder(programmes or max(1, students // 2000), grades, seed, policy or GradingPolicy())
    builder.calendar_and_plans()
    for index in range(students):
        builder.student(index)
    return builder.rows


def load(engine: Engine, rows: Rows) -> dict[str, float]:
    """Insert ``rows`` in one transaction (PostgreSQL: ``COPY``, then the id sequences and ``ANALYZE``;
    other databases: executemany); returns seconds per table."""
    seconds = {}
    with engine.begin() as connection:
        for name in TABLES:
            records = rows.get(name)
            if not records:
                continue
            table: Table = Base.metadata.tables[name]
            started = time.perf_counter()
            if engine.dialect.name == "postgresql":
                _copy(connection, table, records)
            else:
                connection.execute(insert(table), records)
            seconds[name] = time.perf_counter() - started
        if engine.dialect.name == "postgresql":
            for name in TABLES:
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                        f"(SELECT coalesce(max(id), 1) FROM {name}))"))  # fmt: skip
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("COMMIT"))
            connection.execute(text("ANALYZE"))
    return seconds


def _copy(connection: Any, table: Table, records: list[dict[str, Any]]) -> None:
    columns = list(records[0])
    cursor = connection.connection.driver_connection.cursor()
    with cursor, cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for record in records:
            copy.write_row([record[c] for c in columns])


@dataclass(frozen=True)
class Timing:
    """One measured step: the rows it returned and the seconds of each repetition."""

    step: str
    rows: int
    seconds: list[float]


def timed(step: str, repeats: int, run: Callable[[], int]) -> Timing:
    seconds, count = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        count = run()
        seconds.append(time.perf_counter() - started)
    return Timing(step, count, seconds)


def measure(engine: Engine, repeats: int = 5) -> list[Timing]:
    """Time each standing statement over the whole database, fetching every row (see the module doc)."""
    active = [Student.status == "active"]
    last_year = periods_where(Period.academic_year_id == LAST_YEAR - FIRST_YEAR + 1)

    def fetch(statement: Any) -> Callable[[], int]:
        def run() -> int:
            with engine.connect() as connection:
                return len(connection.execute(statement).all())

        return run

    return [
        timed("cumulative GPA + ranks in group, programme and year", repeats,
              fetch(standings_query(None, LAST_YEAR, active))),
        timed("cumulative GPA", repeats, fetch(totals_query())),
        timed(f"GPA of {LAST_YEAR}/{LAST_YEAR + 1} (transfer list)", repeats, fetch(totals_query(last_year))),
        timed("open academic debts", repeats, fetch(open_debts_query())),
    ]  # fmt: skip


def verify(engine: Engine, sample: int = 200, seed: int = 0) -> int:
    """Recompute the cumulative GPA of ``sample`` students with :func:`models.grading.gpa` from their raw
    results and compare with the SQL; returns how many were checked (``AssertionError`` on a difference)."""
    with Session(engine) as db:
        ids = list(db.scalars(select(Student.id).order_by(Student.id)))
        chosen = sorted(random.Random(seed).sample(ids, min(sample, len(ids))))
        sql = totals(db, None, chosen)
        rows = db.execute(
            select(Enrolment.id, Enrolment.student_id, Enrolment.retake_of_id, Enrolment.points_hundredths,
                   Enrolment.credits).where(Enrolment.student_id.in_(chosen), Enrolment.letter.is_not(None))
        ).all()  # fmt: skip
    replaced = {r.retake_of_id for r in rows if r.retake_of_id is not None}
    for sid in chosen:
        records = [(r.points_hundredths / 100, r.credits) for r in rows if r.student_id == sid and r.id not in replaced]
        expected = gpa(records)
        assert expected == float(sql[sid].gpa), f"student {sid}: SQL {sql[sid].gpa}, models.grading {expected}"
    return len(chosen)


class BenchmarkError(Exception):
    """The benchmark cannot run (no server, a database that is not empty); the message says why."""


SERVER_ENV = "REGISTRAR_BENCH_POSTGRES"
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432"
TARGET_SECONDS = 5.0


def throwaway_database(server: str) -> str:
    """Create ``registrar_bench_<random>`` on the PostgreSQL ``server``; its SQLAlchemy URL."""
    import secrets

    import psycopg

    name = f"registrar_bench_{secrets.token_hex(6)}"
    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        raise BenchmarkError(f"PostgreSQL at {server} is unreachable: {' '.join(str(exc).split())}") from None
    return f"{server.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"


def drop_database(server: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(students: int, grades: int, programmes: int | None = None, repeats: int = 5, seed: int = 0,
        database_url: str | None = None, keep: bool = False) -> str:  # fmt: skip
    """Fill a database, time the standing SQL and verify a sample; the report (markdown table and notes)."""
    import os

    from service import migrate
    from service.db import make_engine

    server = os.environ.get(SERVER_ENV, DEFAULT_SERVER)
    url = database_url or throwaway_database(server)
    engine = make_engine(url)
    try:
        migrate.upgrade(url)
        with engine.connect() as connection:
            if connection.scalar(select(func.count()).select_from(Student)):
                raise BenchmarkError(f"the database {engine.url.render_as_string()} is not empty: give an empty one")
        started = time.perf_counter()
        rows = build(students, grades, programmes, seed)
        built = time.perf_counter() - started
        loaded = sum(load(engine, rows).values())
        timings = measure(engine, repeats)
        checked = verify(engine)
        version = ".".join(map(str, engine.dialect.server_version_info or ()))
        results = len(rows["enrolments"])
    finally:
        engine.dispose()
        if database_url is None and not keep:
            drop_database(server, url)
    lines = [
        f"GPA and rankings: {students:,} students x {grades} results = {results:,} graded enrolments, "
        f"{len(rows['groups']):,} groups, {len(rows['programmes'])} programmes, on {engine.dialect.name} {version}",
        f"(synthetic rows built in {built:.1f} s, loaded in {loaded:.1f} s; {repeats} timed runs per step, each "
        "fetching every row)",
        "",
        "| step | rows | min (s) | median (s) | max (s) |",
        "|:---|---:|---:|---:|---:|",
    ]
    for timing in timings:
        ordered = sorted(timing.seconds)
        median = ordered[len(ordered) // 2]
        lines.append(f"| {timing.step} | {timing.rows:,} | {ordered[0]:.3f} | {median:.3f} | {ordered[-1]:.3f} |")
    first = sorted(timings[0].seconds)
    if engine.dialect.name != "postgresql":
        verdict = "not judged (the target is for PostgreSQL)"
    else:
        verdict = "met" if first[len(first) // 2] < TARGET_SECONDS else "NOT met"
    lines += [
        "",
        f"Target: GPA and ranks of everyone under {TARGET_SECONDS:g} s (median of the first step): {verdict}.",
        f"Verified: the SQL GPA of {checked} sampled students equals models.grading.gpa of their results.",
    ]
    if database_url is None and keep:
        lines.append(f"Database kept: {url}")
    return "\n".join(lines) + "\n"
