"""The intake over HTTP, step by step, with every kind of bad input (parsed HTML, real CSRF)."""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from kiosk.claims import ClaimType, required_documents
from kiosk.claims.calendar import today_in_china
from kiosk.claims.states import CaseState
from kiosk.claims.validation import luhn_ok
from kiosk.demo import demo_id_number
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, Draft, Notification, Person
from kiosk.services.submission import submit_draft

ID_NUMBER = demo_id_number(date(1948, 12, 31), 11)
X_ID_NUMBER = next(
    n for n in (demo_id_number(date(1950, 1, 2), s) for s in range(1000)) if n.endswith("X")
)
ACCOUNT = next(
    f"622848000000000{n:04d}" for n in range(10000) if luhn_ok(f"622848000000000{n:04d}")
)
TODAY = today_in_china()


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


class Kiosk:
    """A person at the kiosk, through the test client, with the page's own CSRF token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def answer(self, step: str, data: dict, *, follow: bool = False):
        page = soup(self.client.get(f"/claim/{step}"))
        token = page.select_one("input[name=csrf_token]")["value"]
        return self.client.post(
            f"/claim/{step}", data={"csrf_token": token, **data}, follow_redirects=follow
        )

    def through(self, *steps: tuple[str, dict]) -> None:
        for step, data in steps:
            response = self.answer(step, data)
            assert response.status_code == 303, (step, errors(response))


def errors(response) -> dict[str, str]:
    page = soup(response)
    return {a["href"].lstrip("#"): a.get_text(strip=True) for a in page.select(".error-summary a")}


SELF_MEDICAL = (
    ("who", {"who": "self"}),
    ("identity", {"id_number": ID_NUMBER, "name": "陈美华"}),
    ("phone", {"phone": "138 1234 5678"}),
    ("claim_type", {"claim_type": "medical"}),
    ("accident_date", {"day": (TODAY - timedelta(days=2)).isoformat()}),
    ("place", {"place": "home", "cause": "fall", "description": "下楼梯时摔倒"}),
    ("documents", {}),
    ("payment", {"bank": "abc", "holder": "陈美华", "account": ACCOUNT}),
)


def test_the_first_question_and_no_skipping_ahead(kiosk: Kiosk) -> None:
    assert kiosk.get("/claim").headers["Location"].endswith("/claim/who")
    page = soup(kiosk.get("/claim/who"))
    assert page.h1.get_text(strip=True) == "您是替谁办理？"
    assert page.select_one(".step-count").get_text(strip=True) == "第 1 步，共 9 步"
    assert [i["value"] for i in page.select("input[name=who]")] == [
        "self",
        "family",
    ]  # no volunteer
    assert kiosk.get("/claim/payment").headers["Location"].endswith("/claim/who")
    assert kiosk.get("/claim/no-such-step").status_code == 404


def test_a_whole_claim_is_saved_encrypted_and_waits_for_documents(app: Flask, kiosk: Kiosk) -> None:
    kiosk.through(*SELF_MEDICAL)
    check = soup(kiosk.get("/claim/check"))
    rows = {
        r.dt.get_text(strip=True): r.select("dd")[0].get_text(strip=True)
        for r in check.select(".summary-row")
    }
    assert rows["身份证号码"] == ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]
    assert rows["老人的电话"] == "138****5678"
    assert rows["卡号"] == "**** " + ACCOUNT[-4:]
    assert ID_NUMBER not in str(check) and ACCOUNT not in str(check)
    done = kiosk.answer("check", {"consent": "yes"}, follow=True)
    number = soup(done).select_one("[data-qa=case-number]").get_text(strip=True)
    assert re.fullmatch(r"\d\d \d{4} \d{4}", number)
    with app.app_context():
        claim = db.session.scalar(sa.select(Claim))
        assert claim.case_number == number.replace(" ", "")
        assert claim.state is CaseState.DOCUMENTS_NEEDED
        assert claim.insured.id_number == ID_NUMBER and claim.bank_account_number == ACCOUNT
        assert claim.accident_description == "下楼梯时摔倒"
        assert [e.to_state for e in claim.events] == [
            CaseState.SUBMITTED,
            CaseState.DOCUMENTS_NEEDED,
        ]
        assert claim.sensitive_consent_at is not None
        raw = db.session.execute(sa.text("SELECT id_number FROM person")).scalar_one()
        assert ID_NUMBER.encode() not in bytes(raw)
        drafts = db.session.execute(sa.text("SELECT answers FROM draft")).scalars().all()
        assert all(ID_NUMBER.encode() not in bytes(d) for d in drafts)


def test_second_tap_on_submit_gives_the_same_claim(app: Flask, kiosk: Kiosk) -> None:
    kiosk.through(*SELF_MEDICAL)
    token = soup(kiosk.get("/claim/check")).select_one("input[name=csrf_token]")["value"]
    first = kiosk.client.post("/claim/check", data={"csrf_token": token, "consent": "yes"})
    second = kiosk.client.post("/claim/check", data={"csrf_token": token, "consent": "yes"})
    assert first.headers["Location"].endswith("/claim/done")
    assert second.headers["Location"].endswith("/claim/done")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Claim.id))) == 1


def test_same_draft_submitted_from_two_threads_at_once_gives_one_claim(
    app: Flask, kiosk: Kiosk
) -> None:
    kiosk.through(*SELF_MEDICAL)
    with app.app_context():
        draft_id = db.session.scalar(sa.select(Draft.id))
    barrier = threading.Barrier(2)
    numbers: list[str] = []
    failures: list[BaseException] = []

    def submit() -> None:
        try:
            with app.app_context():
                barrier.wait()
                numbers.append(submit_draft(draft_id, today=TODAY, branch="test").case_number)
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failures, failures
    assert len(numbers) == 2 and numbers[0] == numbers[1]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Claim.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 1


@pytest.mark.parametrize("all_in", [False, True])
def test_a_submitted_claim_puts_one_message_in_the_outbox(
    app: Flask, kiosk: Kiosk, all_in: bool
) -> None:
    """已受理, or 还缺材料 when a document is missing: one message for the phone, not two."""
    kiosk.through(*SELF_MEDICAL)
    with app.app_context():
        draft = db.session.scalar(sa.select(Draft))
        if all_in:  # every document handed over on paper: nothing is missing
            kinds = required_documents(ClaimType.MEDICAL, claimant_is_insured=True)
            draft.answers = {**draft.answers, "paper_received": [k.value for k in kinds]}
            db.session.commit()
        claim = submit_draft(draft.id, today=TODAY, branch="test")
        outbox = db.session.scalars(sa.select(Notification)).all()
        state = CaseState.SUBMITTED if all_in else CaseState.DOCUMENTS_NEEDED
        assert claim.state is state
        assert [n.dedupe_key for n in outbox] == [f"{claim.id}:insured:state:{len(claim.events)}"]
        assert ("还缺材料" in outbox[0].body) is not all_in


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "请输入身份证号码"),
        (ID_NUMBER[:17], "身份证号码应为18位，您输入了17位"),
        (ID_NUMBER + "1", "身份证号码应为18位，您输入了19位"),
        (ID_NUMBER[:16] + "A" + ID_NUMBER[17], "身份证号码只能是数字，最后一位可以是X"),
        (
            ID_NUMBER[:17] + str((int(ID_NUMBER[17]) + 1) % 10) if ID_NUMBER[17] != "X" else "",
            "这个号码有一位不对",
        ),
        ("440514194802300011", "号码里的出生日期不对"),
    ],
)
def test_identity_errors_say_what_is_wrong_and_keep_the_name(
    kiosk: Kiosk, typed: str, message: str
) -> None:
    kiosk.through(("who", {"who": "self"}))
    response = kiosk.answer("identity", {"id_number": typed, "name": "陈美华"})
    assert response.status_code == 200
    assert message in errors(response)["id_number"]
    page = soup(response)
    assert page.title.get_text().startswith("错误：")
    assert page.select_one("#name")["value"] == "陈美华"
    assert page.select_one("#id_number")["value"] == typed
    assert page.select_one("#id_number")["aria-invalid"] == "true"
    assert message in page.select_one("#id_number-error").get_text()


def test_id_number_ending_in_x_from_the_numeric_keypad(app: Flask, kiosk: Kiosk) -> None:
    kiosk.through(("who", {"who": "self"}))
    response = kiosk.answer(
        "identity", {"id_number": X_ID_NUMBER[:17], "id_ends_x": "yes", "name": "陈美华"}
    )
    assert response.status_code == 303
    response = kiosk.answer("identity", {"id_number": X_ID_NUMBER.lower(), "name": "陈美华"})
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "请输入姓名"),
        ("陈美华2", "姓名只能是汉字或字母"),
        ("陈" * 31, "姓名最多30个字，您输入了31个"),
    ],
)
def test_name_errors(kiosk: Kiosk, name: str, message: str) -> None:
    kiosk.through(("who", {"who": "self"}))
    assert (
        message in errors(kiosk.answer("identity", {"id_number": ID_NUMBER, "name": name}))["name"]
    )


@pytest.mark.parametrize("value", ["", "volunteer", "<script>alert(1)</script>", "self' OR 1=1"])
def test_a_choice_must_be_one_of_the_options(kiosk: Kiosk, value: str) -> None:
    response = kiosk.answer("who", {"who": value})
    assert errors(response) == {"who": "请选择一项"}
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_family_reporter_details_and_optional_insured_phone(app: Flask, kiosk: Kiosk) -> None:
    kiosk.through(
        ("who", {"who": "family"}), ("identity", {"id_number": ID_NUMBER, "name": "陈美华"})
    )
    bad = kiosk.answer("reporter", {"reporter_name": "李小明", "reporter_phone": "1391234567"})
    assert errors(bad) == {
        "reporter_relationship": "请选择一项",
        "reporter_phone": "手机号码应为11位，您输入了10位",
    }
    assert soup(bad).select_one("#reporter_name")["value"] == "李小明"
    kiosk.through(
        (
            "reporter",
            {
                "reporter_name": "李小明",
                "reporter_relationship": "child",
                "reporter_phone": "13912345678",
            },
        ),
        ("phone", {"phone": ""}),
    )
    with app.app_context():
        assert db.session.scalar(sa.select(Draft)).answers["phone"] == ""


def test_self_must_give_a_phone(kiosk: Kiosk) -> None:
    kiosk.through(
        ("who", {"who": "self"}), ("identity", {"id_number": ID_NUMBER, "name": "陈美华"})
    )
    assert errors(kiosk.answer("phone", {"phone": ""})) == {"phone": "请输入电话号码"}
    assert "座机请加区号" in errors(kiosk.answer("phone", {"phone": "87123456"}))["phone"]


def reach_accident_date(
    kiosk: Kiosk, id_number: str = ID_NUMBER, claim_type: str = "medical"
) -> None:
    kiosk.through(
        ("who", {"who": "self"}),
        ("identity", {"id_number": id_number, "name": "陈美华"}),
        ("phone", {"phone": "13812345678"}),
        ("claim_type", {"claim_type": claim_type}),
    )


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ((TODAY + timedelta(days=1)).isoformat(), "日期不能晚于今天"),
        ("2025-12-31", "这个日期之前的意外不在保障范围内"),
        ("2026-02-30", "这个日期不对"),
        ("yesterday", "这个日期不对"),
    ],
)
def test_accident_date_refusals(kiosk: Kiosk, day: str, message: str) -> None:
    reach_accident_date(kiosk)
    assert message in errors(kiosk.answer("accident_date", {"day": day}))["accident_date"]


def test_accident_before_sixtieth_birthday_is_refused_kindly(kiosk: Kiosk) -> None:
    young = demo_id_number(TODAY.replace(year=TODAY.year - 60) + timedelta(days=1), 21)
    reach_accident_date(kiosk, young)
    message = errors(kiosk.answer("accident_date", {"day": TODAY.isoformat()}))["accident_date"]
    assert "还不满60周岁" in message


def test_quick_dates_and_the_month_page(kiosk: Kiosk) -> None:
    reach_accident_date(kiosk)
    page = soup(kiosk.get("/claim/accident_date"))
    quick = [b["value"] for b in page.select("button[name=day]")]
    assert quick == [(TODAY - timedelta(days=i)).isoformat() for i in range(3)]
    month = soup(kiosk.get("/claim/accident_date?month=" + TODAY.strftime("%Y-%m")))
    days = [b["value"] for b in month.select("table.calendar button[name=day]")]
    assert days[-1] == TODAY.isoformat() and days[0] == TODAY.replace(day=1).isoformat()
    assert month.select_one("a", string="下个月") is None or "下个月" not in month.get_text()
    # a month before the policy or garbage falls back to an allowed month
    for garbage in ("1999-01", "abc", "2026-13"):
        assert soup(kiosk.get(f"/claim/accident_date?month={garbage}")).select("table.calendar")


def test_death_date_cannot_be_before_the_accident_and_180_days_is_explained(
    app: Flask, kiosk: Kiosk
) -> None:
    reach_accident_date(kiosk, claim_type="death")
    accident = date(2026, 1, 5)
    kiosk.through(("accident_date", {"day": accident.isoformat()}))
    assert (
        "不能早于意外发生的日期"
        in errors(kiosk.answer("outcome_date", {"day": "2026-01-04"}))["outcome_date"]
    )
    kiosk.through(
        ("outcome_date", {"day": (accident + timedelta(days=181)).isoformat()}),
        ("place", {"place": "road", "cause": "traffic"}),
        ("documents", {}),
        ("payment", {"bank": "psbc", "holder": "陈美华", "account": ACCOUNT}),
    )
    check = soup(kiosk.get("/claim/check"))
    assert any("180天" in n.get_text() for n in check.select(".notice"))
    assert "¥3,000.00" in check.select_one(".estimate-figure").get_text()


def test_description_too_long_keeps_the_text(kiosk: Kiosk) -> None:
    reach_accident_date(kiosk)
    kiosk.through(("accident_date", {"day": TODAY.isoformat()}))
    text = "摔" * 250
    response = kiosk.answer("place", {"place": "home", "cause": "fall", "description": text})
    assert errors(response) == {"description": "最多写200个字，您写了250个"}
    assert soup(response).select_one("#description").get_text() == text


def test_bank_account_check_digit_warns_once_then_accepts(app: Flask, kiosk: Kiosk) -> None:
    kiosk.through(*SELF_MEDICAL[:-1])
    wrong = ACCOUNT[:-1] + str((int(ACCOUNT[-1]) + 1) % 10)
    first = kiosk.answer("payment", {"bank": "abc", "holder": "陈美华", "account": wrong})
    assert first.status_code == 200 and "好像有一位不对" in errors(first)["account"]
    confirmed = soup(first).select_one("input[name=account_confirmed]")["value"]
    second = kiosk.answer(
        "payment",
        {"bank": "abc", "holder": "陈美华", "account": wrong, "account_confirmed": confirmed},
    )
    assert second.status_code == 303
    with app.app_context():
        answers = db.session.scalar(sa.select(Draft)).answers
        assert answers["account"] == wrong and answers["account_luhn_ok"] is False


def test_other_bank_needs_its_name(kiosk: Kiosk) -> None:
    kiosk.through(*SELF_MEDICAL[:-1])
    response = kiosk.answer("payment", {"bank": "other", "holder": "陈美华", "account": ACCOUNT})
    assert errors(response) == {"bank_other": "请写上银行的名字"}
    assert (
        kiosk.answer(
            "payment",
            {"bank": "other", "bank_other": "潮南村镇银行", "holder": "陈美华", "account": ACCOUNT},
        ).status_code
        == 303
    )


def test_holder_defaults_to_the_insured(kiosk: Kiosk) -> None:
    kiosk.through(*SELF_MEDICAL[:-1])
    assert soup(kiosk.get("/claim/payment")).select_one("#holder")["value"] == "陈美华"


def test_consent_is_needed_and_unticked_by_default(app: Flask, kiosk: Kiosk) -> None:
    kiosk.through(*SELF_MEDICAL)
    assert not soup(kiosk.get("/claim/check")).select_one("#consent-box").has_attr("checked")
    response = kiosk.answer("check", {})
    assert errors(response) == {"consent": "请勾选同意，我们才能处理您的理赔"}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Claim.id))) == 0


def test_change_link_returns_to_check(kiosk: Kiosk) -> None:
    kiosk.through(*SELF_MEDICAL)
    page = soup(kiosk.get("/claim/check"))
    change = next(a["href"] for a in page.select("a.change-link") if "/claim/phone" in a["href"])
    form = soup(kiosk.get(change))
    assert form.select_one("input[name=from]")["value"] == "check"
    token = form.select_one("input[name=csrf_token]")["value"]
    response = kiosk.client.post(
        "/claim/phone", data={"csrf_token": token, "from": "check", "phone": "13900001111"}
    )
    assert response.headers["Location"].endswith("/claim/check")
    assert "139****1111" in soup(kiosk.get("/claim/check")).get_text()


def test_post_without_csrf_token_is_refused_kindly(kiosk: Kiosk) -> None:
    response = kiosk.client.post("/claim/who", data={"who": "self"})
    assert response.status_code == 400
    assert soup(response).h1.get_text() == "页面已过期"


def test_restart_leaves_the_draft_and_begins_again(kiosk: Kiosk) -> None:
    kiosk.through(("who", {"who": "self"}))
    token = soup(kiosk.get("/claim/identity")).select_one("input[name=csrf_token]")["value"]
    assert kiosk.client.post("/claim/restart", data={"csrf_token": token}).status_code == 303
    assert kiosk.get("/claim").headers["Location"].endswith("/claim/who")


def test_pages_are_never_cached(kiosk: Kiosk) -> None:
    assert kiosk.get("/claim/who").headers["Cache-Control"] == "no-store"


def test_htmx_request_gets_the_url_pushed(kiosk: Kiosk) -> None:
    response = kiosk.get("/claim/who", headers={"HX-Request": "true"})
    assert response.headers["HX-Push-Url"] == "/claim/who"
