"""Shared fixtures: `app`, `client`, `runner` on SQLite and PostgreSQL, a live server, a browser.

Every test that uses `app` runs once per database: SQLite always, PostgreSQL when
KIOSK_TEST_POSTGRES_URL is set (in CI it must be: a missing variable fails there).
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Collection, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from flask import Flask
from werkzeug.serving import make_server

from kiosk import create_app
from kiosk.platform.config import Config
from kiosk.platform.extensions import db

POSTGRES_URL_VARIABLE = "KIOSK_TEST_POSTGRES_URL"
TEST_KEY = Fernet.generate_key().decode()


def postgres_base_url() -> str:
    """The PostgreSQL URL for tests, or a skip (a failure in CI) when it is not set."""
    url = os.environ.get(POSTGRES_URL_VARIABLE, "")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    if os.environ.get("CI"):
        pytest.fail(f"{POSTGRES_URL_VARIABLE} is not set: CI must run the PostgreSQL tests")
    pytest.skip(
        f"PostgreSQL tests need {POSTGRES_URL_VARIABLE} (e.g. postgresql://postgres@127.0.0.1:5432/test)"
    )


def new_postgres_schema(base_url: str, prefix: str) -> tuple[str, str]:
    """A fresh schema of our own inside the shared test database; returns (url, schema)."""
    schema = f"{prefix}_{secrets.token_hex(4)}"
    engine = sa.create_engine(base_url)
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options=-csearch_path%3D{schema}", schema


def drop_postgres_schema(base_url: str, schema: str) -> None:
    engine = sa.create_engine(base_url)
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An empty database for this test session, migrated to head once."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'kiosk.db'}"
        schema = None
    else:
        base = postgres_base_url()
        url, schema = new_postgres_schema(base, "kiosk_test")
    app = create_app(make_config(tmp_path_factory.mktemp("data"), url))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    yield url
    if schema:
        drop_postgres_schema(postgres_base_url(), schema)


def make_config(data_dir: Path, database_url: str, **overrides: object) -> Config:
    values: dict[str, object] = dict(
        DATA_DIR=data_dir,
        DATABASE_URL=database_url,
        SECRET_KEY="test-" + "s" * 40,
        ENCRYPTION_KEYS=(TEST_KEY,),
        QUEUE_URL="immediate",
        TESTING=True,
        ENROL_THIS_MACHINE=True,  # the tests' browsers are this machine's; tests/integration/test_devices.py turns it off
        PASSWORD_HASH_COST="test",  # 0.3 ms a hash instead of 0.8 s; the standard cost is tested apart
    )
    values.update(overrides)
    return Config(**values)


def empty_all_tables(names: Collection[str] = ()) -> None:
    """Deletes every row of the named tables (all tables by default), the append-only audit
    log's too: its guard is lifted for this one transaction (PostgreSQL: triggers off for
    this session; SQLite: the triggers dropped and made again from their own SQL).
    `test_audit_log_is_append_only` proves the guard is back."""
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
            guards = []
        else:
            guards = connection.execute(
                sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            ).all()
            for name, _sql in guards:
                connection.execute(sa.text(f'DROP TRIGGER "{name}"'))
        for table in reversed(db.metadata.sorted_tables):
            if not names or table.name in names:
                connection.execute(table.delete())
        for _name, sql in guards:
            connection.execute(sa.text(sql))


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app on a migrated database, emptied after each test. No app context is held
    open, so each test-client request gets its own `g`, as in production; use
    `with app.app_context():` to reach the database directly."""
    app = create_app(make_config(tmp_path, database_url))
    with app.app_context():
        empty_all_tables()  # the browser tests' live server shares this database
        db.engine.dispose()
    yield app
    with app.app_context():
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask):
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The kiosk served over real HTTP on a free port, for the browser tests."""
    app = create_app(make_config(tmp_path_factory.mktemp("live"), database_url))
    server = LiveServer(app).start()
    yield server
    server.stop()
    with app.app_context():
        db.engine.dispose()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `one_database` run once, on SQLite: they check what OCR reads from a
    photo, which is the same on every database (and takes seconds a reading)."""
    once, twice = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        on_postgres = params is not None and params.params.get("database_url") == "postgresql"
        (twice if on_postgres and item.get_closest_marker("one_database") else once).append(item)
    if twice:
        config.hook.pytest_deselected(items=twice)
        items[:] = once
