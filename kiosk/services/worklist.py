"""The work queue: open cases, what is due first at the top (the current step's SLA deadline,
then priority), with filters, counts per state and pages. Sorting uses Claim.due_on, which
every move keeps (kiosk.services.cases.set_due), so the page stays fast with many cases."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, load_only

from kiosk.claims.calendar import working_days_between
from kiosk.claims.states import CaseState
from kiosk.claims.types import ClaimType, Priority
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, Person

PAGE_SIZE = 50
OPEN_STATES = [s for s in CaseState if s.is_open]
PRIORITY_RANK = sa.case(
    {Priority.EMERGENCY.value: 0, Priority.HIGHER.value: 1}, value=Claim.priority, else_=2
)

# A row's columns only, in the same statement: nothing encrypted is read, so nothing is
# decrypted for a list that shows none of it.
WHAT_A_ROW_SHOWS = (
    load_only(
        Claim.case_number,
        Claim.claim_type,
        Claim.state,
        Claim.priority,
        Claim.complex_until,
        Claim.due_on,
        Claim.reported_on,
        Claim.branch,
        Claim.submitted_at,
    ),
    joinedload(Claim.insured).load_only(Person.name),
)


@dataclass(frozen=True)
class QueueFilter:
    state: CaseState | None = None
    claim_type: ClaimType | None = None
    branch: str = ""
    overdue: bool = False
    page: int = 1
    scope: str = ""  # the staff member's branch: only its cases ("" the whole district)

    @classmethod
    def from_args(cls, args: Any) -> QueueFilter:
        """From the query string; anything unknown is ignored rather than refused."""
        state = args.get("state", "")
        claim_type = args.get("type", "")
        try:
            page = max(1, min(int(args.get("page", "1")), 10_000))
        except ValueError:
            page = 1
        return cls(
            state=CaseState(state) if state in CaseState._value2member_map_ else None,
            claim_type=ClaimType(claim_type)
            if claim_type in ClaimType._value2member_map_
            else None,
            branch=args.get("branch", "").strip()[:64],
            overdue=args.get("overdue") == "1",
            page=page,
        )

    def where(self, today: date) -> list[Any]:
        states = [self.state] if self.state else OPEN_STATES
        conditions: list[Any] = [Claim.state.in_(states)]
        if self.claim_type:
            conditions.append(Claim.claim_type == self.claim_type)
        if self.branch:
            conditions.append(Claim.branch == self.branch)
        if self.scope:
            conditions.append(Claim.branch == self.scope)
        if self.overdue:
            conditions.append(Claim.due_on < today)
        return conditions


@dataclass
class QueuePage:
    rows: list[Claim]
    total: int
    page: int
    pages: int
    counts: dict[CaseState, int]
    overdue: int


def queue(f: QueueFilter, today: date) -> QueuePage:
    conditions = f.where(today)
    counts: dict[CaseState, int] = {}
    overdue = 0
    for state, count, late in db.session.execute(
        sa.select(Claim.state, sa.func.count(), sa.func.count().filter(Claim.due_on < today))
        .where(Claim.state.in_(OPEN_STATES), *([Claim.branch == f.scope] if f.scope else []))
        .group_by(Claim.state)
    ):
        counts[state], overdue = count, overdue + late
    if f.claim_type or f.branch or f.overdue:
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Claim).where(*conditions))
    else:  # by state alone: the counts already say
        total = counts.get(f.state, 0) if f.state else sum(counts.values())
    total = total or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(f.page, pages)
    rows = list(
        db.session.scalars(
            sa.select(Claim)
            .options(*WHAT_A_ROW_SHOWS)
            .where(*conditions)
            .order_by(Claim.due_on.asc().nulls_last(), PRIORITY_RANK, Claim.submitted_at, Claim.id)
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    return QueuePage(rows, total, page, pages, counts, overdue)


def days_late(due: date | None, today: date) -> int | None:
    """Working days past the deadline: 0 due today, negative still to come, None no deadline."""
    return None if due is None else working_days_between(due, today)


_branches: tuple[float, list[str]] = (0.0, [])
BRANCHES_FOR = 600  # seconds: a new branch shows in the filter within ten minutes


def branches() -> list[str]:
    """The branches cases come from, for the filter. Reading them means a pass over every
    claim, so a process keeps the list a few minutes (a stale list hides nothing: the
    filter by a branch's name still works)."""
    global _branches
    if time.monotonic() - _branches[0] > BRANCHES_FOR:
        names = db.session.scalars(sa.select(Claim.branch).distinct().order_by(Claim.branch))
        _branches = (time.monotonic(), [b for b in names if b])
    return _branches[1]
