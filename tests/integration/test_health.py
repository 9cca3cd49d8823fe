"""/healthz and /readyz (issue 16): open, JSON, nothing personal; not ready while the database
or the upload store is gone, or the worker silent, and ready again when they are back."""

from __future__ import annotations

import socket
import threading
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import Flask

from kiosk import create_app
from kiosk.platform.models import utcnow
from kiosk.platform.storage import files
from kiosk.services import health, jobs
from tests.conftest import make_config


def ready(app: Flask) -> tuple[int, dict]:
    response = app.test_client().get("/readyz")
    assert response.headers["Cache-Control"] == "no-store"
    return response.status_code, response.get_json()


def test_healthz_and_readyz_answer_anyone_with_numbers_only(app: Flask) -> None:
    assert app.test_client().get("/healthz").get_json() == {"status": "ok"}
    status, report = ready(app)
    assert status == 200 and report["ready"] is True
    assert set(report["checks"]) == {"database", "queue", "uploads", "worker", "ocr"}
    values = [v for check in report["checks"].values() for v in check.values()]
    assert all(isinstance(v, (bool, int)) or v is None for v in values), values


def test_not_ready_while_the_upload_store_is_gone(app: Flask) -> None:
    with app.app_context():
        root = files().root
    root.mkdir(parents=True, exist_ok=True)
    moved = root.with_name("uploads-away")
    root.rename(moved)
    root.write_text("not a folder")  # the disk's mount gone, something else in its place
    try:
        status, report = ready(app)
        assert status == 503 and report["checks"]["uploads"] == {"ok": False}
    finally:
        root.unlink()
        moved.rename(root)
    assert ready(app)[0] == 200


def test_not_ready_while_the_worker_is_silent(database_url: str, tmp_path: Path) -> None:
    queue = f"sqlite:///{tmp_path / 'queue.db'}"
    app = create_app(make_config(tmp_path, database_url, QUEUE_URL=queue))
    status, report = ready(app)
    assert status == 503 and report["checks"]["worker"] == {"ok": False, "seconds_since": None}
    jobs.heartbeat.call_local()  # what the worker does every minute
    assert ready(app)[0] == 200
    with app.app_context():
        health.beat(utcnow() - timedelta(minutes=5))  # then it stopped
    status, report = ready(app)
    assert status == 503 and report["checks"]["worker"]["seconds_since"] >= 300


class Forwarder:
    """A TCP hop between the app and PostgreSQL that can be cut and restored: the database
    gone, as far as the app can tell, and back."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = threading.Event()
        self.open.set()
        self.pairs: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open.is_set():
                client.close()
                continue
            server = socket.create_connection(self.target)
            self.pairs += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        self.open.clear()
        for s in self.pairs:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.pairs.clear()

    def restore(self) -> None:
        self.open.set()

    def close(self) -> None:
        self.cut()
        self.listener.close()


def test_not_ready_while_the_database_is_gone(database_url: str, tmp_path: Path) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("a database server to cut off: PostgreSQL's run of this test")
    parts = urlsplit(database_url)
    hop = Forwarder((parts.hostname or "127.0.0.1", parts.port or 5432))
    netloc = f"{parts.username}@127.0.0.1:{hop.port}" if parts.username else f"127.0.0.1:{hop.port}"
    url = urlunsplit(parts._replace(netloc=netloc))
    try:
        app = create_app(make_config(tmp_path, url, CHECK_DATABASE_AT_START=False))
        assert ready(app)[0] == 200
        hop.cut()
        status, report = ready(app)
        assert status == 503 and report["checks"]["database"] == {"ok": False}
        assert app.test_client().get("/healthz").status_code == 200  # the process answers
        hop.restore()
        assert ready(app)[0] == 200
    finally:
        hop.close()
