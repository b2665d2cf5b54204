"""Standing: GPA, rankings and the transfer list, computed in SQL over the enrolments (one table).

Which results count (the same rule for a period, an academic year and the whole study): every graded
enrolment of the periods considered, except one whose retake was graded within those periods, so each
discipline counts once with its latest result there. A failure (FX, F, not admitted) counts with 0
points until a retake replaces it; a period's GPA is its own results (a retake always comes in a later
period). GPA = sum(points x credits) / sum(credits), exact: grade points are stored in hundredths, so
``weighted = sum(points_hundredths x credits)`` and ``GPA = weighted / (100 x credits)`` are integers.

Rankings order students by that GPA, highest first; equal GPAs share a rank (1, 1, 3) and are listed by last
name, first name and id. The graduation ranking (:func:`service.graduation.standings`, from the transcripts)
follows the same rule. The year of
study is counted from the admission year in an academic year (:func:`models.registration_rules.year_of_study`).
The SQL ranks are over the students selected (e.g. one programme's), by GPA as a double (ratios of
integers this small never collide in a double).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import ColumnElement, Float, Select, cast, exists, func, literal, select
from sqlalchemy.orm import Session, aliased

from models.grading import GradingPolicy, display_gpa
from service.clock import today
from service.errors import Unprocessable
from service.models import AcademicGroup, AcademicYear, Enrolment, Period, Programme, Student
from service.schemas.common import Page
from service.schemas.standing import RankingQuery, RankingRow, TransferQuery, TransferReason, TransferRow


@dataclass(frozen=True)
class Totals:
    """A student's counted results: ``weighted`` = sum(points x 100 x credits), ``credits`` = sum(credits)."""

    weighted: int
    credits: int

    @property
    def gpa(self) -> Fraction:
        return Fraction(self.weighted, 100 * self.credits)


def periods_where(condition: ColumnElement[bool] | None) -> Select[tuple[int]] | None:
    """The ids of the periods satisfying ``condition`` (``None``: every period, no restriction)."""
    return None if condition is None else select(Period.id).where(condition)


def totals_query(periods: Select[tuple[int]] | None = None) -> Select[tuple[int, int, int]]:
    """``(student_id, weighted, credits)`` of the counted results of the ``periods`` (module rule)."""
    e, retake = aliased(Enrolment), aliased(Enrolment)
    retaken = exists().where(retake.retake_of_id == e.id, retake.letter.is_not(None))
    conditions = [e.letter.is_not(None)]
    if periods is not None:
        conditions.append(e.period_id.in_(periods))
        retaken = retaken.where(retake.period_id.in_(periods))
    return (
        select(
            e.student_id,
            func.sum(e.points_hundredths * e.credits).label("weighted"),
            func.sum(e.credits).label("credits"),
        )
        .where(*conditions, ~retaken)
        .group_by(e.student_id)
    )


def totals(db: Session, periods: Select[tuple[int]] | None = None,
           students: Sequence[int] | None = None) -> dict[int, Totals]:  # fmt: skip
    """Student id -> :class:`Totals` of the counted results (students with none are absent)."""
    query = totals_query(periods)
    if students is not None:
        query = query.where(query.selected_columns.student_id.in_(students))
    return {sid: Totals(int(w), int(c)) for sid, w, c in db.execute(query) if c}


def standings_query(periods: Select[tuple[int]] | None, start_year: int,
                    population: Sequence[ColumnElement[bool]] = ()) -> Select[Any]:  # fmt: skip
    """Every selected student with counted results: GPA totals and ranks in group, programme and year of study.

    Columns: ``student_id, last_name, first_name, group_id, programme_id, year_of_study, weighted, credits,
    rank_group, rank_programme, rank_year``; ``start_year`` is the academic year that fixes the year of
    study; ``population`` conditions on :class:`Student` choose who is ranked (e.g. active students of a
    programme).
    """
    t = totals_query(periods).subquery("totals")
    gpa = cast(t.c.weighted, Float) / cast(t.c.credits, Float)
    year = (literal(start_year) - Student.admission_year + 1).label("year_of_study")
    order = gpa.desc()
    return (
        select(
            Student.id.label("student_id"),
            Student.last_name,
            Student.first_name,
            Student.group_id,
            Student.programme_id,
            year,
            t.c.weighted,
            t.c.credits,
            func.rank().over(partition_by=Student.group_id, order_by=order).label("rank_group"),
            func.rank().over(partition_by=Student.programme_id, order_by=order).label("rank_programme"),
            func.rank()
            .over(partition_by=literal(start_year) - Student.admission_year, order_by=order)
            .label("rank_year"),
        )
        .join(t, t.c.student_id == Student.id)
        .where(*population)
    )


def open_debts_query(periods: Select[tuple[int]] | None = None) -> Select[tuple[int, int]]:
    """``(student_id, debts)``: disciplines whose latest graded attempt in the periods failed."""
    e, retake = aliased(Enrolment), aliased(Enrolment)
    retaken = exists().where(retake.retake_of_id == e.id, retake.letter.is_not(None))
    conditions = [e.outcome.is_not(None), e.outcome != "passed"]
    if periods is not None:
        conditions.append(e.period_id.in_(periods))
        retaken = retaken.where(retake.period_id.in_(periods))
    return (
        select(e.student_id, func.count(func.distinct(e.plan_discipline_id)).label("debts"))
        .where(*conditions, ~retaken)
        .group_by(e.student_id)
    )


# --- the API's views ------------------------------------------------------------------------------


