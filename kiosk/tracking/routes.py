"""/t/<token>: public, no login; a wrong or unknown token gets the ordinary 404 page."""

from __future__ import annotations

import functools
from typing import Any

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response

from kiosk.claims.calendar import CHINA
from kiosk.claims.masking import mask_phone
from kiosk.claims.sla import complaint_answer_due
from kiosk.claims.states import Role
from kiosk.claims.types import Source
from kiosk.platform import once
from kiosk.platform.extensions import limiter
from kiosk.platform.i18n import current_language, current_text_size, format_date
from kiosk.platform.models import Claim
from kiosk.platform.page_cache import PageCache
from kiosk.platform.security import case_number_guesses
from kiosk.questions.feedback import Form, read_complaint, read_satisfaction, read_visit
from kiosk.receipts import content as receipts
from kiosk.services.branches import branch_of
from kiosk.services.feedback import (
    VisitSlot,
    answer_satisfaction,
    file_complaint,
    open_visit,
    request_home_visit,
    visit_slots,
)
from kiosk.services.supplements import add_pages_once, document_cards, document_of
from kiosk.services.tracking import (
    case_view,
    feedback_view,
    find_by_token,
    look_up,
    page_stamp,
)
from kiosk.tracking.blueprint import bp
from kiosk.words import claimant as m
from kiosk.words import family as w
from kiosk.words.family import slot_label

CASE_PAGES_KEPT = 2000  # a few KB each: the cases being followed now, per web process


@bp.record_once
def _keep_case_pages(state: BlueprintSetupState) -> None:
    state.app.extensions["case_pages"] = PageCache(size=CASE_PAGES_KEPT)


LOOKUP_LIMIT = "10 per minute;60 per hour"  # a branch kiosk is one client for many people
UPLOAD_LIMIT = "60 per hour"  # per case and document: a family adds a few pages, not hundreds
FEEDBACK_LIMIT = "10 per hour"  # per case and form: a complaint or a visit is asked for once


