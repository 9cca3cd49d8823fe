"""What claims staff do to a case: request documents, approve (in one or two levels),
decline, mark paid, set the priority, add a note, reveal personal data. Each goes through the
state machine (kiosk.services.cases.move_case) and leaves an audit row with who, when, why and from
where. Two staff on one case: the second gets Conflict, with what changed, and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import FileStorage

from kiosk.claims.actions import COMPLEX_STATES, SCANNABLE
from kiosk.claims.approval import needs_second_approval
from kiosk.claims.calendar import today_in_china
from kiosk.claims.sla import complex_review_limit
from kiosk.claims.states import CaseState, Role
from kiosk.claims.types import DocumentKind, Exclusion, Priority, Source
from kiosk.platform.extensions import db
from kiosk.platform.models import (
    AuditEvent,
    CaseNote,
    Claim,
    Document,
    DocumentPage,
    DocumentStatus,
    HomeVisitRequest,
    HomeVisitStatus,
    StaffUser,
    utcnow,
)
from kiosk.services import notifications
from kiosk.services.accounts import audit
from kiosk.services.cases import move_case, set_due
from kiosk.services.codes import give_codes
from kiosk.services.scans import expand_pdfs
from kiosk.services.supplements import add_pages
from kiosk.services.uploads import UploadOutcome

REFERENCE_MIN, REFERENCE_MAX = 4, 64  # a bank's payment reference
LOOKS = (  # audited, but they change nothing
    "case.view",
    "case.reveal",
    "case.receipt",
    "document.view",
    "complaint.view",
    "visit.view",
)


class Conflict(Exception):
    """The case changed since the page was loaded: `changes` are the audit rows since."""

    def __init__(self, changes: list[AuditEvent]) -> None:
        super().__init__("the case changed meanwhile")
        self.changes = changes


class NotAllowed(Exception):
    """The action does not fit the case now (its state, or the same person approving twice)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Actor:
    staff: StaffUser
    ip: str

    @property
    def role(self) -> Role:
        return Role(self.staff.role.value)


def last_audit_id(claim: Claim) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.max(AuditEvent.id)).where(AuditEvent.claim_id == claim.id)
        )
        or 0
    )


def check_version(claim: Claim, seen_version: int, seen_audit: int) -> None:
    """Raise Conflict if the case is not the version the page showed."""
    if claim.version != seen_version:
        changes = db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.claim_id == claim.id, AuditEvent.id > seen_audit)
            .where(AuditEvent.action.not_in(LOOKS))
            .order_by(AuditEvent.id)
        ).all()
        raise Conflict(list(changes))


def _move(claim: Claim, target: CaseState, actor: Actor, reason: str = "") -> None:
    move_case(claim, target, actor.role, reason=reason, staff=actor.staff, ip=actor.ip)


