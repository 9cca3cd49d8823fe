"""The policy file and the loss ratio, worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from kiosk.claims.policies import LossRatio, elapsed_share, parse_policy_file

EXAMPLE = Path(__file__).parents[3] / "doc" / "policies" / "chaonan-2026.toml"


def test_the_example_file_has_the_terms_of_the_domain() -> None:
    policy = parse_policy_file(EXAMPLE.read_bytes())
    assert (policy.district, policy.starts_on, policy.ends_on) == (
        "潮南区",
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert policy.premium == Decimal("2160000.00") and policy.floor == Decimal("1296000.00")
    assert policy.terms.allowance_per_day == 30 and policy.terms.allowance_days_per_year == 180
    assert policy.covers(date(2026, 12, 31)) and not policy.covers(date(2027, 1, 1))


def test_the_loss_ratio_to_date_and_projected() -> None:
    policy = parse_policy_file(EXAMPLE.read_bytes())
    half = elapsed_share(policy, date(2026, 7, 2))  # 183 of 365 days
    assert half == Decimal(183) / Decimal(365)
    assert elapsed_share(policy, date(2025, 12, 1)) == 0
    assert elapsed_share(policy, date(2027, 3, 1)) == 1
    ratio = LossRatio(policy, Decimal("432000"), Decimal("108000"), Decimal("108000"), half)
    assert ratio.to_date == Decimal("0.2")
    # 648,000 owed at half-way: about 1,292,459 by the end, just short of 60 %
    assert round(ratio.projected * 100, 2) == Decimal("59.84")
    assert ratio.short_of_floor
    nothing_yet = LossRatio(policy, Decimal(0), Decimal(0), Decimal(0), Decimal(0))
    assert nothing_yet.projected is None and not nothing_yet.short_of_floor
