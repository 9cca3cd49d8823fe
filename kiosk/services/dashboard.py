"""The figures of the back office's dashboard: counts, how long decisions and payments take
in working days, how often the service promises were kept, weekly volume, satisfaction.

Counting them reads every claim and its status events (seconds at 300,000 claims), so the
worker counts once a minute when something changed (`refresh`) and the page reads what it
stored (`latest`): one row, however many claims (ADR 0039)."""

from __future__ import annotations

import functools
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from kiosk.claims.calendar import working_days_between
from kiosk.claims.policies import LossRatio, elapsed_share
from kiosk.claims.sla import (
    LARGE_AMOUNT,
    PAYMENT_WORKING_DAYS_LARGE,
    PAYMENT_WORKING_DAYS_SMALL,
    REVIEW_WORKING_DAYS,
)
from kiosk.claims.states import CaseState
from kiosk.claims.types import ClaimType
from kiosk.platform.extensions import db
from kiosk.platform.models import (
    Claim,
    DashboardSnapshot,
    PolicyVersion,
    SatisfactionAnswer,
    StaffUser,
    StatusEvent,
    utcnow,
)
from kiosk.services import policies

WINDOW_DAYS = 90  # the times and promises are measured over cases decided this recently
WEEKS = 12
EVERY_BRANCH = ""  # the snapshot's scope
STALE_AFTER = timedelta(minutes=10)  # the worker counts every minute: it must have stopped
MEASURED = (CaseState.UNDER_REVIEW, CaseState.APPROVED, CaseState.DECLINED, CaseState.PAID)
# China has kept UTC+8 all year since 1991; a fixed offset converts many times faster than
# the zoneinfo rules, and the dashboard converts a timestamp per step of every recent case.
CHINA_OFFSET = timezone(timedelta(hours=8))


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
    # each policy period's claims paid against its premium (as JSON-ready rows)
    loss_ratios: list[dict[str, Any]] = field(default_factory=list)
    counted_at: datetime | None = None  # when the worker counted them

    def stale(self) -> bool:
        """Not counted again for longer than the worker ever waits: it has stopped."""
        return self.counted_at is not None and utcnow() - self.counted_at > STALE_AFTER


def _first(*states: CaseState) -> Any:
    """The first time the claim reached one of `states` (NULL if never)."""
    return sa.func.min(sa.case((StatusEvent.to_state.in_(states), StatusEvent.at)))


def _times_and_promises(
    since: date, scoped: list[Any]
) -> tuple[list[int], list[int], tuple[int, int], tuple[int, int]]:
    """Working days from report to decision and to payment, and how often review and payment
    kept their promise, for the cases decided (paid) since `since`.

    One row per claim, with the first day it reached each step, read as plain rows; then the
    same days are counted once (many cases share their dates), so 100,000 cases take a
    fraction of a second rather than seconds."""
    rows = db.session.connection().execute(
        sa.select(
            Claim.reported_on,
            Claim.approved_amount >= LARGE_AMOUNT,
            Claim.complex_until,
            _first(CaseState.UNDER_REVIEW),
            _first(CaseState.APPROVED),
            _first(CaseState.DECLINED),
            _first(CaseState.PAID),
        )
        .join(StatusEvent, StatusEvent.claim_id == Claim.id)
        .where(Claim.reported_on >= since - timedelta(days=WINDOW_DAYS))
        .where(StatusEvent.to_state.in_(MEASURED), *scoped)
        .group_by(Claim.id)
    )
    cases: Counter[tuple[Any, ...]] = Counter()  # reported_on, large, complex_until, days...
    for reported_on, large, complex_until, *reached in rows:
        days = [at.astimezone(CHINA_OFFSET).date() if at else None for at in reached]
        cases[(reported_on, bool(large), complex_until, *days)] += 1
    between = functools.cache(working_days_between)
    to_decision: list[int] = []
    to_payment: list[int] = []
    review, payment = [0, 0], [0, 0]
    for (reported_on, large, complex_until, reviewed, approved, declined, paid), n in cases.items():
        decided = approved or declined
        if decided and decided >= since:
            to_decision += [between(reported_on, decided)] * n
            review[1] += n
            if complex_until:  # told the family why, and the day: that is the promise
                review[0] += n * (decided <= complex_until)
            else:
                took = between(reviewed or reported_on, decided)
                review[0] += n * (took <= REVIEW_WORKING_DAYS)
        if paid and approved and paid >= since:
            to_payment += [between(reported_on, paid)] * n
            limit = PAYMENT_WORKING_DAYS_LARGE if large else PAYMENT_WORKING_DAYS_SMALL
            payment[1] += n
            payment[0] += n * (between(approved, paid) <= limit)
    return to_decision, to_payment, (review[0], review[1]), (payment[0], payment[1])


