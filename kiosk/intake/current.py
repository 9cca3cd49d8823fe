"""What this kiosk session is at: its draft (the session holds the draft's id), the draft's
photos, and what the questions need to know of the moment."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, request, session
from werkzeug.wrappers import Response

from kiosk.claims.calendar import today_in_china
from kiosk.intake.device import this_device_branch
from kiosk.platform.models import Draft
from kiosk.questions.steps import Context
from kiosk.services import drafts
from kiosk.services.policies import book_for
from kiosk.services.uploads import find_photo

SESSION_KEY = "draft_id"


def current_draft() -> Draft | None:
    """The draft this kiosk session is filling in, if any and still open."""
    draft = drafts.open_draft(session.get(SESSION_KEY))
    if draft is None:
        session.pop(SESSION_KEY, None)
    return draft


def start_draft(volunteer_id: int | None) -> Draft:
    draft = drafts.new_draft(volunteer_id)
    session[SESSION_KEY] = draft.id
    return draft


def forget_draft() -> None:
    session.pop(SESSION_KEY, None)


def resume_by_code(raw: str) -> Draft | None:
    """The open draft with this 续办码, now this session's draft; None if none matches."""
    draft = drafts.find_by_resume_code(raw)
    if draft is not None:
        session[SESSION_KEY] = draft.id
    return draft


def own_photo(photo_id: str) -> tuple[Any, dict[str, Any]]:
    """This session's draft and its photo `photo_id`; 404 for anyone else's or none."""
    draft = current_draft()
    found = find_photo(draft.answers, photo_id) if draft else None
    if found is None:
        abort(404)
    return draft, found[1]


def private_jpeg(data: bytes) -> Response:
    """A JPEG of someone's documents: shown once, never kept in a cache."""
    response = current_app.response_class(data, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "no-store"
    return response


def context() -> Context:
    """What the questions need of this moment: today, the policy, the volunteer, the month
    shown in a calendar, a photo problem to tell."""
    book = book_for(this_device_branch().district)
    return Context(
        today=today_in_china(),
        policy_start=book.starts_on,
        district_codes=book.region_codes,
        policies=book,
        volunteer_signed_in=session.get("volunteer_id") is not None,
        month=request.args.get("month"),
        photo_problem=request.args.get("photo"),
    )
