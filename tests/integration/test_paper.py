"""手工受理: the blank paper form, and a paper claim entered through the kiosk's own checks,
kept with the form's date, marked as paper and as entered by the staff member."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import Flask

from kiosk.claims.calendar import today_in_china
from kiosk.claims.states import CaseState
from kiosk.claims.types import DocumentKind, Source
from kiosk.extensions import db
from kiosk.models import AuditEvent, Claim, DocumentStatus, StaffUser
from tests.integration.desk import desk
from tests.integration.test_intake import ACCOUNT, ID_NUMBER, soup

TODAY = today_in_china()


def paper_claim(**changes: object) -> dict:
    form = {
        "reported_on": (TODAY - timedelta(days=3)).isoformat(),
        "who": "family",
        "reporter_name": "陈小明",
        "reporter_relationship": "child",
        "reporter_phone": "13912345678",
        "id_number": ID_NUMBER,
        "name": "陈美华",
        "phone": "",
        "claim_type": "medical",
        "accident_date": (TODAY - timedelta(days=6)).isoformat(),
        "place": "home",
        "cause": "fall",
        "description": "下楼梯时摔倒",
        "receipts_total": "456.70",
        "bank": "abc",
        "holder": "陈美华",
        "account": ACCOUNT,
        "received": ["insured_id_card", "medical_receipt"],
        "signed": "yes",
    }
    form.update(changes)
    return form


def test_the_blank_form_asks_what_the_kiosk_asks(app: Flask, demo: dict) -> None:
    page = soup(desk(app, "handler").get("/staff/paper-form"))
    text = page.get_text()
    for question in (
        "身份证号码",
        "住院了",
        "看了门诊",
        "乘坐公共交通出事",
        "中国农业银行",
        "签字",
    ):
        assert question in text
    assert len(page.select(".cell")) == 11 + 18 + 11 + 19


def test_a_paper_claim_is_checked_like_a_kiosk_one(app: Flask, demo: dict) -> None:
    d = desk(app, "handler")
    response = d.post("/staff/paper", {})
    assert response.status_code == 422
    errors = {a["href"].lstrip("#") for a in soup(response).select(".error-summary a")}
    assert {"reported_on", "who", "id_number", "name", "claim_type", "signed"} <= errors
    wrong = paper_claim(
        id_number=ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1"),
        reported_on=(TODAY + timedelta(days=1)).isoformat(),
        receipts_total="abc",
    )
    page = soup(d.post("/staff/paper", wrong))
    errors = {a["href"].lstrip("#") for a in page.select(".error-summary a")}
    assert {"id_number", "reported_on", "receipts_total"} <= errors
    assert page.select_one("#name")["value"] == "陈美华"  # nothing typed is lost


def test_a_paper_claim_keeps_the_form_date_and_who_entered_it(app: Flask, demo: dict) -> None:
    d = desk(app, "handler")
    response = d.post("/staff/paper", paper_claim())
    assert response.status_code == 303, soup(response).select_one(".error-summary")
    claim_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        handler = db.session.scalars(
            sa.select(StaffUser).where(StaffUser.username == "handler")
        ).one()
        assert claim.source is Source.PAPER and claim.entered_by_id == handler.id
        assert claim.reported_on == TODAY - timedelta(days=3)
        assert claim.case_number.startswith(f"{claim.reported_on:%y}")
        assert claim.estimated_amount == Decimal("456.70")
        status = {d.kind: d.status for d in claim.documents}
        assert status[DocumentKind.INSURED_ID_CARD] is DocumentStatus.RECEIVED
        assert status[DocumentKind.MEDICAL_RECORD] is DocumentStatus.MISSING
        assert claim.state is CaseState.DOCUMENTS_NEEDED
        assert claim.events[0].actor_staff_id == handler.id
        assert claim.reporter.phone == "13912345678"
        assert db.session.scalar(
            sa.select(AuditEvent.action).where(
                AuditEvent.claim_id == claim_id, AuditEvent.action == "claim.paper"
            )
        )
    page = soup(d.get(f"/staff/case/{claim_id}"))
    assert "纸质报案" in page.get_text()
