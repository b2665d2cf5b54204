"""A small campus built through the API for the registration, grade and standing tests.

:class:`Campus` adds to the ``org`` fixture (faculty, programme 6B06101, advisor teacher, group
CS-25-1k admitted 2025): the academic years 2025/2026 (autumn, spring, summer) and 2026/2027 (autumn),
the study plan of the 2025 cohort (written straight into the database, validated by the API's schemas)
and students (through the API). Dates are fixed; :meth:`Campus.on` sets the day the service takes as today.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from pydantic import BaseModel
from service_testing import Api

from models.iin import make_iin
from service import db
from service.db import Base
from service.models import AcademicYear, Period, PlanDiscipline, StudyPlan
from service.schemas.calendar import AcademicYearCreate, AcademicYearOut, PeriodCreate, PeriodOut
from service.schemas.programmes import PlanDisciplineCreate, PlanDisciplineOut, StudyPlanCreate

PERIODS_2025: dict[str, dict[str, Any]] = {
    "autumn": {
        "starts_on": "2025-09-01", "ends_on": "2026-01-04", "rk1_week": 8, "rk2_week": 15, "session_first_week": 16,
        "session_last_week": 18, "rk1_deadline": "2025-10-25", "rk2_deadline": "2025-12-13",
        "exam_deadline": "2026-01-03", "add_deadline": "2025-09-07", "drop_deadline": "2025-09-14",
    },
    "spring": {
        "starts_on": "2026-01-19", "ends_on": "2026-05-24", "rk1_week": 8, "rk2_week": 15, "session_first_week": 16,
        "session_last_week": 18, "rk1_deadline": "2026-03-14", "rk2_deadline": "2026-05-02",
        "exam_deadline": "2026-05-23",
    },
    "summer": {
        "starts_on": "2026-06-01", "ends_on": "2026-07-12", "rk1_week": 3, "rk2_week": 5, "session_first_week": 6,
        "session_last_week": 6, "rk1_deadline": "2026-06-20", "rk2_deadline": "2026-07-04",
        "exam_deadline": "2026-07-11",
    },
}  # fmt: skip
AUTUMN_2026: dict[str, Any] = {
    "starts_on": "2026-09-01", "ends_on": "2027-01-03", "rk1_week": 8, "rk2_week": 15, "session_first_week": 16,
    "session_last_week": 18, "rk1_deadline": "2026-10-24", "rk2_deadline": "2026-12-12", "exam_deadline": "2027-01-02",
}  # fmt: skip
DISCIPLINES: tuple[tuple[int, str, int, str, str], ...] = (
    (1, "PRG", 6, "exam", "compulsory"),
    (1, "MATH", 5, "exam", "compulsory"),
    (1, "HIST", 5, "differentiated_credit", "compulsory"),
    (1, "ELA", 5, "exam", "elective"),
    (1, "ELB", 5, "exam", "elective"),
    (2, "DB", 6, "exam", "compulsory"),
    (2, "OS", 5, "exam", "compulsory"),
    (2, "ALG", 5, "exam", "compulsory"),
    (2, "ELC", 5, "exam", "elective"),
    (3, "NET", 5, "exam", "compulsory"),
    (3, "SE", 5, "exam", "compulsory"),
    (3, "AI", 6, "exam", "compulsory"),
)
"""(semester, code, credits, control, component) of the 2025 cohort's plan: 16 compulsory credits in
semesters 1 and 2 and 16 in semester 3."""


def add(session: Any, model: type[Base], create: type[BaseModel], out: type[BaseModel] | None,
        **values: Any) -> dict[str, Any]:  # fmt: skip
    """A row validated by the API's create schema, flushed; as the API answers it (only ``{"id"}`` without ``out``)."""
    row = model(**create.model_validate(values).model_dump())
    session.add(row)
    session.flush()
    return out.model_validate(row).model_dump(mode="json") if out else {"id": row.id}  # type: ignore[attr-defined]


