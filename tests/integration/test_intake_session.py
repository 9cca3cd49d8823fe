"""Pausing and resuming by 续办码 (also across an app restart), the idle session end, volunteers."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from kiosk import create_app
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, Draft
from kiosk.services.volunteers import issue_volunteer
from tests.conftest import empty_all_tables, make_config
from tests.integration.test_intake import SELF_MEDICAL, Kiosk, errors, soup


def post(kiosk: Kiosk, path: str, data: dict | None = None, page: str = "/claim/who"):
    token = soup(kiosk.get(page)).select_one("input[name=csrf_token]")["value"]
    return kiosk.client.post(path, data={"csrf_token": token, **(data or {})})


def pause(kiosk: Kiosk) -> str:
    response = post(kiosk, "/claim/pause", page="/claim/identity")
    code = soup(response).select_one("[data-qa=resume-code]").get_text(strip=True)
    assert re.fullmatch(r"\d{3} \d{3}", code)
    return code


def test_pause_and_resume_after_the_app_restarts(database_url: str, tmp_path: Path) -> None:
    first = create_app(make_config(tmp_path, database_url))
    with first.app_context():
        empty_all_tables()
    kiosk = Kiosk(first.test_client())
    kiosk.through(*SELF_MEDICAL[:4])
    code = pause(kiosk)
    assert kiosk.get("/claim").headers["Location"].endswith("/claim/who")  # tablet is free
    with first.app_context():
        db.engine.dispose()

    restarted = create_app(make_config(tmp_path, database_url))  # a new process, another kiosk
    other = Kiosk(restarted.test_client())
    response = post(other, "/claim/resume", {"code": code}, page="/claim/resume")
    assert response.headers["Location"].endswith("/claim/accident_date")
    page = soup(other.get("/claim/accident_date"))
    assert "陈*华" in page.select_one(".for-whom").get_text()
    other.through(*SELF_MEDICAL[4:])
    assert other.answer("check", {"consent": "yes"}).headers["Location"].endswith("/claim/done")
    with restarted.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Claim.id))) == 1
        # a used code does not open the submitted draft again
        assert (
            post(
                Kiosk(restarted.test_client()),
                "/claim/resume",
                {"code": code},
                page="/claim/resume",
            ).status_code
            == 200
        )
        db.engine.dispose()


def test_wrong_resume_code_is_explained_and_rate_limited(kiosk: Kiosk) -> None:
    response = post(kiosk, "/claim/resume", {"code": "000000"}, page="/claim/resume")
    assert "续办码不对" in errors(response)["code"]
    assert soup(response).select_one("#code")["value"] == "000000"
    statuses = [
        post(kiosk, "/claim/resume", {"code": "12345"}, page="/claim/resume").status_code
        for _ in range(12)
    ]
    assert 429 in statuses


def test_idle_session_end_clears_everything_but_keeps_the_draft(app: Flask, kiosk: Kiosk) -> None:
    kiosk.through(*SELF_MEDICAL[:2])
    response = kiosk.client.post("/session/end")  # sent by the idle timer: no token needed
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert kiosk.get("/claim").headers["Location"].endswith("/claim/who")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Draft.id))) == 1


def test_idle_dialog_is_on_every_kiosk_page_with_configured_times(
    database_url: str, tmp_path: Path
) -> None:
    app = create_app(
        make_config(tmp_path, database_url, IDLE_WARNING_SECONDS=60, IDLE_CLEAR_SECONDS=20)
    )
    page = soup(app.test_client().get("/"))
    assert page.body["data-idle-warn"] == "60" and page.body["data-idle-clear"] == "20"
    assert page.select_one("#idle-dialog [data-idle-countdown]").get_text() == "20"
    with app.app_context():
        db.engine.dispose()


def test_volunteer_signs_in_helps_and_sees_masked_cases(app: Flask, kiosk: Kiosk) -> None:
    with app.app_context():
        volunteer, code = issue_volunteer("小李", "峡山街道")
        volunteer_id = volunteer.id
    wrong = post(kiosk, "/volunteer", {"code": "00000000"}, page="/volunteer")
    assert "志愿者码不对" in errors(wrong)["code"]
    assert (
        post(
            kiosk, "/volunteer", {"code": code[:4] + " " + code[4:]}, page="/volunteer"
        ).status_code
        == 303
    )
    assert "小李" in soup(kiosk.get("/volunteer")).h1.get_text()
    assert "volunteer" in [
        i["value"] for i in soup(kiosk.get("/claim/who")).select("input[name=who]")
    ]
    kiosk.through(("who", {"who": "volunteer"}), *SELF_MEDICAL[1:])
    done = kiosk.answer("check", {"consent": "yes"}, follow=True)
    assert soup(done).select_one("[data-qa=help-next]")
    with app.app_context():
        claim = db.session.scalar(sa.select(Claim))
        assert claim.assisted_by_id == volunteer_id and claim.source.value == "volunteer"
        assert claim.events[0].actor_volunteer_id == volunteer_id
    nxt = post(kiosk, "/volunteer/next", page="/volunteer")
    assert nxt.headers["Location"].endswith("/claim/who")
    assert kiosk.get("/claim/done").headers["Location"] == "/"  # the last person's page is gone
    cases = soup(kiosk.get("/volunteer/cases"))
    cells = [td.get_text(strip=True) for td in cases.select("tbody td")]
    assert cells[1] == "陈*华" and cells[3] == "待补材料"
    assert "陈美华" not in cases.get_text()


def test_revoked_volunteer_code_stops_working(app: Flask, kiosk: Kiosk) -> None:
    runner = app.test_cli_runner()
    issued = runner.invoke(args=["volunteer", "issue", "小王", "--community", "两英镇"])
    match = re.search(r"volunteer (\d+) 小王: code (\d{8})", issued.output)
    assert match, issued.output
    volunteer_id, code = match.groups()
    assert post(kiosk, "/volunteer", {"code": code}, page="/volunteer").status_code == 303
    assert "active" in runner.invoke(args=["volunteer", "list"]).output
    assert runner.invoke(args=["volunteer", "revoke", volunteer_id]).exit_code == 0
    assert runner.invoke(args=["volunteer", "revoke", volunteer_id]).exit_code != 0
    assert soup(kiosk.get("/volunteer")).h1.get_text() == "志愿者登录"  # signed out at once
    assert (
        "志愿者码不对"
        in errors(post(kiosk, "/volunteer", {"code": code}, page="/volunteer"))["code"]
    )
