"""Enrolled tablets: a one-time code made by staff for a branch becomes a device whose
browser keeps a signed credential (ADR 0042). Revoked or unknown, a browser gets no kiosk.

The credential is `<device id>.<secret>`, signed with the app's secret key; only the
secret's keyed hash is kept, so a copy of the database enrols nothing."""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, Signer

from kiosk.claims.validation import clean_text, digits_only
from kiosk.platform.database import rows_changed
from kiosk.platform.extensions import db
from kiosk.platform.kept import Kept
from kiosk.platform.models import Branch, Device, EnrolCode, StaffUser, utcnow
from kiosk.platform.storage import vault
from kiosk.services.accounts import audit

CODE_DIGITS = 8
CODE_HOURS = 24  # a code not used within a day is of no use
SEEN_EVERY = timedelta(minutes=5)  # last contact is written at most this often
THIS_MACHINE = "本机"  # the device `make run` enrols for the browser on the same machine


class EnrolRefusal(StrEnum):
    """Why a code enrolled nothing: each is told plainly on the enrol page."""

    WRONG = "wrong"
    USED = "used"
    EXPIRED = "expired"


class DeviceProblem(ValueError):
    """A command on a device that cannot be done, in words for the admin."""


@dataclass(frozen=True)
class EnrolCodeMade:
    code: str  # CODE_DIGITS digits, shown once
    branch: str
    device_name: str
    expires_at: datetime


def _code_hash(code: str) -> str:
    return vault().lookup_hash("enrol:" + code)


def _secret_hash(secret: str) -> str:
    return vault().lookup_hash("device:" + secret)


def _signer() -> Signer:
    return Signer(current_app.config["SECRET_KEY"], salt="kiosk.device")


def _audit(action: str, device: Device, staff: StaffUser | None, **detail: object) -> None:
    context = {"device": device.name, "branch": device.branch.name, **detail}
    audit(staff, action, device_id=device.id, detail=context)


def make_enrol_code(
    branch: Branch, device_name: str, *, by: StaffUser | None = None, now: datetime | None = None
) -> EnrolCodeMade:
    """A new one-time code for a tablet of `branch`, valid CODE_HOURS hours."""
    now = now or utcnow()
    name = clean_text(device_name)[:64] or f"{branch.name} 平板"
    for _attempt in range(20):
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        if db.session.scalar(
            sa.select(EnrolCode.id).where(EnrolCode.code_hash == _code_hash(code))
        ):
            continue  # drawn before: its hash is unique, draw again
        expires = now + timedelta(hours=CODE_HOURS)
        db.session.add(
            EnrolCode(
                code_hash=_code_hash(code),
                branch_id=branch.id,
                device_name=name,
                made_by_id=by.id if by else None,
                made_at=now,
                expires_at=expires,
            )
        )
        db.session.commit()
        return EnrolCodeMade(code, branch.name, name, expires)
    raise RuntimeError("no free enrolment code")


def enrol(typed: str, *, now: datetime | None = None) -> tuple[Device, str] | EnrolRefusal:
    """The device a code makes and its credential for the cookie, or why not. Two tablets
    typing one code at once: one is enrolled, the other told the code is used."""
    now = now or utcnow()
    code = digits_only(typed)
    found = (
        db.session.scalar(sa.select(EnrolCode).where(EnrolCode.code_hash == _code_hash(code)))
        if len(code) == CODE_DIGITS
        else None
    )
    if found is None:
        return EnrolRefusal.WRONG
    if found.used_at is not None:
        return EnrolRefusal.USED
    if found.expires_at <= now:
        return EnrolRefusal.EXPIRED
    secret = secrets.token_urlsafe(32)
    device = Device(
        name=found.device_name,
        branch_id=found.branch_id,
        secret_hash=_secret_hash(secret),
        enrolled_at=now,
        enrolled_by_id=found.made_by_id,
        last_seen_at=now,
    )
    db.session.add(device)
    db.session.flush()
    taken = rows_changed(
        sa.update(EnrolCode)
        .where(EnrolCode.id == found.id, EnrolCode.used_at.is_(None))
        .values(used_at=now, device_id=device.id)
        .execution_options(synchronize_session=False)
    )
    if not taken:
        db.session.rollback()
        return EnrolRefusal.USED
    db.session.refresh(device)
    _audit("device.enrol", device, None)
    db.session.commit()
    return device, _credential(device, secret)


def _credential(device: Device, secret: str) -> str:
    return _signer().sign(f"{device.id}.{secret}").decode()


@dataclass(frozen=True)
class BranchSeen:
    name: str
    phone: str
    district: str


@dataclass(frozen=True)
class Tablet:
    """What a kiosk request needs of its device, read in one statement of plain columns."""

    id: int
    name: str
    printer: str
    revoked: bool
    last_seen_at: datetime
    branch: BranchSeen


KEEP_SECONDS = 2.0  # a revocation is seen at once by its own process, by the others within this


def _recent() -> Kept[Tablet | None]:
    """The tablets this process checked in the last KEEP_SECONDS, by credential: a tablet
    asks for a page or a fragment every few seconds."""
    recent: Kept[Tablet | None] = current_app.extensions.setdefault(
        "kiosk.tablets", Kept(KEEP_SECONDS)
    )
    return recent


