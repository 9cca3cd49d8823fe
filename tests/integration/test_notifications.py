"""Text messages: queued with every state change and every 3 working days (across a holiday),
sent through the default recording sender or an SMS gateway, tested against a local fake
gateway this test starts: success, a busy gateway retried and then given up, a timeout."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import make_server

from kiosk.claims.calendar import CHINA
from kiosk.claims.states import CaseState, Role
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, Notification, NotificationStatus, Person
from kiosk.services import jobs, notifications
from kiosk.services.cases import move_case
from kiosk.services.notifications import GatewaySender, RecordingSender, send_pending
from tests.integration.test_models import PHONE, make_claim

REPORTER_PHONE = "13998765432"


class FakeGateway:
    """A local HTTP server standing in for the SMS gateway: records what it is sent, and can
    answer 503 for a while or be slow."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.busy_for = 0
        self.down = False
        self.delay = 0.0
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def app(self, environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        time.sleep(self.delay)
        if self.busy_for or self.down:
            self.busy_for = max(0, self.busy_for - 1)
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"busy"]
        self.received.append(
            {"json": json.loads(body), "auth": environ.get("HTTP_AUTHORIZATION", "")}
        )
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"ok": true}']


NONE = {"sent": 0, "recorded": 0, "failed": 0, "dead": 0}


class Clock:
    """The outbox's clock (kiosk.services.notifications.utcnow), moved by the test: no sleeping."""

    def __init__(self) -> None:
        self.now = notifications.utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes, seconds=1 if minutes else 0)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(notifications, "utcnow", fake)
    return fake


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    fake = FakeGateway()
    yield fake
    fake.server.shutdown()


@pytest.fixture
def claim(app: Flask) -> Iterator[Claim]:
    """A case with the insured's and a reporter's phones, nothing queued yet."""
    with app.app_context():
        claim = make_claim()
        claim.reporter = Person(name="陈小明", phone=REPORTER_PHONE)
        db.session.add(claim)
        db.session.commit()
        yield claim


def outbox() -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).order_by(Notification.id)))


def test_a_state_change_tells_both_phones_once(claim: Claim) -> None:
    move_case(claim, CaseState.UNDER_REVIEW, Role.SYSTEM)
    db.session.commit()
    notes = outbox()
    assert sorted((n.recipient, n.phone) for n in notes) == [
        ("insured", PHONE),
        ("reporter", REPORTER_PHONE),
    ]
    body = notes[0].body
    assert "报案号26 0000 0017：审核中" in body and "前完成下一步" in body
    assert f"/t/{claim.tracking_token}" in body
    assert notifications.queue_for(claim, "state:1") == 0  # the same change again: nothing
    move_case(claim, CaseState.APPROVED, Role.HANDLER)
    move_case(claim, CaseState.PAID, Role.HANDLER)
    claim.paid_amount = Decimal("1234.50")
    db.session.commit()
    assert len(outbox()) == 6
    assert "已赔付" in outbox()[-1].body


def test_progress_every_three_working_days_across_national_day(claim: Claim) -> None:
    move_case(claim, CaseState.UNDER_REVIEW, Role.SYSTEM)
    db.session.commit()
    for note in outbox():  # told on Tuesday 29 September
        note.created_at = datetime(2026, 9, 29, 10, 0, tzinfo=CHINA)
    db.session.commit()
    # 30 Sep, then 1-7 October off: the third working day after is Friday 9 October.
    assert notifications.queue_progress_notices(date(2026, 9, 30)) == 0
    assert notifications.queue_progress_notices(date(2026, 10, 8)) == 0
    assert notifications.queue_progress_notices(date(2026, 10, 9)) == 2
    assert notifications.queue_progress_notices(date(2026, 10, 9)) == 0  # once a day
    move_case(claim, CaseState.DECLINED, Role.HANDLER)
    db.session.commit()
    assert notifications.queue_progress_notices(date(2026, 12, 1)) == 0  # closed: no more


def test_the_recording_sender_logs_a_masked_phone(
    claim: Claim, caplog: pytest.LogCaptureFixture
) -> None:
    move_case(claim, CaseState.UNDER_REVIEW, Role.SYSTEM)
    db.session.commit()
    with caplog.at_level(logging.INFO):
        assert send_pending(RecordingSender()) == {**NONE, "recorded": 2}
    # Recorded, not sent: nobody's phone got it, and the outbox says so.
    assert all(n.status is NotificationStatus.RECORDED and n.sent_at for n in outbox())
    assert "138****5678" in caplog.text and PHONE not in caplog.text
    assert "no gateway" in caplog.text
    assert send_pending(RecordingSender()) == NONE


def test_the_gateway_gets_each_message(claim: Claim, gateway: FakeGateway) -> None:
    move_case(claim, CaseState.UNDER_REVIEW, Role.SYSTEM)
    db.session.commit()
    sender = GatewaySender(gateway.url, timeout=2, token="secret-token")
    assert send_pending(sender)["sent"] == 2
    assert {r["json"]["to"] for r in gateway.received} == {PHONE, REPORTER_PHONE}
    assert all("审核中" in r["json"]["text"] for r in gateway.received)
    assert {r["auth"] for r in gateway.received} == {"Bearer secret-token"}


