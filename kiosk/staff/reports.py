"""统计 and 导出: the dashboard (server-drawn SVG charts, each with its figures as a table)
and a CSV of the cases reported in a date range, personal data masked. Exports are audited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Response, render_template, request

from kiosk.claims.calendar import today_in_china
from kiosk.services import reports
from kiosk.services.dashboard import latest
from kiosk.staff.blueprint import ADMIN, CASE_WORK, allow, bp, client_ip, staff
from kiosk.words import claimant as m
from kiosk.words import staff as w


@bp.get("/dashboard")
@allow(*CASE_WORK, ADMIN)
def dashboard() -> str:
    today = today_in_china()
    f = latest(today, staff().branch)  # a branch's staff: their branch's figures
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
    if start is None or end is None or not reports.range_allowed(start, end):
        return render_template("staff/export_problem.html"), 400
    done = reports.export_cases(start, end, staff(), client_ip())
    return Response(
        done.text,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{done.filename}"',
            "Cache-Control": "no-store",
        },
    )
