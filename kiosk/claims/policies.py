"""Policies by year (issue 15): a district's policy for a period, with its premium, the
number insured and every term; read from a reviewed TOML file. Pure: no database here.

A claim is judged under the policy in force on its accident date (ADR 0043)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from kiosk.claims.benefits import PolicyTerms
from kiosk.claims.types import Exclusion, TransportMode

LOSS_RATIO_FLOOR = Decimal("0.60")  # the bid: claims paid reach at least 60 % of the premium


class PolicyFileProblem(ValueError):
    """What is wrong with a policy file, naming the key: one line for the admin."""


@dataclass(frozen=True)
class Policy:
    """A district's policy for one period; `version` counts its corrections."""

    district: str
    starts_on: date
    ends_on: date  # the last day covered
    region_codes: tuple[str, ...]
    premium_per_person: Decimal
    insured: int
    terms: PolicyTerms = field(default_factory=PolicyTerms)
    exclusions: tuple[Exclusion, ...] = tuple(Exclusion)
    min_hospital_grade: int = 2
    version: int = 1
    id: int | None = None  # None: the settings' policy, not loaded from a file

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def premium(self) -> Decimal:
        return self.premium_per_person * self.insured

    @property
    def floor(self) -> Decimal:
        """What claims paid must reach (60 % of the premium)."""
        return (self.premium * LOSS_RATIO_FLOOR).quantize(Decimal("0.01"))

    def same_terms(self, other: Policy) -> bool:
        return _comparable(self) == _comparable(other)


def _comparable(policy: Policy) -> tuple[Any, ...]:
    return tuple(getattr(policy, f.name) for f in fields(policy) if f.name not in ("version", "id"))


@dataclass(frozen=True)
class PolicyBook:
    """The policies of one district, the newest version of each period."""

    policies: tuple[Policy, ...]

    def in_force(self, day: date) -> Policy | None:
        return next((p for p in self.policies if p.covers(day)), None)

    @property
    def starts_on(self) -> date:
        """The first day any of them covers: no claim before it."""
        return min(p.starts_on for p in self.policies)

    @property
    def region_codes(self) -> tuple[str, ...]:
        return tuple(sorted({code for p in self.policies for code in p.region_codes}))

    def periods(self) -> tuple[tuple[date, date], ...]:
        return tuple((p.starts_on, p.ends_on) for p in self.policies)


# The keys of a policy file. Every one is needed: a term left out is an error, never a default.
TOP = ("district", "starts_on", "ends_on", "region_codes", "premium_per_person", "insured")
TERMS = (
    "allowance_per_day",
    "allowance_days_per_stay",
    "allowance_days_per_year",
    "min_hospital_grade",
    "death_sum",
    "disability_sum",
    "medical_deductible",
    "medical_ratio",
    "medical_limit",
    "transport_sums",
    "exclusions",
)


def parse_policy_file(content: bytes) -> Policy:
    """A Policy from a reviewed TOML file, or PolicyFileProblem naming the first wrong key."""
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as problem:
        raise PolicyFileProblem(f"not a TOML file in UTF-8: {problem}") from None
    for key in TOP:
        if key not in data:
            raise PolicyFileProblem(f"{key}: missing")
    terms = data.get("terms")
    if not isinstance(terms, dict):
        raise PolicyFileProblem("[terms]: missing")
    for key in TERMS:
        if key not in terms:
            raise PolicyFileProblem(f"terms.{key}: missing")
    unknown = sorted(set(data) - {*TOP, "terms"}) + sorted(
        f"terms.{k}" for k in set(terms) - set(TERMS)
    )
    if unknown:
        raise PolicyFileProblem(f"{unknown[0]}: not a key of a policy file")
    starts, ends = _day(data, "starts_on"), _day(data, "ends_on")
    if ends < starts:
        raise PolicyFileProblem(f"ends_on: {ends} is before starts_on {starts}")
    return Policy(
        district=_text(data, "district"),
        starts_on=starts,
        ends_on=ends,
        region_codes=_region_codes(data["region_codes"]),
        premium_per_person=_money(data, "premium_per_person"),
        insured=_whole(data, "insured", 1, 100_000_000),
        terms=PolicyTerms(
            death_sum=_money(terms, "death_sum", "terms."),
            disability_sum=_money(terms, "disability_sum", "terms."),
            allowance_per_day=_money(terms, "allowance_per_day", "terms."),
            allowance_days_per_stay=_whole(terms, "allowance_days_per_stay", 1, 366, "terms."),
            allowance_days_per_year=_whole(terms, "allowance_days_per_year", 1, 366, "terms."),
            transport_sums=_transport_sums(terms["transport_sums"]),
            medical_deductible=_money(terms, "medical_deductible", "terms."),
            medical_ratio=_ratio(terms),
            medical_limit=_money(terms, "medical_limit", "terms."),
        ),
        exclusions=_exclusions(terms["exclusions"]),
        min_hospital_grade=_whole(terms, "min_hospital_grade", 1, 3, "terms."),
    )


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > 64:
        raise PolicyFileProblem(f"{key}: a name of 1 to 64 characters")
    return value.strip()


def _day(data: Mapping[str, Any], key: str) -> date:
    value = data[key]
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise PolicyFileProblem(f"{key}: {value!r} is not a date like 2027-01-01") from None


