"""Seeded generator of a synthetic Kazakhstan-style university's weekly lesson timetabling instance.

Structure (everything drawn from one ``random.Random(seed)``, never the global random state, so a
size and a seed always give the same instance):

- faculties -> educational programmes (state classifier code and name, e.g. ``6B06102 Information
  Systems``, abbreviated ``IS``) -> years of study 1..4 -> academic groups of 15-30 students, each
  taught in one language: Kazakh (``kk``), Russian (``ru``) or English (``en``). A group id is
  ``<programme>-<admission year>-<number><language letter>``, e.g. ``IS-23-1k`` (admitted in 2023,
  group 1, Kazakh); the academic year is 2025/26, so first-year groups are ``-25-``.
- Every programme-year studies a set of disciplines: compulsory general-education ones of the year
  (history of Kazakhstan, Kazakh/Russian language, ICT, foreign language, physical education,
  philosophy, ...), shared by all programmes of the faculty, and major disciplines of the programme.
- A discipline becomes course sections (``Course`` objects, one per audience):

  * a LECTURE course per lecture stream, ``<code>-L-<stream>``: the groups of one programme-year
    (general education: of one faculty-year) and one language, split so that a stream has at most
    ``max_stream_students``; students = the sum of its groups' students; room type ``lecture_hall``;
  * a PRACTICE course per academic group, ``<code>-P-<group>``: students = the group's; room type
    ``classroom`` (``gym`` for physical education);
  * for disciplines with laboratory work a LAB course per subgroup (half a group), ``<code>-B-<group>.<k>``
    with k = 1, 2: students = the subgroup's; room type ``computer_lab`` or ``lab``.

  Lessons ("pairs") a week: 1-2 per course; ``min_working_days = min(lessons, 2)``.
- Curricula (students who must not have two lessons at once): one per academic group with its
  stream lectures and practices; a group with lab work is split into two subgroups and gets one
  curriculum per subgroup instead (``<group>.1``, ``<group>.2``), each listing the group's lectures
  and practices plus that subgroup's labs. A stream lecture therefore appears in several curricula.
- Teachers: each department (one per programme for major disciplines, university departments for
  general education) packs its courses, discipline by discipline, onto teachers with a weekly load
  drawn from ``teacher_load`` (default 8-18 lessons); about ``teacher_unavailable_share`` of them
  have unavailable periods (a day off, no first pair, or no last pair). Every teacher teaches at
  most ``teacher_max_daily_lectures`` (default 4) lessons a day (a hard rule).
- Rooms: lecture halls (60-200 seats), classrooms (25-40), computer labs (15-25), labs (15-20) and
  gyms (30-60) in 1-3 buildings (``A``, ``B``, ``C``). Each type first gets
  ``ceil(lessons needing it / (periods x room_utilisation))`` rooms with random capacities; then the
  generator checks the necessary conditions of :func:`necessary_conditions` and ADDS rooms (of the
  capacity needed) until, for every room type and every course size s, the lessons of courses with
  at least s students are at most ``max_room_utilisation`` (default 0.7) x periods x rooms of that
  type seating at least s. Curriculum and teacher loads are guaranteed by construction and checked.
- Rules: the ITC2007 defaults (UD2) plus the registrar extras: windows soft x2, a curriculum's
  day with lessons should have 2-4 lessons (soft x2 per lesson outside), teachers' daily maximum
  hard. Room types are always hard in the model.

Sizes (seed 0): see :data:`PRESETS`; ``small`` solves in seconds and is used in unit tests. Regenerate
the bundled sample with ``python -m datasets.synthetic_university small --seed 1 --json
datasets/samples/small-university.json``.
"""

from __future__ import annotations

import argparse
import math
import random
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.course_instance import (
    Course,
    CourseInstance,
    Curriculum,
    LessonKind,
    Room,
    Rule,
    Rules,
    Slot,
    Teacher,
)

Language = Literal["kk", "ru", "en"]
LANGUAGES: tuple[Language, ...] = ("kk", "ru", "en")
SizeName = Literal["small", "medium", "large"]

LECTURE_HALL = "lecture_hall"
CLASSROOM = "classroom"
COMPUTER_LAB = "computer_lab"
LAB = "lab"
GYM = "gym"
ROOM_TYPES: tuple[str, ...] = (LECTURE_HALL, CLASSROOM, COMPUTER_LAB, LAB, GYM)
ROOM_CAPACITIES: dict[str, tuple[int, ...]] = {
    LECTURE_HALL: (60, 80, 100, 120, 150, 200),
    CLASSROOM: (25, 30, 30, 35, 40),
    COMPUTER_LAB: (15, 20, 25),
    LAB: (15, 16, 18, 20),
    GYM: (30, 40, 60),
}
"""Seats a room of each type may have (drawn uniformly; repeated values are more likely)."""

ACADEMIC_YEAR = 2025
"""First calendar year of the academic year timetabled: first-year groups were admitted in it."""


# --------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class Discipline:
    """A subject of the catalogue. ``hours`` = weekly (lecture, practice, lab) lessons, ``None``: drawn."""

    code: str
    name: str
    lab: str | None = None
    """Room type of its lab lessons (``computer_lab`` or ``lab``); ``None``: no lab work."""
    hours: tuple[int, int, int] | None = None
    department: str = ""
    practice_room: str = CLASSROOM


@dataclass(frozen=True)
class ProgrammeEntry:
    code: str
    name: str
    abbrev: str
    majors: tuple[Discipline, ...]


@dataclass(frozen=True)
class FacultyEntry:
    abbrev: str
    name: str
    foundation: tuple[Discipline, ...]
    """Faculty-wide foundation disciplines, studied first by every programme (each with its own streams)."""
    programmes: tuple[ProgrammeEntry, ...]


