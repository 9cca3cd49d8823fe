"""Changing a case: every move goes through the state machine and leaves who, when and why."""

from __future__ import annotations

from kiosk.claims.calendar import today_in_china
from kiosk.claims.sla import complex_review_limit, step_due
from kiosk.claims.states import CaseState, Role, check_transition
from kiosk.platform.extensions import db
from kiosk.platform.models import AuditEvent, Claim, StaffUser, StatusEvent, Volunteer, utcnow
from kiosk.services import notifications


def move_case(
    claim: Claim,
    target: CaseState,
    role: Role,
    *,
    reason: str = "",
    staff: StaffUser | None = None,
    volunteer: Volunteer | None = None,
    ip: str = "",
) -> StatusEvent:
    """Move `claim` to `target` if `role` may; record the status and audit events.
    The caller commits, so the move and its records land together or not at all."""
    check_transition(claim.state, target, role)
    if claim.id is None:
        db.session.flush()  # the audit row needs the claim's id
    now = utcnow()
    event = StatusEvent(
        from_state=claim.state,
        to_state=target,
        actor_role=role,
        actor_staff_id=staff.id if staff else None,
        actor_volunteer_id=volunteer.id if volunteer else None,
        reason=reason,
        at=now,
    )
    claim.events.append(event)
    db.session.add(
        AuditEvent(
            at=now,
            actor_role=role,
            actor_staff_id=staff.id if staff else None,
            actor_volunteer_id=volunteer.id if volunteer else None,
            action="case.move",
            claim_id=claim.id,
            detail={"from": claim.state.value, "to": target.value},
            ip=ip,
        )
    )
    if claim.complex_reason and (claim.state, target) == (
        CaseState.DOCUMENTS_NEEDED,
        CaseState.UNDER_REVIEW,
    ):
        # complete again: the complex review's 30 working days start again from today
        claim.complex_until = complex_review_limit(today_in_china(now))
    claim.state = target
    claim.state_since = now
    set_due(claim)
    notifications.queue_for(claim, f"state:{len(claim.events)}")
    return event


def set_due(claim: Claim) -> None:
    """Keep the SLA deadline of the step the case is in, for the work queue."""
    entered = claim.state_since or utcnow()
    claim.due_on = step_due(
        claim.state, entered, claim.priority, claim.approved_amount, claim.complex_until
    )
