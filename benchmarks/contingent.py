"""Benchmark of the contingent: registering orders and computing the reports on a university of N students.

``registrar benchmark contingent --students 20000 [--database URL]`` (:func:`main`) (default: a throw-away SQLite file):

1. migrates an empty database and inserts a university: 4 faculties, 4 programmes each, one group per
   programme, admission year and language, and N students in years 1-4, each taken on record on
   31 August 2025 (bulk inserts, not timed);
2. times the real service path (:func:`service.contingent.orders.register_order`, every rule, the
   history, the audit log): orders of 1 % of the students each (academic leaves, expulsions), and the
   promotion of every active student below the last year, one order per faculty;
3. times the reports over the year's history: the movement report of the academic year by faculty,
   programme and year of study (it checks the reconciliation of every row), the contingent on a day by
   programme, the state form on a day as an Excel file, a page of "who was enrolled on 1 October", and a
   student's history.

Prints one row per step: what, students or rows involved, seconds. The database must be empty.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pandas as pd
from sqlalchemy import func, insert, select

from models.contingent import MovementPolicy
from models.contingent_report import Period
from models.iin import InvalidIIN, make_iin
from service import create_app, db, migrate
from service.contingent import exports, reports
from service.contingent.history import history_of
from service.contingent.orders import register_order
from service.contingent.policy import save_policy
from service.models import AcademicGroup, Faculty, Programme, Student, StudentState
from service.schemas.contingent import STATE_FORM_DIMENSIONS, ContingentStudentQuery
from service.schemas.orders import OrderCreate

YEAR = 2025
OPENING = dt.date(YEAR, 8, 31)


def build(session: Any, students: int, seed: int) -> list[int]:
    """Insert the university and its students with their opening entries; returns the student ids."""
    rng = random.Random(seed)
    faculty_ids = [
        session.execute(insert(Faculty).values(code=f"F{f}", name_en=f"Faculty {f}").returning(Faculty.id)).scalar_one()
        for f in range(4)
    ]
    programmes = []
    for f, faculty_id in enumerate(faculty_ids):
        for p in range(4):
            programme_id = session.execute(
                insert(Programme)
                .values(
                    code=f"6B0{f}{p}01",
                    name_en=f"Programme {f}.{p}",
                    level="bachelor",
                    credits=240,
                    faculty_id=faculty_id,
                )
                .returning(Programme.id)
            ).scalar_one()
            programmes.append(programme_id)
    groups: dict[tuple[int, int, str], int] = {}
    for programme_id in programmes:
        for admitted in range(YEAR - 3, YEAR + 1):
            for language in ("kk", "ru"):
                groups[programme_id, admitted, language] = session.execute(
                    insert(AcademicGroup)
                    .values(
                        code=f"G{programme_id}-{admitted}-{language}",
                        programme_id=programme_id,
                        admission_year=admitted,
                        language=language,
                    )
                    .returning(AcademicGroup.id)
                ).scalar_one()
    rows, serial, used = [], 0, set()
    for _ in range(students):
        sex = rng.choice(("male", "female"))
        admitted = rng.randint(YEAR - 3, YEAR)
        birth = dt.date(admitted - 18, rng.randint(1, 12), rng.randint(1, 28))
        while True:
            serial += 1
            try:
                iin = make_iin(birth, sex, serial % 10000)  # type: ignore[arg-type]
            except InvalidIIN:
                continue
            if iin not in used:
                used.add(iin)
                break
        programme_id, language = rng.choice(programmes), rng.choice(("kk", "kk", "ru"))
        rows.append(
            {
                "iin": iin,
                "last_name": f"Student{serial}",
                "first_name": "Test",
                "birth_date": birth,
                "sex": sex,
                "citizenship": "KZ" if rng.random() < 0.95 else "UZ",
                "language": language,
                "study_form": "full_time",
                "funding": rng.choice(("state_grant", "paid")),
                "programme_id": programme_id,
                "group_id": groups[programme_id, admitted, language],
                "admission_year": admitted,
                "status": "active",
            }
        )
    session.execute(insert(Student), rows)
    ids = list(session.scalars(select(Student.id).order_by(Student.id)))
    students_rows = session.execute(
        select(Student.id, Student.programme_id, Student.language, Student.funding, Student.admission_year).order_by(
            Student.id
        )
    ).all()
    session.execute(
        insert(StudentState),
        [
            {
                "student_id": s.id,
                "effective_on": OPENING,
                "kind": "record",
                "status": "active",
                "programme_id": s.programme_id,
                "year_of_study": YEAR - s.admission_year + 1,
                "study_form": "full_time",
                "funding": s.funding,
                "language": s.language,
            }
            for s in students_rows
        ],
    )
    session.commit()
    return ids


def _timed(results: list[dict[str, Any]], step: str, size: int, work: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    value = work()
    results.append({"step": step, "size": size, "seconds": round(time.perf_counter() - started, 3)})
    return value


def order(kind: str, date: dt.date, items: list[dict[str, Any]], effective_on: dt.date | None = None) -> OrderCreate:
    return OrderCreate.model_validate(
        {
            "kind": kind,
            "date": date,
            "effective_on": effective_on,
            "signatory": "R",
            "basis": "benchmark",
            "items": items,
        }
    )


def run(url: str, students: int, seed: int) -> pd.DataFrame:
    """Build the university at ``url`` and time each step; the table of the module doc."""
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url})
    results: list[dict[str, Any]] = []
    try:
        with app.app_context():
            session = db.session()
            if session.scalar(select(func.count()).select_from(Student)):
                raise click.ClickException(f"{url} already holds students: the benchmark needs an empty database")
            policy = MovementPolicy(applications_required=frozenset())
            save_policy(session, policy)
            session.commit()
            ids = _timed(
                results,
                "insert the university (bulk, opening entries)",
                students,
                lambda: build(session, students, seed),
            )
            rng = random.Random(seed)
            pool = ids[:]
            rng.shuffle(pool)
            batch = max(1, students // 100)
            for month in (10, 11, 12):
                chosen, pool = pool[:batch], pool[batch:]
                items = [
                    {"student_id": s, "leave_ground": "military", "leave_until": f"{YEAR + 1}-12-01"} for s in chosen
                ]
                _timed(
                    results,
                    f"register an academic leave order ({YEAR}-{month})",
                    len(items),
                    lambda items=items, month=month: register_order(
                        session, order("academic_leave", dt.date(YEAR, month, 5), items), policy
                    ),
                )
                chosen, pool = pool[:batch], pool[batch:]
                items = [{"student_id": s} for s in chosen]
                _timed(
                    results,
                    f"register an expulsion order ({YEAR}-{month})",
                    len(items),
                    lambda items=items, month=month: register_order(
                        session, order("expulsion_non_payment", dt.date(YEAR, month, 20), items), policy
                    ),
                )
            rows = session.execute(
                select(StudentState.student_id, Programme.faculty_id)
                .join(Programme, Programme.id == StudentState.programme_id)
                .where(StudentState.year_of_study < 4, StudentState.student_id.in_(pool))
            ).all()
            by_faculty: dict[int, set[int]] = {}
            for student_id, faculty_id in rows:
                by_faculty.setdefault(faculty_id, set()).add(student_id)
            for faculty_id, members in sorted(by_faculty.items()):
                promotion = [{"student_id": s} for s in sorted(members)]
                _timed(
                    results,
                    f"register a promotion order (faculty {faculty_id})",
                    len(promotion),
                    lambda promotion=promotion: register_order(
                        session,
                        order("promotion", dt.date(YEAR + 1, 8, 20), promotion, dt.date(YEAR + 1, 9, 1)),
                        policy,
                    ),
                )
            year = Period.parse(f"{YEAR}/{YEAR + 1}")
            report = _timed(
                results,
                "movement report of the academic year by faculty, programme, year",
                students,
                lambda: reports.movement(session, year, ("faculty", "programme", "year_of_study")),
            )
            assert all(r.opening + r.arrived - r.departed == r.closing for r in [*report.rows, report.total])
            on = dt.date(YEAR, 10, 1)
            _timed(
                results,
                "contingent on 1 October by programme",
                students,
                lambda: reports.contingent(session, on, ("programme",)),
            )
            form = _timed(
                results,
                "state form on 1 October (6 dimensions)",
                students,
                lambda: reports.contingent(session, on, STATE_FORM_DIMENSIONS),
            )
            names = {info.code: info.name for info in reports.programmes(session).values()}
            _timed(
                results,
                "state form as an Excel file",
                len(form.rows),
                lambda: exports.xlsx_bytes(exports.contingent_frame(form, names), "state-form", {}),
            )
            query = ContingentStudentQuery(on=on, per_page=50)
            _timed(
                results,
                "who was enrolled on 1 October (a page of 50)",
                students,
                lambda: reports.contingent_students(session, query, on),
            )
            _timed(results, "one student's history", 1, lambda: history_of(session, ids[0]))
    finally:
        db.dispose(app)
    return pd.DataFrame(results)


def main(students: int, seed: int, url: str | None) -> None:
    """Run on ``url`` (default: a new SQLite file in a temporary folder) and print the table."""
    with tempfile.TemporaryDirectory() as folder:
        target = url or f"sqlite:///{Path(folder) / 'contingent.sqlite3'}"
        table = run(target, students, seed)
    click.echo(table.to_string(index=False))