def _general(code: str, name: str, hours: tuple[int, int, int], department: str, **kw: str) -> Discipline:
    return Discipline(code, name, COMPUTER_LAB if hours[2] else None, hours, department, **kw)


GENERAL_EDUCATION: dict[int, tuple[Discipline, ...]] = {
    1: (
        _general("HKZ", "Modern History of Kazakhstan", (1, 1, 0), "SOC"),
        _general("KRL", "Kazakh (Russian) Language", (0, 2, 0), "LNG"),
        _general("FLG", "Foreign Language", (0, 2, 0), "LNG"),
        _general("ICT", "Information and Communication Technologies", (1, 0, 1), "ICT"),
        _general("PE", "Physical Education", (0, 2, 0), "PE", practice_room=GYM),
    ),
    2: (
        _general("PHI", "Philosophy", (1, 1, 0), "SOC"),
        _general("PE", "Physical Education", (0, 2, 0), "PE", practice_room=GYM),
        _general("SPS", "Module of Socio-Political Knowledge", (1, 1, 0), "SOC"),
        _general("PKR", "Professional Kazakh (Russian) Language", (0, 1, 0), "LNG"),
        _general("PFL", "Professional Foreign Language", (0, 1, 0), "LNG"),
    ),
    3: (_general("ACU", "Fundamentals of Anti-Corruption Culture and Law", (1, 1, 0), "SOC"),),
    4: (),
}
"""Compulsory general-education disciplines by year of study, most important first; weekly
(lecture, practice, lab) lessons are fixed. The lecture streams span all programmes of a faculty."""

