"""Load on the real server: kiosks doing whole intakes and the families' tracking look-ups at
once, over HTTP, against gunicorn on PostgreSQL and Redis (the README's scale path).

    .venv/bin/python bench/load.py [--kiosks 100] [--lookups-per-second 300] [--seconds 60]
        [--workers 4] [--threads 4] [--redis-url redis://127.0.0.1:6379/14]

PostgreSQL is KIOSK_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test):
a fresh schema of its own, migrated (`flask --app kiosk db upgrade`), given the demo data
(`flask --app kiosk demo seed`, whose tracking URLs the look-ups use), and dropped at the
end. The queue and the rate limits are in Redis (--redis-url, its keys made by the run are
deleted at the end). The server is `gunicorn kiosk.wsgi:app --workers 4 --threads 4` on
127.0.0.1 and a free port, with generated KIOSK_SECRET_KEY and KIOSK_ENCRYPTION_KEY, run
from a copy of kiosk/ and migrations/ taken at the start (PYTHONPATH), so that edits to the
work tree during the run do not reach it; the commit and the uncommitted files are printed.

Each simulated kiosk is one tablet: people one after another, each doing a whole intake
(types in turn: medical, hospital allowance, disability, death, transport death), the
identity typed, not photographed (no OCR worker is needed), no document photos: the GET of
each step's page, a pause (--pause, 2 s) as the person reads and answers, the POST of the
answer with the form's CSRF token, on to the step the redirect names, to 提交 on the check
page and the 报案成功 page with its case number. An intake still going at the end is
dropped. Look-ups are `GET /t/<token>` over the demo claims, sent open-loop: each at its
time on a fixed schedule, whatever the server does, its latency counted from that time, so
a server that falls behind shows as latency, not as a lower rate. No rate limit is touched:
the tracking page itself has none (only the case-number look-up, uploads and feedback forms
do), so the benchmark sets none.

The load generator keeps its CPU small: plain http.client, keep-alive connections, and it
runs at a lower priority (--nice, 5) than the server, which it starts before lowering its
own. It prints the CPU seconds it used beside the server's and PostgreSQL's, the look-up
rate achieved and how late its scheduler sent (a generator short of CPU sends late).

With --photos each person also photographs one document at the documents step (a JPEG of
about 1 MB, 2000 x 1500, drawn per kiosk; its reading is queued, and no worker reads it);
--jitter 0.5 lets each pause vary by half, so that the kiosks, which all start within one
pause, do not stay in step and all submit within the same two seconds.

Prints, per request type (step GET, step POST, upload, submit, done GET, lookup), the count, p50,
p95 and p99 in milliseconds and the errors (an answer that is not 2xx/3xx, or no answer), as
the generator saw them (on these two cores it shares the CPU with the server, and a request
waits in gunicorn for a free thread); then the same requests by route as the server's own
histogram (/metrics) measured them, from its first hook to its last; then the intakes
finished, the achieved look-up rate, CPU use, what the server logged as errors; last `kiosks=N lookups_per_s=M errors=E p99_ms=P` (P over all requests).
"""

from __future__ import annotations

import argparse
import http.client
import io
import math
import os
import queue
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.claims.calendar import today_in_china  # noqa: E402
from kiosk.claims.validation import luhn_ok  # noqa: E402
from kiosk.cli import WEB_PROCESS_ENVIRONMENT  # noqa: E402
from kiosk.demo import demo_id_number, tracking_tokens  # noqa: E402
from tests.conftest import drop_postgres_schema as _drop_schema  # noqa: E402
from tests.conftest import new_postgres_schema as _new_schema  # noqa: E402

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
TOKEN = re.compile(rb'name="csrf_token" value="([^"]+)"')
PHOTO_FORM = re.compile(rb'action="(/claim/documents/[a-z_]+/photos)"')
CASE_NUMBER = re.compile(rb'data-qa="case-number">\s*([^<]+?)\s*<')
TYPES = ["medical", "hospital_allowance", "disability", "death", "transport_death"]
ACCOUNT = next(
    f"622848000000000{n:04d}" for n in range(10000) if luhn_ok(f"622848000000000{n:04d}")
)
BIN = Path(sys.executable).parent


# --- one browser over HTTP ---------------------------------------------------------------


