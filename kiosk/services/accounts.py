"""Staff accounts and their sessions: argon2 passwords of 12 characters or more, sessions
kept on the server that end after 30 minutes idle or 12 hours in all, and password guessing
slowed without letting a stranger lock anyone out (OWASP ASVS 2.2.1).

Failed logins are counted per address at one username and per address at all usernames
(`LoginThrottle`). One address has 3 free failures at one username, then must wait 1
minute before its next try there, then 2, 4, 8 ... at most 60 minutes; 10 failures from one
address at any usernames slow it the same way at all of them. A try is counted before its
password is checked, in one atomic step, so tries sent together cannot slip past a wait; a
try during a wait is answered with how long to wait and its password is not checked. The
right password clears the count at its username; the counts are forgotten after a quiet day
(one username) or a quiet hour (any), once the last wait is over. An address that has not
failed keeps its free tries however many others fail, so the owner still gets in. Unknown
usernames are counted and answered exactly as known ones. 10 failures at one account within
15 minutes show on the administrators' accounts page, and once in the audit log. Every
login, good, bad or refused, is audited with where it came from."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from kiosk.claims.accounts import PASSWORD_MIN, LoginProblem, PasswordProblem, password_problem
from kiosk.claims.states import Role
from kiosk.platform.extensions import db
from kiosk.platform.models import (
    AuditEvent,
    LoginThrottle,
    StaffRole,
    StaffSession,
    StaffUser,
    utcnow,
)
from kiosk.platform.storage import vault

IDLE_LIMIT = timedelta(minutes=30)
SESSION_LIMIT = timedelta(hours=12)
SEEN_EVERY = timedelta(minutes=1)  # last_seen_at is written at most once a minute

FIRST_WAIT = timedelta(minutes=1)  # after the free failures; doubled at each one more
LONGEST_WAIT = timedelta(minutes=60)
ATTACK_FAILURES = 10  # failures at one account within ATTACK_WINDOW: administrators see it
ATTACK_WINDOW = timedelta(minutes=15)
_RACES = 10  # tries at taking a login try before giving up (answered as a short wait)

# argon2's own defaults (RFC 9106's second recommendation), and for the tests a cheap cost
# that no setting can choose outside them (PASSWORD_HASH_COST="test" needs TESTING).
_HASHERS = {
    "standard": PasswordHasher(),
    "test": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}
_stand_ins: dict[str, str] = {}


def _cost() -> str:
    config = current_app.config
    return "test" if config["TESTING"] and config["PASSWORD_HASH_COST"] == "test" else "standard"


def _hasher() -> PasswordHasher:
    return _HASHERS[_cost()]


def _stand_in() -> str:
    """Checked against when the username is unknown, so both answers take the same time."""
    cost = _cost()
    if cost not in _stand_ins:
        _stand_ins[cost] = _HASHERS[cost].hash(secrets.token_urlsafe(16))
    return _stand_ins[cost]


@dataclass(frozen=True)
class Throttle:
    """How one kind of count slows guessing: free failures, then waits that double up to
    LONGEST_WAIT; the count is forgotten once the address has been quiet for `memory` after
    its last wait."""

    name: str
    free: int
    memory: timedelta

    def wait_after(self, failures: int) -> timedelta:
        if failures <= self.free:
            return timedelta(0)
        doublings = min(failures - self.free - 1, 16)
        return min(FIRST_WAIT * (1 << doublings), LONGEST_WAIT)


AT_ONE_USERNAME = Throttle("pair", free=3, memory=timedelta(hours=24))
AT_ANY_USERNAME = Throttle("address", free=10, memory=timedelta(hours=1))


@dataclass
class LoginResult:
    staff: StaffUser | None
    problem: LoginProblem | None = None
    wait: timedelta | None = None  # how long this address must wait before its next try


def normalise_username(raw: str) -> str:
    return (raw or "").strip().lower()[:64]


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
        password_hash=_hasher().hash(secret),
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
    staff.password_hash = _hasher().hash(password)
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
    detail: dict[str, Any] | None = None,
    ip: str = "",
    device_id: int | None = None,
) -> None:
    """Add an audit row for a staff action (the caller commits); `device_id` names the
    tablet acted on (by default the row names the tablet that made the request)."""
    event = AuditEvent(
        actor_role=Role(staff.role.value) if staff else Role.SYSTEM,
        actor_staff_id=staff.id if staff else None,
        action=action,
        claim_id=claim_id,
        detail=detail or {},
        ip=ip,
    )
    if device_id is not None:
        event.device_id = device_id
    db.session.add(event)


@dataclass(frozen=True)
class _Count:
    failures: int
    wait_until: datetime
    forget_at: datetime


@dataclass(frozen=True)
class _Taken:
    """A try counted as a failure before its password is checked, to be undone if right."""

    key: str
    before: _Count | None
    after: _Count
    version: int


def _throttle_key(throttle: Throttle, ip: str, name: str = "") -> str:
    return vault().lookup_hash(f"login-throttle:{throttle.name}:{ip}\n{name}")


def _take_try(name: str, ip: str, now: datetime) -> list[_Taken] | timedelta:
    """Count this try as a failure of this address at this username and at any, before
    the password is checked; or, while either must wait, how long. Committed at once and
    atomically (the rows' version), so tries sent together cannot slip in side by side."""
    throttles = {
        _throttle_key(AT_ONE_USERNAME, ip, name): AT_ONE_USERNAME,
        _throttle_key(AT_ANY_USERNAME, ip): AT_ANY_USERNAME,
    }
    for _ in range(_RACES):
        rows = {
            row.key: row
            for row in db.session.scalars(
                sa.select(LoginThrottle)
                .where(LoginThrottle.key.in_(throttles))
                .execution_options(populate_existing=True)
            )
        }
        live = [row for row in rows.values() if row.forget_at > now]
        waits = [row.wait_until - now for row in live if row.wait_until > now]
        if waits:
            return max(waits)
        taken = []
        for key, throttle in throttles.items():
            row = rows.get(key)
            before = _Count(row.failures, row.wait_until, row.forget_at) if row else None
            failures = (row.failures if row and row.forget_at > now else 0) + 1
            wait_until = now + throttle.wait_after(failures)
            after = _Count(failures, wait_until, wait_until + throttle.memory)
            if row is None:
                row = LoginThrottle(key=key)
                db.session.add(row)
            row.failures, row.wait_until, row.forget_at = (
                after.failures,
                after.wait_until,
                after.forget_at,
            )
            taken.append((key, before, after, row))
        try:
            db.session.flush()
            counted = [_Taken(key, before, after, row.version) for key, before, after, row in taken]
            db.session.commit()
        except (StaleDataError, sa.exc.IntegrityError, sa.exc.OperationalError):
            db.session.rollback()  # another try from this address came first: read again
            continue
        return counted
    return FIRST_WAIT


def _give_back(taken: list[_Taken], now: datetime) -> None:
    """The password was right: this address's count at this username starts again, and its
    count at any username is as before this try (unless another try moved it meanwhile)."""
    pair, address = taken
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key == pair.key))
    same = (LoginThrottle.key == address.key) & (LoginThrottle.version == address.version)
    if address.before is None:
        db.session.execute(sa.delete(LoginThrottle).where(same))
    else:
        db.session.execute(
            sa.update(LoginThrottle)
            .where(same)
            .values(
                failures=address.before.failures,
                wait_until=address.before.wait_until,
                forget_at=address.before.forget_at,
                version=LoginThrottle.version + 1,
            )
        )
    # Counts forgotten are only rows: a good login clears them away.
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.forget_at <= now))


