"""The rules of a staff account that need no database: what a login or a new password can be
refused for, and the shortest password."""

from __future__ import annotations

from enum import StrEnum

PASSWORD_MIN = 12


class LoginProblem(StrEnum):
    WRONG = "wrong"  # unknown user or wrong password: one answer for both
    THROTTLED = "throttled"  # too many failures from this address: wait, nothing checked
    INACTIVE = "inactive"


class PasswordProblem(StrEnum):
    SHORT = "short"
    SAME_AS_USERNAME = "same_as_username"
    UNCHANGED = "unchanged"


def password_problem(staff_username: str, password: str) -> PasswordProblem | None:
    if len(password) < PASSWORD_MIN:
        return PasswordProblem.SHORT
    if password.strip().lower() == staff_username.lower():
        return PasswordProblem.SAME_AS_USERNAME
    return None
