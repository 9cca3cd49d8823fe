"""The case page and its actions. Every look is audited; every action names the version of
the case it was decided on, so a change made meanwhile is shown instead of overwritten."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.datastructures import FileStorage

from kiosk.claims.calendar import CHINA, today_in_china
from kiosk.claims.types import DocumentKind, Exclusion, Priority
from kiosk.claims.validation import InvalidInput, check_amount, clean_prose, clean_text
from kiosk.ocr.images import ImageRejected
from kiosk.platform import once
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, DocumentPage
from kiosk.receipts import content as receipts
from kiosk.receipts.printer import PrinterProblem, send_receipt
from kiosk.services import case_file, photos, review
from kiosk.services.policies import terms_of
from kiosk.staff.blueprint import CASE_WORK, allow, bp, client_ip, staff
from kiosk.staff.case_view import benefit, case_page_view
from kiosk.words import claimant as m
from kiosk.words import staff as w

KINDS = {k.value for k in DocumentKind}
EXCLUSIONS = {e.value for e in Exclusion}
PRIORITIES = {p.value for p in Priority}
MESSAGE_MAX = 200
NOTE_MAX = 2000


class Refused(Exception):
    """An action's input refused, shown next to its field: (field, text)."""

    def __init__(self, field: str, text: str) -> None:
        super().__init__(field)
        self.field, self.text = field, text


def _actor() -> review.Actor:
    return review.Actor(staff(), client_ip())


def _page(
    claim: Claim,
    *,
    revealed: bool = False,
    errors: dict[str, str] | None = None,
    conflict: list | None = None,
    status: int = 200,
) -> tuple[str, int]:
    view = case_page_view(claim, staff(), revealed)
    return (
        render_template(
            "staff/case.html",
            errors=errors or {},
            has_errors=bool(errors),
            values=request.form if request.method == "POST" else {},
            conflict=conflict,
            chosen_kinds=request.form.getlist("kinds"),
            w_conflict=w.CONFLICT,
            audit_words=w.AUDIT_ACTIONS,
            china=CHINA,
            today=today_in_china(),
            **view,
        ),
        status,
    )


@bp.get("/case/<int:claim_id>")
@allow(*CASE_WORK)
def case(claim_id: int) -> Any:
    review.audit_view(db.get_or_404(Claim, claim_id), _actor())
    return _page(case_file.open_case(claim_id) or abort(404))


@bp.post("/case/<int:claim_id>/reveal")
@allow(*CASE_WORK)
def reveal(claim_id: int) -> Any:
    """显示: the page again with the insured's details unmasked; audited."""
    review.reveal(db.get_or_404(Claim, claim_id), _actor())
    return _page(case_file.open_case(claim_id) or abort(404), revealed=True)


@bp.get("/page/<int:page_id>")
@allow(*CASE_WORK)
def document_page(page_id: int) -> Any:
    """One document page, large, with 放大 (zoom) by a link: no script needed."""
    page = db.get_or_404(DocumentPage, page_id)
    return render_template(
        "staff/page.html",
        page=page,
        claim=page.document.claim,
        zoom=request.args.get("zoom") == "2",
    )


@bp.get("/page/<int:page_id>/image")
@allow(*CASE_WORK)
def document_image(page_id: int) -> Any:
    """The photo itself, decrypted for this response only; every fetch is audited."""
    page = db.get_or_404(DocumentPage, page_id)
    try:
        data = photos.prepared(page.stored_name)  # re-encoded now if the worker has not yet
    except (FileNotFoundError, ImageRejected):
        abort(404)
    review.audit_document(page, _actor())
    response = Response(data, mimetype=page.content_type)
    response.headers["Cache-Control"] = "no-store"
    return response


def _act(claim: Claim, action: str, run: Any) -> Any:
    """Run an action decided on the version of the case the form names (optimistic locking);
    a conflict or a refusal shows the page again, with what was typed kept. The same form
    sent twice (a double click) is done once and answered as done both times."""
    try:
        version, seen = int(request.form.get("version", "")), int(request.form.get("seen", "0"))
    except ValueError:
        abort(400)

    def checked() -> Any:
        review.check_version(claim, version, seen)
        return run()

    key = once.key_of(request.form, f"case:{claim.id}:{action}")
    try:
        done = once.run(key, checked, lambda: None, lost=(review.Conflict,))
    except review.Conflict as conflict:
        return _page(claim, conflict=conflict.changes or [None], status=409)
    except review.NotAllowed as refused:
        return _page(claim, errors={action: str(w.NOT_ALLOWED[refused.reason])}, status=409)
    except Refused as refused:
        return _page(claim, errors={refused.field: refused.text}, status=422)
    flash(str(w.DONE[done or action]))
    return redirect(url_for("staff.case", claim_id=claim.id), 303)


