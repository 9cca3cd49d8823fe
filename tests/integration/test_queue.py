"""The background queue: inline in tests, and the real SQLite and Redis queues with a consumer."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from huey.storage import RedisStorage, SqliteStorage

from kiosk import create_app
from kiosk.platform.extensions import db, huey
from kiosk.platform.models import Draft, OcrReading, ReadingStatus
from kiosk.services import jobs
from tests.conftest import make_config


def add_drafts(app: Flask) -> None:
    now = datetime.now(UTC)
    with app.app_context():
        db.session.add_all(
            [
                Draft(id="old", answers={}, expires_at=now - timedelta(minutes=1)),
                Draft(id="fresh", answers={}, expires_at=now + timedelta(hours=1)),
            ]
        )
        db.session.commit()


def draft_ids(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(sa.select(Draft.id)))


def test_expired_drafts_are_purged_inline(app: Flask) -> None:
    add_drafts(app)
    result = jobs.purge_expired_drafts()  # immediate mode: runs now, in this process
    assert result.get() == 1
    assert draft_ids(app) == {"fresh"}
    assert jobs.purge_expired_drafts().get() == 0  # idempotent


def run_through_consumer(app: Flask, enqueue=None) -> int:
    """Enqueue a job (the purge by default), run a real huey consumer until it is done."""
    huey.flush()
    result = enqueue() if enqueue else jobs.purge_expired_drafts()
    consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False)
    thread = threading.Thread(target=consumer.run, daemon=True)
    consumer._set_signal_handlers = lambda: None  # signals belong to the main thread only
    thread.start()
    try:
        return result.get(blocking=True, timeout=20)
    finally:
        consumer.stop(graceful=True)
        thread.join(timeout=10)


@pytest.fixture
def queued_app(database_url: str, tmp_path: Path, request: pytest.FixtureRequest):
    queue_url = (
        request.param if request.param != "redis" else os.environ.get("KIOSK_TEST_REDIS_URL", "")
    )
    if not queue_url:
        if os.environ.get("CI"):
            pytest.fail("KIOSK_TEST_REDIS_URL is not set: CI must run the Redis queue test")
        pytest.skip(
            "the Redis queue test needs KIOSK_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)"
        )
    if queue_url == "sqlite":
        queue_url = f"sqlite:///{tmp_path / 'queue.db'}"
    app = create_app(make_config(tmp_path, database_url, QUEUE_URL=queue_url))
    yield app
    with app.app_context():
        db.session.execute(sa.delete(Draft))
        db.session.execute(sa.delete(OcrReading))
        db.session.commit()
        db.engine.dispose()
    create_app(make_config(tmp_path, database_url))  # back to immediate mode for other tests


@pytest.mark.parametrize("queued_app", ["sqlite", "redis"], indirect=True)
def test_job_runs_through_the_real_queue(queued_app: Flask) -> None:
    expected = (
        SqliteStorage if queued_app.config["QUEUE_URL"].startswith("sqlite") else RedisStorage
    )
    assert isinstance(huey.storage, expected)
    assert not huey.immediate
    add_drafts(queued_app)
    started = time.monotonic()
    assert run_through_consumer(queued_app) == 1
    assert draft_ids(queued_app) == {"fresh"}
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("queued_app", ["sqlite", "redis"], indirect=True)
def test_an_ocr_reading_runs_through_the_real_queue(queued_app: Flask) -> None:
    """Upload to reading as in production: the web process queues, a consumer reads."""
    import random
    from io import BytesIO

    from kiosk.demo import demo_id_number
    from kiosk.ocr.samples import id_card
    from kiosk.platform.storage import files
    from kiosk.services.jobs import enqueue_reading as queue_reading
    from kiosk.services.readings import new_reading

    number = demo_id_number(datetime(1950, 5, 6).date(), 3)
    out = BytesIO()
    id_card(random.Random(8), name="林桂兰", number=number).image.save(out, "JPEG")
    with queued_app.app_context():
        stored = files().save(out.getvalue())
        queued: list = []
        original = jobs.read_photo

        def enqueue():
            reading = new_reading(stored, "insured_id_card")  # as an upload does it
            db.session.commit()
            queue_reading(reading.id)
            assert reading.status == ReadingStatus.QUEUED  # not read in the web process
            queued.append(reading.id)
            return original(reading.id)  # the same job again: a second copy must do no harm

        assert run_through_consumer(queued_app, enqueue) == "done"
        reading = db.session.get(OcrReading, queued[0])
        db.session.refresh(reading)
        assert reading.status == ReadingStatus.DONE
        assert reading.fields["id_number"]["value"] == number
        assert reading.attempts == 1
