"""What the case page reads beside the claim itself: who the staff are, the case's audit
trail and its notes."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from kiosk.platform.extensions import db
from kiosk.platform.models import AuditEvent, CaseNote, Claim, Document, StaffUser

AUDIT_SHOWN = 200  # the latest rows of a case's audit trail on its page


def open_case(claim_id: int) -> Claim | None:
    """The claim with all its page shows, in a fixed few statements however many documents and
    pages it has: the people joined, the events, documents and their pages loaded at once."""
    return db.session.scalar(
        sa.select(Claim)
        .where(Claim.id == claim_id)
        .options(
            joinedload(Claim.insured),
            joinedload(Claim.reporter),
            selectinload(Claim.events),
            selectinload(Claim.documents).selectinload(Document.pages),
        )
        .execution_options(populate_existing=True)
    )


def staff_names() -> dict[int | None, str]:
    """Every staff member's display name by id."""
    rows = db.session.execute(sa.select(StaffUser.id, StaffUser.display_name))
    return {staff_id: name for staff_id, name in rows}


def audit_trail(claim_id: int) -> Sequence[AuditEvent]:
    """The case's latest audit rows, newest first."""
    return db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.claim_id == claim_id)
        .order_by(AuditEvent.id.desc())
        .limit(AUDIT_SHOWN)
    ).all()


def notes_of(claim_id: int) -> Sequence[CaseNote]:
    """The case's notes, oldest first."""
    return db.session.scalars(
        sa.select(CaseNote).where(CaseNote.claim_id == claim_id).order_by(CaseNote.id)
    ).all()