def loss_ratios(today: date) -> list[dict[str, Any]]:
    """Per policy period (its versions together): premium, paid, approved and not paid, the
    open cases' estimates, the loss ratio to date and projected; one grouped statement."""
    open_states = [s for s in CaseState if s.is_open]
    rows = db.session.execute(
        sa.select(
            Claim.policy_id,
            sa.func.sum(sa.func.coalesce(Claim.paid_amount, 0)),
            sa.func.sum(
                sa.case((Claim.state == CaseState.APPROVED, Claim.approved_amount), else_=0)
            ),
            sa.func.sum(sa.case((Claim.state.in_(open_states), Claim.estimated_amount), else_=0)),
        )
        .where(Claim.policy_id.is_not(None))
        .group_by(Claim.policy_id)
    ).all()
    period_of = {p.id: (p.district, p.starts_on) for p in policies.every_version(fresh=True)}
    sums: dict[tuple[str, date], list[Decimal]] = {}
    for policy_id, paid, approved, estimated in rows:
        if policy_id in period_of:
            total = sums.setdefault(period_of[policy_id], [Decimal(0)] * 3)
            for i, value in enumerate((paid, approved, estimated)):
                total[i] += Decimal(value or 0)
    result = []
    for policy in policies.newest_versions():
        paid, approved, estimated = sums.get((policy.district, policy.starts_on), [Decimal(0)] * 3)
        ratio = LossRatio(policy, paid, approved, estimated, elapsed_share(policy, today))
        result.append(
            {
                "district": policy.district,
                "starts_on": policy.starts_on.isoformat(),
                "ends_on": policy.ends_on.isoformat(),
                "premium": str(policy.premium),
                "floor": str(policy.floor),
                "paid": str(paid),
                "approved_unpaid": str(approved),
                "open_estimated": str(estimated),
                "to_date": _percent(ratio.to_date),
                "projected": _percent(ratio.projected),
                "short_of_floor": ratio.short_of_floor,
            }
        )
    return result


def _percent(share: Decimal | None) -> float | None:
    return None if share is None else float(round(share * 100, 1))


def figures(today: date, scope: str = EVERY_BRANCH) -> Figures:
    """The figures of `scope`'s cases: one branch's, or every branch's."""
    scoped = [Claim.branch == scope] if scope else []
    by_state = dict(
        db.session.execute(
            sa.select(Claim.state, sa.func.count()).where(*scoped).group_by(Claim.state)
        ).all()
    )
    by_type = dict(
        db.session.execute(
            sa.select(Claim.claim_type, sa.func.count()).where(*scoped).group_by(Claim.claim_type)
        ).all()
    )
    overdue = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Claim)
        .where(Claim.state.in_([s for s in CaseState if s.is_open]), Claim.due_on < today)
        .where(*scoped)
    )
    since = today - timedelta(days=WINDOW_DAYS)
    to_decision, to_payment, review, payment = _times_and_promises(since, scoped)
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=WEEKS - 1)
    reported: Counter[date] = Counter()
    for day, n in db.session.execute(
        sa.select(Claim.reported_on, sa.func.count())
        .where(Claim.reported_on >= first, *scoped)
        .group_by(Claim.reported_on)
    ):
        reported[day - timedelta(days=day.weekday())] += n
    answered = sa.select(SatisfactionAnswer.score).join(
        Claim, Claim.id == SatisfactionAnswer.claim_id
    )
    scores = answered.where(*scoped).subquery()
    average, answers = db.session.execute(
        sa.select(sa.func.avg(scores.c.score), sa.func.count(scores.c.score))
    ).one()
    return Figures(
        by_state=by_state,
        by_type=by_type,
        overdue=overdue or 0,
        median_days_to_decision=statistics.median(to_decision) if to_decision else None,
        median_days_to_payment=statistics.median(to_payment) if to_payment else None,
        review_kept=review,
        payment_kept=payment,
        weekly=[
            (first + timedelta(weeks=i), reported[first + timedelta(weeks=i)]) for i in range(WEEKS)
        ],
        satisfaction=float(average) if average is not None else None,
        answers=answers or 0,
        loss_ratios=loss_ratios(today),
    )


