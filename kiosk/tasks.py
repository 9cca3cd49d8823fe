"""Background jobs: each takes ids, not objects, is safe to run twice, runs in an app context."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from huey import crontab

from .extensions import db, huey
from .models import Draft, utcnow
from .queue import task_app

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
    """Delete drafts 72 hours after their last answer: unfinished ones hold personal data
    nobody sent, and submitted ones have done their job (the claim holds the answers)."""
    result = db.session.execute(sa.delete(Draft).where(Draft.expires_at < utcnow()))
    db.session.commit()
    if result.rowcount:
        log.info("purged %d expired drafts", result.rowcount)
    return result.rowcount


@huey.periodic_task(crontab(minute="*/15"))
def purge_expired_drafts_every_quarter_hour() -> None:
    """Huey keeps no result for periodic jobs, so the work itself is the task above."""
    purge_expired_drafts.call_local()
