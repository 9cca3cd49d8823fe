"""Staff accounts and their sessions: argon2 passwords of 12 characters or more, a lockout
after 10 failures in 15 minutes, sessions kept on the server that end after 30 minutes idle
or 12 hours in all. Every login, good or bad, is audited with where it came from."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .claims.states import Role
from .extensions import db
from .models import AuditEvent, StaffRole, StaffSession, StaffUser, utcnow
from .storage import vault

PASSWORD_MIN = 12
LOCKOUT_FAILURES = 10
LOCKOUT_WINDOW = timedelta(minutes=15)
IDLE_LIMIT = timedelta(minutes=30)
SESSION_LIMIT = timedelta(hours=12)
SEEN_EVERY = timedelta(minutes=1)  # last_seen_at is written at most once a minute

_hasher = PasswordHasher()
# Checked against when the username is unknown, so both answers take the same time.
_STAND_IN = _hasher.hash(secrets.token_urlsafe(16))


class LoginProblem(StrEnum):
    WRONG = "wrong"  # unknown user or wrong password: one answer for both
    LOCKED = "locked"
    INACTIVE = "inactive"


class PasswordProblem(StrEnum):
    SHORT = "short"
    SAME_AS_USERNAME = "same_as_username"
    UNCHANGED = "unchanged"


@dataclass
class LoginResult:
    staff: StaffUser | None
    problem: LoginProblem | None = None


def normalise_username(raw: str) -> str:
    return (raw or "").strip().lower()[:64]


def password_problem(staff_username: str, password: str) -> PasswordProblem | None:
    if len(password) < PASSWORD_MIN:
        return PasswordProblem.SHORT
    if password.strip().lower() == staff_username.lower():
        return PasswordProblem.SAME_AS_USERNAME
    return None


def one_time_password() -> str:
    """16 characters from an alphabet without look-alikes, to be changed at first login."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


def create_staff(
    username: str,
    role: StaffRole,
    *,
    display_name: str = "",
    password: str | None = None,
    branch: str = "",
    by: StaffUser | None = None,
) -> tuple[StaffUser, str | None]:
    """A new account. Without a password, a one-time one is made, returned once, and must be
    changed at first login. Raises ValueError on a taken name or a too-short password."""
    name = normalise_username(username)
    if not name:
        raise ValueError("the username is empty")
    if db.session.scalar(sa.select(StaffUser.id).where(StaffUser.username == name)):
        raise ValueError(f"the username {name} is taken")
    generated = None if password else one_time_password()
    secret = password or generated or ""
    problem = password_problem(name, secret)
    if problem is not None:
        raise ValueError(f"password: {problem.value} (at least {PASSWORD_MIN} characters)")
    staff = StaffUser(
        username=name,
        display_name=display_name or name,
        role=role,
        password_hash=_hasher.hash(secret),
        must_change_password=generated is not None,
        branch=branch,
    )
    db.session.add(staff)
    db.session.flush()
    audit(by, "staff.create", detail={"staff": staff.id, "role": role.value})
    db.session.commit()
    return staff, generated


def reset_password(staff: StaffUser, by: StaffUser, ip: str) -> str:
    """A new one-time password (returned once); the account's sessions end."""
    password = one_time_password()
    staff.password_hash = _hasher.hash(password)
    staff.must_change_password = True
    db.session.execute(
        sa.update(StaffSession)
        .where(StaffSession.staff_id == staff.id, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    audit(by, "staff.reset", detail={"staff": staff.id}, ip=ip)
    db.session.commit()
    return password


def audit(
    staff: StaffUser | None,
    action: str,
    *,
    claim_id: int | None = None,
    detail: dict | None = None,
    ip: str = "",
) -> None:
    """Add an audit row for a staff action (the caller commits)."""
    db.session.add(
        AuditEvent(
            actor_role=Role(staff.role.value) if staff else Role.SYSTEM,
            actor_staff_id=staff.id if staff else None,
            action=action,
            claim_id=claim_id,
            detail=detail or {},
            ip=ip,
        )
    )


def _recent_failures(staff: StaffUser, now: datetime) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.actor_staff_id == staff.id,
            AuditEvent.action == "staff.login_failed",
            AuditEvent.at > now - LOCKOUT_WINDOW,
        )
    )


def authenticate(username: str, password: str, ip: str) -> LoginResult:
    """Check a login. A locked account answers LOCKED even to the right password."""
    now = utcnow()
    name = normalise_username(username)
    staff = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == name))
    try:
        good = _hasher.verify(staff.password_hash if staff else _STAND_IN, password or "")
    except (VerificationError, InvalidHashError):
        good = False
    if staff is None:
        audit(None, "staff.login_failed", detail={"username": name}, ip=ip)
        db.session.commit()
        return LoginResult(None, LoginProblem.WRONG)
    if _recent_failures(staff, now) >= LOCKOUT_FAILURES:
        audit(staff, "staff.login_locked", ip=ip)
        db.session.commit()
        return LoginResult(None, LoginProblem.LOCKED)
    if not good:
        audit(staff, "staff.login_failed", ip=ip)
        db.session.commit()
        return LoginResult(None, LoginProblem.WRONG)
    if not staff.active:
        audit(staff, "staff.login_inactive", ip=ip)
        db.session.commit()
        return LoginResult(None, LoginProblem.INACTIVE)
    if _hasher.check_needs_rehash(staff.password_hash):
        staff.password_hash = _hasher.hash(password)
    return LoginResult(staff)


def _token_hash(token: str) -> str:
    return vault().lookup_hash("staff-session:" + token)


def start_session(staff: StaffUser, ip: str) -> str:
    """A new server-side session; returns its token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        StaffSession(token_hash=_token_hash(token), staff_id=staff.id, ip=ip, created_at=now)
    )
    staff.last_login_at = now
    audit(staff, "staff.login", ip=ip)
    db.session.commit()
    return token


def current_session(token: str | None) -> StaffSession | None:
    """The live session for this token, touched; None if unknown, ended, idle or too old."""
    if not token:
        return None
    record = db.session.scalar(
        sa.select(StaffSession).where(StaffSession.token_hash == _token_hash(token))
    )
    now = utcnow()
    if record is None or record.ended_at is not None:
        return None
    if now - record.last_seen_at > IDLE_LIMIT or now - record.created_at > SESSION_LIMIT:
        record.ended_at = now
        db.session.commit()
        return None
    if not record.staff.active:
        return None
    if now - record.last_seen_at > SEEN_EVERY:
        record.last_seen_at = now
        db.session.commit()
    return record


def end_session(token: str | None) -> None:
    record = current_session(token)
    if record is not None:
        record.ended_at = utcnow()
        audit(record.staff, "staff.logout", ip=record.ip)
        db.session.commit()


def change_password(staff: StaffUser, current: str, new: str) -> PasswordProblem | str | None:
    """None when changed; "wrong" when the current password is wrong; else the problem."""
    try:
        _hasher.verify(staff.password_hash, current or "")
    except (VerificationError, InvalidHashError):
        return "wrong"
    problem = password_problem(staff.username, new)
    if problem is None and new == current:
        problem = PasswordProblem.UNCHANGED
    if problem is not None:
        return problem
    staff.password_hash = _hasher.hash(new)
    staff.must_change_password = False
    audit(staff, "staff.password_change")
    db.session.commit()
    return None
