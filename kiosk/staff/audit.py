"""审计日志: the append-only audit log, searchable by an administrator. No route edits or
deletes a row."""

from __future__ import annotations

from flask import render_template, request

from kiosk.services import audit_log
from kiosk.staff.blueprint import ADMIN, allow, bp
from kiosk.words import staff as w


@bp.get("/audit")
@allow(ADMIN)
def audit() -> str:
    args = {k: request.args.get(k, "").strip() for k in audit_log.FIELDS}
    found = audit_log.search(audit_log.AuditSearch.from_args(args))
    return render_template(
        "staff/audit.html",
        rows=found.rows,
        names=found.names,
        numbers=found.numbers,
        args=args,
        actions=w.AUDIT_ACTIONS | w.STAFF_ACTIONS,
        actors=w.ACTORS,
        limit=audit_log.PAGE_SIZE,
    )
