"""The work queue: open cases, what is due first at the top (the current step's SLA deadline,
then priority), with filters, counts per state and pages. Sorting uses Claim.due_on, which
every move keeps (kiosk.services.cases.set_due), so the page stays fast with many cases."""

from __future__ import annotations

import functools
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


Shape = tuple[bool, bool, bool, bool]  # filtered by type, by branch, to a scope; overdue only


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

    def shape(self) -> Shape:
        """Which filters are set: one statement serves every filter of the same shape."""
        return (self.claim_type is not None, bool(self.branch), bool(self.scope), self.overdue)

    def values(self, today: date) -> dict[str, Any]:
        """The values the statement of this filter's shape is run with."""
        return {
            "states": [self.state] if self.state else OPEN_STATES,
            "claim_type": self.claim_type,
            "branch": self.branch,
            "scope": self.scope,
            "today": today,
        }


def _conditions(shape: Shape) -> list[Any]:
    by_type, by_branch, in_scope, overdue = shape
    conditions: list[Any] = [Claim.state.in_(sa.bindparam("states", expanding=True))]
    if by_type:
        conditions.append(Claim.claim_type == sa.bindparam("claim_type"))
    if by_branch:
        conditions.append(Claim.branch == sa.bindparam("branch"))
    if in_scope:
        conditions.append(Claim.branch == sa.bindparam("scope"))
    if overdue:
        conditions.append(Claim.due_on < sa.bindparam("today"))
    return conditions


# Each statement is built once per process and filter shape, the values bound when it runs:
# building one (and SQLAlchemy's key for its cache) cost more than running it on a small queue.
@functools.cache
def _counts_statement(in_scope: bool) -> sa.Select[CaseState, int, int]:
    late = sa.func.count().filter(Claim.due_on < sa.bindparam("today"))
    return (
        sa.select(Claim.state, sa.func.count(), late)
        .where(*_conditions((False, False, in_scope, False)))
        .group_by(Claim.state)
    )


@functools.cache
def _total_statement(shape: Shape) -> sa.Select[int]:
    return sa.select(sa.func.count()).select_from(Claim).where(*_conditions(shape))


@functools.cache
def _rows_statement(shape: Shape) -> sa.Select[Claim]:
    return (
        sa.select(Claim)
        .options(*WHAT_A_ROW_SHOWS)
        .where(*_conditions(shape))
        .order_by(Claim.due_on.asc().nulls_last(), PRIORITY_RANK, Claim.submitted_at, Claim.id)
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
    )


@dataclass
class QueuePage:
    rows: list[Claim]
    total: int
    page: int
    pages: int
    counts: dict[CaseState, int]
    overdue: int


def queue(f: QueueFilter, today: date) -> QueuePage:
    values = f.values(today)
    counts: dict[CaseState, int] = {}
    overdue = 0
    every_open = values | {"states": OPEN_STATES}
    for state, count, late in db.session.execute(_counts_statement(bool(f.scope)), every_open):
        counts[state], overdue = count, overdue + late
    if f.claim_type or f.branch or f.overdue:
        total = db.session.scalar(_total_statement(f.shape()), values)
    else:  # by state alone: the counts already say
        total = counts.get(f.state, 0) if f.state else sum(counts.values())
    total = total or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(f.page, pages)
    window = {"limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}
    rows = list(db.session.scalars(_rows_statement(f.shape()), values | window))
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
