"""No full ID number, phone or bank account in the application log, whatever happens: a claim
submitted, staff logging in (and failing), looking, unmasking, acting, messages sent and
failing. Every logger at DEBUG is captured and searched."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from flask import Flask

from kiosk.platform.extensions import db
from kiosk.platform.models import Claim
from kiosk.services.notifications import GatewaySender, RecordingSender, send_pending
from tests.integration.desk import desk
from tests.integration.test_intake import ACCOUNT, ID_NUMBER, SELF_MEDICAL, Kiosk

PHONE = "13812345678"  # SELF_MEDICAL's phone, typed with spaces


def test_the_log_never_holds_personal_values(
    app: Flask, kiosk: Kiosk, demo: dict, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    kiosk.through(*SELF_MEDICAL, ("check", {"consent": "yes"}))
    with app.app_context():
        claim_id = db.session.scalar(
            sa.select(Claim.id).where(Claim.case_number.isnot(None)).order_by(Claim.id.desc())
        )
    handler = desk(app, "handler")
    desk(app, None).login("handler", "a wrong password!")
    handler.get(f"/staff/case/{claim_id}")
    handler.post(f"/staff/case/{claim_id}/reveal")
    assert handler.act(claim_id, "note", {"note_text": "电话联系了家属"}).status_code == 303
    handler.get("/staff/export?from=2026-01-01&to=2026-12-31")
    with app.app_context():
        send_pending(GatewaySender("http://127.0.0.1:9/none", timeout=0.2), limit=2)
        send_pending(RecordingSender())
    assert "text message" in caplog.text  # the log did record the sending
    for secret in (ID_NUMBER, PHONE, ACCOUNT, "138 1234 5678"):
        assert secret not in caplog.text, secret
