"""What the tracking page shows of a case: masked, in the customer's words, with dates."""

from __future__ import annotations

import hmac
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from kiosk.claims.calendar import CHINA
from kiosk.claims.case_numbers import format_case_number, normalise_case_number
from kiosk.claims.identity import normalise_id_number
from kiosk.claims.masking import mask_id_number, mask_name
from kiosk.claims.sla import complaint_answer_due, next_step_due
from kiosk.claims.states import CaseState
from kiosk.platform.extensions import db
from kiosk.platform.i18n import format_date
from kiosk.platform.models import Claim, Complaint, ComplaintStatus, Document, HomeVisitStatus
from kiosk.platform.storage import vault
from kiosk.services.feedback import open_visit, satisfaction_of
from kiosk.words import claimant as m
from kiosk.words import family as w
from kiosk.words.family import slot_label

# Customers see the second-level review as still being reviewed.
SHOWN_AS = {CaseState.AWAITING_APPROVAL: CaseState.UNDER_REVIEW}
PATH = (CaseState.SUBMITTED, CaseState.UNDER_REVIEW, CaseState.APPROVED, CaseState.PAID)


# Loaded with the claim, so that showing it never loads a row at a time.
WHAT_THE_PAGE_SHOWS = (
    joinedload(Claim.insured),
    selectinload(Claim.events),
    selectinload(Claim.documents).selectinload(Document.pages),
)


def _opened_by(token: str) -> sa.ColumnElement[bool]:
    """The case a tracking token opens, looked up by its keyed hash, so that an unknown or
    revoked token costs the same one indexed query as a good one."""
    digest = vault().lookup_hash(token if token and len(token) <= 64 else "")
    return sa.and_(Claim.tracking_token_hash == digest, Claim.tracking_revoked_at.is_(None))


def find_by_token(token: str) -> Claim | None:
    """The case a tracking token opens, with what its page shows, or None."""
    return db.session.scalar(
        sa.select(Claim).where(_opened_by(token)).options(*WHAT_THE_PAGE_SHOWS)
    )


def page_stamp(token: str) -> tuple[int, int, int] | None:
    """The case a tracking token opens as (id, version, page version), or None: what its
    page shows is the same while these are, so a page kept under them may be shown again."""
    row = db.session.execute(
        sa.select(Claim.id, Claim.version, Claim.page_version).where(_opened_by(token))
    ).first()
    return (row.id, row.version, row.page_version) if row is not None else None


def find_by_case(case_number: str, id_last_six: str) -> Claim | None:
    """The case with this number whose insured's ID ends in these six characters, or None.

    The six characters are compared in constant time, and against a stand-in when the number
    is unknown, so the answer and its timing do not tell which of the two was wrong.
    """
    number = normalise_case_number(case_number)
    six = normalise_id_number(id_last_six)
    claim = (
        db.session.scalar(sa.select(Claim).where(Claim.case_number == number)) if number else None
    )
    expected = (claim.insured.id_number or "")[-6:] if claim is not None else "\0" * 6
    same = hmac.compare_digest(expected.encode(), six.encode())
    return claim if claim is not None and same else None


def look_up(values: dict[str, str]) -> tuple[Claim | None, dict[str, str]]:
    """The case a case-number form names, or the errors to show: which field is empty, or
    the same "not found" whichever of the two is wrong."""
    errors: dict[str, str] = {}
    if not values["case_number"].strip():
        errors["case_number"] = str(w.CASE_NUMBER_EMPTY)
    if not values["id_last_six"].strip():
        errors["id_last_six"] = str(w.ID_LAST_SIX_EMPTY)
    if errors:
        return None, errors
    claim = find_by_case(values["case_number"], values["id_last_six"])
    return claim, {} if claim is not None else {"case_number": str(w.NOT_FOUND)}


def shown(state: CaseState) -> CaseState:
    return SHOWN_AS.get(state, state)


