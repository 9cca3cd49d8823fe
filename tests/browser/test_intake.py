"""The intake in a real browser: every claim type completed by taps, every page checked."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import Page, expect

from kiosk.claims.validation import luhn_ok
from kiosk.demo import demo_id_number
from tests.browser.kit import new_context, printed, wait_for_print

pytestmark = pytest.mark.browser

english = Translations.load(str(Path(__file__).resolve().parents[2] / "kiosk/translations"), ["en"])
ID_NUMBER = demo_id_number(date(1948, 12, 31), 11)
ACCOUNT = next(
    f"622848000000000{n:04d}" for n in range(10000) if luhn_ok(f"622848000000000{n:04d}")
)


def jpeg(seed: int = 0) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    image = Image.new("RGB", (800, 600), "white")
    image.paste((seed * 30 % 256, 0, 0), (0, 0, 300, 300))
    image.save(out, "JPEG")
    return out.getvalue()


class Walk:
    """Taps through the intake like a person would, checking every page it meets."""

    def __init__(
        self, page: Page, check_page, size: str, lang: str = "zh_CN", scripted: bool = True
    ) -> None:
        self.page, self.check_page, self.size = page, check_page, size
        self.scripted = scripted  # JavaScript on: the receipt prints by itself
        self.visited = 0
        self.t = english.gettext if lang == "en" else (lambda text: text)

    def check(self, name: str) -> None:
        self.visited += 1
        self.check_page(self.page, f"{self.visited:02d}-{name}", text_size=self.size)

    def choose(self, label: str) -> None:
        self.page.get_by_text(self.t(label), exact=True).first.tap()

    def next(self, label: str = "下一步") -> None:
        self.page.get_by_role("button", name=self.t(label)).tap()

    def heading(self, text: str) -> None:
        expect(self.page.get_by_role("heading", level=1)).to_have_text(self.t(text))

    def quick_date(self, label: str) -> None:
        self.page.get_by_role("button", name=re.compile("^" + re.escape(self.t(label)))).tap()


def walk_claim(
    walk: Walk, claim_type_label: str, *, family: bool = False, photo: bytes | None = None
) -> str:
    page, t = walk.page, walk.t
    page.get_by_role("link", name=re.compile(t("申请理赔"))).tap()
    walk.heading("您是替谁办理？")
    walk.check("who")
    walk.choose("我替家人来报案" if family else "我是被保险人本人")
    walk.next()

    walk.heading("老人的身份证号码和姓名")
    walk.check("identity")
    page.get_by_label(t("身份证号码（18位）")).fill(ID_NUMBER)
    page.get_by_label(t("姓名"), exact=True).fill("陈美华")
    walk.next()

    if family:
        walk.heading("您的姓名和电话")
        walk.check("reporter")
        page.get_by_label(t("您的姓名")).fill("李小明")
        walk.choose("子女")
        page.get_by_label(t("您的手机号码")).fill("13912345678")
        walk.next()

    walk.heading("老人的电话号码")
    walk.check("phone")
    page.get_by_label(t("电话号码"), exact=True).fill("13812345678")
    walk.next()

    walk.heading("出了什么事？")
    walk.check("claim-type")
    walk.choose(claim_type_label)
    walk.next()

    if claim_type_label == "乘坐公共交通出事":
        walk.heading("当时坐的是什么交通工具？")
        walk.check("transport")
        walk.choose("汽车、公交车、出租车")
        walk.next()

    walk.heading("意外是哪一天发生的？")
    walk.check("accident-date")
    walk.quick_date("前天")

    if claim_type_label == "住院了":
        walk.heading("哪一天住进医院的？")
        walk.check("admission-date")
        walk.quick_date("前天")
        walk.heading("哪一天出院的？")
        walk.check("discharge-date")
        walk.quick_date("今天")

    if claim_type_label in ("家人意外去世", "乘坐公共交通出事", "受伤留下伤残"):
        walk.heading(
            "伤残鉴定是哪一天做的？"
            if claim_type_label == "受伤留下伤残"
            else "老人是哪一天去世的？"
        )
        walk.check("outcome-date")
        walk.quick_date("今天")

    walk.heading("在哪里出的事？怎么发生的？")
    walk.check("place")
    walk.choose("在家里")
    walk.choose("摔倒")
    walk.next()

    walk.heading("拍下材料，或者以后再补")
    if photo:
        first = page.locator("input[type=file]").first
        first.set_input_files(files=[{"name": "id.jpg", "mimeType": "image/jpeg", "buffer": photo}])
        if page.locator("[data-upload-submit]").first.is_visible():  # no JavaScript: send it
            page.locator("[data-upload-submit]").first.tap()
        expect(page.locator("ul.thumbs img").first).to_be_visible()
        expect(page.locator("[role=status]")).to_contain_text("1")
        if claim_type_label == "看了门诊":  # a receipt too: its total is asked next
            page.locator("#photo-medical_receipt").set_input_files(
                files=[{"name": "r.jpg", "mimeType": "image/jpeg", "buffer": jpeg(seed=7)}]
            )
            if page.locator("[data-upload-submit]").first.is_visible():
                page.locator("#document-medical_receipt [data-upload-submit]").tap()
            expect(page.locator("#document-medical_receipt ul.thumbs img")).to_be_visible()
    if claim_type_label == "住院了":
        expect(page.locator(".estimate-figure")).to_have_text(re.compile(r"× 2\S* ?\S* = "))
    walk.check("documents")
    walk.next()

    if photo and claim_type_label == "看了门诊":
        walk.heading("每张票据的合计金额")
        walk.check("receipts")
        page.locator("input[name^=amount-]").fill("256.80")
        walk.next()

    walk.heading("赔款打到哪个银行账户？")
    walk.check("payment")
    walk.choose("中国农业银行")
    page.get_by_label(t("银行卡号或存折账号")).fill(ACCOUNT)
    walk.next()

    walk.heading("请核对您填写的内容")
    walk.check("check")
    walk.choose("我同意为理赔使用以上敏感个人信息")
    walk.next("提交报案")

    walk.heading("报案成功")
    if walk.scripted:
        wait_for_print(page, "/claim/done/receipt")  # the receipt, printed once by itself
    walk.check("done")
    if walk.scripted:
        assert printed(page) == ["/claim/done/receipt"]
    number = page.locator("[data-qa=case-number]").inner_text()
    assert re.fullmatch(r"\d\d \d{4} \d{4}", number)
    return number


@pytest.mark.parametrize(
    "claim_type_label", ["住院了", "看了门诊", "受伤留下伤残", "家人意外去世", "乘坐公共交通出事"]
)
def test_each_claim_type_completed_by_touch(
    page: Page, live_server, check_page, claim_type_label
) -> None:
    page.goto(f"{live_server.url}/")
    walk = Walk(page, check_page, "normal")
    photo = jpeg() if claim_type_label == "看了门诊" else None
    walk_claim(walk, claim_type_label, family=claim_type_label == "家人意外去世", photo=photo)


def test_hospital_allowance_at_largest_text(page: Page, live_server, check_page) -> None:
    page.goto(f"{live_server.url}/prefs/size/xl?next=/")
    walk_claim(Walk(page, check_page, "xl"), "住院了", photo=jpeg())


@pytest.mark.parametrize("size", ["normal", "xl"])
def test_hospital_allowance_in_english(page: Page, live_server, check_page, size: str) -> None:
    page.goto(f"{live_server.url}/prefs/lang/en?next=/prefs/size/{size}%3Fnext%3D/")
    assert page.locator("html").get_attribute("lang") == "en"
    walk_claim(Walk(page, check_page, size, lang="en"), "住院了", photo=jpeg())


def test_errors_are_summarised_focused_and_keep_what_was_typed(
    page: Page, live_server, check_page
) -> None:
    page.goto(f"{live_server.url}/claim")
    page.get_by_text("我是被保险人本人", exact=True).tap()
    page.get_by_role("button", name="下一步").tap()
    page.get_by_label("身份证号码（18位）").fill(ID_NUMBER[:17])
    page.get_by_label("姓名", exact=True).fill("陈美华")
    page.get_by_role("button", name="下一步").tap()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("身份证号码应为18位，您输入了17位")
    assert page.title().startswith("错误：")
    expect(page.get_by_label("姓名", exact=True)).to_have_value("陈美华")
    check_page(page, "identity-error")
    summary.get_by_role("link").tap()
    expect(page.get_by_label("身份证号码（18位）")).to_be_focused()


def test_back_button_and_previous_link_both_work(page: Page, live_server) -> None:
    log = []
    page.on(
        "request",
        lambda r: log.append(
            f"{r.method} {r.url} nav={r.is_navigation_request()} hx={r.headers.get('hx-request')}"
        ),
    )
    page.on("framenavigated", lambda f: log.append(f"NAV {f.url}"))
    page.goto(f"{live_server.url}/claim")
    page.get_by_text("我是被保险人本人", exact=True).tap()
    page.get_by_role("button", name="下一步").tap()
    expect(page).to_have_url(re.compile("/claim/identity$"))
    page.go_back()
    try:
        expect(page).to_have_url(re.compile("/claim/who$"))
    except AssertionError:
        print("\n".join(log))
        raise
    expect(page.get_by_role("heading", level=1)).to_have_text("您是替谁办理？")
    expect(page.get_by_label("我是被保险人本人")).to_be_checked()
    # On again by the page's own button (a kiosk browser has no Forward button), then back
    # by the page's own 上一步.
    page.get_by_role("button", name="下一步").tap()
    expect(page).to_have_url(re.compile("/claim/identity$"))
    expect(page.get_by_label("身份证号码（18位）")).to_be_visible()
    page.get_by_role("link", name="上一步").tap()
    expect(page).to_have_url(re.compile("/claim/who$"))


def test_whole_claim_without_javascript(browser, live_server) -> None:
    context = new_context(
        browser, java_script_enabled=False, viewport={"width": 1024, "height": 768}, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    walk = Walk(page, lambda *a, **k: None, "normal", scripted=False)
    walk_claim(walk, "看了门诊", photo=jpeg())
    context.close()
