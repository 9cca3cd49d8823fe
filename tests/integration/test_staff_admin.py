"""Administration: accounts (one-time passwords, deactivation that signs out at once) and
volunteer codes (shown once, revoked), each change audited."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from kiosk.platform.extensions import db
from kiosk.platform.models import AuditEvent, StaffUser, Volunteer
from kiosk.services.volunteers import volunteer_by_code
from tests.integration.desk import Desk, desk
from tests.integration.test_intake import soup


def test_an_administrator_creates_resets_and_stops_accounts(app: Flask, demo: dict) -> None:
    admin = desk(app, "admin")
    page = soup(admin.post("/staff/accounts", {"username": "bad name!", "role": ""}))
    assert {e["id"] for e in page.select(".field-error")} == {"username-error", "role-error"}
    assert soup(
        admin.post("/staff/accounts", {"username": "handler", "role": "handler"})
    ).select_one("#username-error")
    page = soup(
        admin.post(
            "/staff/accounts",
            {"username": "zhang-san", "display_name": "张三", "role": "approver"},
        )
    )
    password = page.select_one("[data-qa=one-time] .supplement-code").get_text(strip=True)
    newcomer = Desk(app.test_client())
    assert newcomer.login("zhang-san", password).status_code == 303
    assert newcomer.get("/staff/queue").headers["Location"] == "/staff/password"
    assert password not in soup(admin.get("/staff/accounts")).get_text()  # shown once

    with app.app_context():
        handler_id = db.session.scalar(
            sa.select(StaffUser.id).where(StaffUser.username == "handler")
        )
        admin_id = db.session.scalar(sa.select(StaffUser.id).where(StaffUser.username == "admin"))
    working = desk(app, "handler")
    assert working.get("/staff/queue").status_code == 200
    admin.post(f"/staff/accounts/{handler_id}/deactivate")
    assert working.get("/staff/queue").status_code == 302  # signed out at once
    assert "已停用" in soup(Desk(app.test_client()).login("handler")).get_text()
    admin.post(f"/staff/accounts/{admin_id}/deactivate")
    assert admin.get("/staff/accounts").status_code == 200  # not oneself
    page = soup(admin.post(f"/staff/accounts/{handler_id}/reset"))
    assert page.select_one("[data-qa=one-time]") is not None
    with app.app_context():
        actions = set(
            db.session.scalars(
                sa.select(AuditEvent.action).where(AuditEvent.actor_staff_id == admin_id)
            )
        )
    assert {"staff.create", "staff.deactivate", "staff.reset"} <= actions


def test_volunteer_codes_are_shown_once_and_revoked(app: Flask, demo: dict) -> None:
    admin = desk(app, "admin")
    assert soup(admin.post("/staff/volunteers", {"name": "x@y"})).select_one("#name-error")
    page = soup(admin.post("/staff/volunteers", {"name": "王志愿", "community": "东山社区"}))
    code = page.select_one("[data-qa=code] .supplement-code").get_text(strip=True)
    with app.app_context():
        volunteer = volunteer_by_code(code)
        assert volunteer is not None and volunteer.name == "王志愿"
        volunteer_id = volunteer.id
    assert code not in admin.get("/staff/volunteers").get_data(as_text=True)
    admin.post(f"/staff/volunteers/{volunteer_id}/revoke")
    with app.app_context():
        assert volunteer_by_code(code) is None
        assert db.session.get(Volunteer, volunteer_id).revoked_at is not None
