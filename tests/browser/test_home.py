"""The kiosk home page in a real browser, at both text sizes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.kit import new_context

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", ["normal", "xl"])
def test_home_page_at_each_text_size(page: Page, live_server, check_page, size: str) -> None:
    page.goto(f"{live_server.url}/prefs/size/{size}?next=/")
    expect(page.get_by_role("heading", level=1)).to_have_text("您好！请问您要办什么？")
    for name in ("申请理赔", "查询进度", "志愿者协助"):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    assert page.locator("html").get_attribute("class") == f"size-{size}"
    check_page(page, f"home-{size}", text_size=size)


def test_home_page_in_portrait_at_largest_size(page: Page, live_server, check_page) -> None:
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(f"{live_server.url}/prefs/size/xl?next=/")
    check_page(page, "home-portrait-xl", text_size="xl")


def test_language_switch_by_touch_and_back(page: Page, live_server, check_page) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="English").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello! What would you like to do?")
    assert page.locator("html").get_attribute("lang") == "en"
    check_page(page, "home-en")
    page.get_by_role("link", name="中文").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("您好！请问您要办什么？")


def test_works_without_javascript(browser, live_server) -> None:
    context = new_context(
        browser, java_script_enabled=False, viewport={"width": 1024, "height": 768}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=re.compile("文字大小：\\s*特大")).click()
    assert page.locator("html").get_attribute("class") == "size-xl"
    page.get_by_role("link", name="申请理赔").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("您是替谁办理？")
    context.close()


def test_not_found_page_has_a_way_home(page: Page, live_server, check_page) -> None:
    response = page.goto(f"{live_server.url}/no-such-page")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("找不到这个页面")
    check_page(page, "not-found")
    page.get_by_role("link", name="回到首页").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("您好！请问您要办什么？")