def _failures_at(name: str, staff: StaffUser | None, now: datetime) -> tuple[int, int]:
    """Failures at this username within ATTACK_WINDOW, from how many addresses."""
    who = (
        AuditEvent.actor_staff_id == staff.id
        if staff is not None
        else AuditEvent.detail["username"].as_string() == name
    )
    failures, addresses = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(sa.distinct(AuditEvent.ip))).where(
            AuditEvent.action == "staff.login_failed",
            AuditEvent.at > now - ATTACK_WINDOW,
            who,
        )
    ).one()
    return failures, addresses


@dataclass(frozen=True)
class UnderAttack:
    """An account with many failed logins lately, for the administrators."""

    staff: StaffUser
    failures: int
    addresses: int


def accounts_under_attack(now: datetime | None = None) -> list[UnderAttack]:
    """Accounts with ATTACK_FAILURES or more failed logins within ATTACK_WINDOW, most first."""
    since = (now or utcnow()) - ATTACK_WINDOW
    failures = sa.func.count(AuditEvent.id)
    rows = db.session.execute(
        sa.select(StaffUser, failures, sa.func.count(sa.distinct(AuditEvent.ip)))
        .join(AuditEvent, AuditEvent.actor_staff_id == StaffUser.id)
        .where(AuditEvent.action == "staff.login_failed", AuditEvent.at > since)
        .group_by(StaffUser.id)
        .having(failures >= ATTACK_FAILURES)
        .order_by(failures.desc(), StaffUser.username)
    ).all()
    return [UnderAttack(staff, n, addresses) for staff, n, addresses in rows]


