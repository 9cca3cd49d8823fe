"""Case numbers people can read aloud, and tracking tokens nobody can guess."""

from __future__ import annotations

import secrets
from datetime import date

# Damm's quasigroup table: one check digit that catches every single wrong digit and
# every swap of two neighbouring digits, the two mistakes people make reading numbers aloud.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
CASE_NUMBER_LENGTH = 10
TRACKING_TOKEN_BYTES = 24  # 192 random bits


def damm_digit(digits: str) -> str:
    interim = 0
    for d in digits:
        interim = _DAMM[interim][int(d)]
    return str(interim)


def new_case_number(today: date) -> str:
    """Ten digits: two of the year, seven random, one check digit (e.g. 2648217390).

    Digits only, because they are read aloud over the phone in Mandarin and Chaoshan
    dialect alike; uniqueness is enforced by the database, and a clash draws again.
    """
    body = f"{today.year % 100:02d}{secrets.randbelow(10**7):07d}"
    return body + damm_digit(body)


def normalise_case_number(raw: str) -> str:
    """Keep only the digits a person typed, whatever spaces or dashes came with them."""
    table = {0xFF10 + i: ord("0") + i for i in range(10)}
    return "".join(ch for ch in raw.translate(table) if ch.isascii() and ch.isdigit())


def is_valid_case_number(raw: str) -> bool:
    """True when the number has the right length and its check digit matches."""
    digits = normalise_case_number(raw)
    return len(digits) == CASE_NUMBER_LENGTH and damm_digit(digits) == "0"


def format_case_number(number: str) -> str:
    """Grouped as people read phone numbers aloud: 26 4821 7390."""
    return f"{number[:2]} {number[2:6]} {number[6:]}"


def new_tracking_token() -> str:
    """A random URL-safe token for the family's tracking link (at least 128 bits)."""
    return secrets.token_urlsafe(TRACKING_TOKEN_BYTES)
