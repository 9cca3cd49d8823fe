"""Retention periods across their boundaries: 5 years after closing, 10 for major cases."""

from datetime import date

from kiosk.claims.retention import kept_until, past_retention
from kiosk.claims.types import ClaimType


def test_five_years_for_a_case_and_ten_for_a_major_one() -> None:
    closed = date(2021, 3, 15)
    assert kept_until(ClaimType.MEDICAL, closed) == date(2026, 3, 15)
    assert not past_retention(ClaimType.MEDICAL, closed, date(2026, 3, 15))  # the last day
    assert past_retention(ClaimType.MEDICAL, closed, date(2026, 3, 16))
    for major in (ClaimType.DEATH, ClaimType.TRANSPORT_DEATH, ClaimType.DISABILITY):
        assert not past_retention(major, closed, date(2026, 3, 16))
        assert not past_retention(major, closed, date(2031, 3, 15))
        assert past_retention(major, closed, date(2031, 3, 16))


def test_a_case_closed_on_29_february() -> None:
    assert kept_until(ClaimType.HOSPITAL_ALLOWANCE, date(2024, 2, 29)) == date(2029, 2, 28)


def test_a_case_marked_major_is_kept_ten_years() -> None:
    closed = date(2021, 3, 15)
    assert past_retention(ClaimType.MEDICAL, closed, date(2026, 3, 16))
    assert not past_retention(ClaimType.MEDICAL, closed, date(2026, 3, 16), marked_major=True)
    assert kept_until(ClaimType.MEDICAL, closed, marked_major=True) == date(2031, 3, 15)