def _text(name: str, limit: int, errors: dict[str, str], *, required: str | None = None) -> str:
    text = clean_prose(request.form.get(name, ""))
    if required and not text:
        errors[name] = str(required)
    elif len(text) > limit:
        errors[name] = str(w.TEXT_TOO_LONG) % {"max": limit}
    return text


def _with_text(
    claim_id: int, field: str, empty: Any, action: str, run: Any, *, limit: int = NOTE_MAX
) -> Any:
    """An action that needs one written reason: `run(claim, actor, text)` once it is given."""
    claim = db.get_or_404(Claim, claim_id)
    errors: dict[str, str] = {}
    text = _text(field, limit, errors, required=empty)
    if errors:
        return _page(claim, errors=errors, status=422)
    return _act(claim, action, lambda: run(claim, _actor(), text))


def _amount(name: str, errors: dict[str, str]) -> Decimal | None:
    raw = request.form.get(name, "")
    try:
        return check_amount(raw)
    except InvalidInput:
        errors[name] = str(w.AMOUNT_ERRORS["empty" if not raw.strip() else "bad"])
        return None


def _day(name: str) -> date | None:
    """A day typed as YYYY-MM-DD, or None."""
    try:
        return date.fromisoformat(request.form.get(name, ""))
    except ValueError:
        return None


def _payment_words(claim: Claim) -> dict[str, str]:
    """What each of review.payment_problems says next to its field."""
    approved = {"amount": f"{claim.approved_amount or 0:,.2f}"}
    return {
        "paid_amount": str(w.PAID_AMOUNT_DIFFERS) % approved,
        "paid_on": str(w.PAID_ON_BAD),
        "reference": str(w.REFERENCE_BAD),
    }


def _scans_added(claim: Claim, kind: DocumentKind, uploads: list[FileStorage]) -> str:
    """Add the scans; those refused are named (those that did go in stay, and show)."""
    outcome = review.add_scans(claim, _actor(), kind, uploads)
    if outcome.problems:
        problems = dict.fromkeys(str(w.SCAN_PROBLEMS[p]) for p in outcome.problems)
        raise Refused("scan", "；".join(problems))
    return "scans"


@bp.post("/case/<int:claim_id>/request")
@allow(*CASE_WORK)
def request_documents(claim_id: int) -> Any:
    """待补材料: tick the documents, add a plain-words message for the family."""
    claim = db.get_or_404(Claim, claim_id)
    errors: dict[str, str] = {}
    kinds = [DocumentKind(k) for k in request.form.getlist("kinds") if k in KINDS]
    if not kinds:
        errors["kinds"] = str(w.KINDS_EMPTY)
    message = _text("message", MESSAGE_MAX, errors)
    if errors:
        return _page(claim, errors=errors, status=422)
    return _act(claim, "request", lambda: review.request_documents(claim, _actor(), kinds, message))


@bp.post("/case/<int:claim_id>/scans")
@allow(*CASE_WORK)
def add_scans(claim_id: int) -> Any:
    """上传扫描件: scans or photos of a paper document, as pages of one of the case's documents."""
    claim = db.get_or_404(Claim, claim_id)
    kind = request.form.get("kind", "")
    uploads = [u for u in request.files.getlist("scan") if u.filename]
    errors = {} if kind in KINDS else {"scan-kind": str(w.SCAN_KIND_EMPTY)}
    if not uploads:
        errors["scan"] = str(w.SCAN_EMPTY)
    if errors:
        return _page(claim, errors=errors, status=422)
    return _act(claim, "scans", lambda: _scans_added(claim, DocumentKind(kind), uploads))


@bp.post("/case/<int:claim_id>/approve")
@allow(*CASE_WORK)
def approve(claim_id: int) -> Any:
    """审核通过: the amount, prefilled from the rules; a changed amount needs a reason."""
    claim = db.get_or_404(Claim, claim_id)
    errors: dict[str, str] = {}
    amount = _amount("amount", errors)
    reason = _text("reason", NOTE_MAX, errors)
    expected = (
        claim.approved_amount
        if claim.approved_amount is not None
        else benefit(claim, terms_of(claim))
    )
    if amount is not None and expected is not None and amount != expected and not reason:
        errors["reason"] = str(w.AMOUNT_REASON_NEEDED) % {"benefit": f"{expected:,.2f}"}
    if errors or amount is None:
        return _page(claim, errors=errors, status=422)

    def run() -> str:
        state = review.approve(claim, _actor(), amount, reason)
        return "approve_second" if state.value == "awaiting_approval" else "approve"

    return _act(claim, "approve", run)


