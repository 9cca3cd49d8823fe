"""投诉、满意度、上门服务 on a phone by touch at the largest text size, with axe on each page;
and the tracking page's minute refresh, which must never wipe a form being filled in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kiosk.claims.states import CaseState
from tests.browser.kit import new_context
from tests.browser.test_receipts import PHONE, demo

pytestmark = pytest.mark.browser


def phone_page(browser, live_server, size: str = "xl"):
    context = new_context(browser, viewport=PHONE, locale="zh-CN", has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/prefs/size/{size}?next=/")
    return context, page


def test_rating_and_complaining_about_a_paid_case(browser, live_server, check_page) -> None:
    claim = demo(live_server, CaseState.PAID)
    context, page = phone_page(browser, live_server)
    page.goto(f"{live_server.url}/t/{claim.tracking_token}")
    expect(page.get_by_role("heading", name="您对这次理赔服务满意吗？")).to_be_visible()
    page.get_by_role("button", name="提交评价").tap()
    expect(page.locator(".error-summary")).to_contain_text("请选择一项")
    check_page(page, "satisfaction-error-xl", text_size="xl")
    page.locator("label[for=score-4]").tap()
    page.locator("#comment").fill("工作人员很耐心")
    page.get_by_role("button", name="提交评价").tap()
    expect(page.locator("[data-qa=satisfaction]")).to_have_text("您的评价：满意。谢谢！")
    check_page(page, "satisfaction-done-xl", text_size="xl")

    page.locator("[data-qa=complaint]").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("投诉或建议")
    check_page(page, "complaint-xl", text_size="xl")
    page.get_by_role("button", name="提交").tap()
    expect(page.locator(".error-summary")).to_contain_text("请写下您的意见")
    check_page(page, "complaint-error-xl", text_size="xl")
    page.locator("#text").fill("赔款到账比说的晚了两天")
    page.get_by_role("button", name="提交").tap()
    expect(page.get_by_role("status")).to_contain_text("已收到您的意见")
    expect(page.locator("[data-qa=requests]")).to_contain_text("提的意见：已收到")
    context.close()


def test_asking_for_a_home_visit_from_the_link(browser, live_server, check_page) -> None:
    claim = demo(live_server, CaseState.UNDER_REVIEW)
    context, page = phone_page(browser, live_server)
    page.goto(f"{live_server.url}/t/{claim.tracking_token}")
    page.locator("[data-qa=visit]").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("申请上门服务")
    check_page(page, "visit-xl", text_size="xl")
    page.locator("#phone").fill("13912345678")
    page.locator("#address").fill("汕头市潮南区峡山街道东山社区3栋201")
    page.locator("label[for^=slot-]").nth(1).tap()
    page.get_by_role("button", name="提交申请").tap()
    expect(page.locator("[data-qa=requests]")).to_contain_text("上门服务：已申请")
    expect(page.locator("[data-qa=visit]")).to_have_count(0)
    check_page(page, "visit-requested-xl", text_size="xl")
    context.close()


def test_asking_for_a_home_visit_at_the_kiosk(page, live_server, check_page) -> None:
    page.goto(f"{live_server.url}/prefs/size/xl?next=/")
    page.locator("[data-qa=visit]").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("申请上门服务")
    page.get_by_role("button", name="提交申请").tap()
    expect(page.locator(".error-summary li")).to_have_count(4)
    check_page(page, "kiosk-visit-errors-xl", text_size="xl")
    page.locator("#name").fill("林阿婆")
    page.locator("#phone").fill("0754-87654321")
    page.locator("#address").fill("汕头市潮南区峡山街道东山社区3栋201")
    page.locator("label[for^=slot-]").first.tap()
    page.get_by_role("button", name="提交申请").tap()
    expect(page.locator("[data-qa=visit-sent]")).to_contain_text("上午")
    check_page(page, "kiosk-visit-sent-xl", text_size="xl")


def test_the_minute_refresh_leaves_a_form_being_filled_in_alone(browser, live_server) -> None:
    claim = demo(live_server, CaseState.DECLINED)
    context, page = phone_page(browser, live_server, "normal")
    page.clock.install()
    url = f"{live_server.url}/t/{claim.tracking_token}"
    refreshes: list[str] = []
    page.on("request", lambda r: refreshes.append(r.url) if r.url == url else None)
    page.goto(url)
    refreshes.clear()  # the page itself
    with page.expect_request(url):  # an untouched page refreshes after a minute
        page.clock.run_for("01:05")
    assert len(refreshes) == 1

    page.locator("#comment").fill("谢谢")  # no other test rates the declined demo case
    page.clock.run_for("02:05")
    page.wait_for_timeout(500)
    assert len(refreshes) == 1, "no refresh while the form is being filled in"
    expect(page.locator("#comment")).to_have_value("谢谢")
    context.close()
