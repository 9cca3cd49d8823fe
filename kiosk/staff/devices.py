"""平板: the district's enrolled tablets, for administrators: their branch and last contact,
one-time enrolment codes (shown once, with a QR code for the tablet to scan), rename, revoke."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from kiosk.platform.extensions import db
from kiosk.platform.models import Branch, Device
from kiosk.receipts.printer import PrinterProblem, send_test_page
from kiosk.receipts.qr import qr_svg
from kiosk.services import devices
from kiosk.services.branches import branches
from kiosk.staff.blueprint import ADMIN, allow, bp, staff
from kiosk.words import staff as w


def _devices_page(made: devices.EnrolCodeMade | None = None) -> str:
    qr = None
    if made is not None:
        link = f"{current_app.config['PUBLIC_URL']}/enrol?code={made.code}"
        qr = qr_svg(link, str(w.ENROL_QR))
    return render_template(
        "staff/devices.html",
        rows=devices.devices(),
        branches=branches() or [devices.default_branch()],
        made=made,
        code=f"{made.code[:4]} {made.code[4:]}" if made else "",
        qr=qr,
        printer_states={k: str(v) for k, v in w.PRINTER_STATES.items()},
    )


@bp.get("/devices")
@allow(ADMIN)
def device_list() -> str:
    return _devices_page()


@bp.post("/devices/code")
@allow(ADMIN)
def enrol_code() -> str:
    """生成登记码 for a tablet of the chosen branch: eight digits, 24 hours, once."""
    branch = db.session.get(Branch, request.form.get("branch", type=int) or 0) or abort(422)
    return _devices_page(devices.make_enrol_code(branch, request.form.get("name", ""), by=staff()))


@bp.post("/devices/<int:device_id>/<action>")
@allow(ADMIN)
def device_action(device_id: int, action: str) -> Any:
    """改名 or 停用 a device; revoked, its next page is 此平板还没有登记."""
    if action == "test-print":
        return _test_print(device_id)
    try:
        if action == "rename":
            devices.rename(device_id, request.form.get("name", ""), by=staff())
        elif action == "revoke":
            devices.revoke(device_id, by=staff())
        else:
            abort(404)
    except devices.DeviceProblem:
        flash(str(w.DEVICE_NAME_BAD), "problem")
    else:
        flash(str(w.SAVED))
    return redirect(url_for("staff.device_list"), 303)


def _test_print(device_id: int) -> Any:
    """测试打印: a short ticket on the tablet's printer; how it went is kept for the list."""
    device = db.session.get(Device, device_id) or abort(404)
    url = device.printer or current_app.config["PRINTER"]
    if not url:
        flash(str(w.NO_PRINTER), "problem")
        return redirect(url_for("staff.device_list"), 303)
    lines = [str(w.TEST_PRINT_TITLE), device.branch.name, device.name, url]
    try:
        send_test_page(url, lines)
    except PrinterProblem as problem:
        devices.note_printer(device_id, problem.reason)
        flash(str(w.PRINTER_STATES[problem.reason]), "problem")
    else:
        devices.note_printer(device_id, "")
        flash(str(w.TEST_PRINTED))
    return redirect(url_for("staff.device_list"), 303)