def test_a_busy_gateway_is_retried_then_given_up(
    claim: Claim, gateway: FakeGateway, clock: Clock
) -> None:
    move_case(claim, CaseState.UNDER_REVIEW, Role.SYSTEM)
    db.session.commit()
    sender = GatewaySender(gateway.url, timeout=2)
    gateway.busy_for = 2  # both messages refused once
    assert send_pending(sender) == {**NONE, "failed": 2}
    assert {n.last_error for n in outbox()} == {"gateway answered 503"}
    assert send_pending(sender) == NONE  # not yet: the first wait is a minute
    clock.advance(minutes=1)
    assert send_pending(sender) == {**NONE, "sent": 2}
    assert [n.attempts for n in outbox()] == [2, 2]

    move_case(claim, CaseState.APPROVED, Role.HANDLER)
    db.session.commit()
    gateway.busy_for = 1000
    rounds = []
    for wait in (0, *notifications.RETRY_AFTER):
        clock.advance(minutes=wait.total_seconds() / 60 if wait else 0)
        rounds.append(send_pending(sender))
    assert len(rounds) == notifications.MAX_ATTEMPTS
    assert rounds[-2] == {**NONE, "failed": 2} and rounds[-1] == {**NONE, "dead": 2}
    assert [n.status for n in outbox()[-2:]] == [NotificationStatus.DEAD] * 2
    clock.advance(minutes=24 * 60)
    assert send_pending(sender) == NONE  # left for staff


def test_a_gateway_down_for_an_hour_loses_nothing(
    claim: Claim, gateway: FakeGateway, clock: Clock
) -> None:
    """Tried every minute, as the periodic job does, through an hour's outage."""
    move_case(claim, CaseState.UNDER_REVIEW, Role.SYSTEM)
    db.session.commit()
    sender = GatewaySender(gateway.url, timeout=2)
    gateway.down = True
    for _ in range(60):
        send_pending(sender)
        clock.advance(minutes=1)
    assert {n.status for n in outbox()} == {NotificationStatus.FAILED}
    gateway.down = False
    for _ in range(60):  # the next try comes within the hour
        send_pending(sender)
        clock.advance(minutes=1)
    assert {n.status for n in outbox()} == {NotificationStatus.SENT}
    assert len(gateway.received) == 2


def test_two_senders_at_once_send_each_message_once(
    app: Flask, claim: Claim, gateway: FakeGateway
) -> None:
    """Two workers' periodic jobs (or one that outlasts its minute) overlapping, each with
    its own connection to the database: every message reaches the gateway once."""
    for state in (CaseState.UNDER_REVIEW, CaseState.DOCUMENTS_NEEDED, CaseState.UNDER_REVIEW):
        move_case(claim, state, Role.HANDLER)
        db.session.commit()
    for n in range(3):
        notifications.queue_for(claim, f"extra:{n}")
    db.session.commit()
    queued = len(outbox())
    assert queued == 12
    gateway.delay = 0.05  # long enough for the two to overlap on every message
    start = threading.Barrier(2)
    counts: list[dict[str, int]] = []

    def worker() -> None:
        with app.app_context():
            start.wait()
            counts.append(send_pending(GatewaySender(gateway.url, timeout=5)))
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(c["sent"] for c in counts) == queued
    assert len(gateway.received) == queued


def test_a_message_left_sending_by_a_dead_sender_goes_later(
    claim: Claim, gateway: FakeGateway, clock: Clock
) -> None:
    move_case(claim, CaseState.UNDER_REVIEW, Role.SYSTEM)
    db.session.commit()
    for note in outbox():  # claimed by a sender that was killed before it sent
        note.status, note.claimed_until = NotificationStatus.SENDING, notifications.utcnow()
        note.attempts = 1
    db.session.commit()
    sender = GatewaySender(gateway.url, timeout=2)
    assert send_pending(sender) == NONE  # its claim has not run out
    clock.advance(minutes=1)
    assert send_pending(sender) == {**NONE, "sent": 2}


def test_a_slow_gateway_times_out(claim: Claim, gateway: FakeGateway) -> None:
    move_case(claim, CaseState.UNDER_REVIEW, Role.SYSTEM)
    db.session.commit()
    gateway.delay = 1.5
    started = time.perf_counter()
    assert send_pending(GatewaySender(gateway.url, timeout=0.3), limit=1)["failed"] == 1
    assert time.perf_counter() - started < 1.4
    assert "unreachable" in outbox()[0].last_error


def test_the_periodic_job_uses_the_configured_gateway(
    app: Flask, claim: Claim, gateway: FakeGateway
) -> None:
    move_case(claim, CaseState.UNDER_REVIEW, Role.SYSTEM)
    db.session.commit()
    app.config["SMS_GATEWAY_URL"] = gateway.url
    jobs.send_notifications.call_local()
    assert len(gateway.received) == 2
    assert all(n.status is NotificationStatus.SENT for n in outbox())
