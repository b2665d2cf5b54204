"""What each kind of document says, as a JSON snapshot kept with the issued document.

Rules (409 when the student does not qualify, 422 for a bad date):

- certificate of study on a day: the student is ``active`` on that day (by the status history of the orders
  when there is one, else the current status), the day is not in the future; it states the year of study,
  the programme, the form of study and the funding on that day;
- student card: an ``active`` student; valid until 31 August of the year the programme ends
  (admission year + the programme's years, 60 credits a year);
- transcript: any student; every counted discipline with credits, ECTS, percent, letter and points, GPA
  (:func:`models.transcript.build_transcript`, the grading policy in force);
- academic certificate: a student who left before graduating (``expelled``): the transcript and the day and
  order of leaving;
- diploma supplement: a ``graduated`` student: the eight sections of the European format with the transcript
  in section 4.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from models.grading import GradingPolicy, display_gpa
from models.transcript import Transcript, build_transcript, honours
from service.contingent.history import entry_on, history_of, programme_years
from service.documents.results import academic_record, student_info
from service.errors import Conflict, Unprocessable
from service.models import Programme, Student, StudentState

DEFAULT_UNIVERSITY = {"en": "University", "kk": "Университет", "ru": "Университет"}


def university() -> dict[str, str]:
    """The university's name in the three languages (config ``UNIVERSITY_NAME``)."""
    configured = current_app.config.get("UNIVERSITY_NAME") if has_app_context() else None
    return dict(configured or DEFAULT_UNIVERSITY)


def grading_policy(db: Session) -> GradingPolicy:
    """The grading policy in force (the grades area's stored policy when there is one, else the defaults)."""
    try:
        from service.academic.settings import grading_policy as stored  # type: ignore[import-not-found]
    except ImportError:
        return GradingPolicy()
    policy: GradingPolicy = stored(db)
    return policy


def transcript_of(db: Session, student: Student) -> Transcript:
    return build_transcript(academic_record(db, student), grading_policy(db))


def transcript_data(transcript: Transcript) -> dict[str, Any]:
    data = transcript.model_dump(mode="json")
    data["gpa_display"] = display_gpa(transcript.gpa) if transcript.gpa is not None else None
    for semester in data["semesters"]:
        semester["gpa_display"] = display_gpa(semester["gpa"]) if semester["gpa"] is not None else None
    return data


def year_of_study(admission_year: int, on: dt.date, years: int) -> int:
    """The year of study on ``on`` of a student admitted in ``admission_year`` (years begin on 1 September)."""
    year = on.year - admission_year + (1 if on.month >= 9 else 0)
    return min(max(year, 1), years)


def study_certificate(db: Session, student: Student, on: dt.date, today: dt.date) -> dict[str, Any]:
    if on > today:
        raise Unprocessable(f"{on} is in the future: a certificate states what is, not what will be", field="on")
    programme = db.get(Programme, student.programme_id)
    assert programme is not None
    years = programme_years(programme.credits)
    entries = history_of(db, student.id)
    status, year, programme_id, form, funding = (student.status, year_of_study(student.admission_year, on, years),
                                                 student.programme_id, student.study_form, student.funding)  # fmt: skip
    if entries:
        entry = entry_on(entries, on)
        if entry is None:
            raise Conflict(f"student {student.id} was not yet a student on {on}", field="on")
        status, year, programme_id = entry.status, entry.year_of_study, entry.programme_id
        form, funding = entry.study_form, entry.funding
    if status != "active":
        raise Conflict(f"student {student.id} is {status} on {on}: a certificate of study is for active students",
                       field="on")  # fmt: skip
    info = student_info(db, student).model_dump(mode="json")
    if programme_id != student.programme_id:
        other = db.get(Programme, programme_id)
        assert other is not None
        info |= {"programme_code": other.code, "programme_en": other.name_en, "programme_kk": other.name_kk,
                 "programme_ru": other.name_ru}  # fmt: skip
    return {"university": university(), "student": info, "on": on.isoformat(), "year_of_study": year,
            "study_form": form, "funding": funding}  # fmt: skip


def student_card(db: Session, student: Student) -> dict[str, Any]:
    if student.status != "active":
        raise Conflict(f"student {student.id} is {student.status}: a student card is for active students")
    info = student_info(db, student)
    ends = student.admission_year + programme_years(info.programme_credits)
    return {"university": university(), "student": info.model_dump(mode="json"),
            "valid_until": dt.date(ends, 8, 31).isoformat()}  # fmt: skip


def transcript_document(db: Session, student: Student) -> dict[str, Any]:
    return {"university": university(), "transcript": transcript_data(transcript_of(db, student))}


def leaving_entry(db: Session, student: Student) -> StudentState | None:
    entries = history_of(db, student.id)
    return entries[-1] if entries else None


def academic_certificate(db: Session, student: Student) -> dict[str, Any]:
    if student.status != "expelled":
        raise Conflict(f"student {student.id} is {student.status}: an academic certificate is for a student who "
                       "left before graduating (expelled); a current student gets a transcript")  # fmt: skip
    data = transcript_document(db, student)
    entry = leaving_entry(db, student)
    order = entry.item.order if entry is not None and entry.item is not None else None
    data["left_on"] = entry.effective_on.isoformat() if entry is not None else None
    data["order"] = ({"number": f"{order.sequence}", "kind": order.kind, "date": order.date.isoformat()}
                     if order is not None else None)  # fmt: skip
    return data


def diploma_supplement(db: Session, student: Student) -> dict[str, Any]:
    """The eight sections of the diploma supplement (European format), filled from the records; honours by the
    rule in force (:func:`service.graduation.honours_rule`)."""
    from service.graduation import honours_rule  # it builds on this module

    if student.status != "graduated":
        raise Conflict(f"student {student.id} is {student.status}: a diploma supplement is for graduates")
    transcript = transcript_of(db, student)
    info, policy, printed = transcript.student, grading_policy(db), transcript_data(transcript)
    names = university()
    years = programme_years(info.programme_credits)
    return {"university": names, "transcript": printed, "sections": {
        "1_holder": {"family_name": info.last_name, "given_names": " ".join(n for n in (info.first_name,
                     info.middle_name) if n), "date_of_birth": info.birth_date.isoformat(), "iin": info.iin},
        "2_qualification": {"programme_code": info.programme_code, "programme": info.programme_en,
                            "level": info.level, "awarding_institution": names["en"],
                            "language_of_instruction": info.language},
        "3_level": {"level": info.level, "official_length_years": years, "credits": info.programme_credits},
        "4_contents_and_results": {"mode_of_study": info.study_form, "credits_earned": transcript.earned_credits,
                                   "ects_earned": transcript.earned_ects, "gpa": printed["gpa_display"],
                                   "with_honours": honours(transcript, policy, honours_rule(db)),
                                   "grading_scale": [b.model_dump() for b in policy.bands]},
        "5_function": {"access_to_further_study": "master's programmes" if info.level == "bachelor" else
                       "doctoral programmes"},
        "6_additional_information": {"admission_year": info.admission_year},
        "7_certification": {"issued_by": names["en"]},
        "8_national_system": {"description": "Higher education in Kazakhstan: bachelor's (240 credits, 4 years), "
                              "master's and doctoral programmes in the credit system (1 credit = 30 academic hours "
                              "= 1 ECTS)."},
    }}  # fmt: skip
