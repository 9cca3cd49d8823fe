"""Who must approve a claim: one level, or a second approval by a different approver."""

from __future__ import annotations

from decimal import Decimal

from kiosk.claims.types import ClaimType

SECOND_APPROVAL_FROM = Decimal("5000")


def needs_second_approval(claim_type: ClaimType, amount: Decimal) -> bool:
    """Approvals of 5,000 yuan or more, and every death or disability claim, need a second
    approval by a different person with the approver role."""
    return (
        amount >= SECOND_APPROVAL_FROM or claim_type.is_death or claim_type is ClaimType.DISABILITY
    )
