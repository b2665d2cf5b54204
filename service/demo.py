"""``registrar demo-data``: fill an empty database with a generated university, so a new user sees a living system.

The structure comes from the timetabling engine's seeded generator
(:func:`datasets.synthetic_university.build_university`): faculties, programmes, academic groups,
teachers, rooms and lecture streams are the ones it timetables. Added here, from the same seed:

- a department per programme (it teaches the programme's majors) and the university-wide
  departments of the general-education disciplines;
- the academic year 2025/2026 with autumn, spring and summer periods (RK1, RK2, session weeks,
  grade-entry deadlines);
- a study plan per programme and admission year: the disciplines the generator gives each year of
  study, spread over the year's two semesters, with credits (5-6) and a control form, and two
  electives (5 credits) per semester from :data:`ELECTIVES`;
- the students of every group (as many as the generator's group size): names, a birth date fitting
  the admission year, an IIN made for that date and sex (:func:`models.iin.make_iin`), citizenship,
  form of study, funding and status drawn with fixed shares;
- course registration, sections and grades of the year (:func:`service.demo_academics.fill_academics`):
  confirmed autumn and spring registrations of the active students, sections with their teachers,
  marks and results by the grading policy, summer retakes of the debts, a few sheets left unfilled;
- a year of movement of the contingent (:func:`service.contingent.demo.fill_movements`): the students'
  history from 1 September, the year's orders (enrollment, expulsions, leaves, returns, transfers,
  reinstatements, changes of name, a cancellation, graduation, promotion) and their applications;
- one user per role (:data:`DEMO_USERS`), all with the password :data:`DEMO_PASSWORD`: the teacher and
  the advisor are linked to teacher records, the student to a student of the advisor's group.

Every record is built through the API's create schema, so the demo data obey the same rules as input.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from datasets.synthetic_university import ACADEMIC_YEAR, FACULTIES, GENERAL_EDUCATION, University, build_university
from models.iin import InvalidIIN, make_iin
from service.auth.accounts import create_user, hash_password
from service.auth.roles import ROLES
from service.contingent.demo import fill_movements
from service.db import Base
from service.demo_academics import fill_academics
from service.models import (
    AcademicGroup,
    AcademicYear,
    Application,
    Department,
    Enrolment,
    Faculty,
    Order,
    Period,
    PlanDiscipline,
    Programme,
    Registration,
    Room,
    Section,
    Stream,
    Student,
    StudentState,
    StudyPlan,
    Teacher,
    User,
)
from service.schemas.calendar import AcademicYearCreate, PeriodCreate, week_start
from service.schemas.groups import GroupCreate, StreamCreate
from service.schemas.organisation import DepartmentCreate, FacultyCreate
from service.schemas.programmes import PlanDisciplineCreate, ProgrammeCreate, StudyPlanCreate
from service.schemas.rooms import RoomCreate
from service.schemas.students import StudentCreate
from service.schemas.teachers import TeacherCreate
from service.schemas.users import UserCreate

R = TypeVar("R", bound=Base)

DEMO_PASSWORD = "registrar-demo"
"""The password of every demo user (documented in the README; never use demo data in production)."""
DEMO_USERS: dict[str, str] = {role: role.replace("_", "-") for role in ROLES}
"""Role -> username of its demo user (``registrar``, ``vice-rector``, ``exam-coordinator``, ...)."""

GENERAL_DEPARTMENTS: dict[str, str] = {
    "SOC": "Department of Social and Political Sciences",
    "LNG": "Department of Languages",
    "ICT": "Department of Information and Communication Technologies",
    "PE": "Department of Physical Education",
}
FIRST_NAMES: dict[str, tuple[str, str]] = {
    "A": ("Aidar", "Aigerim"), "B": ("Bauyrzhan", "Botagoz"), "D": ("Daniyar", "Dana"), "E": ("Erlan", "Elmira"),
    "G": ("Galym", "Gulnara"), "I": ("Ilyas", "Indira"), "K": ("Kairat", "Kamila"), "M": ("Marat", "Madina"),
    "N": ("Nurlan", "Nazira"), "O": ("Olzhas", "Oksana"), "R": ("Ruslan", "Raushan"), "S": ("Serik", "Saule"),
    "T": ("Timur", "Togzhan"), "Z": ("Zhanibek", "Zhanar"),
}  # fmt: skip
"""Teacher first names (male, female) by the initial the generator gave."""
STUDENT_SURNAMES: tuple[str, ...] = (
    "Abenov", "Akhmetov", "Baimukhanov", "Beisenov", "Dosanov", "Zhakupov", "Ibraev", "Kassymov", "Kenzhebaev",
    "Mukhametov", "Nurlanov", "Omarov", "Rakhimov", "Sadykov", "Serikbaev", "Tulegenov", "Zhumabaev", "Sultanov",
    "Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Kim", "Pak", "Seitkali", "Tleuberdi", "Mukhtar", "Yerlan",
)  # fmt: skip
STUDENT_NAMES: dict[str, tuple[str, ...]] = {
    "male": ("Alikhan", "Arman", "Askar", "Bekzat", "Daulet", "Dias", "Yerassyl", "Nursultan", "Sanzhar", "Temirlan",
             "Aibek", "Dmitry", "Maxim", "Artyom", "Rustam", "Adil", "Miras", "Alisher"),
    "female": ("Aruzhan", "Ayana", "Dilnaz", "Zhansaya", "Kamila", "Aisha", "Amina", "Tomiris", "Assel", "Dariga",
               "Anastasia", "Sofia", "Alina", "Malika", "Inkar", "Aliya", "Meruyert", "Saltanat"),
}  # fmt: skip
FATHER_NAMES: tuple[str, ...] = ("Serik", "Marat", "Nurlan", "Erlan", "Kairat", "Askar", "Bolat", "Talgat", "Ruslan")
OTHER_CITIZENSHIPS: tuple[str, ...] = ("RU", "UZ", "KG", "CN", "MN", "TJ")
ELECTIVES: tuple[tuple[str, str], ...] = (
    ("EL-DATA", "Data Analysis in Practice"), ("EL-ENTR", "Entrepreneurship"), ("EL-ECO", "Ecology and Sustainability"),
    ("EL-PSY", "Psychology of Communication"), ("EL-LAW", "Fundamentals of Law"), ("EL-KZLIT", "Kazakh Literature"),
    ("EL-DES", "Design Thinking"), ("EL-FIN", "Personal Finance"), ("EL-HIST", "History of Science"),
    ("EL-RHET", "Rhetoric"), ("EL-ART", "Art of the Steppe"), ("EL-CHN", "Chinese Language"),
    ("EL-GIS", "Geographic Information Systems"), ("EL-ETH", "Ethics"), ("EL-MGMT", "Project Management"),
    ("EL-SPORT", "Sport Science"),
)  # fmt: skip
"""Elective disciplines offered to every programme: two per semester, none repeated over the 8 semesters."""
POSITIONS: tuple[tuple[str, float], ...] = (
    ("assistant", 0.1), ("lecturer", 0.35), ("senior_lecturer", 0.3), ("associate_professor", 0.17), ("professor", 0.08)
)  # fmt: skip


def is_empty(db: Session) -> bool:
    """True if the records tables hold no faculty, programme, group or student."""
    return all(not db.scalar(select(func.count()).select_from(m)) for m in (Faculty, Programme, AcademicGroup, Student))


def fill(db: Session, size: str = "small", seed: int = 0) -> dict[str, int]:
    """Add a generated university (``size``: small, medium or large) to ``db`` and commit; returns counts per table."""
    university = build_university(size, seed)  # type: ignore[arg-type]
    builder = _Demo(db, university, random.Random(seed))
    builder.run()
    db.flush()
    fill_academics(db, university, builder.teachers, seed)
    db.flush()
    fill_movements(db, seed, ACADEMIC_YEAR)
    demo_users(db)
    db.commit()
    models: list[type[Base]] = [Faculty, Department, Programme, StudyPlan, PlanDiscipline, AcademicYear, Period,
                                Room, Teacher, AcademicGroup, Stream, Student, User, Application, Order,
                                StudentState, Registration, Section, Enrolment]  # fmt: skip
    return {m.__tablename__: db.scalar(select(func.count()).select_from(m)) or 0 for m in models}


def demo_users(db: Session, password: str = DEMO_PASSWORD) -> list[User]:
    """One user per role (:data:`DEMO_USERS`); the advisor advises the demo student's group (not committed)."""
    group = db.scalar(select(AcademicGroup).where(AcademicGroup.advisor_id.is_not(None)).order_by(AcademicGroup.id))
    assert group is not None and group.advisor_id is not None, "demo users need the generated groups"
    student = db.scalar(select(Student).where(Student.group_id == group.id, Student.status == "active")
                        .order_by(Student.id))  # fmt: skip
    teacher = db.scalar(select(Teacher).where(Teacher.id != group.advisor_id).order_by(Teacher.id))
    assert student is not None and teacher is not None
    links: dict[str, dict[str, int]] = {
        "teacher": {"teacher_id": teacher.id},
        "advisor": {"teacher_id": group.advisor_id},
        "student": {"student_id": student.id},
    }
    hashed = hash_password(password)
    users = []
    for role, username in DEMO_USERS.items():
        title = role.replace("_", " ").capitalize()
        data = UserCreate(username=username, full_name=f"Demo {title}", password=password, roles=[role],  # type: ignore[list-item]
                          **links.get(role, {}))  # fmt: skip
        users.append(create_user(db, data, hashed))
    return users


