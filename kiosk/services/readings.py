"""OCR readings of uploaded photos: started on upload, run by the queue, shown for confirming.

A reading is keyed by the stored photo, so starting it twice starts it once. The job
(kiosk.services.jobs) takes the reading's id, does nothing if the reading is already done, and
retries on a crash; a periodic job queues again any reading a stopped worker left unfinished.
"""

from __future__ import annotations

import logging
import statistics
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from PIL import Image

from kiosk.ocr.images import open_image, to_jpeg
from kiosk.platform.extensions import db
from kiosk.platform.models import OcrReading, ReadingStatus, utcnow
from kiosk.platform.storage import files
from kiosk.services import photos

log = logging.getLogger(__name__)

# Which documents are read, and as what.
OCR_KIND = {
    "insured_id_card": "id_card",
    "claimant_id_card": "id_card",
    "medical_receipt": "receipt",
    "discharge_summary": "discharge_summary",
}
MAX_ATTEMPTS = 3
STALE_AFTER = timedelta(minutes=2)  # a reading unfinished this long lost its worker


def new_reading(photo_file: str, document_kind: str) -> OcrReading | None:
    """A new reading for a stored photo, added to the session but not committed nor queued;
    None if the document is not read or the photo has a reading already. The caller commits
    it with its own changes, then calls jobs.enqueue_reading(reading.id): one commit per upload."""
    kind = OCR_KIND.get(document_kind)
    if kind is None or reading_of(photo_file) is not None:
        return None
    reading = OcrReading(photo_file=photo_file, kind=kind, status=ReadingStatus.QUEUED)
    db.session.add(reading)
    db.session.flush()
    return reading


def reading_of(photo_file: str) -> OcrReading | None:
    return db.session.scalar(sa.select(OcrReading).filter_by(photo_file=photo_file))


def readings_of(photo_files: list[str]) -> dict[str, OcrReading]:
    """The readings of these photos, by photo file, in one question to the database."""
    if not photo_files:
        return {}
    found = db.session.scalars(sa.select(OcrReading).where(OcrReading.photo_file.in_(photo_files)))
    return {reading.photo_file: reading for reading in found}


def perform(reading_id: int) -> str:
    """The job: read the photo, keep the fields and the prepared page. Safe to run twice.
    Returns the reading's status at the end ("done", "failed"; "missing" if deleted)."""
    from kiosk.ocr.hospitals import district_hospitals
    from kiosk.ocr.images import ImageRejected, load_image
    from kiosk.ocr.reader import read_image

    reading = db.session.get(OcrReading, reading_id)
    if reading is None:
        return "missing"
    if reading.status == ReadingStatus.DONE:
        return reading.status.value
    reading.status = ReadingStatus.READING
    reading.attempts += 1
    db.session.commit()
    try:
        loaded = load_image(photos.prepared(reading.photo_file))
    except FileNotFoundError:  # the photo was removed before its turn came
        return _fail(reading, "photo_removed")
    except ImageRejected as rejected:
        return _fail(reading, rejected.problem.value)
    try:
        result = read_image(
            loaded.image,
            reading.kind,
            engine_name_=current_app.config["OCR_ENGINE"],
            hospitals=district_hospitals(current_app.config["HOSPITALS_FILE"]),
        )
    except Exception:
        log.exception("OCR of reading %s failed (attempt %s)", reading.id, reading.attempts)
        if reading.attempts >= MAX_ATTEMPTS:
            return _fail(reading, "engine_error")
        reading.status = ReadingStatus.QUEUED
        db.session.commit()
        raise  # huey retries
    reading.page_file = files().save(to_jpeg(Image.fromarray(result.page[..., ::-1])))
    reading.fields = {name: field.as_dict() for name, field in result.fields.items()}
    if result.hospital_grade is not None:
        reading.fields["hospital"]["grade"] = result.hospital_grade
    reading.engine, reading.seconds = result.engine, round(result.seconds, 3)
    reading.status, reading.finished_at = ReadingStatus.DONE, utcnow()
    db.session.commit()
    log.info("read %s %s in %.2fs", reading.kind, reading.id, result.seconds)
    return reading.status.value


def _fail(reading: OcrReading, problem: str) -> str:
    reading.status, reading.problem, reading.finished_at = ReadingStatus.FAILED, problem, utcnow()
    db.session.commit()
    log.info("reading %s failed: %s", reading.id, problem)
    return reading.status.value


