"""The rate limits when their shared store (Redis) is down: counted in memory, never a 500."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from kiosk import create_app
from kiosk.platform.extensions import limiter
from tests.conftest import make_config

NOBODY_LISTENS = "redis://127.0.0.1:9/0"  # the discard port: connection refused


@pytest.fixture
def app_without_redis(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    if not database_url.startswith("sqlite"):
        pytest.skip("the limits' store is under test here, not the database")
    yield create_app(make_config(tmp_path, database_url, RATELIMIT_STORAGE_URL=NOBODY_LISTENS))
    # Flask-Limiter keeps "the store is down" on its one module-level object; the next app
    # made in this process has a working store and must not inherit the fallback's counts.
    limiter._storage_dead = False


def test_staff_can_log_in_while_the_limit_store_is_down(
    app_without_redis: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = app_without_redis.test_client()

    def attempt(password: str) -> int:
        page = BeautifulSoup(client.get("/staff/login").data, "html.parser")
        token = page.select_one("input[name=csrf_token]")["value"]
        form = {"csrf_token": token, "username": "nobody", "password": password}
        return client.post("/staff/login", data=form).status_code

    with caplog.at_level(logging.WARNING):
        statuses = [attempt(f"wrong password {n}") for n in range(31)]
    assert statuses[:30] == [200] * 30  # the form again, with its message: no 500
    assert statuses[30] == 429  # and the limit still holds, counted in memory
    assert "falling back to in-memory" in caplog.text
