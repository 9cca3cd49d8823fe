"""Photos of documents taken during the intake: checked, stored encrypted, re-encoded.

Until the claim is submitted a photo belongs to the draft (its answers hold the stored
names); submitting turns each into a DocumentPage. Nothing is kept of what the person
uploaded but the re-encoded JPEG (no EXIF, no GPS) and a thumbnail for the screen: a plain
upright JPEG is re-encoded by the worker minutes later (kiosk.services.photos), any other
upload before the answer.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import FileStorage

from kiosk.ocr.images import (
    MAX_BYTES,
    ImageRejected,
    UploadProblem,
    checked_jpeg,
    load_image,
    thumbnail_jpeg,
    to_jpeg,
)
from kiosk.platform import once
from kiosk.platform.extensions import db
from kiosk.platform.models import Draft
from kiosk.platform.storage import files
from kiosk.services import photos, readings
from kiosk.services.drafts import delete_files, save_answers
from kiosk.services.jobs import enqueue_preparing, enqueue_reading
from kiosk.words import claimant as m

MAX_PHOTOS_PER_DOCUMENT = 10
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UploadOutcome:
    added: list[dict[str, Any]]
    problems: list[UploadProblem | str]  # "duplicate", "too_many", "not_kept" besides the image's
    unprepared: list[str] = field(default_factory=list)  # stored names, for the worker

    @classmethod
    def again(cls, uploads: list[FileStorage]) -> UploadOutcome:
        """The answer to a form posted again: its photos were added the first time."""
        return cls([{} for upload in uploads if upload.filename], [])

    def message(self) -> str:
        """What was refused, in the page's language, each reason once."""
        return "；".join(dict.fromkeys(str(m.UPLOAD_PROBLEMS[p]) for p in self.problems))


def photos_of(answers: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return list(answers.get("photos", {}).get(kind, []))


def add_photos(answers: dict[str, Any], kind: str, uploads: list[FileStorage]) -> UploadOutcome:
    """Check and store each upload; return the new photo records and what was refused."""
    existing = photos_of(answers, kind)
    seen = {p["sha256"] for p in existing}
    added: list[dict[str, Any]] = []
    problems: list[UploadProblem | str] = []
    unprepared: list[str] = []
    for upload in uploads:
        data = upload.stream.read(MAX_BYTES + 1)
        if not data and not upload.filename:
            continue  # the empty part a form sends when nothing was chosen
        if len(existing) + len(added) >= MAX_PHOTOS_PER_DOCUMENT:
            problems.append("too_many")
            break
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            problems.append("duplicate")
            continue
        checked = checked_jpeg(data)  # most tablet photos: re-encoded later by the worker
        if checked is not None:
            stored, preview, size = data, checked.preview, (checked.width, checked.height)
        else:
            try:
                loaded = load_image(data)
            except ImageRejected as exc:
                problems.append(exc.problem)
                continue
            stored, preview = to_jpeg(loaded.image), loaded.image
            size = (loaded.width, loaded.height)
        try:
            saved = _save(stored, thumbnail_jpeg(preview), prepared=checked is None)
        except OSError as error:  # the disk is full or failing: nothing half kept
            log.error("a photo could not be stored: %s", error.strerror or error)
            problems.append("not_kept")
            break
        if checked is not None:
            unprepared.append(saved["file"])
        seen.add(digest)
        added.append(
            {
                "id": secrets.token_hex(8),
                **saved,
                "size": len(stored),
                "sha256": digest,
                "width": size[0],
                "height": size[1],
            }
        )
    return UploadOutcome(added, problems, unprepared)


def _save(photo: bytes, thumbnail: bytes, *, prepared: bool) -> dict[str, str]:
    """Both files, or neither."""
    name = files().save(photo) if prepared else photos.save_unprepared(photo)
    try:
        return {"file": name, "thumb": files().save(thumbnail)}
    except OSError:
        files().delete(name)
        raise


def with_photos(answers: dict[str, Any], kind: str, photos: list[dict[str, Any]]) -> dict[str, Any]:
    """The `photos` answer with this document's list replaced."""
    all_photos = dict(answers.get("photos", {}))
    all_photos[kind] = photos
    return all_photos


def find_photo(answers: dict[str, Any], photo_id: str) -> tuple[str, dict[str, Any]] | None:
    for kind, kind_photos in answers.get("photos", {}).items():
        for photo in kind_photos:
            if photo["id"] == photo_id:
                return kind, photo
    return None


def add_to_draft(
    draft: Draft, kind: str, uploads: list[FileStorage], key: str | None
) -> tuple[UploadOutcome, bool]:
    """拍照 into a draft: photos checked and stored, put in the draft with their readings once
    for this form's key (a post that loses the race to an identical one deletes its own
    copies), the readings queued. The outcome, and whether the queue took every reading."""
    if key is not None and once.done_before(key):  # the same form again: its photos are in
        return UploadOutcome.again(uploads), True
    outcome = add_photos(draft.answers, kind, uploads)
    if not outcome.added:
        return outcome, True
    photos = photos_of(draft.answers, kind) + outcome.added
    started = [readings.new_reading(photo["file"], kind) for photo in outcome.added]

    def keep() -> bool:
        updates = {"photos": with_photos(draft.answers, kind, photos)}
        save_answers(draft, "documents", updates, mark_done=False)  # commits the readings too
        return True

    def again() -> bool:
        db.session.rollback()  # not this post's readings
        for photo in outcome.added:
            delete_files(photo)
        return False

    if not once.run(key, keep, again):
        return outcome, True
    queued = all([enqueue_reading(reading.id) for reading in filter(None, started)])
    enqueue_preparing(outcome.unprepared)  # after the readings, which prepare theirs first
    return outcome, queued
