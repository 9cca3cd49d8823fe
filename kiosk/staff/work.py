"""The work queue and the staff home."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from flask import redirect, render_template, request, url_for

from kiosk.claims.calendar import today_in_china
from kiosk.claims.case_numbers import format_case_number
from kiosk.claims.masking import mask_name
from kiosk.claims.types import ClaimType
from kiosk.platform.models import Claim
from kiosk.services import worklist
from kiosk.services.worklist import OPEN_STATES, QueueFilter, days_late
from kiosk.staff.blueprint import ADMIN, CASE_WORK, allow, bp, staff
from kiosk.words import claimant as m
from kiosk.words import staff as w


def due_words(late: int | None) -> tuple[str, str]:
    """("逾期2个工作日", "overdue") and the like: words first, the colour's class second."""
    if late is None:
        return str(w.NO_DUE), "waiting"
    if late > 0:
        return str(w.OVERDUE_BY) % {"n": late}, "overdue"
    if late == 0:
        return str(w.DUE_TODAY), "today"
    return str(w.DUE_IN) % {"n": -late}, "later"


@bp.get("/")
@allow(*CASE_WORK, ADMIN)
def home() -> Any:
    return redirect(url_for("staff.audit" if staff().role is ADMIN else "staff.queue"))


def queue_row(claim: Claim, today: date) -> dict[str, Any]:
    """One line of the work queue: the case as staff read it, the insured's name masked."""
    words, tone = due_words(days_late(claim.due_on, today))
    return {
        "id": claim.id,
        "case_number": format_case_number(claim.case_number),
        "insured": mask_name(claim.insured.name),
        "claim_type": str(m.CLAIM_TYPES[claim.claim_type][0]),
        "state": str(w.STATES[claim.state]),
        "complex": claim.complex_until is not None and claim.state.is_open,
        "priority": str(w.PRIORITIES[claim.priority]),
        "urgent": claim.priority.value != "general",
        "due": claim.due_on,
        "due_words": words,
        "tone": tone,
        "reported_on": claim.reported_on,
        "branch": claim.branch,
    }


@bp.get("/queue")
@allow(*CASE_WORK)
def queue() -> str:
    """工作队列: what is due first, at the top."""
    today = today_in_china()
    scope = staff().branch  # a branch's staff see its cases only
    f = replace(QueueFilter.from_args(request.args), scope=scope)
    result = worklist.queue(f, today)
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "staff/queue.html",
        rows=[queue_row(claim, today) for claim in result.rows],
        result=result,
        filters=f,
        states={s.value: str(w.STATES[s]) for s in OPEN_STATES},
        claim_types={t.value: str(m.CLAIM_TYPES[t][0]) for t in ClaimType},
        branches=[scope] if scope else worklist.branches(),
        page_url=lambda page: url_for("staff.queue", page=page, **args),
        state_url=lambda state: url_for("staff.queue", state=state),
    )