@dataclass
class Answer:
    status: int
    location: str
    body: bytes


class Http:
    """One browser: a keep-alive connection and its cookies, on plain http.client (cheap on
    the CPU, so the generator leaves the cores to the server). A connection idle for longer
    than IDLE_CLOSE is closed before the next request, as gunicorn closes it after 2 s: a
    request never races the server's own close."""

    IDLE_CLOSE = 1.5

    def __init__(self, base: str, timeout: float = 60.0) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self._connection: http.client.HTTPConnection | None = None
        self._last = 0.0

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        photo: bytes | None = None,
    ) -> Answer:
        if self._connection is not None and time.monotonic() - self._last > self.IDLE_CLOSE:
            self.close()
        if self._connection is None:
            self._connection = http.client.HTTPConnection(
                self.host, self.port, timeout=self.timeout
            )
        headers = {"Accept-Language": "zh-CN"}
        body = None
        if photo is not None:
            body, headers["Content-Type"] = multipart(form or {}, photo)
        elif form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self._connection.request(method, path, body, headers)
            response = self._connection.getresponse()
            data = response.read()
        except BaseException:
            self.close()
            raise
        self._last = time.monotonic()
        for header in response.headers.get_all("Set-Cookie") or []:
            self._remember(header)
        if response.will_close:
            self.close()
        return Answer(response.status, response.getheader("Location", ""), data)

    def _remember(self, header: str) -> None:
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            gone = morsel["max-age"] == "0" or "1970" in morsel["expires"] or not morsel.value
            if gone:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def multipart(form: dict[str, str], photo: bytes) -> tuple[bytes, str]:
    """A form with one JPEG as its `photo` field, as a tablet's browser sends it."""
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in form.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="photo.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + photo
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def tablet_photo(seed: int) -> bytes:
    """A JPEG the size of a tablet's photo of a receipt (2000 x 1500, about 1 MB): paper with
    lines of print and noise, different for every kiosk so no two drafts share a photo."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    image = Image.effect_noise((2000, 1500), 24).convert("RGB")
    draw = ImageDraw.Draw(image)
    for y in range(120, 1400, 60):
        draw.rectangle((150, y, 150 + rng.randrange(600, 1700), y + 18), fill=(40, 40, 40))
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def step_of(location: str) -> str:
    """The intake step a redirect names: /claim/phone -> phone; "" if none."""
    path = urlsplit(location).path
    return path.removeprefix("/claim/") if path.startswith("/claim/") else ""


def answers_for(claim_type: str, n: int) -> dict[str, dict[str, str]]:
    """What one person answers at each step, typed identity and no photos; ends with check."""
    today = today_in_china()
    accident = today - timedelta(days=3)
    steps = {
        "who": {"who": "self"},
        "identity": {"id_number": demo_id_number(date(1948, 3, 1), n % 1000), "name": "陈美华"},
        "phone": {"phone": "13812345678"},
        "claim_type": {"claim_type": claim_type},
        "transport": {"transport_mode": "road"},
        "accident_date": {"day": accident.isoformat()},
        "admission_date": {"day": accident.isoformat()},
        "discharge_date": {"day": today.isoformat()},
        "outcome_date": {"day": today.isoformat()},
        "place": {"place": "home", "cause": "fall", "description": f"下楼梯时摔倒 {n}"},
        "documents": {},
        "payment": {"bank": "abc", "holder": "陈美华", "account": ACCOUNT},
        "check": {"consent": "yes"},
    }
    return steps


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psycopg_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1]


def new_postgres_schema(base_url: str, prefix: str) -> tuple[str, str]:
    """A fresh schema in the shared database, made as the tests make theirs: (url, schema)."""
    return _new_schema(psycopg_url(base_url), prefix)


def drop_postgres_schema(base_url: str, schema: str) -> None:
    _drop_schema(psycopg_url(base_url), schema)


def snapshot_code(folder: Path) -> Path:
    """A copy of the work tree's kiosk/ and migrations/ (translations compiled in), for the
    server to run: others editing the tree meanwhile change neither the code under test nor
    the code a restarted server loads. Returns the folder, to be PYTHONPATH and cwd."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("kiosk", "migrations"):
        shutil.copytree(ROOT / name, folder / name, ignore=ignore)
    return folder


