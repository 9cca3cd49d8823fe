"""Login, logout and the password change at first login."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlsplit

from flask import redirect, render_template, request, session, url_for

from kiosk.claims.accounts import PASSWORD_MIN, LoginProblem, PasswordProblem
from kiosk.platform.extensions import limiter
from kiosk.services import accounts
from kiosk.staff.blueprint import ADMIN, CASE_WORK, SESSION_KEY, allow, bp, client_ip, staff
from kiosk.words import staff as w

LOGIN_LIMIT = "30 per minute"  # per address; accounts.authenticate slows guessing further


def _login_problem(result: accounts.LoginResult) -> str:
    """What a refused login is told, with how many minutes to wait if it must."""
    assert result.problem is not None, "only a refused login is told why"
    minutes = math.ceil(result.wait.total_seconds() / 60) if result.wait else 0
    if result.problem is LoginProblem.WRONG and minutes:
        return str(w.WRONG_THEN_WAIT) % {"minutes": minutes}
    return str(w.LOGIN_PROBLEMS[result.problem]) % {"minutes": max(minutes, 1)}


def _safe_next(target: str | None) -> str:
    """Only a path inside /staff: never another site."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/staff/"):
        return url_for("staff.home")
    return target or url_for("staff.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login() -> Any:
    """登录. A new session (and cookie) at every login; the old one, if any, is ended."""
    errors: dict[str, str] = {}
    username = request.form.get("username", "")
    if request.method == "POST":
        result = accounts.authenticate(username, request.form.get("password", ""), client_ip())
        if result.staff is not None:
            accounts.end_session(session.get(SESSION_KEY))
            session.clear()
            session[SESSION_KEY] = accounts.start_session(result.staff, client_ip())
            session.permanent = False
            return redirect(_safe_next(request.args.get("next")), 303)
        errors["username"] = _login_problem(result)
    return render_template(
        "staff/login.html", errors=errors, has_errors=bool(errors), username=username
    )


@bp.post("/logout")
@allow(*CASE_WORK, ADMIN)
def logout() -> Any:
    accounts.end_session(session.get(SESSION_KEY))
    session.clear()
    return redirect(url_for("staff.login"), 303)


@bp.route("/password", methods=["GET", "POST"])
@allow(*CASE_WORK, ADMIN)
def password() -> Any:
    """改密码: required at first login (a one-time password), open any time after."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        new, again = request.form.get("new", ""), request.form.get("again", "")
        if new != again:
            errors["again"] = str(w.PASSWORDS_DIFFER)
        else:
            problem = accounts.change_password(staff(), request.form.get("current", ""), new)
            if problem == "wrong":
                errors["current"] = str(w.CURRENT_PASSWORD_WRONG)
            elif isinstance(problem, PasswordProblem):
                errors["new"] = str(w.PASSWORD_PROBLEMS[problem]) % {"min": PASSWORD_MIN}
            else:
                return redirect(url_for("staff.home"), 303)
    return render_template(
        "staff/password.html",
        errors=errors,
        has_errors=bool(errors),
        forced=staff().must_change_password,
    )