def record(model: type[R], schema: type[BaseModel], **values: Any) -> R:
    """A row of ``model`` from ``values`` validated by the API's create ``schema``."""
    return model(**schema.model_validate(values).model_dump())


class _Demo:
    def __init__(self, db: Session, university: University, rng: random.Random) -> None:
        self.db, self.u, self.rng = db, university, rng
        self.faculties: dict[str, Faculty] = {}
        self.departments: dict[str, Department] = {}
        self.programmes: dict[str, Programme] = {}
        self.teachers: dict[str, Teacher] = {}
        self.groups: dict[str, AcademicGroup] = {}

    def add(self, row: R) -> R:
        self.db.add(row)
        return row

    def run(self) -> None:
        self.organisation()
        self.db.flush()
        self.staff_and_rooms()
        self.calendar()
        self.db.flush()
        self.groups_and_streams()
        self.db.flush()
        self.study_plans()
        self.students()

    def organisation(self) -> None:
        names = {f.abbrev: f.name for f in FACULTIES}
        for programme in self.u.programmes:
            if programme.faculty not in self.faculties:
                self.faculties[programme.faculty] = self.add(
                    record(Faculty, FacultyCreate, code=programme.faculty, name_en=names[programme.faculty])
                )
        self.db.flush()
        for code, name in GENERAL_DEPARTMENTS.items():
            self.departments[code] = self.add(record(Department, DepartmentCreate, code=code, name_en=name))
        for programme in self.u.programmes:
            faculty = self.faculties[programme.faculty]
            department = self.add(
                record(
                    Department,
                    DepartmentCreate,
                    code=programme.abbrev,
                    name_en=f"Department of {programme.name}",
                    faculty_id=faculty.id,
                )
            )
            self.departments[programme.abbrev] = department
            self.db.flush()
            self.programmes[programme.code] = self.add(
                record(
                    Programme,
                    ProgrammeCreate,
                    code=programme.code,
                    name_en=programme.name,
                    level="bachelor",
                    faculty_id=faculty.id,
                    department_id=department.id,
                )
            )

    def course_department(self, course_id: str) -> str:
        """The department teaching a course: general education by discipline, else the programme's."""
        code = course_id.split("-")[0]
        for disciplines in GENERAL_EDUCATION.values():
            for discipline in disciplines:
                if discipline.code == code:
                    return discipline.department
        group = self.u.group_by_id[self.u.course_groups[course_id][0]]
        return next(p.abbrev for p in self.u.programmes if p.code == group.programme)

    def staff_and_rooms(self) -> None:
        rng = self.rng
        department_of = {c.teacher: self.course_department(c.id) for c in reversed(self.u.instance.courses)}
        positions, weights = zip(*POSITIONS, strict=True)
        for teacher in self.u.instance.teachers:
            surname, _, initials = teacher.id.partition("_")
            sex = 1 if surname.endswith("a") and surname[:-1].endswith(("ov", "ev", "in")) else 0
            first = FIRST_NAMES.get(initials[:1], ("Aidar", "Aigerim"))[sex]
            father = FIRST_NAMES.get(initials[1:2], ("Serik", "Saule"))[0]
            self.teachers[teacher.id] = self.add(
                record(
                    Teacher,
                    TeacherCreate,
                    code=teacher.id,
                    last_name=surname,
                    first_name=first,
                    middle_name=father + ("ovna" if sex else "ovich"),
                    position=rng.choices(positions, weights)[0],
                    department_id=self.departments[department_of[teacher.id]].id,
                )
            )
        for room in self.u.instance.rooms:
            self.add(
                record(Room, RoomCreate, code=room.id, building=room.building, capacity=room.capacity, type=room.type)
            )

    def calendar(self) -> None:
        year = self.add(
            record(
                AcademicYear,
                AcademicYearCreate,
                start_year=ACADEMIC_YEAR,
                starts_on=dt.date(ACADEMIC_YEAR, 9, 1),
                ends_on=dt.date(ACADEMIC_YEAR + 1, 8, 15),
            )
        )
        self.db.flush()
        terms = (
            ("autumn", dt.date(ACADEMIC_YEAR, 9, 1), 18, (8, 15, 16, 18)),
            ("spring", dt.date(ACADEMIC_YEAR + 1, 1, 19), 18, (8, 15, 16, 18)),
            ("summer", dt.date(ACADEMIC_YEAR + 1, 6, 1), 6, (3, 5, 6, 6)),
        )
        for kind, starts_on, weeks, (rk1, rk2, first, last) in terms:
            saturday = dt.timedelta(days=5)
            self.add(
                record(
                    Period,
                    PeriodCreate,
                    academic_year_id=year.id,
                    kind=kind,
                    starts_on=starts_on,
                    ends_on=starts_on + dt.timedelta(days=7 * weeks - 1),
                    rk1_week=rk1,
                    rk2_week=rk2,
                    session_first_week=first,
                    session_last_week=last,
                    rk1_deadline=week_start(starts_on, rk1) + saturday,
                    rk2_deadline=week_start(starts_on, rk2) + saturday,
                    exam_deadline=week_start(starts_on, last) + saturday,
                )
            )

    def groups_and_streams(self) -> None:
        rng = self.rng
        staff: dict[int, list[Teacher]] = defaultdict(list)
        for teacher in self.teachers.values():
            staff[teacher.department_id or 0].append(teacher)
        abbrev = {p.code: p.abbrev for p in self.u.programmes}
        for group in self.u.groups:
            advisors = staff[self.departments[abbrev[group.programme]].id] or list(self.teachers.values())
            self.groups[group.id] = self.add(
                record(
                    AcademicGroup,
                    GroupCreate,
                    code=group.id,
                    programme_id=self.programmes[group.programme].id,
                    admission_year=ACADEMIC_YEAR - group.year + 1,
                    language=group.language,
                    advisor_id=rng.choice(advisors).id,
                )
            )
        self.db.flush()
        streams: dict[str, tuple[str, ...]] = {}
        for course_id, group_ids in self.u.course_groups.items():
            code, kind, stream = course_id.split("-", 2)
            if kind == "L":
                streams.setdefault(stream, group_ids)
        for code, group_ids in streams.items():
            language = code.rsplit("-", 1)[1].rstrip("0123456789")
            members = [self.groups[g] for g in group_ids]
            checked = StreamCreate(code=code, language=language, group_ids=[g.id for g in members])  # type: ignore[arg-type]
            self.add(Stream(code=checked.code, language=checked.language, groups=sorted(members, key=_code)))

    def study_plans(self) -> None:
        """One plan per programme and admission year: year y's disciplines in semesters 2y-1 and 2y."""
        rng = self.rng
        by_year: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
        for course_id, group_ids in self.u.course_groups.items():
            for group_id in group_ids:
                group = self.u.group_by_id[group_id]
                by_year[group.programme, group.year].setdefault(course_id.split("-")[0], self.u.course_names[course_id])
        cohorts = sorted({(g.programme, ACADEMIC_YEAR - g.year + 1) for g in self.u.groups})
        for programme_code, admitted in cohorts:
            programme = self.programmes[programme_code]
            plan = self.add(
                record(
                    StudyPlan,
                    StudyPlanCreate,
                    programme_id=programme.id,
                    admission_year=admitted,
                    title=f"{programme.code} {programme.name_en}, admitted {admitted}",
                )
            )
            self.db.flush()
            for year in range(1, self.u.spec.years + 1):
                for i, (code, name) in enumerate(by_year[programme_code, year].items()):
                    control = "differentiated_credit" if code == "PE" or rng.random() < 0.15 else "exam"
                    if control == "exam" and year > 1 and rng.random() < 0.1:
                        control = "course_work"
                    self.add(
                        record(
                            PlanDiscipline,
                            PlanDisciplineCreate,
                            plan_id=plan.id,
                            semester=2 * year - 1 + i % 2,
                            code=code,
                            name_en=name,
                            credits=rng.choice((5, 5, 5, 6)),
                            control=control,
                        )
                    )
                for semester in (2 * year - 1, 2 * year):
                    for code, name in (ELECTIVES[(2 * semester - 2) % len(ELECTIVES)],
                                       ELECTIVES[(2 * semester - 1) % len(ELECTIVES)]):  # fmt: skip
                        self.add(
                            record(
                                PlanDiscipline,
                                PlanDisciplineCreate,
                                plan_id=plan.id,
                                semester=semester,
                                code=code,
                                name_en=name,
                                credits=5,
                                control="differentiated_credit",
                                component="elective",
                            )
                        )

    def students(self) -> None:
        rng = self.rng
        used: set[str] = set()
        serial = 0
        for generated in self.u.groups:
            group = self.groups[generated.id]
            for _ in range(generated.students):
                sex = rng.choice(("male", "female"))
                birth_date = dt.date(group.admission_year - 18, 1, 1) + dt.timedelta(days=rng.randrange(365))
                while True:
                    serial = (serial + 1) % 10000
                    try:
                        iin = make_iin(birth_date, sex, serial)  # type: ignore[arg-type]
                    except InvalidIIN:
                        continue
                    if iin not in used:
                        break
                used.add(iin)
                surname = rng.choice(STUDENT_SURNAMES)
                if sex == "female" and surname.endswith(("ov", "ev", "in")):
                    surname += "a"
                father = rng.choice(FATHER_NAMES)
                self.add(
                    record(
                        Student,
                        StudentCreate,
                        iin=iin,
                        last_name=surname,
                        first_name=rng.choice(STUDENT_NAMES[sex]),
                        middle_name=(father + ("ovich" if sex == "male" else "ovna")) if rng.random() < 0.8 else None,
                        birth_date=birth_date,
                        sex=sex,
                        citizenship="KZ" if rng.random() < 0.94 else rng.choice(OTHER_CITIZENSHIPS),
                        language=group.language,
                        study_form="full_time" if rng.random() < 0.95 else "part_time",
                        funding="state_grant" if rng.random() < 0.6 else "paid",
                        programme_id=group.programme_id,
                        group_id=group.id,
                        admission_year=group.admission_year,
                        status=rng.choices(("active", "on_leave", "expelled"), (0.94, 0.04, 0.02))[0],
                    )
                )


def _code(group: AcademicGroup) -> str:
    return group.code
