"""Outside parts failing under a photo upload: the queue down (Redis away) keeps the photo
and lets the person go on; a full disk is told plainly, and nothing already entered is lost."""

from __future__ import annotations

import errno
from collections.abc import Callable
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from kiosk import create_app
from kiosk.platform.crypto import FileStore
from kiosk.platform.extensions import db
from kiosk.platform.models import Draft, OcrReading, ReadingStatus
from kiosk.services.jobs import requeue_interrupted
from kiosk.services.readings import STALE_AFTER
from tests.conftest import make_config
from tests.integration.test_intake import SELF_MEDICAL, Kiosk, errors, soup
from tests.integration.test_intake_documents import photo, photos_in_draft, upload

NOBODY_LISTENS = "redis://127.0.0.1:9/0"  # the discard port: connection refused


@pytest.fixture
def queue_down(app: Flask, database_url: str, tmp_path: Path) -> Flask:
    """The app (on the `app` fixture's emptied database) with its queue in a Redis that is
    not there."""
    return create_app(make_config(tmp_path, database_url, QUEUE_URL=NOBODY_LISTENS))


def test_a_receipt_photo_is_kept_when_the_queue_is_down(queue_down: Flask) -> None:
    kiosk = Kiosk(queue_down.test_client())
    kiosk.through(*SELF_MEDICAL[:6])
    sent = upload(kiosk, "medical_receipt", (photo(), "receipt.jpg"))
    assert sent.status_code == 303  # not a 500: the photo is in and she goes on
    page = soup(kiosk.get(sent.headers["Location"]))
    assert "照片已保存。识别要晚一点" in page.get_text()
    assert len(photos_in_draft(queue_down, "medical_receipt")) == 1
    with queue_down.app_context():
        reading = db.session.scalars(sa.select(OcrReading)).one()
        assert reading.status is ReadingStatus.QUEUED  # the periodic re-queue will send it
        later = reading.queued_at + STALE_AFTER + timedelta(seconds=1)
        assert requeue_interrupted(now=later) == 1  # and, the queue still down, keeps it
        assert db.session.get(OcrReading, reading.id).status is ReadingStatus.QUEUED


def test_an_id_card_photo_is_kept_when_the_queue_is_down(queue_down: Flask) -> None:
    kiosk = Kiosk(queue_down.test_client())
    kiosk.through(("who", {"who": "self"}))
    token = soup(kiosk.get("/claim/identity")).select_one("input[name=csrf_token]")["value"]
    sent = kiosk.client.post(
        "/claim/identity/photo",
        data={"csrf_token": token, "photo": (BytesIO(photo()), "card.jpg")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 303
    assert "识别要晚一点" in soup(kiosk.get(sent.headers["Location"])).get_text()


class FullDisk:
    """A test double for the upload store on a full disk: after `after` files, every write
    fails with ENOSPC, as os.write does when the file system has no room left."""

    def __init__(self, real: Callable[[FileStore, bytes], str], after: int) -> None:
        self.real, self.left = real, after

    def __call__(self, store: FileStore, content: bytes) -> str:
        if self.left:
            self.left -= 1
            return self.real(store, content)
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize(
    "saves_before_full", [0, 1]
)  # nothing kept; the photo but not its thumbnail
def test_a_full_disk_is_told_plainly_and_nothing_entered_is_lost(
    app: Flask, kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch, saves_before_full: int
) -> None:
    kiosk.through(*SELF_MEDICAL[:6])
    upload(kiosk, "medical_receipt", (photo(), "first.jpg"))
    with app.app_context():
        answers_before = dict(db.session.scalar(sa.select(Draft)).answers)
    stored_before = {p for p in Path(app.config["DATA_DIR"], "uploads").rglob("*") if p.is_file()}

    full = FullDisk(FileStore.save, after=saves_before_full)
    monkeypatch.setattr(FileStore, "save", lambda store, content: full(store, content))
    response = upload(kiosk, "medical_receipt", (photo(size=(801, 600)), "second.jpg"))

    assert response.status_code == 200
    message = errors(response)["photo-medical_receipt"]
    assert "照片没能保存" in message and "请找工作人员" in message
    with app.app_context():
        assert db.session.scalar(sa.select(Draft)).answers == answers_before
    stored = {p for p in Path(app.config["DATA_DIR"], "uploads").rglob("*") if p.is_file()}
    assert stored == stored_before  # no half-kept photo left behind
