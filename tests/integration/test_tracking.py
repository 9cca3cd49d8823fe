"""The family's tracking page /t/<token>: masked, private, the same 404 for any wrong token."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask

from kiosk.claims.states import CaseState, Role
from kiosk.claims.types import Exclusion
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, Complaint, ComplaintStatus
from kiosk.services.cases import move_case
from tests.integration.test_intake import ID_NUMBER, TODAY, Kiosk, errors, soup
from tests.integration.test_statements import submitted_claim_token


def test_the_page_shows_the_case_masked(app: Flask, kiosk: Kiosk, claim: Claim) -> None:
    response = kiosk.get(f"/t/{claim.tracking_token}")
    assert response.status_code == 200
    page = soup(response)
    text = page.get_text(" ", strip=True)
    assert "陈*华" in text and "陈美华" not in text
    assert ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:] in text and ID_NUMBER not in text
    assert (
        page.select_one(".case-number-small").get_text(strip=True).replace(" ", "")
        == claim.case_number
    )
    steps = [
        li.select_one(".timeline-label").get_text(strip=True) for li in page.select(".timeline li")
    ]
    assert steps == ["已受理", "审核中", "待补材料", "审核通过", "已赔付"]
    assert page.select_one("[aria-current=step]").get_text(" ", strip=True).startswith("待补材料")
    assert "医院收费票据" in page.select_one(".missing-list").get_text()
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Robots-Tag"] == "noindex"


def test_a_wrong_token_is_the_ordinary_404(kiosk: Kiosk, claim: Claim) -> None:
    unknown = kiosk.get("/t/" + "A" * 32)
    nowhere = kiosk.get("/no-such-page")
    assert unknown.status_code == nowhere.status_code == 404
    assert soup(unknown).h1.get_text() == soup(nowhere).h1.get_text()
    assert claim.case_number not in unknown.get_data(as_text=True)
    assert unknown.headers["X-Robots-Tag"] == "noindex"
    assert kiosk.get("/t/" + "x" * 500).status_code == 404
    assert kiosk.get(f"/t/{claim.tracking_token[:-1]}").status_code == 404


def test_paid_and_declined_cases(kiosk: Kiosk, claim: Claim) -> None:
    move_case(claim, CaseState.UNDER_REVIEW, Role.SYSTEM)
    move_case(claim, CaseState.APPROVED, Role.APPROVER)
    claim.approved_amount = Decimal("303.45")
    db.session.commit()
    page = soup(kiosk.get(f"/t/{claim.tracking_token}"))
    assert "下一步预计在" in page.select_one("[data-qa=due]").get_text()
    move_case(claim, CaseState.PAID, Role.HANDLER)
    claim.paid_amount, claim.paid_on = Decimal("303.45"), TODAY
    db.session.commit()
    page = soup(kiosk.get(f"/t/{claim.tracking_token}"))
    assert "¥303.45" in page.select_one(".estimate").get_text()
    assert page.select_one("[aria-current=step]").get_text(" ", strip=True).startswith("已赔付")


def test_a_declined_case_says_why_and_how_to_complain(kiosk: Kiosk, claim: Claim) -> None:
    move_case(claim, CaseState.UNDER_REVIEW, Role.SYSTEM)
    move_case(claim, CaseState.DECLINED, Role.APPROVER, reason="体检发现为疾病")
    claim.decline_reason = Exclusion.NOT_ACCIDENT
    db.session.commit()
    page = soup(kiosk.get(f"/t/{claim.tracking_token}"))
    steps = [
        li.select_one(".timeline-label").get_text(strip=True) for li in page.select(".timeline li")
    ]
    assert steps[-1] == "不予赔付" and "审核通过" not in steps
    assert "这次是疾病，不是意外伤害" in page.get_text()
    assert "申请复核或投诉" in page.get_text()


def look_up(kiosk: Kiosk, case_number: str, six: str, **environ):
    token = soup(kiosk.get("/track")).select_one("input[name=csrf_token]")["value"]
    return kiosk.client.post(
        "/track",
        data={"csrf_token": token, "case_number": case_number, "id_last_six": six},
        environ_base=environ or {},
    )


def test_look_up_by_case_number_and_id_digits(kiosk: Kiosk, claim: Claim) -> None:
    spaced = f"{claim.case_number[:2]} {claim.case_number[2:6]} {claim.case_number[6:]}"
    response = look_up(kiosk, spaced, ID_NUMBER[-6:].lower())
    assert response.status_code == 303
    assert response.headers["Location"] == f"/t/{claim.tracking_token}?via=kiosk"
    framed = soup(kiosk.get(response.headers["Location"]))
    assert framed.select_one("#idle-dialog") is not None  # the kiosk clears it when left
    assert soup(kiosk.get(f"/t/{claim.tracking_token}")).select_one("#idle-dialog") is None


def test_a_wrong_number_and_wrong_digits_get_the_same_answer(kiosk: Kiosk, claim: Claim) -> None:
    other = "0000000000" if claim.case_number != "0000000000" else "1111111111"
    wrong_digits = look_up(kiosk, claim.case_number, "000000")
    wrong_number = look_up(kiosk, other, ID_NUMBER[-6:])
    assert wrong_digits.status_code == wrong_number.status_code == 200
    assert (
        errors(wrong_digits)
        == errors(wrong_number)
        == {"case_number": "报案号或身份证后6位不对，请对照报案回执和身份证再试一次"}
    )
    assert soup(wrong_digits).select_one("#case_number")["value"] == claim.case_number
    assert errors(look_up(kiosk, "", "")) == {
        "case_number": "请输入报案号（10位数字，在报案回执上）",
        "id_last_six": "请输入老人身份证号码的最后6位",
    }


def test_guessing_one_case_from_many_addresses_is_rate_limited(kiosk: Kiosk, claim: Claim) -> None:
    statuses = [
        look_up(kiosk, claim.case_number, f"{n:06d}", REMOTE_ADDR=f"10.0.0.{n}").status_code
        for n in range(12)
    ]
    assert statuses[:10] == [200] * 10
    assert 429 in statuses[10:]


def test_one_case_number_has_one_limit_at_both_doors(kiosk: Kiosk, claim: Claim) -> None:
    """/track and /supplement's case-number form share the ten guesses an hour of one case."""

    def at_supplement(n: int) -> int:
        token = soup(kiosk.get("/supplement")).select_one("input[name=csrf_token]")["value"]
        form = {"by": "case", "case_number": claim.case_number, "id_last_six": f"{n:06d}"}
        environ = {"REMOTE_ADDR": f"10.0.1.{n}"}
        return kiosk.client.post(
            "/supplement", data={"csrf_token": token, **form}, environ_base=environ
        ).status_code

    statuses = []
    for n in range(6):
        statuses.append(look_up(kiosk, claim.case_number, f"{n:06d}", REMOTE_ADDR=f"10.0.2.{n}"))
        statuses.append(at_supplement(n))
    statuses = [s if isinstance(s, int) else s.status_code for s in statuses]
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]
    # The receipt's 补交码 is another secret with its own limit: not refused by the case's.
    token = soup(kiosk.get("/supplement")).select_one("input[name=csrf_token]")["value"]
    by_code = kiosk.client.post(
        "/supplement", data={"csrf_token": token, "by": "code", "code": "ABCD2345"}
    )
    assert by_code.status_code == 200


