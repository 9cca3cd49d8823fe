"""A tablet photo is answered before it is re-encoded, and never shown as it came (ADR 0047).

These tests run on a real queue (a SQLite file) with no worker, so the jobs wait as they
would in production until a test runs one.
"""

from __future__ import annotations

import threading
from io import BytesIO
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from PIL import Image

from kiosk import create_app
from kiosk.platform.extensions import db, huey
from kiosk.platform.models import Claim, DocumentPage, StaffRole
from kiosk.platform.storage import files
from kiosk.services import jobs, photos
from tests.conftest import empty_all_tables, make_config
from tests.integration.desk import desk, make_staff
from tests.integration.test_intake import SELF_MEDICAL, Kiosk
from tests.integration.test_intake_documents import photos_in_draft, upload
from tests.ocr.test_images import is_red, jpeg_with_gps


@pytest.fixture
def app(database_url: str, tmp_path: Path):
    """The app with a real queue and no worker: what the web process queues stays queued."""
    app = create_app(
        make_config(tmp_path, database_url, QUEUE_URL=f"sqlite:///{tmp_path / 'queue.db'}")
    )
    with app.app_context():
        empty_all_tables()
    yield app
    with app.app_context():
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()
    create_app(make_config(tmp_path, database_url))  # back to immediate mode for other tests


def queued_jobs() -> list[str]:
    return [message.name for message in huey.pending()]


def assert_only_pixels(data: bytes) -> None:
    assert not data.startswith(photos.UNPREPARED)
    assert b"Exif" not in data and b"home address" not in data
    with Image.open(BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (800, 600)
        assert is_red(image.getpixel((30, 30)))  # the same picture


def test_the_upload_is_answered_and_the_worker_prepares_it(app: Flask, kiosk: Kiosk) -> None:
    kiosk.through(*SELF_MEDICAL[:6])
    hospital_record = jpeg_with_gps()  # GPS and a comment in its metadata
    assert upload(kiosk, "medical_record", (hospital_record, "record.jpg")).status_code == 303
    (record,) = photos_in_draft(app, "medical_record")
    with app.app_context():
        assert queued_jobs() == ["prepare_photo"]  # not read by OCR
        as_kept = files().read(record["file"])
        assert as_kept == photos.UNPREPARED + hospital_record  # still as it came, encrypted
        thumbnail = files().read(record["thumb"])
        assert b"Exif" not in thumbnail and b"home address" not in thumbnail
        jobs.prepare_photo.call_local(record["file"])
        assert_only_pixels(files().read(record["file"]))
        jobs.prepare_photo.call_local(record["file"])  # the same job again: no harm
        assert_only_pixels(files().read(record["file"]))


def test_a_receipts_reading_prepares_it_first(app: Flask, kiosk: Kiosk) -> None:
    kiosk.through(*SELF_MEDICAL[:6])
    assert upload(kiosk, "medical_receipt", (jpeg_with_gps(), "receipt.jpg")).status_code == 303
    (record,) = photos_in_draft(app, "medical_receipt")
    with app.app_context():
        assert queued_jobs() == ["read_photo", "prepare_photo"]
        (reading_job, _) = huey.pending()
        jobs.read_photo.call_local(*reading_job.args)
        assert_only_pixels(files().read(record["file"]))


def test_staff_opening_a_page_the_worker_has_not_reached_see_it_prepared(
    app: Flask, kiosk: Kiosk
) -> None:
    kiosk.through(*SELF_MEDICAL[:6])
    assert upload(kiosk, "medical_record", (jpeg_with_gps(), "record.jpg")).status_code == 303
    kiosk.through(*SELF_MEDICAL[6:], ("check", {"consent": "yes"}))
    with app.app_context():
        assert db.session.scalars(sa.select(Claim)).one()
        page_id, name = db.session.execute(
            sa.select(DocumentPage.id, DocumentPage.stored_name)
        ).one()
        assert files().read(name).startswith(photos.UNPREPARED)
        make_staff("handler", StaffRole.HANDLER)
    image = desk(app, "handler").get(f"/staff/page/{page_id}/image")
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    assert_only_pixels(image.data)
    with app.app_context():
        assert files().read(name) == image.data  # kept prepared


def test_a_photo_deleted_while_it_is_prepared_stays_deleted(app: Flask) -> None:
    """The person removes a photo at the moment the worker re-encodes it: whichever comes
    first, nothing of it is left on disk (the store's lock orders replace and delete)."""
    upload_bytes = jpeg_with_gps()
    with app.app_context():
        store = files()
        failures: list[BaseException] = []
        for _ in range(30):
            name = photos.save_unprepared(upload_bytes)
            start = threading.Barrier(2)

            def prepare(name: str = name, start: threading.Barrier = start) -> None:
                start.wait()
                with app.app_context():
                    try:
                        photos.prepared(name)
                    except FileNotFoundError:
                        pass  # deleted before it was read: as the job does
                    except BaseException as error:
                        failures.append(error)

            worker = threading.Thread(target=prepare)
            worker.start()
            start.wait()
            store.delete(name)
            worker.join()
            assert not failures
            assert name not in store.names()
