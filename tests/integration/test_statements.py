"""What a page costs the database: the statements one request runs, counted. A lazy load that
comes back (one more SELECT per document, per event...) fails here before it slows a branch."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask import Flask

from kiosk.claims.states import CaseState
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim
from tests.integration.desk import desk
from tests.integration.test_intake import SELF_MEDICAL, Kiosk, soup


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the app sends meanwhile, in order."""
    sent: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def submitted_claim_token(app: Flask, kiosk: Kiosk) -> str:
    """A claim submitted at the kiosk; its tracking token. No app context is left open (the
    `claim` fixture holds one, which would let every request share one session)."""
    kiosk.through(*SELF_MEDICAL, ("check", {"consent": "yes"}))
    with app.app_context():
        token = db.session.scalars(sa.select(Claim.tracking_token)).one()
        db.session.remove()
    assert token is not None
    return token


def test_the_tracking_page_reads_its_case_in_a_few_statements(app: Flask, kiosk: Kiosk) -> None:
    token = submitted_claim_token(app, kiosk)
    with statements(app) as sent:
        response = kiosk.get(f"/t/{token}")
    assert response.status_code == 200
    selects = [s for s in sent if s.lstrip().upper().startswith("SELECT")]
    # the case's versions; the claim with its insured person, its documents, its events;
    # complaints, a visit, the satisfaction answer, the branch's phone: none loaded one row
    # at a time
    assert len(selects) <= 9, "\n\n".join(selects)
    with statements(app) as sent:
        assert kiosk.get(f"/t/{token}").status_code == 200
    assert len(sent) == 1, "\n\n".join(sent)  # unchanged: only its versions, the page kept


def test_the_kiosk_home_and_a_question_need_no_more_than_the_draft(
    app: Flask, kiosk: Kiosk
) -> None:
    kiosk.get("/")  # this machine's browser enrolled as a kiosk
    with statements(app) as sent:
        assert kiosk.get("/").status_code == 200
    # at most the device and its branch, joined (none while this process checked it lately)
    assert len(sent) <= 1, "\n\n".join(sent)
    kiosk.through(("who", {"who": "self"}))
    with statements(app) as sent:
        assert kiosk.get("/claim/identity").status_code == 200
    assert len(sent) <= 2, "\n\n".join(sent)  # the device, the draft by its id


def test_the_work_queue_and_a_case_page_do_not_load_row_by_row(
    app: Flask, demo: dict[CaseState, int]
) -> None:
    handler = desk(app, "handler")
    handler.get("/staff/queue")
    with statements(app) as sent:
        assert handler.get("/staff/queue").status_code == 200
    queue = len(sent)
    with statements(app) as sent:
        assert handler.get(f"/staff/case/{demo[CaseState.UNDER_REVIEW]}").status_code == 200
    case = len(sent)
    # the session and its staff member, the claim (checked, audited, then read whole), its
    # events, documents and pages, names, audit trail, notes, version, the roster, the
    # policies (read once a minute by a process): never one per row
    assert queue <= 6 and case <= 14, (queue, case)


def test_the_submit_asks_the_outbox_once_and_reloads_nothing(app: Flask, kiosk: Kiosk) -> None:
    """报案: the claim, its documents and records inserted; the outbox asked once whether the
    message is there already; the draft the request loaded not read again; nothing read back
    after the commit; the two audit rows one INSERT."""
    kiosk.through(*SELF_MEDICAL)
    csrf = soup(kiosk.get("/claim/check")).select_one("input[name=csrf_token]")["value"]
    with statements(app) as sent:
        answer = kiosk.client.post("/claim/check", data={"csrf_token": csrf, "consent": "yes"})
    assert answer.status_code == 303
    outbox = [s for s in sent if "FROM notification" in s]
    assert len(outbox) == 1, "\n\n".join(sent)
    drafts = [s for s in sent if s.lstrip().startswith("SELECT") and "FROM draft" in s]
    assert len(drafts) == 1, "\n\n".join(drafts)  # the request's own
    audit = [s for s in sent if "INSERT INTO audit_event" in s]
    assert not [s for s in sent[sent.index(audit[0]) :] if "FROM claim" in s], "\n\n".join(sent)
    if app.config["DATABASE_URL"].startswith(
        "postgresql"
    ):  # rows of one table in one INSERT (SQLite: not)
        assert len(audit) == 1, "\n\n".join(sent)  # claim.submit and case.move together
    assert len(sent) <= 16, "\n\n".join(sent)  # 16 on SQLite, 12 on PostgreSQL
