"""The IIN: hand-computed numbers, every error, and properties of the check digit.

Hand examples (digits d1..d11, first weights 1..11, second weights 3..11, 1, 2):

- 1990-05-15, male (century digit 3), serial 0001: digits 9 0 0 5 1 5 3 0 0 0 1,
  sum 9 + 20 + 5 + 30 + 21 + 11 = 96 = 8 x 11 + 8, check 8: ``900515300018``.
- 2001-12-31, female (6), serial 0042: digits 0 1 1 2 3 1 6 0 0 4 2,
  sum 2 + 3 + 8 + 15 + 6 + 42 + 40 + 22 = 138 = 12 x 11 + 6, check 6: ``011231600426``.
- 2004-02-29, female (6), serial 0100: digits 0 4 0 2 2 9 6 0 1 0 0, first sum
  8 + 8 + 10 + 54 + 42 + 9 = 131 = 11 x 11 + 10, so the second weights: 16 + 12 + 14 + 72 + 54 + 11
  = 179 = 16 x 11 + 3, check 3: ``040229601003``.
- 2004-02-29, female, serial 0109: first sum 131 + 11 x 9 = 230 = 20 x 11 + 10, second sum
  179 + 2 x 9 = 197 = 17 x 11 + 10: no check digit, ``04022960109?`` cannot exist.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from models.iin import FIRST_WEIGHTS, IIN, InvalidIIN, check_digit, make_iin, parse_iin


def first_sum_is_ten(number: str) -> bool:
    """Whether the first weighted sum of ``number`` is 10 modulo 11 (the second weights decide)."""
    return sum(int(c) * w for c, w in zip(number[:11], FIRST_WEIGHTS, strict=True)) % 11 == 10


# --- hand examples ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "birth_date", "sex", "serial"),
    [
        ("900515300018", dt.date(1990, 5, 15), "male", 1),
        ("011231600426", dt.date(2001, 12, 31), "female", 42),
        ("040229601003", dt.date(2004, 2, 29), "female", 100),
    ],
)
def test_hand_examples(number: str, birth_date: dt.date, sex: str, serial: int) -> None:
    iin = parse_iin(number)
    assert (iin.number, iin.birth_date, iin.sex) == (number, birth_date, sex)
    assert iin.serial == f"{serial:04d}"
    assert str(iin) == number
    assert make_iin(birth_date, sex, serial) == number  # type: ignore[arg-type]
    assert check_digit(number[:11]) == int(number[11])


def test_second_weights_used_when_first_sum_is_ten() -> None:
    assert first_sum_is_ten("04022960100")
    assert check_digit("04022960100") == 3


def test_checksum_ten_twice_has_no_check_digit() -> None:
    assert check_digit("04022960109") is None
    with pytest.raises(InvalidIIN, match="no IIN exists for 2004-02-29 female serial 0109"):
        make_iin(dt.date(2004, 2, 29), "female", 109)
    for last in "0123456789":
        with pytest.raises(InvalidIIN, match=r"10 with both weightings.*cannot exist"):
            parse_iin("04022960109" + last)


@pytest.mark.parametrize(
    ("digit", "year", "sex"),
    [(1, 1899, "male"), (2, 1899, "female"), (3, 1999, "male"), (4, 1999, "female"), (5, 2099, "male")],
)
def test_century_and_sex_digits(digit: int, year: int, sex: str) -> None:
    number = make_iin(dt.date(year, 1, 1), sex, 7)  # type: ignore[arg-type]
    assert number[6] == str(digit)
    iin = parse_iin(number)
    assert iin.birth_date.year == year and iin.sex == sex and iin.century_digit == digit


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "has 0 digits, an IIN has 12"),
        ("90051530001", "has 11 digits, an IIN has 12"),
        ("9005153000180", "has 13 digits, an IIN has 12"),
        ("90051530001a", "character 'a' at position 12 is not a digit"),
        (" 900515300018", "character ' ' at position 1 is not a digit"),
        ("900515-300018", "character '-' at position 7 is not a digit"),
        ("９00515300018", "character '９' at position 1 is not a digit"),  # a full-width digit
        ("900515000018", r"century/sex digit \(position 7\) is 0, expected 1-6"),
        ("900515700018", r"century/sex digit \(position 7\) is 7, expected 1-6"),
        ("901315300018", "impossible birth date 1990-13-15"),
        ("900230300018", "impossible birth date 1990-02-30"),
        ("000229300018", "impossible birth date 1900-02-29"),  # 1900 is not a leap year
        ("900500300018", "impossible birth date 1990-05-00"),
        ("900515300017", "checksum mismatch: expected check digit 8 got 7"),
    ],
)
def test_errors(text: str, message: str) -> None:
    with pytest.raises(InvalidIIN, match=message):
        parse_iin(text)


def test_invalid_iin_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_iin("123")


def test_non_text_is_rejected() -> None:
    with pytest.raises(InvalidIIN, match="must be text"):
        parse_iin(900515300018)  # type: ignore[arg-type]


def test_leap_day_of_2000_is_valid() -> None:
    number = make_iin(dt.date(2000, 2, 29), "male", 5)
    assert number.startswith("0002295")
    assert parse_iin(number).birth_date == dt.date(2000, 2, 29)


def test_direct_construction_must_agree_with_number() -> None:
    assert IIN(number="900515300018", birth_date=dt.date(1990, 5, 15), sex="male").serial == "0001"
    with pytest.raises(ValidationError, match="encodes 1990-05-15 male, not 1990-05-15 female"):
        IIN(number="900515300018", birth_date=dt.date(1990, 5, 15), sex="female")
    with pytest.raises(ValidationError, match="checksum mismatch"):
        IIN(number="900515300017", birth_date=dt.date(1990, 5, 15), sex="male")


@pytest.mark.parametrize("first11", ["", "0402296010", "040229601000", "0402296010a"])
def test_check_digit_needs_11_digits(first11: str) -> None:
    with pytest.raises(ValueError, match="exactly 11 digits"):
        check_digit(first11)


@pytest.mark.parametrize(
    ("birth_date", "sex", "serial", "message"),
    [
        (dt.date(1799, 12, 31), "male", 1, "birth year 1799 is outside 1800-2099"),
        (dt.date(2100, 1, 1), "male", 1, "birth year 2100 is outside 1800-2099"),
        (dt.date(1990, 1, 1), "other", 1, "sex 'other'"),
        (dt.date(1990, 1, 1), "male", 10000, "serial 10000 must be an integer 0-9999"),
        (dt.date(1990, 1, 1), "male", -1, "serial -1"),
        (dt.date(1990, 1, 1), "male", True, "serial True"),
    ],
)
def test_make_iin_rejects(birth_date: dt.date, sex: str, serial: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_iin(birth_date, sex, serial)  # type: ignore[arg-type]


# --- properties -------------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31))
sexes = st.sampled_from(["male", "female"])
serials = st.integers(min_value=0, max_value=9999)


def valid_or_skip(birth_date: dt.date, sex: str, serial: int) -> str:
    """``make_iin``, skipping (``assume``) serials whose checksum is 10 with both weightings."""
    try:
        return make_iin(birth_date, sex, serial)  # type: ignore[arg-type]
    except InvalidIIN:
        assume(False)
        raise  # unreachable


def changed(number: str, position: int, digit: int) -> str:
    """``number`` with the digit at 1-based ``position`` replaced by ``digit``."""
    return number[: position - 1] + str(digit) + number[position:]


@given(dates, sexes, serials)
def test_make_iin_round_trips(birth_date: dt.date, sex: str, serial: int) -> None:
    number = valid_or_skip(birth_date, sex, serial)
    iin = parse_iin(number)
    assert (iin.number, iin.birth_date, iin.sex, iin.serial) == (number, birth_date, sex, f"{serial:04d}")


@given(dates, sexes, serials, st.sampled_from([1, 2, 3, 4, 5, 6, 7, 12]), st.integers(1, 9))
def test_single_digit_change_of_date_sex_or_check_digit_is_invalid_or_changes_the_data(
    birth_date: dt.date, sex: str, serial: int, position: int, shift: int
) -> None:
    """Property: changing one of digits 1-7 or the check digit 12 never yields the same person's data.

    Digits 1-7 carry the data, so an unnoticed change alters birth date, century or sex; the check
    digit is a function of digits 1-11, so changing it alone is always detected.
    """
    number = valid_or_skip(birth_date, sex, serial)
    other = changed(number, position, (int(number[position - 1]) + shift) % 10)
    try:
        iin = parse_iin(other)
    except InvalidIIN:
        return
    assert position != 12
    assert (iin.birth_date, iin.sex) != (birth_date, sex)


@given(dates, sexes, serials, st.integers(1, 10), st.integers(1, 9))
def test_digits_1_to_10_are_protected_unless_one_number_uses_the_second_weights(
    birth_date: dt.date, sex: str, serial: int, position: int, shift: int
) -> None:
    """Property: a change of one of digits 1-10 is detected when both numbers use the first weights.

    The weights 1..10 are invertible modulo 11 and a digit changes by 1..9, so the first sum changes.
    Only when exactly one of the two numbers falls back to the second weights can the change go
    unnoticed (``test_fallback_lets_some_errors_through`` shows one).
    """
    number = valid_or_skip(birth_date, sex, serial)
    other = changed(number, position, (int(number[position - 1]) + shift) % 10)
    if first_sum_is_ten(number) or first_sum_is_ten(other):
        return
    with pytest.raises(InvalidIIN):
        parse_iin(other)


@given(dates, sexes, serials, st.integers(1, 9))
def test_digit_11_is_not_protected_by_the_first_weights(birth_date: dt.date, sex: str, serial: int, shift: int) -> None:
    """Property (a weakness of the official scheme): digit 11 has weight 11 = 0 modulo 11.

    When the first sum is not 10, any change of digit 11 keeps the number valid, with the same
    birth date and sex: the error is silent.
    """
    number = valid_or_skip(birth_date, sex, serial)
    assume(not first_sum_is_ten(number))
    other = changed(number, 11, (int(number[10]) + shift) % 10)
    iin = parse_iin(other)
    assert (iin.birth_date, iin.sex) == (birth_date, sex)
    assert iin.serial != f"{serial:04d}"


def test_serial_error_example() -> None:
    """900515300018 with digit 11 changed 1 -> 2: the first sum is 96 - 11 + 22 = 107 = 9 x 11 + 8, still 8."""
    assert parse_iin("900515300028").birth_date == dt.date(1990, 5, 15)


def test_fallback_lets_some_errors_through() -> None:
    """040229601003 (first sum 10, so check 3 from the second sum) with digit 10 changed 0 -> 7.

    The changed first sum is 131 + 10 x 7 = 201 = 18 x 11 + 3: not 10, so the check digit is 3
    again and the wrong serial passes; same birth date and sex.
    """
    assert first_sum_is_ten("040229601003")
    iin = parse_iin("040229601703")
    assert (iin.birth_date, iin.sex, iin.serial) == (dt.date(2004, 2, 29), "female", "0170")
