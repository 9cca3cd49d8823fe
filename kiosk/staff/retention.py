"""案件清除: the closed cases past their retention period, for an administrator to confirm;
only the cases shown and confirmed are purged, each re-checked (kiosk.services.retention)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from kiosk.claims.calendar import today_in_china
from kiosk.services.retention import expired, purge
from kiosk.staff.blueprint import ADMIN, allow, bp, staff
from kiosk.words import staff as w


@bp.get("/retention")
@allow(ADMIN)
def retention() -> str:
    return render_template("staff/retention.html", rows=expired(today_in_china()))


@bp.post("/retention")
@allow(ADMIN)
def retention_purge() -> Any:
    ids = [int(i) for i in request.form.getlist("claim") if i.isdigit()]
    done = purge(ids, today_in_china(), staff())
    flash(str(w.PURGED) % {"n": done})
    return redirect(url_for("staff.retention"), 303)
