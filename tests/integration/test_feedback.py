"""投诉、满意度、上门服务 from the tracking link, and 上门服务 from the kiosk home."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import Flask

from kiosk.claims.states import CaseState, Role
from kiosk.platform.extensions import db
from kiosk.platform.models import (
    AuditEvent,
    Claim,
    Complaint,
    HalfDay,
    HomeVisitRequest,
    HomeVisitStatus,
    SatisfactionAnswer,
)
from kiosk.services.cases import move_case
from kiosk.services.feedback import visit_slots
from tests.integration.test_intake import TODAY, Kiosk, errors, soup
from tests.integration.test_models import raw_row

CALLBACK = "13912345678"
ADDRESS = "汕头市潮南区峡山街道东山社区3栋201"


def post(kiosk: Kiosk, form_page: str, action: str, data: dict):
    """Post `data` to `action` with the CSRF token of the page the form is on."""
    token = soup(kiosk.get(form_page)).select_one("input[name=csrf_token]")["value"]
    return kiosk.client.post(action, data={"csrf_token": token, **data})


def close(claim: Claim) -> None:
    move_case(claim, CaseState.UNDER_REVIEW, Role.SYSTEM)
    move_case(claim, CaseState.APPROVED, Role.HANDLER)
    move_case(claim, CaseState.PAID, Role.HANDLER)
    claim.approved_amount = claim.paid_amount = Decimal("303.45")
    claim.paid_on = TODAY
    db.session.commit()


def test_a_complaint_is_filed_once_and_the_case_page_says_when_it_is_answered(
    kiosk: Kiosk,
    claim: Claim,
) -> None:
    case_page = f"/t/{claim.tracking_token}"
    form_page = case_page + "/complaint"
    link = soup(kiosk.get(case_page)).select_one("[data-qa=complaint]")
    assert link["href"] == form_page
    form = soup(kiosk.get(form_page))
    assert "138****5678" in form.get_text()  # the phone on file, masked: the field is optional

    for text, problem in (
        ("", "请写下您的意见"),
        ("太慢", "请多写几个字，至少5个字，我们才能明白"),
        ("慢" * 1001, "最多写1000个字，您写了1001个"),
    ):
        response = post(kiosk, form_page, form_page, {"text": text, "phone": ""})
        assert errors(response) == {"text": problem}
    response = post(kiosk, form_page, form_page, {"text": "三天了还没人打电话", "phone": "1391"})
    assert errors(response) == {"phone": "手机号码应为11位，您输入了4位"}
    assert soup(response).select_one("#text").get_text() == "三天了还没人打电话"  # kept
    assert db.session.scalar(sa.select(sa.func.count(Complaint.id))) == 0

    for _ in range(2):  # a double tap is one complaint
        response = post(
            kiosk, form_page, form_page, {"text": "三天了还没人打电话<script>", "phone": CALLBACK}
        )
        assert response.status_code == 303 and response.headers["Location"] == case_page
    complaint = db.session.scalars(sa.select(Complaint)).one()
    assert complaint.claim_id == claim.id and complaint.callback_phone == CALLBACK
    assert CALLBACK.encode() not in bytes(raw_row("complaint", complaint.id)["callback_phone"])
    audit = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "complaint.file"))
    assert [a.actor_role for a in audit] == [Role.CUSTOMER]

    page = kiosk.get(case_page).get_data(as_text=True)
    assert "已收到您的意见" in page  # the flash, once
    assert "提的意见：已收到" in page and CALLBACK not in page and "<script>" not in page
    assert "已收到您的意见" not in kiosk.get(case_page).get_data(as_text=True)


def test_a_case_without_a_phone_asks_for_one(kiosk: Kiosk, claim: Claim) -> None:
    claim.insured.phone = None
    if claim.reporter:
        claim.reporter.phone = None
    db.session.commit()
    form_page = f"/t/{claim.tracking_token}/complaint"
    response = post(kiosk, form_page, form_page, {"text": "三天了还没人打电话", "phone": ""})
    assert errors(response) == {"phone": "请输入电话号码"}


def test_satisfaction_once_the_case_is_closed_and_only_once(
    kiosk: Kiosk,
    claim: Claim,
) -> None:
    case_page = f"/t/{claim.tracking_token}"
    action = case_page + "/satisfaction"
    assert soup(kiosk.get(case_page)).select_one("[name=score]") is None
    assert post(kiosk, case_page, action, {"score": "5"}).status_code == 404  # still open

    close(claim)
    faces = soup(kiosk.get(case_page)).select("[name=score]")
    assert [f["value"] for f in faces] == ["1", "2", "3", "4", "5"]
    response = post(kiosk, case_page, action, {"score": "", "comment": "好"})
    assert errors(response) == {"score": "请选择一项"}
    assert soup(response).select_one("#comment").get_text() == "好"
    assert errors(post(kiosk, case_page, action, {"score": "9"})) == {"score": "请选择一项"}

    response = post(kiosk, case_page, action, {"score": "4", "comment": "工作人员很耐心"})
    assert response.status_code == 303
    post(kiosk, case_page + "/complaint", action, {"score": "1"})  # changes nothing
    answer = db.session.scalars(sa.select(SatisfactionAnswer)).one()
    assert (answer.claim_id, answer.score, answer.comment) == (claim.id, 4, "工作人员很耐心")
    page = soup(kiosk.get(case_page))
    assert page.select_one("[name=score]") is None
    assert page.select_one("[data-qa=satisfaction]").get_text() == "您的评价：满意。谢谢！"


def test_a_home_visit_from_the_link(kiosk: Kiosk, claim: Claim) -> None:
    case_page = f"/t/{claim.tracking_token}"
    form_page = case_page + "/visit"
    assert soup(kiosk.get(case_page)).select_one("[data-qa=visit]")["href"] == form_page
    form = soup(kiosk.get(form_page))
    slots = [i["value"] for i in form.select("[name=slot]")]
    assert slots == [s.value for s in visit_slots()] and len(slots) == 6
    assert form.select_one("#name") is None  # the case knows who

    response = post(kiosk, form_page, form_page, {"phone": "", "address": "3栋", "slot": ""})
    assert errors(response) == {
        "phone": "请输入电话号码",
        "address": "地址太短了，请写到门牌号，例如：某某街道某某小区3栋201",
        "slot": "请选一个方便的时间",
    }
    assert soup(response).select_one("#address").get_text() == "3栋"
    response = post(
        kiosk, form_page, form_page, {"phone": CALLBACK, "address": ADDRESS, "slot": slots[1]}
    )
    assert response.status_code == 303 and response.headers["Location"] == case_page
    visit = db.session.scalars(sa.select(HomeVisitRequest)).one()
    assert (visit.claim_id, visit.name, visit.phone, visit.address) == (
        claim.id,
        claim.insured.name,
        CALLBACK,
        ADDRESS,
    )
    assert visit.preferred_half_day is HalfDay.AFTERNOON
    assert visit.status is HomeVisitStatus.REQUESTED
    row = raw_row("home_visit_request", visit.id)
    assert ADDRESS.encode() not in bytes(row["address"])

    page = soup(kiosk.get(case_page))
    line = page.select_one("[data-qa=requests]").get_text()
    assert "上门服务：已申请" in line and "下午" in line and ADDRESS not in str(page)
    assert page.select_one("[data-qa=visit]") is None
    assert kiosk.get(form_page).status_code == 303  # one open request per case


def test_a_home_visit_from_the_kiosk_home(app: Flask, kiosk: Kiosk) -> None:
    home = soup(kiosk.get("/"))
    assert home.select_one("[data-qa=visit]")["href"] == "/visit"
    slot = visit_slots()[0].value
    response = post(kiosk, "/visit", "/visit", {"name": "林@阿婆", "phone": "", "address": ""})
    assert set(errors(response)) == {"name", "phone", "address", "slot"}
    data = {"name": "林阿婆", "phone": "0754-8765 4321", "address": ADDRESS, "slot": slot}
    response = post(kiosk, "/visit", "/visit", data)
    assert response.status_code == 303 and response.headers["Location"] == "/visit/sent"
    sent = kiosk.get("/visit/sent")
    assert "上午" in soup(sent).select_one("[data-qa=visit-sent]").get_text()
    assert ADDRESS not in sent.get_data(as_text=True)
    assert kiosk.get("/visit/sent").status_code == 302  # shown once, then home
    with app.app_context():
        visit = db.session.scalars(sa.select(HomeVisitRequest)).one()
        assert (visit.claim_id, visit.name, visit.phone) == (None, "林阿婆", "075487654321")


def test_feedback_forms_are_rate_limited_per_case(kiosk: Kiosk, claim: Claim) -> None:
    form_page = f"/t/{claim.tracking_token}/complaint"
    statuses = [
        post(kiosk, form_page, form_page, {"text": "", "phone": ""}).status_code for _ in range(11)
    ]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429


@pytest.mark.parametrize(
    ("today", "days"),
    [
        (date(2026, 11, 27), [date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)]),  # Fri
        (date(2026, 9, 30), [date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)]),  # 国庆
    ],
)
def test_visit_slots_are_working_half_days(today: date, days: list[date]) -> None:
    slots = visit_slots(today)
    assert [s.day for s in slots[::2]] == days
    assert [s.half for s in slots[:2]] == [HalfDay.MORNING, HalfDay.AFTERNOON]
