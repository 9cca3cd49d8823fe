"""审计日志 searched: the newest rows first, by action, case number, username and days (the
branch's days, in China's time). The log is append-only; nothing here changes a row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from kiosk.claims.calendar import CHINA
from kiosk.claims.case_numbers import normalise_case_number
from kiosk.platform.extensions import db
from kiosk.platform.models import AuditEvent, Claim, StaffUser

PAGE_SIZE = 100
FIELDS = ("action", "case", "who", "from", "to")  # the search form's fields


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


@dataclass(frozen=True)
class AuditSearch:
    action: str = ""
    case: str = ""  # a case number as typed
    who: str = ""  # a staff username
    start: date | None = None
    end: date | None = None  # the last day included

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> AuditSearch:
        """From the search form's fields; a day that is not a date is ignored."""
        return cls(args["action"], args["case"], args["who"], _day(args["from"]), _day(args["to"]))

    def query(self) -> sa.Select[AuditEvent]:
        query = sa.select(AuditEvent).order_by(AuditEvent.id.desc())
        if self.action:
            query = query.where(AuditEvent.action == self.action)
        if self.case:
            number = normalise_case_number(self.case)
            query = query.where(
                AuditEvent.claim_id.in_(sa.select(Claim.id).where(Claim.case_number == number))
            )
        if self.who:
            query = query.where(
                AuditEvent.actor_staff_id.in_(
                    sa.select(StaffUser.id).where(StaffUser.username == self.who.lower())
                )
            )
        if self.start:
            query = query.where(AuditEvent.at >= datetime.combine(self.start, time(), CHINA))
        if self.end:
            next_day = datetime.combine(self.end + timedelta(days=1), time(), CHINA)
            query = query.where(AuditEvent.at < next_day)
        return query


@dataclass
class AuditPage:
    rows: Sequence[AuditEvent]  # at most PAGE_SIZE, newest first
    names: dict[int, str]  # staff id -> username, for every account
    numbers: dict[int, str]  # claim id -> case number, for the rows' claims


def search(s: AuditSearch) -> AuditPage:
    rows = db.session.scalars(s.query().limit(PAGE_SIZE)).all()
    names = dict(db.session.execute(sa.select(StaffUser.id, StaffUser.username)).all())
    numbers = dict(
        db.session.execute(
            sa.select(Claim.id, Claim.case_number).where(
                Claim.id.in_({r.claim_id for r in rows if r.claim_id})
            )
        ).all()
    )
    return AuditPage(rows, names, numbers)
