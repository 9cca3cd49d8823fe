from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.claims.identity import (
    IdProblem,
    InvalidIdNumber,
    check_character,
    in_district,
    normalise_id_number,
    parse_id_number,
)

# The example number from GB 11643-1999 itself.
STANDARD_EXAMPLE = "11010519491231002X"
TODAY = date(2026, 11, 23)


def make(region: str, born: str, seq: str) -> str:
    return region + born + seq + check_character(region + born + seq)


def test_standard_example_is_valid() -> None:
    parsed = parse_id_number(STANDARD_EXAMPLE, today=TODAY)
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.region_code == "110105"
    assert parsed.sex == "女"  # 17th digit 2 is even
    assert parsed.value == STANDARD_EXAMPLE


def test_lower_case_x_spaces_and_full_width_digits_are_accepted() -> None:
    assert parse_id_number("110105 19491231 002x", today=TODAY).value == STANDARD_EXAMPLE
    assert normalise_id_number("１１０１０５１９４９１２３１００２Ｘ") == STANDARD_EXAMPLE


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", IdProblem.LENGTH),
        ("11010519491231002", IdProblem.LENGTH),
        ("11010519491231002X1", IdProblem.LENGTH),
        ("1101051949123100AX", IdProblem.CHARACTERS),
        ("X1010519491231002X", IdProblem.CHARACTERS),
        ("11010519491231002Y", IdProblem.CHARACTERS),
        ("110105194912310021", IdProblem.CHECKSUM),  # last character mistyped
        ("11010519941231002X", IdProblem.CHECKSUM),  # two digits swapped
    ],
)
def test_malformed_numbers_say_what_is_wrong(raw: str, problem: IdProblem) -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(raw, today=TODAY)
    assert caught.value.problem is problem


@pytest.mark.parametrize(
    "born",
    ["19490230", "19491301", "19490000", "19500229", "21000101", "18700101", "20261124"],
)
def test_impossible_or_future_birth_dates_are_refused(born: str) -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(make("440514", born, "123"), today=TODAY)
    assert caught.value.problem is IdProblem.BIRTH_DATE


def test_leap_day_birth_is_valid() -> None:
    assert parse_id_number(make("440514", "19480229", "011"), today=TODAY).birth_date == date(
        1948, 2, 29
    )


def test_region_code_outside_district_is_reported_not_refused() -> None:
    chaonan = parse_id_number(make("440514", "19500101", "011"), today=TODAY)
    beijing = parse_id_number(STANDARD_EXAMPLE, today=TODAY)
    assert in_district(chaonan, ("440514",))
    assert not in_district(beijing, ("440514",))


@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY), st.integers(0, 999))
def test_every_generated_number_round_trips(born: date, seq: int) -> None:
    number = make("440514", born.strftime("%Y%m%d"), f"{seq:03d}")
    parsed = parse_id_number(number, today=TODAY)
    assert parsed.birth_date == born
    assert parsed.sex == ("男" if seq % 2 else "女")


@given(st.text(max_size=40))
def test_any_text_either_parses_or_raises_invalid(raw: str) -> None:
    try:
        parse_id_number(raw, today=TODAY)
    except InvalidIdNumber:
        pass