def code_version() -> str:
    """The commit the snapshot was taken at, and how many files differed from it."""
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "kiosk", "migrations"],
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    return f"{head or 'unknown'} + {len(changed)} uncommitted files in kiosk/ and migrations/"


def kiosk_environment(data_dir: Path, code: Path, port: int, **settings: str) -> dict[str, str]:
    """The process environment: the snapshot of the code first on the path, no KIOSK_* of
    the caller's, these settings instead."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(
        PYTHONPATH=str(code),
        KIOSK_DATA_DIR=str(data_dir),
        KIOSK_SECRET_KEY=secrets.token_hex(32),
        KIOSK_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        KIOSK_PUBLIC_URL=f"http://127.0.0.1:{port}",
        # each simulated tablet is enrolled by its first page, as on the kiosk's own machine
        KIOSK_ENROL_THIS_MACHINE="1",
    )
    env.update({f"KIOSK_{name.upper()}": value for name, value in settings.items()})
    return env


def flask_command(env: dict[str, str], *args: str) -> str:
    """`flask --app kiosk ARGS`; its standard output (a failure shows its own output)."""
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "kiosk", *args],
        env=env,
        cwd=env["PYTHONPATH"],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


class Server:
    """gunicorn with the kiosk's wsgi app, in a process group of its own (killable whole)."""

    def __init__(self, env: dict[str, str], port: int, workers: int, threads: int, log: Path):
        self.env, self.port, self.workers, self.threads, self.log = env, port, workers, threads, log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90.0) -> float:
        """Start and wait until the home page answers; returns the seconds that took."""
        started = time.monotonic()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "kiosk.wsgi:app",
                    "--workers",
                    str(self.workers),
                    "--threads",
                    str(self.threads),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                ],
                env=self.env | WEB_PROCESS_ENVIRONMENT,  # -OO, as deployed
                cwd=self.env["PYTHONPATH"],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/")
                if connection.getresponse().status == 200:
                    connection.close()
                    return time.monotonic() - started
            except OSError:
                time.sleep(0.05)
        self.kill()
        sys.exit(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def pids(self) -> list[int]:
        """The master and its workers."""
        if self.process is None:
            return []
        master = self.process.pid
        return [master] + [pid for pid, parent in parents().items() if parent == master]

    def kill(self) -> None:
        """SIGKILL to the whole process group: master and workers die at once. Returns when
        every one of them is gone (the workers are reaped by init, not by us), so that the
        next start finds the port free."""
        if self.process is None:
            return
        group = self.process.pid
        if self.process.poll() is None:
            os.killpg(group, signal.SIGKILL)
        self.process.wait()
        until = time.monotonic() + 10
        while time.monotonic() < until:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def log_problems(log: Path) -> tuple[int, Counter[str]]:
    """(tracebacks, Counter of the distinct error lines) in a server log: each traceback
    counted by its last line (the exception), and gunicorn's own error and critical lines."""
    lines = log.read_text(errors="replace").splitlines()
    problems: Counter[str] = Counter()
    tracebacks = 0
    in_trace = False
    for line in lines:
        if line.startswith("Traceback"):
            tracebacks += 1
            in_trace = True
            continue
        if in_trace:
            if line and not line.startswith((" ", "\t")) and not line.startswith("During"):
                problems[f"traceback: {line[:300]}"] += 1
                in_trace = False
            continue
        if re.search(r"\[(ERROR|CRITICAL)\]| ERROR | CRITICAL |WORKER TIMEOUT", line):
            problems[re.sub(r"^\S+ \S+ ", "", line)[:300]] += 1
    return tracebacks, problems


# --- CPU accounting from /proc ---------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def parents() -> dict[int, int]:
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            found[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def pids_named(name: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if Path(f"/proc/{entry}/comm").read_text().strip() == name:
                    found.append(int(entry))
            except OSError:
                continue
    return found


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


# --- the load ------------------------------------------------------------------------------


class Record:
    """Latencies (ms) and errors per request type, from many threads."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.why: Counter[str] = Counter()
        self.lock = threading.Lock()

    def add(self, kind: str, ms: float, error: str | None = None) -> None:
        with self.lock:
            self.times[kind].append(ms)
            if error:
                self.errors[kind] += 1
                self.why[f"{kind}: {error}"] += 1


def timed(record: Record, kind: str, browser: Http, method: str, path: str, form=None, photo=None):
    """The request, its time recorded under `kind`; None when it got no answer."""
    started = time.perf_counter()
    try:
        answer = browser.request(method, path, form, photo)
    except (OSError, http.client.HTTPException) as exc:
        record.add(kind, (time.perf_counter() - started) * 1000, type(exc).__name__)
        return None
    error = f"HTTP {answer.status}" if answer.status >= 400 else None
    record.add(kind, (time.perf_counter() - started) * 1000, error)
    return answer


@dataclass
class Intakes:
    """How the kiosks' intakes ended: submitted, still going at the end, or failed (why)."""

    ended: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def end(self, how: str, why: str = "") -> None:
        with self.lock:
            self.ended[how] += 1
            if why:
                self.failed[why] += 1


def kiosk(
    number: int,
    base: str,
    deadline: float,
    pause: float,
    record: Record,
    intakes: Intakes,
    photo: bytes | None = None,
    jitter: float = 0.0,
) -> None:
    """One tablet: people one after another, each through a whole intake, until the end;
    with `photo`, each person photographs one document at the documents step."""
    browser = Http(base)
    rng = random.Random(number)
    n = number * 1000

    def wait(seconds: float) -> bool:
        """The person reads and taps; False when the benchmark ends meanwhile."""
        seconds *= 1 + jitter * rng.uniform(-1, 1)
        left = deadline - time.monotonic()
        time.sleep(max(0.0, min(seconds, left)))
        return seconds < left

    if not wait(rng.uniform(0, pause)):  # the tablets do not all start on the same second
        return
    while time.monotonic() < deadline:
        browser.cookies.clear()  # a new person: the last one's session was cleared
        answers = answers_for(TYPES[n % len(TYPES)], n)
        n += 1
        step = "who"
        while True:
            if time.monotonic() >= deadline:
                intakes.end("dropped")
                break
            shown = timed(record, "step GET", browser, "GET", f"/claim/{step}")
            if shown is None or shown.status != 200:
                intakes.end("failed", f"GET {step}: {shown.status if shown else 'no answer'}")
                break
            token = TOKEN.search(shown.body)
            if token is None:
                intakes.end("failed", f"GET {step}: no CSRF token")
                break
            if not wait(pause):
                intakes.end("dropped")
                break
            upload = PHOTO_FORM.search(shown.body) if photo and step == "documents" else None
            if upload is not None:
                action, field = upload.group(1).decode(), {"csrf_token": token.group(1).decode()}
                sent = timed(record, "upload", browser, "POST", action, field, photo)
                if sent is None or sent.status != 303:
                    intakes.end("failed", f"upload: {sent.status if sent else 'no answer'}")
                    break
                if not wait(pause):
                    intakes.end("dropped")
                    break
            kind = "submit" if step == "check" else "step POST"
            form = {"csrf_token": token.group(1).decode(), **answers[step]}
            answered = timed(record, kind, browser, "POST", f"/claim/{step}", form)
            if answered is None or answered.status != 303:
                status = answered.status if answered else "no answer"
                intakes.end("failed", f"POST {step}: {status}")
                break
            following = step_of(answered.location)
            if step == "check":
                done = timed(record, "done GET", browser, "GET", "/claim/done")
                if done is not None and done.status == 200 and CASE_NUMBER.search(done.body):
                    intakes.end("done")
                else:
                    intakes.end("failed", f"done: {done.status if done else 'no answer'}")
                break
            if following not in answers:
                intakes.end("failed", f"POST {step}: went to {answered.location!r}")
                break
            step = following
        if not wait(pause):  # the next person steps up
            return


class Lookups:
    """Tracking look-ups on a fixed schedule (open loop), sent by a pool of connections."""

    def __init__(self, base: str, tokens: list[str], rate: float, connections: int) -> None:
        self.base, self.tokens, self.rate = base, tokens, rate
        self.connections = connections
        self.jobs: queue.SimpleQueue[tuple[float, str] | None] = queue.SimpleQueue()
        self.wire: list[float] = []  # ms from the send to the answer
        self.late: list[float] = []  # ms the scheduler handed a look-up on after its time
        self.scheduled = 0
        self.answered = 0
        self.answered_in_window = 0
        self.lock = threading.Lock()
        self.frozen = False
        self.end = 0.0
        self.threads: list[threading.Thread] = []

    def run(self, start: float, end: float, record: Record) -> None:
        self.end = end
        for _ in range(self.connections):
            thread = threading.Thread(target=self._send, args=(record,), daemon=True)
            thread.start()
            self.threads.append(thread)
        i = 0
        while True:
            at = start + i / self.rate
            if at >= end:
                break
            now = time.monotonic()
            if at > now:
                time.sleep(at - now)
            self.jobs.put((at, self.tokens[i % len(self.tokens)]))
            self.late.append((time.monotonic() - at) * 1000)
            i += 1
        self.scheduled = i
        for _ in self.threads:
            self.jobs.put(None)

    def _send(self, record: Record) -> None:
        browser = Http(self.base)
        while (job := self.jobs.get()) is not None:
            at, token = job
            sent = time.monotonic()
            try:
                answer = browser.request("GET", f"/t/{token}")
                error = f"HTTP {answer.status}" if answer.status >= 400 else None
            except (OSError, http.client.HTTPException) as exc:
                error = type(exc).__name__
            now = time.monotonic()
            with self.lock:
                if self.frozen:
                    return
                self.wire.append((now - sent) * 1000)
                record.add("lookup", (now - at) * 1000, error)
                self.answered += 1
                self.answered_in_window += now <= self.end

    def finish(self, timeout: float, record: Record) -> tuple[int, int]:
        """Wait up to `timeout` for the look-ups still out, then count the rest as errors
        (their latency: at least the time waited). Returns (never sent, sent but unanswered)."""
        until = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, until - time.monotonic()))
        never_sent = 0
        with self.lock:
            self.frozen = True
            while True:
                try:
                    never_sent += self.jobs.get_nowait() is not None
                except queue.Empty:
                    break
            missing = self.scheduled - self.answered
            waited = (time.monotonic() - self.end) * 1000
            for _ in range(missing):
                record.add("lookup", waited, f"not answered {timeout:g} s after the end")
        return never_sent, missing - never_sent


Buckets = list[tuple[float, float]]  # (upper bound in seconds, requests at or under it)
BUCKET = re.compile(r"^kiosk_request_seconds_bucket\{([^}]*)\} (\S+)$")


def served_seconds(base: str, since: dict[str, Buckets] | None = None) -> dict[str, Buckets]:
    """Each route's latency histogram as the server's workers measured it (/metrics, which
    answers this machine), less the counts of `since`; routes with no request left out."""
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=60)
    connection.request("GET", "/metrics")
    text = connection.getresponse().read().decode()
    connection.close()
    routes: dict[str, dict[float, float]] = {}
    for line in text.splitlines():
        if found := BUCKET.match(line):
            labels = dict(re.findall(r'(\w+)="([^"]*)"', found.group(1)))
            bound = math.inf if labels["le"] == "+Inf" else float(labels["le"])
            routes.setdefault(labels["route"], {})[bound] = float(found.group(2))
    histograms = {}
    for route, counts in routes.items():
        before = dict((since or {}).get(route, []))
        buckets = sorted((bound, count - before.get(bound, 0.0)) for bound, count in counts.items())
        if buckets[-1][1] > 0:
            histograms[route] = buckets
    return histograms


