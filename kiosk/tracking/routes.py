"""/t/<token>: public, no login; a wrong or unknown token gets the ordinary 404 page."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..claims.case_numbers import normalise_case_number
from ..claims.states import Role
from ..claims.types import Source
from ..extensions import limiter
from ..intake import messages as m
from ..models import Claim
from ..receipts import content as receipts  # a module: it imports .view in turn
from ..supplements import add_pages, document_cards, document_of
from . import bp
from . import words as w
from .view import case_view, find_by_case, find_by_token

# Per client, and per case number whoever asks: guessing the six ID characters of one case
# from many addresses is as slow as from one.
LOOKUP_LIMIT = "10 per minute;60 per hour"  # a branch kiosk is one client for many people
CASE_LIMIT = "10 per hour"
UPLOAD_LIMIT = "60 per hour"  # per case and document: a family adds a few pages, not hundreds


def _case_key() -> str:
    return "case:" + normalise_case_number(request.form.get("case_number", ""))


@bp.after_request
def private(response: Response) -> Response:
    """Never cached, never indexed, never sent on as a referrer; 404s included."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/t/<token>")
def case(token: str) -> str:
    """进度: the case's timeline and what happens next, for the family's phones."""
    claim = find_by_token(token)
    if claim is None:
        abort(404)
    return _case_page(claim, token, {})


def _case_page(claim: Claim, token: str, errors: dict[str, str]) -> str:
    at_kiosk = request.args.get("via") == "kiosk"  # from 查询进度: keep the kiosk's idle timer
    template = "tracking/case_kiosk.html" if at_kiosk else "tracking/case.html"
    via = {"via": "kiosk"} if at_kiosk else {}
    uploads = [
        {**card, "action": url_for("tracking.add_document", token=token, kind=card["kind"], **via)}
        for card in document_cards(claim, [])
    ]
    return render_template(
        template,
        uploads=uploads,
        refresh_url=url_for("tracking.case", token=token, **via),
        errors=errors,
        has_errors=bool(errors),
        **case_view(claim),
    )


@bp.post("/t/<token>/documents/<kind>")
@limiter.limit(UPLOAD_LIMIT, key_func=lambda: "upload:" + request.path)
def add_document(token: str, kind: str) -> Any:
    """补交材料 from the link: whoever holds it may add photos of a missing document, and is
    told how many arrived; no document is ever shown or sent back."""
    claim = find_by_token(token)
    if claim is None:
        abort(404)
    document = document_of(claim, kind)
    if document is None:
        abort(404)
    outcome = add_pages(
        claim, document, request.files.getlist("photo"), via=Source.LINK, role=Role.CUSTOMER
    )
    if outcome.added:
        flash(str(m.PHOTO_ADDED) % {"n": len(outcome.added)})
    if outcome.problems:
        return _case_page(claim, token, {f"photo-{kind}": outcome.message()})
    return redirect(url_for("tracking.case", token=token, **request.args), 303)


@bp.get("/t/<token>/receipt")
def receipt(token: str) -> str:
    """The receipt again, for whoever holds the link: ?paper=a4 for an office printer."""
    claim = find_by_token(token)
    if claim is None:
        abort(404)
    return receipts.render_receipt(claim, request.args.get("paper", ""))


@bp.route("/track", methods=["GET", "POST"])
@limiter.limit(LOOKUP_LIMIT, methods=["POST"])
@limiter.limit(CASE_LIMIT, methods=["POST"], key_func=_case_key)
def track() -> Any:
    """查询进度: the case number and the last six characters of the insured's ID number."""
    errors: dict[str, str] = {}
    values = {k: request.form.get(k, "") for k in ("case_number", "id_last_six")}
    if request.method == "POST":
        if not values["case_number"].strip():
            errors["case_number"] = str(w.CASE_NUMBER_EMPTY)
        if not values["id_last_six"].strip():
            errors["id_last_six"] = str(w.ID_LAST_SIX_EMPTY)
        if not errors:
            claim = find_by_case(values["case_number"], values["id_last_six"])
            if claim is not None:
                target = url_for("tracking.case", token=claim.tracking_token, via="kiosk")
                return redirect(target, 303)
            errors["case_number"] = str(w.NOT_FOUND)
    return render_template(
        "tracking/lookup.html", errors=errors, has_errors=bool(errors), values=values
    )
