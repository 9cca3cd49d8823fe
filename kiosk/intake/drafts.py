"""The server-side draft of an intake: saved at every step, found again through the session."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import session

from kiosk.claims.validation import digits_only
from kiosk.platform.extensions import db
from kiosk.platform.models import Draft, utcnow
from kiosk.platform.storage import vault

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


def save_answers(
    draft: Draft, step: str, updates: dict[str, Any], *, mark_done: bool = True
) -> None:
    """Merge a step's answers (and mark the step done); committed at once, so nothing is lost."""
    answers = dict(draft.answers or {})
    answers.update(updates)
    if mark_done:
        answers["_done"] = sorted(set(answers.get("_done", [])) | {step})
    draft.answers = answers  # a new object, so SQLAlchemy sees the change
    draft.step = step
    draft.expires_at = utcnow() + DRAFT_LIFETIME
    db.session.commit()


def forget_draft() -> None:
    session.pop(SESSION_KEY, None)


def issue_resume_code(draft: Draft) -> str:
    """A fresh six-digit 续办码 for this draft (any earlier one stops working)."""
    for _ in range(20):
        code = f"{secrets.randbelow(10**6):06d}"
        code_hash = vault().lookup_hash("resume:" + code)
        taken = db.session.scalar(sa.select(Draft.id).where(Draft.resume_code_hash == code_hash))
        if taken is None:
            draft.resume_code_hash = code_hash
            draft.expires_at = utcnow() + DRAFT_LIFETIME
            db.session.commit()
            return code
    raise RuntimeError("no free resume code")


def resume_by_code(raw: str) -> Draft | None:
    """The open draft with this 续办码, now this session's draft; None if none matches."""
    code = digits_only(raw)
    if len(code) != 6:
        return None
    draft = db.session.scalar(
        sa.select(Draft).where(
            Draft.resume_code_hash == vault().lookup_hash("resume:" + code),
            Draft.expires_at > utcnow(),
            Draft.claim_id.is_(None),
        )
    )
    if draft is not None:
        session[SESSION_KEY] = draft.id
    return draft
