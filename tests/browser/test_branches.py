"""Two branches on one server, one tablet enrolled at each (issue 15): each tablet is
enrolled by the code `flask --app kiosk device enrol-code BRANCH` prints, files its claim at
its own branch, and prints a receipt with its own branch's name and phone."""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, Device
from tests.browser.conftest import TABLET
from tests.browser.kit import new_context
from tests.browser.test_intake import Walk, walk_claim

pytestmark = pytest.mark.browser


def cli(live_server, *args: str) -> str:
    result = live_server.app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_two_branches_print_receipts_with_their_own_name_and_phone(
    browser, live_server, check_page
) -> None:
    run = secrets.token_hex(2)  # the live server's database outlives this test
    branches = {f"峡山服务点{run}": "0754-87100001", f"两英服务点{run}": "0754-87100002"}
    for name, phone in branches.items():
        cli(live_server, "branch", "add", name, "--phone", phone)
    numbers = {}
    for name, phone in branches.items():
        code = cli(live_server, "device", "enrol-code", name, "--name", "1号机").split()[-1]
        context = new_context(browser, viewport=TABLET, locale="zh-CN", has_touch=True)
        tablet = context.new_page()
        tablet.goto(f"{live_server.url}/enrol")
        check_page(tablet, f"enrol-{phone[-1]}")
        tablet.get_by_label("登记码（8位数字）").fill(code)
        tablet.get_by_role("button", name="登记").tap()
        expect(tablet.get_by_role("status")).to_contain_text(f"此平板已登记到{name}")
        expect(tablet.locator(".kiosk-footer")).to_contain_text(phone)
        expect(tablet.locator(".kiosk-footer")).to_contain_text(name)
        numbers[name] = walk_claim(Walk(tablet, check_page, "normal"), "看了门诊")
        receipt = context.new_page()
        receipt.goto(f"{live_server.url}/claim/done/receipt")
        expect(receipt.locator(".receipt-branch")).to_have_text(name)
        expect(receipt.locator("body")).to_contain_text(phone)
        other = next(p for p in branches.values() if p != phone)
        expect(receipt.locator("body")).not_to_contain_text(other)
        receipt.emulate_media(media="print")
        pdf = receipt.pdf(width="80mm", print_background=True)
        assert pdf.startswith(b"%PDF")
        context.close()
    with live_server.app.app_context():
        filed = dict(
            db.session.execute(
                sa.select(Claim.branch, Claim.case_number).where(Claim.branch.in_(branches))
            ).all()
        )
        assert {b: n.replace(" ", "") for b, n in numbers.items()} == filed
        devices = db.session.scalars(
            sa.select(Device).where(Device.name == "1号机").order_by(Device.id.desc()).limit(2)
        ).all()
        assert {d.branch.name for d in devices} == set(branches)


def test_a_revoked_tablet_shows_the_plain_page(browser, live_server, check_page) -> None:
    run = secrets.token_hex(2)
    cli(live_server, "branch", "add", f"陈店服务点{run}", "--phone", "0754-87100003")
    code = cli(live_server, "device", "enrol-code", f"陈店服务点{run}").split()[-1]
    context = new_context(browser, viewport=TABLET, locale="zh-CN", has_touch=True)
    tablet = context.new_page()
    tablet.goto(
        f"{live_server.url}/prefs/size/xl?next=/enrol?code={code}"
    )  # 特大, then the QR's link
    expect(tablet.get_by_role("button", name="登记")).to_be_visible()
    check_page(tablet, "enrol-xl", text_size="xl")
    tablet.goto(f"{live_server.url}/prefs/size/normal?next=/enrol?code={code}")
    tablet.get_by_role("button", name="登记").tap()
    tablet.get_by_role("link", name="申请理赔").tap()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("您是替谁办理？")
    with live_server.app.app_context():
        device_id = db.session.scalar(sa.select(Device.id).order_by(Device.id.desc()).limit(1))
    cli(live_server, "device", "revoke", str(device_id))
    tablet.get_by_text("我是被保险人本人", exact=True).tap()
    tablet.get_by_role("button", name="下一步").tap()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("此平板还没有登记，请找工作人员")
    check_page(tablet, "not-enrolled")
    tablet.goto(f"{live_server.url}/prefs/size/xl?next=/claim")
    expect(tablet.get_by_role("heading", level=1)).to_have_text("此平板还没有登记，请找工作人员")
    check_page(tablet, "not-enrolled-xl", text_size="xl")
    context.close()
