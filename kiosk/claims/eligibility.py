"""Who is covered: age 60+ on the accident date, the 180-day rule, dates that make sense."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kiosk.claims.types import ClaimType

ELIGIBLE_AGE = 60
CONSEQUENCE_WITHIN_DAYS = 180  # death or disability must follow the accident within this


class EligibilityProblem(StrEnum):
    """Why a claim may not be covered. Blocking ones stop the intake; the rest are told to the
    person kindly and left to staff."""

    ACCIDENT_IN_FUTURE = "accident_in_future"  # blocking
    ACCIDENT_BEFORE_POLICY = "accident_before_policy"  # blocking
    UNDER_SIXTY = "under_sixty"  # blocking: the policy covers 60 and over only
    COVER_NOT_STARTED = "cover_not_started"  # turned 60 but cover starts on the 1st of next month
    CONSEQUENCE_AFTER_180_DAYS = "consequence_after_180_days"
    CONSEQUENCE_BEFORE_ACCIDENT = "consequence_before_accident"  # blocking


BLOCKING = frozenset(
    {
        EligibilityProblem.ACCIDENT_IN_FUTURE,
        EligibilityProblem.ACCIDENT_BEFORE_POLICY,
        EligibilityProblem.UNDER_SIXTY,
        EligibilityProblem.CONSEQUENCE_BEFORE_ACCIDENT,
    }
)


def birthday_in(year: int, born: date) -> date:
    """The birthday in a given year; a 29 February birthday falls on 1 March in other years."""
    try:
        return born.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def age_on(born: date, day: date) -> int:
    """Completed years of age on `day`: the birthday itself counts as the new age."""
    return day.year - born.year - (day < birthday_in(day.year, born))


def cover_starts(born: date) -> date:
    """A person who turns 60 is covered from the 1st of the following month."""
    return first_of_next_month(birthday_in(born.year + ELIGIBLE_AGE, born))


@dataclass(frozen=True)
class Eligibility:
    problems: tuple[EligibilityProblem, ...]

    @property
    def blocked(self) -> bool:
        return self.blocking is not None

    @property
    def blocking(self) -> EligibilityProblem | None:
        """The first problem that stops the claim here (the rest are for staff to decide)."""
        return next((p for p in self.problems if p in BLOCKING), None)

    @property
    def clear(self) -> bool:
        return not self.problems


def check_eligibility(
    *,
    born: date,
    claim_type: ClaimType,
    accident_date: date,
    today: date,
    policy_start: date,
    consequence_date: date | None = None,
) -> Eligibility:
    """Every rule a claim's dates must meet. `consequence_date` is the date of death or of the
    disability assessment, for those claim types."""
    problems = []
    if accident_date > today:
        problems.append(EligibilityProblem.ACCIDENT_IN_FUTURE)
    if accident_date < policy_start:
        problems.append(EligibilityProblem.ACCIDENT_BEFORE_POLICY)
    if age_on(born, accident_date) < ELIGIBLE_AGE:
        problems.append(EligibilityProblem.UNDER_SIXTY)
    elif accident_date < cover_starts(born):
        problems.append(EligibilityProblem.COVER_NOT_STARTED)
    if consequence_date is not None and claim_type in (
        ClaimType.DEATH,
        ClaimType.TRANSPORT_DEATH,
        ClaimType.DISABILITY,
    ):
        if consequence_date < accident_date:
            problems.append(EligibilityProblem.CONSEQUENCE_BEFORE_ACCIDENT)
        elif (consequence_date - accident_date).days > CONSEQUENCE_WITHIN_DAYS:
            problems.append(EligibilityProblem.CONSEQUENCE_AFTER_180_DAYS)
    return Eligibility(tuple(problems))


class RosterStanding(StrEnum):
    """What the insured roster (the bureau's list) says of a person on the accident date."""

    LISTED = "listed"  # on the list, and covered that day
    NOT_LISTED = "not_listed"  # not on the list
    NOT_YET = "not_yet"  # listed, but covered only from the 1st of the month after
    REMOVED = "removed"  # the list had stopped naming them by then


def first_of_next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def roster_standing(
    listed_on: date | None, removed_on: date | None, accident_date: date
) -> RosterStanding:
    """A person listed is covered from the 1st of the following month (DOMAIN.md) until the
    list stops naming them; staff decide every case that is not LISTED."""
    if listed_on is None:
        return RosterStanding.NOT_LISTED
    if removed_on is not None and removed_on <= accident_date:
        return RosterStanding.REMOVED
    if accident_date < first_of_next_month(listed_on):
        return RosterStanding.NOT_YET
    return RosterStanding.LISTED
