"""The receipt at the kiosk: printed as the claim is submitted, shown on screen, reprinted.

The kiosk reaches it through the session, never through the tracking link, so the link is
not left in the tablet's browser history for the next person."""

from __future__ import annotations

import logging
from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from kiosk.intake.blueprint import bp
from kiosk.intake.device import this_device
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim
from kiosk.platform.security import framed_by_self
from kiosk.receipts import content as receipts  # a module: it imports intake.messages in turn
from kiosk.receipts.printer import PrinterProblem, send_receipt
from kiosk.services.devices import note_printer
from kiosk.words import claimant as m

log = logging.getLogger(__name__)


def submitted_claim() -> Claim | None:
    claim_id = session.get("submitted_claim_id")
    return db.session.get(Claim, claim_id) if claim_id else None


def print_receipt(claim: Claim) -> None:
    """Send the receipt to KIOSK_PRINTER when there is one, and say on the next page how it
    went. Without one the done page asks the browser to print."""
    device = this_device()
    printer = (device.printer if device else "") or current_app.config["PRINTER"]
    if not printer:
        session["browser_print"] = True
        return
    receipt = receipts.receipt_view(claim)
    try:
        send_receipt(printer, receipt, receipts.printed_words(receipt))
    except PrinterProblem as problem:
        if device is not None:
            note_printer(device.id, problem.reason)
        where = f"device {device.id}" if device else "no device"
        log.warning(
            "receipt printer %s: %s (case %s, %s)", printer, problem.reason, claim.id, where
        )
        flash(str(m.PRINTER_PROBLEMS[problem.reason]), "problem")
    else:
        if device is not None:
            note_printer(device.id, "")
        flash(str(m.RECEIPT_PRINTING))


@bp.get("/claim/done/receipt")
def done_receipt() -> Any:
    """The receipt of the claim just submitted, for the browser to print (80 mm or A4)."""
    claim = submitted_claim() or abort(404)
    page = receipts.render_receipt(claim, request.args.get("paper", ""), print_button=False)
    return framed_by_self(make_response(page))


@bp.post("/claim/done/print")
def reprint() -> Response:
    """再打印一张: the same receipt, the same codes, never a new tracking link."""
    claim = submitted_claim()
    if claim is None:
        return redirect(url_for("intake.home"), 303)
    print_receipt(claim)
    return redirect(url_for("intake.done"), 303)
