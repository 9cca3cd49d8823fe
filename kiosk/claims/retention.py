"""How long a closed case is kept (the manual, DOMAIN.md): 5 years after it closed, 10 for a
major case (death, transport death or disability, or marked major by staff). Then its personal data and documents are
purged, an anonymised statistical row and the audit entry of the purge kept."""

from __future__ import annotations

from datetime import date

from kiosk.claims.types import ClaimType

YEARS = 5
MAJOR_YEARS = 10
MAJOR = frozenset({ClaimType.DEATH, ClaimType.TRANSPORT_DEATH, ClaimType.DISABILITY})


def years_after(day: date, years: int) -> date:
    """The same day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def kept_until(claim_type: ClaimType, closed_on: date, *, marked_major: bool = False) -> date:
    """The last day the case is kept: purged from the day after."""
    major = marked_major or claim_type in MAJOR
    return years_after(closed_on, MAJOR_YEARS if major else YEARS)


def past_retention(
    claim_type: ClaimType, closed_on: date, today: date, *, marked_major: bool = False
) -> bool:
    return today > kept_until(claim_type, closed_on, marked_major=marked_major)
