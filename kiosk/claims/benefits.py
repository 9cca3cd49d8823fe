"""Benefit calculation from the policy's terms (DOMAIN.md)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from kiosk.claims.types import TransportMode

CENT = Decimal("0.01")


@dataclass(frozen=True)
class PolicyTerms:
    """The sums of the district's policy. Medical terms are the policy's own and configurable;
    the defaults are placeholders until the insurer's schedule is loaded."""

    death_sum: Decimal = Decimal("3000")
    disability_sum: Decimal = Decimal("3000")  # grade shares apply to this sum
    allowance_per_day: Decimal = Decimal("30")
    allowance_days_per_stay: int = 90
    allowance_days_per_year: int = 180
    transport_sums: dict[TransportMode, Decimal] = field(
        default_factory=lambda: {
            TransportMode.ROAD: Decimal("30000"),
            TransportMode.RAIL: Decimal("30000"),
            TransportMode.SHIP: Decimal("50000"),
            TransportMode.AIRCRAFT: Decimal("100000"),
        }
    )
    medical_deductible: Decimal = Decimal("0")
    medical_ratio: Decimal = Decimal("1")
    medical_limit: Decimal = Decimal("10000")


TERMS = PolicyTerms()


@dataclass(frozen=True)
class HospitalStay:
    """One stay: admitted and discharged, in a hospital of grade 2 or higher or not."""

    admitted: date
    discharged: date
    grade_two_or_higher: bool = True

    def __post_init__(self) -> None:
        if self.discharged < self.admitted:
            raise ValueError("discharge before admission")

    def days(self) -> list[date]:
        """The days that count: from admission up to the day before discharge (the hospital's
        own 住院天数), and one day for a stay that ends the day it began. See ADR 0003."""
        count = max((self.discharged - self.admitted).days, 1)
        return [self.admitted + timedelta(days=i) for i in range(count)]


@dataclass(frozen=True)
class StayAllowance:
    stay: HospitalStay
    days_in_hospital: int
    days_paid: int
    amount: Decimal
    capped_by: str | None  # "stay", "year", "grade" or None


@dataclass(frozen=True)
class AllowanceEstimate:
    stays: tuple[StayAllowance, ...]

    @property
    def days_paid(self) -> int:
        return sum(s.days_paid for s in self.stays)

    @property
    def amount(self) -> Decimal:
        return sum((s.amount for s in self.stays), Decimal(0))


def hospital_allowance(
    stays: list[HospitalStay],
    *,
    already_paid_days: dict[int, int] | None = None,
    terms: PolicyTerms = TERMS,
) -> AllowanceEstimate:
    """30 yuan a day, at most 90 days a stay and 180 days a calendar year.

    Stays are taken in order of admission; a stay across New Year counts each day in its
    own year. `already_paid_days` gives days paid earlier in each year by other claims.
    """
    used: dict[int, int] = defaultdict(int, already_paid_days or {})
    results = []
    for stay in sorted(stays, key=lambda s: s.admitted):
        days = stay.days()
        if not stay.grade_two_or_higher:
            results.append(StayAllowance(stay, len(days), 0, Decimal(0), "grade"))
            continue
        capped_by = "stay" if len(days) > terms.allowance_days_per_stay else None
        paid = 0
        for day in days[: terms.allowance_days_per_stay]:
            if used[day.year] >= terms.allowance_days_per_year:
                capped_by = "year"
                continue
            used[day.year] += 1
            paid += 1
        results.append(
            StayAllowance(stay, len(days), paid, terms.allowance_per_day * paid, capped_by)
        )
    return AllowanceEstimate(tuple(results))


def death_benefit(terms: PolicyTerms = TERMS) -> Decimal:
    return terms.death_sum


def transport_death_benefit(mode: TransportMode, terms: PolicyTerms = TERMS) -> Decimal:
    return terms.transport_sums[mode]


def disability_benefit(grade: int, terms: PolicyTerms = TERMS) -> Decimal:
    """Grade 1 pays 100% of the sum, grade 10 pays 10% (JR/T 0083-2013)."""
    if not 1 <= grade <= 10:
        raise ValueError("disability grade must be 1 to 10")
    share = Decimal(11 - grade) / Decimal(10)
    return (terms.disability_sum * share).quantize(CENT, rounding=ROUND_HALF_UP)


def medical_benefit(receipt_totals: list[Decimal], terms: PolicyTerms = TERMS) -> Decimal:
    """Receipts added up, less the deductible, times the ratio, within the limit."""
    total = sum(receipt_totals, Decimal(0))
    covered = max(total - terms.medical_deductible, Decimal(0)) * terms.medical_ratio
    return min(covered, terms.medical_limit).quantize(CENT, rounding=ROUND_HALF_UP)
