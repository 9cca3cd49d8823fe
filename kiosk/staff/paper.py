"""The paper claim form: printed blank for when the kiosk cannot be used, and entered here
afterwards through the kiosk's own checks."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for

from kiosk.claims.calendar import today_in_china
from kiosk.claims.types import ClaimType, DocumentKind
from kiosk.questions.paper import PaperForm, check_paper_form
from kiosk.questions.steps import Context
from kiosk.services.branches import branch_named
from kiosk.services.paper import enter_paper_claim
from kiosk.services.policies import book_for
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


def _context(today: date) -> Context:
    """What the questions need to check a paper form entered today."""
    branch = branch_named(staff().branch) if staff().branch else None
    book = book_for(branch.district if branch else "")
    return Context(
        today=today, policy_start=book.starts_on, district_codes=book.region_codes, policies=book
    )


def _paper_page(form: PaperForm, today: date) -> tuple[str, int]:
    """The form to type a paper claim into, with what was typed and its errors and warnings."""
    return render_template(
        "staff/paper.html",
        errors=form.errors,
        warnings=form.warnings,
        has_errors=bool(form.errors),
        values=request.form,
        today=today,
        **_choices(),
    ), (422 if form.errors or form.warnings else 200)


@bp.route("/paper", methods=["GET", "POST"])
@allow(*CASE_WORK)
def paper() -> Any:
    """录入纸质报案: every answer checked as at the kiosk; the form's date is the report date."""
    today = today_in_china()
    form = PaperForm()
    if request.method == "POST":
        form = check_paper_form(request.form, _context(today))
        if form.ok and form.form_date is not None:
            branch = staff().branch or current_app.config["BRANCH_NAME"]
            claim = enter_paper_claim(form.answers, form.form_date, staff(), branch, client_ip())
            flash(str(w.PAPER_ENTERED))
            return redirect(url_for("staff.case", claim_id=claim.id), 303)
    return _paper_page(form, today)
