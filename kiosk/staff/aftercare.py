"""Complaints (acknowledged within 24 hours, answered within 7 working days), home-visit
requests and satisfaction answers: lists with their deadlines, assignment, and replies that
are recorded on the case. Opening one, with its phone and address, is audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for

from kiosk.claims.calendar import CHINA, today_in_china
from kiosk.claims.sla import complaint_acknowledge_by, complaint_answer_due
from kiosk.claims.validation import clean_prose
from kiosk.platform.extensions import db
from kiosk.platform.models import (
    Claim,
    Complaint,
    ComplaintStatus,
    HomeVisitRequest,
    HomeVisitStatus,
    SatisfactionAnswer,
    utcnow,
)
from kiosk.services import case_file, feedback
from kiosk.services.worklist import days_late
from kiosk.staff.blueprint import CASE_WORK, allow, bp, client_ip, staff
from kiosk.staff.work import due_words
from kiosk.words import staff as w
from kiosk.words.family import slot_label

TEXT_MAX = 2000


def _numbers(ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = db.session.execute(sa.select(Claim.id, Claim.case_number).where(Claim.id.in_(wanted)))
    return dict(rows.all())


def _text() -> str:
    """The note or answer typed into an action's form."""
    return clean_prose(request.form.get("text", ""))[:TEXT_MAX]


def complaint_due(c: Complaint) -> tuple[datetime | None, str, str]:
    """(deadline, words, tone): acknowledgement within 24 hours, then the answer."""
    if c.status is ComplaintStatus.ANSWERED:
        return None, str(w.ANSWERED), "waiting"
    if c.status is ComplaintStatus.RECEIVED:
        by = complaint_acknowledge_by(c.received_at)
        late = utcnow() > by
        return by, str(w.ACK_LATE if late else w.ACK_BY), "overdue" if late else "today"
    due = complaint_answer_due(c.received_at.astimezone(CHINA).date())
    words, tone = due_words(days_late(due, today_in_china()))
    return None, words, tone


@bp.get("/complaints")
@allow(*CASE_WORK)
def complaints() -> str:
    """投诉: open ones first, the most pressing at the top."""
    show_all = request.args.get("all") == "1"
    query = sa.select(Complaint).order_by(Complaint.received_at)
    if not show_all:
        query = query.where(Complaint.status != ComplaintStatus.ANSWERED)
    rows = db.session.scalars(query.limit(500)).all()
    return render_template(
        "staff/complaints.html",
        rows=[(c, complaint_due(c)) for c in rows],
        names=case_file.staff_names(),
        numbers=_numbers({c.claim_id for c in rows}),
        states=w.COMPLAINT_STATES,
        show_all=show_all,
    )


@bp.get("/complaint/<int:complaint_id>")
@allow(*CASE_WORK)
def complaint(complaint_id: int) -> str:
    """One complaint with its callback phone (audited), and the forms to act on it."""
    c = db.get_or_404(Complaint, complaint_id)
    claim, phone = feedback.look_at_complaint(c, staff(), client_ip())
    return render_template(
        "staff/complaint.html",
        c=c,
        claim=claim,
        phone=phone,
        due=complaint_due(c),
        names=case_file.staff_names(),
        states=w.COMPLAINT_STATES,
        errors={},
    )


@bp.post("/complaint/<int:complaint_id>/<action>")
@allow(*CASE_WORK)
def complaint_action(complaint_id: int, action: str) -> Any:
    c = db.get_or_404(Complaint, complaint_id)
    if action not in feedback.COMPLAINT_ACTIONS:
        abort(404)
    try:
        feedback.act_on_complaint(c, action, staff(), _text(), client_ip())
    except feedback.Missing as missing:
        flash(str(w.AFTERCARE_MISSING[missing.what]), "problem")
    else:
        flash(str(w.SAVED))
    return redirect(url_for("staff.complaint", complaint_id=c.id), 303)


@bp.get("/visits")
@allow(*CASE_WORK)
def visits() -> str:
    """上门服务: requests to book, and visits booked, by the day asked for."""
    rows = db.session.scalars(
        sa.select(HomeVisitRequest)
        .where(HomeVisitRequest.status.in_([HomeVisitStatus.REQUESTED, HomeVisitStatus.BOOKED]))
        .order_by(HomeVisitRequest.preferred_date, HomeVisitRequest.id)
        .limit(500)
    ).all()
    return render_template(
        "staff/visits.html",
        rows=rows,
        names=case_file.staff_names(),
        numbers=_numbers({v.claim_id for v in rows}),
        states=w.VISIT_STATES,
        halves=w.HALF_DAYS,
    )


@bp.get("/visit/<int:visit_id>")
@allow(*CASE_WORK)
def visit(visit_id: int) -> str:
    """One request with its address and phone (audited), and booking it."""
    v = db.get_or_404(HomeVisitRequest, visit_id)
    feedback.look_at_visit(v, staff(), client_ip())
    slots = feedback.visit_slots(today_in_china())
    return render_template(
        "staff/visit.html",
        v=v,
        number=_numbers({v.claim_id}).get(v.claim_id or 0),
        slots={s.value: slot_label(s.day, s.half) for s in slots},
        names=case_file.staff_names(),
        states=w.VISIT_STATES,
        halves=w.HALF_DAYS,
    )


@bp.post("/visit/<int:visit_id>/<action>")
@allow(*CASE_WORK)
def visit_action(visit_id: int, action: str) -> Any:
    v = db.get_or_404(HomeVisitRequest, visit_id)
    if action not in feedback.VISIT_ACTIONS:
        abort(404)
    slot = request.form.get("slot")
    try:
        feedback.act_on_visit(v, action, staff(), slot, _text(), client_ip())
    except feedback.Missing as missing:
        flash(str(w.AFTERCARE_MISSING[missing.what]), "problem")
    else:
        flash(str(w.SAVED))
    return redirect(url_for("staff.visit", visit_id=v.id), 303)


@bp.get("/satisfaction")
@allow(*CASE_WORK)
def satisfaction() -> str:
    """满意度: the latest answers, and the average."""
    rows = db.session.scalars(
        sa.select(SatisfactionAnswer).order_by(SatisfactionAnswer.id.desc()).limit(200)
    ).all()
    average = db.session.scalar(sa.select(sa.func.avg(SatisfactionAnswer.score)))
    return render_template(
        "staff/satisfaction.html",
        rows=rows,
        average=average,
        faces=w.FACES,
        numbers=_numbers({a.claim_id for a in rows}),
    )
