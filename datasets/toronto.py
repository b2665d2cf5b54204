"""Toronto benchmark files (Carter, Laporte and Lee 1996): ``.crs``, ``.stu`` and solutions.

- ``.crs``: one line per exam, ``exam_id enrolment`` (ids ``0001`` upwards). It gives the exams and
  their order; the enrolment column is checked to be an integer but not used (the ``.stu`` file is
  the authority on who sits what; in the version-II files the two disagree).
- ``.stu``: one line per student listing the student's exam ids. Students are numbered by their
  line (student id = line number from 1); blank lines are not students (``car-s-91``,
  ``pur-s-93``, ``tre-s-92`` and ``ute-s-92`` have some) and an exam listed twice on a line counts
  once.
- Solution: one ``exam slot`` line per exam (slots from 0).

The number of slots is not in the files: :data:`TORONTO_SLOTS` has the standard counts (Qu et al.
2009, Table 4; version I files), by file stem and by literature name.
"""

from __future__ import annotations

from pathlib import Path

from datasets.itc2007_ctt import _write_text
from datasets.text_lines import FormatError, Lines
from models.course_instance import InstanceError
from models.exam_instance import Exam, ExamInstance, ExamTimetable, Period

TORONTO_INSTANCES: dict[str, tuple[str, int]] = {
    "car91": ("car-s-91", 35),
    "car92": ("car-f-92", 32),
    "ear83": ("ear-f-83", 24),
    "hec92": ("hec-s-92", 18),
    "kfu93": ("kfu-s-93", 20),
    "lse91": ("lse-f-91", 18),
    "pur93": ("pur-s-93", 42),
    "rye93": ("rye-s-93", 23),
    "sta83": ("sta-f-83", 13),
    "tre92": ("tre-s-92", 23),
    "uta92": ("uta-s-92", 35),
    "ute92": ("ute-s-92", 10),
    "yor83": ("yor-f-83", 21),
}
"""Literature name -> (file stem, standard number of slots) for the 13 version-I instances."""

TORONTO_SLOTS: dict[str, int] = {
    **{stem: slots for stem, slots in TORONTO_INSTANCES.values()},
    **{name: slots for name, (_, slots) in TORONTO_INSTANCES.items()},
    "rye92": 23,
}
"""Standard slot counts by file stem (``car-s-91``) and literature name (``car91``; ``rye92`` too)."""


def standard_slots(name: str) -> int:
    """The standard slot count of a Toronto instance, by file stem or literature name."""
    key = Path(name).stem.lower() if name.endswith((".stu", ".crs")) else name.lower()
    if key not in TORONTO_SLOTS:
        known = ", ".join(sorted(TORONTO_INSTANCES))
        raise ValueError(f"no standard slot count for Toronto instance {name!r} (known: {known}); give the slots")
    return TORONTO_SLOTS[key]


def read_toronto(
    stu_path: str | Path, slots: int | None = None, crs_path: str | Path | None = None, name: str | None = None
) -> ExamInstance:
    """Read a Toronto instance from its ``.stu`` file.

    ``slots`` defaults to the standard count for the file's name (:func:`standard_slots`).
    ``crs_path`` defaults to the ``.crs`` file beside the ``.stu``; when there is none, the exams are
    the ids found in the ``.stu`` file, sorted. ``name`` defaults to the file's stem."""
    stu_path = Path(stu_path)
    name = name if name is not None else stu_path.stem
    if slots is None:
        slots = standard_slots(stu_path.stem)
    if slots < 1:
        raise ValueError(f"the number of slots must be positive, got {slots}")
    if crs_path is None and stu_path.with_suffix(".crs").is_file():
        crs_path = stu_path.with_suffix(".crs")

    exam_ids: list[str] | None = None
    if crs_path is not None:
        crs = Lines(crs_path)
        exam_ids, first_line = [], {}
        for n, tokens in crs.rows:
            if len(tokens) != 2:
                raise crs.error(f"expected 'exam_id enrolment', found {' '.join(tokens)!r}", n)
            crs.integer(tokens[1], f"the enrolment of exam {tokens[0]}", n)
            if tokens[0] in first_line:
                raise crs.error(f"exam {tokens[0]} is listed again (first on line {first_line[tokens[0]]})", n)
            first_line[tokens[0]] = n
            exam_ids.append(tokens[0])

    stu = Lines(stu_path)
    students: dict[str, set[str]] = {}
    known = set(exam_ids) if exam_ids is not None else None
    for n, tokens in stu.rows:
        for exam_id in tokens:
            if known is not None and exam_id not in known:
                raise stu.error(f"student {n} sits exam {exam_id!r}, which {Path(crs_path or '').name} lacks", n)
            students.setdefault(exam_id, set()).add(str(n))
    if exam_ids is None:
        exam_ids = sorted(students, key=lambda e: (len(e), e))
    try:
        return ExamInstance(
            name=name,
            kind="toronto",
            exams=tuple(Exam(id=e, students=frozenset(students.get(e, ()))) for e in exam_ids),
            periods=tuple(Period(index=t) for t in range(slots)),
        )
    except InstanceError as err:
        raise FormatError(stu_path, None, str(err)) from None


def read_solution(path: str | Path, instance: ExamInstance | None = None) -> ExamTimetable:
    """Read ``exam slot`` lines; an exam given twice is an error.

    With ``instance``, an exam id matches exactly or by number (``5`` is exam ``0005``, as other
    programs write them), and unknown exams and slots out of range are errors."""
    f = Lines(path)
    by_number: dict[int, str] = {}
    if instance is not None:
        by_number = {int(e.id): e.id for e in instance.exams if e.id.isdigit()}
    placements: dict[str, tuple[int, None]] = {}
    first: dict[str, int] = {}
    for n, tokens in f.rows:
        if len(tokens) != 2:
            raise f.error(f"expected 'exam slot', found {' '.join(tokens)!r}", n)
        exam_id, slot = tokens[0], f.integer(tokens[1], f"the slot of exam {tokens[0]}", n)
        if instance is not None and exam_id not in instance.exam_by_id:
            if not exam_id.isdigit() or int(exam_id) not in by_number:
                raise f.error(f"unknown exam {exam_id!r}", n)
            exam_id = by_number[int(exam_id)]
        if exam_id in first:
            raise f.error(f"exam {exam_id} is given again (first on line {first[exam_id]})", n)
        if instance is not None and slot >= len(instance.periods):
            raise f.error(f"slot {slot} is outside 0..{len(instance.periods) - 1}", n)
        first[exam_id] = n
        placements[exam_id] = (slot, None)
    return ExamTimetable.of(placements)


def solution_text(timetable: ExamTimetable, instance: ExamInstance | None = None) -> str:
    """``exam slot`` lines: in the instance's exam order (unplaced exams omitted), else by exam id."""
    if instance is not None:
        order = [e.id for e in instance.exams if e.id in timetable.placements]
    else:
        order = sorted(timetable.placements)
    return "".join(f"{e} {timetable[e].period}\n" for e in order)


def write_solution(timetable: ExamTimetable, path: str | Path, instance: ExamInstance | None = None) -> None:
    """Write :func:`solution_text` atomically."""
    _write_text(path, solution_text(timetable, instance))
