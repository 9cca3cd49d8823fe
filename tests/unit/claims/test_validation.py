import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.claims.validation import (
    InvalidInput,
    Problem,
    check_bank_account,
    check_description,
    check_name,
    check_phone,
    clean_text,
    luhn_ok,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("陈美华", "陈美华"),
        (" 陈 美华 ", "陈美华"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("Li Ming", "Li Ming"),
        ("ＬＩ　Ｍｉｎｇ", "LI Ming"),
    ],
)
def test_names_accepted(raw: str, clean: str) -> None:
    assert check_name(raw) == clean


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", Problem.EMPTY),
        ("   ", Problem.EMPTY),
        ("陈美华1", Problem.CHARACTERS),
        ("<script>", Problem.CHARACTERS),
        ("陈" * 31, Problem.TOO_LONG),
        ("Robert'); DROP TABLE", Problem.CHARACTERS),
        ("\x00\x07", Problem.EMPTY),
    ],
)
def test_names_refused(raw: str, problem: Problem) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_name(raw)
    assert caught.value.problem is problem


def test_name_too_long_reports_the_count() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_name("陈" * 35)
    assert caught.value.numbers == {"max": 30, "count": 35}


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("0754-87123456", "075487123456"),
        ("020 12345678", "02012345678"),
    ],
)
def test_phones_accepted(raw: str, clean: str) -> None:
    assert check_phone(raw) == clean


@pytest.mark.parametrize(
    ("raw", "problem", "numbers"),
    [
        ("", Problem.EMPTY, {}),
        ("1381234567", Problem.LENGTH, {"expected": 11, "count": 10}),
        ("138123456789", Problem.LENGTH, {"expected": 11, "count": 12}),
        ("12812345678", Problem.FORMAT, {}),
        ("8765432", Problem.FORMAT, {}),
        ("138abc45678", Problem.CHARACTERS, {}),
    ],
)
def test_phones_refused(raw: str, problem: Problem, numbers: dict) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_phone(raw)
    assert caught.value.problem is problem and caught.value.numbers == numbers


def test_luhn() -> None:
    assert luhn_ok("79927398713")
    assert not luhn_ok("79927398710")


def test_bank_account_with_failing_luhn_is_kept_with_a_warning_flag() -> None:
    good = check_bank_account("7992 7398 713 0")
    assert good.number == "79927398713 0".replace(" ", "")
    account = check_bank_account("6228 4800 0000 0001 234")
    assert account.number == "6228480000000001234" and account.luhn_ok is luhn_ok(
        "6228480000000001234"
    )


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", Problem.EMPTY),
        ("12345678901", Problem.LENGTH),
        ("1" * 20, Problem.LENGTH),
        ("6228x", Problem.CHARACTERS),
    ],
)
def test_bank_accounts_refused(raw: str, problem: Problem) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_bank_account(raw)
    assert caught.value.problem is problem


def test_description_is_cleaned_and_limited() -> None:
    assert check_description("  下楼\x00梯时\t摔倒  ") == "下楼梯时 摔倒"
    assert check_description("") == ""
    with pytest.raises(InvalidInput) as caught:
        check_description("字" * 201)
    assert caught.value.numbers == {"max": 200, "count": 201}


@given(st.text(max_size=300))
def test_any_text_is_either_clean_or_refused(raw: str) -> None:
    for check in (check_name, check_phone, check_bank_account, check_description):
        try:
            check(raw)
        except InvalidInput:
            pass
    assert "\x00" not in clean_text(raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1234.5", "1234.50"),
        ("1,234.50", "1234.50"),
        ("¥88", "88.00"),
        ("１２３．４", "123.40"),
        ("0.01", "0.01"),
    ],
)
def test_amounts_accepted(raw: str, value: str) -> None:
    from kiosk.claims.validation import check_amount

    assert str(check_amount(raw)) == value


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", Problem.EMPTY),
        ("12.345", Problem.FORMAT),
        ("-5", Problem.FORMAT),
        ("abc", Problem.FORMAT),
        ("0", Problem.LENGTH),
        ("1000000.01", Problem.LENGTH),
        ("1e5", Problem.FORMAT),
        ("NaN", Problem.FORMAT),
    ],
)
def test_amounts_refused(raw: str, problem: Problem) -> None:
    from kiosk.claims.validation import check_amount

    with pytest.raises(InvalidInput) as caught:
        check_amount(raw)
    assert caught.value.problem is problem
