"""The background queue (huey): SQLite next to the database by default, Redis at scale,
immediate (inline, in memory) in tests."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from huey import storage
from huey.storage import MemoryStorage, SqliteStorage

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
        huey.storage_class, huey.storage_kwargs = _redis_storage(), {"url": url}
    huey.storage = huey.create_storage()
    app.extensions["kiosk.huey"] = huey


def task_app() -> Flask:
    """The app a job runs in (the worker builds it in kiosk.worker)."""
    if _app is None:
        raise RuntimeError("the queue is not set up: create_app() first")
    return _app


def _redis_storage() -> type[storage.RedisStorage]:
    """huey's Redis storage, given the redis names its module was imported without
    (kiosk.platform.extensions): the names huey.storage itself imports from redis."""
    import redis
    import redis.exceptions

    if storage.Redis is None:
        storage.ConnectionPool, storage.Redis = redis.ConnectionPool, redis.Redis
        storage.ConnectionError = redis.exceptions.ConnectionError
        storage.TimeoutError = redis.exceptions.TimeoutError
        storage.RedisStorage.redis_client = redis.Redis
    return storage.RedisStorage
