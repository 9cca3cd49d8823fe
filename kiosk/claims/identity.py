"""The Chinese resident ID number (公民身份号码, GB 11643-1999): parse and check it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


class IdProblem(StrEnum):
    """Why a typed or read ID number is not a valid one. The UI words live with the forms."""

    LENGTH = "length"  # not 18 characters
    CHARACTERS = "characters"  # not 17 digits and a digit or X
    BIRTH_DATE = "birth_date"  # the date in it does not exist or is in the future
    CHECKSUM = "checksum"  # the last character does not match: a typo


@dataclass(frozen=True)
class IdNumber:
    """A valid 18-character ID number and what it tells."""

    value: str
    region_code: str
    birth_date: date
    sex: str  # "男" or "女": odd or even 17th digit


class InvalidIdNumber(ValueError):
    def __init__(self, problem: IdProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalise_id_number(raw: str) -> str:
    """Strip spaces and hyphens a person may type, turn full-width digits and x into ASCII X."""
    table: dict[int, int | str | None] = {ord(c): None for c in " \t-\u3000"}
    table.update({0xFF10 + i: ord("0") + i for i in range(10)})
    table.update({ord("x"): "X", 0xFF38: "X", 0xFF58: "X"})
    return raw.translate(table)


def parse_id_number(raw: str, *, today: date | None = None) -> IdNumber:
    """Check an ID number and return what it tells, or raise InvalidIdNumber with the problem."""
    value = normalise_id_number(raw)
    if len(value) != 18:
        raise InvalidIdNumber(IdProblem.LENGTH)
    if not (value[:17].isascii() and value[:17].isdigit()) or value[17] not in "0123456789X":
        raise InvalidIdNumber(IdProblem.CHARACTERS)
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdNumber(IdProblem.BIRTH_DATE) from None
    if born.year < 1880 or born > (today or date.today()):
        raise InvalidIdNumber(IdProblem.BIRTH_DATE)
    if check_character(value[:17]) != value[17]:
        raise InvalidIdNumber(IdProblem.CHECKSUM)
    return IdNumber(
        value=value,
        region_code=value[:6],
        birth_date=born,
        sex="男" if int(value[16]) % 2 else "女",
    )


def in_district(id_number: IdNumber, district_codes: tuple[str, ...]) -> bool:
    """Whether the ID was issued in one of the district's region codes.

    A number from elsewhere is not refused: people move and keep their old number, and
    staff check the household registration. The kiosk only says so kindly.
    """
    return id_number.region_code in district_codes