def timeline(claim: Claim) -> list[dict[str, Any]]:
    """已受理 -> 审核中 -> (待补材料) -> 审核通过 -> 已赔付, or ending in 不予赔付, each with
    the day the case first reached it; steps not reached yet have no date."""
    reached: dict[CaseState, date] = {}
    for event in sorted(claim.events, key=lambda e: e.at):
        reached.setdefault(shown(event.to_state), event.at.astimezone(CHINA).date())
    reached.setdefault(CaseState.SUBMITTED, claim.reported_on)  # a paper claim's report date
    steps = list(PATH)
    if CaseState.DOCUMENTS_NEEDED in reached:
        steps.insert(2, CaseState.DOCUMENTS_NEEDED)
    if claim.state is CaseState.DECLINED:
        steps = [s for s in steps if s in reached and s is not CaseState.DECLINED]
        steps.append(CaseState.DECLINED)
    current = shown(claim.state)
    return [
        {
            "label": str(m.STATES[step]),
            "on": reached.get(step),
            "current": step is current,
            "done": step in reached and step is not current,
        }
        for step in steps
    ]


def _sentence(text: str | None) -> str | None:
    """Staff's words as a whole sentence, so the next one does not run into them."""
    return text if not text or text[-1] in "。！？.!?" else text + "。"


def case_view(claim: Claim) -> dict[str, Any]:
    state = shown(claim.state)
    last_move = max((e.at for e in claim.events), default=None)
    since = last_move.astimezone(CHINA).date() if last_move else claim.reported_on
    due = next_step_due(
        state, since, amount=claim.approved_amount, complex_until=claim.complex_until
    )
    missing = [
        str(m.DOCUMENTS[d.kind][0]) + (f"：{d.request_message}" if d.request_message else "")
        for d in claim.documents
        if d.status.outstanding
    ]
    return {
        "case_number": format_case_number(claim.case_number),
        "insured_name": mask_name(claim.insured.name),
        "insured_id": mask_id_number(claim.insured.id_number or ""),
        "claim_type": str(m.CLAIM_TYPES[claim.claim_type][0]),
        "timeline": timeline(claim),
        "now": str(w.NOW[state]),
        "due": due,
        "complex_reason": _sentence(claim.complex_reason)
        if due and due == claim.complex_until
        else None,
        "missing": missing if state is CaseState.DOCUMENTS_NEEDED else [],
        "paid": (claim.paid_amount, claim.paid_on) if state is CaseState.PAID else None,
        "declined": state is CaseState.DECLINED,
        "decline_reason": str(w.DECLINE_REASONS[claim.decline_reason])
        if claim.decline_reason
        else None,
    }


def feedback_view(claim: Claim) -> dict[str, Any]:
    """What the case page says about complaints, the home visit and the satisfaction answer:
    dates and states only, never what was written or the address and phone."""
    complaints = []
    for c in db.session.scalars(
        sa.select(Complaint).where(Complaint.claim_id == claim.id).order_by(Complaint.id)
    ):
        received = c.received_at.astimezone(CHINA).date()
        status = str(w.COMPLAINT_STATES[c.status])
        if c.status is not ComplaintStatus.ANSWERED:
            status %= {"day": format_date(complaint_answer_due(received), "long")}
        complaints.append(
            str(w.COMPLAINT_STATUS) % {"received": format_date(received, "long"), "status": status}
        )
    visit, visit_line = open_visit(claim), None
    if visit is not None and visit.preferred_date and visit.preferred_half_day:
        slot = slot_label(visit.preferred_date, visit.preferred_half_day)
        booked = visit.status is HomeVisitStatus.BOOKED
        visit_line = str(w.VISIT_BOOKED if booked else w.VISIT_STATUS) % {"slot": slot}
    answer = satisfaction_of(claim)
    return {
        "complaints": complaints,
        "visit": visit_line,
        "ask_satisfaction": not claim.state.is_open and answer is None,
        "satisfaction": str(w.FACES[answer.score]) if answer else None,
        "faces": w.FACES,
        "face_icons": {str(score): f"face-{score}" for score in w.FACES},
        "can_ask_visit": claim.state.is_open and visit is None,
    }
