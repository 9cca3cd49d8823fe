"""审计日志: the append-only audit log, searchable by an administrator. No route edits or
deletes a row."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import render_template, request

from kiosk.claims.calendar import CHINA
from kiosk.claims.case_numbers import normalise_case_number
from kiosk.platform.extensions import db
from kiosk.platform.models import AuditEvent, Claim, StaffUser
from kiosk.staff.blueprint import ADMIN, allow, bp
from kiosk.words import staff as w

PAGE_SIZE = 100


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


@bp.get("/audit")
@allow(ADMIN)
def audit() -> str:
    args = {k: request.args.get(k, "").strip() for k in ("action", "case", "who", "from", "to")}
    query = sa.select(AuditEvent).order_by(AuditEvent.id.desc())
    if args["action"]:
        query = query.where(AuditEvent.action == args["action"])
    if args["case"]:
        number = normalise_case_number(args["case"])
        query = query.where(
            AuditEvent.claim_id.in_(sa.select(Claim.id).where(Claim.case_number == number))
        )
    if args["who"]:
        query = query.where(
            AuditEvent.actor_staff_id.in_(
                sa.select(StaffUser.id).where(StaffUser.username == args["who"].lower())
            )
        )
    if start := _day(args["from"]):
        query = query.where(AuditEvent.at >= datetime.combine(start, time(), CHINA))
    if end := _day(args["to"]):
        query = query.where(
            AuditEvent.at < datetime.combine(end + timedelta(days=1), time(), CHINA)
        )
    rows = db.session.scalars(query.limit(PAGE_SIZE)).all()
    names = dict(db.session.execute(sa.select(StaffUser.id, StaffUser.username)).all())
    numbers = dict(
        db.session.execute(
            sa.select(Claim.id, Claim.case_number).where(
                Claim.id.in_({r.claim_id for r in rows if r.claim_id})
            )
        ).all()
    )
    return render_template(
        "staff/audit.html",
        rows=rows,
        names=names,
        numbers=numbers,
        args=args,
        actions=w.AUDIT_ACTIONS | w.STAFF_ACTIONS,
        actors=w.ACTORS,
        limit=PAGE_SIZE,
    )
