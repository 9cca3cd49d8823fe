"""Are acknowledged claims kept when the server dies? Clients submit whole claims while the
whole server is killed (SIGKILL) at random moments, again and again; then every claim the
kiosk acknowledged is looked for in the database.

    .venv/bin/python bench/durability.py [--rounds 100] [--database sqlite|postgresql]
        [--clients 4] [--workers W] [--threads 4]

The server is `gunicorn kiosk.wsgi:app` on 127.0.0.1 and a free port: on sqlite as
`flask --app kiosk serve` runs it (2 workers x 4 threads; database and queue in a temporary
KIOSK_DATA_DIR), on postgresql as the README's scale path does (4 workers x 4 threads; a
fresh schema of its own in KIOSK_TEST_POSTGRES_URL, default
postgresql://postgres@127.0.0.1:5432/test, dropped at the end; queue and rate limits in
Redis, --redis-url, its new keys deleted at the end). Migrated once with
`flask --app kiosk db upgrade`. Every restart runs the same code: a copy of kiosk/ and
migrations/ taken at the start (see bench/load.py), whatever others edit in the work tree.

Each round starts the server, waits until it answers, lets the clients work for a random
0.2-3 s, and kills the process group (master and workers at once) with SIGKILL. Each client
is a tablet going through whole intakes as fast as the server answers (bench/load.py's
steps: typed identity, no photos, the five claim types in turn). A request cut by the kill
is picked up after the restart as a person would: 申请理赔 again (`GET /claim`, which goes on
at the first step not yet saved), a submit resent; the draft is on the server, so nothing
typed is lost.

A claim is acknowledged when `POST /claim/check` (提交报案) answers 303 to /claim/done, the
报案成功 page: the session cookie of that answer names the claim (read with the server's
secret key), and the done page, fetched next (after a restart if need be), shows its case
number. After the last round each acknowledged claim is looked for in the database by its
id and case number; one not there is lost. A done page that finds no claim counts as lost
too. Prints the rounds, the requests the kills cut, the HTTP errors, the claims found,
stored but never acknowledged, and duplicated (a claim no draft points at), the restart
times and what the server logged; last `kills=N acknowledged=A lost=L`.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature
from load import (
    CASE_NUMBER,
    DEFAULT_POSTGRES,
    DEFAULT_REDIS,
    TOKEN,
    TYPES,
    Http,
    Server,
    answers_for,
    code_version,
    delete_new_keys,
    drop_postgres_schema,
    flask_command,
    free_port,
    kiosk_environment,
    log_problems,
    new_postgres_schema,
    psycopg_url,
    redis_keys,
    snapshot_code,
    step_of,
)

NO_ANSWER = (OSError, http.client.HTTPException)


@dataclass
class Ack:
    claim_id: int | None  # from the session cookie of the 303
    case_number: str | None = None  # from the done page
    page_found_nothing: bool = False  # the done page said there was no such claim


@dataclass
class Tally:
    acks: list[Ack] = field(default_factory=list)
    submits: int = 0  # POST /claim/check sent
    cut: int = 0  # requests that got no answer (the kill)
    http_errors: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def was_cut(self) -> None:
        with self.lock:
            self.cut += 1

    def error(self, why: str) -> None:
        with self.lock:
            self.http_errors[why] += 1


class Tablet:
    """One client thread: whole intakes, one after another, through the kills."""

    def __init__(
        self, number: int, base: str, up: threading.Event, stop: threading.Event, tally: Tally
    ):
        self.browser = Http(base, timeout=20)
        self.number, self.up, self.stop, self.tally = number, up, stop, tally

    def wait_for_server(self) -> bool:
        while not self.stop.is_set():
            if self.up.wait(timeout=0.5):
                return True
        return False

    def resume(self) -> str | None:
        """After a cut: 申请理赔 again, which goes on at the first step not saved yet."""
        while self.wait_for_server():
            try:
                answer = self.browser.request("GET", "/claim")
            except NO_ANSWER:
                self.tally.was_cut()
                time.sleep(0.05)
                continue
            if answer.status in (302, 303) and step_of(answer.location):
                return step_of(answer.location)
            self.tally.error(f"GET /claim: {answer.status}")
            time.sleep(0.2)
        return None

    def run(self, serializer) -> None:
        n = self.number * 100_000
        self.wait_for_server()
        while not self.stop.is_set():
            self.browser.cookies.clear()
            answers = answers_for(TYPES[n % len(TYPES)], n)
            n += 1
            step: str | None = "who"
            while step is not None and not self.stop.is_set():
                step = self.one_step(step, answers, serializer)

    def one_step(self, step: str, answers: dict[str, dict[str, str]], serializer) -> str | None:
        """Show the step and answer it; the next step, or None when this intake is over."""
        if step not in answers:
            self.tally.error(f"went to an unexpected step {step!r}")
            return None
        try:
            shown = self.browser.request("GET", f"/claim/{step}")
            if shown.status in (302, 303):
                return step_of(shown.location) or self.resume()
            token = TOKEN.search(shown.body) if shown.status == 200 else None
            if token is None:
                self.tally.error(f"GET {step}: {shown.status}")
                time.sleep(0.2)
                return self.resume()
            if step == "check":
                with self.tally.lock:
                    self.tally.submits += 1
            form = {"csrf_token": token.group(1).decode(), **answers[step]}
            answered = self.browser.request("POST", f"/claim/{step}", form)
        except NO_ANSWER:
            self.tally.was_cut()
            return self.resume()
        if answered.status != 303:
            self.tally.error(f"POST {step}: {answered.status}")
            time.sleep(0.2)
            return self.resume()
        if step != "check":
            return step_of(answered.location) or self.resume()
        try:
            session = serializer.loads(self.browser.cookies.get("session", ""))
        except BadSignature:
            session = {}
        ack = Ack(session.get("submitted_claim_id"))
        with self.tally.lock:
            self.tally.acks.append(ack)
        self.read_case_number(ack)
        return None

    def read_case_number(self, ack: Ack) -> None:
        """The 报案成功 page's case number, after a restart if the kill came first."""
        while self.wait_for_server():
            try:
                done = self.browser.request("GET", "/claim/done")
            except NO_ANSWER:
                self.tally.was_cut()
                continue
            found = CASE_NUMBER.search(done.body) if done.status == 200 else None
            if found:
                ack.case_number = found.group(1).decode().replace(" ", "")
            elif done.status in (302, 303):
                ack.page_found_nothing = True  # the session's claim is not in the database
            else:
                self.tally.error(f"GET done: {done.status}")
                time.sleep(0.2)
                continue
            return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, help="gunicorn --workers (sqlite 2, postgresql 4)")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn --threads")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS, help="postgresql only")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--log", type=Path, help="server log (default: a new file in /tmp)")
    args = parser.parse_args()
    workers = args.workers or (2 if args.database == "sqlite" else 4)
    log = args.log or Path(tempfile.mkstemp(prefix="kiosk-durability-", suffix=".log")[1])
    base_url = os.environ.get("KIOSK_TEST_POSTGRES_URL") or DEFAULT_POSTGRES
    schema = None
    keys_before: set[bytes] = set()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        port = free_port()
        version = code_version()
        code = snapshot_code(Path(tmp) / "code")
        if args.database == "sqlite":
            database_url = f"sqlite:///{data_dir / 'kiosk.db'}"
            env = kiosk_environment(data_dir, code, port)
        else:
            database_url, schema = new_postgres_schema(base_url, "bench_durability")
            keys_before = redis_keys(args.redis_url)
            env = kiosk_environment(
                data_dir,
                code,
                port,
                database_url=database_url,
                queue_url=args.redis_url,
                ratelimit_storage_url=args.redis_url,
            )
        server = Server(env, port, workers, args.threads, log)
        try:
            flask_command(env, "db", "upgrade")
            tally, kills, restarts = rounds(args, server, env["KIOSK_SECRET_KEY"])
            report(args, workers, database_url, tally, kills, restarts, log, version)
        finally:
            server.kill()
            if schema:
                drop_postgres_schema(base_url, schema)
                delete_new_keys(args.redis_url, keys_before)


