"""Schemas of educational programmes, study plans and study-plan disciplines.

Rules:

- a programme code is the state classifier code: level digit and letter, then 5 digits; the level
  decides the prefix: ``6B`` bachelor, ``7M`` master, ``8D`` doctorate (``6B06102``, ``7M06102``);
- a programme's credits default by level: 240 bachelor, 120 master, 180 doctorate (set 300 for
  medicine, veterinary or architecture); a plan's semesters run from 1 to 2 x credits / 60;
- a discipline has a positive number of credits and a control form: exam, differentiated credit or
  course work; it is compulsory or elective.
"""

from __future__ import annotations

import math
from typing import Literal, Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

from service.schemas.common import Code, InputModel, Name, Names, NamesOut, OutputModel, SearchQuery, Year

ProgrammeLevel = Literal["bachelor", "master", "doctorate"]
ControlForm = Literal["exam", "differentiated_credit", "course_work"]
Component = Literal["compulsory", "elective"]
LEVEL_PREFIX: dict[str, str] = {"bachelor": "6B", "master": "7M", "doctorate": "8D"}
DEFAULT_CREDITS: dict[str, int] = {"bachelor": 240, "master": 120, "doctorate": 180}
CREDITS_PER_YEAR = 60
MAX_SEMESTER = 12


def semesters(credits: int) -> int:
    """Semesters of a programme of ``credits`` (60 a year, two semesters a year): 240 -> 8."""
    return 2 * math.ceil(credits / CREDITS_PER_YEAR)


class ProgrammeCreate(Names):
    """An educational programme of a faculty (and optionally its graduating department)."""

    code: str = Field(pattern=r"^[678][BMD]\d{5}$", examples=["6B06102"])
    """State classifier code: ``6B`` bachelor, ``7M`` master, ``8D`` doctorate, then 5 digits."""
    level: ProgrammeLevel
    credits: int | None = Field(None, ge=1, le=600)
    """ECTS credits of the whole programme; default by level (240 / 120 / 180)."""
    faculty_id: int
    department_id: int | None = None

    @field_validator("level")
    @classmethod
    def _level_agrees_with_code(cls, level: str, info: ValidationInfo) -> str:
        code = info.data.get("code")
        if code is not None and not code.startswith(LEVEL_PREFIX[level]):
            raise ValueError(f"a {level} programme has a code starting with {LEVEL_PREFIX[level]}; {code} does not")
        return level

    @model_validator(mode="after")
    def _default_credits(self) -> Self:
        if self.credits is None:
            self.credits = DEFAULT_CREDITS[self.level]
        return self


class ProgrammeOut(NamesOut):
    id: int
    code: str
    level: ProgrammeLevel
    credits: int
    faculty_id: int
    department_id: int | None


class ProgrammeQuery(SearchQuery):
    faculty_id: int | None = None
    department_id: int | None = None
    level: ProgrammeLevel | None = None


class StudyPlanCreate(InputModel):
    """The study plan of a programme for one admission year (one per programme and year)."""

    programme_id: int
    admission_year: Year
    title: Name | None = None


class PlanDisciplineCreate(Names):
    """A discipline in a semester of a study plan (a code appears once per semester of a plan)."""

    plan_id: int
    semester: int = Field(ge=1, le=MAX_SEMESTER)
    """Semester of study from 1; at most 2 x the programme's credits / 60."""
    code: Code
    credits: int = Field(ge=1, le=CREDITS_PER_YEAR)
    """ECTS credits (1 credit = 30 academic hours)."""
    control: ControlForm
    """Form of the final control: exam, differentiated credit or course work."""
    component: Component = "compulsory"


class PlanDisciplineOut(NamesOut):
    id: int
    plan_id: int
    semester: int
    code: str
    credits: int
    control: ControlForm
    component: Component


class PlanDisciplineQuery(SearchQuery):
    plan_id: int | None = None
    semester: int | None = None
    control: ControlForm | None = None
    component: Component | None = None


class StudyPlanOut(OutputModel):
    id: int
    programme_id: int
    admission_year: int
    title: str | None
    total_credits: int
    """Sum of the credits of the plan's disciplines."""
    disciplines: list[PlanDisciplineOut]


class StudyPlanQuery(SearchQuery):
    programme_id: int | None = None
    admission_year: int | None = None