def academic_year(db: Session, academic_year_id: int | None, field: str = "academic_year_id") -> AcademicYear | None:
    """The given academic year (422 naming ``field`` if unknown), or the latest one (``None`` if there is none)."""
    if academic_year_id is None:
        return db.scalar(select(AcademicYear).order_by(AcademicYear.start_year.desc()).limit(1))
    year = db.get(AcademicYear, academic_year_id) if 0 < academic_year_id < 2**31 else None
    if year is None:
        raise Unprocessable(f"no academic year with id {academic_year_id}", field=field)
    return year


def exists_or_422(db: Session, model: type[Any], record_id: int, field: str) -> Any:
    row = db.get(model, record_id) if 0 < record_id < 2**31 else None
    if row is None:
        raise Unprocessable(f"no {getattr(model, 'label', model.__name__)} with id {record_id}", field=field)
    return row


SCOPE_ID = {"group": "group_id", "programme": "programme_id", "year": "year_of_study"}


def rankings(db: Session, query: RankingQuery) -> Page[RankingRow]:
    """One page of the ranking that ``query`` asks for (see :class:`RankingQuery`), best first."""
    needed = SCOPE_ID[query.scope]
    if getattr(query, needed) is None:
        raise Unprocessable(f"scope {query.scope} needs {needed}", field=needed)
    year = academic_year(db, query.academic_year_id)
    start_year = year.start_year if year is not None else today().year
    if query.period_id is not None:
        exists_or_422(db, Period, query.period_id, "period_id")
        periods = periods_where(Period.id == query.period_id)
    elif query.academic_year_id is not None and year is not None:
        periods = periods_where(Period.starts_on <= year.ends_on)
    else:
        periods = None
    population: list[ColumnElement[bool]] = [Student.status == query.status]
    if query.scope == "group":
        exists_or_422(db, AcademicGroup, query.group_id, "group_id")  # type: ignore[arg-type]
        population.append(Student.group_id == query.group_id)
    elif query.scope == "programme":
        exists_or_422(db, Programme, query.programme_id, "programme_id")  # type: ignore[arg-type]
        population.append(Student.programme_id == query.programme_id)
    else:
        population.append(literal(start_year) - Student.admission_year + 1 == query.year_of_study)
    ranked = standings_query(periods, start_year, population).subquery("ranked")
    rank = ranked.c[f"rank_{query.scope}"]
    total = db.scalar(select(func.count()).select_from(ranked)) or 0
    rows = db.execute(
        select(ranked, rank.label("rank"))
        .order_by(rank, ranked.c.last_name, ranked.c.first_name, ranked.c.student_id)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).mappings()
    items = []
    for row in rows:
        value = Totals(int(row["weighted"]), int(row["credits"])).gpa
        items.append(
            RankingRow(
                rank=row["rank"],
                student_id=row["student_id"],
                last_name=row["last_name"],
                first_name=row["first_name"],
                group_id=row["group_id"],
                programme_id=row["programme_id"],
                year_of_study=row["year_of_study"],
                credits=row["credits"],
                gpa=float(value),
                gpa_display=display_gpa(value),
            )
        )
    return Page[RankingRow](items=items, total=total, page=query.page, per_page=query.per_page)


def transfer_list(db: Session, policy: GradingPolicy, query: TransferQuery) -> Page[TransferRow]:
    """Active students of the academic year who may not move to the next year of study.

    A student is listed when the year's GPA (the periods of the academic year, summer included) is
    below the transfer threshold of their level and year (:meth:`GradingPolicy.may_transfer`), or is
    missing (no graded result in the year), or when disciplines are still owed at the end of the year.
    Years without a configured threshold (e.g. the final year) are not listed.
    """
    year = academic_year(db, query.academic_year_id)
    assert year is not None  # the id is required by the query
    in_year = periods_where(Period.academic_year_id == year.id)
    up_to_year = periods_where(Period.starts_on <= year.ends_on)
    t = totals_query(in_year).subquery("totals")
    d = open_debts_query(up_to_year).subquery("debts")
    conditions: list[ColumnElement[bool]] = [Student.status == "active", Student.admission_year <= year.start_year]
    for name in ("programme_id", "group_id"):
        value = getattr(query, name)
        if value is not None:
            conditions.append(getattr(Student, name) == value)
    if query.faculty_id is not None:
        conditions.append(Programme.faculty_id == query.faculty_id)
    rows = db.execute(
        select(Student, Programme.level, t.c.weighted, t.c.credits, d.c.debts)
        .join(Programme, Programme.id == Student.programme_id)
        .outerjoin(t, t.c.student_id == Student.id)
        .outerjoin(d, d.c.student_id == Student.id)
        .where(*conditions)
        .order_by(Student.programme_id, Student.group_id, Student.last_name, Student.first_name, Student.id)
    ).all()
    listed = []
    for student, level, weighted, credits, owed in rows:
        study_year = year.start_year - student.admission_year + 1
        try:
            threshold = policy.transfer_threshold(study_year, level)
        except ValueError:
            continue
        value = Totals(int(weighted), int(credits)).gpa if credits else None
        reasons: list[TransferReason] = []
        if value is None or not policy.may_transfer(study_year, value, level):
            reasons.append("gpa")
        if owed:
            reasons.append("debt")
        if not reasons or (query.reason is not None and query.reason not in reasons):
            continue
        listed.append(
            TransferRow(
                student_id=student.id,
                last_name=student.last_name,
                first_name=student.first_name,
                group_id=student.group_id,
                programme_id=student.programme_id,
                level=level,
                year_of_study=study_year,
                credits=int(credits or 0),
                gpa=None if value is None else float(value),
                gpa_display=None if value is None else display_gpa(value),
                threshold=threshold,
                debts=int(owed or 0),
                reasons=reasons,
            )
        )
    start = (query.page - 1) * query.per_page
    return Page[TransferRow](items=listed[start : start + query.per_page], total=len(listed), page=query.page,
                             per_page=query.per_page)  # fmt: skip