def authenticate(username: str, password: str, ip: str) -> LoginResult:
    """Check a login, unless this address must wait first (THROTTLED, with how long; the
    password is then not checked). A known and an unknown username get the same answers."""
    now = utcnow()
    name = normalise_username(username)
    taken = _take_try(name, ip, now)
    staff = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == name))
    unknown = {"username": name} if staff is None else {}
    if isinstance(taken, timedelta):
        audit(staff, "staff.login_throttled", detail=unknown, ip=ip)
        db.session.commit()
        return LoginResult(None, LoginProblem.THROTTLED, taken)
    good: bool
    try:
        good = _hasher().verify(staff.password_hash if staff else _stand_in(), password or "")
    except (VerificationError, InvalidHashError):
        good = False
    if staff is None or not good:
        audit(staff, "staff.login_failed", detail=unknown, ip=ip)
        db.session.flush()
        failures, addresses = _failures_at(name, staff, now)
        if staff is not None and failures == ATTACK_FAILURES:
            attack = {"staff": staff.id, "failures": failures, "addresses": addresses}
            audit(None, "staff.login_under_attack", detail=attack)
        db.session.commit()
        wait = max(t.after.wait_until for t in taken) - now
        return LoginResult(None, LoginProblem.WRONG, wait or None)
    if not staff.active:
        audit(staff, "staff.login_inactive", ip=ip)
        db.session.commit()
        return LoginResult(None, LoginProblem.INACTIVE)
    _give_back(taken, now)
    if _hasher().check_needs_rehash(staff.password_hash):
        staff.password_hash = _hasher().hash(password)
    db.session.commit()
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


# Built once: every page of the back office runs it (SQLAlchemy keys its cache on it).
_SESSION_BY_TOKEN = (
    sa.select(StaffSession)
    .where(StaffSession.token_hash == sa.bindparam("token_hash"))
    .options(joinedload(StaffSession.staff))
)


def current_session(token: str | None) -> StaffSession | None:
    """The live session for this token, touched; None if unknown, ended, idle or too old."""
    if not token:
        return None
    record = db.session.scalar(_SESSION_BY_TOKEN, {"token_hash": _token_hash(token)})
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
        _hasher().verify(staff.password_hash, current or "")
    except (VerificationError, InvalidHashError):
        return "wrong"
    problem = password_problem(staff.username, new)
    if problem is None and new == current:
        problem = PasswordProblem.UNCHANGED
    if problem is not None:
        return problem
    staff.password_hash = _hasher().hash(new)
    staff.must_change_password = False
    audit(staff, "staff.password_change")
    db.session.commit()
    return None