CATALOGUE = """
faculty FIT | Faculty of Information Technologies
    MAN | Mathematical Analysis
    LAL | Linear Algebra
    DSM | Discrete Mathematics
    PRG | Programming Fundamentals | c
    ADS | Algorithms and Data Structures | c
    PST | Probability and Statistics
programme 6B06101 | Computer Science | CS
    OOP | Object-Oriented Programming | c
    CAR | Computer Architecture | c
    OPS | Operating Systems | c
    DBS | Database Systems | c
    CNT | Computer Networks | c
    THC | Theory of Computation
    MLF | Machine Learning | c
    CMP | Compiler Construction | c
programme 6B06102 | Information Systems | IS
    DBS | Database Systems | c
    ISA | Information Systems Analysis
    WEB | Web Technologies | c
    ERP | Enterprise Information Systems | c
    BPM | Business Process Modelling
    DWH | Data Warehousing | c
    ITP | IT Project Management
    GIS | Geographic Information Systems | c
programme 6B06103 | Software Engineering | SE
    OOP | Object-Oriented Programming | c
    SRE | Software Requirements Engineering
    SAD | Software Architecture and Design
    MOB | Mobile Application Development | c
    STQ | Software Testing and Quality | c
    DEV | DevOps Practices | c
    HCI | Human-Computer Interaction
    AGL | Agile Project Management
programme 6B06301 | Information Security Systems | ISS
    CRY | Cryptography
    NSC | Network Security | c
    OSS | Operating Systems Security | c
    SCA | Secure Coding | c
    FOR | Digital Forensics | c
    RSK | Information Security Risk Management
    LAW | Information Security Law
    PEN | Penetration Testing | c
faculty FEN | Faculty of Engineering
    MAN | Higher Mathematics
    PHY | Physics | l
    CHE | General Chemistry | l
    EGR | Engineering Graphics | c
    THM | Theoretical Mechanics
    MSC | Materials Science | l
programme 6B07101 | Mechanical Engineering | ME
    MMD | Machine Design
    TMM | Theory of Machines and Mechanisms
    THD | Thermodynamics | l
    FLM | Fluid Mechanics | l
    MFT | Manufacturing Technology | l
    CAD | Computer-Aided Design | c
    HYD | Hydraulic Machines | l
    MNT | Equipment Maintenance
programme 6B07102 | Electrical Power Engineering | EPE
    TEC | Theory of Electric Circuits | l
    ELM | Electrical Machines | l
    PSY | Power Supply Systems
    REL | Relay Protection and Automation | l
    ELE | Electronics | l
    RES | Renewable Energy Sources
    HVE | High Voltage Engineering | l
    PSM | Power System Modelling | c
programme 6B07201 | Petroleum Engineering | PET
    GEO | Petroleum Geology
    DRL | Drilling Technology
    RSV | Reservoir Engineering
    PPR | Oil and Gas Production | l
    PPL | Pipeline Transport
    WLL | Well Logging | l
    REF | Oil Refining Processes | l
    HSE | Health, Safety and Environment
programme 6B07301 | Civil Engineering | CE
    STM | Strength of Materials | l
    BMT | Building Materials | l
    STR | Structural Analysis
    GDS | Geodesy | l
    RCS | Reinforced Concrete Structures
    SFE | Soil Mechanics and Foundations | l
    BIM | Building Information Modelling | c
    CST | Construction Technology
faculty FEB | Faculty of Economics and Business
    MAN | Mathematics for Economists
    MIC | Microeconomics
    MAC | Macroeconomics
    STA | Statistics | c
    ACC | Principles of Accounting
    MGT | Principles of Management
programme 6B04101 | Economics | ECN
    ECM | Econometrics | c
    PUB | Public Finance
    INT | International Economics
    LBE | Labour Economics
    REG | Regional Economics of Kazakhstan
    DEV | Development Economics
    BEH | Behavioural Economics
    MON | Money and Banking
programme 6B04102 | Management | MGM
    ORG | Organisational Behaviour
    HRM | Human Resource Management
    STR | Strategic Management
    OPM | Operations Management | c
    PJM | Project Management | c
    MKT | Marketing
    LED | Leadership
    CSR | Corporate Social Responsibility
programme 6B04103 | Accounting and Audit | ACA
    FAC | Financial Accounting
    MNA | Management Accounting
    AUD | Auditing
    TAX | Taxation in Kazakhstan
    IFR | International Financial Reporting Standards
    AIS | Accounting Information Systems | c
    FAN | Financial Analysis | c
    INA | Internal Audit
programme 6B04104 | Finance | FIN
    CFN | Corporate Finance
    BNK | Banking
    INV | Investments
    FMK | Financial Markets
    INS | Insurance
    RMG | Risk Management | c
    FMD | Financial Modelling | c
    PFN | Public Finance
faculty FNS | Faculty of Natural Sciences
    MAN | Calculus
    PHY | General Physics | l
    CHE | General Chemistry | l
    BIO | General Biology | l
    PRG | Programming for Scientists | c
    STA | Statistics and Data Analysis | c
programme 6B05101 | Biology | BIO
    BOT | Botany | l
    ZOO | Zoology | l
    CEL | Cell Biology | l
    GEN | Genetics | l
    MIC | Microbiology | l
    ECO | Ecology
    BCH | Biochemistry | l
    PHS | Human and Animal Physiology | l
programme 6B05301 | Chemistry | CHM
    INC | Inorganic Chemistry | l
    ORC | Organic Chemistry | l
    ANC | Analytical Chemistry | l
    PHC | Physical Chemistry | l
    POL | Polymer Chemistry | l
    CTC | Chemical Technology
    QCH | Quantum Chemistry | c
    INS | Instrumental Analysis | l
programme 6B05401 | Mathematics | MTH
    ALG | Algebra
    GEO | Analytic Geometry
    DEQ | Differential Equations
    CPX | Complex Analysis
    FUN | Functional Analysis
    NUM | Numerical Methods | c
    OPT | Optimisation Methods | c
    TOP | Topology
programme 6B05201 | Ecology | ECL
    ENV | Environmental Chemistry | l
    HDR | Hydrology
    SOI | Soil Science | l
    EIA | Environmental Impact Assessment
    GIS | Geographic Information Systems | c
    WST | Waste Management
    CLM | Climatology
    MON | Environmental Monitoring | l
faculty FHS | Faculty of Humanities and Social Sciences
    ITS | Introduction to the Specialty
    LOG | Logic
    RSM | Research Methods | c
    CUL | Cultural Studies
    PSY | Psychology
    ACW | Academic Writing
programme 6B04201 | Jurisprudence | JUR
    TSL | Theory of State and Law
    CON | Constitutional Law of Kazakhstan
    CIV | Civil Law
    CRL | Criminal Law
    ADM | Administrative Law
    CPR | Civil Procedure
    INL | International Law
    CRM | Criminology
programme 6B03201 | Journalism | JRN
    IJR | Introduction to Journalism
    MDW | Media Writing
    TVJ | Television Journalism | c
    PHJ | Photojournalism | c
    ONM | Online Media | c
    MEL | Media Law and Ethics
    PRC | Public Relations
    DTJ | Data Journalism | c
programme 6B02301 | Translation Studies | TRS
    TTR | Theory of Translation
    PGR | Practical Grammar
    CIN | Consecutive Interpreting
    SIM | Simultaneous Interpreting | c
    CAT | Computer-Assisted Translation | c
    LEX | Lexicology
    STY | Stylistics
    TXT | Legal and Technical Translation
programme 6B03102 | International Relations | IR
    TIR | Theory of International Relations
    DIP | Diplomacy and Protocol
    FPK | Foreign Policy of Kazakhstan
    GEP | Geopolitics
    INO | International Organisations
    CAS | Central Asian Studies
    IEC | International Economic Relations
    CFR | Conflict Resolution
faculty FED | Faculty of Education
    PED | Pedagogy
    AGP | Age Physiology and School Hygiene
    EDP | Educational Psychology
    INC | Inclusive Education
    EDT | Digital Technologies in Education | c
    CLM | Classroom Management
programme 6B01501 | Mathematics Teacher Education | MTE
    ELM | Elementary Mathematics
    ALG | Algebra and Number Theory
    GEO | Geometry
    MAN | Mathematical Analysis
    MMT | Methods of Teaching Mathematics
    PRB | Probability Theory
    OLY | Olympiad Mathematics
    MSS | Mathematics Software in School | c
programme 6B01502 | Computer Science Teacher Education | CSE
    PRG | Programming | c
    ALG | Algorithms | c
    WEB | Web Design | c
    ROB | Educational Robotics | l
    DBS | Databases | c
    MTI | Methods of Teaching Informatics
    NET | Computer Networks | c
    GRA | Computer Graphics | c
programme 6B01701 | Kazakh Language and Literature | KLL
    MKL | Modern Kazakh Language
    KLT | History of Kazakh Literature
    FOL | Kazakh Folklore
    THL | Theory of Literature
    MKT | Methods of Teaching Kazakh
    SYN | Syntax
    PHN | Phonetics | c
    CKL | Contemporary Kazakh Literature
programme 6B01702 | Two Foreign Languages | TFL
    PHN | Practical Phonetics | c
    GRM | Practical Grammar
    CSL | Country Studies
    SFL | Second Foreign Language
    MFL | Methods of Teaching Foreign Languages
    LIT | Literature of English-Speaking Countries
    LNG | Theoretical Linguistics
    ICC | Intercultural Communication
"""
"""Faculties (abbreviation | name, then its foundation disciplines) and their programmes (state
classifier code | name | ascii abbreviation, then its major disciplines). A discipline line is
``code | name [| lab]`` with lab ``c`` (computer lab) or ``l`` (laboratory)."""


