"""投诉、满意度、上门服务: what a family sends from the tracking link (or a person from the
kiosk) besides documents. Each is linked to its case, audited, and left for staff to answer;
nothing sent here is ever shown back in full."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from kiosk.claims.calendar import CHINA, is_working_day, today_in_china
from kiosk.claims.states import Role
from kiosk.claims.validation import InvalidInput, Problem, clean_prose, clean_text
from kiosk.platform.extensions import db
from kiosk.platform.models import (
    AuditEvent,
    CaseNote,
    Claim,
    Complaint,
    ComplaintStatus,
    HalfDay,
    HomeVisitRequest,
    HomeVisitStatus,
    SatisfactionAnswer,
    StaffUser,
    utcnow,
)
from kiosk.services.accounts import audit

COMPLAINT_MIN, COMPLAINT_MAX = 5, 1000
COMMENT_MAX = 500
ADDRESS_MIN, ADDRESS_MAX = 6, 120
VISIT_DAYS = 3  # half-days offered: the next three working days, mornings and afternoons
FACES = (1, 2, 3, 4, 5)  # 很不满意 ... 很满意


def _audit(action: str, claim: Claim | None, detail: dict[str, int]) -> None:
    db.session.add(
        AuditEvent(
            actor_role=Role.CUSTOMER,
            action=action,
            claim_id=claim.id if claim else None,
            detail=detail,
        )
    )


def check_text(raw: str, lowest: int, highest: int, *, prose: bool = True) -> str:
    """Free text of a sensible length: EMPTY, LENGTH (too short) or TOO_LONG. Prose keeps
    its punctuation; an address (prose=False) gets half-width digits and letters."""
    text = clean_prose(raw) if prose else clean_text(raw)
    if not text:
        raise InvalidInput(Problem.EMPTY)
    if len(text) < lowest:
        raise InvalidInput(Problem.LENGTH, {"min": lowest})
    if len(text) > highest:
        raise InvalidInput(Problem.TOO_LONG, {"max": highest, "count": len(text)})
    return text


def check_comment(raw: str) -> str:
    """An optional comment with the satisfaction answer."""
    text = clean_prose(raw)
    if len(text) > COMMENT_MAX:
        raise InvalidInput(Problem.TOO_LONG, {"max": COMMENT_MAX, "count": len(text)})
    return text


def _same_complaint(claim: Claim, text: str) -> Complaint | None:
    """The case's complaint with this text that staff have not acknowledged yet."""
    return db.session.scalar(
        sa.select(Complaint)
        .where(Complaint.claim_id == claim.id, Complaint.status == ComplaintStatus.RECEIVED)
        .where(Complaint.text == text)
        .order_by(Complaint.id)
        .limit(1)
    )


def file_complaint(claim: Claim, text: str, callback_phone: str | None) -> Complaint:
    """A complaint, acknowledged by staff within 24 hours. The same text sent again for the
    same case (a reload, the form filled twice) is one complaint; the same form posted at
    once several times is made one by its key (kiosk.platform.once)."""
    if (same := _same_complaint(claim, text)) is not None:
        return same
    complaint = Complaint(
        claim_id=claim.id,
        text=text,
        callback_phone=callback_phone or None,
        status=ComplaintStatus.RECEIVED,
    )
    db.session.add(complaint)
    db.session.flush()
    _audit("complaint.file", claim, {"complaint": complaint.id})
    db.session.commit()
    return complaint


def satisfaction_of(claim: Claim) -> SatisfactionAnswer | None:
    return db.session.scalar(
        sa.select(SatisfactionAnswer).where(SatisfactionAnswer.claim_id == claim.id)
    )


