"""Timetable exports read back: iCalendar parsed with ``icalendar`` (weekly events over the term, in the
university's time zone), Excel with openpyxl (grid and list, conflicts filled), PDF with pdftotext."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from zoneinfo import ZoneInfo

import icalendar
import pytest
from openpyxl import load_workbook
from timetable_samples import LABELS, SESSION_INSTANCE, SESSION_TIMETABLE, WEEK_INSTANCE, WEEK_TIMETABLE

from models import course_scoring, exam_scoring
from models.timetable_view import course_week, exam_session
from service.timetable_exports import (
    Bells,
    Term,
    session_ical,
    session_pdf,
    session_xlsx,
    week_ical,
    week_pdf,
    week_xlsx,
)

ALMATY = ZoneInfo("Asia/Almaty")
TERM = Term(dt.date(2025, 9, 3), dt.date(2025, 12, 20))  # a Wednesday to a Saturday
STAMP = dt.datetime(2025, 8, 1, tzinfo=dt.UTC)


def week():  # type: ignore[no-untyped-def]
    return course_week(WEEK_INSTANCE, WEEK_TIMETABLE, LABELS, course_scoring.score(WEEK_INSTANCE, WEEK_TIMETABLE))


def session():  # type: ignore[no-untyped-def]
    return exam_session(SESSION_INSTANCE, SESSION_TIMETABLE, LABELS,
                        exam_scoring.score(SESSION_INSTANCE, SESSION_TIMETABLE))  # fmt: skip


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_term_of_a_period_ends_before_the_session_week() -> None:
    term = Term.of_period(dt.date(2025, 9, 1), session_first_week=16)
    assert term == Term(dt.date(2025, 9, 1), dt.date(2025, 12, 14))
    assert term.first(0) == dt.date(2025, 9, 1) and term.first(6) == dt.date(2025, 9, 7)
    assert Term(dt.date(2025, 9, 3), dt.date(2025, 9, 4)).first(0) is None
    with pytest.raises(ValueError, match="ends"):
        Term(dt.date(2025, 9, 3), dt.date(2025, 9, 2))


def test_bells_name_the_pair_without_a_time() -> None:
    bells = Bells(starts=(dt.time(8), dt.time(9, 30)), minutes=80)
    assert bells.end(1) == dt.time(10, 50) and bells.label(0) == "1 · 08:00-09:20"
    with pytest.raises(ValueError, match="pair 3 has no start time"):
        bells.start(2)
    with pytest.raises(ValueError, match="at least 1 minute"):
        Bells(minutes=0)


def test_ical_of_a_group_has_one_weekly_event_per_lesson_from_the_first_weekday_of_the_term() -> None:
    data = week_ical(week().of_group("IT-25-1"), TERM, "IT-25-1", stamp=STAMP)
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["X-WR-CALNAME"]) == "IT-25-1"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Almaty"]
    found = {str(e["SUMMARY"]): e for e in events(data)}
    assert set(found) == {"MAT101 Calculus (lecture)", "PHY102 Physics (practice)"}  # MATH twice: two events
    assert len(events(data)) == 3
    monday = next(e for e in events(data) if e.decoded("DTSTART").weekday() == 0)
    assert monday.decoded("DTSTART") == dt.datetime(2025, 9, 8, 8, 30, tzinfo=ALMATY)  # the first Monday
    assert monday.decoded("DTEND") == dt.datetime(2025, 9, 8, 9, 50, tzinfo=ALMATY)
    rule = monday["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["UNTIL"][0] == dt.datetime(2025, 12, 20, 18, 59, 59, tzinfo=dt.UTC)  # 23:59:59 in Almaty
    assert str(monday["LOCATION"]) == "A-101 (main)"
    assert "Abenov A.B." in str(monday["DESCRIPTION"]) and "IT-25-1, IT-25-2" in str(monday["DESCRIPTION"])
    wednesday = next(e for e in events(data) if e.decoded("DTSTART").weekday() == 2)
    assert wednesday.decoded("DTSTART") == dt.datetime(2025, 9, 3, 10, 10, tzinfo=ALMATY)  # the term's first day


def test_ical_uids_are_stable_and_distinct() -> None:
    first = [str(e["UID"]) for e in events(week_ical(week(), TERM, "all", stamp=STAMP))]
    again = [str(e["UID"]) for e in events(week_ical(week(), TERM, "all"))]
    assert first == again and len(set(first)) == 4


def test_ical_of_a_teacher_and_a_room() -> None:
    teacher = {str(e["SUMMARY"]) for e in events(week_ical(week().of_teacher("t2"), TERM, "Serikova A."))}
    assert teacher == {"PHY102 Physics (practice)"}
    room = {str(e["SUMMARY"]) for e in events(week_ical(week().of_room("B-12"), TERM, "B-12"))}
    assert room == {"PHY102 Physics (practice)", "HKZ1101 History of Kazakhstan (lecture)"}


def test_ical_skips_weekdays_outside_a_short_term_and_refuses_pairs_without_a_time() -> None:
    short = Term(dt.date(2025, 9, 1), dt.date(2025, 9, 2))  # Monday and Tuesday only
    assert {e.decoded("DTSTART").weekday() for e in events(week_ical(week(), short, "x"))} == {0, 1}
    with pytest.raises(ValueError, match="pair 4 has no start time"):
        week_ical(week(), TERM, "x", bells=Bells(starts=(dt.time(8), dt.time(9, 30), dt.time(11))))


def test_session_ical_has_one_event_per_exam_at_its_date_and_start() -> None:
    found = {str(e["SUMMARY"]): e for e in events(session_ical(session().of_group("IT-25-1"), "IT-25-1 exams"))}
    assert set(found) == {"Exam: MAT101 Calculus", "Exam: PHY102 Physics"}
    math = found["Exam: MAT101 Calculus"]
    assert math.decoded("DTSTART") == dt.datetime(2026, 1, 12, 9, 0, tzinfo=ALMATY)
    assert math.decoded("DTEND") == dt.datetime(2026, 1, 12, 11, 0, tzinfo=ALMATY)
    assert str(math["LOCATION"]) == "A-101 (main)" and "RRULE" not in math


def test_week_xlsx_grid_and_list() -> None:
    book = load_workbook(io.BytesIO(week_xlsx(week(), "Timetable of IT-25-2")))
    assert book.sheetnames == ["Timetable", "Lessons"]
    grid = book["Timetable"]
    assert grid["A1"].value == "Timetable of IT-25-2"
    assert [grid.cell(row=2, column=c).value for c in range(1, 8)] == [
        "Pair", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]  # fmt: skip
    assert grid["A3"].value == "1 · 08:30-09:50"
    monday_first = grid["B3"].value
    assert "HKZ1101 History of Kazakhstan (lecture)" in monday_first and "MAT101 Calculus" in monday_first
    assert "CONFLICT" in monday_first and grid["B3"].fill.start_color.rgb.endswith("F8D7DA")
    assert grid["C6"].value == "PHY102 Physics (practice)\nSerikova A.\nB-12 (main)\nIT-25-1"
    assert grid["C6"].fill.fill_type is None
    assert grid["B4"].value is None
    rows = list(book["Lessons"].iter_rows(values_only=True))
    assert rows[0][:6] == ("Day", "Pair", "Starts", "Ends", "Course", "Title")
    assert len(rows) == 5
    assert rows[3][:4] == ("Tuesday", 4, "14:00", "15:20")
    assert "MATH and HIST" in rows[1][10]


def test_session_xlsx_grid_by_day_and_period() -> None:
    book = load_workbook(io.BytesIO(session_xlsx(session(), "Winter session")))
    grid = book["Session"]
    assert [grid.cell(row=2, column=c).value for c in range(1, 4)] == ["Day", "1 · 09:00", "2 · 14:00"]
    assert grid["A3"].value == "Monday 2026-01-12" and grid["A4"].value == "Tuesday 2026-01-13"
    assert "CONFLICT" in grid["B3"].value and "MAT101 Calculus" in grid["B3"].value
    assert grid["C4"].value.startswith("HKZ1101 History of Kazakhstan\nB-12 (main)")
    assert len(list(book["Exams"].iter_rows())) == 4


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


@needs_pdftotext
def test_week_pdf_prints_the_grid_with_conflicts() -> None:
    text = pdf_text(week_pdf(week().of_teacher("t1"), "Timetable of Abenov A.B.", "Autumn 2025/2026"))
    for expected in ("Timetable of Abenov A.B.", "Autumn 2025/2026", "Monday", "Saturday", "08:30-09:50",
                     "MAT101 Calculus", "History of", "A-101 (main)", "CONFLICT"):  # fmt: skip
        assert expected in text, expected
    assert "PHY102" not in text


@needs_pdftotext
def test_session_pdf_prints_days_and_exam_periods() -> None:
    text = pdf_text(session_pdf(session().of_room("B-12"), "Exams in room B-12"))
    for expected in ("Exams in room B-12", "2026-01-12", "09:00", "PHY102 Physics", "History of", "CONFLICT"):
        assert expected in text, expected
    assert "MAT101" not in text
