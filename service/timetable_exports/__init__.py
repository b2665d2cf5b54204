"""Timetable exports for a group, a teacher or a room: iCalendar, Excel and a printable PDF.

They read the people's view of a timetable (:class:`models.timetable_view.Week` for lessons,
:class:`models.timetable_view.Session` for an exam session), already narrowed to one group, teacher or
room, plus the calendar:

- **iCalendar** (:func:`week_ical`, RFC 5545 with the ``icalendar`` package): one weekly event per lesson,
  from the first such weekday on or after the term's first day, repeated until its last day (``RRULE
  FREQ=WEEKLY;UNTIL=...``); the pair's start and end from the bell schedule (:class:`Bells`), in the
  university's time zone (``Asia/Almaty`` by default, with its ``VTIMEZONE``); the room as the location,
  the teacher, kind and groups in the description. :func:`session_ical` gives one event per exam at its
  period's date and start, lasting the exam's minutes. A lesson's ``UID`` is stable across exports (course,
  day, pair, room), so a calendar application updates rather than duplicates a re-imported event.
- **Excel** (:func:`week_xlsx`, :func:`session_xlsx`, openpyxl): a sheet with the grid (pairs x days, or
  days x exam periods), one cell per lesson with its title, kind, teacher, room and groups, conflicted
  cells filled red, and a sheet listing every lesson.
- **PDF** (:func:`week_pdf`, :func:`session_pdf`, WeasyPrint): the grid on an A4 landscape page in DejaVu
  Sans (Kazakh and Russian letters), conflicts marked "CONFLICT".

A week starts on Monday (day 0). :class:`Term` is the span of teaching days; for a records period it is
from its first day to the day before its session's first week (:func:`Term.of_period`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from jinja2 import Environment, PackageLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from models.timetable_view import WEEKDAYS, Lesson, Session, Sitting, Week

TIMEZONE = "Asia/Almaty"
"""Kazakhstan's single time zone (UTC+5 since March 2024)."""


@dataclass(frozen=True)
class Bells:
    """When the pairs of a day start (pair 0 first) and how long a pair lasts, in minutes."""

    starts: tuple[dt.time, ...] = tuple(dt.time(h, m) for h, m in ((8, 30), (10, 10), (11, 50), (14, 0), (15, 40),
                                                                      (17, 20), (19, 0), (20, 40)))  # fmt: skip
    """The service's week (:mod:`service.timetabling.instances`) has the first six; 10-minute breaks, a lunch
    break after the third pair."""
    minutes: int = 80

    def __post_init__(self) -> None:
        if self.minutes < 1:
            raise ValueError(f"a pair lasts at least 1 minute, got {self.minutes}")

    def start(self, pair: int) -> dt.time:
        if not 0 <= pair < len(self.starts):
            raise ValueError(f"pair {pair + 1} has no start time: the bell schedule has {len(self.starts)} pairs")
        return self.starts[pair]

    def end(self, pair: int) -> dt.time:
        start = dt.datetime.combine(dt.date(2000, 1, 1), self.start(pair))
        return (start + dt.timedelta(minutes=self.minutes)).time()

    def label(self, pair: int) -> str:
        """``"1 · 08:30-09:50"`` (pairs counted from 1 for people)."""
        if pair >= len(self.starts):
            return str(pair + 1)
        return f"{pair + 1} · {self.start(pair):%H:%M}-{self.end(pair):%H:%M}"


BELLS = Bells()


@dataclass(frozen=True)
class Term:
    """The teaching days of a period: lessons repeat weekly from ``first_day`` to ``last_day`` inclusive."""

    first_day: dt.date
    last_day: dt.date

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError(f"the term ends ({self.last_day}) before it starts ({self.first_day})")

    @classmethod
    def of_period(cls, starts_on: dt.date, session_first_week: int) -> Term:
        """From a records period: its first day to the day before its session's first week (weeks from 1)."""
        last = starts_on + dt.timedelta(weeks=max(session_first_week - 1, 1)) - dt.timedelta(days=1)
        return cls(starts_on, last)

    def first(self, weekday: int) -> dt.date | None:
        """The first date of the term falling on ``weekday`` (0 Monday), ``None`` if the term has none."""
        date = self.first_day + dt.timedelta(days=(weekday - self.first_day.weekday()) % 7)
        return date if date <= self.last_day else None


def _calendar(title: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//registrar//timetable export//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-timezone", TIMEZONE)
    return calendar


def _uid(*parts: object) -> str:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:24]
    return f"{digest}@registrar"


def _lesson_text(lesson: Lesson) -> str:
    lines = [f"{lesson.kind}, {lesson.teacher_name}", f"room {lesson.room_name}"]
    if lesson.groups:
        lines.append("groups: " + ", ".join(lesson.groups))
    return "\n".join(lines)