def changed_elsewhere(app: Flask, change) -> None:
    """`change(session)` made and committed in a session of its own, as another process would;
    the test's own session (the one its requests use) is then told to read afresh."""
    with app.app_context():
        change(db.session)
        db.session.commit()
        db.session.remove()
    db.session.expire_all()


def test_a_kept_page_is_rendered_again_whenever_what_it_shows_changes(
    app: Flask, kiosk: Kiosk, claim: Claim
) -> None:
    page = f"/t/{claim.tracking_token}"
    first = kiosk.get(page).get_data(as_text=True)
    assert kiosk.get(page).get_data(as_text=True) == first  # kept, CSRF token and all
    claim_id, before = claim.id, claim.page_version

    def insured(session):
        return session.get(Claim, claim_id).insured

    def rename(session) -> None:
        insured(session).name = "林美华"

    def ask_again(session) -> None:
        session.get(Claim, claim_id).documents[0].request_message = "请拍清楚金额那一行"

    def complain(session) -> None:
        session.add(Complaint(claim_id=claim_id, text="太慢", status=ComplaintStatus.RECEIVED))

    changed_elsewhere(app, rename)
    assert "林*华" in soup(kiosk.get(page)).get_text()
    changed_elsewhere(app, ask_again)
    assert "请拍清楚金额那一行" in soup(kiosk.get(page)).get_text()
    changed_elsewhere(app, complain)
    assert soup(kiosk.get(page)).select_one("[data-qa=requests]") is not None
    with app.app_context():
        assert db.session.get(Claim, claim_id).page_version == before + 3


def test_each_person_gets_their_own_csrf_token_in_a_kept_page(app: Flask, kiosk: Kiosk) -> None:
    # no `claim` fixture: its app context would let both people's requests share one `g`
    page = f"/t/{submitted_claim_token(app, kiosk)}"
    mine = soup(kiosk.get(page)).select_one("input[name=csrf_token]")["value"]
    other = app.test_client()
    form = soup(other.get(page)).select_one("form[enctype]")
    theirs = form.select_one("input[name=csrf_token]")["value"]
    assert mine != theirs and not mine.startswith("csrf-") and not theirs.startswith("csrf-")
    assert other.post(form["action"], data={"csrf_token": mine}).status_code == 400
    assert other.post(form["action"], data={"csrf_token": theirs}).status_code == 303


def test_the_language_and_text_size_are_part_of_what_is_kept(kiosk: Kiosk, claim: Claim) -> None:
    page = f"/t/{claim.tracking_token}"
    assert soup(kiosk.get(page)).html["lang"] == "zh-CN"
    kiosk.get("/prefs/lang/en")
    assert soup(kiosk.get(page)).html["lang"] == "en"
    kiosk.get("/prefs/size/xl")
    assert "size-xl" in soup(kiosk.get(page)).html["class"]
