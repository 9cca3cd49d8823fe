"""Photos of documents taken during the intake: checked, re-encoded, stored encrypted.

Until the claim is submitted a photo belongs to the draft (its answers hold the stored
names); submitting turns each into a DocumentPage. Nothing is kept of what the person
uploaded but the re-encoded JPEG (no EXIF, no GPS) and a thumbnail for the screen.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import FileStorage

from ..ocr.images import (
    MAX_BYTES,
    ImageRejected,
    UploadProblem,
    load_image,
    thumbnail_jpeg,
    to_jpeg,
)
from ..storage import files

MAX_PHOTOS_PER_DOCUMENT = 10


@dataclass(frozen=True)
class UploadOutcome:
    added: list[dict[str, Any]]
    problems: list[UploadProblem | str]  # "duplicate" and "too_many" besides the image problems


def photos_of(answers: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return list(answers.get("photos", {}).get(kind, []))


def add_photos(answers: dict[str, Any], kind: str, uploads: list[FileStorage]) -> UploadOutcome:
    """Check and store each upload; return the new photo records and what was refused."""
    existing = photos_of(answers, kind)
    seen = {p["sha256"] for p in existing}
    added: list[dict[str, Any]] = []
    problems: list[UploadProblem | str] = []
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
        try:
            loaded = load_image(data)
        except ImageRejected as exc:
            problems.append(exc.problem)
            continue
        seen.add(digest)
        stored = to_jpeg(loaded.image)
        added.append(
            {
                "id": secrets.token_hex(8),
                "file": files().save(stored),
                "size": len(stored),
                "thumb": files().save(thumbnail_jpeg(loaded.image)),
                "sha256": digest,
                "width": loaded.width,
                "height": loaded.height,
            }
        )
    return UploadOutcome(added, problems)


def with_photos(answers: dict[str, Any], kind: str, photos: list[dict[str, Any]]) -> dict[str, Any]:
    """The `photos` answer with this document's list replaced."""
    all_photos = dict(answers.get("photos", {}))
    all_photos[kind] = photos
    return all_photos


def find_photo(answers: dict[str, Any], photo_id: str) -> tuple[str, dict[str, Any]] | None:
    for kind, photos in answers.get("photos", {}).items():
        for photo in photos:
            if photo["id"] == photo_id:
                return kind, photo
    return None


def delete_files(photo: dict[str, Any], *, keep_full: bool = False) -> None:
    if not keep_full:
        files().delete(photo["file"])
    files().delete(photo["thumb"])


def delete_draft_files(answers: dict[str, Any], *, submitted: bool) -> None:
    """Remove a draft's files: all of them, or only thumbnails once the claim owns the photos."""
    for photos in (answers or {}).get("photos", {}).values():
        for photo in photos:
            delete_files(photo, keep_full=submitted)
