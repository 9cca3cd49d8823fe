"""Shared-kiosk safety in a real browser: the idle dialog and clearing, pause and resume, volunteers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.kit import new_context
from tests.browser.test_intake import ID_NUMBER

pytestmark = pytest.mark.browser


def start_claim(page: Page, base: str) -> None:
    page.goto(f"{base}/claim")
    page.get_by_text("我是被保险人本人", exact=True).tap()
    page.get_by_role("button", name="下一步").tap()
    page.get_by_label("身份证号码（18位）").fill(ID_NUMBER)
    page.get_by_label("姓名", exact=True).fill("陈美华")
    page.get_by_role("button", name="下一步").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("老人的电话号码")


def test_idle_warning_then_clear_leaves_nothing_on_screen(
    page: Page, live_server, check_page
) -> None:
    page.clock.install()
    start_claim(page, live_server.url)
    page.evaluate("localStorage.setItem('left', 'behind')")
    page.clock.run_for(1000)  # let htmx settle the last swap (its timers run on this clock too)
    page.clock.fast_forward("01:58")
    dialog = page.get_by_role("dialog", name="还需要更多时间吗？")
    expect(dialog).to_be_hidden()
    page.clock.fast_forward("00:02")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("45 秒后清空")
    expect(dialog.get_by_role("button", name="继续")).to_be_focused()
    check_page(page, "idle-dialog")
    # 继续 keeps everything
    dialog.get_by_role("button", name="继续").tap()
    expect(dialog).to_be_hidden()
    page.clock.run_for(1000)
    expect(page.get_by_role("heading", level=1)).to_have_text("老人的电话号码")
    # now walk away
    page.clock.fast_forward("02:01")
    expect(dialog).to_be_visible()
    page.clock.fast_forward("00:46")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("您好！请问您要办什么？")
    assert page.evaluate("localStorage.length") == 0
    assert "陈" not in page.content()
    page.go_back()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("老人的电话号码")
    assert "陈*华" not in page.content()


def test_pause_shows_a_code_that_resumes_on_another_tablet(
    browser, page: Page, live_server, check_page
) -> None:
    start_claim(page, live_server.url)
    page.get_by_role("button", name="暂停，以后再办").tap()
    code = page.locator("[data-qa=resume-code]").inner_text()
    assert re.fullmatch(r"\d{3} \d{3}", code)
    check_page(page, "paused")

    other = new_context(browser, viewport={"width": 1024, "height": 768}, has_touch=True).new_page()
    other.goto(f"{live_server.url}/claim")
    other.get_by_role("link", name="上次没办完？用续办码继续").tap()
    other.get_by_label("续办码（6位数字）").fill(code)
    other.get_by_role("button", name="继续办理").tap()
    expect(other.get_by_role("heading", level=1)).to_have_text("老人的电话号码")
    expect(other.locator(".for-whom")).to_contain_text("陈*华")
    other.context.close()


def test_volunteer_helps_one_person_then_the_next(page: Page, live_server, check_page) -> None:
    from kiosk.platform.extensions import db
    from kiosk.services.volunteers import issue_volunteer

    with live_server.app.app_context():
        _, code = issue_volunteer("小李", "峡山街道")
        db.session.remove()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=re.compile("志愿者协助")).tap()
    check_page(page, "volunteer-sign-in")
    page.get_by_label("志愿者码").fill(code)
    page.get_by_role("button", name="登录").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("您好，小李")
    check_page(page, "volunteer-home")
    page.get_by_role("button", name=re.compile("帮一位老人报案")).tap()
    expect(page.get_by_label("我是志愿者，帮老人办理")).to_be_visible()
    page.goto(f"{live_server.url}/volunteer/cases")
    check_page(page, "volunteer-cases")


def test_read_aloud_reads_the_question_and_never_a_number(page: Page, live_server) -> None:
    # A test double for the browser's voice: record what would be spoken.
    page.add_init_script(
        """
        window.spoken = [];
        window.speechSynthesis.speak = (u) => { window.spoken.push(u.text); };
        window.speechSynthesis.cancel = () => {};
        """
    )
    start_claim(page, live_server.url)
    page.get_by_label("电话号码").fill("13812345678")
    button = page.get_by_role("button", name="读给我听")
    button.tap()
    spoken = page.evaluate("window.spoken")
    assert len(spoken) == 1
    assert "老人的电话号码" in spoken[0] and "电话号码" in spoken[0]
    assert not re.search(r"\d{6,}", spoken[0]) and "13812345678" not in spoken[0]
    expect(button).to_have_attribute("aria-pressed", "true")
    page.get_by_role("heading", level=1).tap()  # the next tap stops it
    expect(button).to_have_attribute("aria-pressed", "false")