@bp.after_request
def private(response: Response) -> Response:
    """Never cached, never indexed, never sent on as a referrer; 404s included."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/t/<token>")
def case(token: str) -> str:
    """进度: the case's timeline and what happens next, for the family's phones; rendered
    again only when the case changed (or a message is waiting to be shown on it)."""
    stamp = page_stamp(token)
    if stamp is None:
        abort(404)
    if "_flashes" in session:
        return _case_page(_claim(token), token, {})
    key = (stamp, request.full_path, current_language(), current_text_size())
    pages: PageCache = current_app.extensions["case_pages"]
    return pages.page(key, lambda: _case_page(_claim(token), token, {}))


def _claim(token: str) -> Claim:
    claim = find_by_token(token)
    if claim is None:
        abort(404)
    g.service_point = branch_of(claim)  # the phone the family calls: the case's branch's
    return claim


def _via() -> dict[str, Any]:
    """From 查询进度 at the kiosk (?via=kiosk): keep the kiosk frame and its idle timer."""
    return {"via": "kiosk"} if request.args.get("via") == "kiosk" else {}


def _layout() -> str:
    return "layouts/kiosk.html" if _via() else "layouts/phone.html"


def _case_page(claim: Claim, token: str, errors: dict[str, str], values: Any = None) -> str:
    via = _via()
    uploads = [
        {**card, "action": url_for("tracking.add_document", token=token, kind=card["kind"], **via)}
        for card in document_cards(claim, [])
    ]
    return render_template(
        "tracking/case.html",
        layout=_layout(),
        token=token,
        via=via,
        uploads=uploads,
        refresh_url=url_for("tracking.case", token=token, **via),
        errors=errors,
        has_errors=bool(errors),
        values=values or {},
        **case_view(claim),
        **feedback_view(claim),
    )


@bp.post("/t/<token>/documents/<kind>")
@limiter.limit(UPLOAD_LIMIT, key_func=lambda: "upload:" + request.path)
def add_document(token: str, kind: str) -> Any:
    """补交材料 from the link: whoever holds it may add photos of a missing document, and is
    told how many arrived; no document is ever shown or sent back."""
    claim = _claim(token)
    document = document_of(claim, kind)
    if document is None:
        abort(404)
    uploads = request.files.getlist("photo")
    key = once.key_of(request.form, f"pages:{document.id}", uploads)
    outcome = add_pages_once(key, claim, document, uploads, via=Source.LINK, role=Role.CUSTOMER)
    if outcome.added:
        flash(str(m.PHOTO_ADDED) % {"n": len(outcome.added)})
    if outcome.problems:
        return _case_page(claim, token, {f"photo-{kind}": outcome.message()})
    kept: dict[str, Any] = request.args.to_dict()  # ?via=kiosk and the like
    return redirect(url_for("tracking.case", token=token, **kept), 303)


@bp.get("/t/<token>/receipt")
def receipt(token: str) -> str:
    """The receipt again, for whoever holds the link: ?paper=a4 for an office printer."""
    claim = _claim(token)
    return receipts.render_receipt(claim, request.args.get("paper", ""))


@bp.route("/t/<token>/complaint", methods=["GET", "POST"])
@limiter.limit(FEEDBACK_LIMIT, methods=["POST"], key_func=lambda: "feedback:" + request.path)
def complaint(token: str) -> Any:
    """投诉或建议: what went wrong, and a phone to call back (the case's own if left empty)."""
    claim = _claim(token)
    on_file = _phone_on_file(claim)
    form = read_complaint(request.form, bool(on_file)) if request.method == "POST" else None
    if form is not None and not form.errors:
        text, phone = form.answers["text"], form.answers["phone"]
        file = functools.partial(file_complaint, claim, text, phone)
        # A replay files nothing: file_complaint finds the one the first post filed.
        filed = once.run(once.key_of(request.form, f"complaint:{claim.id}"), file, file)
        received = filed.received_at.astimezone(CHINA).date()
        day = format_date(complaint_answer_due(received), "long")
        flash(str(w.COMPLAINT_RECEIVED) % {"day": day})
        return redirect(url_for("tracking.case", token=token, **_via()), 303)
    return _complaint_page(token, on_file, form)


def _complaint_page(token: str, on_file: str, form: Form | None) -> str:
    errors = form.errors if form else {}
    return render_template(
        "tracking/complaint.html",
        layout=_layout(),
        back=url_for("tracking.case", token=token, **_via()),
        errors=errors,
        has_errors=bool(errors),
        values=form.values if form else {},
        phone_on_file=mask_phone(on_file) if on_file else None,
    )


def _phone_on_file(claim: Claim) -> str:
    """The number staff call back when none is given: the reporter's, else the insured's."""
    return (claim.reporter.phone if claim.reporter else None) or claim.insured.phone or ""


@bp.post("/t/<token>/satisfaction")
@limiter.limit(FEEDBACK_LIMIT, key_func=lambda: "feedback:" + request.path)
def satisfaction(token: str) -> Any:
    """满意度: one answer per closed case; the faces are the submit buttons."""
    claim = _claim(token)
    if claim.state.is_open:
        abort(404)
    form = read_satisfaction(request.form)
    if form.errors:
        return _case_page(claim, token, form.errors, form.values)
    answer_satisfaction(claim, form.answers["score"], form.answers["comment"])
    flash(str(w.SATISFACTION_THANKS))
    return redirect(url_for("tracking.case", token=token, **_via()), 303)


@bp.route("/t/<token>/visit", methods=["GET", "POST"])
@limiter.limit(FEEDBACK_LIMIT, methods=["POST"], key_func=lambda: "feedback:" + request.path)
def visit(token: str) -> Any:
    """上门服务 for this case: a phone, the address and a preferred half-day."""
    claim = _claim(token)
    back = url_for("tracking.case", token=token, **_via())
    if request.method == "GET" and open_visit(claim) is not None:
        return redirect(back, 303)  # one open request per case: the case page says so
    slots = visit_slots()
    form = read_visit(request.form, slots, ask_name=False) if request.method == "POST" else None
    if form is not None and not form.errors:
        a = form.answers
        once.run(
            once.key_of(request.form, f"visit:{claim.id}"),
            lambda: request_home_visit(
                claim, claim.insured.name, a["phone"], a["address"], a["slot"]
            ),
            lambda: open_visit(claim),
        )
        flash(str(w.VISIT_REQUESTED))
        return redirect(back, 303)
    return _visit_page(token, back, slots, form)


def _visit_page(token: str, back: str, slots: list[VisitSlot], form: Form | None) -> str:
    errors = form.errors if form else {}
    return render_template(
        "tracking/visit.html",
        layout=_layout(),
        action=url_for("tracking.visit", token=token, **_via()),
        back=back,
        ask_name=False,
        slots={s.value: slot_label(s.day, s.half) for s in slots},
        errors=errors,
        has_errors=bool(errors),
        values=form.values if form else {},
    )


@bp.route("/track", methods=["GET", "POST"])
@limiter.limit(LOOKUP_LIMIT, methods=["POST"])
@case_number_guesses
def track() -> Any:
    """查询进度: the case number and the last six characters of the insured's ID number."""
    errors: dict[str, str] = {}
    values = {k: request.form.get(k, "") for k in ("case_number", "id_last_six")}
    if request.method == "POST":
        claim, errors = look_up(values)
        if claim is not None:
            target = url_for("tracking.case", token=claim.tracking_token, via="kiosk")
            return redirect(target, 303)
    return render_template(
        "tracking/lookup.html", errors=errors, has_errors=bool(errors), values=values
    )
