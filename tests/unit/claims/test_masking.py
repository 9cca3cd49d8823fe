import pytest

from kiosk.claims.masking import mask_bank_account, mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三明", "张*明"),
        ("张明", "张*"),
        ("欧阳小明", "欧**明"),
        ("张", "张"),
        (" 李四 ", "李*"),
        ("", ""),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_mask_id_number_keeps_first_and_last_four() -> None:
    assert mask_id_number("440514194812311234") == "4405**********1234"
    assert mask_id_number("123") == "***"


def test_mask_phone() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("12345") == "*****"


def test_mask_bank_account_shows_only_last_four() -> None:
    assert mask_bank_account("6228 4800 0000 0001 234") == "**** 1234"
    assert "0001" not in mask_bank_account("6228480000000001234")
