"""The back-office blueprint and its rule of access: every view is closed unless it names
the roles that may use it (`allow`); only the login page is open. Sessions live on the
server (kiosk.services.accounts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for

from kiosk.claims.calendar import CHINA
from kiosk.platform.i18n import format_datetime
from kiosk.platform.models import StaffRole, StaffUser
from kiosk.services.accounts import current_session
from kiosk.services.scope import may_see

bp = Blueprint("staff", __name__, url_prefix="/staff")

F = TypeVar("F", bound=Callable[..., Any])
HANDLER, APPROVER, ADMIN = StaffRole.HANDLER, StaffRole.APPROVER, StaffRole.ADMIN
CASE_WORK = frozenset({HANDLER, APPROVER})
PUBLIC_VIEWS = frozenset({"staff.login"})
SESSION_KEY = "staff_token"


def allow(*roles: StaffRole) -> Callable[[F], F]:
    """The roles that may use a view. A staff view without it answers 403 to everyone."""

    def mark(view: F) -> F:
        view.staff_roles = frozenset(roles)  # type: ignore[attr-defined]  # a mark on the function, read back by require_login
        return view

    return mark


def staff() -> StaffUser:
    """The signed-in staff member (only inside a staff view)."""
    return g.staff


def client_ip() -> str:
    return (request.remote_addr or "")[:45]


@bp.before_request
def require_login() -> Any:
    record = current_session(session.get(SESSION_KEY))
    g.staff = record.staff if record else None
    if request.endpoint in PUBLIC_VIEWS:
        return None
    if record is None:
        session.pop(SESSION_KEY, None)
        return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))
    if record.staff.must_change_password and request.endpoint not in (
        "staff.password",
        "staff.logout",
    ):
        return redirect(url_for("staff.password"))
    view = current_app.view_functions.get(request.endpoint or "")
    if record.staff.role not in getattr(view, "staff_roles", frozenset()):
        abort(403)
    if not may_see(record.staff.branch, request.view_args or {}):
        abort(404)  # another branch's case: as if there were none
    return None


@bp.app_context_processor
def signed_in() -> dict[str, Any]:
    from kiosk.words.staff import ROLES

    return {"signed_in_staff": g.get("staff"), "staff_roles": ROLES}


@bp.app_template_filter("format_datetime")
def format_datetime_filter(moment: Any, pattern: str = "yyyy-MM-dd HH:mm") -> str:
    """A moment as the branch's clock shows it."""
    return format_datetime(moment.astimezone(CHINA), pattern)


@bp.app_template_filter("mask_id")
def mask_id_filter(value: str) -> str:
    from kiosk.claims.masking import mask_id_number

    return mask_id_number(value) if value else ""


@bp.errorhandler(403)
def forbidden(error: Any) -> Any:
    from flask import render_template

    return render_template("staff/forbidden.html"), 403
