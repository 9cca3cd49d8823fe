from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from kiosk.claims.case_numbers import (
    CASE_NUMBER_LENGTH,
    format_case_number,
    is_valid_case_number,
    new_case_number,
    new_tracking_token,
)


def test_case_number_is_ten_digits_starting_with_the_year() -> None:
    number = new_case_number(date(2026, 11, 23))
    assert len(number) == CASE_NUMBER_LENGTH and number.isdigit()
    assert number.startswith("26")
    assert is_valid_case_number(number)


def test_case_numbers_are_grouped_for_reading_aloud() -> None:
    assert format_case_number("2648217390") == "26 4821 7390"


def test_typed_case_number_with_spaces_and_full_width_digits_is_accepted() -> None:
    number = new_case_number(date(2026, 1, 1))
    spaced = format_case_number(number)
    full_width = "".join(chr(0xFF10 + int(d)) for d in number)
    assert is_valid_case_number(spaced) and is_valid_case_number(full_width)


@given(st.integers(0, 9), st.integers(1, 9))
def test_any_single_wrong_digit_is_caught(position: int, delta: int) -> None:
    number = new_case_number(date(2026, 5, 5))
    digits = list(number)
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert not is_valid_case_number("".join(digits))


@given(st.integers(0, 8))
def test_any_swap_of_neighbouring_digits_is_caught(position: int) -> None:
    number = new_case_number(date(2026, 5, 5))
    digits = list(number)
    if digits[position] == digits[position + 1]:
        return
    digits[position], digits[position + 1] = digits[position + 1], digits[position]
    assert not is_valid_case_number("".join(digits))


def test_case_numbers_vary() -> None:
    assert len({new_case_number(date(2026, 1, 1)) for _ in range(200)}) > 195


def test_tracking_token_has_at_least_128_random_bits() -> None:
    tokens = {new_tracking_token() for _ in range(100)}
    assert len(tokens) == 100
    for token in tokens:
        # url-safe base64: 6 bits a character
        assert len(token) * 6 >= 128
        assert token.replace("-", "").replace("_", "").isalnum()
