"""Only an enrolled tablet is a kiosk: every kiosk view first checks the browser's device
credential (kiosk.services.devices); a revoked or unknown one gets a plain page."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kiosk.intake.blueprint import bp
from kiosk.platform.extensions import limiter
from kiosk.services import devices
from kiosk.words.claimant import DEVICE_ENROLLED, ENROL_REFUSALS

COOKIE = "kiosk_device"
COOKIE_YEARS = 5
OPEN_VIEWS = frozenset({"intake.enrol"})
ENROL_LIMIT = "10 per minute;50 per hour"


def this_device() -> devices.Tablet | None:
    """The enrolled, not revoked, device of this request (inside a kiosk view)."""
    return g.get("device")


def this_device_branch() -> devices.BranchSeen:
    """The branch of this request's tablet (a kiosk view always has one)."""
    device = this_device()
    assert device is not None, "a kiosk view without an enrolled device"
    return device.branch


@bp.before_request
def require_enrolled_device() -> Any:
    device = devices.device_of(request.cookies.get(COOKIE))
    if (
        device is None
        and request.endpoint not in OPEN_VIEWS  # typing a code makes the device
        and current_app.config["ENROL_THIS_MACHINE"]
        and devices.is_this_machine(request.remote_addr)
    ):
        _made, g.device_credential = devices.enrol_this_machine()
        device = devices.device_of(g.device_credential)
    if device is not None and not device.revoked:
        g.device, g.device_id = device, device.id
        devices.seen(device)
    if request.endpoint in OPEN_VIEWS or this_device() is not None:
        return None
    if request.headers.get("HX-Request"):  # mid-intake: the whole page, not a fragment
        return Response(status=403, headers={"HX-Refresh": "true"})
    return render_template("intake/not_enrolled.html"), 403


@bp.after_request
def keep_credential(response: Response) -> Response:
    credential = g.pop("device_credential", None)
    if credential:
        response.set_cookie(
            COOKIE,
            credential,
            max_age=COOKIE_YEARS * 365 * 24 * 3600,
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            samesite="Lax",
        )
    return response


@bp.route("/enrol", methods=["GET", "POST"])
@limiter.limit(ENROL_LIMIT, methods=["POST"])
def enrol() -> Any:
    """登记平板: the one-time code staff made, typed or brought by its QR code (?code=)."""
    typed = request.values.get("code", "")
    error = ""
    if request.method == "POST":
        outcome = devices.enrol(typed)
        if not isinstance(outcome, devices.EnrolRefusal):
            device, g.device_credential = outcome
            flash(str(DEVICE_ENROLLED) % {"branch": device.branch.name, "name": device.name})
            return redirect(url_for("intake.home"), 303)
        error = str(ENROL_REFUSALS[outcome])
    return render_template(
        "intake/enrol.html",
        errors={"code": error} if error else {},
        has_errors=bool(error),
        values={"code": typed},
    )


@bp.app_context_processor
def service_point() -> dict[str, Any]:
    """The branch whose name and phone a page shows: the case's (the family's pages set it),
    the tablet's own, else the settings'."""
    if g.get("service_point") is not None:
        return {"service_point": g.service_point}
    device = this_device()
    if device is not None:
        return {"service_point": device.branch}
    config = current_app.config
    return {"service_point": {"name": config["BRANCH_NAME"], "phone": config["BRANCH_PHONE"]}}
