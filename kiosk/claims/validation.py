"""Checks for what a person types at the kiosk. Each returns the clean value or raises
InvalidInput with a problem code (and numbers for the message); the words live with the forms."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

NAME_MAX = 30
DESCRIPTION_MAX = 200
_FULL_WIDTH_DIGITS = {0xFF10 + i: ord("0") + i for i in range(10)}
# Chinese characters (with the middle dot of minority names) or Latin letters and spaces.
_CHINESE_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff·•・]+$")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .'-]*$")


class Problem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    CHARACTERS = "characters"
    LENGTH = "length"
    FORMAT = "format"


@dataclass
class InvalidInput(ValueError):
    problem: Problem
    numbers: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.problem.value


def clean_text(raw: str) -> str:
    """NFKC-normalise, drop control characters, fold runs of white space."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    return re.sub(r"[ \t\u3000]+", " ", text).strip()


def clean_prose(raw: str) -> str:
    """Free text in the writer's own punctuation (NFC: "，" stays "，"), control characters
    dropped, runs of spaces folded; line breaks kept."""
    text = unicodedata.normalize("NFC", raw or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    return re.sub(r"[ \t\u3000]+", " ", text).strip()


def check_name(raw: str) -> str:
    """A person's name as on the ID card: Chinese (张三, 阿依古丽·买买提) or Latin letters."""
    name = clean_text(raw).replace("\n", "")
    if not name:
        raise InvalidInput(Problem.EMPTY)
    if len(name) > NAME_MAX:
        raise InvalidInput(Problem.TOO_LONG, {"max": NAME_MAX, "count": len(name)})
    compact = name.replace(" ", "")
    if not (_CHINESE_NAME.match(compact) or _LATIN_NAME.match(name)):
        raise InvalidInput(Problem.CHARACTERS)
    return compact if _CHINESE_NAME.match(compact) else name


def digits_only(raw: str) -> str:
    """The digits of what was typed, full-width digits included; spaces and dashes dropped."""
    return "".join(ch for ch in (raw or "").translate(_FULL_WIDTH_DIGITS) if ch in "0123456789")


def _typed_digits(raw: str, not_allowed: str) -> str:
    """The digits of a typed number: EMPTY if nothing was typed, CHARACTERS if any character
    matches `not_allowed` (a regex class of what may not stand between the digits)."""
    text = (raw or "").translate(_FULL_WIDTH_DIGITS).strip()
    if not text:
        raise InvalidInput(Problem.EMPTY)
    if re.search(not_allowed, text):
        raise InvalidInput(Problem.CHARACTERS)
    return digits_only(text)


def check_phone(raw: str) -> str:
    """A mainland mobile (11 digits, 1[3-9]...) or a landline with its area code (0754...)."""
    digits = _typed_digits(raw, r"[^\d\s\-+()]")
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if digits.startswith("1"):
        if len(digits) != 11:
            raise InvalidInput(Problem.LENGTH, {"expected": 11, "count": len(digits)})
        if digits[1] not in "3456789":
            raise InvalidInput(Problem.FORMAT)
        return digits
    if digits.startswith("0") and 10 <= len(digits) <= 12:
        return digits
    raise InvalidInput(Problem.FORMAT)


_SERVICE_NUMBER = re.compile(r"^(?:[48]00\d{7}|95\d{3,4}|12\d{3})$")  # 400/800, 95xxx, 12345


def check_service_phone(raw: str) -> str:
    """A phone the public may call, as it is to be printed: a landline with its area code,
    a mobile, or a service number (400/800, 95xxx, 12xxx). Returned as typed, spaces folded."""
    digits = _typed_digits(raw, r"[^\d\s\-+()]")
    if not _SERVICE_NUMBER.match(digits):
        check_phone(raw)
    return clean_text(raw)


def luhn_ok(digits: str) -> bool:
    """The Luhn check most Chinese bank cards (UnionPay) carry; passbooks may not."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


@dataclass(frozen=True)
class BankAccount:
    number: str
    luhn_ok: bool  # a failing number warns, it does not block (passbook accounts differ)


def check_bank_account(raw: str) -> BankAccount:
    """12 to 19 digits (cards are 16-19, passbook accounts can be shorter)."""
    digits = _typed_digits(raw, r"[^\d\s\-]")
    if not 12 <= len(digits) <= 19:
        raise InvalidInput(Problem.LENGTH, {"min": 12, "max": 19, "count": len(digits)})
    return BankAccount(digits, luhn_ok(digits))


AMOUNT_MAX = Decimal("1000000")


def check_amount(raw: str) -> Decimal:
    """A receipt total in yuan: 1234.5, 1,234.50, ¥1234 or full-width digits; two decimals at most."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    text = text.replace(",", "").replace("¥", "").replace("元", "").replace(" ", "")
    if not text:
        raise InvalidInput(Problem.EMPTY)
    if not re.fullmatch(r"\d+(\.\d{1,2})?", text):
        raise InvalidInput(Problem.FORMAT)
    value = Decimal(text)
    if value <= 0 or value > AMOUNT_MAX:
        raise InvalidInput(Problem.LENGTH, {"max": int(AMOUNT_MAX)})
    return value.quantize(Decimal("0.01"))


def check_description(raw: str) -> str:
    """An optional short description of what happened."""
    text = clean_text(raw)
    if len(text) > DESCRIPTION_MAX:
        raise InvalidInput(Problem.TOO_LONG, {"max": DESCRIPTION_MAX, "count": len(text)})
    return text
