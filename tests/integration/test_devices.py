"""Enrolled tablets (issue 15): a one-time code from `flask --app kiosk device enrol-code`
makes a device; only its browser is a kiosk, and it files claims at its own branch. Wrong,
used and expired codes, a revoked device mid-intake, a forged credential: a plain page."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from kiosk import create_app
from kiosk.platform.extensions import db
from kiosk.platform.models import AuditEvent, Claim, Device, Draft, EnrolCode, utcnow
from kiosk.services import devices
from tests.conftest import LiveServer, make_config
from tests.integration.desk import desk
from tests.integration.test_intake import SELF_MEDICAL, Kiosk, soup

NOT_ENROLLED = "此平板还没有登记，请找工作人员"


@pytest.fixture
def district(app: Flask, runner) -> Flask:
    """Two branches; no browser is a kiosk by being on this machine."""
    app.config["ENROL_THIS_MACHINE"] = False
    for name, phone in (("峡山服务点", "0754-87000001"), ("两英服务点", "0754-87000002")):
        assert runner.invoke(args=["branch", "add", name, "--phone", phone]).exit_code == 0
    return app


def enrol_code(runner, branch: str, name: str = "") -> str:
    result = runner.invoke(args=["device", "enrol-code", branch, "--name", name])
    assert result.exit_code == 0, result.output
    return result.output.split()[-1]


def enrol(client: FlaskClient, code: str, **kwargs):
    page = BeautifulSoup(client.get("/enrol", **kwargs).text, "html.parser")
    token = page.select_one("input[name=csrf_token]")["value"]
    return client.post("/enrol", data={"csrf_token": token, "code": code}, **kwargs)


def error_of(response) -> str:
    return BeautifulSoup(response.text, "html.parser").select_one(".error-summary a").get_text()


def test_a_browser_that_is_not_enrolled_gets_a_plain_page(district: Flask) -> None:
    client = district.test_client()
    for path in ("/", "/claim/who", "/claim/resume", "/claim/supplement"):
        response = client.get(path)
        assert response.status_code == 403 and NOT_ENROLLED in response.text, path
    # htmx asks for a fragment: told to load the whole page, which is the plain one
    assert client.get("/claim/who", headers={"HX-Request": "true"}).headers["HX-Refresh"] == "true"
    # the family's tracking page and the back office are not kiosks
    assert client.get("/track").status_code == 200
    assert client.get("/staff/login").status_code == 200
    with district.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Device.id))) == 0


def test_an_enrolled_tablet_files_claims_at_its_own_branch(district: Flask, runner) -> None:
    code = enrol_code(runner, "两英服务点", "两英 1号机")
    assert len(code) == 8 and code.isdigit()
    client = district.test_client()
    response = enrol(client, f" {code[:4]} {code[4:]} ")  # as read off a screen, spaced
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("kiosk_device=") and "HttpOnly" in cookie and "Secure" not in cookie
    home = client.get("/")
    assert home.status_code == 200
    assert "此平板已登记到两英服务点（两英 1号机）" in home.text
    assert "0754-87000002" in home.text and "两英服务点" in home.text  # the footer
    Kiosk(client).through(*SELF_MEDICAL, ("check", {"consent": "yes"}))
    receipt = client.get("/claim/done/receipt").text
    assert "两英服务点" in receipt and "0754-87000002" in receipt
    assert "潮南区理赔服务点" not in receipt  # the settings' branch is nobody's now
    with district.app_context():
        device = db.session.scalars(sa.select(Device)).one()
        claim = db.session.scalars(sa.select(Claim)).one()
        assert (claim.branch, claim.device_id) == ("两英服务点", device.id)
        submitted = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "claim.submit")
        ).one()
        assert submitted.device_id == device.id
        assert db.session.scalar(sa.select(Draft.device_id)) == device.id
        # the secret is kept only as a hash: the cookie is nowhere in the database
        secret = cookie.split(";")[0].split("=", 1)[1].rsplit(".", 1)[0].split(".", 1)[1]
        assert secret not in device.secret_hash


def test_wrong_used_and_expired_codes_are_told_plainly(district: Flask, runner) -> None:
    client = district.test_client()
    assert "登记码不对" in error_of(enrol(client, "1234"))
    code = enrol_code(runner, "峡山服务点")
    wrong = f"{(int(code) + 1) % 10**8:08d}"
    assert "登记码不对" in error_of(enrol(client, wrong))
    assert enrol(client, code).status_code == 303
    other = district.test_client()
    assert "已经用过了" in error_of(enrol(other, code))
    late = enrol_code(runner, "峡山服务点")
    with district.app_context():
        db.session.execute(sa.update(EnrolCode).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    refused = enrol(other, late)
    assert refused.status_code == 200 and "已经过期" in error_of(refused)
    assert late in refused.text  # what was typed stays in the field
    assert other.get("/").status_code == 403
    result = runner.invoke(args=["device", "enrol-code", "没有这个点"])
    assert result.exit_code != 0 and "no branch named" in result.output


def test_a_revoked_tablet_is_stopped_at_once_and_the_draft_kept(district: Flask, runner) -> None:
    client = district.test_client()
    enrol(client, enrol_code(runner, "峡山服务点"))
    kiosk = Kiosk(client)
    kiosk.through(*SELF_MEDICAL[:3])
    with district.app_context():
        device_id = db.session.scalar(sa.select(Device.id))
    result = runner.invoke(args=["device", "revoke", str(device_id)])
    assert result.exit_code == 0 and "revoked" in result.output
    response = client.get("/claim/claim_type")
    assert response.status_code == 403 and NOT_ENROLLED in response.text
    with district.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Draft.id))) == 1  # for its 续办码
        actions = db.session.scalars(sa.select(AuditEvent.action)).all()
        assert "device.enrol" in actions and "device.revoke" in actions
    listed = runner.invoke(args=["device", "list"]).output
    assert listed.split("\t")[1:3] == ["峡山服务点", "峡山服务点 平板"] and "revoked" in listed


def test_a_forged_or_unknown_credential_is_refused(district: Flask, runner) -> None:
    client = district.test_client()
    enrol(client, enrol_code(runner, "峡山服务点"))
    credential = client.get_cookie("kiosk_device").value
    device_id, rest = credential.split(".", 1)
    for forged in (
        f"{int(device_id) + 1}.{rest}",  # another device's id, this signature
        credential[:-2] + ("AA" if not credential.endswith("AA") else "BB"),  # signature broken
        "1.x.y",
    ):
        stranger = district.test_client()
        stranger.set_cookie("kiosk_device", forged)
        assert stranger.get("/").status_code == 403, forged
    with district.app_context():
        # a credential signed with this key but a secret the device does not hold
        signed = devices._signer().sign(f"{device_id}.not-its-secret").decode()
    stranger = district.test_client()
    stranger.set_cookie("kiosk_device", signed)
    assert stranger.get("/").status_code == 403


def test_this_machine_is_enrolled_only_when_set_and_only_from_loopback(
    app: Flask, tmp_path: Path, database_url: str
) -> None:
    assert app.config["ENROL_THIS_MACHINE"]
    local = app.test_client()
    assert local.get("/").status_code == 200
    assert local.get("/").status_code == 200  # the same device, not one a page
    far = app.test_client()
    assert far.get("/", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 403
    with app.app_context():
        assert [d.name for d in db.session.scalars(sa.select(Device))] == ["本机"]
        assert db.session.scalars(sa.select(Device)).one().branch.name == "潮南区理赔服务点"
    with pytest.raises(SystemExit, match="KIOSK_ENROL_THIS_MACHINE"):
        create_app(
            make_config(
                tmp_path, database_url, ENROL_THIS_MACHINE=True, PUBLIC_URL="https://kiosk.example"
            )
        )


def test_the_cookie_is_secure_behind_https(
    district: Flask, runner, tmp_path: Path, database_url: str
) -> None:
    code = enrol_code(runner, "峡山服务点")
    https = create_app(
        make_config(
            tmp_path,
            database_url,
            ENROL_THIS_MACHINE=False,
            PUBLIC_URL="https://k.example",
            # the keys of the app that made the code: tests.conftest, imported again under
            # this name, drew a key of its own
            ENCRYPTION_KEYS=district.config["ENCRYPTION_KEYS"],
        )
    )
    response = enrol(
        https.test_client(),
        code,
        base_url="https://k.example",
        headers={"Referer": "https://k.example/enrol"},  # Flask-WTF checks it over https
    )
    assert response.status_code == 303, error_of(response)
    assert "Secure" in response.headers["Set-Cookie"]


def test_two_tablets_typing_one_code_at_once_enrol_one(district: Flask, runner) -> None:
    code = enrol_code(runner, "峡山服务点")
    live = LiveServer(district).start()
    try:
        tablets = [requests.Session() for _ in range(6)]
        forms = []
        for tablet in tablets:
            page = BeautifulSoup(tablet.get(f"{live.url}/enrol", timeout=60).text, "html.parser")
            forms.append(page.select_one("input[name=csrf_token]")["value"])
        start = threading.Barrier(len(tablets))

        def type_code(n: int) -> int:
            start.wait()
            response = tablets[n].post(
                f"{live.url}/enrol",
                data={"csrf_token": forms[n], "code": code},
                allow_redirects=False,
                timeout=120,
            )
            return response.status_code

        with ThreadPoolExecutor(len(tablets)) as pool:
            statuses = list(pool.map(type_code, range(len(tablets))))
    finally:
        live.stop()
    assert sorted(statuses) == [200] * 5 + [303]
    with district.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Device.id))) == 1


def test_admins_enrol_rename_and_revoke_tablets_in_the_back_office(district: Flask, demo) -> None:
    admin, handler = desk(district, "admin"), desk(district, "handler")
    assert handler.get("/staff/devices").status_code == 403
    page = soup(admin.get("/staff/devices"))
    branches = {o.get_text(): o["value"] for o in page.select("select[name=branch] option")}
    made = soup(
        admin.post("/staff/devices/code", {"branch": branches["峡山服务点"], "name": "前台"})
    )
    shown = made.select_one("[data-qa=enrol-code]")
    code = shown.select_one(".supplement-code").get_text().replace(" ", "")
    assert len(code) == 8 and shown.select_one("svg[role=img]") is not None  # the QR code
    assert "前台" in shown.get_text() and "峡山服务点" in shown.get_text()
    tablet = district.test_client()
    prefilled = soup(tablet.get(f"/enrol?code={code}"))  # what the QR code opens
    assert prefilled.select_one("input[name=code]")["value"] == code
    assert enrol(tablet, code).status_code == 303
    row = soup(admin.get("/staff/devices")).select_one("[data-qa=device-row]")
    assert "前台" in row.get_text() and "在用" in row.get_text()
    with district.app_context():
        device_id = db.session.scalar(sa.select(Device.id))
    assert admin.post(f"/staff/devices/{device_id}/rename", {"name": " 前台 2 "}).status_code == 303
    assert admin.post(f"/staff/devices/{device_id}/rename", {"name": "  "}).status_code == 303
    assert admin.post(f"/staff/devices/{device_id}/revoke").status_code == 303
    row = soup(admin.get("/staff/devices")).select_one("[data-qa=device-row]")
    assert "前台 2" in row.get_text() and "已停用" in row.get_text()
    assert tablet.get("/").status_code == 403
    with district.app_context():
        rows = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action.like("device.%")).order_by(AuditEvent.id)
        ).all()
        assert [r.action for r in rows] == ["device.enrol", "device.rename", "device.revoke"]
        assert rows[-1].actor_staff_id is not None and rows[-1].device_id == device_id


def test_the_familys_page_gives_the_phone_of_the_branch_the_claim_was_filed_at(
    district: Flask, runner
) -> None:
    client = district.test_client()
    enrol(client, enrol_code(runner, "两英服务点"))
    Kiosk(client).through(*SELF_MEDICAL, ("check", {"consent": "yes"}))
    with district.app_context():
        token = db.session.scalars(sa.select(Claim)).one().tracking_token
    page = district.test_client().get(f"/t/{token}").text
    assert "0754-87000002" in page and "两英服务点" in page
    assert "0754-87000000" not in page  # the settings' phone is nobody's here


def test_a_tablet_prints_to_its_own_printer(district: Flask, runner) -> None:
    client = district.test_client()
    enrol(client, enrol_code(runner, "峡山服务点"))
    with district.app_context():
        device_id = str(db.session.scalar(sa.select(Device.id)))
    for wrong in ("lpt1", "tcp://", "usb://04b8", "http://printer"):
        refused = runner.invoke(args=["device", "printer", device_id, wrong])
        assert refused.exit_code != 0 and "is not tcp://host" in refused.output, wrong
    # a port nothing listens on: the receipt says the printer is off, the claim is made
    set_to = runner.invoke(args=["device", "printer", device_id, "tcp://127.0.0.1:9"])
    assert set_to.exit_code == 0 and "tcp://127.0.0.1:9" in set_to.output
    assert runner.invoke(args=["device", "list"]).output.strip().endswith("tcp://127.0.0.1:9")
    Kiosk(client).through(*SELF_MEDICAL, ("check", {"consent": "yes"}))
    done = client.get("/claim/done").text
    assert "回执打印机没有开，或者连不上" in done


def test_the_device_list_shows_how_each_printer_last_answered(
    district: Flask, runner, demo
) -> None:
    from tests.integration.test_receipts import NO_PAPER, FakePrinter, a_closed_port

    client = district.test_client()
    enrol(client, enrol_code(runner, "峡山服务点", "前台"))
    with district.app_context():
        device_id = str(db.session.scalar(sa.select(Device.id)))
    printer = FakePrinter()  # a network printer on a local port (a test double of the socket)
    try:
        assert runner.invoke(args=["device", "printer", device_id, printer.url]).exit_code == 0
        admin = desk(district, "admin")
        printed = admin.post(f"/staff/devices/{device_id}/test-print")
        assert printed.status_code == 303
        printer.wait()
        assert "测试打印".encode("gb18030") in bytes(printer.received)
        cell = soup(admin.get("/staff/devices")).select_one("[data-qa=printer]").get_text()
        assert printer.url in cell and "正常" in cell
        printer.paper = NO_PAPER
        admin.post(f"/staff/devices/{device_id}/test-print")
        page = soup(admin.get("/staff/devices"))
        assert "没有纸了" in page.select_one("[data-qa=printer]").get_text()
        assert "没有纸了" in page.select_one("[role=alert]").get_text()
    finally:
        printer.close()
    # a receipt at the kiosk with the printer gone: the list says so too
    gone = a_closed_port()
    assert runner.invoke(args=["device", "printer", device_id, gone]).exit_code == 0
    Kiosk(client).through(*SELF_MEDICAL, ("check", {"consent": "yes"}))
    cell = soup(desk(district, "admin").get("/staff/devices")).select_one("[data-qa=printer]")
    assert "连不上" in cell.get_text()