def interrupted(now: datetime) -> list[int]:
    """The readings a stopped worker left queued or half done, marked queued again (the
    caller queues them)."""
    stale = db.session.scalars(
        sa.select(OcrReading).where(
            OcrReading.status.in_([ReadingStatus.QUEUED, ReadingStatus.READING]),
            OcrReading.queued_at < now - STALE_AFTER,
            OcrReading.attempts < MAX_ATTEMPTS,
        )
    ).all()
    for reading in stale:
        reading.status, reading.queued_at = ReadingStatus.QUEUED, now
    db.session.commit()
    return [reading.id for reading in stale]


def forget(photo_file: str) -> None:
    """Delete the reading of a removed photo, with its prepared page."""
    reading = reading_of(photo_file)
    if reading is not None:
        if reading.page_file:
            files().delete(reading.page_file)
        db.session.delete(reading)
        db.session.commit()


def state(reading: OcrReading | None, now: datetime | None = None) -> str:
    """What the person sees: waiting, done, failed, or slow (waited past the time limit)."""
    if reading is None:
        return "failed"
    if reading.status == ReadingStatus.DONE:
        return "done"
    if reading.status == ReadingStatus.FAILED:
        return "failed"
    waited = (now or utcnow()) - reading.queued_at
    return (
        "slow" if waited.total_seconds() > current_app.config["OCR_TIMEOUT_SECONDS"] else "waiting"
    )


ASK_EVERY = timedelta(milliseconds=400)  # after the first ask; the panel learns within this
FIRST_ASK_LONGEST = timedelta(seconds=10)
RECENT = 30  # readings whose times tell how long this one will take
FEWEST = 5  # fewer say little (the first of the day waits for the engines to load)
AHEAD_WITHIN = timedelta(minutes=5)


def first_ask(photo_file: str, now: datetime | None = None) -> timedelta:
    """When the waiting panel should first ask whether this photo is read: about when the
    quicker of the last readings took to come back (a quarter of them were quicker), plus a
    reading's time for each photo queued before it; then every 0.4 s. So a reading usually
    costs two or three small questions, and is seen within 0.4 s of being done."""
    now = now or utcnow()
    mine: datetime | None = db.session.execute(
        sa.select(OcrReading.queued_at).filter_by(photo_file=photo_file)
    ).scalar_one_or_none()
    if mine is None:
        return ASK_EVERY
    recent = db.session.execute(
        sa.select(OcrReading.queued_at, OcrReading.finished_at, OcrReading.seconds)
        .where(OcrReading.status == ReadingStatus.DONE)
        .order_by(OcrReading.queued_at.desc())
        .limit(RECENT)
    ).all()
    if len(recent) < FEWEST:
        return ASK_EVERY
    waits: list[timedelta] = sorted(r.finished_at - r.queued_at for r in recent)
    each = timedelta(seconds=statistics.median(r.seconds or 0.0 for r in recent))
    ahead = db.session.scalar(
        sa.select(sa.func.count(OcrReading.id)).where(
            OcrReading.status.in_((ReadingStatus.QUEUED, ReadingStatus.READING)),
            OcrReading.queued_at < mine,
            OcrReading.queued_at > mine - AHEAD_WITHIN,  # not one an outage left behind
        )
    )
    expected: datetime = mine + waits[len(waits) // 4] + (ahead or 0) * each
    return min(max(expected - now, ASK_EVERY), FIRST_ASK_LONGEST)


def field(reading: OcrReading | None, name: str) -> dict[str, Any] | None:
    """One read field (value, confidence, box, checks, doubts) if a value was read."""
    if reading is None or reading.status != ReadingStatus.DONE or not reading.fields:
        return None
    found = reading.fields.get(name)
    return found if found and found.get("value") is not None else None


def crop_jpeg(reading: OcrReading, name: str) -> bytes | None:
    """The part of the prepared page a field was read from, as a JPEG, for the screen."""
    found = field(reading, name)
    if found is None or not found.get("box") or not reading.page_file:
        return None
    page = open_image(files().read(reading.page_file))
    left, top, right, bottom = found["box"]
    pad = max((bottom - top) // 3, 6)  # and more sideways: the value's edges are estimated
    crop = page.crop((max(left - 3 * pad, 0), max(top - pad, 0), right + 3 * pad, bottom + pad))
    return to_jpeg(crop)
