"""参保名册: the civil-affairs bureau's list, imported by an administrator from the back office
as from `flask --app kiosk roster import` (kiosk.services.roster), with the same report."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import render_template, request

from kiosk.claims.calendar import today_in_china
from kiosk.platform.extensions import db
from kiosk.platform.models import RosterEntry
from kiosk.services import accounts
from kiosk.services.roster import RosterReport, import_roster
from kiosk.staff.blueprint import ADMIN, allow, bp, client_ip, staff


def _roster_page(report: RosterReport | None = None, problem: str = "") -> tuple[str, int]:
    listed = db.session.scalar(
        sa.select(sa.func.count(RosterEntry.id)).where(RosterEntry.removed_on.is_(None))
    )
    status = 422 if problem or (report and report.refused) else 200
    return render_template(
        "staff/roster.html", listed=listed or 0, report=report, problem=problem
    ), status


@bp.get("/roster")
@allow(ADMIN)
def roster() -> Any:
    return _roster_page()


@bp.post("/roster")
@allow(ADMIN)
def roster_import() -> Any:
    """导入名册: the whole list each month; nothing imported while any row is refused."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _roster_page(problem="file")
    report = import_roster(upload.read(), today_in_china(), dry_run=bool(request.form.get("dry")))
    if report.imported:
        detail = {"rows": report.rows, "added": report.added, "removed": report.removed}
        accounts.audit(staff(), "roster.import", detail=detail, ip=client_ip())
        db.session.commit()
    return _roster_page(report)
