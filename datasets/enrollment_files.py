"""Enrollment results, section rules and formed sections as CSV and Excel files (pandas + openpyxl).

Files (column names are case-insensitive; extra columns are ignored; ``.csv`` is UTF-8, a BOM is
allowed; ``.xlsx`` is read from its first sheet):

- **enrollments**: one row per registration: ``student, programme, year, language, discipline``,
  optional ``group`` (the current academic group) and ``discipline_name``. A student's programme,
  year, language and group must agree on all their rows; a discipline's name likewise. Languages
  are ``kk``, ``ru``, ``en`` (also ``kz``/``kaz``, ``rus``, ``eng``, any case).
- **rules**: one row per discipline and kind: ``discipline, kind, capacity`` and optional
  ``min_size`` (default 1), ``mix_languages`` (yes/no, default no), ``lessons`` (weekly lessons,
  default 1; ``0``: the discipline has no lessons of this kind), ``room_type``. Discipline ``*``
  gives the default for every discipline without its own row for that kind. A ``.json`` rules
  file holds a :class:`~models.enrollment.RuleBook`.
- **sections** (written by :func:`write_grouping` into a folder): ``sections.csv`` (``section,
  discipline, kind, parent, language, students``), ``assignments.csv`` (``student, discipline,
  kind, section``: the student lists) and ``sections.xlsx`` with both as sheets (the student sheet
  adds programme, group and language). :func:`read_grouping` reads the two CSV files back;
  :func:`grouping_file` gives any of the three as bytes (a download).
- **intake**: ``student, programme, language`` and any attribute columns (``funding``, ``gender``...);
  :func:`write_intake_groups` writes ``groups.csv`` and ``students.csv``.
- **rooms**: ``room, capacity`` and optional ``type``, ``building``.

Every reader reports all bad rows it finds (up to :data:`MAX_ERRORS`) in one
:class:`~datasets.text_lines.FormatError`, each as ``row N: ...`` with N the spreadsheet row
(the header is row 1). Writers replace files atomically (a temporary file renamed over the target).
"""

from __future__ import annotations

import io
import json
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from pydantic import ValidationError

from datasets.text_lines import FormatError
from models.course_instance import LessonKind, Room
from models.enrollment import (
    KIND_ORDER,
    EnrollmentError,
    EnrollmentInstance,
    RuleBook,
    SectionRule,
    Student,
    build_instance,
)
from models.groups import Grouping, Move, Section
from models.groups_intake import Applicant, IntakeGrouping, IntakeInstance

MAX_ERRORS = 20
"""Bad rows listed in one error message."""
TABLE_SUFFIXES = (".csv", ".xlsx")
LANGUAGE_ALIASES = {"kk": "kk", "kz": "kk", "kaz": "kk", "ru": "ru", "rus": "ru", "en": "en", "eng": "en"}
YES = {"yes", "y", "true", "1", "да"}
NO = {"no", "n", "false", "0", "", "нет"}

ENROLLMENT_COLUMNS = ("student", "programme", "year", "language", "discipline")
RULE_COLUMNS = ("discipline", "kind", "capacity")
SECTION_COLUMNS = ("section", "discipline", "kind", "parent", "language", "students")
ASSIGNMENT_COLUMNS = ("student", "discipline", "kind", "section")
ROOM_COLUMNS = ("room", "capacity")
GROUPING_FILES = ("sections.csv", "assignments.csv", "sections.xlsx")
"""The files :func:`write_grouping` writes (and :func:`grouping_file` gives as bytes)."""


# --------------------------------------------------------------------------- tables


@dataclass
class Table:
    """Rows of a CSV or Excel file as strings, with the spreadsheet row number of each (header = 1)."""

    path: Path
    rows: list[dict[str, str]]
    columns: list[str]

    def numbered(self) -> Iterable[tuple[int, dict[str, str]]]:
        return ((n + 2, row) for n, row in enumerate(self.rows))


