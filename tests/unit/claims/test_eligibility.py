from datetime import date

from kiosk.claims.eligibility import (
    EligibilityProblem as P,
)
from kiosk.claims.eligibility import (
    age_on,
    check_eligibility,
    cover_starts,
)
from kiosk.claims.types import ClaimType

POLICY_START = date(2026, 1, 1)
TODAY = date(2026, 11, 23)
BORN = date(1966, 6, 15)  # 60 on 15 June 2026


def check(accident: date, claim_type: ClaimType = ClaimType.MEDICAL, **kwargs):
    return check_eligibility(
        born=kwargs.pop("born", BORN),
        claim_type=claim_type,
        accident_date=accident,
        today=TODAY,
        policy_start=POLICY_START,
        **kwargs,
    )


def test_day_before_the_60th_birthday_is_under_sixty() -> None:
    result = check(date(2026, 6, 14))
    assert result.problems == (P.UNDER_SIXTY,)
    assert result.blocked


def test_on_the_60th_birthday_the_person_is_sixty_but_cover_starts_next_month() -> None:
    assert age_on(BORN, date(2026, 6, 15)) == 60
    result = check(date(2026, 6, 15))
    assert result.problems == (P.COVER_NOT_STARTED,)
    assert not result.blocked  # staff decide


def test_covered_from_the_first_of_the_following_month() -> None:
    assert cover_starts(BORN) == date(2026, 7, 1)
    assert check(date(2026, 7, 1)).clear
    assert cover_starts(date(1966, 12, 5)) == date(2027, 1, 1)


def test_leap_day_birthday_turns_sixty_on_first_of_march() -> None:
    born = date(1964, 2, 29)  # 2024 is a leap year: 60 on 29 Feb 2024
    assert age_on(born, date(2024, 2, 28)) == 59
    assert age_on(born, date(2024, 2, 29)) == 60
    born = date(1968, 2, 29)  # 2028 is a leap year; in 2027 (age 59) the birthday is 1 Mar
    assert age_on(born, date(2027, 2, 28)) == 58
    assert age_on(born, date(2027, 3, 1)) == 59


def test_accident_in_the_future_or_before_the_policy_is_blocked() -> None:
    assert P.ACCIDENT_IN_FUTURE in check(date(2026, 11, 24), born=date(1940, 1, 1)).problems
    assert check(date(2026, 11, 24), born=date(1940, 1, 1)).blocked
    assert check(date(2025, 12, 31), born=date(1940, 1, 1)).problems == (P.ACCIDENT_BEFORE_POLICY,)
    assert check(TODAY, born=date(1940, 1, 1)).clear


def test_death_within_180_days_of_the_accident() -> None:
    accident = date(2026, 3, 1)
    old = date(1940, 1, 1)
    assert check(
        accident, ClaimType.DEATH, born=old, consequence_date=date(2026, 8, 28)
    ).clear  # day 180
    late = check(accident, ClaimType.DEATH, born=old, consequence_date=date(2026, 8, 29))  # day 181
    assert late.problems == (P.CONSEQUENCE_AFTER_180_DAYS,)
    assert not late.blocked  # explained, then staff decide
    before = check(accident, ClaimType.DISABILITY, born=old, consequence_date=date(2026, 2, 28))
    assert before.blocked


def test_180_day_rule_ignored_for_medical_claims() -> None:
    assert check(
        date(2026, 3, 1),
        ClaimType.MEDICAL,
        born=date(1940, 1, 1),
        consequence_date=date(2026, 11, 1),
    ).clear


def test_the_roster_covers_from_the_first_of_the_month_after_listing_until_removal() -> None:
    from kiosk.claims.eligibility import RosterStanding as R
    from kiosk.claims.eligibility import roster_standing

    listed = date(2026, 1, 5)
    assert roster_standing(None, None, date(2026, 3, 1)) is R.NOT_LISTED
    assert roster_standing(listed, None, date(2026, 1, 31)) is R.NOT_YET
    assert roster_standing(listed, None, date(2026, 2, 1)) is R.LISTED
    assert roster_standing(date(2025, 12, 20), None, date(2026, 1, 1)) is R.LISTED  # over the year
    assert roster_standing(listed, date(2026, 6, 1), date(2026, 5, 31)) is R.LISTED
    assert roster_standing(listed, date(2026, 6, 1), date(2026, 6, 1)) is R.REMOVED
