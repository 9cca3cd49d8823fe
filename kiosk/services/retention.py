"""The end of a case's retention period (kiosk.claims.retention): a daily job counts the
cases past it, an administrator confirms, and the purge deletes the case's photos and
personal data, keeping an anonymised statistical row and the audit entry of the purge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from kiosk.claims.calendar import CHINA
from kiosk.claims.retention import kept_until, past_retention
from kiosk.claims.states import CaseState, Role
from kiosk.platform.database import detach_audit_rows
from kiosk.platform.extensions import db
from kiosk.platform.models import (
    AuditEvent,
    CaseNote,
    Claim,
    Complaint,
    Document,
    DocumentPage,
    Draft,
    HomeVisitRequest,
    Notification,
    OcrReading,
    Person,
    PurgedCase,
    SatisfactionAnswer,
    StaffUser,
)
from kiosk.platform.storage import files

CLOSED = (CaseState.PAID, CaseState.DECLINED)


@dataclass(frozen=True)
class Expired:
    """A closed case past its retention period, as the admin is shown it."""

    claim_id: int
    case_number: str
    claim_type: str
    closed_on: date
    kept_until: date


def expired(today: date) -> list[Expired]:
    """Every closed case whose retention period has ended, oldest first."""
    rows = db.session.execute(
        sa.select(Claim.id, Claim.case_number, Claim.claim_type, Claim.state_since, Claim.major)
        .where(Claim.state.in_(CLOSED))
        .order_by(Claim.state_since)
    ).all()
    found = []
    for claim_id, number, claim_type, closed_at, major in rows:
        closed_on = closed_at.astimezone(CHINA).date()
        if past_retention(claim_type, closed_on, today, marked_major=major):
            until = kept_until(claim_type, closed_on, marked_major=major)
            found.append(Expired(claim_id, number, claim_type.value, closed_on, until))
    return found


def purge(claim_ids: list[int], today: date, by: StaffUser | None) -> int:
    """Purge the confirmed cases that are still past their period (a case reopened or not
    due is left alone); one transaction a case, its files deleted after it commits."""
    due = {e.claim_id for e in expired(today)}
    purged = 0
    for claim_id in claim_ids:
        if claim_id not in due:
            continue
        names = _purge_one(claim_id, by)
        for name in names:
            files().delete(name)
        purged += 1
    return purged


def _purge_one(claim_id: int, by: StaffUser | None) -> list[str]:
    claim = db.session.get_one(Claim, claim_id)
    pages = db.session.scalars(
        sa.select(DocumentPage).join(Document).where(Document.claim_id == claim_id)
    ).all()
    names = [p.stored_name for p in pages]
    readings = db.session.scalars(sa.select(OcrReading).where(OcrReading.photo_file.in_(names)))
    for reading in readings:
        if reading.page_file:
            names.append(reading.page_file)
        db.session.delete(reading)
    db.session.add(
        PurgedCase(
            claim_type=claim.claim_type,
            final_state=claim.state,
            branch=claim.branch,
            policy_id=claim.policy_id,
            reported_month=claim.reported_on.strftime("%Y-%m"),
            closed_year=claim.state_since.astimezone(CHINA).year,
            paid_amount=claim.paid_amount,
        )
    )
    for table in (CaseNote, Notification, Complaint, HomeVisitRequest, SatisfactionAnswer, Draft):
        db.session.execute(sa.delete(table).where(table.claim_id == claim_id))
    detach_audit_rows(claim_id)
    people = [claim.insured_id, claim.reporter_id]
    number = claim.case_number
    db.session.delete(claim)  # its documents, pages and events with it
    db.session.flush()
    for person_id in people:
        if person_id is not None and not db.session.scalar(
            sa.select(Claim.id)
            .where(sa.or_(Claim.insured_id == person_id, Claim.reporter_id == person_id))
            .limit(1)
        ):
            db.session.execute(sa.delete(Person).where(Person.id == person_id))
    db.session.add(
        AuditEvent(
            actor_role=Role(by.role.value) if by else Role.SYSTEM,
            actor_staff_id=by.id if by else None,
            action="case.purge",
            detail={"case_number": number, "files": len(names)},
        )
    )
    db.session.commit()
    return names