class RowErrors:
    """Collects ``row N: message`` lines; :meth:`check` raises them together as one :class:`FormatError`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: list[tuple[int, str]] = []

    def add(self, row: int, message: str) -> None:
        self.lines.append((row, message))

    def check(self) -> None:
        if not self.lines:
            return
        shown = [f"row {n}: {message}" for n, message in self.lines[:MAX_ERRORS]]
        more = f"\n  ... and {len(self.lines) - MAX_ERRORS} more" if len(self.lines) > MAX_ERRORS else ""
        raise FormatError(self.path, None, f"{len(self.lines)} bad row(s):\n  " + "\n  ".join(shown) + more)


def read_table(path: str | Path, required: Iterable[str], what: str) -> Table:
    """A ``.csv`` or ``.xlsx`` file as string rows; :class:`FormatError` if it cannot be read or lacks
    a required column (names compared case-insensitively, surrounding spaces ignored)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise FormatError(path, None, f"unknown {what} file type {path.suffix or '(none)'!r}: expected .csv or .xlsx")
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skip_blank_lines=True)
        else:
            frame = pd.read_excel(path, dtype=str, sheet_name=0, engine="openpyxl").fillna("")
    except FileNotFoundError:
        raise FormatError(path, None, f"{what} file does not exist") from None
    except UnicodeDecodeError as err:
        raise FormatError(path, None, f"not a UTF-8 text file ({err.reason})") from None
    except pd.errors.EmptyDataError:
        raise FormatError(path, None, f"empty {what} file: expected a header row") from None
    except (pd.errors.ParserError, ValueError, OSError, KeyError) as err:
        raise FormatError(path, None, f"cannot read the {what} file: {str(err).strip().splitlines()[0]}") from None
    except Exception as err:  # openpyxl raises its own (zipfile, xml) errors for a corrupt workbook
        raise FormatError(path, None, f"cannot read the {what} file as a workbook: {err}") from None
    columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in required if c not in columns]
    if missing:
        found = ", ".join(columns) or "none"
        raise FormatError(path, 1, f"missing column(s) {', '.join(missing)} (found: {found})")
    frame.columns = columns
    rows = [{k: _cell(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
    return Table(path, rows, columns)


def _cell(value: object) -> str:
    text = "" if value is None else str(value).strip()
    if text.endswith(".0") and text[:-2].lstrip("-").isdigit():
        text = text[:-2]  # a whole number stored as a float in a workbook
    return text


def _whole(text: str, name: str, low: int, high: int | None = None) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name} {text!r} is not a whole number") from None
    if value < low or (high is not None and value > high):
        bound = f"{low}..{high}" if high is not None else f"at least {low}"
        raise ValueError(f"{name} {value} is out of range ({bound})")
    return value


def _language(text: str) -> str:
    language = LANGUAGE_ALIASES.get(text.lower())
    if language is None:
        raise ValueError(f"language {text!r} is not one of kk, ru, en")
    return language


def _flag(text: str, name: str) -> bool:
    if text.lower() in YES:
        return True
    if text.lower() in NO:
        return False
    raise ValueError(f"{name} {text!r} is not yes or no")


# --------------------------------------------------------------------------- enrollments


def read_enrollments(path: str | Path, rules: RuleBook, name: str | None = None) -> EnrollmentInstance:
    """Enrollment results with ``rules`` applied; :class:`FormatError` listing every bad row.

    A discipline whose resolved rules are invalid (e.g. a practice capacity above the lecture
    capacity) is reported by name as a :class:`FormatError` of this file.
    """
    table = read_table(path, ENROLLMENT_COLUMNS, "enrollments")
    errors = RowErrors(table.path)
    students: dict[str, tuple[Student, int]] = {}
    names: dict[str, tuple[str, int]] = {}
    seen: dict[tuple[str, str], int] = {}
    registrations: list[tuple[str, str]] = []
    for n, row in table.numbered():
        missing = [c for c in ENROLLMENT_COLUMNS if not row[c]]
        if missing:
            errors.add(n, f"missing {', '.join(missing)}")
            continue
        try:
            student = Student(
                id=row["student"],
                programme=row["programme"],
                year=_whole(row["year"], "year", 1, 7),
                language=_language(row["language"]),  # type: ignore[arg-type]
                group=row.get("group") or None,
            )
        except ValueError as err:
            errors.add(n, _message(err))
            continue
        known = students.get(student.id)
        if known is None:
            students[student.id] = (student, n)
        elif known[0] != student:
            field = next(
                f for f in ("programme", "year", "language", "group") if getattr(known[0], f) != getattr(student, f)
            )
            errors.add(
                n,
                f"student {student.id} has {field} {getattr(student, field)!r} here but "
                f"{getattr(known[0], field)!r} on row {known[1]}",
            )
            continue
        discipline = row["discipline"]
        if (student.id, discipline) in seen:
            errors.add(
                n,
                f"student {student.id} is registered for {discipline} again "
                f"(first on row {seen[student.id, discipline]})",
            )
            continue
        seen[student.id, discipline] = n
        title = row.get("discipline_name", "")
        if title:
            if discipline in names and names[discipline][0] != title:
                errors.add(
                    n,
                    f"discipline {discipline} is named {title!r} here but "
                    f"{names[discipline][0]!r} on row {names[discipline][1]}",
                )
                continue
            names.setdefault(discipline, (title, n))
        registrations.append((student.id, discipline))
    errors.check()
    if not registrations:
        raise FormatError(table.path, None, "no registrations: the file has a header but no rows")
    try:
        return build_instance(
            [s for s, _ in students.values()],
            registrations,
            rules,
            {d: title for d, (title, _) in names.items()},
            name or table.path.stem,
        )
    except EnrollmentError as err:
        raise FormatError(table.path, None, str(err)) from None


def _message(err: ValueError) -> str:
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}"
    return str(err)


def write_enrollments(instance: EnrollmentInstance, path: str | Path) -> None:
    """One row per registration, in the instance's order (disciplines, then their students)."""
    students = instance.student_by_id
    rows = []
    for discipline in instance.disciplines:
        for sid in discipline.students:
            s = students[sid]
            rows.append(
                {
                    "student": s.id,
                    "programme": s.programme,
                    "year": s.year,
                    "language": s.language,
                    "group": s.group or "",
                    "discipline": discipline.id,
                    "discipline_name": discipline.name,
                }
            )
    _write_frame(pd.DataFrame(rows, columns=[*ENROLLMENT_COLUMNS[:4], "group", "discipline", "discipline_name"]), path)


# --------------------------------------------------------------------------- rules


def read_rules(path: str | Path) -> RuleBook:
    """Section rules from ``.csv``/``.xlsx`` rows or a ``.json`` RuleBook; :class:`FormatError` if bad."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        try:
            text = path.read_text(encoding="utf-8")
            json.loads(text)
            return RuleBook.model_validate_json(text)
        except FileNotFoundError:
            raise FormatError(path, None, "rules file does not exist") from None
        except json.JSONDecodeError as err:
            raise FormatError(path, err.lineno, f"invalid JSON: {err.msg} (column {err.colno})") from None
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "rules"
            raise FormatError(path, None, f"invalid rules: {where}: {first['msg']}") from None
        except (EnrollmentError, OSError, UnicodeDecodeError) as err:
            raise FormatError(path, None, f"invalid rules: {err}") from None
    table = read_table(path, RULE_COLUMNS, "rules")
    errors = RowErrors(table.path)
    defaults: dict[LessonKind, SectionRule] = {}
    disciplines: dict[str, dict[LessonKind, SectionRule | None]] = {}
    seen: dict[tuple[str, LessonKind], int] = {}
    for n, row in table.numbered():
        discipline = row["discipline"]
        if not discipline:
            errors.add(n, "missing discipline (use * for the default of every discipline)")
            continue
        try:
            kind = LessonKind(row["kind"].lower())
        except ValueError:
            errors.add(n, f"kind {row['kind']!r} is not one of {', '.join(k.value for k in KIND_ORDER)}")
            continue
        if (discipline, kind) in seen:
            errors.add(n, f"a second {kind.value} rule for {discipline} (first on row {seen[discipline, kind]})")
            continue
        seen[discipline, kind] = n
        try:
            lessons = _whole(row.get("lessons") or "1", "lessons", 0)
            rule = (
                None
                if lessons == 0
                else SectionRule(
                    capacity=_whole(row["capacity"], "capacity", 1),
                    min_size=_whole(row.get("min_size") or "1", "min_size", 1),
                    mix_languages=_flag(row.get("mix_languages", ""), "mix_languages"),
                    lessons=lessons,
                    room_type=row.get("room_type") or None,
                )
            )
        except (ValueError, EnrollmentError) as err:
            errors.add(n, _message(err) if isinstance(err, ValueError) else str(err))
            continue
        if discipline == "*":
            if rule is not None:
                defaults[kind] = rule
        else:
            disciplines.setdefault(discipline, {})[kind] = rule
    errors.check()
    return RuleBook(defaults=defaults, disciplines=disciplines)


def write_rules(rules: RuleBook, path: str | Path) -> None:
    """Rows of :func:`read_rules` (defaults first); ``.json`` writes the RuleBook itself."""
    if Path(path).suffix.lower() == ".json":
        _write_text(rules.model_dump_json(indent=1) + "\n", path)
        return
    rows = []
    items: list[tuple[str, LessonKind, SectionRule | None]] = [("*", k, r) for k, r in rules.defaults.items()]
    items += [(d, k, r) for d, own in rules.disciplines.items() for k, r in own.items()]
    for discipline, kind, rule in items:
        rows.append(
            {
                "discipline": discipline,
                "kind": kind.value,
                "capacity": rule.capacity if rule else "",
                "min_size": rule.min_size if rule else "",
                "mix_languages": ("yes" if rule.mix_languages else "no") if rule else "",
                "lessons": rule.lessons if rule else 0,
                "room_type": (rule.room_type or "") if rule else "",
            }
        )
    columns = ["discipline", "kind", "capacity", "min_size", "mix_languages", "lessons", "room_type"]
    _write_frame(pd.DataFrame(rows, columns=columns), path)


# --------------------------------------------------------------------------- sections


def grouping_frames(instance: EnrollmentInstance, grouping: Grouping) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sections table and the student lists (one row per student and section)."""
    students = instance.student_by_id
    section_rows = []
    student_rows = []
    for section in grouping.sections:
        languages = sorted({students[s].language for s in section.students if s in students})
        section_rows.append(
            {
                "section": section.id,
                "discipline": section.discipline,
                "kind": section.kind.value,
                "parent": section.parent or "",
                "language": "+".join(languages),
                "students": len(section.students),
            }
        )
        for sid in section.students:
            student = students.get(sid)
            student_rows.append(
                {
                    "student": sid,
                    "discipline": section.discipline,
                    "kind": section.kind.value,
                    "section": section.id,
                    "programme": student.programme if student else "",
                    "group": (student.group or "") if student else "",
                    "language": student.language if student else "",
                }
            )
    sections = pd.DataFrame(section_rows, columns=list(SECTION_COLUMNS))
    lists = pd.DataFrame(student_rows, columns=[*ASSIGNMENT_COLUMNS, "programme", "group", "language"])
    return sections, lists


def write_grouping(instance: EnrollmentInstance, grouping: Grouping, folder: str | Path) -> list[Path]:
    """``sections.csv``, ``assignments.csv`` and ``sections.xlsx`` in ``folder`` (created if missing)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    writers = _grouping_writers(instance, grouping)
    paths = [folder / name for name in GROUPING_FILES]
    for path in paths:
        _atomic(path, writers[path.name])
    return paths


def grouping_file(instance: EnrollmentInstance, grouping: Grouping, name: str) -> bytes:
    """The content of one of :data:`GROUPING_FILES` as :func:`write_grouping` writes it; ``ValueError`` for
    another name."""
    if name not in GROUPING_FILES:
        raise ValueError(f"unknown sections file {name!r}: expected one of {', '.join(GROUPING_FILES)}")
    buffer = io.BytesIO()
    _grouping_writers(instance, grouping)[name](buffer)
    return buffer.getvalue()


def _grouping_writers(instance: EnrollmentInstance, grouping: Grouping) -> dict[str, Callable[[Path | BinaryIO], None]]:
    """For each of :data:`GROUPING_FILES`, a function writing its content to a path or a binary stream."""
    sections, lists = grouping_frames(instance, grouping)
    assignments = lists[list(ASSIGNMENT_COLUMNS)]
    return {
        "sections.csv": lambda out: sections.to_csv(out, index=False, encoding="utf-8"),
        "assignments.csv": lambda out: assignments.to_csv(out, index=False, encoding="utf-8"),
        "sections.xlsx": lambda out: _write_workbook(out, {"Sections": sections, "Students": lists}),
    }


def read_grouping(folder: str | Path) -> Grouping:
    """Sections from ``sections.csv`` and ``assignments.csv`` in ``folder`` (or next to a given
    ``sections.csv``); :class:`FormatError` listing bad rows of either."""
    folder = Path(folder)
    if folder.is_file():
        folder = folder.parent
    if not folder.is_dir():
        raise FormatError(folder, None, "sections folder does not exist")
    table = read_table(folder / "sections.csv", ("section", "discipline", "kind", "parent"), "sections")
    errors = RowErrors(table.path)
    sections: dict[str, dict[str, object]] = {}
    for n, row in table.numbered():
        if not row["section"] or not row["discipline"]:
            errors.add(n, "missing section or discipline")
            continue
        try:
            kind = LessonKind(row["kind"].lower())
        except ValueError:
            errors.add(n, f"kind {row['kind']!r} is not one of {', '.join(k.value for k in KIND_ORDER)}")
            continue
        if row["section"] in sections:
            errors.add(n, f"section {row['section']} is listed twice")
            continue
        sections[row["section"]] = {
            "id": row["section"],
            "discipline": row["discipline"],
            "kind": kind,
            "parent": row["parent"] or None,
            "students": [],
        }
    errors.check()
    table = read_table(folder / "assignments.csv", ASSIGNMENT_COLUMNS, "assignments")
    errors = RowErrors(table.path)
    for n, row in table.numbered():
        section = sections.get(row["section"])
        if section is None:
            errors.add(n, f"unknown section {row['section']!r} (not in sections.csv)")
            continue
        if row["discipline"] != section["discipline"] or row["kind"].lower() != section["kind"].value:  # type: ignore[attr-defined]
            errors.add(n, f"section {row['section']} is a {section['kind']} section of {section['discipline']}")
            continue
        if not row["student"]:
            errors.add(n, "missing student")
            continue
        section["students"].append(row["student"])  # type: ignore[attr-defined]
    errors.check()
    try:
        return Grouping(sections=tuple(Section(**fields) for fields in sections.values()))  # type: ignore[arg-type]
    except EnrollmentError as err:
        raise FormatError(folder, None, str(err)) from None


def write_moves(moves: list[Move], path: str | Path) -> None:
    """``student, discipline, kind, from, to``: one row per moved registration."""
    rows = [
        {"student": m.student, "discipline": m.discipline, "kind": m.kind.value, "from": m.old, "to": m.new}
        for m in moves
    ]
    _write_frame(pd.DataFrame(rows, columns=["student", "discipline", "kind", "from", "to"]), path)


# --------------------------------------------------------------------------- intake


def read_intake(path: str | Path, balance: Iterable[str] = ()) -> list[Applicant]:
    """First-year students: ``student, programme, language`` and any other columns (kept as
    attributes); every column in ``balance`` must exist and be filled. :class:`FormatError` listing bad rows."""
    balance = tuple(balance)
    table = read_table(path, ("student", "programme", "language"), "intake")
    missing = [a for a in balance if a not in table.columns]
    if missing:
        found = ", ".join(table.columns)
        raise FormatError(table.path, 1, f"no column {', '.join(missing)} to balance on (found: {found})")
    errors = RowErrors(table.path)
    applicants: list[Applicant] = []
    seen: dict[str, int] = {}
    for n, row in table.numbered():
        empty = [c for c in ("student", "programme", "language", *balance) if not row[c]]
        if empty:
            errors.add(n, f"missing {', '.join(empty)}")
            continue
        if row["student"] in seen:
            errors.add(n, f"student {row['student']} is listed twice (first on row {seen[row['student']]})")
            continue
        try:
            language = _language(row["language"])
        except ValueError as err:
            errors.add(n, str(err))
            continue
        seen[row["student"]] = n
        attributes = {k: v for k, v in row.items() if k not in ("student", "programme", "language") and v}
        applicants.append(
            Applicant(id=row["student"], programme=row["programme"], language=language, attributes=attributes)  # type: ignore[arg-type]
        )
    errors.check()
    if not applicants:
        raise FormatError(table.path, None, "no students: the file has a header but no rows")
    return applicants


def write_intake_groups(instance: IntakeInstance, grouping: IntakeGrouping, folder: str | Path) -> list[Path]:
    """``groups.csv`` (group, programme, language, students and a count per balanced attribute value)
    and ``students.csv`` (student, group) in ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    applicants = instance.applicant_by_id
    values = {a: sorted({x.attributes[a] for x in instance.applicants}) for a in instance.rules.balance}
    rows = []
    for group in grouping.groups:
        row: dict[str, object] = {
            "group": group.id,
            "programme": group.programme,
            "language": group.language,
            "students": len(group.students),
        }
        for attribute, options in values.items():
            for value in options:
                row[f"{attribute}={value}"] = sum(
                    1 for s in group.students if applicants[s].attributes[attribute] == value
                )
        rows.append(row)
    members = [{"student": s, "group": g.id} for g in grouping.groups for s in g.students]
    paths = [folder / "groups.csv", folder / "students.csv"]
    _write_frame(pd.DataFrame(rows), paths[0])
    _write_frame(pd.DataFrame(members, columns=["student", "group"]), paths[1])
    return paths


# --------------------------------------------------------------------------- rooms


def read_rooms(path: str | Path) -> tuple[Room, ...]:
    """Rooms: ``room, capacity`` and optional ``type`` (default ``general``) and ``building`` (``main``)."""
    table = read_table(path, ROOM_COLUMNS, "rooms")
    errors = RowErrors(table.path)
    rooms: list[Room] = []
    seen: dict[str, int] = {}
    for n, row in table.numbered():
        if not row["room"]:
            errors.add(n, "missing room")
            continue
        if row["room"] in seen:
            errors.add(n, f"room {row['room']} is listed twice (first on row {seen[row['room']]})")
            continue
        seen[row["room"]] = n
        try:
            capacity = _whole(row["capacity"], "capacity", 1)
        except ValueError as err:
            errors.add(n, str(err))
            continue
        rooms.append(
            Room(
                id=row["room"],
                capacity=capacity,
                type=row.get("type") or "general",
                building=row.get("building") or "main",
            )
        )
    errors.check()
    if not rooms:
        raise FormatError(table.path, None, "no rooms: the file has a header but no rows")
    return tuple(rooms)


def write_rooms(rooms: Iterable[Room], path: str | Path) -> None:
    rows = [{"room": r.id, "capacity": r.capacity, "type": r.type, "building": r.building} for r in rooms]
    _write_frame(pd.DataFrame(rows, columns=["room", "capacity", "type", "building"]), path)


# --------------------------------------------------------------------------- atomic writing


def _write_frame(frame: pd.DataFrame, path: str | Path) -> None:
    """A table as ``.csv`` (UTF-8) or ``.xlsx``, replacing ``path`` atomically."""
    target = Path(path)
    if target.suffix.lower() == ".xlsx":
        _atomic(target, lambda tmp: _write_workbook(tmp, {"Sheet1": frame}))
    else:
        _atomic(target, lambda tmp: frame.to_csv(tmp, index=False, encoding="utf-8"))


def _write_text(text: str, path: str | Path) -> None:
    _atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _write_workbook(path: Path | BinaryIO, sheets: dict[str, pd.DataFrame]) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)


def _atomic(target: Path, write: Callable[[Path], object]) -> None:
    """Run ``write`` on a uniquely named temporary file next to ``target``, then rename it over ``target``."""
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}{target.suffix}")
    try:
        write(tmp)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
