"""管理: staff accounts and volunteer codes, for administrators. A new password or code is
shown once, on the page that made it; only hashes are kept. Every change is audited."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for

from kiosk.claims.validation import InvalidInput, check_name, clean_text
from kiosk.platform.extensions import db
from kiosk.platform.models import StaffUser, Volunteer
from kiosk.services import accounts, administration
from kiosk.services.volunteers import issue_volunteer, revoke_volunteer
from kiosk.staff.blueprint import ADMIN, allow, bp, client_ip, staff
from kiosk.words import staff as w


def _accounts_page(errors: dict[str, str], created: tuple[StaffUser, str] | None = None) -> Any:
    rows = db.session.scalars(sa.select(StaffUser).order_by(StaffUser.id)).all()
    return render_template(
        "staff/accounts.html",
        rows=rows,
        errors=errors,
        has_errors=bool(errors),
        values=request.form,
        created=created,
        under_attack=accounts.accounts_under_attack(),
        attack_minutes=int(accounts.ATTACK_WINDOW.total_seconds() // 60),
    ), (422 if errors else 200)


@bp.get("/accounts")
@allow(ADMIN)
def staff_accounts() -> Any:
    """账户, with a notice of any account where many wrong passwords were tried lately."""
    return _accounts_page({})


@bp.post("/accounts")
@allow(ADMIN)
def create_account() -> Any:
    """新建账户 with a one-time password, shown on this page only."""
    form = request.form
    try:
        created = administration.open_account(
            form.get("username", ""),
            form.get("role", ""),
            display_name=form.get("display_name", ""),
            branch=form.get("branch", ""),
            by=staff(),
        )
    except administration.AccountRefused as refused:
        return _accounts_page({k: str(w.ACCOUNT_PROBLEMS[p]) for k, p in refused.problems.items()})
    return _accounts_page({}, created)


@bp.post("/accounts/<int:staff_id>/<action>")
@allow(ADMIN)
def account_action(staff_id: int, action: str) -> Any:
    """停用 / 启用 an account, or give it a new one-time password."""
    account = db.session.get(StaffUser, staff_id)
    if account is None or action not in administration.ACCOUNT_ACTIONS:
        abort(404)
    try:
        password = administration.change_account(account, action, staff(), client_ip())
    except administration.NotYourself:
        flash(str(w.NOT_YOURSELF), "problem")
        return redirect(url_for("staff.staff_accounts"), 303)
    if password:
        return _accounts_page({}, (account, password))
    flash(str(w.SAVED))
    return redirect(url_for("staff.staff_accounts"), 303)


@bp.get("/volunteers")
@allow(ADMIN)
def volunteers() -> Any:
    return _volunteers_page({})


def _volunteers_page(errors: dict[str, str], issued: tuple[Volunteer, str] | None = None) -> Any:
    rows = db.session.scalars(sa.select(Volunteer).order_by(Volunteer.id)).all()
    return render_template(
        "staff/volunteers.html",
        rows=rows,
        errors=errors,
        has_errors=bool(errors),
        values=request.form,
        issued=issued,
    ), (422 if errors else 200)


@bp.post("/volunteers")
@allow(ADMIN)
def issue_code() -> Any:
    """发志愿者码: eight digits, shown once."""
    try:
        name = check_name(request.form.get("name", ""))
    except InvalidInput:
        return _volunteers_page({"name": str(w.VOLUNTEER_NAME_BAD)})
    community = clean_text(request.form.get("community", ""))[:128]
    volunteer, code = issue_volunteer(name, community)
    accounts.audit(staff(), "volunteer.issue", detail={"volunteer": volunteer.id}, ip=client_ip())
    db.session.commit()
    return _volunteers_page({}, (volunteer, code))


@bp.post("/volunteers/<int:volunteer_id>/revoke")
@allow(ADMIN)
def revoke_code(volunteer_id: int) -> Any:
    if not revoke_volunteer(volunteer_id):
        abort(404)
    accounts.audit(staff(), "volunteer.revoke", detail={"volunteer": volunteer_id}, ip=client_ip())
    db.session.commit()
    flash(str(w.SAVED))
    return redirect(url_for("staff.volunteers"), 303)
