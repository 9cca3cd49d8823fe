"""Guessing staff passwords is slowed per address, never by locking the account (ASVS 2.2.1):
strangers at many addresses cannot keep the owner out, one address waits longer after each
failure and is not checked meanwhile, an address failing at many usernames waits at all of
them, unknown usernames get the very same answers, and administrators see an account tried
from several addresses."""

from __future__ import annotations

import http.client
import threading
import time
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask import Flask

from kiosk.platform.extensions import db
from kiosk.platform.models import AuditEvent, StaffUser, utcnow
from tests.integration.desk import PASSWORD, desk
from tests.integration.test_intake import soup

WRONG = "a wrong password!"
IN = "signed in"


class Clock:
    """The accounts' clock, moved by hand (the audit rows keep the real time)."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def forward(self, **how_long: float) -> None:
        self.now += timedelta(**how_long)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("kiosk.services.accounts.utcnow", clock)
    return clock


class CountingHasher:
    """The real argon2 hasher, counting the passwords it checks."""

    def __init__(self, real) -> None:
        self.real = real
        self.checks = 0

    def verify(self, *args):
        self.checks += 1
        return self.real.verify(*args)

    def __getattr__(self, name: str):
        return getattr(self.real, name)


@pytest.fixture
def hasher(app: Flask, monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    import kiosk.services.accounts

    with app.app_context():
        counting = CountingHasher(kiosk.services.accounts._hasher())
    monkeypatch.setattr("kiosk.services.accounts._hasher", lambda: counting)
    return counting


class Address:
    """A browser at one network address, through the test client, with real CSRF tokens."""

    def __init__(self, app: Flask, ip: str) -> None:
        self.client = app.test_client()
        self.environ = {"REMOTE_ADDR": ip}

    def login(self, username: str, password: str) -> str:
        """IN, or the words of the error summary."""
        page = soup(self.client.get("/staff/login", environ_base=self.environ))
        token = page.select_one("input[name=csrf_token]")["value"]
        response = self.client.post(
            "/staff/login",
            data={"csrf_token": token, "username": username, "password": password},
            environ_base=self.environ,
        )
        if response.status_code == 303:
            return IN
        assert response.status_code == 200
        return soup(response).select_one(".error-summary li").get_text(" ", strip=True)


def audited(app: Flask, action: str, ip: str | None = None) -> int:
    with app.app_context():
        where = [AuditEvent.action == action] + ([AuditEvent.ip == ip] if ip else [])
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(*where))


def test_fifty_failures_from_ten_addresses_leave_the_approver_free_to_sign_in(
    app: Flask, demo: dict, clock: Clock
) -> None:
    for n in range(10):
        stranger = Address(app, f"203.0.113.{n + 1}")
        answers = [stranger.login("boss", f"{WRONG} {k}") for k in range(5)]
        assert answers[:3] == ["用户名或密码不对"] * 3
        assert "请1分钟后再试" in answers[3] and "没有核对密码" in answers[4]
    assert Address(app, "198.51.100.7").login("boss", PASSWORD) == IN
    # Each stranger had 4 passwords checked; the fifth try was refused unchecked.
    assert audited(app, "staff.login_failed") == 40
    assert audited(app, "staff.login_throttled") == 10


def test_one_address_waits_longer_after_each_failure_and_is_not_checked_meanwhile(
    app: Flask, demo: dict, clock: Clock, hasher: CountingHasher
) -> None:
    here = Address(app, "203.0.113.20")
    assert [here.login("handler", WRONG) for _ in range(3)] == ["用户名或密码不对"] * 3
    assert here.login("handler", PASSWORD) == IN  # and the count at this account starts again
    assert [here.login("handler", WRONG) for _ in range(3)] == ["用户名或密码不对"] * 3
    assert here.login("handler", WRONG) == "用户名或密码不对。输错的次数多了，请1分钟后再试。"
    checked = hasher.checks
    refused = here.login("handler", PASSWORD)  # the right password, during the wait
    assert refused.startswith("从这里输错的次数太多，请1分钟后再试（这一次没有核对密码）")
    assert hasher.checks == checked  # no oracle: the password was not even looked at
    waits = []
    for minutes in (1, 2, 4, 8, 16, 32, 60, 60):
        clock.forward(minutes=minutes - 0.5)
        assert "没有核对密码" in here.login("handler", PASSWORD)  # still waiting
        clock.forward(minutes=0.5)
        waits.append(here.login("handler", WRONG))
    assert waits == [
        f"用户名或密码不对。输错的次数多了，请{m}分钟后再试。"
        for m in (2, 4, 8, 16, 32, 60, 60, 60)
    ]
    clock.forward(minutes=59, seconds=30)
    assert here.login("handler", PASSWORD).startswith("从这里输错的次数太多，请1分钟后再试")
    clock.forward(seconds=30)
    assert here.login("handler", PASSWORD) == IN


def test_an_address_failing_at_many_usernames_waits_at_all_of_them(
    app: Flask, demo: dict, clock: Clock
) -> None:
    sprayer = Address(app, "203.0.113.30")
    names = ["handler", "boss", "boss2", "admin"] + [f"staff{n}" for n in range(6)]
    assert [sprayer.login(name, WRONG) for name in names] == ["用户名或密码不对"] * 10
    assert "请1分钟后再试" in sprayer.login("zhang", WRONG)
    assert "请1分钟后再试（这一次没有核对密码）" in sprayer.login("handler", PASSWORD)
    assert Address(app, "198.51.100.30").login("handler", PASSWORD) == IN
    clock.forward(minutes=1)
    assert "请2分钟后再试" in sprayer.login("li", WRONG)
    sprayer.client.get("/prefs/lang/en")
    assert sprayer.login("handler", PASSWORD).startswith(
        "Too many wrong tries from here: please try again in 2 min (this try's password was not"
    )


def test_an_unknown_username_gets_the_same_answers_and_waits_as_a_known_one(
    app: Flask, demo: dict, clock: Clock
) -> None:
    known, unknown = Address(app, "203.0.113.40"), Address(app, "203.0.113.41")
    steps = [(0, WRONG)] * 5 + [(0, PASSWORD), (1, WRONG), (1, PASSWORD), (1, WRONG)]
    steps += [(1.5, PASSWORD), (2.5, WRONG), (0, PASSWORD)]  # the right one only in a wait
    answers = {"boss": [], "nobody-here": []}
    for minutes, password in steps:
        clock.forward(minutes=minutes)
        answers["boss"].append(known.login("boss", password))
        answers["nobody-here"].append(unknown.login("nobody-here", password))
    assert answers["boss"] == answers["nobody-here"]
    assert answers["boss"][3] == "用户名或密码不对。输错的次数多了，请1分钟后再试。"
    assert "请1分钟后再试（这一次没有核对密码）" in answers["boss"][4]
    assert answers["boss"][8] == "用户名或密码不对。输错的次数多了，请4分钟后再试。"
    assert "请3分钟后再试（这一次没有核对密码）" in answers["boss"][9]  # 2.5 min left
    assert answers["boss"][10] == "用户名或密码不对。输错的次数多了，请8分钟后再试。"
    assert IN not in answers["boss"]


def test_administrators_see_an_account_tried_from_several_addresses(app: Flask, demo: dict) -> None:
    for n in range(4):
        stranger = Address(app, f"203.0.113.{50 + n}")
        for k in range(3):
            stranger.login("boss2", f"{WRONG} {n}{k}")
    Address(app, "203.0.113.60").login("handler", WRONG)  # one slip: nothing to tell
    page = soup(desk(app, "admin").get("/staff/accounts"))
    notice = page.select_one("[data-qa=under-attack]")
    assert notice is not None and notice["role"] == "alert"
    listed = [li.get_text(strip=True) for li in notice.select("[data-qa=attacked-account]")]
    assert listed == ["boss2（boss2）：15分钟内输错12次，来自4个地址"]
    assert WRONG not in page.get_text()  # never a password
    with app.app_context():
        boss2 = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == "boss2"))
        told = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "staff.login_under_attack")
        ).all()
        assert [t.detail for t in told] == [{"staff": boss2.id, "failures": 10, "addresses": 4}]


class Browser:
    """A browser at its own loopback address (127.0.0.x), over real HTTP to the live server."""

    def __init__(self, url: str, ip: str) -> None:
        parts = urlsplit(url)
        self.host, self.port, self.ip = parts.hostname or "", parts.port or 80, ip
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=60, source_address=(self.ip, 0)
        )
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=urlencode(form) if form else None, headers=headers)
        response = connection.getresponse()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        body = response.read().decode()
        connection.close()
        return response.status, body

    def login(self, username: str, password: str) -> int:
        _, page = self.request("GET", "/staff/login")
        token = BeautifulSoup(page, "html.parser").select_one("input[name=csrf_token]")["value"]
        form = {"csrf_token": token, "username": username, "password": password}
        return self.request("POST", "/staff/login", form)[0]


def test_the_owner_gets_in_while_several_addresses_guess_at_once(
    app: Flask, demo: dict, live_server
) -> None:
    attackers = [f"127.0.0.{n}" for n in range(11, 15)]  # three threads at each address
    start = threading.Barrier(len(attackers) * 3)
    statuses: list[int] = []

    def guess(ip: str, thread: int) -> None:
        browser = Browser(live_server.url, ip)
        start.wait()
        for k in range(4):
            statuses.append(browser.login("boss", f"{WRONG} {thread}{k}"))

    threads = [threading.Thread(target=guess, args=(ip, n)) for ip in attackers for n in range(3)]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 60
        while audited(app, "staff.login_failed") < 10 and time.monotonic() < deadline:
            time.sleep(0.02)  # the owner comes in when the old lockout would already hold
        owner = Browser(live_server.url, "127.0.0.2")
        owner_status = owner.login("boss", PASSWORD)
        queue_status = owner.request("GET", "/staff/queue")[0]
    finally:
        for thread in threads:  # before the tables are emptied under them
            thread.join(timeout=120)
    assert owner_status == 303 and queue_status == 200
    assert statuses == [200] * 48
    # However the tries fell together, each address had exactly 4 passwords checked.
    assert [audited(app, "staff.login_failed", ip) for ip in attackers] == [4] * 4
    assert [audited(app, "staff.login_throttled", ip) for ip in attackers] == [8] * 4
