"""Line-oriented text data files: reading them with precise errors.

:class:`FormatError` names the file, the line and what was expected; :class:`Lines` holds the
non-empty lines of a file, each split into tokens, with their line numbers, and helpers to parse
them (headers, sections, counted records, integers) that raise such errors. Shared by the readers
of the ITC2007 course (``.ctt``/``.ectt``) and exam (``.exam``) formats and of the Toronto files.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


class FormatError(Exception):
    """A malformed data file; the message names the file, the line and what was expected."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")
        self.path, self.line = str(path), line


class Lines:
    """Non-empty lines of a file with their numbers (from 1), for parsing with precise errors.

    Each line is split on whitespace (``separator=None``) or on ``separator`` with the tokens
    stripped of surrounding whitespace (``separator=","`` for the ITC2007 exam format).
    """

    def __init__(self, path: str | Path, separator: str | None = None) -> None:
        self.path = path
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            raise FormatError(path, None, f"cannot read: {err.strerror or err}") from err
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            raise FormatError(path, line, f"not a UTF-8 text file ({err.reason})") from err
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        if separator is None:
            self.rows = [(n, line.split()) for n, line in lines]
        else:
            self.rows = [(n, [token.strip() for token in line.split(separator)]) for n, line in lines]
        self.pos = 0

    def error(self, message: str, line: int | None = None) -> FormatError:
        if line is None:
            line = self.rows[min(self.pos, len(self.rows) - 1)][0] if self.rows else None
        return FormatError(self.path, line, message)

    def next(self, expected: str) -> tuple[int, list[str]]:
        if self.pos >= len(self.rows):
            last = self.rows[-1][0] if self.rows else None
            raise FormatError(self.path, last, f"unexpected end of file, expected {expected}")
        row = self.rows[self.pos]
        self.pos += 1
        return row

    def peek(self) -> tuple[int, list[str]] | None:
        """The next row without consuming it, ``None`` at the end of the file."""
        return self.rows[self.pos] if self.pos < len(self.rows) else None

    def header(self, key: str, count: int = 1) -> list[str]:
        n, tokens = self.next(f"'{key}: ...'")
        if tokens[0] != f"{key}:" or len(tokens) != count + 1:
            raise self.error(f"expected '{key}:' followed by {count} value(s), found {' '.join(tokens)!r}", n)
        return tokens[1:]

    def header_int(self, key: str) -> int:
        (value,) = self.header(key)
        return self.integer(value, key, self.rows[self.pos - 1][0])

    def integer(self, token: str, what: str, line: int) -> int:
        try:
            value = int(token)
        except ValueError:
            raise self.error(f"expected an integer for {what}, found {token!r}", line) from None
        if value < 0:
            raise self.error(f"{what} must not be negative, found {value}", line)
        return value

    def section(self, title: str) -> None:
        n, tokens = self.next(f"section '{title}'")
        if tokens != [title]:
            raise self.error(f"expected section '{title}', found {' '.join(tokens)!r}", n)

    def records(self, count: int, fields: int | None, what: str) -> Iterator[tuple[int, list[str]]]:
        for _ in range(count):
            n, tokens = self.next(what)
            if fields is not None and len(tokens) != fields:
                raise self.error(f"expected {what} ({fields} fields), found {' '.join(tokens)!r}", n)
            yield n, tokens
