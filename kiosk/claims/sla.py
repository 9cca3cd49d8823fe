"""The service promises of DOMAIN.md as deadlines."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from kiosk.claims.calendar import today_in_china, working_days_after
from kiosk.claims.states import CaseState
from kiosk.claims.types import ClaimType, Priority

ACKNOWLEDGE_WITHIN = timedelta(minutes=5)  # a report made online is acknowledged
REVIEW_WORKING_DAYS = 3  # documents reviewed within 3 working days of being complete
COMPLEX_REVIEW_MAX_WORKING_DAYS = 30  # complex cases: tell why, at most 30 working days
PAYMENT_WORKING_DAYS_SMALL = 3  # claims under 5,000 yuan
PAYMENT_WORKING_DAYS_LARGE = 7
LARGE_AMOUNT = Decimal("5000")
PROGRESS_NOTICE_WORKING_DAYS = 3
COMPLAINT_ACKNOWLEDGE_WITHIN = timedelta(hours=24)
COMPLAINT_ANSWER_WORKING_DAYS = 7
EMERGENCY_FIRST_REVIEW_WITHIN = timedelta(hours=24)
FIRST_REVIEW_WORKING_DAYS = {Priority.HIGHER: 3, Priority.GENERAL: 5}


def priority_for(
    claim_type: ClaimType,
    amount: Decimal | None = None,
    *,
    serious_injury: bool = False,
    disputed: bool = False,
) -> Priority:
    """紧急 for death and serious injury, 较高 for 5,000 yuan or more and disputes, else 一般."""
    if claim_type.is_death or serious_injury:
        return Priority.EMERGENCY
    if disputed or (amount is not None and amount >= LARGE_AMOUNT):
        return Priority.HIGHER
    return Priority.GENERAL


def acknowledge_by(reported_at: datetime) -> datetime:
    """A report made online is acknowledged within 5 minutes."""
    return reported_at + ACKNOWLEDGE_WITHIN


def complaint_acknowledge_by(received_at: datetime) -> datetime:
    """Complaints are acknowledged within 24 hours."""
    return received_at + COMPLAINT_ACKNOWLEDGE_WITHIN


def first_review_due(submitted_at: datetime, priority: Priority) -> datetime:
    """When the first review of a newly submitted case is due, by its priority."""
    if priority is Priority.EMERGENCY:
        return submitted_at + EMERGENCY_FIRST_REVIEW_WITHIN
    day = working_days_after(submitted_at.date(), FIRST_REVIEW_WORKING_DAYS[priority])
    return datetime.combine(day, datetime.max.time()).replace(
        microsecond=0, tzinfo=submitted_at.tzinfo
    )


def review_due(documents_complete_on: date) -> date:
    """Review is due 3 working days after the documents are complete."""
    return working_days_after(documents_complete_on, REVIEW_WORKING_DAYS)


def complex_review_limit(documents_complete_on: date) -> date:
    """The latest a complex case may take, with the reason told to the customer."""
    return working_days_after(documents_complete_on, COMPLEX_REVIEW_MAX_WORKING_DAYS)


def payment_due(approved_on: date, amount: Decimal) -> date:
    """Payment within 3 working days under 5,000 yuan, 7 working days from 5,000 up."""
    days = PAYMENT_WORKING_DAYS_LARGE if amount >= LARGE_AMOUNT else PAYMENT_WORKING_DAYS_SMALL
    return working_days_after(approved_on, days)


def next_progress_notice(last_notice_on: date) -> date:
    """While a case is open, a progress notice every 3 working days."""
    return working_days_after(last_notice_on, PROGRESS_NOTICE_WORKING_DAYS)


def complaint_answer_due(received_on: date) -> date:
    """Complaints are answered within 7 working days (acknowledged within 24 hours)."""
    return working_days_after(received_on, COMPLAINT_ANSWER_WORKING_DAYS)


def next_step_due(
    state: CaseState,
    since: date,
    *,
    amount: Decimal | None = None,
    complex_until: date | None = None,
) -> date | None:
    """The date by which the step after `state` should happen, counted from the day the
    case entered `state` (a complex case's review: the day the customer was told). None
    where the next step is the customer's (documents) or the case is closed."""
    if state in (CaseState.SUBMITTED, CaseState.UNDER_REVIEW, CaseState.AWAITING_APPROVAL):
        return complex_until or review_due(since)
    if state is CaseState.APPROVED:
        return payment_due(since, amount if amount is not None else Decimal(0))
    return None


def step_due(
    state: CaseState,
    entered: datetime,
    priority: Priority,
    amount: Decimal | None,
    complex_until: date | None = None,
) -> date | None:
    """The SLA deadline of the step a case is in, for the staff's work queue: a new case's
    first review by its priority; a case in review, 3 working days from entering it (a
    complex case: the day the customer was told); an approved case's payment. None when the
    next move is the customer's or the case is closed."""
    day = today_in_china(entered)
    if state is CaseState.SUBMITTED:
        return today_in_china(first_review_due(entered, priority))
    if state in (CaseState.UNDER_REVIEW, CaseState.AWAITING_APPROVAL):
        return complex_until or review_due(day)
    if state is CaseState.APPROVED:
        return payment_due(day, amount if amount is not None else Decimal(0))
    return None
