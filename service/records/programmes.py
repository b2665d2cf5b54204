"""Educational programmes, study plans and their disciplines.

Database rules (beyond the schemas): a programme's department, if any, belongs to the programme's
faculty (or to none); a discipline's semester is within its programme's length (2 x credits / 60).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from sqlalchemy.orm import Session, selectinload

from service.auth import EVERY_ROLE, REGISTRAR
from service.errors import FieldError
from service.models import Department, Faculty, PlanDiscipline, Programme, StudyPlan
from service.records.crud import Resource, register
from service.records.organisation import NAME_COLUMNS
from service.schemas.programmes import (
    PlanDisciplineCreate,
    PlanDisciplineOut,
    PlanDisciplineQuery,
    ProgrammeCreate,
    ProgrammeOut,
    ProgrammeQuery,
    StudyPlanCreate,
    StudyPlanOut,
    StudyPlanQuery,
    semesters,
)

bp = Blueprint("programmes", __name__)


def programme_rules(db: Session, data: ProgrammeCreate, _row: Any) -> list[FieldError]:
    if data.department_id is None:
        return []
    department = db.get(Department, data.department_id)
    assert department is not None  # checked as a reference
    if department.faculty_id not in (None, data.faculty_id):
        return [FieldError("department_id", f"department {department.code} belongs to another faculty")]
    return []


def discipline_rules(db: Session, data: PlanDisciplineCreate, _row: Any) -> list[FieldError]:
    plan = db.get(StudyPlan, data.plan_id)
    assert plan is not None  # checked as a reference
    programme = db.get(Programme, plan.programme_id)
    assert programme is not None
    last = semesters(programme.credits)
    if data.semester > last:
        message = f"programme {programme.code} ({programme.credits} credits) has semesters 1-{last}"
        return [FieldError("semester", message)]
    return []


PROGRAMMES = Resource(
    "/programmes",
    Programme,
    ProgrammeCreate,
    ProgrammeOut,
    ProgrammeQuery,
    references={"faculty_id": Faculty, "department_id": Department},
    unique=[("code",)],
    search=NAME_COLUMNS,
    rules=programme_rules,
    read=EVERY_ROLE,
    write=REGISTRAR,
)
STUDY_PLANS = Resource(
    "/study-plans",
    StudyPlan,
    StudyPlanCreate,
    StudyPlanOut,
    StudyPlanQuery,
    references={"programme_id": Programme},
    unique=[("programme_id", "admission_year")],
    search=("title",),
    load=(selectinload(StudyPlan.disciplines),),
    read=EVERY_ROLE,
    write=REGISTRAR,
)
PLAN_DISCIPLINES = Resource(
    "/plan-disciplines",
    PlanDiscipline,
    PlanDisciplineCreate,
    PlanDisciplineOut,
    PlanDisciplineQuery,
    references={"plan_id": StudyPlan},
    unique=[("plan_id", "semester", "code")],
    search=NAME_COLUMNS,
    rules=discipline_rules,
    read=EVERY_ROLE,
    write=REGISTRAR,
)
register(bp, PROGRAMMES, "programmes")
register(bp, STUDY_PLANS, "study plans")
register(bp, PLAN_DISCIPLINES, "study-plan disciplines")