def _parse_catalogue(text: str) -> tuple[FacultyEntry, ...]:
    labs = {"c": COMPUTER_LAB, "l": LAB}
    faculties: list[tuple[str, str, list[Discipline], list[tuple[str, str, str, list[Discipline]]]]] = []
    disciplines: list[Discipline] = []
    for line in text.strip().splitlines():
        head, _, rest = line.strip().partition(" ")
        fields = [part.strip() for part in (rest if head in ("faculty", "programme") else line).split("|")]
        if head == "faculty":
            disciplines = []
            faculties.append((fields[0], fields[1], disciplines, []))
        elif head == "programme":
            disciplines = []
            faculties[-1][3].append((fields[0], fields[1], fields[2], disciplines))
        else:
            disciplines.append(Discipline(fields[0], fields[1], labs[fields[2]] if len(fields) > 2 else None))
    return tuple(
        FacultyEntry(
            abbrev, name, tuple(foundation), tuple(ProgrammeEntry(c, n, a, tuple(d)) for c, n, a, d in programmes)
        )
        for abbrev, name, foundation, programmes in faculties
    )


FACULTIES: tuple[FacultyEntry, ...] = _parse_catalogue(CATALOGUE)
"""Faculties and their programmes (state classifier codes, names, ascii abbreviations)."""
_GENERAL_CODES = {d.code for ds in GENERAL_EDUCATION.values() for d in ds}
for _faculty in FACULTIES:
    for _programme in _faculty.programmes:
        _codes = [d.code for d in (*_faculty.foundation, *_programme.majors)]
        assert len(set(_codes)) == len(_codes) and not set(_codes) & _GENERAL_CODES, _programme.code

SURNAMES: tuple[str, ...] = (
    "Abenov", "Akhmetov", "Amanzholov", "Baimukhanov", "Beisenov", "Bekov", "Dosanov", "Yesenov",
    "Zhakupov", "Ibraev", "Iskakov", "Kassymov", "Kenzhebaev", "Mukhametov", "Nurlanov", "Nurpeisov",
    "Omarov", "Rakhimov", "Sadykov", "Serikbaev", "Tulegenov", "Utepov", "Zhumabaev", "Sultanov",
    "Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Popov", "Volkov", "Sokolov", "Orlov",
    "Kim", "Li", "Pak", "Seitkali", "Tleuberdi", "Yerlan", "Mukhtar", "Tokhtar",
)  # fmt: skip
"""Teacher surnames (ascii transliteration); ``-ov``/``-ev``/``-in`` ones take ``-a`` for women."""
INITIALS = "ABDEGIKMNORSTZ"


# --------------------------------------------------------------------------- specification


