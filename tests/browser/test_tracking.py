"""The tracking page on a phone, at both text sizes, with axe and the size checks."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from kiosk.claims.calendar import today_in_china
from kiosk.claims.sla import complex_review_limit
from kiosk.claims.states import CaseState
from kiosk.demo import seed_demo
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim
from tests.browser.kit import new_context

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("size", ["normal", "xl"])
def test_the_tracking_page_on_a_phone(browser, live_server, check_page, size: str) -> None:
    with live_server.app.app_context():
        if not db.session.scalar(sa.select(sa.func.count()).select_from(Claim)):
            seed_demo(today_in_china())
        claims = db.session.scalars(sa.select(Claim)).all()
        tokens = {claim.state.value: claim.tracking_token for claim in claims}
        in_review = next((c for c in claims if c.state is CaseState.UNDER_REVIEW), None)
        if in_review is None:  # the database held another test's claims
            in_review = next(
                c
                for c in seed_demo(today_in_china(), only_if_empty=False)
                if c.state is CaseState.UNDER_REVIEW
            )
            tokens["under_review"] = in_review.tracking_token
        in_review.complex_reason = "需要向医院核实住院记录，医院回复一般要两到三周"  # 复杂案件
        in_review.complex_until = complex_review_limit(today_in_china())
        db.session.commit()
    context = new_context(browser, viewport=PHONE, locale="zh-CN", has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/prefs/size/{size}?next=/")
    for state, token in sorted(tokens.items()):
        page.goto(f"{live_server.url}/t/{token}")
        expect(page.get_by_role("heading", level=1)).to_have_text("理赔进度")
        if state == "under_review":
            expect(page.locator("[data-qa=due]")).to_contain_text("这个案件比较复杂")
        check_page(page, f"tracking-{state}-{size}", text_size=size)
    context.close()


def test_look_up_at_the_kiosk_by_touch(page, live_server, check_page) -> None:
    with live_server.app.app_context():
        if not db.session.scalar(sa.select(sa.func.count()).select_from(Claim)):
            seed_demo(today_in_china())
        claim = db.session.scalars(sa.select(Claim)).first()
        number, six = claim.case_number, claim.insured.id_number[-6:]
    page.goto(f"{live_server.url}/prefs/size/xl?next=/")
    page.locator("[data-qa=track]").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("查询进度")
    check_page(page, "lookup-xl", text_size="xl")
    page.locator("#case_number").fill(number)
    page.locator("#id_last_six").fill("000000")
    page.get_by_role("button", name="查询").tap()
    expect(page.locator(".error-summary")).to_contain_text("报案号或身份证后6位不对")
    check_page(page, "lookup-wrong-xl", text_size="xl")
    page.locator("#id_last_six").fill(six)
    page.get_by_role("button", name="查询").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("理赔进度")
    check_page(page, "tracking-at-kiosk-xl", text_size="xl")
