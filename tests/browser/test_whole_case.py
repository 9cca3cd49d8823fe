"""A whole case in real browsers: a disability claim reported at the kiosk with its documents
left for later; the family sends them from the tracking link on a phone; a handler asks for
one more; the family sends it; the handler approves, a different approver gives the second
approval, the handler records the payment; the family's page shows 已赔付 with the amount."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from kiosk.claims.states import CaseState
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, StaffRole
from tests.browser.kit import new_context
from tests.browser.test_intake import Walk, jpeg, walk_claim
from tests.browser.test_receipts import PHONE
from tests.browser.test_staff import DESKTOP, PASSWORD, account

pytestmark = pytest.mark.browser


def send_every_missing_document(phone: Page, url: str, seed: int) -> int:
    """Photograph each document the tracking page asks for; how many were sent."""
    phone.goto(url)
    sent = 0
    while phone.locator(".missing-list").count():
        upload = phone.locator("form.upload input[type=file]").first
        upload.set_input_files(
            files=[{"name": "p.jpg", "mimeType": "image/jpeg", "buffer": jpeg(seed + sent)}]
        )
        sent += 1
        expect(phone.locator("[role=status]").first).to_contain_text("1")
        phone.goto(url)
        assert sent < 12, "the missing documents never ran out"
    return sent


def staff_page(browser, live_server, username: str) -> Page:
    page = new_context(browser, viewport=DESKTOP, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/staff/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("工作队列")
    return page


def test_a_case_from_the_kiosk_to_payment(page, browser, live_server) -> None:
    page.goto(f"{live_server.url}/")
    number = walk_claim(Walk(page, lambda *a, **k: None, "normal"), "受伤留下伤残")
    with live_server.app.app_context():
        claim = db.session.scalars(
            sa.select(Claim).where(Claim.case_number == number.replace(" ", ""))
        ).one()
        claim_id, token = claim.id, claim.tracking_token
        assert claim.state is CaseState.DOCUMENTS_NEEDED
    tracking = f"{live_server.url}/t/{token}"
    phone = new_context(browser, viewport=PHONE, locale="zh-CN", has_touch=True).new_page()
    assert send_every_missing_document(phone, tracking, seed=20) >= 2
    expect(phone.locator("[aria-current=step]")).to_contain_text("审核中")

    account(live_server, "case-handler", StaffRole.HANDLER)
    account(live_server, "case-approver", StaffRole.APPROVER)
    handler = staff_page(browser, live_server, "case-handler")
    handler.goto(f"{live_server.url}/staff/case/{claim_id}")
    handler.locator("#request input[value=other]").check()
    handler.locator("#message").fill("请补充伤残鉴定机构的资质证明")
    handler.locator("[data-qa=request]").click()
    expect(handler.locator("[data-qa=state]")).to_contain_text("待补材料")

    phone.goto(tracking)
    expect(phone.locator(".missing-list")).to_contain_text("请补充伤残鉴定机构的资质证明")
    assert send_every_missing_document(phone, tracking, seed=40) == 1

    handler.goto(f"{live_server.url}/staff/case/{claim_id}")
    handler.locator("#amount").fill("2100")
    handler.locator("#reason").fill("按鉴定报告，伤残四级")
    handler.locator("[data-qa=approve]").click()
    expect(handler.locator("[data-qa=state]")).to_contain_text("待审批")
    expect(handler.locator("[data-qa=approve]")).to_have_count(0)  # not the same person

    approver = staff_page(browser, live_server, "case-approver")
    approver.goto(f"{live_server.url}/staff/case/{claim_id}")
    expect(approver.locator("#amount")).to_have_value("2100.00")
    approver.locator("[data-qa=approve]").click()
    expect(approver.locator("[data-qa=state]")).to_contain_text("审核通过")

    handler.goto(f"{live_server.url}/staff/case/{claim_id}")
    handler.locator("#reference").fill("ABC20261201-0001")
    handler.locator("[data-qa=pay]").click()
    expect(handler.locator("[data-qa=state]")).to_contain_text("已赔付")

    phone.goto(tracking)
    expect(phone.locator("[aria-current=step]")).to_contain_text("已赔付")
    expect(phone.locator(".estimate")).to_contain_text(re.compile(r"¥2,100\.00"))