def rounds(args: argparse.Namespace, server: Server, secret: str) -> tuple[Tally, int, list[float]]:
    signer = Flask("durability")
    signer.secret_key = secret
    serializer = SecureCookieSessionInterface().get_signing_serializer(signer)
    rng = random.Random(args.seed)
    up, stop = threading.Event(), threading.Event()
    tally = Tally()
    tablets = [Tablet(c, server.url, up, stop, tally) for c in range(args.clients)]
    threads = [threading.Thread(target=t.run, args=(serializer,), daemon=True) for t in tablets]
    for thread in threads:
        thread.start()
    restarts: list[float] = []
    kills = 0
    started = time.monotonic()
    for number in range(1, args.rounds + 1):
        restarts.append(server.start())
        up.set()
        time.sleep(rng.uniform(0.2, 3.0))
        up.clear()
        server.kill()
        kills += 1
        if number % 10 == 0 or number == args.rounds:
            print(
                f"  round {number}/{args.rounds}: {len(tally.acks)} acknowledged, "
                f"{tally.cut} requests cut, {sum(tally.http_errors.values())} HTTP errors, "
                f"{time.monotonic() - started:.0f} s",
                flush=True,
            )
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    return tally, kills, restarts


def report(
    args: argparse.Namespace,
    workers: int,
    database_url: str,
    tally: Tally,
    kills: int,
    restarts: list[float],
    log: Path,
    version: str,
) -> None:
    url = psycopg_url(database_url) if args.database == "postgresql" else database_url
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        stored = dict(connection.execute(sa.text("SELECT id, case_number FROM claim")).all())
        taken = set(
            connection.execute(
                sa.text("SELECT claim_id FROM draft WHERE claim_id IS NOT NULL")
            ).scalars()
        )
        integrity = (
            connection.execute(sa.text("PRAGMA integrity_check")).scalar_one()
            if args.database == "sqlite"
            else "n/a"
        )
    engine.dispose()
    numbers = set(stored.values())
    lost = [
        ack
        for ack in tally.acks
        if ack.page_found_nothing
        or (ack.claim_id is None and ack.case_number is None)  # nothing names it: not found
        or (ack.claim_id is not None and ack.claim_id not in stored)
        or (ack.case_number is not None and ack.case_number not in numbers)
    ]
    acknowledged_ids = {ack.claim_id for ack in tally.acks}
    print(
        f"\ndurability: {kills} kills (SIGKILL to the process group) of gunicorn "
        f"({workers} workers x {args.threads} threads) on {args.database}, "
        f"{args.clients} clients submitting whole claims; code {version}"
    )
    print(
        f"  submits sent {tally.submits}, acknowledged {len(tally.acks)} "
        f"({len(acknowledged_ids - {None})} distinct claims; case number read on the done page "
        f"for {sum(a.case_number is not None for a in tally.acks)})"
    )
    print(f"  requests cut by a kill {tally.cut}; HTTP errors {sum(tally.http_errors.values())}")
    for why, count in tally.http_errors.most_common(10):
        print(f"    {why}: {count}")
    print(
        f"  database: {len(stored)} claims; acknowledged and found "
        f"{len(tally.acks) - len(lost)}, lost {len(lost)}; stored but never acknowledged "
        f"{len(set(stored) - acknowledged_ids)} (killed between commit and answer); "
        f"claims no draft points at (a duplicate submit) {len(set(stored) - taken)}; "
        f"SQLite integrity_check: {integrity}"
    )
    for ack in lost[:10]:
        print(f"    lost: {ack}")
    print(
        f"  restart to first answer: median {statistics.median(restarts):.1f} s, "
        f"max {max(restarts):.1f} s"
    )
    tracebacks, problems = log_problems(log)
    print(f"  server log {log}: {tracebacks} tracebacks, {sum(problems.values())} error lines")
    for line, count in problems.most_common(10):
        print(f"    {count} x {line}")
    print(f"kills={kills} acknowledged={len(tally.acks)} lost={len(lost)}")


if __name__ == "__main__":
    sys.exit(main())