class UniversitySpec(BaseModel):
    """Parameters of a synthetic university. Ranges ``(low, high)`` are inclusive."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field("university", min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    """Used in the instance name ``<name>-s<seed>``."""
    faculties: int = Field(1, ge=1, le=len(FACULTIES))
    programmes_per_faculty: int = Field(2, ge=1, le=min(len(f.programmes) for f in FACULTIES))
    years: int = Field(4, ge=1, le=4)
    """Years of study timetabled: 1..years (a bachelor's degree in Kazakhstan takes 4)."""
    groups_per_programme_year: tuple[int, int] = (1, 3)
    """Academic groups of a programme in a year of study."""
    group_size: tuple[int, int] = (15, 30)
    """Students of an academic group."""
    days: int = Field(6, ge=1, le=7)
    """Teaching days a week; 6 = Monday to Saturday (Kazakh universities teach on Saturday)."""
    periods_per_day: int = Field(6, ge=1, le=12)
    """Periods ("pairs" of 2 x 50 minutes) a day."""
    languages: dict[Language, float] = Field(default_factory=lambda: {"kk": 0.55, "ru": 0.35, "en": 0.1})
    """Share of groups taught in each language (weights, need not sum to 1)."""
    major_disciplines: tuple[int, ...] = (2, 3, 5, 4)
    """Major (programme) disciplines per year of study 1, 2, ..."""
    general_disciplines: tuple[int, ...] = (5, 5, 1, 0)
    """General-education disciplines per year of study (the first ones of :data:`GENERAL_EDUCATION`)."""
    max_stream_students: int = Field(150, ge=1)
    """Largest lecture stream; a larger set of groups is split into several streams."""
    buildings: int = Field(1, ge=1, le=26)
    teacher_load: tuple[int, int] = (8, 18)
    """Target weekly lessons of a teacher (a department's last teacher may get fewer)."""
    teacher_unavailable_share: float = Field(0.3, ge=0, le=1)
    """Share of teachers with unavailable periods."""
    teacher_max_daily_lectures: int = Field(4, ge=1)
    daily_lectures: tuple[int, int] = (2, 4)
    """Minimum and maximum lessons of a curriculum's day with lessons (soft)."""
    room_utilisation: float = Field(0.6, gt=0, le=1)
    """Initial room count per type: lessons needing the type / (periods x this)."""
    max_room_utilisation: float = Field(0.7, gt=0, le=1)
    """Rooms are added until lessons per type and size are at most this share of the rooms' periods."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        ranges = {
            "groups_per_programme_year": (self.groups_per_programme_year, 1),
            "group_size": (self.group_size, 2),
            "teacher_load": (self.teacher_load, 1),
            "daily_lectures": (self.daily_lectures, 0),
        }
        for name, ((low, high), least) in ranges.items():
            if not least <= low <= high:
                raise ValueError(f"{name}: expected {least} <= low <= high, got ({low}, {high})")
        if not self.languages or min(self.languages.values()) < 0 or sum(self.languages.values()) <= 0:
            raise ValueError("languages: expected non-negative shares with a positive sum")
        for name in ("major_disciplines", "general_disciplines"):
            counts = getattr(self, name)
            if len(counts) < self.years or min(counts[: self.years]) < 0:
                raise ValueError(f"{name}: expected a non-negative count for each of the {self.years} years")
        for year in range(1, self.years + 1):
            if self.general_disciplines[year - 1] > len(GENERAL_EDUCATION[year]):
                raise ValueError(
                    f"general_disciplines: year {year} has only {len(GENERAL_EDUCATION[year])} disciplines"
                )
        if self.max_stream_students < self.group_size[1]:
            raise ValueError("max_stream_students must hold the largest group")
        weekly = self.days * min(self.teacher_max_daily_lectures, self.periods_per_day)
        if self.teacher_load[1] > weekly:
            raise ValueError(f"teacher_load: at most {weekly} lessons a week fit the teachers' daily maximum")
        return self


PRESETS: dict[str, UniversitySpec] = {
    "small": UniversitySpec(
        name="small",
        faculties=1,
        programmes_per_faculty=2,
        years=2,
        groups_per_programme_year=(2, 2),
        major_disciplines=(2, 2),
        general_disciplines=(2, 2),
        buildings=1,
        room_utilisation=0.5,
    ),
    "medium": UniversitySpec(
        name="medium", faculties=3, programmes_per_faculty=2, groups_per_programme_year=(1, 2), buildings=2
    ),
    "large": UniversitySpec(
        name="large", faculties=6, programmes_per_faculty=3, groups_per_programme_year=(1, 3), buildings=3
    ),
}
"""Named sizes: small (1 faculty, 8 groups, years 1-2, a light week; unit tests), medium (3
faculties, ~36 groups) and large (6 faculties, ~150 groups)."""


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class Programme:
    code: str
    """State classifier code, e.g. ``6B06102``."""
    name: str
    abbrev: str
    faculty: str


@dataclass(frozen=True)
class AcademicGroup:
    id: str
    programme: str
    """Programme code."""
    year: int
    language: Language
    students: int
    subgroups: tuple[int, ...] = ()
    """Students of each lab subgroup; empty when the group has no lab work (and is not split)."""

    @property
    def curricula(self) -> tuple[str, ...]:
        """Ids of the curricula of this group's students: the group, or one per subgroup."""
        if not self.subgroups:
            return (self.id,)
        return tuple(f"{self.id}.{k}" for k in range(1, len(self.subgroups) + 1))


@dataclass(frozen=True)
class University:
    """A generated university: its structure and the timetabling instance built from it."""

    spec: UniversitySpec
    seed: int
    programmes: tuple[Programme, ...]
    groups: tuple[AcademicGroup, ...]
    course_groups: Mapping[str, tuple[str, ...]] = field(repr=False)
    """Course id -> ids of the academic groups it is taught to (a lab: its subgroup's group)."""
    course_names: Mapping[str, str] = field(repr=False)
    """Course id -> discipline name."""
    instance: CourseInstance = field(repr=False)

    @property
    def group_by_id(self) -> dict[str, AcademicGroup]:
        return {g.id: g for g in self.groups}


# --------------------------------------------------------------------------- generator


def generate_university(size: SizeName | UniversitySpec = "small", seed: int = 0) -> CourseInstance:
    """The timetabling instance of a synthetic university: a :data:`PRESETS` name or a spec, and a seed."""
    return build_university(size, seed).instance


def build_university(size: SizeName | UniversitySpec = "small", seed: int = 0) -> University:
    """Generate a synthetic university (structure and instance); deterministic for a size and seed.

    Raises ``ValueError`` for an unknown size name, or if a curriculum or teacher cannot fit its
    weekly lessons (only possible with an extreme custom spec: fewer disciplines or more days help).
    """
    if isinstance(size, str):
        if size not in PRESETS:
            raise ValueError(f"unknown size {size!r}: expected one of {', '.join(PRESETS)}")
        spec = PRESETS[size]
    else:
        spec = size
    return _Builder(spec, seed).build()


@dataclass
class _Section:
    course: Course
    department: str
    discipline: str


class _Builder:
    def __init__(self, spec: UniversitySpec, seed: int) -> None:
        self.spec = spec
        self.seed = seed
        self.rng = random.Random(seed)
        self.sections: list[_Section] = []
        self.course_groups: dict[str, tuple[str, ...]] = {}
        self.group_courses: dict[str, list[str]] = defaultdict(list)
        self.lab_courses: dict[tuple[str, int], list[str]] = defaultdict(list)

    # -- structure

    def build(self) -> University:
        spec, rng = self.spec, self.rng
        faculty_ids = sorted(rng.sample(range(len(FACULTIES)), spec.faculties))
        programmes: list[tuple[FacultyEntry, ProgrammeEntry]] = []
        for f in faculty_ids:
            faculty = FACULTIES[f]
            chosen = sorted(rng.sample(range(len(faculty.programmes)), spec.programmes_per_faculty))
            programmes += [(faculty, faculty.programmes[p]) for p in chosen]
        groups: dict[tuple[str, int], list[AcademicGroup]] = {}
        for _, programme in programmes:
            for year in range(1, spec.years + 1):
                groups[programme.code, year] = self._groups(programme, year)
        lab_groups: set[str] = set()
        for f in faculty_ids:
            faculty = FACULTIES[f]
            members = [p for fac, p in programmes if fac is faculty]
            for year in range(1, spec.years + 1):
                cohort = [g for p in members for g in groups[p.code, year]]
                for discipline in GENERAL_EDUCATION[year][: spec.general_disciplines[year - 1]]:
                    assert discipline.hours is not None
                    self._discipline(discipline, discipline.hours, cohort, f"{faculty.abbrev}-{_yy(year)}")
                    if discipline.hours[2]:
                        lab_groups.update(g.id for g in cohort)
                for programme in members:
                    cohort = groups[programme.code, year]
                    for discipline in self._majors(faculty, programme, year):
                        hours = self._hours(discipline)
                        self._discipline(discipline, hours, cohort, f"{programme.abbrev}-{_yy(year)}", programme.abbrev)
                        if hours[2]:
                            lab_groups.update(g.id for g in cohort)
        ordered = [g for _, p in programmes for y in range(1, spec.years + 1) for g in groups[p.code, y]]
        final_groups = tuple(_split(g) if g.id in lab_groups else g for g in ordered)
        curricula = self._curricula(final_groups)
        teachers, assignment = self._teachers()
        courses = tuple(s.course.model_copy(update={"teacher": assignment[s.course.id]}) for s in self.sections)
        rooms = self._rooms(courses)
        low, high = spec.daily_lectures
        instance = CourseInstance(
            name=f"{spec.name}-s{self.seed}",
            days=spec.days,
            periods_per_day=spec.periods_per_day,
            rooms=rooms,
            teachers=teachers,
            courses=courses,
            curricula=curricula,
            rules=registrar_rules(low, high),
        )
        problems = necessary_conditions(instance, spec.max_room_utilisation)
        if problems:
            raise ValueError("the generated instance is infeasible: " + "; ".join(problems))
        return University(
            spec=spec,
            seed=self.seed,
            programmes=tuple(Programme(p.code, p.name, p.abbrev, f.abbrev) for f, p in programmes),
            groups=final_groups,
            course_groups=self.course_groups,
            course_names={s.course.id: s.discipline for s in self.sections},
            instance=instance,
        )

    def _groups(self, programme: ProgrammeEntry, year: int) -> list[AcademicGroup]:
        spec, rng = self.spec, self.rng
        count = rng.randint(*spec.groups_per_programme_year)
        names, weights = zip(*spec.languages.items(), strict=True)
        languages = sorted(rng.choices(names, weights=weights, k=count), key=LANGUAGES.index)
        return [
            AcademicGroup(
                id=f"{programme.abbrev}-{_yy(year)}-{n}{language[0]}",
                programme=programme.code,
                year=year,
                language=language,
                students=rng.randint(*spec.group_size),
            )
            for n, language in enumerate(languages, 1)
        ]

    def _majors(self, faculty: FacultyEntry, programme: ProgrammeEntry, year: int) -> list[Discipline]:
        """The programme's disciplines of a year: the faculty foundation, then the programme's majors.

        Beyond the catalogue the sequence repeats as advanced courses (code ``<code>2``, name ``... II``).
        """
        sequence = (*faculty.foundation, *programme.majors)
        start = sum(self.spec.major_disciplines[: year - 1])
        out = []
        for i in range(start, start + self.spec.major_disciplines[year - 1]):
            base, level = sequence[i % len(sequence)], i // len(sequence)
            if level:
                suffix = " " + "I" * (level + 1)
                base = Discipline(f"{base.code}{level + 1}", base.name + suffix, base.lab)
            out.append(base)
        return out

    def _hours(self, discipline: Discipline) -> tuple[int, int, int]:
        """Weekly (lecture, practice, lab) lessons of a major discipline: 1-2 lectures (mostly 1),
        then 1-2 practices, or, with lab work, 0-1 practices and 1-2 labs per subgroup."""
        rng = self.rng
        lectures = 1 if rng.random() < 0.7 else 2
        if discipline.lab is None:
            return lectures, rng.randint(1, 2), 0
        return lectures, rng.randint(0, 1), 1 if rng.random() < 0.7 else 2

    def _discipline(
        self,
        discipline: Discipline,
        hours: tuple[int, int, int],
        cohort: Sequence[AcademicGroup],
        stream_prefix: str,
        department: str = "",
    ) -> None:
        """Add the lecture (per stream), practice (per group) and lab (per subgroup) courses."""
        lectures, practices, labs = hours
        department = department or discipline.department
        code = discipline.code
        if lectures:
            for stream, members in _streams(cohort, self.spec.max_stream_students):
                self._add(
                    f"{code}-L-{stream_prefix}-{stream}",
                    lectures,
                    sum(g.students for g in members),
                    LessonKind.LECTURE,
                    LECTURE_HALL,
                    members,
                    discipline,
                    department,
                )
        for group in cohort:
            if practices:
                self._add(
                    f"{code}-P-{group.id}",
                    practices,
                    group.students,
                    LessonKind.PRACTICE,
                    discipline.practice_room,
                    [group],
                    discipline,
                    department,
                )
            if labs:
                assert discipline.lab is not None
                for k, students in enumerate(_halves(group.students), 1):
                    course_id = self._add(
                        f"{code}-B-{group.id}.{k}",
                        labs,
                        students,
                        LessonKind.LAB,
                        discipline.lab,
                        [group],
                        discipline,
                        department,
                        lab=True,
                    )
                    self.lab_courses[group.id, k].append(course_id)

    def _add(
        self,
        course_id: str,
        lessons: int,
        students: int,
        kind: LessonKind,
        room_type: str,
        members: Sequence[AcademicGroup],
        discipline: Discipline,
        department: str,
        lab: bool = False,
    ) -> str:
        course = Course(
            id=course_id,
            teacher="?",
            lectures=lessons,
            min_working_days=min(lessons, 2, self.spec.days),
            students=students,
            kind=kind,
            room_type=room_type,
        )
        self.sections.append(_Section(course, department, discipline.name))
        self.course_groups[course_id] = tuple(g.id for g in members)
        if not lab:
            for group in members:
                self.group_courses[group.id].append(course_id)
        return course_id

    def _curricula(self, groups: Sequence[AcademicGroup]) -> tuple[Curriculum, ...]:
        out = []
        for group in groups:
            base = tuple(self.group_courses[group.id])
            if not group.subgroups:
                out.append(Curriculum(id=group.id, courses=base))
                continue
            for k, curriculum_id in enumerate(group.curricula, 1):
                out.append(Curriculum(id=curriculum_id, courses=base + tuple(self.lab_courses[group.id, k])))
        return tuple(out)

    # -- teachers

    def _teachers(self) -> tuple[tuple[Teacher, ...], dict[str, str]]:
        """Pack each department's courses (in discipline order) onto teachers of target loads."""
        spec, rng = self.spec, self.rng
        departments: dict[str, list[Course]] = defaultdict(list)
        for section in self.sections:
            departments[section.department].append(section.course)
        low, high = spec.teacher_load
        teachers: list[Teacher] = []
        assignment: dict[str, str] = {}
        used: set[str] = set()
        for courses in departments.values():
            loads: list[list[Course]] = []
            target, load = 0, 0
            for course in courses:
                if not loads or load + course.lectures > target:
                    loads.append([])
                    target, load = rng.randint(low, high), 0
                loads[-1].append(course)
                load += course.lectures
            if len(loads) > 1 and load < low and _load(loads[-2]) + load <= high:
                tail = loads.pop()
                loads[-1] += tail
            for taught in loads:
                teacher = Teacher(
                    id=_teacher_name(rng, used),
                    unavailable=self._unavailable(_load(taught)),
                    max_daily_lectures=spec.teacher_max_daily_lectures,
                )
                teachers.append(teacher)
                assignment.update((c.id, teacher.id) for c in taught)
        return tuple(teachers), assignment

    def _unavailable(self, load: int) -> frozenset[Slot]:
        """A day off, no first pair or no last pair (each a third of the time) for some teachers;
        none if the teacher's load would not fit around it."""
        spec, rng = self.spec, self.rng
        if rng.random() >= spec.teacher_unavailable_share:
            return frozenset()
        pattern = rng.randrange(3)
        if pattern == 0:
            day = rng.randrange(spec.days)
            slots = {(day, p) for p in range(spec.periods_per_day)}
        else:
            period = 0 if pattern == 1 else spec.periods_per_day - 1
            slots = {(d, period) for d in range(spec.days)}
        unavailable = frozenset(slots)
        if _teacher_capacity(spec.days, spec.periods_per_day, unavailable, spec.teacher_max_daily_lectures) < load:
            return frozenset()
        return unavailable

    # -- rooms

    def _rooms(self, courses: Sequence[Course]) -> tuple[Room, ...]:
        spec, rng = self.spec, self.rng
        periods = spec.days * spec.periods_per_day
        demand: dict[str, list[Course]] = defaultdict(list)
        for course in courses:
            assert course.room_type is not None
            demand[course.room_type].append(course)
        planned: list[tuple[str, int]] = []
        for room_type in sorted(demand, key=ROOM_TYPES.index):
            lessons = sum(c.lectures for c in demand[room_type])
            count = max(1, math.ceil(lessons / (periods * spec.room_utilisation)))
            capacities = [rng.choice(ROOM_CAPACITIES[room_type]) for _ in range(count)]
            capacities += _missing_rooms(demand[room_type], capacities, periods * spec.max_room_utilisation)
            planned += [(room_type, capacity) for capacity in sorted(capacities, reverse=True)]
        rooms: list[Room] = []
        used: Counter[str] = Counter()
        for room_type, capacity in planned:
            building = _building_name(rng.randrange(spec.buildings))
            floor, number = divmod(used[building], 12)
            used[building] += 1
            rooms.append(
                Room(id=f"{building}-{floor + 1}{number + 1:02d}", capacity=capacity, type=room_type, building=building)
            )
        return tuple(rooms)


def _missing_rooms(courses: Sequence[Course], capacities: list[int], usable: float) -> list[int]:
    """Capacities of rooms to add so that, for every course size s, the weekly lessons of courses with
    at least s students are at most ``usable`` x the rooms seating at least s (``usable`` = periods x
    maximum utilisation). A room added for size s seats s rounded up to 5 (10 above 40)."""
    added: list[int] = []
    for size in sorted({c.students for c in courses}, reverse=True):
        need = sum(c.lectures for c in courses if c.students >= size)
        while need > usable * sum(1 for cap in (*capacities, *added) if cap >= size):
            step = 10 if size > 40 else 5
            added.append(max(step, math.ceil(size / step) * step))
    return added


def _streams(cohort: Sequence[AcademicGroup], limit: int) -> list[tuple[str, list[AcademicGroup]]]:
    """Lecture streams: the cohort's groups by language, split into as few consecutive chunks of at
    most ``limit`` students as a greedy pass gives. Named ``kk``, ``kk2``, ... per language."""
    out = []
    for language in LANGUAGES:
        members = [g for g in cohort if g.language == language]
        chunks: list[list[AcademicGroup]] = []
        for group in members:
            if not chunks or sum(g.students for g in chunks[-1]) + group.students > limit:
                chunks.append([])
            chunks[-1].append(group)
        out += [(language + (str(i) if i > 1 else ""), chunk) for i, chunk in enumerate(chunks, 1)]
    return out


def _halves(students: int) -> tuple[int, int]:
    return (students + 1) // 2, students // 2


def _split(group: AcademicGroup) -> AcademicGroup:
    return AcademicGroup(group.id, group.programme, group.year, group.language, group.students, _halves(group.students))


def _yy(year: int) -> str:
    """Two-digit admission year of the groups in a year of study."""
    return f"{(ACADEMIC_YEAR - year + 1) % 100:02d}"


def _load(courses: Sequence[Course]) -> int:
    return sum(c.lectures for c in courses)


def _building_name(index: int) -> str:
    return chr(ord("A") + index)


def _teacher_name(rng: random.Random, used: set[str]) -> str:
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.5 and surname.endswith(("ov", "ev", "in")):
        surname += "a"
    base = f"{surname}_{rng.choice(INITIALS)}{rng.choice(INITIALS)}"
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base}{n}"
    used.add(name)
    return name


