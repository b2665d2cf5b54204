"""The Kazakh individual identification number (IIN, ЖСН / ИИН) of a person.

An IIN is 12 decimal digits, counted here from 1:

- digits 1-6: the birth date as ``YYMMDD``;
- digit 7: century and sex: 1 / 2 born in the 1800s, 3 / 4 in the 1900s, 5 / 6 in the 2000s; an odd
  digit is male, an even digit female. Only 1-6 are accepted: some issuers are said to use 0 for
  foreign citizens, but the rules this project follows (``shared/notes/kz-registrar-rules.md``) do
  not define it, so 0 and 7-9 are rejected as a bad century digit;
- digits 8-11: a serial number;
- digit 12: the check digit. It is the sum of the first 11 digits weighted 1, 2, ..., 11, modulo 11.
  If that is 10, the sum is taken again with the weights 3, 4, ..., 11, 1, 2, modulo 11; if that is
  10 again, no check digit exists and the number cannot be issued.

What the check digit detects (``tests/models/test_iin.py`` checks each claim as a property; the rates
were measured on 100,000 random numbers): the weights 1..10 are invertible modulo 11, so changing one of
the digits 1-10 always changes the first weighted sum and is detected whenever neither the original nor
the changed number falls back to the second weights. When exactly one of them falls back (about 1 change
in 60), the change can go unnoticed. Digit 11 has the weight 11, which is 0 modulo 11: it only enters the
second sum, so a change of digit 11 goes unnoticed whenever neither number falls back (about 10 changes
in 11). Changing the check digit itself is always detected. A changed digit 1-7 that goes unnoticed
still changes the birth date, century or sex, so only serial errors (digits 8-11) can be silent.

The birth date is not compared with today's date (this module has no clock); a caller that knows
the date of the check rejects future birth dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Sex = Literal["male", "female"]

FIRST_WEIGHTS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
"""Weights of digits 1-11 in the first check sum."""
SECOND_WEIGHTS: tuple[int, ...] = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
"""Weights of digits 1-11 in the second check sum, used when the first one is 10."""

_DIGITS = frozenset("0123456789")
_CENTURY_START: dict[int, int] = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}
"""First year of the century of each valid century/sex digit."""
MIN_YEAR = 1800
MAX_YEAR = 2099


class InvalidIIN(ValueError):
    """The text is not a valid IIN; the message says why (length, character, date, century, checksum)."""


def check_digit(first11: str) -> int | None:
    """The check digit (0-9) of the first 11 digits of an IIN, or ``None`` if no check digit exists.

    ``None`` means that both weighted sums are 10 modulo 11: such a number cannot be issued.
    Raises ``ValueError`` unless ``first11`` is exactly 11 ASCII digits.
    """
    if len(first11) != 11 or not set(first11) <= _DIGITS:
        raise ValueError(f"check_digit needs exactly 11 digits, got {first11!r}")
    digits = [int(c) for c in first11]
    for weights in (FIRST_WEIGHTS, SECOND_WEIGHTS):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def _decode(number: str) -> tuple[dt.date, Sex]:
    """Birth date and sex of a 12-character text, raising :class:`InvalidIIN` with the first problem found.

    Checked in this order: characters, length, century digit, date, check digit.
    """
    for position, char in enumerate(number, start=1):
        if char not in _DIGITS:
            raise InvalidIIN(f"IIN {number!r}: character {char!r} at position {position} is not a digit")
    if len(number) != 12:
        raise InvalidIIN(f"IIN {number!r}: has {len(number)} digits, an IIN has 12")
    century_digit = int(number[6])
    if century_digit not in _CENTURY_START:
        raise InvalidIIN(
            f"IIN {number!r}: century/sex digit (position 7) is {century_digit}, expected 1-6 "
            "(1-2: 1800s, 3-4: 1900s, 5-6: 2000s)"
        )
    year = _CENTURY_START[century_digit] + int(number[0:2])
    month, day = int(number[2:4]), int(number[4:6])
    try:
        birth_date = dt.date(year, month, day)
    except ValueError:
        raise InvalidIIN(
            f"IIN {number!r}: impossible birth date {year:04d}-{month:02d}-{day:02d} "
            f"(digits 1-6 {number[:6]} with century digit {century_digit})"
        ) from None
    expected = check_digit(number[:11])
    if expected is None:
        raise InvalidIIN(
            f"IIN {number!r}: the checksum is 10 with both weightings, so a number with these first 11 digits "
            "cannot exist"
        )
    got = int(number[11])
    if got != expected:
        raise InvalidIIN(f"IIN {number!r}: checksum mismatch: expected check digit {expected} got {got}")
    sex: Sex = "male" if century_digit % 2 == 1 else "female"
    return birth_date, sex


class IIN(BaseModel):
    """A valid IIN with the data it encodes. Build it with :func:`parse_iin`.

    Direct construction checks that ``birth_date`` and ``sex`` agree with ``number`` (a
    ``pydantic.ValidationError`` otherwise).
    """

    model_config = ConfigDict(frozen=True)

    number: str = Field(min_length=12, max_length=12)
    """The 12 digits."""
    birth_date: dt.date
    sex: Sex

    @property
    def century_digit(self) -> int:
        """Digit 7: century and sex (1-6)."""
        return int(self.number[6])

    @property
    def serial(self) -> str:
        """Digits 8-11."""
        return self.number[7:11]

    def __str__(self) -> str:
        return self.number

    @model_validator(mode="after")
    def _check(self) -> Self:
        birth_date, sex = _decode(self.number)
        if (birth_date, sex) != (self.birth_date, self.sex):
            raise InvalidIIN(
                f"IIN {self.number!r} encodes {birth_date.isoformat()} {sex}, "
                f"not {self.birth_date.isoformat()} {self.sex}"
            )
        return self


def parse_iin(text: str) -> IIN:
    """Validate ``text`` as an IIN and decode it.

    The text must be exactly 12 ASCII digits: surrounding spaces and separators are not removed
    (the caller normalises input). Raises :class:`InvalidIIN` naming the first problem: a
    non-digit character (with its position), a wrong length, a bad century/sex digit, an impossible
    birth date (e.g. 29 February of a non-leap year), a checksum mismatch ("expected X got Y"), or
    first 11 digits whose checksum is 10 with both weightings (the number cannot exist).
    """
    if not isinstance(text, str):
        raise InvalidIIN(f"IIN must be text, got {type(text).__name__} {text!r}")
    birth_date, sex = _decode(text)
    return IIN(number=text, birth_date=birth_date, sex=sex)


def make_iin(birth_date: dt.date, sex: Sex, serial: int) -> str:
    """The IIN of a person born on ``birth_date`` (years 1800-2099) with ``sex`` and ``serial`` (0-9999).

    For generators and tests. Raises ``ValueError`` for a year, sex or serial out of range and
    :class:`InvalidIIN` when these digits have no check digit (about 1 serial in 120): take another
    serial.
    """
    if not MIN_YEAR <= birth_date.year <= MAX_YEAR:
        raise ValueError(f"birth year {birth_date.year} is outside {MIN_YEAR}-{MAX_YEAR}, which an IIN can encode")
    if sex not in ("male", "female"):
        raise ValueError(f"sex {sex!r} must be 'male' or 'female'")
    if isinstance(serial, bool) or not isinstance(serial, int) or not 0 <= serial <= 9999:
        raise ValueError(f"serial {serial!r} must be an integer 0-9999")
    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth_date.year // 100 * 100] + (sex == "female")
    first11 = f"{birth_date:%y%m%d}{century_digit}{serial:04d}"
    check = check_digit(first11)
    if check is None:
        raise InvalidIIN(
            f"no IIN exists for {birth_date.isoformat()} {sex} serial {serial:04d}: "
            f"the checksum of {first11} is 10 with both weightings"
        )
    return f"{first11}{check}"
