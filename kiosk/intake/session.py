"""The kiosk session: clear it when the person walks away, pause and resume by 续办码."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from kiosk.intake.blueprint import bp
from kiosk.intake.current import current_draft, forget_draft, resume_by_code
from kiosk.platform.extensions import csrf, limiter
from kiosk.questions import flow
from kiosk.services.drafts import issue_resume_code
from kiosk.words.claimant import RESUME_CODE_WRONG

RESUME_LIMIT = "10 per minute;60 per hour"


@bp.post("/session/end")
@csrf.exempt  # sent by the idle timer, possibly after the page's token went stale
def end_session() -> Response:
    """Clear everything this tablet knows of the person (the draft stays on the server for
    its 续办码). The session cookie goes with session.clear(); the device's own credential
    stays, so Clear-Site-Data names no cookies."""
    session.clear()
    response = redirect(url_for("intake.home"), 303)
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.post("/claim/pause")
def pause() -> Any:
    """暂停: show a 续办码 to come back with, and free the tablet."""
    draft = current_draft()
    if draft is None:
        return redirect(url_for("intake.home"), 303)
    code = issue_resume_code(draft)
    forget_draft()
    return render_template("intake/paused.html", code=f"{code[:3]} {code[3:]}")


@bp.route("/claim/resume", methods=["GET", "POST"])
@limiter.limit(RESUME_LIMIT, methods=["POST"])
def resume() -> Any:
    """用续办码继续: the six digits from the 暂停 page, at any kiosk, within 72 hours."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        draft = resume_by_code(request.form.get("code", ""))
        if draft is not None:
            return redirect(url_for("intake.step", step=flow.first_unanswered(draft.answers)), 303)
        errors["code"] = str(RESUME_CODE_WRONG)
    return render_template(
        "intake/resume.html",
        errors=errors,
        has_errors=bool(errors),
        values={"code": request.form.get("code", "")},
    )
