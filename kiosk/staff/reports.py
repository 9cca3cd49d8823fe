"""统计 and 导出: the dashboard (server-drawn SVG charts, each with its figures as a table)
and a CSV of the cases reported in a date range, personal data masked. Exports are audited."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Response, render_template, request

from kiosk.claims.calendar import today_in_china
from kiosk.claims.masking import mask_id_number, mask_name
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, Person
from kiosk.services.accounts import audit
from kiosk.services.dashboard import figures
from kiosk.staff.blueprint import ADMIN, CASE_WORK, allow, bp, client_ip, staff
from kiosk.words import claimant as m
from kiosk.words import staff as w

EXPORT_MAX_DAYS = 366


@bp.get("/dashboard")
@allow(*CASE_WORK, ADMIN)
def dashboard() -> str:
    today = today_in_china()
    f = figures(today)
    return render_template(
        "staff/dashboard.html",
        f=f,
        states=[
            (str(w.STATES[s]), n)
            for s, n in sorted(f.by_state.items(), key=lambda i: list(w.STATES).index(i[0]))
        ],
        types=[(str(m.CLAIM_TYPES[t][0]), n) for t, n in f.by_type.items()],
        weekly=[(week.strftime("%m-%d"), n) for week, n in f.weekly],
        today=today,
        default_from=(today - timedelta(days=30)).isoformat(),
    )


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/export")
@allow(*CASE_WORK, ADMIN)
def export() -> Any:
    """导出 CSV (UTF-8 with BOM, for Excel): cases reported from `from` to `to`, masked."""
    start, end = _day("from"), _day("to")
    if start is None or end is None or end < start or (end - start).days > EXPORT_MAX_DAYS:
        return render_template("staff/export_problem.html"), 400
    rows = db.session.execute(
        sa.select(Claim, Person)
        .join(Person, Claim.insured_id == Person.id)
        .where(Claim.reported_on.between(start, end))
        .order_by(Claim.reported_on, Claim.case_number)
    ).all()
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([str(h) for h in w.EXPORT_HEADINGS])
    for claim, person in rows:
        writer.writerow(
            [
                claim.case_number,
                claim.reported_on.isoformat(),
                str(m.CLAIM_TYPES[claim.claim_type][0]),
                str(w.STATES[claim.state]),
                str(w.PRIORITIES[claim.priority]),
                claim.branch,
                mask_name(person.name),
                mask_id_number(person.id_number or ""),
                claim.estimated_amount or "",
                claim.approved_amount or "",
                claim.paid_amount or "",
                claim.paid_on.isoformat() if claim.paid_on else "",
            ]
        )
    audit(
        staff(),
        "cases.export",
        detail={"from": start.isoformat(), "to": end.isoformat(), "rows": len(rows)},
        ip=client_ip(),
    )
    db.session.commit()
    name = f"cases-{start.isoformat()}-{end.isoformat()}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
