"""Requests a second of four pages against a bare Flask page, on the same two cores.

    .venv/bin/python bench/throughput.py [--seconds 10] [--rounds 3]

Starts the kiosk (SQLite in a fresh data folder, migrated, the demo data seeded) and the
reference (bench/reference/app.py: one small Jinja template) each under
`gunicorn -w 2 --threads 4` with -OO (as deployed), then drives them with wrk (Debian's
package: apt-get install wrk) in turn, reference then page, for --rounds interleaved rounds
of --seconds each: the tracking page /t/<token>, the kiosk home /, an intake step
/claim/who with a draft, and the staff work queue logged in. Prints each round's
requests/s and the ratio to the reference measured just before it, each web worker's
resident memory after the rounds, then the median ratios; last line exactly
`tracking_ratio=T home_ratio=H intake_ratio=I staff_ratio=S` (issue 14's goals: 0.5, 0.5,
0.35, 0.25).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

from cryptography.fernet import Fernet

from kiosk.cli import WEB_PROCESS_ENVIRONMENT
from kiosk.demo import DEMO_STAFF_PASSWORD, tracking_tokens

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# At most 4 connections a worker: wrk's 8 are then held 4 and 4. Without the cap, the worker
# that woke first often took 6 or 7 of them, and one figure swung by a factor of two from
# one run to the next (for the bare page as much as for the kiosk's).
GUNICORN = [
    "--workers=2",
    "--threads=4",
    "--worker-class=gthread",
    "--worker-connections=4",
    "--keep-alive=75",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app: str, env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [str(BIN / "gunicorn"), app, f"--bind=127.0.0.1:{port}", *GUNICORN]
    process = subprocess.Popen(
        command,
        env=env | WEB_PROCESS_ENVIRONMENT,  # both as the kiosk's web processes run
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, port
        except OSError:
            time.sleep(0.2)  # waiting for the server to listen
    sys.exit(f"{app} did not listen within 90 s")


class Browser:
    """One cookie jar over http.client: enough to log in and to start a draft."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, SimpleCookie()

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> str:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": self.cookie()}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        text = response.read().decode()
        connection.close()
        return text

    def cookie(self) -> str:
        return "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())

    def post_form(self, path: str, form: dict[str, str]) -> None:
        page = self.request("GET", path)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert token, f"no CSRF token on {path}"
        self.request("POST", path, form | {"csrf_token": token.group(1)})


def worker_rss_mb(master: int) -> list[float]:
    """The resident memory of each gunicorn worker (the master's children), in MB."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        found = re.search(r"VmRSS:\s+(\d+) kB", status)
        assert found, status
        sizes.append(int(found.group(1)) / 1024)
    return sizes


def answer_status(port: int, path: str, cookie: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Cookie": cookie})
    status = connection.getresponse().status
    connection.close()
    return status


GZIP = False  # --gzip


def wrk(port: int, path: str, seconds: int, cookie: str = "") -> float:
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", f"http://127.0.0.1:{port}{path}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if GZIP:
        command += ["-H", "Accept-Encoding: gzip"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    found = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    if non_2xx:
        sys.exit(f"{path}: {non_2xx.group(1)} answers were errors\n{done.stdout}")
    assert found, done.stdout
    return float(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--gzip", action="store_true", help="ask for compressed pages, as browsers do"
    )
    args = parser.parse_args()
    global GZIP
    GZIP = args.gzip
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    data = Path(tempfile.mkdtemp(prefix="throughput-"))
    env = os.environ | {
        "KIOSK_DATA_DIR": str(data),
        "KIOSK_LOG_LEVEL": "WARNING",
        "KIOSK_SECRET_KEY": secrets.token_urlsafe(32),
        "KIOSK_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "KIOSK_QUEUE_URL": "immediate",
        "KIOSK_ENROL_THIS_MACHINE": "1",  # the tablet wrk plays is enrolled once, below
        "PYTHONPATH": str(ROOT),
    }
    flask = [str(BIN / "flask"), "--app", "kiosk"]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
    seeded = subprocess.run(
        [*flask, "demo", "seed"], env=env, check=True, capture_output=True, text=True
    ).stdout
    token = tracking_tokens(seeded)[0]
    servers = []
    try:
        kiosk, kiosk_port = serve("kiosk.wsgi:app", env, ROOT)
        reference, reference_port = serve("app:app", env, ROOT / "bench/reference")
        servers = [kiosk, reference]
        tablet, drafting, staff = Browser(kiosk_port), Browser(kiosk_port), Browser(kiosk_port)
        tablet.request(
            "GET", "/"
        )  # its device credential, sent with every request of the home page
        drafting.post_form("/claim/who", {"who": "self"})
        staff.post_form(
            "/staff/login", {"username": "demo-handler", "password": DEMO_STAFF_PASSWORD}
        )
        pages = {
            "tracking": (f"/t/{token}", ""),
            "home": ("/", tablet.cookie()),
            "intake": ("/claim/who", drafting.cookie()),
            "staff": ("/staff/queue", staff.cookie()),
        }
        for name, (path, cookie) in pages.items():  # each a whole page, not a redirect
            status = answer_status(kiosk_port, path, cookie)
            if status != 200:
                sys.exit(f"{name}: GET {path} answered {status}")
            wrk(kiosk_port, path, 2, cookie)  # warm: templates compiled, connections open
        wrk(reference_port, "/", 2)
        ratios: dict[str, list[float]] = {name: [] for name in pages}
        for number in range(1, args.rounds + 1):
            for name, (path, cookie) in pages.items():
                bare = wrk(reference_port, "/", args.seconds)
                page = wrk(kiosk_port, path, args.seconds, cookie)
                ratios[name].append(page / bare)
                print(
                    f"round {number} {name:<9} {page:8.1f}/s  bare {bare:8.1f}/s"
                    f"  ratio {page / bare:.3f}"
                )
        for name, process in (("kiosk", kiosk), ("reference", reference)):
            sizes = ", ".join(f"{mb:.0f}" for mb in worker_rss_mb(process.pid))
            print(f"{name} web workers after the rounds: {sizes} MB resident")
    finally:
        for process in servers:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)
    medians = {name: statistics.median(values) for name, values in ratios.items()}
    print(" ".join(f"{name}_ratio={value:.3f}" for name, value in medians.items()))


if __name__ == "__main__":
    main()
