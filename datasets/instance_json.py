"""Course timetabling instances as JSON: the pydantic dump of :class:`CourseInstance`.

The file holds ``instance.model_dump_json(indent=1)`` (UTF-8, a final newline); reading validates it
back into an equal instance. Errors are :class:`datasets.itc2007_ctt.FormatError` naming the file
(and the line, for malformed JSON).
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from pydantic import ValidationError

from datasets.itc2007_ctt import FormatError
from models.course_instance import CourseInstance, InstanceError


def read_instance_json(path: str | Path) -> CourseInstance:
    """Read an instance written by :func:`write_instance_json`.

    Raises ``FormatError`` if the file cannot be read, is not UTF-8 JSON, or does not describe a
    valid instance.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise FormatError(path, None, f"cannot read: {err.strerror or err}") from err
    except UnicodeDecodeError as err:
        raise FormatError(path, None, f"not a UTF-8 text file ({err.reason})") from err
    return parse_instance_json(text, path)


def parse_instance_json(text: str, source: str | Path = "<json>") -> CourseInstance:
    """Validate JSON text into an instance; ``source`` names it in ``FormatError`` messages."""
    try:
        json.loads(text)
    except json.JSONDecodeError as err:
        raise FormatError(source, err.lineno, f"invalid JSON: {err.msg} (column {err.colno})") from None
    try:
        return CourseInstance.model_validate_json(text)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc']) or 'instance'}: {e['msg']}" for e in err.errors()[:5]
        )
        more = f" (and {err.error_count() - 5} more)" if err.error_count() > 5 else ""
        raise FormatError(source, None, f"invalid instance: {problems}{more}") from None
    except InstanceError as err:
        raise FormatError(source, None, f"invalid instance: {err}") from None


def write_instance_json(instance: CourseInstance, path: str | Path) -> None:
    """Write ``instance.model_dump_json(indent=1)`` atomically: to a uniquely named temporary file in
    the same folder, then renamed over ``path`` (readers never see a partial file)."""
    target = Path(path)
    text = instance.model_dump_json(indent=1) + "\n"
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with tmp.open("x", encoding="utf-8") as out:
            out.write(text)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
