"""The two secrets a receipt carries: the tracking link's token and the six-digit 补交码."""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from kiosk.claims.case_numbers import new_tracking_token
from kiosk.claims.states import CaseState
from kiosk.claims.validation import digits_only
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim
from kiosk.platform.storage import vault

OPEN_STATES = [state for state in CaseState if state.is_open]


def _code_hash(code: str) -> str:
    return vault().lookup_hash("supplement:" + code)


def give_codes(claim: Claim) -> None:
    """A claim's tracking token (192 random bits) and 补交码. Given at submission; reprints
    show the same ones, since both are kept encrypted beside their keyed hashes. Given again
    only for 换新链接: the old QR code and code then stop working at once."""
    token = new_tracking_token()
    claim.tracking_token, claim.tracking_token_hash = token, vault().lookup_hash(token)
    give_supplement_code(claim)


def give_supplement_code(claim: Claim) -> str:
    """Six digits no other open case holds. A code works only while its case is open, so
    the million codes are shared by the open cases, never used up by closed ones."""
    for _ in range(50):
        code = f"{secrets.randbelow(10**6):06d}"
        digest = _code_hash(code)
        taken = db.session.scalar(
            sa.select(Claim.id).where(
                Claim.supplement_code_hash == digest, Claim.state.in_(OPEN_STATES)
            )
        )
        if taken is None:
            claim.supplement_code, claim.supplement_code_hash = code, digest
            return code
    raise RuntimeError("no free supplement code")


def supplement_code_of(claim: Claim) -> str:
    """The claim's 补交码, given now (and saved) to a claim made before codes existed."""
    if claim.supplement_code:
        return claim.supplement_code
    code = give_supplement_code(claim)
    db.session.commit()
    return code


def find_by_supplement_code(raw: str) -> Claim | None:
    """The open case holding this 补交码, or None (also when two open cases share it, which
    only a reopened old case can cause: staff help then)."""
    code = digits_only(raw)
    if len(code) != 6:
        return None
    found = db.session.scalars(
        sa.select(Claim).where(
            Claim.supplement_code_hash == _code_hash(code), Claim.state.in_(OPEN_STATES)
        )
    ).all()
    return found[0] if len(found) == 1 else None
