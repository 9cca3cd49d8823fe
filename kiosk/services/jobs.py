"""Background jobs: each takes ids, not objects, is safe to run twice, runs in an app context."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from huey import crontab

from kiosk.claims.calendar import today_in_china
from kiosk.ocr.images import ImageRejected
from kiosk.platform import once
from kiosk.platform.extensions import db, huey
from kiosk.platform.models import Draft, utcnow
from kiosk.platform.queue import task_app
from kiosk.services import dashboard, health, notifications, photos, readings, retention
from kiosk.services.drafts import delete_draft_files

log = logging.getLogger(__name__)


def in_app_context(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with task_app().app_context():
            return func(*args, **kwargs)

    return wrapper


@huey.task(retries=3, retry_delay=60)
@in_app_context
def purge_expired_drafts() -> int:
    """Delete drafts 72 hours after their last answer, with their photos: unfinished ones hold
    personal data nobody sent, and submitted ones have done their job (the claim holds it)."""
    expired = db.session.scalars(sa.select(Draft).where(Draft.expires_at < utcnow())).all()
    for draft in expired:
        delete_draft_files(draft.answers, submitted=draft.claim_id is not None)
        db.session.delete(draft)
    db.session.commit()
    if expired:
        log.info("purged %d expired drafts", len(expired))
    return len(expired)


@huey.periodic_task(crontab(minute="*/15"))
def purge_expired_drafts_every_quarter_hour() -> None:
    """Huey keeps no result for periodic jobs, so the work itself is the task above."""
    purge_expired_drafts.call_local()
    forget_old_form_keys()


@in_app_context
def forget_old_form_keys() -> None:
    """Idempotency keys (kiosk.platform.once) are kept two days: a retry comes within seconds."""
    once.forget_old()


@huey.task(retries=2, retry_delay=5)
@in_app_context
def read_photo(reading_id: int) -> str:
    """OCR of one uploaded photo (kiosk.services.readings.perform): idempotent, retried on a crash.
    Returns the reading's status, so that a caller waiting on the result gets one."""
    return readings.perform(reading_id)


def enqueue_reading(reading_id: int) -> bool:
    """Ask the worker to read it. With the queue down (Redis away, its file locked) the
    reading stays QUEUED in the database, the photo is kept, and the worker's periodic
    re-queue sends it once the queue answers again: False, and a warning in the log."""
    try:
        read_photo(reading_id)
    except Exception as error:  # any queue's failure; the reading itself is not lost
        log.warning("queue unavailable, reading %d left for the re-queue: %r", reading_id, error)
        return False
    return True


@huey.task(retries=2, retry_delay=5)
@in_app_context
def prepare_photo(name: str) -> None:
    """Re-encode one stored upload (kiosk.services.photos); nothing if done or deleted."""
    try:
        photos.prepared(name)
    except FileNotFoundError:
        pass
    except ImageRejected as rejected:  # passed the upload's check, fails a full decode
        log.warning("photo %s cannot be prepared: %s", name, rejected.problem.value)


def enqueue_preparing(names: list[str]) -> None:
    """Ask the worker to prepare these photos; with the queue down they stay as uploaded,
    never shown, and are prepared by whoever first needs them (photos.prepared)."""
    for name in names:
        try:
            prepare_photo(name)
        except Exception as error:
            log.warning("queue unavailable, photo left unprepared: %r", error)


def requeue_interrupted(now: datetime | None = None) -> int:
    """Queue again the readings a stopped worker left queued or half done."""
    stale = readings.interrupted(now or utcnow())
    for reading_id in stale:
        enqueue_reading(reading_id)
    return len(stale)


@huey.periodic_task(crontab(minute="*"))
@in_app_context
def requeue_interrupted_readings() -> None:
    """Every minute: readings a stopped worker left unfinished are queued again."""
    count = requeue_interrupted()
    if count:
        log.info("queued %d interrupted readings again", count)


@huey.periodic_task(crontab(minute="*"))
@in_app_context
def send_notifications() -> None:
    """Every minute: send what waits in the outbox; failures are tried again next minute."""
    counts = notifications.send_pending()
    if any(counts.values()):
        log.info("text messages: %(sent)d sent, %(failed)d failed, %(dead)d given up", counts)


@huey.periodic_task(crontab(minute="*"))
@in_app_context
def heartbeat() -> None:
    """Every minute: /readyz tells a stopped worker by the age of this."""
    health.beat()


@huey.periodic_task(crontab(minute="*"))
@in_app_context
def count_dashboard_figures() -> None:
    """Every minute: the dashboard's figures counted again, if any case moved."""
    for scope in dashboard.scopes():  # the district's, and each branch's its staff see
        dashboard.refresh(today_in_china(), scope=scope)


@huey.periodic_task(crontab(hour="18", minute="30"))  # 02:30 in China
@in_app_context
def count_expired_cases() -> int:
    """Every night: the closed cases past their retention period, for an administrator to
    confirm at 案件清除 (nothing is purged without that)."""
    count = len(retention.expired(today_in_china()))
    if count:
        log.warning("%d closed cases are past their retention period: an admin confirms", count)
    return count


@huey.periodic_task(crontab(hour="1", minute="0"))  # 09:00 in China (huey counts in UTC)
@in_app_context
def queue_progress_notices() -> None:
    """Every morning: a progress message for open cases not told anything for 3 working days."""
    added = notifications.queue_progress_notices(today_in_china())
    log.info("queued %d progress messages", added)
