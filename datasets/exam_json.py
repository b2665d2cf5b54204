"""Exam sessions as JSON: the pydantic dump of :class:`~models.exam_instance.ExamInstance`.

Unlike the ITC2007 ``.exam`` format, the JSON keeps everything a registrar sets: exam ids, groups,
examiners, unavailable periods, room ids and the registrar rules (daily limit, free days between
a group's exams). Reading validates it back into an equal instance; errors are
:class:`datasets.text_lines.FormatError` naming the file (and the line, for malformed JSON). A
timetable for a JSON session uses the ``.sln`` layout of ITC2007 (``period, room`` per exam, in
exam order, rooms by position).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from datasets.itc2007_ctt import _write_text
from datasets.text_lines import FormatError
from models.course_instance import InstanceError
from models.exam_instance import ExamInstance


def read_exam_json(path: str | Path) -> ExamInstance:
    """Read a session written by :func:`write_exam_json` (or by hand in the same shape)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise FormatError(path, None, f"cannot read: {err.strerror or err}") from err
    except UnicodeDecodeError as err:
        raise FormatError(path, None, f"not a UTF-8 text file ({err.reason})") from err
    try:
        json.loads(text)
    except json.JSONDecodeError as err:
        raise FormatError(path, err.lineno, f"invalid JSON: {err.msg} (column {err.colno})") from None
    try:
        return ExamInstance.model_validate_json(text)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc']) or 'instance'}: {e['msg']}" for e in err.errors()[:5]
        )
        more = f" (and {err.error_count() - 5} more)" if err.error_count() > 5 else ""
        raise FormatError(path, None, f"invalid exam session: {problems}{more}") from None
    except InstanceError as err:
        raise FormatError(path, None, f"invalid exam session: {err}") from None


def exam_json_text(instance: ExamInstance) -> str:
    return instance.model_dump_json(indent=1) + "\n"


def write_exam_json(instance: ExamInstance, path: str | Path) -> None:
    """Write :func:`exam_json_text` atomically."""
    _write_text(path, exam_json_text(instance))