def _commit(claim: Claim) -> None:
    """Commit; a concurrent save of the same case (version check in SQL) becomes Conflict."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(claim)
        raise Conflict([]) from None


def _start_review(claim: Claim, actor: Actor) -> None:
    if claim.state is CaseState.SUBMITTED:
        _move(claim, CaseState.UNDER_REVIEW, actor, "开始审核")


def request_documents(claim: Claim, actor: Actor, kinds: list[DocumentKind], message: str) -> None:
    """待补材料: the ticked documents are asked for, with the message shown to the family."""
    if claim.state not in (CaseState.SUBMITTED, CaseState.UNDER_REVIEW):
        raise NotAllowed("state")
    by_kind = {d.kind: d for d in claim.documents}
    for kind in kinds:
        document = by_kind.get(kind)
        if document is None:
            document = Document(kind=kind, status=DocumentStatus.REQUESTED)
            claim.documents.append(document)
        document.status = DocumentStatus.REQUESTED
        document.request_message = message
    _move(claim, CaseState.DOCUMENTS_NEEDED, actor, message)
    audit(
        actor.staff,
        "case.request_documents",
        claim_id=claim.id,
        detail={"kinds": [k.value for k in kinds]},
        ip=actor.ip,
    )
    _commit(claim)


def add_scans(
    claim: Claim, actor: Actor, kind: DocumentKind, uploads: list[FileStorage]
) -> UploadOutcome:
    """Scans (a PDF's pages) or photos of paper documents, added by staff to one of the
    case's documents with the intake's own checks (手工受理, or papers brought to the
    counter). Not once the case is with the approver or closed: a new document would change
    what was decided on."""
    if claim.state not in SCANNABLE:
        raise NotAllowed("state")
    document = next((d for d in claim.documents if d.kind is kind), None)
    if document is None:
        raise NotAllowed("document")
    pages, refused = expand_pdfs(uploads)
    outcome = add_pages(
        claim,
        document,
        pages,
        via=Source.PAPER,
        role=actor.role,
        staff_id=actor.staff.id,
        ip=actor.ip,
    )
    return UploadOutcome(outcome.added, [*refused, *outcome.problems])


def first_approver_id(claim: Claim) -> int | None:
    """Who sent the case for a second approval (the last time it was sent)."""
    sent = [e for e in claim.events if e.to_state is CaseState.AWAITING_APPROVAL]
    return sent[-1].actor_staff_id if sent else None


def approve(claim: Claim, actor: Actor, amount: Decimal, reason: str) -> CaseState:
    """审核通过 with an amount. Large, death and disability claims go to 待审批 first, and
    the second approval must come from a different approver. Returns the new state."""
    if claim.state is CaseState.AWAITING_APPROVAL:
        if actor.staff.id == first_approver_id(claim):
            raise NotAllowed("same_approver")
        if actor.role is not Role.APPROVER:
            raise NotAllowed("role")
        claim.approved_amount = amount
        _move(claim, CaseState.APPROVED, actor, reason or "二级审批通过")
    elif claim.state in (CaseState.SUBMITTED, CaseState.UNDER_REVIEW):
        _start_review(claim, actor)
        claim.approved_amount = amount
        if needs_second_approval(claim.claim_type, amount):
            _move(claim, CaseState.AWAITING_APPROVAL, actor, reason or "初审通过，待审批")
        else:
            _move(claim, CaseState.APPROVED, actor, reason or "审核通过")
    else:
        raise NotAllowed("state")
    audit(
        actor.staff,
        "case.approve",
        claim_id=claim.id,
        detail={"amount": str(amount), "reason": reason, "to": claim.state.value},
        ip=actor.ip,
    )
    _commit(claim)
    return claim.state


def send_back(claim: Claim, actor: Actor, reason: str) -> None:
    """退回: the approver sends a case back to review (from 待审批), or reopens a declined
    one after a review or a complaint; the reason is recorded and the amount cleared."""
    if claim.state not in (CaseState.AWAITING_APPROVAL, CaseState.DECLINED):
        raise NotAllowed("state")
    if actor.role is not Role.APPROVER:
        raise NotAllowed("role")
    action = "case.reopen" if claim.state is CaseState.DECLINED else "case.send_back"
    claim.approved_amount = None
    if claim.state is CaseState.DECLINED:
        claim.decline_reason, claim.decline_note = None, ""
    _move(claim, CaseState.UNDER_REVIEW, actor, reason)
    audit(actor.staff, action, claim_id=claim.id, ip=actor.ip)
    _commit(claim)


def decline(claim: Claim, actor: Actor, exclusion: Exclusion, note: str) -> None:
    """不予赔付, with the policy's exclusion (shown to the family in plain words) and a note."""
    if claim.state not in (
        CaseState.SUBMITTED,
        CaseState.UNDER_REVIEW,
        CaseState.AWAITING_APPROVAL,
    ):
        raise NotAllowed("state")
    _start_review(claim, actor)
    claim.decline_reason, claim.decline_note = exclusion, note
    _move(claim, CaseState.DECLINED, actor, note)
    audit(
        actor.staff,
        "case.decline",
        claim_id=claim.id,
        detail={"exclusion": exclusion.value},
        ip=actor.ip,
    )
    _commit(claim)


def mark_paid(claim: Claim, actor: Actor, amount: Decimal, paid_on: date, reference: str) -> None:
    """已赔付: the amount, the day and the bank's reference."""
    if claim.state is not CaseState.APPROVED:
        raise NotAllowed("state")
    claim.paid_amount, claim.paid_on, claim.payment_reference = amount, paid_on, reference
    _move(claim, CaseState.PAID, actor, reference)
    audit(
        actor.staff,
        "case.pay",
        claim_id=claim.id,
        detail={"amount": str(amount), "on": paid_on.isoformat()},
        ip=actor.ip,
    )
    _commit(claim)


def payment_problems(
    claim: Claim, amount: Decimal | None, paid_on: date | None, reference: str
) -> list[str]:
    """The fields of a payment that cannot be marked so: the amount must be the approved one,
    the day from the day of approval to today, the bank's reference 4 to 64 characters."""
    problems = []
    if amount is not None and amount != claim.approved_amount:
        problems.append("paid_amount")
    approved_on = last_entered_on(claim, CaseState.APPROVED)
    if paid_on is None or not approved_on <= paid_on <= today_in_china():
        problems.append("paid_on")
    if not REFERENCE_MIN <= len(reference) <= REFERENCE_MAX:
        problems.append("reference")
    return problems


def last_entered_on(claim: Claim, state: CaseState) -> date:
    """The day (in China) the case last entered `state`; its report day if it never did."""
    days = (today_in_china(e.at) for e in claim.events if e.to_state is state)
    return max(days, default=claim.reported_on)


def mark_complex(claim: Claim, actor: Actor, reason: str) -> None:
    """复杂案件: review needs longer than 3 working days. The family is told why, in the
    staff's words, and by when: 30 working days after the documents were complete, a day
    that marking again does not move (only the reason changes)."""
    if claim.state not in COMPLEX_STATES:
        raise NotAllowed("state")
    _start_review(claim, actor)
    if claim.complex_until is None:
        # from the day it last came (back) into review: its documents were complete
        documents_complete = last_entered_on(claim, CaseState.UNDER_REVIEW)
        claim.complex_until = complex_review_limit(documents_complete)
    claim.complex_reason = reason
    set_due(claim)
    audit(
        actor.staff,
        "case.complex",
        claim_id=claim.id,
        detail={"until": claim.complex_until.isoformat()},
        ip=actor.ip,
    )
    notifications.queue_for(claim, f"complex:{claim.complex_until.isoformat()}")
    _commit(claim)


def set_priority(claim: Claim, actor: Actor, priority: Priority) -> None:
    before = claim.priority
    claim.priority = priority
    set_due(claim)
    audit(
        actor.staff,
        "case.priority",
        claim_id=claim.id,
        detail={"from": before.value, "to": priority.value},
        ip=actor.ip,
    )
    _commit(claim)


def set_major(claim: Claim, actor: Actor, major: bool) -> None:
    """重大案件 or not: a major case is kept 10 years after closing (kiosk.claims.retention)."""
    before, claim.major = claim.major, major
    audit(
        actor.staff,
        "case.major",
        claim_id=claim.id,
        detail={"from": before, "to": major},
        ip=actor.ip,
    )
    _commit(claim)


def add_note(claim: Claim, actor: Actor, text: str) -> None:
    """An internal note; it changes the case's version, so a page open elsewhere sees it."""
    db.session.add(CaseNote(claim_id=claim.id, staff_id=actor.staff.id, text=text))
    claim.updated_at = utcnow()
    audit(actor.staff, "case.note", claim_id=claim.id, ip=actor.ip)
    _commit(claim)


def audit_view(claim: Claim, actor: Actor) -> None:
    audit(actor.staff, "case.view", claim_id=claim.id, ip=actor.ip)
    db.session.commit()


def audit_document(page: DocumentPage, actor: Actor) -> None:
    audit(
        actor.staff,
        "document.view",
        claim_id=page.document.claim_id,
        detail={"page": page.id},
        ip=actor.ip,
    )
    db.session.commit()


def audit_receipt(claim: Claim, actor: Actor) -> None:
    audit(actor.staff, "case.receipt", claim_id=claim.id, ip=actor.ip)
    db.session.commit()


def record_visit(claim: Claim, actor: Actor, note: str) -> None:
    """登记上门服务: a home visit made for this case, recorded as done, with a case note."""
    db.session.add(
        HomeVisitRequest(
            claim_id=claim.id,
            name=claim.insured.name,
            phone=claim.insured.phone or "",
            address=claim.insured.address or "",
            status=HomeVisitStatus.DONE,
            note=note,
            assigned_to_id=actor.staff.id,
        )
    )
    db.session.add(CaseNote(claim_id=claim.id, staff_id=actor.staff.id, text="上门服务：" + note))
    claim.updated_at = utcnow()
    audit(actor.staff, "visit.done", claim_id=claim.id, ip=actor.ip)
    _commit(claim)


def new_link(claim: Claim, actor: Actor) -> None:
    """换新链接: the old receipt's QR code and 补交码 stop working; a new receipt is printed."""
    give_codes(claim)  # new ones; the old ones no longer match any hash
    claim.updated_at = utcnow()
    audit(actor.staff, "case.new_link", claim_id=claim.id, ip=actor.ip)
    _commit(claim)


def reveal(claim: Claim, actor: Actor) -> None:
    """显示: the insured's details unmasked, once, on this page; audited."""
    audit(actor.staff, "case.reveal", claim_id=claim.id, ip=actor.ip)
    db.session.commit()