def device_of(credential: str | None) -> Tablet | None:
    """The device a cookie names, revoked ones included (the caller refuses those); None
    for a missing, forged or unknown credential."""
    if not credential:
        return None
    known, tablet = _recent().get(credential)
    if not known:
        tablet = _read_tablet(credential)
        _recent().put(credential, tablet)
    return tablet


def _read_tablet(credential: str) -> Tablet | None:
    try:
        device_id, _, secret = _signer().unsign(credential).decode().partition(".")
    except (BadSignature, UnicodeDecodeError):
        return None
    if not device_id.isdigit() or not secret:
        return None
    row = db.session.execute(
        sa.select(
            Device.id,
            Device.name,
            Device.printer,
            Device.revoked_at,
            Device.last_seen_at,
            Device.secret_hash,
            Branch.name,
            Branch.phone,
            Branch.district,
        )
        .join(Branch, Branch.id == Device.branch_id)
        .where(Device.id == int(device_id))
    ).one_or_none()
    if row is None or not hmac.compare_digest(row[5], _secret_hash(secret)):
        return None
    return Tablet(row[0], row[1], row[2], row[3] is not None, row[4], BranchSeen(*row[6:]))


def seen(device: Tablet, now: datetime | None = None) -> None:
    """Note the device's last contact, at most every SEEN_EVERY (not a write per page)."""
    now = now or utcnow()
    if now - device.last_seen_at >= SEEN_EVERY:
        db.session.execute(sa.update(Device).where(Device.id == device.id).values(last_seen_at=now))
        db.session.commit()


def is_this_machine(address: str | None) -> bool:
    """Whether a browser's address is this machine's own (loopback)."""
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


def enrol_this_machine() -> tuple[Device, str]:
    """The single-branch default (KIOSK_ENROL_THIS_MACHINE, set by `make run`): a browser on
    this machine is enrolled to the first branch, made from KIOSK_BRANCH_NAME and
    KIOSK_BRANCH_PHONE when there is none yet."""
    branch = default_branch()
    secret = secrets.token_urlsafe(32)
    device = Device(name=THIS_MACHINE, branch_id=branch.id, secret_hash=_secret_hash(secret))
    db.session.add(device)
    db.session.flush()
    db.session.refresh(device)
    _audit("device.enrol", device, None, this_machine=True)
    db.session.commit()
    return device, _credential(device, secret)


def default_branch() -> Branch:
    """The first branch; made from the settings if the list is empty."""
    for _attempt in range(3):
        branch = db.session.scalar(sa.select(Branch).order_by(Branch.id).limit(1))
        if branch is not None:
            return branch
        config = current_app.config
        db.session.add(Branch(name=config["BRANCH_NAME"], phone=config["BRANCH_PHONE"]))
        try:
            db.session.commit()
        except sa.exc.IntegrityError:  # another first request made it meanwhile
            db.session.rollback()
    raise RuntimeError("could not make the default branch")


def devices() -> list[Device]:
    return list(db.session.scalars(sa.select(Device).order_by(Device.branch_id, Device.id)))


def _device(device_id: int) -> Device:
    device = db.session.get(Device, device_id)
    if device is None:
        raise DeviceProblem(f"no device {device_id}")
    return device


PRINTER_URL = re.compile(r"tcp://[A-Za-z0-9.\-]+(:\d{1,5})?|usb://[0-9a-fA-F]{4}:[0-9a-fA-F]{4}")


def set_printer(device_id: int, url: str, *, by: StaffUser | None = None) -> Device:
    """The tablet's own receipt printer (tcp://host:9100 or usb://04b8:0202); empty: the
    kiosk's KIOSK_PRINTER (or the browser prints)."""
    device = _device(device_id)
    url = url.strip()
    if url and not PRINTER_URL.fullmatch(url):
        raise DeviceProblem(f"printer: {url!r} is not tcp://host[:port] or usb://vendor:product")
    _recent().forget()
    before, device.printer = device.printer, url
    _audit("device.printer", device, by, before=before, after=url)
    db.session.commit()
    return device


def note_printer(device_id: int, problem: str) -> None:
    """How the tablet's printer answered just now ("" fine, else the PrinterProblem reason):
    the back office's device list shows it, paper out first."""
    db.session.execute(
        sa.update(Device)
        .where(Device.id == device_id)
        .values(printer_problem=problem[:16], printer_checked_at=utcnow())
    )
    db.session.commit()


def rename(device_id: int, name: str, *, by: StaffUser | None = None) -> Device:
    device = _device(device_id)
    _recent().forget()
    new = clean_text(name)[:64]
    if not new:
        raise DeviceProblem("name: empty")
    old, device.name = device.name, new
    _audit("device.rename", device, by, before=old)
    db.session.commit()
    return device


def revoke(device_id: int, *, by: StaffUser | None = None) -> Device:
    """At once: its next request gets the not-enrolled page. Its drafts stay for their 续办码."""
    device = _device(device_id)
    _recent().forget()
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        _audit("device.revoke", device, by)
        db.session.commit()
    return device
