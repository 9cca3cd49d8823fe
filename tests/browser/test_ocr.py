"""The OCR screens in a real browser: photograph the ID card, confirm what was read, by touch."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from io import BytesIO

import pytest
from playwright.sync_api import Page, expect

from kiosk.ocr.samples import id_card, receipt
from tests.browser.kit import BUDGET_MS, new_context
from tests.browser.test_intake import ID_NUMBER, Walk

pytestmark = pytest.mark.browser
OCR_BUDGET_MS = 3 * BUDGET_MS  # a real reading on a loaded machine took up to 53 s
NAME = "陈美华"


def card_jpeg() -> bytes:
    out = BytesIO()
    id_card(random.Random(5), name=NAME, number=ID_NUMBER).image.save(out, "JPEG", quality=90)
    return out.getvalue()


def photograph_card(page: Page, url: str) -> None:
    page.goto(f"{url}/claim")
    page.get_by_text("我是被保险人本人", exact=True).tap()
    page.get_by_role("button", name="下一步").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("老人的身份证号码和姓名")
    page.locator("#photo").set_input_files(
        files=[{"name": "card.jpg", "mimeType": "image/jpeg", "buffer": card_jpeg()}]
    )
    if page.locator("[data-upload-submit]").is_visible():  # no JavaScript: send it
        page.locator("[data-upload-submit]").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "请核对身份证上的信息", timeout=OCR_BUDGET_MS
    )


@pytest.mark.parametrize("size", ["normal", "xl"])
def test_the_id_card_is_confirmed_by_touch(page: Page, live_server, check_page, size: str) -> None:
    page.goto(f"{live_server.url}/prefs/size/{size}?next=/")
    photograph_card(page, live_server.url)
    groups = " ".join(
        (ID_NUMBER[:4], ID_NUMBER[4:6], ID_NUMBER[6:10], ID_NUMBER[10:14], ID_NUMBER[14:])
    )
    expect(page.locator("#id_number .read-text")).to_have_text(groups)
    expect(page.locator("#name .read-text")).to_have_text(NAME)
    expect(page.locator("#id_number img.read-crop")).to_have_js_property("complete", True)
    check_page(page, f"id-card-confirm-{size}", text_size=size)

    # 改一下 opens the field for correcting; 对 closes it again.
    page.get_by_text("改一下", exact=True).nth(1).tap()
    expect(page.locator("#edit-name")).to_be_visible()
    check_page(page, f"id-card-edit-{size}", text_size=size)
    page.locator("#ok-name-yes + label").tap()
    expect(page.locator("#edit-name")).to_be_hidden()

    page.get_by_role("button", name="确认，下一步").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("老人的电话号码")


def test_the_id_card_without_javascript(browser, live_server) -> None:
    context = new_context(
        browser, java_script_enabled=False, viewport={"width": 1024, "height": 768}, has_touch=True
    )
    page = context.new_page()
    photograph_card(page, live_server.url)
    page.locator("#ok-name-edit + label").tap()
    page.locator("#edit-name").fill("陈美英")
    page.get_by_role("button", name="确认，下一步").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("老人的电话号码")
    context.close()


def to_receipts(page: Page, url: str, photo: bytes) -> None:
    """Walk a medical claim to its documents, photograph one receipt, and go on."""
    page.goto(f"{url}/prefs/size/xl?next=/claim")
    page.get_by_text("我是被保险人本人", exact=True).tap()
    page.get_by_role("button", name="下一步").tap()
    page.locator("#id_number").fill(ID_NUMBER)
    page.locator("#name").fill(NAME)
    page.get_by_role("button", name="下一步").tap()
    page.locator("#phone").fill("13812345678")
    page.get_by_role("button", name="下一步").tap()
    page.get_by_text("看了门诊", exact=True).tap()
    page.get_by_role("button", name="下一步").tap()
    page.get_by_role("button", name=re.compile("^前天")).tap()
    page.get_by_text("在家里", exact=True).tap()
    page.get_by_text("摔倒", exact=True).tap()
    page.get_by_role("button", name="下一步").tap()
    page.locator("#photo-medical_receipt").set_input_files(
        files=[{"name": "r.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    expect(page.locator("#document-medical_receipt ul.thumbs img")).to_be_visible(
        timeout=OCR_BUDGET_MS
    )


def receipt_photo():
    sample = receipt(random.Random(3))
    out = BytesIO()
    sample.image.save(out, "JPEG", quality=90)
    return sample, out.getvalue()


def test_a_receipt_total_is_confirmed(page: Page, live_server, check_page) -> None:
    sample, photo = receipt_photo()
    to_receipts(page, live_server.url, photo)
    page.get_by_role("button", name="下一步").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("每张票据的合计金额")
    expect(page.locator(".receipt .read-text")).to_contain_text(
        sample.truth["total"].split(".")[0][-3:]
    )
    check_page(page, "receipt-confirm-xl", text_size="xl")
    page.get_by_role("button", name="下一步").tap()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("每张票据的合计金额")


def test_the_waiting_panel_turns_into_the_confirmation_by_itself(
    page: Page, live_server, check_page
) -> None:
    import sqlalchemy as sa

    from kiosk.platform.extensions import db
    from kiosk.platform.models import OcrReading, ReadingStatus

    page.goto(f"{live_server.url}/prefs/size/xl?next=/")
    photograph_card(page, live_server.url)
    with live_server.app.app_context():
        reading = db.session.scalars(sa.select(OcrReading).order_by(OcrReading.id.desc())).first()
        reading.status = ReadingStatus.QUEUED  # as if the worker had not got to it yet
        db.session.commit()
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text("正在识别身份证")
        expect(page.get_by_role("status")).to_have_text("正在识别，请稍候…")
        check_page(page, "waiting-xl", text_size="xl")
        told = []  # the small asker's answer that the reading is done: the page
        page.on("response", lambda r: told.append(r) if r.headers.get("hx-retarget") else None)
        reading.status = ReadingStatus.DONE  # the worker finishes: the asker's next question
        db.session.commit()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "请核对身份证上的信息", timeout=OCR_BUDGET_MS
    )
    assert told, "shown by the asker, not by the panel's 5 s fallback"


def test_a_slow_receipt_is_filled_in_when_its_reading_arrives(
    page: Page, live_server, check_page
) -> None:
    import sqlalchemy as sa

    from kiosk.platform.extensions import db
    from kiosk.platform.models import OcrReading, ReadingStatus

    sample, photo = receipt_photo()
    to_receipts(page, live_server.url, photo)
    with live_server.app.app_context():
        reading = db.session.scalars(sa.select(OcrReading).order_by(OcrReading.id.desc())).first()
        reading.status = ReadingStatus.QUEUED
        reading.queued_at -= timedelta(minutes=1)  # past the 20 s the person is asked to wait
        db.session.commit()
        page.get_by_role("button", name="下一步").tap()
        expect(page.get_by_role("heading", level=1)).to_have_text("每张票据的合计金额")
        expect(page.locator(".receipt .hint")).to_contain_text("还在识别这张票据")
        check_page(page, "receipt-slow-xl", text_size="xl")
        reading.status = ReadingStatus.DONE  # the worker finishes: the box's next poll shows it
        db.session.commit()
    expect(page.locator(".receipt .read-text")).to_contain_text(
        sample.truth["total"].split(".")[0][-3:], timeout=OCR_BUDGET_MS
    )
    check_page(page, "receipt-slow-filled-xl", text_size="xl")


def test_slow_and_failed_readings_offer_typing(page: Page, live_server, check_page) -> None:
    import sqlalchemy as sa

    from kiosk.platform.extensions import db
    from kiosk.platform.models import OcrReading, ReadingStatus

    page.goto(f"{live_server.url}/prefs/size/xl?next=/")
    photograph_card(page, live_server.url)
    with live_server.app.app_context():
        reading = db.session.scalars(sa.select(OcrReading).order_by(OcrReading.id.desc())).first()
        reading.status = ReadingStatus.QUEUED
        reading.queued_at -= timedelta(minutes=1)  # past the 20 s the person is asked to wait
        db.session.commit()
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text("还在识别，比平时慢一些")
        check_page(page, "slow-xl", text_size="xl")
        reading.status = ReadingStatus.FAILED
        db.session.commit()
    # The slow page keeps asking: the failure replaces it by itself (or on 再等一下).
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "没能读出身份证上的字", timeout=OCR_BUDGET_MS
    )
    check_page(page, "failed-xl", text_size="xl")
    expect(page.get_by_role("link", name="再拍一张")).to_be_visible()
    page.get_by_role("link", name="自己输入").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("老人的身份证号码和姓名")


def test_a_field_not_read_offers_another_photo(page: Page, live_server, check_page) -> None:
    import sqlalchemy as sa

    from kiosk.platform.extensions import db
    from kiosk.platform.models import OcrReading

    page.goto(f"{live_server.url}/prefs/size/xl?next=/")
    photograph_card(page, live_server.url)
    expect(page.locator("#name .read-text")).to_have_text(NAME)
    with live_server.app.app_context():
        reading = db.session.scalars(sa.select(OcrReading).order_by(OcrReading.id.desc())).first()
        reading.fields = {key: value for key, value in reading.fields.items() if key != "name"}
        db.session.commit()
    page.reload()
    expect(page.locator("input#name")).to_be_visible()  # to be typed
    check_page(page, "id-card-name-not-read-xl", text_size="xl")
    page.get_by_role("link", name="再拍一张").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("老人的身份证号码和姓名")
    expect(page.get_by_text("拍身份证", exact=True)).to_be_visible()


def test_discharge_summary_dates_offered_on_the_documents_page(
    page: Page, live_server, check_page
) -> None:
    from kiosk.claims.calendar import today_in_china
    from tests.integration.test_ocr_intake import discharge_summary_photo

    page.goto(f"{live_server.url}/prefs/size/xl?next=/claim")
    walk = Walk(page, check_page, "xl")  # each tap waits for its step's heading first
    walk.heading("您是替谁办理？")
    walk.choose("我是被保险人本人")
    walk.next()
    walk.heading("老人的身份证号码和姓名")
    page.locator("#id_number").fill(ID_NUMBER)
    page.locator("#name").fill(NAME)
    walk.next()
    walk.heading("老人的电话号码")
    page.locator("#phone").fill("13812345678")
    walk.next()
    walk.heading("出了什么事？")
    walk.choose("住院了")
    walk.next()
    walk.heading("意外是哪一天发生的？")
    walk.quick_date("前天")
    walk.heading("哪一天住进医院的？")
    walk.quick_date("前天")
    walk.heading("哪一天出院的？")
    walk.quick_date("昨天")
    walk.heading("在哪里出的事？怎么发生的？")
    page.get_by_text("在家里", exact=True).tap()
    page.get_by_text("摔倒", exact=True).tap()
    page.get_by_role("button", name="下一步").tap()
    today = today_in_china()
    summary = discharge_summary_photo(today - timedelta(days=2), today)
    page.locator("#photo-discharge_summary").set_input_files(
        files=[{"name": "s.jpg", "mimeType": "image/jpeg", "buffer": summary}]
    )
    expect(page.locator(".stay-read")).to_contain_text(
        "和您前面选的日期不一样", timeout=OCR_BUDGET_MS
    )
    check_page(page, "documents-stay-read-xl", text_size="xl")
    page.get_by_role("button", name="按出院小结改日期").tap()
    expect(page.locator(".stay-read")).to_contain_text("和您前面选的日期一样")
