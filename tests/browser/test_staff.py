"""The back office in a desktop browser: axe and WCAG 2.2 AA sizes on every staff page, the
queue, a case with its documents, and an action; screenshots kept in tests/artifacts."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from kiosk.claims.calendar import today_in_china
from kiosk.claims.states import CaseState
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, StaffRole, StaffUser
from kiosk.services.accounts import create_staff
from tests.browser.kit import new_context
from tests.browser.test_intake import jpeg
from tests.browser.test_receipts import demo

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "browser test password"


def account(live_server, username: str, role: StaffRole) -> str:
    with live_server.app.app_context():
        if not db.session.scalar(sa.select(StaffUser.id).where(StaffUser.username == username)):
            create_staff(username, role, password=PASSWORD, display_name=username)
    return username


def signed_in(browser, live_server, username: str):
    context = new_context(browser, viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/staff/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    return context, page


def test_the_queue_and_a_case_at_a_desk(browser, live_server, check_page) -> None:
    claim = demo(live_server, CaseState.UNDER_REVIEW)
    with live_server.app.app_context():
        id_number = db.session.get(Claim, claim.id).insured.id_number
    account(live_server, "desk-handler", StaffRole.HANDLER)
    context = new_context(browser, viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/staff/queue")
    expect(page.get_by_role("heading", level=1)).to_have_text("理赔后台登录")
    check_page(page, "login", kiosk=False)
    page.locator("#username").fill("desk-handler")
    page.locator("#password").fill("wrong password here")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".error-summary")).to_contain_text("用户名或密码不对")
    check_page(page, "login-wrong", kiosk=False)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("工作队列")
    check_page(page, "queue", kiosk=False)
    page.goto(f"{live_server.url}/staff/case/{claim.id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("案件")
    check_page(page, "case", kiosk=False)
    page.locator("[data-qa=reveal]").click()
    expect(page.locator("[data-qa=person]")).to_contain_text(id_number)
    check_page(page, "case-revealed", kiosk=False)

    page.goto(f"{live_server.url}/staff/case/{claim.id}")  # 上传扫描件: which, and what
    scans = page.locator("form#scans")
    wrong = [{"name": "note.txt", "mimeType": "text/plain", "buffer": b"not a scan"}]
    scans.locator("#scan").set_input_files(files=wrong)
    scans.get_by_role("button", name="上传").click()
    expect(page.locator("#scan-kind-error")).to_contain_text("请选择这是哪项材料")  # none missing
    check_page(page, "case-scan-kind", kiosk=False)
    scans.locator("#scan-kind").select_option("medical_receipt")
    scans.locator("#scan").set_input_files(files=wrong)
    scans.get_by_role("button", name="上传").click()
    expect(page.locator("#scan-error")).to_contain_text("只收PDF，或JPG、PNG、HEIC图片")
    expect(scans.locator("#scan-kind")).to_have_value("medical_receipt")  # kept
    check_page(page, "case-scan-error", kiosk=False)
    scans.locator("#scan").set_input_files(
        files=[{"name": "scan.jpg", "mimeType": "image/jpeg", "buffer": jpeg(5)}]
    )
    scans.get_by_role("button", name="上传").click()
    expect(page.get_by_role("status")).to_contain_text("已上传扫描件")
    expect(page.locator("[data-qa=audit]")).to_contain_text("desk-handler 上传扫描件")
    page.locator("#complex_reason").fill("需要向医院核实住院记录")
    page.locator("[data-qa=complex]").click()
    expect(page.locator("[data-qa=complex-reason]")).to_have_text("需要向医院核实住院记录")
    check_page(page, "case-complex", kiosk=False)

    page.goto(f"{live_server.url}/staff/case/{claim.id}")
    page.locator("#add-note textarea").fill("已电话联系家属，周三补出院小结")
    page.get_by_role("button", name="加备注").click()
    expect(page.get_by_role("status")).to_contain_text("已加备注")
    page.get_by_role("button", name="审核通过").click()  # the amount is prefilled
    expect(page.locator("[data-qa=state]")).to_contain_text("审核通过")
    check_page(page, "case-approved", kiosk=False)

    page.get_by_role("link", name="第1页（看图）").first.click()
    expect(page.get_by_role("img", name="客户拍的材料照片")).to_be_visible()
    check_page(page, "document-page", kiosk=False)
    page.get_by_role("link", name="改密码").click()
    check_page(page, "password", kiosk=False)
    context.close()


def test_the_audit_log_for_an_administrator(browser, live_server, check_page) -> None:
    account(live_server, "desk-admin", StaffRole.ADMIN)
    context, page = signed_in(browser, live_server, "desk-admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("审计日志")
    check_page(page, "audit", kiosk=False)
    page.goto(f"{live_server.url}/staff/queue")
    expect(page.get_by_role("heading", level=1)).to_have_text("没有权限")
    check_page(page, "forbidden", kiosk=False)
    page.goto(f"{live_server.url}/staff/accounts")
    page.locator("#username").fill("desk-new")
    page.locator("#role").select_option("handler")
    page.get_by_role("button", name="新建", exact=True).click()
    expect(page.locator("[data-qa=one-time]")).to_be_visible()
    check_page(page, "accounts", kiosk=False)
    page.goto(f"{live_server.url}/staff/volunteers")
    page.get_by_role("button", name="发码").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_page(page, "volunteers-error", kiosk=False)
    page.goto(f"{live_server.url}/staff/devices")
    page.get_by_role("button", name="生成登记码").click()
    expect(page.locator("[data-qa=enrol-code] svg[role=img]")).to_be_visible()
    check_page(page, "devices-code", kiosk=False)
    page.goto(f"{live_server.url}/staff/branches")
    page.get_by_role("button", name="新增", exact=True).click()
    expect(page.locator("[data-qa=branch-problem]")).to_be_visible()
    check_page(page, "branches-error", kiosk=False)
    page.goto(f"{live_server.url}/staff/roster")
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    check_page(page, "roster-error", kiosk=False)
    context.close()


def test_the_other_staff_pages(browser, live_server, check_page) -> None:
    """Complaints, home visits, satisfaction, the dashboard, the paper form and its entry."""
    from kiosk.services.dashboard import refresh
    from kiosk.services.feedback import file_complaint, request_home_visit, visit_slots
    from kiosk.services.policies import load_policy

    claim = demo(live_server, CaseState.DECLINED)
    with live_server.app.app_context():
        record = db.session.get(Claim, claim.id)
        complaint = file_complaint(record, "拒赔的理由我们不认可，请复核", None)
        visit = request_home_visit(
            record, "吴*兰", "13912345678", "东山社区3栋201", visit_slots()[0]
        )
        complaint_id, visit_id = complaint.id, visit.id
        # a policy, so that the dashboard draws the loss ratio too
        policy = Path(__file__).parents[2] / "doc/policies/chaonan-2026.toml"
        load_policy(policy.read_bytes())
        refresh(today_in_china())
    account(live_server, "desk-handler2", StaffRole.HANDLER)
    context, page = signed_in(browser, live_server, "desk-handler2")
    for path, heading, name in (
        ("/staff/complaints", "投诉", "complaints"),
        (f"/staff/complaint/{complaint_id}", f"投诉 {complaint_id}", "complaint"),
        ("/staff/visits", "上门服务", "visits"),
        (f"/staff/visit/{visit_id}", f"上门服务申请 {visit_id}", "visit"),
        ("/staff/satisfaction", "满意度", "satisfaction"),
        ("/staff/dashboard", "统计", "dashboard"),  # with the loss ratio: chart and table
        ("/staff/paper", "录入纸质报案", "paper"),
        ("/staff/paper-form", "意外险理赔报案表", "paper-form"),
    ):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check_page(page, name, kiosk=False)
    page.goto(f"{live_server.url}/staff/paper")
    page.locator("[data-qa=enter-paper]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_page(page, "paper-errors", kiosk=False)
    page.goto(f"{live_server.url}/staff/paper-form")
    pdf = check_page.folder / "paper-form.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    assert len(pypdfium2.PdfDocument(str(pdf))) == 1, "the blank form is one A4 sheet"
    context.close()


def test_the_back_office_without_javascript(browser, live_server) -> None:
    claim = demo(live_server, CaseState.SUBMITTED)
    account(live_server, "desk-nojs", StaffRole.HANDLER)
    context = new_context(browser, viewport=DESKTOP, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/staff/login")
    page.locator("#username").fill("desk-nojs")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.locator("#state").select_option("submitted")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("tr[data-qa=case-row]").first).to_contain_text("已受理")
    page.goto(f"{live_server.url}/staff/case/{claim.id}")
    page.locator("#priority-select").select_option("higher")
    page.get_by_role("button", name="改优先级").click()
    expect(page.get_by_role("status")).to_contain_text("已改优先级")
    page.locator("#exclusion").select_option("not_accident")
    page.locator("#note").fill("病历写明为脑梗发作，不是意外")
    page.locator("[data-qa=decline]").click()
    expect(page.locator("[data-qa=state]")).to_contain_text("不予赔付")
    context.close()
