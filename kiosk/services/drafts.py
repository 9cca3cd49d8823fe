"""The server-side draft of an intake: saved at every step, kept 72 hours after its last
answer, found again by its id (the kiosk session holds it) or by its 续办码."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any, TypedDict

import sqlalchemy as sa

from kiosk.claims.validation import digits_only
from kiosk.platform.extensions import db
from kiosk.platform.models import Draft, utcnow
from kiosk.platform.storage import files, vault
from kiosk.services import readings

DRAFT_LIFETIME = timedelta(hours=72)


class Answers(TypedDict, total=False):
    """A draft's answers as the intake's questions keep them (dates as ISO strings, choices
    as their values); a step adds its keys once it is answered."""

    who: str  # "self", or "family" when a relative reports
    claim_type: str
    name: str
    id_number: str
    birth_date: str
    sex: str
    phone: str
    identity_from: str  # "id_card" when read from the card's photo and confirmed
    reporter_name: str
    reporter_phone: str
    reporter_relationship: str
    accident_date: str
    place: str
    cause: str
    description: str
    outcome_date: str  # of death, or of the disability assessment
    transport_mode: str
    admission_date: str
    discharge_date: str
    receipt_amounts: dict[str, str]  # photo id -> the total she confirmed
    bank: str
    bank_other: str
    holder: str
    account: str
    photos: dict[str, list[dict[str, Any]]]  # document kind -> its photos
    paper_received: list[str]  # 手工受理: documents staff saw on paper
    source: str  # set by paper entry


def open_draft(draft_id: str | None) -> Draft | None:
    """The draft with this id, if there is one and it is still open."""
    draft = db.session.get(Draft, draft_id) if draft_id else None
    if draft is None or draft.expires_at < utcnow():
        return None
    return draft


def new_draft(volunteer_id: int | None) -> Draft:
    draft = Draft(
        id=secrets.token_urlsafe(24),
        answers={},
        volunteer_id=volunteer_id,
        expires_at=utcnow() + DRAFT_LIFETIME,
    )
    db.session.add(draft)
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


def find_by_resume_code(raw: str) -> Draft | None:
    """The open draft with this 续办码; None if none matches."""
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
    return draft


def delete_files(photo: dict[str, Any], *, keep_full: bool = False) -> None:
    """Delete a photo's thumbnail, and unless the claim keeps it, the photo and its reading."""
    if not keep_full:
        files().delete(photo["file"])
        readings.forget(photo["file"])
    files().delete(photo["thumb"])


def delete_draft_files(answers: dict[str, Any], *, submitted: bool) -> None:
    """Remove a draft's files: all of them, or only thumbnails once the claim owns the photos."""
    for photos in (answers or {}).get("photos", {}).values():
        for photo in photos:
            delete_files(photo, keep_full=submitted)