def _to_json(f: Figures) -> dict[str, Any]:
    return {
        "by_state": {s.value: n for s, n in f.by_state.items()},
        "by_type": {t.value: n for t, n in f.by_type.items()},
        "overdue": f.overdue,
        "median_days_to_decision": f.median_days_to_decision,
        "median_days_to_payment": f.median_days_to_payment,
        "review_kept": list(f.review_kept),
        "payment_kept": list(f.payment_kept),
        "weekly": [(week.isoformat(), n) for week, n in f.weekly],
        "satisfaction": f.satisfaction,
        "answers": f.answers,
        "loss_ratios": f.loss_ratios,
    }


def _from_json(d: dict[str, Any], counted_at: datetime) -> Figures:
    return Figures(
        by_state={CaseState(s): n for s, n in d["by_state"].items()},
        by_type={ClaimType(t): n for t, n in d["by_type"].items()},
        overdue=d["overdue"],
        median_days_to_decision=d["median_days_to_decision"],
        median_days_to_payment=d["median_days_to_payment"],
        review_kept=(d["review_kept"][0], d["review_kept"][1]),
        payment_kept=(d["payment_kept"][0], d["payment_kept"][1]),
        weekly=[(date.fromisoformat(week), n) for week, n in d["weekly"]],
        satisfaction=d["satisfaction"],
        answers=d["answers"],
        loss_ratios=d["loss_ratios"],
        counted_at=counted_at,
    )


def _what_changed(today: date, now: datetime) -> str:
    """What the figures depend on, read from three indexes: the latest status event, claim
    change and answer, with the day (overdue counts move at midnight) and the hour (so a
    deleted claim, which changes none of these, is counted out within the hour)."""
    latest = db.session.execute(
        sa.select(
            sa.select(sa.func.max(StatusEvent.id)).scalar_subquery(),
            sa.select(sa.func.max(Claim.updated_at)).scalar_subquery(),
            sa.select(sa.func.max(SatisfactionAnswer.id)).scalar_subquery(),
            sa.select(sa.func.max(PolicyVersion.id)).scalar_subquery(),
        )
    ).one()
    event, change, answer, policy = latest
    stamp = change.isoformat() if change else ""
    return f"{today.isoformat()} {now.hour:02d}h|{event}|{stamp}|{answer}|{policy}"


def refresh(today: date, now: datetime | None = None, scope: str = EVERY_BRANCH) -> bool:
    """Count the figures again and keep them, unless nothing changed since the last count.
    Two counts at once (the worker, and a first page view) both end well: the later write wins,
    and both are the same figures."""
    now = now or utcnow()
    changed = _what_changed(today, now)
    snapshot = db.session.get(DashboardSnapshot, scope)
    if snapshot is not None and snapshot.counted_from == changed:
        db.session.rollback()
        return False
    counted = _to_json(figures(today, scope))
    if snapshot is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    DashboardSnapshot(
                        scope=scope, figures=counted, counted_from=changed, counted_at=now
                    )
                )
        except sa.exc.IntegrityError:  # counted at the same moment elsewhere: theirs will do
            pass
    else:
        snapshot.figures, snapshot.counted_from, snapshot.counted_at = counted, changed, now
    db.session.commit()
    return True


def scopes() -> list[str]:
    """Every branch some active staff member is scoped to, and the whole district."""
    named = db.session.scalars(
        sa.select(StaffUser.branch).where(StaffUser.active, StaffUser.branch != "").distinct()
    )
    return [EVERY_BRANCH, *sorted(named)]


def latest(today: date, scope: str = EVERY_BRANCH) -> Figures:
    """The figures as last counted; counted now if they never were (a new kiosk, whose worker
    has not had its first minute) or were stored by an older version."""
    snapshot = db.session.get(DashboardSnapshot, scope)
    if snapshot is not None:
        try:
            return _from_json(snapshot.figures, snapshot.counted_at)
        except (KeyError, ValueError, TypeError):
            db.session.delete(snapshot)
            db.session.commit()
    refresh(today, scope=scope)
    snapshot = db.session.get(DashboardSnapshot, scope)
    assert snapshot is not None
    return _from_json(snapshot.figures, snapshot.counted_at)
