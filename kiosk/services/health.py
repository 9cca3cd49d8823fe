"""Is this kiosk ready to serve? Each outside part checked in a few milliseconds, answered
as numbers and yes/no only: nothing personal, no addresses, no versions (issue 16)."""

from __future__ import annotations

import secrets
import shutil
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from kiosk.platform.extensions import db, huey
from kiosk.platform.models import OcrReading, ReadingStatus, utcnow
from kiosk.platform.storage import files

HEARTBEAT = "kiosk.worker_heartbeat"  # written by the worker every minute (jobs.heartbeat)
WORKER_SILENT_AFTER = timedelta(minutes=3)
OCR_WAIT_LIMIT = timedelta(minutes=10)  # the oldest reading still waiting, at most
MIN_FREE_BYTES = 500 * 1024 * 1024  # the upload store must have this much room


def beat(now: datetime | None = None) -> None:
    """The worker is alive: note the time in the queue's own store."""
    huey.storage.put_data(HEARTBEAT, (now or utcnow()).isoformat().encode())


def _database() -> dict[str, Any]:
    try:
        db.session.execute(sa.text("SELECT 1"))
        return {"ok": True}
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return {"ok": False}


def _queue() -> dict[str, Any]:
    try:
        return {"ok": True, "waiting": huey.storage.queue_size()}
    except Exception:  # noqa: BLE001  (Redis, SQLite: any failure of the store is "not ready")
        return {"ok": False}


def _uploads() -> dict[str, Any]:
    root = files().root
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".ready-{secrets.token_hex(4)}"
        probe.write_bytes(b"")
        probe.unlink()
        free = shutil.disk_usage(root).free
    except OSError:
        return {"ok": False}
    return {"ok": free >= MIN_FREE_BYTES, "free_mb": free // (1024 * 1024)}


def _worker(now: datetime) -> dict[str, Any]:
    if current_app.config["QUEUE_URL"] == "immediate":
        return {"ok": True, "inline": True}  # jobs run in the web process itself
    try:
        raw = huey.storage.peek_data(HEARTBEAT)
    except Exception:  # noqa: BLE001  (the store's own failure is reported under "queue")
        return {"ok": False}
    if not isinstance(raw, bytes):  # huey's EmptyData: never beaten
        return {"ok": False, "seconds_since": None}
    silent = now - datetime.fromisoformat(raw.decode())
    return {"ok": silent <= WORKER_SILENT_AFTER, "seconds_since": int(silent.total_seconds())}


def _ocr(now: datetime) -> dict[str, Any]:
    try:
        oldest = db.session.scalar(
            sa.select(sa.func.min(OcrReading.queued_at)).where(
                OcrReading.status.in_([ReadingStatus.QUEUED, ReadingStatus.READING])
            )
        )
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return {"ok": False}
    waited = (now - oldest) if oldest else timedelta(0)
    return {"ok": waited <= OCR_WAIT_LIMIT, "oldest_seconds": int(waited.total_seconds())}


def readiness(now: datetime | None = None) -> dict[str, Any]:
    """Every check, and whether all passed."""
    now = now or utcnow()
    checks = {
        "database": _database(),
        "queue": _queue(),
        "uploads": _uploads(),
        "worker": _worker(now),
        "ocr": _ocr(now),
    }
    return {"ready": all(c["ok"] for c in checks.values()), "checks": checks}
