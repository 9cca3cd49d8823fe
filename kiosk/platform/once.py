"""Idempotent forms: every form that writes carries a random key (the hidden field `once`,
made when the form is drawn). The key's row commits in the same transaction as the work, so
the same form posted N times at once (a double tap, a reload, a retry on a bad line) does
its work once, and every post gets the same answer.

The database decides: two posts racing both insert the key; one commits, the other fails on
the primary key (or on the row it would have doubled) and answers as the winner did."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TypeVar

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import FileStorage, MultiDict

from kiosk.platform.database import rows_changed
from kiosk.platform.extensions import db
from kiosk.platform.models import SubmittedForm, utcnow

FIELD = "once"
KEPT = timedelta(days=2)  # a retry comes within seconds; a back button within hours
_VALID = re.compile(r"[A-Za-z0-9_-]{16,32}")

T = TypeVar("T")


def field() -> Markup:
    """The hidden input a form carries (a Jinja global: `{{ once_field() }}`)."""
    return Markup('<input type="hidden" name="%s" value="%s">') % (FIELD, secrets.token_urlsafe(18))


def key_of(
    form: MultiDict[str, str], scope: str, uploads: Iterable[FileStorage] = ()
) -> str | None:
    """The key of this form within `scope` (the action and its object), or None when it has
    none. What was sent is part of it: the same key with other answers or other photos (an
    old page brought back, then filled in again) is a new request, never a replay."""
    value = form.get(FIELD) or ""
    if not _VALID.fullmatch(value):
        return None
    sent = hashlib.sha256()
    for name in sorted(set(form.keys()) - {FIELD, "csrf_token"}):
        for item in form.getlist(name):
            sent.update(f"{name}={item}\0".encode())
    for upload in uploads:
        sent.update(hashlib.sha256(upload.stream.read()).digest())
        upload.stream.seek(0)
    return f"{scope}:{value}:{sent.hexdigest()[:32]}"


def done_before(key: str) -> bool:
    return db.session.get(SubmittedForm, key, populate_existing=True) is not None


def run(
    key: str | None,
    work: Callable[[], T],
    replay: Callable[[], T],
    *,
    lost: tuple[type[Exception], ...] = (),
) -> T:
    """Do `work` once for this key and return what it returns; a form done before gets
    `replay()` instead (the same answer, from what the database holds now). `work` commits,
    and the key is added to its transaction first; work that commits nothing (it refused
    the input) leaves no key, so the corrected form can be sent again. A post that loses the
    race (a unique row, the version check, SQLite's write lock, or one of `lost`) replays the
    winner; if no winner committed the key, the error stands."""
    if key is None:
        return work()
    if done_before(key):
        return replay()
    record = SubmittedForm(key=key)
    db.session.add(record)
    try:
        result = work()
    except (IntegrityError, OperationalError, StaleDataError, *lost):  # type: ignore[misc]  # mypy cannot read a starred tuple of exception types
        db.session.rollback()
        if done_before(key):
            return replay()
        raise
    except BaseException:
        db.session.rollback()
        raise
    if record in db.session.new:  # nothing was committed
        db.session.expunge(record)
    return result


def forget_old() -> int:
    """Delete keys older than KEPT (a periodic job)."""
    forgotten = rows_changed(sa.delete(SubmittedForm).where(SubmittedForm.at < utcnow() - KEPT))
    db.session.commit()
    return forgotten
