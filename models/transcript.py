"""The academic transcript and graduation rules, computed from a student's results.

The records fill an :class:`AcademicRecord` (who the student is, and one :class:`ResultLine` per attempt at
a discipline); :func:`build_transcript` turns it into a :class:`Transcript`:

- a discipline (its ``code``) counts once, with its latest graded attempt; every graded attempt before it
  is a retake (an FX or F that was taken again); an attempt without a letter (still in progress) is left out;
- credits are the record's unit (KZ credits of an older cohort, or credits that already are ECTS);
  ``ects_per_credit`` converts them (1 for today's credits, 1.5-1.8 for old bachelor KZ credits);
- GPA = sum(points x credits) / sum(credits) over the counted disciplines, failed ones with 0 points
  (:func:`models.grading.gpa`), per semester and cumulative; ``earned_credits`` counts passed ones only;
- honours (:data:`HONOURS`, configurable): GPA at least 3.5, no letter below B-, no retakes, no failure
  (:meth:`models.grading.GradingPolicy.honours`);
- ranking (:func:`rank`): by GPA, highest first; equal GPAs share a rank and the next rank skips
  (1, 2, 2, 4: "competition" ranking), students without a GPA come last, unranked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from models.grading import GradingPolicy, HonoursRule, gpa

HONOURS = HonoursRule(min_gpa=3.5, max_retakes=0, lowest_letter="B-")
"""The default rule of a diploma with honours: GPA 3.5, no letter below B-, no retakes."""
Credits = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]


class StudentInfo(BaseModel):
    """What a document says about the student and their programme (names in the three languages)."""

    model_config = ConfigDict(frozen=True)

    student_id: int
    iin: str
    last_name: str
    first_name: str
    middle_name: str | None = None
    birth_date: dt.date
    programme_code: str
    programme_en: str
    programme_kk: str | None = None
    programme_ru: str | None = None
    level: str = "bachelor"
    programme_credits: int = 240
    admission_year: int
    study_form: str = "full_time"
    funding: str = "state_grant"
    language: str = "kk"
    group: str | None = None
    status: str = "active"

    @property
    def full_name(self) -> str:
        return " ".join(n for n in (self.last_name, self.first_name, self.middle_name) if n)


class ResultLine(BaseModel):
    """One attempt at a discipline: where it sits in the plan, its credits, and its result (``None``: in progress)."""

    model_config = ConfigDict(frozen=True)

    semester: int = Field(ge=1, le=20)
    code: str = Field(min_length=1)
    name_en: str
    name_kk: str | None = None
    name_ru: str | None = None
    credits: Credits
    control: str = "exam"
    attempt: int = Field(1, ge=1)
    percent: float | None = Field(None, ge=0, le=100)
    letter: str | None = None
    points: float | None = Field(None, ge=0)


class AcademicRecord(BaseModel):
    """A student and every attempt at every discipline."""

    model_config = ConfigDict(frozen=True)

    student: StudentInfo
    lines: tuple[ResultLine, ...] = ()


class TranscriptLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    semester: int
    code: str
    name_en: str
    name_kk: str | None
    name_ru: str | None
    credits: float
    ects: float
    control: str
    percent: float | None
    letter: str
    points: float
    passed: bool
    attempts: int


class SemesterSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    semester: int
    credits: float
    ects: float
    gpa: float | None


class Transcript(BaseModel):
    """The counted disciplines by semester, the totals and the cumulative GPA (exact; round only to print)."""

    model_config = ConfigDict(frozen=True)

    student: StudentInfo
    lines: tuple[TranscriptLine, ...]
    semesters: tuple[SemesterSummary, ...]
    attempted_credits: float
    earned_credits: float
    earned_ects: float
    gpa: float | None
    retakes: int
    failed: int
    """Disciplines whose counted attempt failed (academic debt)."""


def build_transcript(record: AcademicRecord, policy: GradingPolicy | None = None,
                     ects_per_credit: float = 1.0) -> Transcript:  # fmt: skip
    """The transcript of ``record`` (see the module doc). ``ValueError`` for a letter not on ``policy``'s scale."""
    policy = policy or GradingPolicy()
    if not ects_per_credit > 0:
        raise ValueError(f"ects_per_credit {ects_per_credit!r} must be positive")
    graded: dict[str, list[ResultLine]] = {}
    for line in record.lines:
        if line.letter is None:
            continue
        policy.band(line.letter)
        graded.setdefault(line.code, []).append(line)
    counted: list[TranscriptLine] = []
    retakes = 0
    for attempts in graded.values():
        attempts.sort(key=lambda a: (a.attempt, a.semester))
        last = attempts[-1]
        retakes += len(attempts) - 1
        assert last.letter is not None
        points = last.points if last.points is not None else policy.band(last.letter).points
        counted.append(TranscriptLine(semester=last.semester, code=last.code, name_en=last.name_en,
                                      name_kk=last.name_kk, name_ru=last.name_ru, credits=last.credits,
                                      ects=round(last.credits * ects_per_credit, 2), control=last.control,
                                      percent=last.percent, letter=last.letter, points=points,
                                      passed=not policy.is_failing(last.letter), attempts=len(attempts)))  # fmt: skip
    counted.sort(key=lambda t: (t.semester, t.code))
    semesters = []
    for semester in sorted({t.semester for t in counted}):
        block = [t for t in counted if t.semester == semester]
        semesters.append(SemesterSummary(semester=semester, credits=sum(t.credits for t in block),
                                         ects=round(sum(t.ects for t in block), 2),
                                         gpa=gpa((t.points, t.credits) for t in block)))  # fmt: skip
    earned = [t for t in counted if t.passed]
    cumulative = gpa((t.points, t.credits) for t in counted)
    return Transcript(student=record.student, lines=tuple(counted), semesters=tuple(semesters),
                      attempted_credits=sum(t.credits for t in counted), earned_credits=sum(t.credits for t in earned),
                      earned_ects=round(sum(t.ects for t in earned), 2), gpa=cumulative, retakes=retakes,
                      failed=len(counted) - len(earned))  # fmt: skip


def honours(transcript: Transcript, policy: GradingPolicy | None = None, rule: HonoursRule = HONOURS) -> bool:
    """Whether the transcript earns a diploma with honours under ``rule`` (no GPA: no honours)."""
    if transcript.gpa is None:
        return False
    policy = (policy or GradingPolicy()).model_copy(update={"honours_rule": rule})
    return policy.honours(transcript.gpa, [t.letter for t in transcript.lines], transcript.retakes)


def rank(entries: Iterable[tuple[int, float | None]]) -> dict[int, int | None]:
    """Id -> rank by GPA (highest first, 1-based, ties share a rank, the next rank skips); no GPA -> ``None``."""
    given = list(entries)
    ranked = sorted(((i, g) for i, g in given if g is not None), key=lambda e: (-e[1], e[0]))
    out: dict[int, int | None] = {i: None for i, g in given if g is None}
    previous: float | None = None
    current = 0
    for position, (entry_id, value) in enumerate(ranked, start=1):
        if value != previous:
            current, previous = position, value
        out[entry_id] = current
    return out
