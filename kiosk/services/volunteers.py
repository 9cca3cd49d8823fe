"""Volunteer codes: issued by staff, typed at the kiosk, revocable. Only keyed hashes are kept."""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from kiosk.claims.validation import digits_only
from kiosk.platform.extensions import db
from kiosk.platform.models import Volunteer, utcnow
from kiosk.platform.storage import vault

CODE_LENGTH = 8


def code_hash(code: str) -> str:
    return vault().lookup_hash("volunteer:" + code)


def issue_volunteer(
    name: str, community: str = "", phone: str | None = None, code: str | None = None
) -> tuple[Volunteer, str]:
    """A new volunteer with a fresh eight-digit code (returned once, never stored in clear)."""
    for _ in range(20):
        code = code or f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
        if (
            db.session.scalar(sa.select(Volunteer.id).where(Volunteer.code_hash == code_hash(code)))
            is None
        ):
            volunteer = Volunteer(
                name=name, community=community, phone=phone, code_hash=code_hash(code)
            )
            db.session.add(volunteer)
            db.session.commit()
            return volunteer, code
        code = None
    raise RuntimeError("no free volunteer code")


def volunteer_by_code(raw: str) -> Volunteer | None:
    code = digits_only(raw)
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(
        sa.select(Volunteer).where(
            Volunteer.code_hash == code_hash(code), Volunteer.revoked_at.is_(None)
        )
    )


def revoke_volunteer(volunteer_id: int) -> bool:
    volunteer = db.session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.revoked_at is not None:
        return False
    volunteer.revoked_at = utcnow()
    db.session.commit()
    return True