def week_ical(week: Week, term: Term, title: str, bells: Bells = BELLS, timezone: str = TIMEZONE,
              stamp: dt.datetime | None = None) -> bytes:  # fmt: skip
    """The lessons of ``week`` as weekly iCalendar events over ``term`` (see the module docstring).

    ``stamp`` is every event's ``DTSTAMP`` (default: now, UTC). Raises :class:`ValueError` for a pair the
    bell schedule has no time for. A weekday that never falls inside the term gives no event.
    """
    zone = ZoneInfo(timezone)
    stamp = stamp or dt.datetime.now(dt.UTC)
    until = dt.datetime.combine(term.last_day, dt.time(23, 59, 59), zone).astimezone(dt.UTC)
    calendar = _calendar(title)
    for lesson in week.lessons:
        first = term.first(lesson.day)
        if first is None:
            continue
        event = icalendar.Event()
        event.add("uid", _uid(lesson.course, lesson.day, lesson.pair, lesson.room))
        event.add("dtstamp", stamp)
        event.add("summary", f"{lesson.title} ({lesson.kind})")
        event.add("dtstart", dt.datetime.combine(first, bells.start(lesson.pair), zone))
        event.add("dtend", dt.datetime.combine(first, bells.end(lesson.pair), zone))
        event.add("rrule", {"freq": "weekly", "until": until})
        event.add("location", lesson.room_name)
        event.add("description", _lesson_text(lesson))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def session_ical(session: Session, title: str, timezone: str = TIMEZONE, stamp: dt.datetime | None = None) -> bytes:
    """The exams of ``session`` as iCalendar events; an exam whose period has no date or start is left out."""
    zone = ZoneInfo(timezone)
    stamp = stamp or dt.datetime.now(dt.UTC)
    calendar = _calendar(title)
    for sitting in session.sittings:
        if sitting.date is None or sitting.start is None:
            continue
        start = dt.datetime.combine(sitting.date, sitting.start, zone)
        event = icalendar.Event()
        event.add("uid", _uid("exam", sitting.exam, sitting.period, sitting.room))
        event.add("dtstamp", stamp)
        event.add("summary", f"Exam: {sitting.title}")
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=max(sitting.minutes, 1)))
        if sitting.room_name:
            event.add("location", sitting.room_name)
        event.add("description", _sitting_text(sitting))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _sitting_text(sitting: Sitting) -> str:
    lines = []
    if sitting.examiner_name:
        lines.append(f"examiner {sitting.examiner_name}")
    if sitting.room_name:
        lines.append(f"room {sitting.room_name}")
    if sitting.groups:
        lines.append("groups: " + ", ".join(sitting.groups))
    lines.append(f"{sitting.students} students")
    return "\n".join(lines)


# --- Excel --------------------------------------------------------------------------------------

CONFLICT_FILL = PatternFill("solid", start_color="F8D7DA", end_color="F8D7DA")
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _cell_text(lessons: Sequence[Lesson]) -> str:
    parts = []
    for lesson in lessons:
        text = f"{lesson.title} ({lesson.kind})\n{lesson.teacher_name}\n{lesson.room_name}"
        if lesson.groups:
            text += "\n" + ", ".join(lesson.groups)
        if lesson.conflicted:
            text += "\nCONFLICT"
        parts.append(text)
    return "\n\n".join(parts)


