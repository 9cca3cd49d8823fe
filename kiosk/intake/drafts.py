"""The server-side draft of an intake: saved at every step, found again through the session."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from flask import session

from ..extensions import db
from ..models import Draft, utcnow

DRAFT_LIFETIME = timedelta(hours=72)
SESSION_KEY = "draft_id"


def current_draft() -> Draft | None:
    """The draft this kiosk session is filling in, if any and still open."""
    draft_id = session.get(SESSION_KEY)
    if not draft_id:
        return None
    draft = db.session.get(Draft, draft_id)
    if draft is None or draft.expires_at < utcnow():
        session.pop(SESSION_KEY, None)
        return None
    return draft


def start_draft(volunteer_id: int | None) -> Draft:
    draft = Draft(
        id=secrets.token_urlsafe(24),
        answers={},
        volunteer_id=volunteer_id,
        expires_at=utcnow() + DRAFT_LIFETIME,
    )
    db.session.add(draft)
    session[SESSION_KEY] = draft.id
    return draft


def save_answers(draft: Draft, step: str, updates: dict[str, Any]) -> None:
    """Merge a step's answers and mark it done; committed at once, so nothing is lost."""
    answers = dict(draft.answers or {})
    answers.update(updates)
    answers["_done"] = sorted(set(answers.get("_done", [])) | {step})
    draft.answers = answers  # a new object, so SQLAlchemy sees the change
    draft.step = step
    draft.expires_at = utcnow() + DRAFT_LIFETIME
    db.session.commit()


def forget_draft() -> None:
    session.pop(SESSION_KEY, None)