def answer_satisfaction(claim: Claim, score: int, comment: str) -> SatisfactionAnswer | None:
    """The one answer a closed case gets; None if the case is still open. A second answer
    (another phone, a double tap) changes nothing and returns the first."""
    if claim.state.is_open or score not in FACES:
        return None
    first = satisfaction_of(claim)
    if first is not None:
        return first
    answer = SatisfactionAnswer(claim_id=claim.id, score=score, comment=comment)
    db.session.add(answer)
    try:
        db.session.flush()
    except IntegrityError:  # answered from two phones at the same moment
        db.session.rollback()
        return satisfaction_of(claim)
    _audit("satisfaction.answer", claim, {"score": score})
    db.session.commit()
    return answer


@dataclass(frozen=True)
class VisitSlot:
    """A preferred half-day for a home visit, written as a form value: 2026-12-02-morning."""

    day: date
    half: HalfDay

    @property
    def value(self) -> str:
        return f"{self.day.isoformat()}-{self.half.value}"


def visit_slots(today: date | None = None) -> list[VisitSlot]:
    """The half-days a visit may be asked for: the next working days, from tomorrow."""
    day, days = today or today_in_china(), list[date]()
    while len(days) < VISIT_DAYS:
        day = date.fromordinal(day.toordinal() + 1)
        if is_working_day(day):
            days.append(day)
    return [VisitSlot(d, half) for d in days for half in HalfDay]


def open_visit(claim: Claim) -> HomeVisitRequest | None:
    """The case's visit request that staff have not done or cancelled yet."""
    return db.session.scalar(
        sa.select(HomeVisitRequest)
        .where(HomeVisitRequest.claim_id == claim.id)
        .where(HomeVisitRequest.status.in_([HomeVisitStatus.REQUESTED, HomeVisitStatus.BOOKED]))
        .order_by(HomeVisitRequest.id.desc())
        .limit(1)
    )


def request_home_visit(
    claim: Claim | None, name: str, phone: str, address: str, slot: VisitSlot
) -> HomeVisitRequest:
    """上门服务: staff call back to book it. A case has one open request at a time (a unique
    index: two phones asking at the same moment make one)."""
    if claim is not None and (existing := open_visit(claim)) is not None:
        return existing
    visit = HomeVisitRequest(
        claim_id=claim.id if claim else None,
        name=name,
        phone=phone,
        address=address,
        preferred_date=slot.day,
        preferred_half_day=slot.half,
        status=HomeVisitStatus.REQUESTED,
    )
    db.session.add(visit)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        if claim is None or (existing := open_visit(claim)) is None:
            raise
        return existing
    _audit("visit.request", claim, {"visit": visit.id})
    db.session.commit()
    return visit


# Staff's side: assignment, acknowledgement and answer of complaints; booking home visits.

COMPLAINT_ACTIONS = ("assign", "acknowledge", "answer")
VISIT_ACTIONS = ("assign", "book", "done", "cancel")


