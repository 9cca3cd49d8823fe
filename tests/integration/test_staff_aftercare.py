"""Complaints, home visits and satisfaction in the back office; the receipt reprinted with
the same tracking link; a home visit recorded on a case."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from kiosk.claims.states import CaseState
from kiosk.platform.extensions import db
from kiosk.platform.models import (
    AuditEvent,
    CaseNote,
    Claim,
    Complaint,
    ComplaintStatus,
    HomeVisitRequest,
    HomeVisitStatus,
    utcnow,
)
from kiosk.services.feedback import (
    answer_satisfaction,
    file_complaint,
    request_home_visit,
    visit_slots,
)
from tests.integration.desk import Desk, desk
from tests.integration.test_intake import soup

ADDRESS = "汕头市潮南区峡山街道东山社区3栋201"


def test_a_complaint_is_called_back_and_answered_on_the_case(app: Flask, demo: dict) -> None:
    claim_id = demo[CaseState.DECLINED]
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        token = claim.tracking_token
        complaint_id = file_complaint(claim, "拒赔理由我们不认可", "13912345678").id
        late = file_complaint(claim, "另一件事情想反映一下", None)
        late.received_at = utcnow() - timedelta(hours=30)
        db.session.commit()
    d = desk(app, "handler")
    rows = soup(d.get("/staff/complaints")).select("tr[data-qa=complaint-row]")
    assert len(rows) == 2
    assert "超过24小时未回电" in rows[0].get_text() and "24小时内回电" in rows[1].get_text()
    page = soup(d.get(f"/staff/complaint/{complaint_id}"))
    assert "13912345678" in page.get_text() and "拒赔理由我们不认可" in page.get_text()
    assert d.post(f"/staff/complaint/{complaint_id}/assign").status_code == 303
    d.post(f"/staff/complaint/{complaint_id}/acknowledge", {"text": "已和儿子通话"})
    response = d.post(f"/staff/complaint/{complaint_id}/answer", {"text": ""})
    assert "请写下答复的内容" in soup(d.get(response.headers["Location"])).get_text()
    d.post(f"/staff/complaint/{complaint_id}/answer", {"text": "复核后维持原结论，已电话说明"})
    with app.app_context():
        complaint = db.session.get(Complaint, complaint_id)
        assert complaint.status is ComplaintStatus.ANSWERED and complaint.assigned_to_id
        assert complaint.acknowledged_at and complaint.answered_at
        notes = db.session.scalars(
            sa.select(CaseNote.text).where(CaseNote.claim_id == claim_id)
        ).all()
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.claim_id == claim_id)
        ).all()
    assert notes == ["投诉已回电：已和儿子通话", "投诉答复：复核后维持原结论，已电话说明"]
    assert {"complaint.view", "complaint.assign", "complaint.answer"} <= set(actions)
    assert len(soup(d.get("/staff/complaints")).select("tr[data-qa=complaint-row]")) == 1
    tracking = soup(d.get(f"/t/{token}")).select_one("[data-qa=requests]")
    assert "已答复" in tracking.get_text()


def test_a_home_visit_is_booked_and_done(app: Flask, demo: dict) -> None:
    claim_id = demo[CaseState.DOCUMENTS_NEEDED]
    slots = visit_slots()
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        token = claim.tracking_token
        visit_id = request_home_visit(
            claim, claim.insured.name, "13912345678", ADDRESS, slots[0]
        ).id
        request_home_visit(None, "林阿婆", "075487654321", ADDRESS, slots[1])
    d = desk(app, "handler")
    rows = soup(d.get("/staff/visits")).select("tr[data-qa=visit-row]")
    assert len(rows) == 2 and "林*婆" in rows[1].get_text()
    page = soup(d.get(f"/staff/visit/{visit_id}")).get_text()
    assert ADDRESS in page and "13912345678" in page
    d.post(f"/staff/visit/{visit_id}/book", {"slot": slots[3].value})
    with app.app_context():
        visit = db.session.get(HomeVisitRequest, visit_id)
        assert visit.status is HomeVisitStatus.BOOKED and visit.preferred_date == slots[3].day
    line = soup(d.get(f"/t/{token}")).select_one("[data-qa=requests]").get_text()
    assert "上门服务：已约好" in line
    response = d.post(f"/staff/visit/{visit_id}/done", {"text": ""})
    assert "请写明上门做了什么" in soup(d.get(response.headers["Location"])).get_text()
    d.post(f"/staff/visit/{visit_id}/done", {"text": "收了病历原件，拍照上传"})
    with app.app_context():
        assert db.session.get(HomeVisitRequest, visit_id).status is HomeVisitStatus.DONE
    assert len(soup(d.get("/staff/visits")).select("tr[data-qa=visit-row]")) == 1


def test_satisfaction_answers_and_their_average(app: Flask, demo: dict) -> None:
    with app.app_context():
        answer_satisfaction(db.session.get(Claim, demo[CaseState.PAID]), 5, "很快")
        answer_satisfaction(db.session.get(Claim, demo[CaseState.DECLINED]), 2, "")
    page = soup(desk(app, "boss").get("/staff/satisfaction"))
    assert "平均 3.5 分" in page.select_one("[data-qa=average]").get_text()
    assert "很快" in page.get_text()


def test_the_receipt_is_reprinted_with_the_same_link(app: Flask, demo: dict) -> None:
    claim_id = demo[CaseState.UNDER_REVIEW]
    with app.app_context():
        token = db.session.get(Claim, claim_id).tracking_token
    d = desk(app, "handler")
    for paper in ("a4", "80mm"):
        page = d.get(f"/staff/case/{claim_id}/receipt?paper={paper}")
        assert page.status_code == 200
        assert soup(page).select_one(".receipt-qr svg[role=img]") is not None
        assert re.search(rf"/receipt-{paper}\.[0-9a-f]{{12}}\.css", page.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(Claim, claim_id).tracking_token == token
        assert (
            db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "case.receipt"))
            == 2
        )
    assert d.post(f"/staff/case/{claim_id}/reprint").status_code == 404  # no printer here


def test_a_visit_recorded_on_the_case(app: Flask, demo: dict) -> None:
    claim_id = demo[CaseState.UNDER_REVIEW]
    d: Desk = desk(app, "handler")
    response = d.act(claim_id, "visit", {"visit_note": ""})
    assert "请写明上门做了什么" in soup(response).select_one("#visit_note-error").get_text()
    assert d.act(claim_id, "visit", {"visit_note": "上门收了出院小结"}).status_code == 303
    with app.app_context():
        visit = db.session.scalars(sa.select(HomeVisitRequest)).one()
        assert (visit.claim_id, visit.status) == (claim_id, HomeVisitStatus.DONE)


def test_a_lost_receipt_gets_a_new_link(app: Flask, demo: dict) -> None:
    claim_id = demo[CaseState.DOCUMENTS_NEEDED]
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        old_token, old_code = claim.tracking_token, claim.supplement_code
    d = desk(app, "handler")
    assert d.get(f"/t/{old_token}").status_code == 200
    assert d.act(claim_id, "link", {}).status_code == 303
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        new_token, new_code = claim.tracking_token, claim.supplement_code
    assert new_token != old_token and new_code != old_code
    assert d.get(f"/t/{old_token}").status_code == 404
    assert d.get(f"/t/{new_token}").status_code == 200
    page = d.get(f"/staff/case/{claim_id}/receipt").get_data(as_text=True)
    assert f"{new_code[:3]} {new_code[3:]}" in page and f"{old_code[:3]} {old_code[3:]}" not in page
