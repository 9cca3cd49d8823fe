"""The 大写 amount writer and reader."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.ocr.amounts import capital_amount, parse_capital_amount


@pytest.mark.parametrize(
    ("figure", "capitals"),
    [
        ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
        ("1000.00", "壹仟元整"),
        ("0.50", "伍角整"),
        ("0.07", "柒分"),
        ("10.05", "壹拾元零伍分"),
        ("305.00", "叁佰零伍元整"),
        ("100203.40", "壹拾万零贰佰零叁元肆角整"),
        ("2000000.00", "贰佰万元整"),
        ("0.00", "零元整"),
    ],
)
def test_writes_and_reads_known_amounts(figure, capitals):
    assert capital_amount(Decimal(figure)) == capitals
    assert parse_capital_amount(capitals) == Decimal(figure)


@given(st.integers(min_value=0, max_value=99_999_999_99))
def test_what_is_written_reads_back(cents):
    amount = Decimal(cents) / 100
    assert parse_capital_amount(capital_amount(amount)) == amount


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("人民币壹佰元整", "100"),
        ("拾元整", "10"),
        ("壹佰圆正", "100"),
        ("叁佰 零伍 元整", "305"),
        ("贰拾元零叁分", "20.03"),
    ],
)
def test_reads_the_variants_printed_on_receipts(text, value):
    assert parse_capital_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "壹贰叁元", "壹仟贰佰abc元", "元角分", "伍角伍", "hello"])
def test_what_is_not_an_amount_reads_as_none(text):
    assert parse_capital_amount(text) is None


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        capital_amount(Decimal("-1"))
