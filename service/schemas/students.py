"""Schemas of students.

Rules:

- the IIN is 12 digits with a valid checksum (:func:`models.iin.parse_iin`), unique among students;
- the birth date and the sex must be the ones the IIN encodes; the birth date is not in the future;
- citizenship is an ISO 3166-1 alpha-2 code (``KZ``);
- the group, if any, belongs to the student's programme (checked against the database).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from models.iin import IIN, InvalidIIN, Sex, parse_iin
from service.schemas.common import InputModel, Language, OutputModel, PersonName, SearchQuery, Year

StudyForm = Literal["full_time", "part_time", "distance"]
Funding = Literal["state_grant", "paid"]
StudentStatus = Literal["active", "on_leave", "expelled", "graduated", "not_enrolled"]
"""A student's status; ``not_enrolled``: the enrollment (or transfer in) was cancelled by another order. After a
student is entered, only orders change it (:mod:`service.records.orders`)."""


class StudentCreate(InputModel):
    """A student: identity (IIN, names, birth date, sex, citizenship) and terms of study."""

    iin: str = Field(examples=["050312500018"])
    """Individual identification number: 12 digits, birth date YYMMDD, century/sex digit, serial, check digit."""
    last_name: PersonName
    first_name: PersonName
    middle_name: PersonName | None = None
    """Patronymic, if any."""
    birth_date: dt.date
    """Must be the date the IIN encodes."""
    sex: Sex
    """Must be the sex the IIN encodes."""
    citizenship: str = Field("KZ", pattern=r"^[A-Z]{2}$")
    """ISO 3166-1 alpha-2 country code."""
    language: Language
    """Language of instruction."""
    study_form: StudyForm = "full_time"
    funding: Funding
    """State educational grant or paid tuition."""
    programme_id: int
    group_id: int | None = None
    admission_year: Year
    status: StudentStatus = "active"

    @field_validator("iin")
    @classmethod
    def _valid_iin(cls, iin: str) -> str:
        parse_iin(iin)
        return iin

    @field_validator("birth_date")
    @classmethod
    def _birth_date_agrees(cls, birth_date: dt.date, info: ValidationInfo) -> dt.date:
        if birth_date > dt.date.today():
            raise ValueError(f"{birth_date} is in the future")
        iin = _iin(info)
        if iin is not None and iin.birth_date != birth_date:
            raise ValueError(f"{birth_date} does not agree with the IIN {iin.number}, which encodes {iin.birth_date}")
        return birth_date

    @field_validator("sex")
    @classmethod
    def _sex_agrees(cls, sex: str, info: ValidationInfo) -> str:
        iin = _iin(info)
        if iin is not None and iin.sex != sex:
            raise ValueError(f"{sex} does not agree with the IIN {iin.number}, which encodes {iin.sex}")
        return sex


def _iin(info: ValidationInfo) -> IIN | None:
    """The decoded IIN of the fields validated so far, or None if it is missing or invalid (reported there)."""
    number = info.data.get("iin")
    if number is None:
        return None
    try:
        return parse_iin(number)
    except InvalidIIN:
        return None


class StudentOut(OutputModel):
    id: int
    iin: str
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: dt.date
    sex: Sex
    citizenship: str
    language: Language
    study_form: StudyForm
    funding: Funding
    programme_id: int
    group_id: int | None
    admission_year: int
    status: StudentStatus


class StudentQuery(SearchQuery):
    """Filters of the student list; ``q`` matches the IIN, last name or first name."""

    iin: str | None = None
    programme_id: int | None = None
    group_id: int | None = None
    admission_year: int | None = None
    status: StudentStatus | None = None
    funding: Funding | None = None
    study_form: StudyForm | None = None
    language: Language | None = None
    sex: Sex | None = None
    citizenship: str | None = None
