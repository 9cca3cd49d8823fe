"""补交材料: documents added to a submitted case, at a kiosk (by the 补交码) or from the
tracking link. Whoever adds may never see or fetch a document: they get a count back."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.datastructures import FileStorage

from kiosk.claims.states import CaseState, Role
from kiosk.claims.types import Source
from kiosk.platform import once
from kiosk.platform.extensions import db
from kiosk.platform.models import (
    AuditEvent,
    Claim,
    Document,
    DocumentPage,
    DocumentStatus,
    OcrStatus,
)
from kiosk.platform.storage import files
from kiosk.services import jobs, readings
from kiosk.services.cases import move_case
from kiosk.services.uploads import UploadOutcome, add_photos
from kiosk.words import claimant as m


def missing_documents(claim: Claim) -> list[Document]:
    return [d for d in claim.documents if d.status.outstanding]


def document_of(claim: Claim, kind: str) -> Document | None:
    """The claim's document of this kind, if the claim asks for one."""
    return next((d for d in claim.documents if d.kind.value == kind), None)


def add_pages(
    claim: Claim,
    document: Document,
    uploads: list[FileStorage],
    *,
    via: Source,
    role: Role,
    volunteer_id: int | None = None,
    staff_id: int | None = None,
    ip: str = "",
) -> UploadOutcome:
    """Check and store the photos as pages of `document` (the same checks as the intake:
    size, format, duplicates, ten at most); a received document, and once none is missing,
    the case goes back to review. Receipts and discharge summaries are read by OCR for staff.
    Staff adding scans of paper documents are named (`staff_id`, `ip`) in the audit row."""
    existing = [{"sha256": page.sha256} for page in document.pages]
    outcome = add_photos({"photos": {document.kind.value: existing}}, document.kind.value, uploads)
    started = []
    for photo in outcome.added:
        files().delete(photo["thumb"])  # nobody is shown the photo again
        reading = readings.new_reading(photo["file"], document.kind.value)
        started.append(reading)
        document.pages.append(
            DocumentPage(
                stored_name=photo["file"],
                content_type="image/jpeg",
                size_bytes=photo["size"],
                sha256=photo["sha256"],
                ocr_status=OcrStatus.PENDING if reading else OcrStatus.NOT_NEEDED,
                uploaded_via=via,
            )
        )
    if not outcome.added:
        return outcome
    try:
        db.session.flush()
    except (IntegrityError, OperationalError):
        db.session.rollback()  # the same photos, posted at the same moment, are in already:
        for photo in outcome.added:  # the same answer, without this post's copies
            files().delete(photo["file"])
        if not _all_in(document.id, [photo["sha256"] for photo in outcome.added]):
            raise
        return outcome
    document.status = DocumentStatus.RECEIVED
    db.session.add(
        AuditEvent(
            actor_role=role,
            actor_volunteer_id=volunteer_id,
            actor_staff_id=staff_id,
            action="document.scan" if via is Source.PAPER else "document.add",
            claim_id=claim.id,
            detail={"kind": document.kind.value, "pages": len(outcome.added), "via": via.value},
            ip=ip,
        )
    )
    if claim.state is CaseState.DOCUMENTS_NEEDED and not missing_documents(claim):
        move_case(claim, CaseState.UNDER_REVIEW, role, reason="材料已补齐")
    db.session.commit()
    for reading in filter(None, started):
        jobs.enqueue_reading(reading.id)
    jobs.enqueue_preparing(outcome.unprepared)
    return outcome


def add_pages_once(
    key: str | None, claim: Claim, document: Document, uploads: list[FileStorage], **by: Any
) -> UploadOutcome:
    """add_pages, once for this form's key: the same form sent again adds nothing and is
    answered as if its photos were added (they were, the first time)."""
    return once.run(
        key,
        lambda: add_pages(claim, document, uploads, **by),
        lambda: UploadOutcome.again(uploads),
    )


def _all_in(document_id: int, digests: list[str]) -> bool:
    stored = db.session.scalars(
        sa.select(DocumentPage.sha256).where(
            DocumentPage.document_id == document_id, DocumentPage.sha256.in_(digests)
        )
    )
    return set(digests) <= set(stored)


def document_cards(claim: Claim, kinds: list[str]) -> list[dict[str, Any]]:
    """The documents to show for adding, with their sample pictures and how many pages are in;
    `kinds` are the ones that were missing when the person began (so they stay on screen)."""
    cards = []
    for document in claim.documents:
        if document.kind.value in kinds or document.status.outstanding:
            title, detail = m.DOCUMENTS[document.kind]
            cards.append(
                {
                    "kind": document.kind.value,
                    "title": title,
                    "detail": document.request_message or detail,
                    "sample": m.SAMPLES.get(document.kind.value, "paper"),
                    "pages": len(document.pages),
                    "missing": document.status.outstanding,
                }
            )
    return cards