def _teacher_capacity(days: int, periods_per_day: int, unavailable: frozenset[Slot], max_daily: int | None) -> int:
    """Lessons a teacher can give in a week: per day, available periods capped by the daily maximum."""
    total = 0
    for day in range(days):
        free = sum(1 for p in range(periods_per_day) if (day, p) not in unavailable)
        total += free if max_daily is None else min(free, max_daily)
    return total


# --------------------------------------------------------------------------- rules and checks


def registrar_rules(min_daily: int = 2, max_daily: int = 4) -> Rules:
    """ITC2007 (UD2) weights plus windows soft x2, group daily load soft x2 (``min_daily``-``max_daily``
    lessons on a day with lessons) and the teachers' daily maximum hard."""
    return Rules(
        windows=Rule(weight=2),
        group_daily_load=Rule(weight=2),
        teacher_daily_load=Rule(hard=True),
        min_daily_lectures=min_daily,
        max_daily_lectures=max_daily,
    )


def necessary_conditions(instance: CourseInstance, max_room_utilisation: float = 0.7) -> list[str]:
    """Simple necessary conditions for a feasible, comfortable timetable; returns the violations.

    - per room type: lessons needing it <= rooms of the type x periods x ``max_room_utilisation``;
    - every course fits (by seats) some room of its type;
    - per curriculum: weekly lessons <= periods available to all its courses, and <= days x the
      curriculum's daily maximum (if any);
    - per teacher: weekly lessons <= available periods, capped per day by the teacher's daily maximum.
    """
    problems: list[str] = []
    periods = instance.periods
    rooms: dict[str, list[Room]] = defaultdict(list)
    for room in instance.rooms:
        rooms[room.type].append(room)
    demand: Counter[str] = Counter()
    for course in instance.courses:
        candidates = rooms[course.room_type] if course.room_type is not None else list(instance.rooms)
        demand[course.room_type or "*"] += course.lectures
        if not any(r.capacity >= course.students for r in candidates):
            problems.append(f"course {course.id}: no room of type {course.room_type} seats {course.students}")
    for room_type, lessons in sorted(demand.items()):
        count = len(instance.rooms) if room_type == "*" else len(rooms[room_type])
        if lessons > count * periods * max_room_utilisation:
            problems.append(f"room type {room_type}: {lessons} lessons need more than {count} rooms")
    courses = instance.course_by_id
    for curriculum in instance.curricula:
        lessons = sum(courses[c].lectures for c in curriculum.courses)
        blocked = set().union(*(courses[c].unavailable for c in curriculum.courses))
        _, high = instance.daily_limits(curriculum)
        if lessons > periods - len(blocked):
            problems.append(f"curriculum {curriculum.id}: {lessons} lessons exceed its available periods")
        if high is not None and lessons > instance.days * high:
            problems.append(f"curriculum {curriculum.id}: {lessons} lessons exceed {instance.days} x {high} a day")
    load: Counter[str] = Counter()
    for course in instance.courses:
        load[course.teacher] += course.lectures
    for teacher in instance.teachers:
        daily = teacher.max_daily_lectures if instance.rules.teacher_daily_load.active else None
        capacity = _teacher_capacity(instance.days, instance.periods_per_day, teacher.unavailable, daily)
        if load[teacher.id] > capacity:
            problems.append(f"teacher {teacher.id}: {load[teacher.id]} lessons exceed {capacity} available")
    return problems


