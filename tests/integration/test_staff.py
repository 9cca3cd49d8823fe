"""The back office: accounts and sessions (guessing is slowed: test_login_throttle); every
route for every role; the queue; the case page; each action through the state machine; two
staff on one case."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import Flask

from kiosk.claims.calendar import today_in_china
from kiosk.claims.sla import complex_review_limit
from kiosk.claims.states import CaseState
from kiosk.claims.types import ClaimType, Priority
from kiosk.platform.extensions import db
from kiosk.platform.models import (
    AuditEvent,
    Claim,
    DocumentPage,
    DocumentStatus,
    Notification,
    StaffRole,
    StaffSession,
    StaffUser,
)
from kiosk.services.accounts import create_staff
from kiosk.services.devices import enrol_this_machine
from kiosk.services.feedback import file_complaint, request_home_visit, visit_slots
from kiosk.services.review import last_audit_id
from kiosk.services.volunteers import issue_volunteer
from tests.integration.desk import PASSWORD, Desk, desk, make_staff
from tests.integration.test_intake import ID_NUMBER, soup

ROLES = (StaffRole.HANDLER, StaffRole.APPROVER, StaffRole.ADMIN)
USERS = {StaffRole.HANDLER: "handler", StaffRole.APPROVER: "boss", StaffRole.ADMIN: "admin"}


def test_login_logout_and_a_new_session_each_time(app: Flask, demo: dict) -> None:
    d = Desk(app.test_client())
    response = d.get("/staff/queue")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/login?next=/staff/queue"
    wrong_user = soup(d.login("nobody", PASSWORD)).select_one(".error-summary").get_text()
    wrong_password = soup(d.login("handler", "x" * 12)).select_one(".error-summary").get_text()
    assert wrong_user == wrong_password and "用户名或密码不对" in wrong_user

    response = d.client.post(
        "/staff/login?next=https://evil.example/",
        data={"csrf_token": d.token(), "username": "Handler ", "password": PASSWORD},
    )
    assert response.status_code == 303 and response.headers["Location"] == "/staff/"
    with d.client.session_transaction() as s:
        first = s["staff_token"]
    assert d.get("/staff/queue").status_code == 200
    assert d.login("handler").status_code == 303
    with d.client.session_transaction() as s:
        second = s["staff_token"]
    assert first != second
    assert d.post("/staff/logout").status_code == 303
    assert d.get("/staff/queue").status_code == 302
    with d.client.session_transaction() as s:  # the old cookie is dead on the server too
        s["staff_token"] = second
    assert d.get("/staff/queue").status_code == 302
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.action.like("staff.%"))
        ).all()
        failed = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "staff.login_failed")
        ).all()
    assert actions.count("staff.login") == 2 and "staff.logout" in actions
    assert {f.detail.get("username") for f in failed} == {"nobody", None}
    assert all(f.ip == "127.0.0.1" for f in failed)


def test_sessions_end_after_30_minutes_idle_and_12_hours_in_all(app: Flask, demo: dict) -> None:
    d = desk(app, "handler")

    def age(**moved: timedelta) -> None:
        with app.app_context():
            record = db.session.scalars(sa.select(StaffSession)).one()
            for column, delta in moved.items():
                setattr(record, column, getattr(record, column) - delta)
            db.session.commit()

    age(last_seen_at=timedelta(minutes=29))
    assert d.get("/staff/queue").status_code == 200  # and it is touched again
    age(created_at=timedelta(hours=12, minutes=1))
    assert d.get("/staff/queue").status_code == 302
    d = desk(app, "boss")
    with app.app_context():
        db.session.execute(sa.delete(StaffSession).where(StaffSession.ended_at.isnot(None)))
        db.session.commit()
    age(last_seen_at=timedelta(minutes=31))
    assert d.get("/staff/queue").status_code == 302


def test_a_one_time_password_must_be_changed_first(app: Flask) -> None:
    with app.app_context():
        _, one_time = create_staff("newbie", StaffRole.HANDLER)
    assert one_time and len(one_time) >= 12
    d = Desk(app.test_client())
    assert d.login("newbie", one_time).status_code == 303
    assert d.get("/staff/queue").headers["Location"] == "/staff/password"
    for data, field, problem in (
        ({"current": one_time, "new": "short", "again": "short"}, "new", "至少12个字符"),
        ({"current": one_time, "new": "a" * 12, "again": "b" * 12}, "again", "不一样"),
        ({"current": "wrong" * 3, "new": "a" * 12, "again": "a" * 12}, "current", "不对"),
        ({"current": one_time, "new": one_time, "again": one_time}, "new", "原来的一样"),
    ):
        page = soup(d.post("/staff/password", data))
        assert problem in page.select_one(f"#{field}-error").get_text()
    new = "my new long password"
    response = d.post("/staff/password", {"current": one_time, "new": new, "again": new})
    assert response.status_code == 303
    assert d.get("/staff/queue").status_code == 200
    assert Desk(app.test_client()).login("newbie", new).status_code == 303


def test_every_staff_route_for_every_role(app: Flask, demo: dict) -> None:
    """Deny by default: each view names its roles; anyone else gets 403, nobody signed in
    goes to the login page; only the login page is open."""
    with app.app_context():
        page_id = db.session.scalars(sa.select(DocumentPage.id)).first()
        claim = db.session.get(Claim, demo[CaseState.UNDER_REVIEW])
        slot = visit_slots()[0]
        args = {
            "claim_id": claim.id,
            "page_id": page_id,
            "complaint_id": file_complaint(claim, "一个测试用的投诉", None).id,
            "visit_id": request_home_visit(claim, "陈美华", "13912345678", "东山社区3栋", slot).id,
            "staff_id": make_staff("victim", StaffRole.HANDLER).id,  # reset, not deactivated
            "volunteer_id": issue_volunteer("测试志愿者")[0].id,
            "device_id": enrol_this_machine()[0].id,
            "action": "assign",
        }
    actions = {"staff.account_action": "reset", "staff.device_action": "rename"}
    args["name"] = "潮南区理赔服务点"  # the branch enrol_this_machine made
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("staff.")]
    desks = {role: desk(app, USERS.get(role)) for role in (None, *ROLES)}
    assert len(rules) >= 30
    for rule in rules:
        view = app.view_functions[rule.endpoint]
        roles = getattr(view, "staff_roles", None)
        assert rule.endpoint == "staff.login" or roles, f"{rule.endpoint} names no roles"
        values = {**args, "action": actions.get(rule.endpoint, "assign")}
        path = rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]
        method = "POST" if "POST" in rule.methods and "GET" not in rule.methods else "GET"
        for role in (None, *ROLES):
            d = desks[role] if rule.endpoint != "staff.logout" else desk(app, USERS.get(role))
            response = d.post(path) if method == "POST" else d.get(path)
            if rule.endpoint == "staff.login":
                assert response.status_code == 200
            elif role is None:
                assert response.status_code == 302, (rule.endpoint, role)
                assert response.headers["Location"].startswith("/staff/login")
            elif rule.endpoint == "staff.logout":
                assert response.headers["Location"] == "/staff/login"
            elif role in roles:
                assert response.status_code != 403, (rule.endpoint, role)
                where = response.headers.get("Location", "")
                assert not where.startswith("/staff/login"), (rule.endpoint, role)
            else:
                assert response.status_code == 403, (rule.endpoint, role)


def test_the_queue_puts_what_is_due_first_and_filters(app: Flask, demo: dict) -> None:
    with app.app_context():
        late = db.session.get(Claim, demo[CaseState.APPROVED])
        late.due_on = today_in_china() - timedelta(days=10)
        urgent = db.session.get(Claim, demo[CaseState.SUBMITTED])
        urgent.priority, urgent.due_on = Priority.EMERGENCY, late.due_on
        db.session.commit()
        numbers = {s: db.session.get(Claim, i).case_number for s, i in demo.items()}
    d = desk(app, "handler")
    page = soup(d.get("/staff/queue"))
    rows = [
        r.get_text(" ", strip=True).replace(" ", "") for r in page.select("tr[data-qa=case-row]")
    ]
    assert len(rows) == 5  # the open ones
    assert numbers[CaseState.SUBMITTED] in rows[0] and "紧急" in rows[0]  # same day, higher first
    assert numbers[CaseState.APPROVED] in rows[1] and "逾期" in rows[1]
    assert numbers[CaseState.DOCUMENTS_NEEDED] in rows[-1] and "等客户补材料" in rows[-1]
    assert "陈美华" not in str(page)  # names masked in the list
    overdue = soup(d.get("/staff/queue?overdue=1")).select("tr[data-qa=case-row]")
    assert len(overdue) == 2
    by_state = soup(d.get("/staff/queue?state=awaiting_approval")).select("tr[data-qa=case-row]")
    assert len(by_state) == 1 and "待审批" in by_state[0].get_text()
    by_type = soup(d.get("/staff/queue?type=disability")).select("tr[data-qa=case-row]")
    assert {ClaimType.DISABILITY.value} and all("伤残" in r.get_text() for r in by_type)
    assert soup(d.get("/staff/queue?state=nonsense&page=x")).select("tr[data-qa=case-row]")
    counts = soup(d.get("/staff/queue")).select_one(".counts").get_text(" ", strip=True)
    assert "全部未结 5" in counts and "已逾期 2" in counts


def test_the_case_page_masks_until_revealed_and_audits_every_look(app: Flask, demo: dict) -> None:
    claim_id = demo[CaseState.UNDER_REVIEW]
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        id_number, name, account = (
            claim.insured.id_number,
            claim.insured.name,
            claim.bank_account_number,
        )
        page_id = claim.documents[0].pages[0].id
    d = desk(app, "handler")
    page = d.get(f"/staff/case/{claim_id}").get_data(as_text=True)
    assert id_number not in page and name not in page and account not in page
    assert id_number[:4] + "*" * 10 + id_number[-4:] in page
    revealed = d.post(f"/staff/case/{claim_id}/reveal").get_data(as_text=True)
    assert id_number in revealed and name in revealed and account in revealed
    image = d.get(f"/staff/page/{page_id}/image")
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    assert image.data[:3] == b"\xff\xd8\xff" and image.headers["Cache-Control"] == "no-store"
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.claim_id == claim_id)
        ).all()
    assert {"case.view", "case.reveal", "document.view"} <= set(actions)


def test_a_whole_case_through_the_back_office(app: Flask, demo: dict) -> None:
    """Documents requested and shown on the tracking page; a large approval in two levels by
    two different approvers; paid; the tracking page shows the amount."""
    claim_id = demo[CaseState.UNDER_REVIEW]
    with app.app_context():
        token = db.session.get(Claim, claim_id).tracking_token
    handler, boss, boss2 = desk(app, "handler"), desk(app, "boss"), desk(app, "boss2")

    response = handler.act(claim_id, "request", {"kinds": [], "message": ""})
    assert "请至少勾选一样要补的材料" in soup(response).select_one("#kinds-error").get_text()
    response = handler.act(
        claim_id, "request", {"kinds": ["discharge_summary"], "message": "请补出院小结"}
    )
    assert response.status_code == 303
    tracking = soup(handler.get(f"/t/{token}")).select_one(".missing-list").get_text()
    assert "出院小结：请补出院小结" in tracking
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        assert claim.state is CaseState.DOCUMENTS_NEEDED
        claim.documents[-1].status = DocumentStatus.RECEIVED  # brought to a branch
        claim.state = CaseState.UNDER_REVIEW
        db.session.commit()

    response = handler.act(claim_id, "approve", {"amount": "8000", "reason": ""})
    assert "请写明原因" in soup(response).select_one("#reason-error").get_text()
    response = handler.act(claim_id, "approve", {"amount": "8000", "reason": "另有票据"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Claim, claim_id).state is CaseState.AWAITING_APPROVAL
    assert handler.get(f"/staff/case/{claim_id}").get_data(as_text=True).count('id="approve"') == 0
    response = boss.act(claim_id, "approve", {"amount": "8000", "reason": ""})
    assert response.status_code == 303
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        assert claim.state is CaseState.APPROVED and claim.approved_amount == Decimal("8000")
    assert boss2  # a different approver was needed: see the test below

    today = today_in_china().isoformat()
    response = handler.act(
        claim_id, "pay", {"paid_amount": "7000", "paid_on": today, "reference": "20261201001"}
    )
    assert "应等于审批金额" in soup(response).select_one("#paid_amount-error").get_text()
    response = handler.act(
        claim_id, "pay", {"paid_amount": "8000", "paid_on": today, "reference": "20261201001"}
    )
    assert response.status_code == 303
    page = soup(handler.get(f"/t/{token}"))
    assert "¥8,000.00" in page.select_one(".estimate").get_text()
    assert page.select_one("[aria-current=step]").get_text(" ", strip=True).startswith("已赔付")


def test_the_second_approval_needs_a_different_approver(app: Flask, demo: dict) -> None:
    claim_id = demo[CaseState.UNDER_REVIEW]
    boss, boss2 = desk(app, "boss"), desk(app, "boss2")
    assert boss.act(claim_id, "approve", {"amount": "6000", "reason": "按票据"}).status_code == 303
    page = boss.get(f"/staff/case/{claim_id}").get_data(as_text=True)
    assert 'id="approve"' not in page and "初审：boss" in page
    assert boss2.act(claim_id, "approve", {"amount": "6000"}).status_code == 303
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        movers = [e.actor_staff_id for e in claim.events[-2:]]
        assert claim.state is CaseState.APPROVED and len(set(movers)) == 2


def test_a_decline_names_the_exclusion_and_the_family_sees_why(app: Flask, demo: dict) -> None:
    claim_id = demo[CaseState.SUBMITTED]
    with app.app_context():
        token = db.session.get(Claim, claim_id).tracking_token
    d = desk(app, "handler")
    response = d.act(claim_id, "decline", {"exclusion": "", "note": ""})
    assert set(e["id"] for e in soup(response).select(".field-error")) == {
        "exclusion-error",
        "note-error",
    }
    assert (
        d.act(claim_id, "decline", {"exclusion": "fighting", "note": "派出所笔录"}).status_code
        == 303
    )
    page = soup(d.get(f"/t/{token}")).get_text()
    assert "因打架斗殴造成的伤害，保险不赔。" in page and "派出所笔录" not in page


def test_two_staff_on_one_case_the_second_sees_what_changed(app: Flask, demo: dict) -> None:
    claim_id = demo[CaseState.UNDER_REVIEW]
    first, second = desk(app, "handler"), desk(app, "boss")
    stale = soup(second.get(f"/staff/case/{claim_id}")).select_one("form#decline")
    assert len(soup(second.get(f"/staff/case/{claim_id}")).select("#note")) == 1
    lock = {i["name"]: i["value"] for i in stale.select("input[type=hidden]")}
    assert first.act(claim_id, "note", {"note_text": "已电话联系家属"}).status_code == 303
    response = second.client.post(
        f"/staff/case/{claim_id}/decline",
        data={**lock, "exclusion": "not_accident", "note": "疾病"},
    )
    assert response.status_code == 409
    conflict = soup(response).select_one("[data-qa=conflict]").get_text()
    assert "内部备注" in conflict and "handler" in conflict
    assert soup(response).select_one("#note").get_text() == "疾病"  # what was typed is kept
    with app.app_context():
        assert db.session.get(Claim, claim_id).state is CaseState.UNDER_REVIEW


def test_staff_create_command(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["staff", "create", "--role", "approver", "zhou"])
    assert result.exit_code == 0 and "one-time password: " in result.output
    result = runner.invoke(
        args=["staff", "create", "--role", "handler", "wu", "--password-stdin"],
        input="short\n",
    )
    assert result.exit_code != 0 and "12" in result.output
    result = runner.invoke(
        args=["staff", "create", "--role", "handler", "wu", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0 and "one-time" not in result.output
    assert runner.invoke(args=["staff", "create", "--role", "handler", "WU"]).exit_code != 0
    with app.app_context():
        wu = db.session.scalars(sa.select(StaffUser).where(StaffUser.username == "wu")).one()
        assert not wu.must_change_password and wu.password_hash.startswith("$argon2")
    assert Desk(app.test_client()).login("wu").status_code == 303
    assert ID_NUMBER not in result.output


def test_an_approver_sends_back_and_reopens(app: Flask, demo: dict) -> None:
    waiting, declined = demo[CaseState.AWAITING_APPROVAL], demo[CaseState.DECLINED]
    handler, boss = desk(app, "handler"), desk(app, "boss")
    assert 'id="back"' not in handler.get(f"/staff/case/{waiting}").get_data(as_text=True)
    form = soup(handler.get(f"/staff/case/{waiting}")).select_one("form#add-note")
    lock = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    response = handler.client.post(f"/staff/case/{waiting}/back", data={**lock, "back_reason": "x"})
    assert response.status_code == 409  # only an approver may
    assert soup(response).select_one("[data-qa=state]").get_text().startswith("待审批")
    response = boss.act(waiting, "back", {"back_reason": ""})
    assert "请写明理由" in soup(response).select_one("#back_reason-error").get_text()
    assert boss.act(waiting, "back", {"back_reason": "金额要按发票重算"}).status_code == 303
    assert boss.act(declined, "back", {"back_reason": "复核：病历另有外伤记录"}).status_code == 303
    with app.app_context():
        for claim_id, action in ((waiting, "case.send_back"), (declined, "case.reopen")):
            claim = db.session.get(Claim, claim_id)
            assert claim.state is CaseState.UNDER_REVIEW and claim.approved_amount is None
            assert claim.decline_reason is None
            assert db.session.scalar(
                sa.select(AuditEvent.id).where(
                    AuditEvent.claim_id == claim_id, AuditEvent.action == action
                )
            )
            assert claim.events[-1].reason in ("金额要按发票重算", "复核：病历另有外伤记录")


def test_a_complex_case_tells_the_family_why_and_by_when(app: Flask, demo: dict) -> None:
    d = desk(app, "handler")
    claim_id = demo[CaseState.UNDER_REVIEW]
    empty = d.act(claim_id, "complex", {"complex_reason": "  "})
    assert empty.status_code == 422
    assert "请写明为什么需要更久" in soup(empty).select_one("#complex_reason-error").text
    long = "<script>alert(1)</script>" + "核" * 190  # too long, and hostile: kept, escaped
    too_long = d.act(claim_id, "complex", {"complex_reason": long})
    assert too_long.status_code == 422
    assert "最多200个字" in soup(too_long).select_one("#complex_reason-error").text
    assert soup(too_long).select_one("#complex_reason").text == long
    assert b"<script>alert(1)</script>" not in too_long.data
    reason = "需要向医院核实住院记录。"
    assert d.act(claim_id, "complex", {"complex_reason": reason}).status_code == 303
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        into_review = [e.at for e in claim.events if e.to_state is CaseState.UNDER_REVIEW][-1]
        until = complex_review_limit(today_in_china(into_review))
        assert claim.complex_reason == reason and claim.complex_until == until
        assert claim.due_on == until
        texts = db.session.scalars(
            sa.select(Notification.body).where(Notification.claim_id == claim_id)
        ).all()
        assert any(f"最晚{until.month}月{until.day}日前审核完" in t for t in texts)
        assert not any(reason in t for t in texts)  # the reason is on the page, not in texts
        token = claim.tracking_token
    page = soup(d.client.get(f"/t/{token}"))
    assert reason in page.select_one("[data-qa=due]").text
    assert soup(d.get(f"/staff/case/{claim_id}")).select_one("[data-qa=complex-reason]").text == (
        reason
    )
    # a new reason, the same day: the promise does not move
    again = d.act(claim_id, "complex", {"complex_reason": "还要等交警的事故认定书"})
    assert again.status_code == 303
    due = soup(d.client.get(f"/t/{token}")).select_one("[data-qa=due]").text
    assert "还要等交警的事故认定书。最晚在" in due  # made a whole sentence
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        assert claim.complex_until == until and claim.complex_reason.startswith("还要等")
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.claim_id == claim_id, AuditEvent.action == "case.complex")
            )
            == 2
        )
    paid_id = demo[CaseState.PAID]
    assert soup(d.get(f"/staff/case/{paid_id}")).select_one("form#complex") is None
    with app.app_context():
        paid = db.session.get(Claim, paid_id)
        lock = {"version": paid.version, "seen": last_audit_id(paid)}
    closed = d.client.post(
        f"/staff/case/{paid_id}/complex",
        data={"csrf_token": d.token(), **lock, "complex_reason": reason},
    )
    assert closed.status_code == 409
    assert "案件现在的状态不能做这个操作" in soup(closed).get_text()