def _save(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def week_xlsx(week: Week, title: str, bells: Bells = BELLS) -> bytes:
    """The week as an Excel workbook: sheet "Timetable" (pairs x days) and sheet "Lessons" (one row each)."""
    workbook = Workbook()
    grid = workbook.active
    grid.title = "Timetable"
    grid["A1"] = title
    grid["A1"].font = Font(bold=True, size=13)
    grid.cell(row=2, column=1, value="Pair").font = HEADER_FONT
    for day in range(week.days):
        cell = grid.cell(row=2, column=day + 2, value=WEEKDAYS[day % 7])
        cell.font = HEADER_FONT
        grid.column_dimensions[get_column_letter(day + 2)].width = 28
    grid.column_dimensions["A"].width = 16
    for pair, row in enumerate(week.grid()):
        grid.cell(row=pair + 3, column=1, value=bells.label(pair)).alignment = WRAP
        for day, lessons in enumerate(row):
            cell = grid.cell(row=pair + 3, column=day + 2, value=_cell_text(lessons) or None)
            cell.alignment = WRAP
            if any(lesson.conflicted for lesson in lessons):
                cell.fill = CONFLICT_FILL
    grid.freeze_panes = "B3"
    rows = workbook.create_sheet("Lessons")
    header = ["Day", "Pair", "Starts", "Ends", "Course", "Title", "Kind", "Teacher", "Room", "Groups", "Problems"]
    rows.append(header)
    for cell in rows[1]:
        cell.font = HEADER_FONT
    for lesson in week.lessons:
        timed = lesson.pair < len(bells.starts)
        rows.append([
            WEEKDAYS[lesson.day % 7], lesson.pair + 1,
            bells.start(lesson.pair).strftime("%H:%M") if timed else None,
            bells.end(lesson.pair).strftime("%H:%M") if timed else None,
            lesson.course, lesson.title, lesson.kind, lesson.teacher_name, lesson.room_name,
            ", ".join(lesson.groups), "; ".join(lesson.problems),
        ])  # fmt: skip
    return _save(workbook)


def _day_label(session: Session, day: int) -> str:
    date = session.dates[day]
    return f"{WEEKDAYS[date.weekday()]} {date.isoformat()}" if date else f"Day {day + 1}"


def _slot_label(session: Session, slot: int) -> str:
    start = session.starts[slot] if slot < len(session.starts) else None
    return f"{slot + 1} · {start:%H:%M}" if start else str(slot + 1)


def _sitting_cell(sittings: Sequence[Sitting]) -> str:
    parts = []
    for s in sittings:
        text = f"{s.title}\n{s.room_name}" + (f"\n{s.examiner_name}" if s.examiner_name else "")
        if s.groups:
            text += "\n" + ", ".join(s.groups)
        if s.conflicted:
            text += "\nCONFLICT"
        parts.append(text)
    return "\n\n".join(parts)


def session_xlsx(session: Session, title: str) -> bytes:
    """The exam session as an Excel workbook: sheet "Session" (days x exam periods) and sheet "Exams"."""
    workbook = Workbook()
    grid = workbook.active
    grid.title = "Session"
    grid["A1"] = title
    grid["A1"].font = Font(bold=True, size=13)
    grid.cell(row=2, column=1, value="Day").font = HEADER_FONT
    grid.column_dimensions["A"].width = 22
    for slot in range(session.slots):
        grid.cell(row=2, column=slot + 2, value=_slot_label(session, slot)).font = HEADER_FONT
        grid.column_dimensions[get_column_letter(slot + 2)].width = 30
    for day, row in enumerate(session.grid()):
        grid.cell(row=day + 3, column=1, value=_day_label(session, day))
        for slot, sittings in enumerate(row):
            cell = grid.cell(row=day + 3, column=slot + 2, value=_sitting_cell(sittings) or None)
            cell.alignment = WRAP
            if any(s.conflicted for s in sittings):
                cell.fill = CONFLICT_FILL
    rows = workbook.create_sheet("Exams")
    rows.append(["Date", "Starts", "Minutes", "Exam", "Title", "Room", "Examiner", "Groups", "Students", "Problems"])
    for cell in rows[1]:
        cell.font = HEADER_FONT
    for s in session.sittings:
        rows.append([s.date, s.start.strftime("%H:%M") if s.start else None, s.minutes, s.exam, s.title, s.room_name,
                     s.examiner_name, ", ".join(s.groups), s.students, "; ".join(s.problems)])  # fmt: skip
    return _save(workbook)


# --- PDF ----------------------------------------------------------------------------------------

_templates = Environment(loader=PackageLoader("service.timetable_exports", "templates"),
                         autoescape=select_autoescape(["html"]))  # fmt: skip


def week_html(week: Week, title: str, subtitle: str = "", bells: Bells = BELLS) -> str:
    """The printable page of ``week`` (what :func:`week_pdf` renders)."""
    context: dict[str, Any] = {"title": title, "subtitle": subtitle, "kind": "week",
                               "columns": [WEEKDAYS[d % 7] for d in range(week.days)],
                               "rows": [(bells.label(p), cells) for p, cells in enumerate(week.grid())],
                               "problems": week.problems}  # fmt: skip
    return _templates.get_template("timetable.html").render(**context)


def session_html(session: Session, title: str, subtitle: str = "") -> str:
    """The printable page of ``session`` (what :func:`session_pdf` renders)."""
    context: dict[str, Any] = {"title": title, "subtitle": subtitle, "kind": "session",
                               "columns": [_slot_label(session, s) for s in range(session.slots)],
                               "rows": [(_day_label(session, d), cells) for d, cells in enumerate(session.grid())],
                               "problems": session.problems}  # fmt: skip
    return _templates.get_template("timetable.html").render(**context)


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: loading WeasyPrint takes a while and only PDFs need it

    return bytes(HTML(string=html).write_pdf())


def week_pdf(week: Week, title: str, subtitle: str = "", bells: Bells = BELLS) -> bytes:
    """The week as a one-page (A4 landscape) PDF grid."""
    return _pdf(week_html(week, title, subtitle, bells))


def session_pdf(session: Session, title: str, subtitle: str = "") -> bytes:
    """The exam session as an A4 landscape PDF grid."""
    return _pdf(session_html(session, title, subtitle))
