"""The scale path for real (issue 16): HAProxy (deploy/haproxy/kiosk.cfg, TLS) in front of two
gunicorn web processes, two workers (one with the periodic jobs), PostgreSQL and Redis. A
whole claim goes through the proxy; one web process is killed mid-way; nothing is lost."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from cryptography import x509
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.conftest import drop_postgres_schema, new_postgres_schema, postgres_base_url
from tests.integration.test_intake import SELF_MEDICAL

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
CONFIG = ROOT / "deploy" / "haproxy" / "kiosk.cfg"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed(folder: Path) -> Path:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    pem = folder / "kiosk.pem"
    pem.write_bytes(
        cert.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return pem


class Processes:
    def __init__(self, log: Path) -> None:
        self.log = log.open("ab")
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict[str, str]) -> None:
        self.running[name] = subprocess.Popen(
            command, env=env, stdout=self.log, stderr=self.log, start_new_session=True, cwd=ROOT
        )

    def kill(self, name: str) -> None:
        process = self.running.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)

    def stop_all(self) -> None:
        for name in list(self.running):
            process = self.running.pop(name)
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def district(tmp_path: Path) -> Iterator[tuple[str, str, Processes, str]]:
    """(proxy URL, database URL, processes, the proxy's certificate): the whole scale path
    on this machine."""
    if shutil.which("haproxy") is None:
        pytest.fail("haproxy is needed (make installs it)")
    redis = os.environ.get("KIOSK_TEST_REDIS_URL")
    if not redis:
        pytest.skip("the scale path needs KIOSK_TEST_REDIS_URL")
    base = postgres_base_url()
    url, schema = new_postgres_schema(base, "deploy")
    redis_base = redis.rsplit("/", 1)[0]
    proxy_port = free_port()
    env = os.environ | {
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        "KIOSK_DATABASE_URL": url,
        "KIOSK_QUEUE_URL": f"{redis_base}/14",
        "KIOSK_RATELIMIT_STORAGE_URL": f"{redis_base}/13",
        "KIOSK_SECRET_KEY": "deploy-" + "s" * 40,
        "KIOSK_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "KIOSK_LOOKUP_KEY": Fernet.generate_key().decode(),
        "KIOSK_PUBLIC_URL": f"https://127.0.0.1:{proxy_port}",
        "KIOSK_TRUSTED_PROXIES": "127.0.0.1",
        "KIOSK_ENROL_THIS_MACHINE": "1",
        "KIOSK_LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [str(BIN / "flask"), "--app", "kiosk", "db", "upgrade"],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    processes = Processes(tmp_path / "processes.log")
    webs = [free_port(), free_port()]
    try:
        for i, port in enumerate(webs, 1):
            command = [
                str(BIN / "gunicorn"),
                "kiosk.wsgi:app",
                "-w",
                "1",
                "--threads",
                "4",
                "-b",
                f"127.0.0.1:{port}",
            ]
            processes.start(f"web{i}", command, env)
        worker = [str(BIN / "huey_consumer"), "kiosk.worker.huey", "-k", "thread", "-w", "1"]
        processes.start("worker", worker, env)
        processes.start("worker-extra", [*worker, "--no-periodic"], env)
        pem = self_signed(tmp_path)
        proxy_env = env | {
            "KIOSK_HTTPS": f"127.0.0.1:{proxy_port}",
            "KIOSK_TLS_PEM": str(pem),
            "KIOSK_WEB_1": f"127.0.0.1:{webs[0]}",
            "KIOSK_WEB_2": f"127.0.0.1:{webs[1]}",
        }
        checked = subprocess.run(
            ["haproxy", "-c", "-f", str(CONFIG)], env=proxy_env, capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        processes.start("haproxy", ["haproxy", "-db", "-f", str(CONFIG)], proxy_env)
        proxy = f"https://127.0.0.1:{proxy_port}"
        both_up(proxy, webs, str(pem))
        yield proxy, url, processes, str(pem)
    finally:
        processes.stop_all()
        drop_postgres_schema(base, schema)


def both_up(proxy: str, webs: list[int], pem: str) -> None:
    """Until each web process answers, and the proxy does."""
    deadline = time.monotonic() + 90
    for where in [*(f"http://127.0.0.1:{port}" for port in webs), proxy]:
        while True:
            assert time.monotonic() < deadline, f"{where} did not come up"
            try:
                if requests.get(f"{where}/healthz", verify=pem, timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.2)


def answer(session: requests.Session, proxy: str, step: str, data: dict) -> requests.Response:
    page = session.get(f"{proxy}/claim/{step}", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, (step, page.status_code)
    return session.post(
        f"{proxy}/claim/{step}",
        data={"csrf_token": token.group(1), **data},
        headers={"Referer": f"{proxy}/claim/{step}"},  # Flask-WTF checks it over https
        allow_redirects=False,
        timeout=30,
    )


def test_a_claim_through_the_proxy_survives_a_web_process_killed_mid_way(district) -> None:
    proxy, url, processes, pem = district
    tablet = requests.Session()
    tablet.verify = pem  # TLS checked against the proxy's own certificate
    tablet.trust_env = False  # else REQUESTS_CA_BUNDLE would take the place of `verify`
    home = tablet.get(f"{proxy}/", timeout=30)
    assert home.status_code == 200 and "kiosk_device" in tablet.cookies  # enrolled via the proxy
    steps = [*SELF_MEDICAL, ("check", {"consent": "yes"})]
    for number, (step, data) in enumerate(steps):
        if number == 4:
            processes.kill("web1")  # mid-flow: the proxy sends the rest to web2
        try:
            response = answer(tablet, proxy, step, data)
        except requests.ConnectionError:
            # the request that was on its way to web1 when it died: the page says the
            # connection failed and the person taps again, as a browser lets them
            response = answer(tablet, proxy, step, data)
        assert response.status_code == 303, (step, response.status_code)
    done = tablet.get(f"{proxy}/claim/done", timeout=30)
    assert done.status_code == 200 and "报案成功" in done.text
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            claims = connection.execute(sa.text("SELECT count(*) FROM claim")).scalar()
            named = connection.execute(
                sa.text("SELECT name FROM person JOIN claim ON claim.insured_id = person.id")
            ).scalar()
    finally:
        engine.dispose()
    # every answer given before and after the kill, and one claim though a tap was repeated
    assert claims == 1 and named == "陈美华"
    health = tablet.get(f"{proxy}/healthz", timeout=10)
    assert health.headers["Strict-Transport-Security"].startswith("max-age=")
