"""手工受理: a claim written on the paper form (when the kiosk is down, or at a home visit),
entered by staff. Every answer goes through the kiosk's own steps (kiosk.questions.steps), so a
paper claim is checked exactly as a kiosk one, and is submitted the same way; it is marked as
paper, with the form's date as the report date and the staff member who entered it."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from werkzeug.datastructures import MultiDict

from kiosk.claims.states import Role
from kiosk.claims.types import ClaimType, DocumentKind, Source
from kiosk.claims.validation import InvalidInput, check_amount
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, Draft, StaffUser, utcnow
from kiosk.questions.flow import ALL_STEPS, applies
from kiosk.questions.steps import STEPS, Context, Outcome
from kiosk.services.accounts import audit
from kiosk.services.submission import submit_draft
from kiosk.words import claimant as m

DATE_STEPS = ("accident_date", "admission_date", "discharge_date", "outcome_date")
NOT_ON_PAPER = ("documents", "receipts", "check")  # photos; the consent is the signature


def read_paper_form(form: MultiDict, ctx: Context) -> Outcome:
    """All the form's answers, through each step that applies, in the kiosk's order."""
    result = Outcome()
    for name in ALL_STEPS:
        if name in NOT_ON_PAPER or not applies(name, result.answers):
            continue
        fields: Any = form
        if name in DATE_STEPS:
            day = "still" if name == "discharge_date" and form.get("still_in_hospital") else None
            fields = MultiDict({"day": day or form.get(name, "")})
        try:
            outcome = STEPS[name].read(fields, result.answers, ctx)
        except KeyError:  # it needs an earlier answer that has an error of its own
            continue
        result.answers.update(outcome.answers)
        result.errors.update(outcome.errors)
        result.warnings.update(outcome.warnings)
    if result.answers.get("claim_type") == ClaimType.MEDICAL.value:
        raw = form.get("receipts_total", "")
        if raw.strip():
            try:
                result.answers["receipt_amounts"] = {"paper": str(check_amount(raw))}
            except InvalidInput as exc:
                text = str(m.AMOUNT_ERRORS[exc.problem])
                result.errors["receipts_total"] = text % exc.numbers if exc.numbers else text
    kinds = {k.value for k in DocumentKind}
    result.answers["paper_received"] = [k for k in form.getlist("received") if k in kinds]
    if form.get("signed") != "yes":
        result.errors["signed"] = str(m.CONSENT_MISSING)
    return result


def enter_paper_claim(
    answers: dict[str, Any], form_date: date, staff: StaffUser, branch: str, ip: str
) -> Claim:
    """Submit the answers as a claim reported on `form_date`, entered by `staff`."""
    draft = Draft(
        id=secrets.token_urlsafe(32),
        answers={**answers, "source": Source.PAPER.value},
        step="check",
        expires_at=utcnow() + timedelta(hours=1),
    )
    db.session.add(draft)
    db.session.commit()
    claim = submit_draft(draft.id, today=form_date, branch=branch)
    claim.entered_by_id = staff.id
    first = claim.events[0]
    first.actor_role, first.actor_staff_id = Role(staff.role.value), staff.id
    audit(
        staff, "claim.paper", claim_id=claim.id, detail={"form_date": form_date.isoformat()}, ip=ip
    )
    db.session.commit()
    return claim