def histogram_percentile(buckets: Buckets, p: float) -> float:
    """The p-th percentile, read off the cumulative buckets as Prometheus's
    histogram_quantile does (linear within a bucket; the last finite bound if beyond it)."""
    wanted = buckets[-1][1] * p / 100
    lower_bound, lower_count = 0.0, 0.0
    for bound, count in buckets:
        if count >= wanted:
            if math.isinf(bound):
                return lower_bound
            share = (wanted - lower_count) / max(count - lower_count, 1e-9)
            return lower_bound + (bound - lower_bound) * share
        lower_bound, lower_count = bound, count
    return lower_bound


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else 0.0


def redis_keys(url: str) -> set[bytes]:
    import redis

    return set(redis.Redis.from_url(url).keys("*"))


def delete_new_keys(url: str, before: set[bytes]) -> int:
    import redis

    client = redis.Redis.from_url(url)
    new = [key for key in client.keys("*") if key not in before]
    if new:
        client.delete(*new)
    return len(new)


def warm_up(base: str, tokens: list[str], workers: int, threads: int) -> None:
    """A few requests of each kind first, so every worker has compiled its templates."""

    def one(i: int) -> None:
        client = Http(base)
        for _ in range(4):
            client.request("GET", f"/t/{tokens[i % len(tokens)]}")
            client.request("GET", "/claim/who")
        client.close()

    pool = [threading.Thread(target=one, args=(i,)) for i in range(workers * threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=100)
    parser.add_argument("--lookups-per-second", type=float, default=300)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--pause", type=float, default=2.0, help="seconds a person takes a step")
    parser.add_argument(
        "--jitter", type=float, default=0.0, help="each pause varies by up to this share"
    )
    parser.add_argument(
        "--photos", action="store_true", help="one photo (about 1 MB) a person, at documents"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn --workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn --threads")
    parser.add_argument("--lookup-connections", type=int, default=64)
    parser.add_argument(
        "--drain", type=float, default=30, help="seconds to wait for answers after the end"
    )
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--nice", type=int, default=5, help="the generator's own priority")
    parser.add_argument("--log", type=Path, help="server log (default: a new file in /tmp)")
    args = parser.parse_args()

    base_url = os.environ.get("KIOSK_TEST_POSTGRES_URL") or DEFAULT_POSTGRES
    log = args.log or Path(tempfile.mkstemp(prefix="kiosk-load-", suffix=".log")[1])
    database_url, schema = new_postgres_schema(base_url, "bench_load")
    keys_before = redis_keys(args.redis_url)
    server = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            port = free_port()
            version = code_version()
            code = snapshot_code(Path(tmp) / "code")
            env = kiosk_environment(
                Path(tmp) / "data",
                code,
                port,
                database_url=database_url,
                queue_url=args.redis_url,
                ratelimit_storage_url=args.redis_url,
            )
            # the workers' request histograms, summed at /metrics (the README's setting)
            env["PROMETHEUS_MULTIPROC_DIR"] = str(Path(tmp) / "metrics")
            Path(env["PROMETHEUS_MULTIPROC_DIR"]).mkdir()
            flask_command(env, "db", "upgrade")
            tokens = tracking_tokens(flask_command(env, "demo", "seed"))
            if not tokens:
                sys.exit("demo seed printed no tracking URLs")
            server = Server(env, port, args.workers, args.threads, log)
            server.start()
            os.nice(args.nice)  # the server, started above, keeps the normal priority
            warm_up(server.url, tokens, args.workers, args.threads)
            run(args, server, tokens, log, schema, version)
    finally:
        if server is not None:
            server.stop()
        drop_postgres_schema(base_url, schema)
        delete_new_keys(args.redis_url, keys_before)


def run(
    args: argparse.Namespace,
    server: Server,
    tokens: list[str],
    log: Path,
    schema: str,
    version: str,
) -> None:
    record = Record()
    intakes = Intakes()
    photos = [tablet_photo(k) for k in range(args.kiosks)] if args.photos else []
    lookups = Lookups(server.url, tokens, args.lookups_per_second, args.lookup_connections)
    served_before = served_seconds(server.url)
    server_pids = server.pids()
    postgres_pids = pids_named("postgres")
    cpu_before = (
        time.process_time(),
        cpu_seconds(server_pids),
        cpu_seconds(postgres_pids),
        machine_busy(),
    )
    start = time.monotonic() + 0.5
    end = start + args.seconds
    kiosks = [
        threading.Thread(
            target=kiosk,
            args=(k, server.url, end, args.pause, record, intakes),
            kwargs={"photo": photos[k] if photos else None, "jitter": args.jitter},
            daemon=True,
        )
        for k in range(args.kiosks)
    ]
    time.sleep(max(0.0, start - time.monotonic()))
    for thread in kiosks:
        thread.start()
    lookups.run(start, end, record)  # this thread is the scheduler, until the end
    for thread in kiosks:
        thread.join(timeout=120)
    never_sent, in_flight = lookups.finish(args.drain, record)
    elapsed = time.monotonic() - start
    served = served_seconds(server.url, since=served_before)
    server_pids = server.pids()
    busy_after = machine_busy()
    cpu = (
        time.process_time() - cpu_before[0],
        cpu_seconds(server_pids) - cpu_before[1],
        cpu_seconds([p for p in postgres_pids if p in pids_named("postgres")]) - cpu_before[2],
    )
    busy = (busy_after[0] - cpu_before[3][0]) / max(1, busy_after[1] - cpu_before[3][1])
    others = (busy_after[0] - cpu_before[3][0]) / TICK - sum(cpu)

    print(
        f"\nload: {args.kiosks} kiosks (a {args.pause:g} s pause a step) and "
        f"{args.lookups_per_second:g} look-ups/s for {args.seconds:g} s; gunicorn "
        f"{args.workers} workers x {args.threads} threads on PostgreSQL (schema {schema}) "
        f"and Redis ({args.redis_url}); code {version}"
    )
    print(f"  {'request':<11}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    everything: list[float] = []
    for kind in ("step GET", "step POST", "upload", "submit", "done GET", "lookup"):
        values = record.times.get(kind, [])
        everything += values
        print(
            f"  {kind:<11}{len(values):>8}{percentile(values, 50):>9.0f}"
            f"{percentile(values, 95):>9.0f}{percentile(values, 99):>9.0f}"
            f"{record.errors[kind]:>8}"
        )
    errors = sum(record.errors.values())
    p99 = percentile(everything, 99)
    print(
        f"  {'all':<11}{len(everything):>8}{percentile(everything, 50):>9.0f}"
        f"{percentile(everything, 95):>9.0f}{p99:>9.0f}{errors:>8}"
    )
    for why, count in record.why.most_common(10):
        print(f"    error {why}: {count}")
    print(
        "  in the server (its own clock, from its first hook to its last, without the wait for "
        "a free worker thread; kiosk_request_seconds at /metrics):"
    )
    print(f"  {'route':<28}{'count':>8}{'<=25 ms':>9}{'<=50 ms':>9}{'p95 ms':>9}")
    for route, buckets in sorted(served.items(), key=lambda item: -item[1][-1][1]):
        count = buckets[-1][1]
        within = dict(buckets)
        print(
            f"  {route:<28}{count:>8.0f}{within[0.025] / count:>9.1%}{within[0.05] / count:>9.1%}"
            f"{histogram_percentile(buckets, 95) * 1000:>9.0f}"
        )
    print(
        f"intakes: {intakes.ended['done']} submitted and shown their case number, "
        f"{intakes.ended['dropped']} still going at the end, {intakes.ended['failed']} failed"
    )
    for why, count in intakes.failed.most_common(10):
        print(f"    failed at {why}: {count}")
    print(
        f"look-ups: {lookups.scheduled} scheduled ({lookups.scheduled / args.seconds:.1f}/s), "
        f"{lookups.answered_in_window} answered within the {args.seconds:g} s "
        f"(achieved {lookups.answered_in_window / args.seconds:.1f}/s), "
        f"{lookups.answered} answered in all; unanswered {args.drain:g} s after the end: "
        f"{in_flight} sent, {never_sent} still waiting for a free connection; scheduler late p50 "
        f"{percentile(lookups.late, 50):.1f} ms, p99 {percentile(lookups.late, 99):.1f} ms; "
        f"on the wire (send to answer) p50 {percentile(lookups.wire, 50):.0f} ms, "
        f"p99 {percentile(lookups.wire, 99):.0f} ms"
    )
    print(
        f"cpu seconds over {elapsed:.0f} s ({os.cpu_count()} cores): load generator "
        f"{cpu[0]:.1f} (nice {args.nice}), gunicorn {cpu[1]:.1f}, postgres {cpu[2]:.1f} "
        f"(every postgres process on the machine), other processes {others:.1f}; "
        f"machine busy {busy:.0%}"
    )
    tracebacks, problems = log_problems(log)
    print(f"server log {log}: {tracebacks} tracebacks, {sum(problems.values())} error lines")
    for line, count in problems.most_common(10):
        print(f"    {count} x {line}")
    print(
        f"kiosks={args.kiosks} lookups_per_s={args.lookups_per_second:g} errors={errors} "
        f"p99_ms={p99:.0f}"
    )


if __name__ == "__main__":
    main()