class Campus:
    def __init__(self, app: Flask, api: Api, org: dict[str, dict[str, Any]]) -> None:
        self.app, self.api, self.org = app, api, org
        self.group = org["group"]
        self.advisor = org["teacher"]
        with app.app_context():  # straight into the database: the calendar and plan endpoints have their own tests
            session = db.session()
            year = add(session, AcademicYear, AcademicYearCreate, AcademicYearOut, start_year=2025,
                       starts_on="2025-09-01", ends_on="2026-08-15")  # fmt: skip
            self.year = year
            self.periods = {
                kind: add(session, Period, PeriodCreate, PeriodOut, academic_year_id=year["id"], kind=kind, **body)
                for kind, body in PERIODS_2025.items()
            }
            year2 = add(session, AcademicYear, AcademicYearCreate, AcademicYearOut, start_year=2026,
                        starts_on="2026-09-01", ends_on="2027-08-15")  # fmt: skip
            self.periods["autumn2026"] = add(session, Period, PeriodCreate, PeriodOut, academic_year_id=year2["id"],
                                             kind="autumn", **AUTUMN_2026)  # fmt: skip
            self.plan = add(session, StudyPlan, StudyPlanCreate, None, programme_id=org["programme"]["id"],
                            admission_year=2025)  # fmt: skip
            self.disciplines = {
                code: add(session, PlanDiscipline, PlanDisciplineCreate, PlanDisciplineOut, plan_id=self.plan["id"],
                          semester=semester, code=code, name_en=code, credits=credits, control=control,
                          component=component)
                for semester, code, credits, control, component in DISCIPLINES
            }  # fmt: skip
            session.commit()
        self.students: list[dict[str, Any]] = []
        self.serial = 0

    def on(self, day: str) -> None:
        """From now on the service takes ``day`` (ISO) as today."""
        self.app.config["TODAY"] = dt.date.fromisoformat(day)

    def student(
        self, last_name: str = "Nurlanov", group: dict[str, Any] | None = None, **changes: Any
    ) -> dict[str, Any]:
        self.serial += 1
        group = group or self.group
        body = {
            "iin": make_iin(dt.date(2007, 3, 12), "male", self.serial),
            "last_name": last_name,
            "first_name": "Arman",
            "birth_date": "2007-03-12",
            "sex": "male",
            "language": "kk",
            "funding": "state_grant",
            "programme_id": self.org["programme"]["id"],
            "group_id": group["id"],
            "admission_year": 2025,
        } | changes
        student = self.api.create("/students", **body)
        self.students.append(student)
        return student

    def discipline_id(self, code: str) -> int:
        return int(self.disciplines[code]["id"])

    def register(self, student: dict[str, Any], period: str = "autumn", *codes: str) -> dict[str, Any]:
        """A draft registration of ``student`` for ``period`` with the compulsory disciplines and ``codes``."""
        body = {"student_id": student["id"], "period_id": self.periods[period]["id"],
                "discipline_ids": [self.discipline_id(c) for c in codes]}  # fmt: skip
        return self.api.create("/registrations", **body)

    def confirmed(self, student: dict[str, Any], period: str = "autumn", *codes: str) -> dict[str, Any]:
        """A registration submitted and confirmed (its disciplines placed in sections)."""
        registration = self.register(student, period, *codes)
        self.api.post(f"/registrations/{registration['id']}/submit")
        return self.api.post(f"/registrations/{registration['id']}/confirm")  # type: ignore[no-any-return]

    def section_of(self, registration: dict[str, Any], code: str) -> int:
        return next(int(e["section_id"]) for e in registration["enrolments"] if e["code"] == code)

    def enrolment_of(self, registration: dict[str, Any], code: str) -> int:
        return next(int(e["id"]) for e in registration["enrolments"] if e["code"] == code)

    def marks(self, section_id: int, *rows: dict[str, Any], expect: int = 200) -> Any:
        return self.api.post(f"/sections/{section_id}/marks", expect, rows=list(rows))

    def grade(
        self, registration: dict[str, Any], code: str, rk: float, exam: float | None, period: str = "autumn"
    ) -> dict[str, Any]:
        """Enter RK1 = RK2 = ``rk`` (both marks) and ``exam`` within their windows; the student's sheet row."""
        dates = PERIODS_2025.get(period, AUTUMN_2026)
        section, enrolment = self.section_of(registration, code), self.enrolment_of(registration, code)
        self.on(dates["rk1_deadline"])
        self.marks(section, {"enrolment_id": enrolment, "current1": rk, "midterm1": rk})
        self.on(dates["rk2_deadline"])
        self.marks(section, {"enrolment_id": enrolment, "current2": rk, "midterm2": rk})
        if exam is not None:
            self.on(dates["exam_deadline"])
            sheet = self.marks(section, {"enrolment_id": enrolment, "exam": exam})
        else:
            sheet = self.api.get(f"/sections/{section}/grade-sheet")
        return next(r for r in sheet["rows"] if r["enrolment_id"] == enrolment)
