"""Policies as data: loaded from reviewed files, versioned, looked up by district and day.

Without any policy loaded for a district, the settings' policy applies (KIOSK_POLICY_START,
KIOSK_DISTRICT_CODES and the default terms), as before policies were data."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app

from kiosk.claims.benefits import PolicyTerms
from kiosk.claims.policies import (
    Policy,
    PolicyBook,
    PolicyFileProblem,
    parse_policy_file,
    terms_as_data,
    terms_from_data,
)
from kiosk.claims.states import Role
from kiosk.platform.extensions import db
from kiosk.platform.kept import Kept
from kiosk.platform.models import AuditEvent, Branch, Claim, PolicyVersion, StaffUser

KEEP_SECONDS = 60  # a policy loaded by another process is seen within this


@dataclass(frozen=True)
class PolicyLoaded:
    """What `policy load` did, in one line for the admin."""

    policy: Policy
    outcome: str  # "added", "corrected", "unchanged"
    claims_on_earlier: int = 0  # claims that keep the version they were judged under

    def summary(self) -> str:
        p = self.policy
        line = f"policy {p.district} {p.starts_on}..{p.ends_on} version {p.version}: {self.outcome}"
        if self.outcome == "corrected":
            line += f"; {self.claims_on_earlier} claims keep the version they were judged under"
        return line


def _all_versions() -> tuple[Policy, ...]:
    """Every policy version, read at most every KEEP_SECONDS per process (a page asks for
    the policies on every intake step; they change once a year)."""
    kept = _kept()
    found, versions = kept.get("all")
    if not found or versions is None:
        rows = db.session.scalars(sa.select(PolicyVersion).order_by(PolicyVersion.id))
        versions = tuple(_policy(row) for row in rows)
        kept.put("all", versions)
    return versions


def _kept() -> Kept[tuple[Policy, ...]]:
    kept: Kept[tuple[Policy, ...]] = current_app.extensions.setdefault(
        "kiosk.policies", Kept(KEEP_SECONDS, size=1)
    )
    return kept


def _policy(row: PolicyVersion) -> Policy:
    terms, exclusions, grade = terms_from_data(row.terms)
    return Policy(
        district=row.district,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        region_codes=tuple(row.region_codes),
        premium_per_person=row.premium_per_person,
        insured=row.insured,
        terms=terms,
        exclusions=exclusions,
        min_hospital_grade=grade,
        version=row.version,
        id=row.id,
    )


def settings_policy() -> Policy:
    config = current_app.config
    return Policy(
        district="",
        starts_on=config["POLICY_START"],
        ends_on=date.max,
        region_codes=tuple(config["DISTRICT_CODES"]),
        premium_per_person=Decimal("10"),
        insured=0,
    )


def every_version(*, fresh: bool = False) -> tuple[Policy, ...]:
    """Every version loaded; `fresh` reads them now (the worker's count), not as kept."""
    if fresh:
        _kept().forget()
    return _all_versions()


def newest_versions() -> tuple[Policy, ...]:
    """Each district's periods, each in its newest version."""
    newest: dict[tuple[str, date], Policy] = {}
    for policy in _all_versions():
        key = (policy.district, policy.starts_on)
        if key not in newest or newest[key].version < policy.version:
            newest[key] = policy
    return tuple(sorted(newest.values(), key=lambda p: (p.district, p.starts_on)))


def book_for(district: str) -> PolicyBook:
    """The policies of a branch's district. A branch naming no district takes the only
    district loaded; a district with none loaded, the settings' policy."""
    loaded = newest_versions()
    if not district and len({p.district for p in loaded}) == 1:
        district = loaded[0].district
    mine = tuple(p for p in loaded if p.district == district)
    return PolicyBook(mine or (settings_policy(),))


def policy_on(branch_name: str, day: date) -> Policy | None:
    """The policy in force on `day` for the district of the branch called `branch_name`."""
    if not _all_versions():
        return settings_policy() if settings_policy().covers(day) else None
    branch = db.session.scalar(sa.select(Branch.district).where(Branch.name == branch_name))
    return book_for(branch or "").in_force(day)


def terms_of(claim: Claim) -> PolicyTerms:
    """The terms a claim is judged under: its policy's, else the one in force on its accident
    date, else (an accident outside every policy) the settings' terms, for staff to decide."""
    policy = policy_by_id(claim.policy_id) or policy_on(claim.branch, claim.accident_date)
    return (policy or settings_policy()).terms


def policy_by_id(policy_id: int | None) -> Policy | None:
    return next((p for p in _all_versions() if p.id == policy_id), None) if policy_id else None


def load_policy(content: bytes, *, by: StaffUser | None = None) -> PolicyLoaded:
    """Load a reviewed policy file. The same period again is a correction: the next version,
    audited with the terms that changed; a period overlapping another of the district's is
    refused. One transaction: nothing half loaded."""
    policy = parse_policy_file(content)
    digest = hashlib.sha256(content).hexdigest()
    rows = db.session.scalars(
        sa.select(PolicyVersion)
        .where(PolicyVersion.district == policy.district)
        .order_by(PolicyVersion.version)
    ).all()
    same = [r for r in rows if r.starts_on == policy.starts_on]
    for row in rows:
        if row.starts_on != policy.starts_on and (
            row.starts_on <= policy.ends_on and policy.starts_on <= row.ends_on
        ):
            raise PolicyFileProblem(
                f"starts_on..ends_on: {policy.starts_on}..{policy.ends_on} overlaps the "
                f"district's policy {row.starts_on}..{row.ends_on}"
            )
    earlier = _policy(same[-1]) if same else None
    if earlier is not None and earlier.same_terms(policy):
        return PolicyLoaded(earlier, "unchanged")
    policy = replace(policy, version=earlier.version + 1 if earlier else 1)
    row = PolicyVersion(
        district=policy.district,
        starts_on=policy.starts_on,
        ends_on=policy.ends_on,
        version=policy.version,
        region_codes=list(policy.region_codes),
        premium_per_person=policy.premium_per_person,
        insured=policy.insured,
        terms=terms_as_data(policy),
        file_sha256=digest,
        loaded_by_id=by.id if by else None,
    )
    db.session.add(row)
    try:
        db.session.flush()  # where a load of the same version at the same moment fails
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise PolicyFileProblem(
            "another load of this policy ran at the same moment: list the policies, then "
            "load again if it is not there"
        ) from None
    in_use = 0
    if earlier is not None:
        in_use = (
            db.session.scalar(
                sa.select(sa.func.count(Claim.id)).where(Claim.policy_id.in_([r.id for r in same]))
            )
            or 0
        )
    db.session.add(
        AuditEvent(
            actor_role=Role(by.role.value) if by else Role.SYSTEM,
            actor_staff_id=by.id if by else None,
            action="policy.correct" if earlier else "policy.load",
            detail={
                "policy": row.id,
                "district": policy.district,
                "period": f"{policy.starts_on}..{policy.ends_on}",
                "version": policy.version,
                "changed": _changed(earlier, policy) if earlier else [],
                "file_sha256": digest,
            },
        )
    )
    db.session.commit()
    _kept().forget()
    return PolicyLoaded(replace(policy, id=row.id), "corrected" if earlier else "added", in_use)


def _changed(before: Policy, after: Policy) -> list[str]:
    """The names of the terms a correction changed (the audit keeps names, the file its hash)."""
    old, new = terms_as_data(before), terms_as_data(after)
    names = [k for k in new if old.get(k) != new[k]]
    for key in ("ends_on", "region_codes", "premium_per_person", "insured"):
        if getattr(before, key) != getattr(after, key):
            names.append(key)
    return names
