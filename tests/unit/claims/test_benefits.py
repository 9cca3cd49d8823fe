from datetime import date
from decimal import Decimal

import pytest

from kiosk.claims.benefits import (
    HospitalStay,
    PolicyTerms,
    death_benefit,
    disability_benefit,
    hospital_allowance,
    medical_benefit,
    transport_death_benefit,
)
from kiosk.claims.types import TransportMode


def test_allowance_counts_admission_day_not_discharge_day() -> None:
    estimate = hospital_allowance([HospitalStay(date(2026, 3, 1), date(2026, 3, 13))])
    assert estimate.days_paid == 12
    assert estimate.amount == Decimal("360")


def test_same_day_stay_counts_one_day() -> None:
    assert hospital_allowance([HospitalStay(date(2026, 3, 1), date(2026, 3, 1))]).days_paid == 1


def test_discharge_before_admission_is_refused() -> None:
    with pytest.raises(ValueError):
        HospitalStay(date(2026, 3, 2), date(2026, 3, 1))


def test_stay_over_90_days_is_capped_at_90() -> None:
    stay = HospitalStay(date(2026, 1, 10), date(2026, 5, 1))  # 111 days
    estimate = hospital_allowance([stay])
    assert estimate.stays[0].days_in_hospital == 111
    assert estimate.days_paid == 90
    assert estimate.amount == Decimal("2700")
    assert estimate.stays[0].capped_by == "stay"


def test_several_stays_adding_past_180_days_in_a_year() -> None:
    stays = [
        HospitalStay(date(2026, 1, 1), date(2026, 4, 1)),  # 90 days
        HospitalStay(date(2026, 5, 1), date(2026, 7, 30)),  # 90 days: year total 180
        HospitalStay(date(2026, 9, 1), date(2026, 9, 11)),  # 10 days: nothing left this year
    ]
    estimate = hospital_allowance(stays)
    assert [s.days_paid for s in estimate.stays] == [90, 90, 0]
    assert estimate.amount == Decimal("5400")  # the yearly maximum
    assert estimate.stays[2].capped_by == "year"


def test_stay_over_new_year_counts_each_day_in_its_own_year() -> None:
    already = {2026: 175}  # five days left in 2026
    stay = HospitalStay(date(2026, 12, 20), date(2027, 1, 10))  # 12 days in 2026, 9 in 2027
    estimate = hospital_allowance([stay], already_paid_days=already)
    assert estimate.days_paid == 5 + 9
    assert estimate.stays[0].capped_by == "year"


def test_stays_are_counted_in_order_of_admission() -> None:
    late = HospitalStay(date(2026, 10, 1), date(2026, 10, 11))
    early = HospitalStay(date(2026, 2, 1), date(2026, 2, 11))
    estimate = hospital_allowance([late, early], already_paid_days={2026: 170})
    assert [s.stay for s in estimate.stays] == [early, late]
    assert [s.days_paid for s in estimate.stays] == [10, 0]


def test_hospital_below_grade_two_pays_nothing() -> None:
    estimate = hospital_allowance(
        [HospitalStay(date(2026, 3, 1), date(2026, 3, 5), grade_two_or_higher=False)]
    )
    assert estimate.amount == 0 and estimate.stays[0].capped_by == "grade"


@pytest.mark.parametrize(("grade", "amount"), [(1, "3000.00"), (5, "1800.00"), (10, "300.00")])
def test_disability_grade_shares(grade: int, amount: str) -> None:
    assert disability_benefit(grade) == Decimal(amount)


@pytest.mark.parametrize("grade", [0, 11, -1])
def test_disability_grade_out_of_range(grade: int) -> None:
    with pytest.raises(ValueError):
        disability_benefit(grade)


def test_death_and_transport_sums() -> None:
    assert death_benefit() == Decimal("3000")
    assert transport_death_benefit(TransportMode.ROAD) == Decimal("30000")
    assert transport_death_benefit(TransportMode.RAIL) == Decimal("30000")
    assert transport_death_benefit(TransportMode.SHIP) == Decimal("50000")
    assert transport_death_benefit(TransportMode.AIRCRAFT) == Decimal("100000")


def test_medical_adds_receipts_within_deductible_ratio_and_limit() -> None:
    terms = PolicyTerms(
        medical_deductible=Decimal("100"),
        medical_ratio=Decimal("0.9"),
        medical_limit=Decimal("1000"),
    )
    assert medical_benefit([Decimal("300.50"), Decimal("99.50")], terms) == Decimal("270.00")
    assert medical_benefit([Decimal("50")], terms) == Decimal("0.00")
    assert medical_benefit([Decimal("5000")], terms) == Decimal("1000.00")