def describe(instance: CourseInstance) -> str:
    """A short human summary: week, courses by kind, lessons, rooms by type, curricula, teachers."""
    kinds = Counter(c.kind.value for c in instance.courses)
    types = Counter(r.type for r in instance.rooms)
    by_kind = ", ".join(f"{kinds[k.value]} {k.value}" for k in LessonKind if kinds[k.value])
    by_type = ", ".join(f"{n} {t}" for t, n in sorted(types.items(), key=lambda item: _type_order(item[0])))
    buildings = len({r.building for r in instance.rooms})
    return "\n".join(
        [
            f"{instance.name}: {instance.days} days x {instance.periods_per_day} periods",
            f"courses: {len(instance.courses)} ({by_kind}), {instance.lectures} weekly lessons",
            f"rooms: {len(instance.rooms)} ({by_type}) in {buildings} building(s)",
            f"curricula: {len(instance.curricula)}, teachers: {len(instance.teachers)}",
        ]
    )


def _type_order(room_type: str) -> tuple[int, str]:
    return (ROOM_TYPES.index(room_type) if room_type in ROOM_TYPES else len(ROOM_TYPES), room_type)


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m datasets.synthetic_university [small|medium|large] [--seed N] [--json PATH]``."""
    parser = argparse.ArgumentParser(description="Generate a synthetic university timetabling instance.")
    parser.add_argument("size", nargs="?", default="small", choices=sorted(PRESETS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="write the instance as JSON to this file")
    args = parser.parse_args(argv)
    instance = generate_university(args.size, args.seed)
    if args.json:
        from datasets.instance_json import write_instance_json

        write_instance_json(instance, args.json)
    print(describe(instance))


if __name__ == "__main__":
    main()
