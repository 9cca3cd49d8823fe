"""补交材料 at the kiosk: the 补交码 from the receipt (or the case number and the last six ID
characters) opens that case's missing documents, for photos only: nothing already sent is
shown. The tracking link offers the same from a phone (kiosk.tracking.routes)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from kiosk.claims.case_numbers import format_case_number
from kiosk.claims.masking import mask_name
from kiosk.claims.states import Role
from kiosk.claims.types import Source
from kiosk.intake.blueprint import bp
from kiosk.platform import once
from kiosk.platform.extensions import db, limiter
from kiosk.platform.models import Claim
from kiosk.platform.security import case_number_guesses
from kiosk.services.codes import find_by_supplement_code
from kiosk.services.supplements import (
    add_pages_once,
    document_cards,
    document_of,
    missing_documents,
)
from kiosk.services.tracking import look_up
from kiosk.words import claimant as m

SUPPLEMENT_LIMIT = "10 per minute;60 per hour"  # a branch kiosk is one client for many people
SESSION_KEY = "supplement_claim_id"


def _case() -> Claim | None:
    claim_id = session.get(SESSION_KEY)
    return db.session.get(Claim, claim_id) if claim_id else None


@bp.route("/supplement", methods=["GET", "POST"])
@limiter.limit(SUPPLEMENT_LIMIT, methods=["POST"])
@case_number_guesses
def supplement() -> Any:
    """补交材料: which case? By the receipt's code, or by case number and ID digits."""
    errors: dict[str, str] = {}
    values = {k: request.form.get(k, "") for k in ("code", "case_number", "id_last_six")}
    if request.method == "POST":
        if request.form.get("by") == "case":
            claim, errors = look_up(values)
        elif not values["code"].strip():
            claim, errors["code"] = None, str(m.SUPPLEMENT_CODE_EMPTY)
        else:
            claim = find_by_supplement_code(values["code"])
            if claim is None:
                errors["code"] = str(m.SUPPLEMENT_CODE_WRONG)
        if claim is not None:
            session[SESSION_KEY] = claim.id
            session["supplement_kinds"] = [d.kind.value for d in missing_documents(claim)]
            return redirect(url_for("intake.supplement_documents"), 303)
    return render_template(
        "intake/supplement.html", errors=errors, has_errors=bool(errors), values=values
    )


@bp.get("/supplement/documents")
def supplement_documents() -> Any:
    """The case's missing documents, each with 拍照; a count of what came in, never a photo."""
    claim = _case()
    if claim is None:
        return redirect(url_for("intake.supplement"))
    return _documents_page(claim, {})


def _documents_page(claim: Claim, errors: dict[str, str]) -> str:
    return render_template(
        "intake/supplement_documents.html",
        case_number=format_case_number(claim.case_number),
        insured_name=mask_name(claim.insured.name),
        documents=[
            {**card, "action": url_for("intake.supplement_add", kind=card["kind"])}
            for card in document_cards(claim, session.get("supplement_kinds", []))
        ],
        all_in=not missing_documents(claim),
        errors=errors,
        has_errors=bool(errors),
    )


@bp.post("/supplement/documents/<kind>")
def supplement_add(kind: str) -> Any:
    """拍照 for one missing document of the case opened by its code."""
    claim = _case()
    if claim is None:
        return redirect(url_for("intake.supplement"), 303)
    document = document_of(claim, kind) or abort(404)
    volunteer_id = session.get("volunteer_id")
    uploads = request.files.getlist("photo")
    outcome = add_pages_once(
        once.key_of(request.form, f"pages:{document.id}", uploads),
        claim,
        document,
        uploads,
        via=Source.VOLUNTEER if volunteer_id else Source.KIOSK,
        role=Role.VOLUNTEER if volunteer_id else Role.CUSTOMER,
        volunteer_id=volunteer_id,
    )
    if outcome.added:
        flash(str(m.PHOTO_ADDED) % {"n": len(outcome.added)})
    if outcome.problems:
        return _documents_page(claim, {f"photo-{kind}": outcome.message()})
    return redirect(url_for("intake.supplement_documents") + f"#document-{kind}", 303)


@bp.post("/supplement/done")
def supplement_done() -> Response:
    """完成: forget the case on this tablet and go home."""
    session.pop(SESSION_KEY, None)
    session.pop("supplement_kinds", None)
    return redirect(url_for("intake.home"), 303)
