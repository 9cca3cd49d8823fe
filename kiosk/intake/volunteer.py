"""志愿者协助: a volunteer signs in with a code, helps one person after another, sees their cases."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from kiosk.claims.case_numbers import format_case_number
from kiosk.claims.masking import mask_name
from kiosk.intake.blueprint import bp
from kiosk.intake.current import forget_draft
from kiosk.platform.extensions import db, limiter
from kiosk.platform.models import Claim, Volunteer
from kiosk.services.volunteers import volunteer_by_code
from kiosk.words import claimant as m

SIGN_IN_LIMIT = "10 per minute;60 per hour"


def signed_in_volunteer() -> Volunteer | None:
    volunteer_id = session.get("volunteer_id")
    volunteer = db.session.get(Volunteer, volunteer_id) if volunteer_id else None
    if volunteer is None or volunteer.revoked_at is not None:
        session.pop("volunteer_id", None)
        return None
    return volunteer


@bp.route("/volunteer", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def volunteer() -> Any:
    """Sign in with the code staff gave, or, once signed in, the volunteer's own start page."""
    current = signed_in_volunteer()
    errors: dict[str, str] = {}
    if request.method == "POST":
        found = volunteer_by_code(request.form.get("code", ""))
        if found is not None:
            session.clear()  # a fresh session: nothing from the person before
            session["volunteer_id"] = found.id
            return redirect(url_for("intake.volunteer"), 303)
        errors["code"] = str(m.VOLUNTEER_CODE_WRONG)
    if current is not None and not errors:
        return render_template("intake/volunteer_home.html", volunteer=current)
    return render_template("intake/volunteer_sign_in.html", errors=errors, has_errors=bool(errors))


@bp.post("/volunteer/next")
def help_next() -> Response:
    """帮助下一位: a fresh start for the next person, the volunteer still signed in."""
    volunteer_id = session.get("volunteer_id")
    session.clear()
    if volunteer_id:
        session["volunteer_id"] = volunteer_id
    return redirect(url_for("intake.step", step="who"), 303)


@bp.post("/volunteer/sign-out")
def sign_out() -> Response:
    forget_draft()
    session.clear()
    return redirect(url_for("intake.home"), 303)


@bp.get("/volunteer/cases")
def my_cases() -> Any:
    """The cases this volunteer helped with: masked names and states only."""
    current = signed_in_volunteer()
    if current is None:
        return redirect(url_for("intake.volunteer"))
    claims = db.session.scalars(
        sa.select(Claim)
        .where(Claim.assisted_by_id == current.id)
        .order_by(Claim.submitted_at.desc())
        .limit(100)
    ).all()
    rows = [
        {
            "case_number": format_case_number(c.case_number),
            "name": mask_name(c.insured.name),
            "type": m.CLAIM_TYPES[c.claim_type][0],
            "state": m.STATES[c.state.as_customer_sees_it],
            "reported_on": c.reported_on,
        }
        for c in claims
    ]
    return render_template("intake/volunteer_cases.html", volunteer=current, rows=rows)
