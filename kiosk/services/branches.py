"""The district's branches (service points): added and changed by admins, from the command
line or the back office. A branch's name is how claims and staff name it, so it is unique."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from kiosk.claims.validation import InvalidInput, check_service_phone, clean_text
from kiosk.platform.extensions import db
from kiosk.platform.models import Branch, Claim

LIMITS = {"name": 64, "phone": 32, "address": 128, "opening_hours": 64, "district": 64}


class BranchProblem(ValueError):
    """Why a branch could not be added or changed, naming the field: shown to the admin.
    `field` and `kind` ("missing", "long", "empty", "taken", "phone", "unknown") say it in
    the back office's words; the text is the command line's."""

    def __init__(self, text: str, field: str = "", kind: str = "unknown") -> None:
        super().__init__(text)
        self.field, self.kind = field, kind


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


@dataclass(frozen=True)
class ServicePoint:
    """A branch's name and phone as a page or receipt prints them."""

    name: str
    phone: str


def branch_of(claim: Claim) -> ServicePoint:
    """The branch a claim was filed at, as it is now (its phone may have changed); the
    settings' branch for a claim filed before branches were data."""
    branch = branch_named(claim.branch) if claim.branch else None
    if branch is not None:
        return ServicePoint(branch.name, branch.phone)
    config = current_app.config
    return ServicePoint(claim.branch or config["BRANCH_NAME"], config["BRANCH_PHONE"])


def add_branch(details: BranchDetails) -> Branch:
    """A new branch; its name and phone are needed, the name not taken by another."""
    if not details.name or not details.phone:
        raise BranchProblem(
            "a branch needs a name and a phone", "phone" if details.name else "name", "missing"
        )
    branch = Branch(**_checked(details, None))
    db.session.add(branch)
    db.session.commit()
    return branch


def edit_branch(name: str, details: BranchDetails) -> Branch:
    """The branch called `name`, with the fields given changed."""
    branch = branch_named(name)
    if branch is None:
        raise BranchProblem(f"no branch named {clean_text(name)!r}", "name", "unknown")
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
            text = f"{field}: at most {LIMITS[field]} characters ({len(value)})"
            raise BranchProblem(text, field, "long")
    if "name" in values:
        if not values["name"]:
            raise BranchProblem("name: empty", "name", "empty")
        other = branch_named(values["name"])
        if other is not None and other is not branch:
            text = f"name: {values['name']!r} is another branch's already"
            raise BranchProblem(text, "name", "taken")
    if "phone" in values:
        try:
            values["phone"] = check_service_phone(values["phone"])
        except InvalidInput as problem:
            text = f"phone: {values['phone']!r} is not a phone number ({problem})"
            raise BranchProblem(text, "phone", "phone") from None
    return values