@bp.post("/case/<int:claim_id>/decline")
@allow(*CASE_WORK)
def decline(claim_id: int) -> Any:
    """不予赔付: an exclusion from the policy, and the reason in free text."""
    claim = db.get_or_404(Claim, claim_id)
    errors: dict[str, str] = {}
    raw = request.form.get("exclusion", "")
    if raw not in EXCLUSIONS:
        errors["exclusion"] = str(w.EXCLUSION_EMPTY)
    note = _text("note", NOTE_MAX, errors, required=w.NOTE_EMPTY)
    if errors:
        return _page(claim, errors=errors, status=422)
    return _act(claim, "decline", lambda: review.decline(claim, _actor(), Exclusion(raw), note))


@bp.post("/case/<int:claim_id>/back")
@allow(*CASE_WORK)
def send_back(claim_id: int) -> Any:
    """退回重审 (from 待审批) or 重新审核 (a declined case): approvers only, with a reason."""
    return _with_text(claim_id, "back_reason", w.NOTE_EMPTY, "back", review.send_back)


@bp.post("/case/<int:claim_id>/pay")
@allow(*CASE_WORK)
def pay(claim_id: int) -> Any:
    """已赔付: the amount (the approved one), the day, the bank's reference."""
    claim = db.get_or_404(Claim, claim_id)
    errors: dict[str, str] = {}
    amount = _amount("paid_amount", errors)
    paid_on = _day("paid_on")
    reference = clean_text(request.form.get("reference", ""))
    words = _payment_words(claim)
    errors.update({f: words[f] for f in review.payment_problems(claim, amount, paid_on, reference)})
    if errors or amount is None or paid_on is None:
        return _page(claim, errors=errors, status=422)
    return _act(claim, "pay", lambda: review.mark_paid(claim, _actor(), amount, paid_on, reference))


@bp.post("/case/<int:claim_id>/complex")
@allow(*CASE_WORK)
def mark_complex(claim_id: int) -> Any:
    """复杂案件: why review takes longer, in words for the family; at most 30 working days."""
    return _with_text(
        claim_id,
        "complex_reason",
        w.COMPLEX_REASON_EMPTY,
        "complex",
        review.mark_complex,
        limit=MESSAGE_MAX,
    )


@bp.post("/case/<int:claim_id>/priority")
@allow(*CASE_WORK)
def priority(claim_id: int) -> Any:
    claim = db.get_or_404(Claim, claim_id)
    raw = request.form.get("priority", "")
    if raw not in PRIORITIES:
        return _page(claim, errors={"priority": str(w.PRIORITY_BAD)}, status=422)
    return _act(claim, "priority", lambda: review.set_priority(claim, _actor(), Priority(raw)))


@bp.post("/case/<int:claim_id>/major")
@allow(*CASE_WORK)
def major(claim_id: int) -> Any:
    """重大案件: kept 10 years after closing instead of 5."""
    claim = db.get_or_404(Claim, claim_id)
    marked = request.form.get("major") == "1"
    return _act(claim, "major", lambda: review.set_major(claim, _actor(), marked))


@bp.post("/case/<int:claim_id>/note")
@allow(*CASE_WORK)
def note(claim_id: int) -> Any:
    """内部备注: for staff only, never shown to the family."""
    return _with_text(claim_id, "note_text", w.NOTE_EMPTY, "note", review.add_note)


@bp.get("/case/<int:claim_id>/receipt")
@allow(*CASE_WORK)
def receipt(claim_id: int) -> Any:
    """补打回执 in the browser (?paper=a4 or 80mm): the same token, never a new one."""
    claim = db.get_or_404(Claim, claim_id)
    review.audit_receipt(claim, _actor())
    return receipts.render_receipt(claim, request.args.get("paper", "a4"))


@bp.post("/case/<int:claim_id>/reprint")
@allow(*CASE_WORK)
def reprint(claim_id: int) -> Any:
    """补打回执 on the branch's receipt printer (KIOSK_PRINTER)."""
    claim = db.get_or_404(Claim, claim_id)
    printer = current_app.config["PRINTER"]
    if not printer:
        abort(404)
    review.audit_receipt(claim, _actor())
    receipt = receipts.receipt_view(claim)
    try:
        send_receipt(printer, receipt, receipts.printed_words(receipt))
    except PrinterProblem as problem:
        flash(str(m.PRINTER_PROBLEMS[problem.reason]), "problem")
    else:
        flash(str(m.RECEIPT_PRINTING))
    return redirect(url_for("staff.case", claim_id=claim.id), 303)


@bp.post("/case/<int:claim_id>/link")
@allow(*CASE_WORK)
def new_link(claim_id: int) -> Any:
    """换新链接: when a receipt is lost; then print the new one."""
    claim = db.get_or_404(Claim, claim_id)
    return _act(claim, "link", lambda: review.new_link(claim, _actor()))


@bp.post("/case/<int:claim_id>/visit")
@allow(*CASE_WORK)
def record_visit(claim_id: int) -> Any:
    """登记上门服务: a visit made for this case, with what was done."""
    return _with_text(claim_id, "visit_note", w.VISIT_NOTE_EMPTY, "visit", review.record_visit)
