"""The paper claim form: printed blank for when the kiosk cannot be used, and entered here
afterwards through the kiosk's own checks."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for

from kiosk.claims.calendar import today_in_china
from kiosk.claims.types import ClaimType, DocumentKind
from kiosk.questions.paper import enter_paper_claim, read_paper_form
from kiosk.questions.steps import Context
from kiosk.staff.blueprint import CASE_WORK, allow, bp, client_ip, staff
from kiosk.words import claimant as m
from kiosk.words import staff as w


def _choices() -> dict[str, Any]:
    return {
        "who": {k: v[0] for k, v in m.WHO.items() if k != "volunteer"},
        "claim_types": {t.value: m.CLAIM_TYPES[t][0] for t in ClaimType},
        "transport": {t.value: label for t, label in m.TRANSPORT.items()},
        "relationships": {r.value: label for r, label in m.RELATIONSHIPS.items()},
        "places": m.PLACES,
        "causes": m.CAUSES,
        "banks": m.BANKS,
        "documents": {k.value: m.DOCUMENTS[k][0] for k in DocumentKind},
    }


@bp.get("/paper-form")
@allow(*CASE_WORK)
def paper_form() -> str:
    """The blank A4 form, the same questions as the kiosk, to print and keep at the branch."""
    return render_template("staff/paper_form.html", **_choices())


@bp.route("/paper", methods=["GET", "POST"])
@allow(*CASE_WORK)
def paper() -> Any:
    """录入纸质报案: every answer checked as at the kiosk; the form's date is the report date."""
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    today = today_in_china()
    if request.method == "POST":
        try:
            form_date = date.fromisoformat(request.form.get("reported_on", ""))
            if not current_app.config["POLICY_START"] <= form_date <= today:
                raise ValueError
        except ValueError:
            form_date = None
            errors["reported_on"] = str(w.FORM_DATE_BAD)
        ctx = Context(
            today=form_date or today,
            policy_start=current_app.config["POLICY_START"],
            district_codes=current_app.config["DISTRICT_CODES"],
        )
        outcome = read_paper_form(request.form, ctx)
        errors.update(outcome.errors)
        warnings = outcome.warnings
        if not errors and not warnings and form_date is not None:
            claim = enter_paper_claim(
                outcome.answers,
                form_date,
                staff(),
                staff().branch or current_app.config["BRANCH_NAME"],
                client_ip(),
            )
            flash(str(w.PAPER_ENTERED))
            return redirect(url_for("staff.case", claim_id=claim.id), 303)
    return render_template(
        "staff/paper.html",
        errors=errors,
        warnings=warnings,
        has_errors=bool(errors),
        values=request.form,
        today=today,
        **_choices(),
    ), (422 if errors or warnings else 200)
