"""管理: what administrators do to staff accounts. A new account gets a one-time password,
returned once; an account is deactivated (signed out everywhere at once), activated again, or
given a new one-time password. Every change is audited."""

from __future__ import annotations

import sqlalchemy as sa

from kiosk.claims.validation import clean_text
from kiosk.platform.extensions import db
from kiosk.platform.models import StaffRole, StaffSession, StaffUser, utcnow
from kiosk.services import accounts

ACCOUNT_ACTIONS = ("deactivate", "activate", "reset")
TEXT_MAX = 64  # a display name, a branch


class AccountRefused(Exception):
    """The new account's answers refused: `problems` maps a field to its problem
    ("username_bad", "username_taken", "role_empty")."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(", ".join(problems.values()))
        self.problems = problems


class NotYourself(Exception):
    """An administrator may not deactivate their own account."""


def open_account(
    username: str, role: str, *, display_name: str, branch: str, by: StaffUser
) -> tuple[StaffUser, str]:
    """新建账户: letters, digits, - and _ in the username, one of the roles; returns the
    account and its one-time password. Raises AccountRefused."""
    name = accounts.normalise_username(username)
    problems: dict[str, str] = {}
    if not name or not name.replace("-", "").replace("_", "").isalnum():
        problems["username"] = "username_bad"
    if role not in {r.value for r in StaffRole}:
        problems["role"] = "role_empty"
    if problems:
        raise AccountRefused(problems)
    try:
        account, password = accounts.create_staff(
            name,
            StaffRole(role),
            display_name=clean_text(display_name)[:TEXT_MAX],
            branch=clean_text(branch)[:TEXT_MAX],
            by=by,
        )
    except ValueError:
        raise AccountRefused({"username": "username_taken"}) from None
    return account, password or ""


def change_account(account: StaffUser, action: str, by: StaffUser, ip: str) -> str | None:
    """停用 / 启用 an account (one of ACCOUNT_ACTIONS), or give it a new one-time password,
    returned once. Raises NotYourself for an administrator deactivating their own."""
    if account.id == by.id and action == "deactivate":
        raise NotYourself
    if action == "reset":
        return accounts.reset_password(account, by, ip)
    account.active = action == "activate"
    if not account.active:  # signed out everywhere at once
        db.session.execute(
            sa.update(StaffSession)
            .where(StaffSession.staff_id == account.id, StaffSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
    accounts.audit(by, f"staff.{action}", detail={"staff": account.id}, ip=ip)
    db.session.commit()
    return None
