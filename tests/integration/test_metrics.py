"""/metrics (issue 16): requests by route and status, latency, the OCR queue, the outbox,
missed deadlines, claims by branch; for this machine only by default; route names, never
paths (a path can hold a token); summed over gunicorn's workers."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from cryptography.fernet import Fernet
from flask import Flask

from kiosk.claims.states import CaseState
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim

ROOT = Path(__file__).resolve().parents[2]


def value(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = rf"^{re.escape(name)}(\{{[^}}]*\}})? (\S+)$"
    for line in text.splitlines():
        found = re.match(pattern, line)
        if found and all(f'{k}="{v}"' in (found.group(1) or "") for k, v in labels.items()):
            return float(found.group(2))
    raise AssertionError(f"no {name}{{{wanted}}} in the metrics")


def test_metrics_count_requests_and_read_the_figures(
    app: Flask, demo: dict[CaseState, int]
) -> None:
    client = app.test_client()
    with app.app_context():
        token = db.session.get_one(Claim, demo[CaseState.SUBMITTED]).tracking_token
        branch = db.session.get_one(Claim, demo[CaseState.SUBMITTED]).branch
    before = client.get("/metrics").text
    seen = (
        value(before, "kiosk_requests_total", route="tracking.case", status="200")
        if ('route="tracking.case"' in before)
        else 0
    )
    assert client.get(f"/t/{token}").status_code == 200
    text = client.get("/metrics").text
    assert value(text, "kiosk_requests_total", route="tracking.case", status="200") == seen + 1
    assert value(text, "kiosk_request_seconds_count", route="tracking.case") >= 1
    assert token not in text  # route names only
    assert value(text, "kiosk_claims_submitted", branch=branch) == len(demo)
    assert value(text, "kiosk_ocr_queue_depth") == 0
    assert value(text, "kiosk_outbox_messages", state="dead") == 0
    assert value(text, "kiosk_sla_overdue_cases") >= 0
    far = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert far.status_code == 404


def test_metrics_are_summed_over_gunicorns_workers(tmp_path: Path) -> None:
    folder = tmp_path / "prometheus"
    folder.mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = os.environ | {
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        "KIOSK_SECRET_KEY": "m" * 40,
        "KIOSK_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "KIOSK_QUEUE_URL": "immediate",
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "KIOSK_LOG_LEVEL": "WARNING",
    }
    env.pop("KIOSK_DATABASE_URL", None)
    bin_ = ROOT / ".venv" / "bin"
    subprocess.run(
        [str(bin_ / "flask"), "--app", "kiosk", "db", "upgrade"],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    server = subprocess.Popen(
        [str(bin_ / "gunicorn"), "kiosk.wsgi:app", "-w", "2", "-b", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{url}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        with ThreadPoolExecutor(8) as pool:  # at once: both workers answer some
            answers = list(
                pool.map(lambda _: requests.get(f"{url}/healthz", timeout=10), range(400))
            )
        assert all(a.status_code == 200 for a in answers)
        assert len(list(folder.glob("counter_*.db"))) == 2  # each worker counted in its file
        for _ in range(4):  # whichever worker answers, it sums both files
            text = requests.get(f"{url}/metrics", timeout=10).text
            assert (
                value(text, "kiosk_requests_total", route="operations.healthz", status="200") == 401
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
