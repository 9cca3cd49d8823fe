"""上门服务 from the kiosk home: for a neighbour or parent who cannot come to a branch. No case
is needed yet; staff call back, book the visit, and take the claim at home."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, session, url_for

from kiosk.intake.blueprint import bp
from kiosk.platform import once
from kiosk.platform.extensions import limiter
from kiosk.questions.feedback import Form, read_visit
from kiosk.services.feedback import VisitSlot, request_home_visit, visit_slots
from kiosk.words.family import slot_label

VISIT_LIMIT = "10 per minute;60 per hour"  # a branch kiosk is one client for many people


@bp.route("/visit", methods=["GET", "POST"])
@limiter.limit(VISIT_LIMIT, methods=["POST"])
def visit() -> Any:
    """Who, a phone, the address and a preferred half-day."""
    slots = visit_slots()
    form = read_visit(request.form, slots, ask_name=True) if request.method == "POST" else None
    if form is not None and not form.errors:
        a = form.answers
        once.run(
            once.key_of(request.form, "visit"),
            lambda: request_home_visit(None, a["name"], a["phone"], a["address"], a["slot"]),
            lambda: None,
        )
        session["visit_slot"] = slot_label(a["slot"].day, a["slot"].half)
        return redirect(url_for("intake.visit_sent"), 303)
    return _visit_page(slots, form)


def _visit_page(slots: list[VisitSlot], form: Form | None) -> str:
    errors = form.errors if form else {}
    return render_template(
        "tracking/visit.html",
        layout="layouts/kiosk.html",
        action=url_for("intake.visit"),
        back=url_for("intake.home"),
        ask_name=True,
        slots={s.value: slot_label(s.day, s.half) for s in slots},
        errors=errors,
        has_errors=bool(errors),
        values=form.values if form else {},
    )


@bp.get("/visit/sent")
def visit_sent() -> Any:
    """申请已收到: when staff will call; nothing typed is shown again."""
    slot = session.pop("visit_slot", None)
    if slot is None:
        return redirect(url_for("intake.home"))
    return render_template("intake/visit_sent.html", slot=slot)
