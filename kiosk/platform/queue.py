"""The background queue (huey): SQLite next to the database by default, Redis at scale,
immediate (inline, in memory) in tests."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from kiosk.platform.extensions import huey

_app: Flask | None = None


def setup_queue(app: Flask) -> None:
    """Point the one huey object at the storage KIOSK_QUEUE_URL names."""
    global _app
    _app = app
    url = app.config["QUEUE_URL"]
    huey._immediate = url == "immediate"
    if huey._immediate:
        huey.storage_class, huey.storage_kwargs = MemoryStorage, {}
    elif url.startswith("sqlite"):
        huey.storage_class = SqliteStorage
        # sqlite:///relative.db or sqlite:////absolute.db, as SQLAlchemy writes them
        huey.storage_kwargs = {"filename": urlsplit(url).path[1:]}
    else:
        huey.storage_class, huey.storage_kwargs = RedisStorage, {"url": url}
    huey.storage = huey.create_storage()
    app.extensions["kiosk.huey"] = huey


def task_app() -> Flask:
    """The app a job runs in (the worker builds it in kiosk.worker)."""
    if _app is None:
        raise RuntimeError("the queue is not set up: create_app() first")
    return _app
