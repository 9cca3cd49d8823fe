"""The district's branches (service points): added and changed by admins, from the command
line or the back office. A branch's name is how claims and staff name it, so it is unique."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from kiosk.claims.validation import InvalidInput, check_service_phone, clean_text
from kiosk.platform.extensions import db
from kiosk.platform.models import Branch

LIMITS = {"name": 64, "phone": 32, "address": 128, "opening_hours": 64, "district": 64}


class BranchProblem(ValueError):
    """Why a branch could not be added or changed, naming the field: shown to the admin."""


@dataclass(frozen=True)
class BranchDetails:
    """What an admin types for a branch; None leaves a field as it is (edit)."""

    name: str | None = None
    phone: str | None = None
    address: str | None = None
    opening_hours: str | None = None
    district: str | None = None


def branches() -> list[Branch]:
    return list(db.session.scalars(sa.select(Branch).order_by(Branch.district, Branch.name)))


def branch_named(name: str) -> Branch | None:
    return db.session.scalar(sa.select(Branch).where(Branch.name == clean_text(name)))


def add_branch(details: BranchDetails) -> Branch:
    """A new branch; its name and phone are needed, the name not taken by another."""
    if not details.name or not details.phone:
        raise BranchProblem("a branch needs a name and a phone")
    branch = Branch(**_checked(details, None))
    db.session.add(branch)
    db.session.commit()
    return branch


def edit_branch(name: str, details: BranchDetails) -> Branch:
    """The branch called `name`, with the fields given changed."""
    branch = branch_named(name)
    if branch is None:
        raise BranchProblem(f"no branch named {clean_text(name)!r}")
    for field, value in _checked(details, branch).items():
        setattr(branch, field, value)
    db.session.commit()
    return branch


def _checked(details: BranchDetails, branch: Branch | None) -> dict[str, str]:
    values = {
        field: clean_text(value).replace("\n", " ")
        for field, value in vars(details).items()
        if value is not None
    }
    for field, value in values.items():
        if len(value) > LIMITS[field]:
            raise BranchProblem(f"{field}: at most {LIMITS[field]} characters ({len(value)})")
    if "name" in values:
        if not values["name"]:
            raise BranchProblem("name: empty")
        other = branch_named(values["name"])
        if other is not None and other is not branch:
            raise BranchProblem(f"name: {values['name']!r} is another branch's already")
    if "phone" in values:
        try:
            values["phone"] = check_service_phone(values["phone"])
        except InvalidInput as problem:
            text = f"phone: {values['phone']!r} is not a phone number ({problem})"
            raise BranchProblem(text) from None
    return values