def _money(data: Mapping[str, Any], key: str, prefix: str = "") -> Decimal:
    value = data[key]
    try:
        amount = Decimal(str(value)) if isinstance(value, (str, int, float)) else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount > 10**9:
        raise PolicyFileProblem(f"{prefix}{key}: {value!r} is not an amount in yuan")
    if amount != amount.quantize(Decimal("0.01")):
        raise PolicyFileProblem(f"{prefix}{key}: {value!r} has more than two decimals")
    return amount.quantize(Decimal("0.01"))


def _whole(data: Mapping[str, Any], key: str, low: int, high: int, prefix: str = "") -> int:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PolicyFileProblem(f"{prefix}{key}: {value!r} is not a whole number {low} to {high}")
    return value


def _ratio(terms: Mapping[str, Any]) -> Decimal:
    value = terms["medical_ratio"]
    try:
        ratio = Decimal(str(value)) if isinstance(value, (str, int, float)) else None
    except InvalidOperation:
        ratio = None
    if ratio is None or not 0 < ratio <= 1:
        raise PolicyFileProblem(f"terms.medical_ratio: {value!r} is not a share above 0, at most 1")
    return ratio


def _region_codes(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise PolicyFileProblem("region_codes: a list of 6-digit region codes")
    for code in value:
        if not (isinstance(code, str) and len(code) == 6 and code.isdigit()):
            raise PolicyFileProblem(f"region_codes: {code!r} is not a 6-digit region code")
    return tuple(value)


def _transport_sums(value: Any) -> dict[TransportMode, Decimal]:
    if not isinstance(value, dict):
        raise PolicyFileProblem("terms.transport_sums: a table of road, rail, ship, aircraft")
    for mode in TransportMode:
        if mode.value not in value:
            raise PolicyFileProblem(f"terms.transport_sums.{mode.value}: missing")
    for key in value:
        if key not in {m.value for m in TransportMode}:
            raise PolicyFileProblem(f"terms.transport_sums.{key}: not a means of transport")
    return {mode: _money(value, mode.value, "terms.transport_sums.") for mode in TransportMode}


def _exclusions(value: Any) -> tuple[Exclusion, ...]:
    known = {e.value for e in Exclusion}
    if not isinstance(value, list):
        raise PolicyFileProblem("terms.exclusions: a list of exclusions")
    for item in value:
        if item not in known:
            raise PolicyFileProblem(
                f"terms.exclusions: {item!r} is not one of {', '.join(sorted(known))}"
            )
    return tuple(Exclusion(item) for item in value)


def terms_as_data(policy: Policy) -> dict[str, Any]:
    """The terms as JSON for the database (amounts as strings, exact)."""
    t = policy.terms
    return {
        "allowance_per_day": str(t.allowance_per_day),
        "allowance_days_per_stay": t.allowance_days_per_stay,
        "allowance_days_per_year": t.allowance_days_per_year,
        "min_hospital_grade": policy.min_hospital_grade,
        "death_sum": str(t.death_sum),
        "disability_sum": str(t.disability_sum),
        "medical_deductible": str(t.medical_deductible),
        "medical_ratio": str(t.medical_ratio),
        "medical_limit": str(t.medical_limit),
        "transport_sums": {mode.value: str(sum_) for mode, sum_ in t.transport_sums.items()},
        "exclusions": [e.value for e in policy.exclusions],
    }


def terms_from_data(data: Mapping[str, Any]) -> tuple[PolicyTerms, tuple[Exclusion, ...], int]:
    """What terms_as_data wrote, back."""
    terms = PolicyTerms(
        death_sum=Decimal(data["death_sum"]),
        disability_sum=Decimal(data["disability_sum"]),
        allowance_per_day=Decimal(data["allowance_per_day"]),
        allowance_days_per_stay=data["allowance_days_per_stay"],
        allowance_days_per_year=data["allowance_days_per_year"],
        transport_sums={TransportMode(k): Decimal(v) for k, v in data["transport_sums"].items()},
        medical_deductible=Decimal(data["medical_deductible"]),
        medical_ratio=Decimal(data["medical_ratio"]),
        medical_limit=Decimal(data["medical_limit"]),
    )
    exclusions = tuple(Exclusion(e) for e in data["exclusions"])
    return terms, exclusions, data["min_hospital_grade"]


@dataclass(frozen=True)
class LossRatio:
    """Claims paid against a policy's premium (the bid promises at least LOSS_RATIO_FLOOR),
    to date and projected to the end of the period."""

    policy: Policy
    paid: Decimal
    approved_unpaid: Decimal  # approved, not paid yet
    open_estimated: Decimal  # the estimates of the cases still open
    elapsed: Decimal  # the share of the period gone by, 0 to 1

    @property
    def to_date(self) -> Decimal | None:
        return self.paid / self.policy.premium if self.policy.premium else None

    @property
    def projected(self) -> Decimal | None:
        """What is paid, approved and estimated so far, carried on at the same pace to the
        period's end (late reports and appeals aside)."""
        if not self.policy.premium or not self.elapsed:
            return None
        owed = self.paid + self.approved_unpaid + self.open_estimated
        return owed / self.elapsed / self.policy.premium

    @property
    def short_of_floor(self) -> bool:
        projected = self.projected
        return projected is not None and projected < LOSS_RATIO_FLOOR


def elapsed_share(policy: Policy, today: date) -> Decimal:
    """How much of the policy's period has gone by on `today`, 0 to 1."""
    length = (policy.ends_on - policy.starts_on).days + 1
    gone = (min(today, policy.ends_on) - policy.starts_on).days + 1
    return Decimal(max(0, min(gone, length))) / Decimal(length)
