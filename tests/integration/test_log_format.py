"""KIOSK_LOG_FORMAT=json (issue 16): one JSON object a line with the request's id, which
every answer also carries in X-Request-Id (the proxy's own id kept when it looks like one)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from kiosk.platform.config import ConfigError, from_environment
from kiosk.platform.logs import JsonLines, RequestId


def test_every_answer_carries_a_request_id(app: Flask) -> None:
    client = app.test_client()
    made = client.get("/healthz").headers["X-Request-Id"]
    assert len(made) == 32 and int(made, 16) >= 0
    assert client.get("/healthz").headers["X-Request-Id"] != made
    given = {"X-Request-Id": "haproxy-0a1b2c3d"}
    assert client.get("/healthz", headers=given).headers["X-Request-Id"] == "haproxy-0a1b2c3d"
    for forged in ("short", "has spaces in it", "x" * 65, 'quote"-and;semicolon'):
        answered = client.get("/healthz", headers={"X-Request-Id": forged})
        assert answered.headers["X-Request-Id"] != forged


def test_a_json_line_names_the_request(app: Flask) -> None:
    with app.test_request_context("/", headers={"X-Request-Id": "proxy-id-1234"}):
        app.preprocess_request()
        record = logging.LogRecord(
            "kiosk.x", logging.WARNING, __file__, 1, "printer %s", ("off",), None
        )
        RequestId().filter(record)
        line = json.loads(JsonLines().format(record))
    assert line["request_id"] == "proxy-id-1234" and line["message"] == "printer off"
    assert (
        line["level"] == "WARNING" and line["logger"] == "kiosk.x" and line["at"].endswith("+00:00")
    )


def test_a_process_started_with_json_logs_writes_json_lines(tmp_path: Path) -> None:
    env = os.environ | {"KIOSK_DATA_DIR": str(tmp_path), "KIOSK_LOG_FORMAT": "json"}
    env.pop("KIOSK_DATABASE_URL", None)
    code = (
        "import logging; from kiosk import create_app; create_app(migrations=False); "
        "logging.getLogger('kiosk.test').warning('printer %s', 'off')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert {"logger": "kiosk.test", "message": "printer off", "request_id": "-"}.items() <= lines[
        -1
    ].items(), done.stderr


def test_a_wrong_log_format_stops_the_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="KIOSK_LOG_FORMAT"):
        from_environment({"KIOSK_DATA_DIR": str(tmp_path), "KIOSK_LOG_FORMAT": "xml"})
