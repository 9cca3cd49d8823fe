"""手工受理, stored: the answers of a paper claim form, checked already by the kiosk's own
questions (kiosk.questions.paper), submitted as a kiosk claim is. The claim is marked as paper,
with the form's date as its report date and the staff member who entered it."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from kiosk.claims.states import Role
from kiosk.claims.types import Source
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, Draft, StaffUser, utcnow
from kiosk.services.accounts import audit
from kiosk.services.submission import submit_draft


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