class Missing(Exception):
    """An action that needs what its form left empty: `what` is "answer", "slot" or "note"."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def look_at_complaint(complaint: Complaint, staff: StaffUser, ip: str) -> tuple[Claim, str]:
    """A complaint opened by staff (audited): its case, and the phone to call back on (the
    one given with it, else the reporter's, else the insured's)."""
    claim = db.session.get_one(Claim, complaint.claim_id)
    phone = complaint.callback_phone or (claim.reporter.phone if claim.reporter else None)
    detail = {"complaint": complaint.id}
    audit(staff, "complaint.view", claim_id=complaint.claim_id, detail=detail, ip=ip)
    db.session.commit()
    return claim, phone or claim.insured.phone or ""


def look_at_visit(visit: HomeVisitRequest, staff: StaffUser, ip: str) -> None:
    """A visit request opened by staff, with its address and phone: audited."""
    audit(staff, "visit.view", claim_id=visit.claim_id, detail={"visit": visit.id}, ip=ip)
    db.session.commit()


def act_on_complaint(
    complaint: Complaint, action: str, staff: StaffUser, text: str, ip: str
) -> None:
    """One of COMPLAINT_ACTIONS: 认领, 收到 (with an optional note), 答复 (Missing("answer")
    without one)."""
    if action == "assign":
        assign(complaint, staff, ip)
    elif action == "acknowledge":
        acknowledge_complaint(complaint, staff, text, ip)
    elif not text:
        raise Missing("answer")
    else:
        answer_complaint(complaint, staff, text, ip)


def act_on_visit(
    visit: HomeVisitRequest, action: str, staff: StaffUser, slot: str | None, note: str, ip: str
) -> None:
    """One of VISIT_ACTIONS: 认领; 约好 on one of the half-days offered (Missing("slot")
    otherwise); done or cancelled, with what was done or why (Missing("note") without)."""
    if action == "assign":
        assign(visit, staff, ip)
    elif action == "book":
        chosen = next((s for s in visit_slots() if s.value == slot), None)
        if chosen is None:
            raise Missing("slot")
        book_visit(visit, staff, chosen, ip)
    elif not note:
        raise Missing("note")
    else:
        close_visit(visit, staff, action == "done", note, ip)


def assign(item: Complaint | HomeVisitRequest, staff: StaffUser, ip: str) -> None:
    item.assigned_to_id = staff.id
    kind = "complaint" if isinstance(item, Complaint) else "visit"
    audit(staff, f"{kind}.assign", claim_id=item.claim_id, detail={kind: item.id}, ip=ip)
    db.session.commit()


def acknowledge_complaint(complaint: Complaint, staff: StaffUser, note: str, ip: str) -> None:
    """收到: the customer was called back (within 24 hours); the note goes on the case."""
    if complaint.status is ComplaintStatus.RECEIVED:
        complaint.status, complaint.acknowledged_at = ComplaintStatus.ACKNOWLEDGED, utcnow()
        complaint.assigned_to_id = complaint.assigned_to_id or staff.id
        _note(complaint.claim_id, staff, f"投诉已回电：{note}" if note else "投诉已回电")
        detail = {"complaint": complaint.id}
        audit(staff, "complaint.acknowledge", claim_id=complaint.claim_id, detail=detail, ip=ip)
        db.session.commit()


def answer_complaint(complaint: Complaint, staff: StaffUser, answer: str, ip: str) -> None:
    """答复 (within 7 working days): recorded on the complaint and on the case."""
    now = utcnow()
    complaint.acknowledged_at = complaint.acknowledged_at or now
    complaint.status, complaint.answered_at, complaint.answer = (
        ComplaintStatus.ANSWERED,
        now,
        answer,
    )
    _note(complaint.claim_id, staff, f"投诉答复：{answer}")
    detail = {"complaint": complaint.id}
    audit(staff, "complaint.answer", claim_id=complaint.claim_id, detail=detail, ip=ip)
    db.session.commit()


def book_visit(visit: HomeVisitRequest, staff: StaffUser, slot: VisitSlot, ip: str) -> None:
    """约好: the day and half-day agreed on the phone."""
    hour = 9 if slot.half is HalfDay.MORNING else 14
    visit.status = HomeVisitStatus.BOOKED
    visit.preferred_date, visit.preferred_half_day = slot.day, slot.half
    visit.booked_for = datetime.combine(slot.day, time(hour), CHINA)
    visit.assigned_to_id = visit.assigned_to_id or staff.id
    audit(staff, "visit.book", claim_id=visit.claim_id, detail={"visit": visit.id}, ip=ip)
    db.session.commit()


def close_visit(visit: HomeVisitRequest, staff: StaffUser, done: bool, note: str, ip: str) -> None:
    """上门已完成 (what was done), or cancelled (why); the note goes on the case too."""
    visit.status = HomeVisitStatus.DONE if done else HomeVisitStatus.CANCELLED
    visit.note = note
    if visit.claim_id:
        _note(visit.claim_id, staff, ("上门服务：" if done else "上门服务取消：") + note)
    action = "visit.done" if done else "visit.cancel"
    audit(staff, action, claim_id=visit.claim_id, detail={"visit": visit.id}, ip=ip)
    db.session.commit()


def _note(claim_id: int, staff: StaffUser, text: str) -> None:
    db.session.add(CaseNote(claim_id=claim_id, staff_id=staff.id, text=text))
