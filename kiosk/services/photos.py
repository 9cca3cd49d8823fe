"""Stored photos: kept as uploaded (encrypted, never shown) until the worker prepares them.

An upload is checked whole before the person is answered (ocr.images.checked_jpeg), but the
re-encoding that strips its metadata and anything hidden in it (ocr.images.prepared_jpeg, ~30 ms
of CPU for a tablet photo) is the worker's: the photo's reading does it first, or a job of its
own (services.jobs.prepare_photo) for a document that is not read. Until then the stored file
starts with UNPREPARED, inside its encryption, so no upload can pass for a prepared one; whoever
needs the photo before the worker got to it prepares it then (`prepared`). ADR 0047.
"""

from __future__ import annotations

from kiosk.ocr.images import prepared_jpeg
from kiosk.platform.storage import files

UNPREPARED = b"kiosk: unprepared upload\n"


def save_unprepared(upload: bytes) -> str:
    """Keep a checked upload as it came, to be prepared by the worker; its stored name."""
    return files().save(UNPREPARED + upload)


def prepared(name: str) -> bytes:
    """The stored photo as it may be shown or read: prepared now if it was not yet (and kept
    so). FileNotFoundError if it was deleted; ImageRejected if it cannot be prepared."""
    data = files().read(name)
    if not data.startswith(UNPREPARED):
        return data
    photo = prepared_jpeg(data[len(UNPREPARED) :])
    files().replace(name, photo)  # False: deleted meanwhile, and it stays deleted
    return photo
