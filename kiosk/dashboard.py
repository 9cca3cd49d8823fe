"""The figures of the back office's dashboard: counts, how long decisions and payments take
in working days, how often the service promises were kept, weekly volume, satisfaction."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from .claims.calendar import CHINA, working_days_between
from .claims.sla import (
    LARGE_AMOUNT,
    PAYMENT_WORKING_DAYS_LARGE,
    PAYMENT_WORKING_DAYS_SMALL,
    REVIEW_WORKING_DAYS,
)
from .claims.states import CaseState
from .claims.types import ClaimType
from .extensions import db
from .models import Claim, SatisfactionAnswer, StatusEvent

WINDOW_DAYS = 90  # the times and promises are measured over cases decided this recently
WEEKS = 12
MEASURED = (CaseState.UNDER_REVIEW, CaseState.APPROVED, CaseState.DECLINED, CaseState.PAID)


@dataclass
class Figures:
    by_state: dict[CaseState, int]
    by_type: dict[ClaimType, int]
    overdue: int
    median_days_to_decision: float | None
    median_days_to_payment: float | None
    review_kept: tuple[int, int]  # kept, counted
    payment_kept: tuple[int, int]
    weekly: list[tuple[date, int]]  # the Monday, claims reported that week
    satisfaction: float | None
    answers: int


def _share(kept: int, counted: int) -> float | None:
    return kept / counted if counted else None


def figures(today: date) -> Figures:
    by_state = dict(
        db.session.execute(sa.select(Claim.state, sa.func.count()).group_by(Claim.state)).all()
    )
    by_type = dict(
        db.session.execute(
            sa.select(Claim.claim_type, sa.func.count()).group_by(Claim.claim_type)
        ).all()
    )
    overdue = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Claim)
        .where(Claim.state.in_([s for s in CaseState if s.is_open]), Claim.due_on < today)
    )
    since = today - timedelta(days=WINDOW_DAYS)
    events = db.session.execute(
        sa.select(
            StatusEvent.claim_id,
            StatusEvent.to_state,
            StatusEvent.at,
            Claim.reported_on,
            Claim.approved_amount,
            Claim.complex_until,
        )
        .join(Claim, Claim.id == StatusEvent.claim_id)
        .where(Claim.reported_on >= since - timedelta(days=WINDOW_DAYS))
        .where(StatusEvent.to_state.in_(MEASURED))
        .order_by(StatusEvent.claim_id, StatusEvent.id)
    ).all()
    reached: dict[int, dict[CaseState, date]] = defaultdict(dict)
    facts: dict[int, tuple[date, Decimal | None, date | None]] = {}
    for claim_id, state, at, reported_on, amount, complex_until in events:
        reached[claim_id].setdefault(state, at.astimezone(CHINA).date())
        facts[claim_id] = (reported_on, amount, complex_until)
    to_decision, to_payment = [], []
    review, payment = [0, 0], [0, 0]
    for claim_id, days in reached.items():
        reported_on, amount, complex_until = facts[claim_id]
        decided = days.get(CaseState.APPROVED) or days.get(CaseState.DECLINED)
        if decided and decided >= since:
            to_decision.append(working_days_between(reported_on, decided))
            start = days.get(CaseState.UNDER_REVIEW, reported_on)
            review[1] += 1
            if complex_until:  # told the family why, and the day: that is the promise
                review[0] += decided <= complex_until
            else:
                review[0] += working_days_between(start, decided) <= REVIEW_WORKING_DAYS
        paid = days.get(CaseState.PAID)
        approved = days.get(CaseState.APPROVED)
        if paid and approved and paid >= since:
            to_payment.append(working_days_between(reported_on, paid))
            limit = (
                PAYMENT_WORKING_DAYS_LARGE
                if (amount or 0) >= LARGE_AMOUNT
                else PAYMENT_WORKING_DAYS_SMALL
            )
            payment[1] += 1
            payment[0] += working_days_between(approved, paid) <= limit
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=WEEKS - 1)
    reported: Counter[date] = Counter()
    for day, n in db.session.execute(
        sa.select(Claim.reported_on, sa.func.count())
        .where(Claim.reported_on >= first)
        .group_by(Claim.reported_on)
    ):
        reported[day - timedelta(days=day.weekday())] += n
    average = db.session.scalar(sa.select(sa.func.avg(SatisfactionAnswer.score)))
    answers = db.session.scalar(sa.select(sa.func.count(SatisfactionAnswer.id)))
    return Figures(
        by_state=by_state,
        by_type=by_type,
        overdue=overdue or 0,
        median_days_to_decision=statistics.median(to_decision) if to_decision else None,
        median_days_to_payment=statistics.median(to_payment) if to_payment else None,
        review_kept=(review[0], review[1]),
        payment_kept=(payment[0], payment[1]),
        weekly=[
            (first + timedelta(weeks=i), reported[first + timedelta(weeks=i)]) for i in range(WEEKS)
        ],
        satisfaction=float(average) if average is not None else None,
        answers=answers or 0,
    )
