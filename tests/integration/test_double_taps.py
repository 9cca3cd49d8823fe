"""Double taps against a live server: the same form posted eight times at once (same session,
same CSRF token, same form key) stores one row, and all eight get the same answer. Two
phones asking at the same moment for what a case may have once get one too."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
import requests
import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask import Flask

from kiosk.claims.calendar import today_in_china
from kiosk.claims.states import CaseState
from kiosk.claims.types import DocumentKind
from kiosk.platform import once
from kiosk.platform.extensions import db
from kiosk.platform.models import (
    Claim,
    Complaint,
    DocumentPage,
    HomeVisitRequest,
    HomeVisitStatus,
    OcrReading,
    StatusEvent,
    SubmittedForm,
    utcnow,
)
from tests.conftest import LiveServer
from tests.integration.desk import PASSWORD
from tests.integration.test_intake import SELF_MEDICAL
from tests.integration.test_intake_documents import photo, photos_in_draft

TAPS = 8


@pytest.fixture
def server(app: Flask, demo: dict[CaseState, int]) -> Iterator[str]:
    live = LiveServer(app).start()
    yield live.url
    live.stop()


def form_of(session: requests.Session, url: str, action: str | None = None) -> dict[str, str]:
    """The hidden fields (CSRF token, form key, version) of a form on the page at `url`."""
    page = BeautifulSoup(session.get(url, timeout=60).text, "html.parser")
    form = page.select_one(f"form[action='{action}']") if action else page.select_one("form")
    assert form is not None, f"no form {action or ''} on {url}"
    hidden = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    assert "once" in hidden, "the form carries no key"
    return hidden


def at_once(
    session: requests.Session, url: str, data: dict, files: dict | None = None
) -> list[requests.Response]:
    """TAPS identical posts released together, each on its own connection."""
    start = threading.Barrier(TAPS)
    cookies = session.cookies.get_dict()

    def tap(_: int) -> requests.Response:
        start.wait()
        return requests.post(
            url, data=data, files=files, cookies=cookies, allow_redirects=False, timeout=120
        )

    with ThreadPoolExecutor(TAPS) as pool:
        return list(pool.map(tap, range(TAPS)))


def first_slot(session: requests.Session, url: str) -> str:
    """The first half-day a visit form offers."""
    page = BeautifulSoup(session.get(url, timeout=60).text, "html.parser")
    return page.select_one("input[name=slot]")["value"]


def answers(responses: list[requests.Response]) -> set[tuple[int, str]]:
    return {(r.status_code, r.headers.get("Location", "")) for r in responses}


def count(app: Flask, statement: sa.Select) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))


def token_of(app: Flask, claim_id: int) -> str:
    with app.app_context():
        return db.session.get(Claim, claim_id).tracking_token


def test_a_complaint_tapped_eight_times_is_one(
    app: Flask, server: str, demo: dict[CaseState, int]
) -> None:
    claim_id = demo[CaseState.UNDER_REVIEW]
    link = f"{server}/t/{token_of(app, claim_id)}"
    phone = requests.Session()
    form = form_of(phone, f"{link}/complaint")
    sent = at_once(phone, f"{link}/complaint", {**form, "text": "等了很久还没有消息，请尽快处理"})
    assert answers(sent) == {(303, f"/t/{token_of(app, claim_id)}")}
    assert count(app, sa.select(Complaint).where(Complaint.claim_id == claim_id)) == 1


def test_a_home_visit_from_the_link_tapped_eight_times_is_one(
    app: Flask, server: str, demo: dict[CaseState, int]
) -> None:
    claim_id = demo[CaseState.UNDER_REVIEW]
    link = f"{server}/t/{token_of(app, claim_id)}"
    phone = requests.Session()
    form = form_of(phone, f"{link}/visit", f"/t/{token_of(app, claim_id)}/visit")
    slot = first_slot(phone, f"{link}/visit")
    visit = {"phone": "13800138000", "address": "汕头市金平区长平路88号", "slot": slot}
    sent = at_once(phone, f"{link}/visit", {**form, **visit})
    assert answers(sent) == {(303, f"/t/{token_of(app, claim_id)}")}
    assert count(app, sa.select(HomeVisitRequest)) == 1


def test_two_phones_asking_for_a_visit_at_once_make_one_open_request(
    app: Flask, server: str, demo: dict[CaseState, int]
) -> None:
    """Each phone has its own form key: the database's one-open-visit rule decides."""
    claim_id = demo[CaseState.UNDER_REVIEW]
    link = f"{server}/t/{token_of(app, claim_id)}"
    phones = [requests.Session() for _ in range(TAPS)]
    forms = [form_of(p, f"{link}/visit", f"/t/{token_of(app, claim_id)}/visit") for p in phones]
    slot = first_slot(phones[0], f"{link}/visit")
    visit = {"phone": "13800138000", "address": "汕头市金平区长平路88号", "slot": slot}
    start = threading.Barrier(TAPS)

    def ask(n: int) -> requests.Response:
        start.wait()
        return phones[n].post(
            f"{link}/visit", data={**forms[n], **visit}, allow_redirects=False, timeout=120
        )

    with ThreadPoolExecutor(TAPS) as pool:
        sent = list(pool.map(ask, range(TAPS)))
    assert {r.status_code for r in sent} == {303}
    open_states = [HomeVisitStatus.REQUESTED, HomeVisitStatus.BOOKED]
    assert (
        count(app, sa.select(HomeVisitRequest).where(HomeVisitRequest.status.in_(open_states))) == 1
    )


def test_a_home_visit_from_the_kiosk_home_tapped_eight_times_is_one(
    app: Flask, server: str
) -> None:
    tablet = requests.Session()
    form = form_of(tablet, f"{server}/visit", "/visit")
    slot = first_slot(tablet, f"{server}/visit")
    visit = {
        "name": "林秀英",
        "phone": "13800138000",
        "address": "汕头市金平区长平路88号",
        "slot": slot,
    }
    sent = at_once(tablet, f"{server}/visit", {**form, **visit})
    assert answers(sent) == {(303, "/visit/sent")}
    assert count(app, sa.select(HomeVisitRequest)) == 1


def _requested_kind(app: Flask, claim_id: int) -> str:
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        return next(d.kind.value for d in claim.documents if d.status.outstanding)


def _pages(app: Flask, claim_id: int, kind: str) -> int:
    return count(
        app,
        sa.select(DocumentPage)
        .join(DocumentPage.document)
        .where(sa.text("document.claim_id = :c AND document.kind = :k"))
        .params(c=claim_id, k=DocumentKind(kind).value),
    )


def test_a_photo_from_the_link_tapped_eight_times_is_one_page(
    app: Flask, server: str, demo: dict[CaseState, int]
) -> None:
    claim_id = demo[CaseState.DOCUMENTS_NEEDED]
    kind, token = _requested_kind(app, claim_id), token_of(app, claim_id)
    phone = requests.Session()
    form = form_of(phone, f"{server}/t/{token}", f"/t/{token}/documents/{kind}")
    before = _pages(app, claim_id, kind)
    image = photo(size=(900, 700))
    sent = at_once(
        phone,
        f"{server}/t/{token}/documents/{kind}",
        form,
        {"photo": ("receipt.jpg", image, "image/jpeg")},
    )
    assert answers(sent) == {(303, f"/t/{token}")}
    assert _pages(app, claim_id, kind) == before + 1


def test_one_photo_sent_from_eight_pages_at_once_is_one_page(
    app: Flask, server: str, demo: dict[CaseState, int]
) -> None:
    """Different form keys, the same photo: the database holds one copy per document."""
    claim_id = demo[CaseState.DOCUMENTS_NEEDED]
    kind, token = _requested_kind(app, claim_id), token_of(app, claim_id)
    phones = [requests.Session() for _ in range(TAPS)]
    forms = [form_of(p, f"{server}/t/{token}", f"/t/{token}/documents/{kind}") for p in phones]
    before = _pages(app, claim_id, kind)
    image = photo(size=(900, 701))
    start = threading.Barrier(TAPS)

    def send(n: int) -> requests.Response:
        start.wait()
        return phones[n].post(
            f"{server}/t/{token}/documents/{kind}",
            data=forms[n],
            files={"photo": ("receipt.jpg", image, "image/jpeg")},
            allow_redirects=False,
            timeout=120,
        )

    with ThreadPoolExecutor(TAPS) as pool:
        sent = list(pool.map(send, range(TAPS)))
    assert all(r.status_code in (200, 303) for r in sent), [r.status_code for r in sent]
    assert _pages(app, claim_id, kind) == before + 1


def test_a_photo_at_the_kiosk_supplement_tapped_eight_times_is_one_page(
    app: Flask, server: str, demo: dict[CaseState, int]
) -> None:
    claim_id = demo[CaseState.DOCUMENTS_NEEDED]
    kind = _requested_kind(app, claim_id)
    with app.app_context():
        code = db.session.get(Claim, claim_id).supplement_code
    tablet = requests.Session()
    opened = tablet.post(
        f"{server}/supplement",
        data={**form_of_csrf(tablet, f"{server}/supplement"), "by": "code", "code": code},
        allow_redirects=False,
        timeout=60,
    )
    assert opened.status_code == 303
    action = f"/supplement/documents/{kind}"
    form = form_of(tablet, f"{server}/supplement/documents", action)
    before = _pages(app, claim_id, kind)
    sent = at_once(
        tablet,
        server + action,
        form,
        {"photo": ("receipt.jpg", photo(size=(900, 702)), "image/jpeg")},
    )
    assert answers(sent) == {(303, f"/supplement/documents#document-{kind}")}
    assert _pages(app, claim_id, kind) == before + 1


def form_of_csrf(session: requests.Session, url: str) -> dict[str, str]:
    page = BeautifulSoup(session.get(url, timeout=60).text, "html.parser")
    return {"csrf_token": page.select_one("input[name=csrf_token]")["value"]}


def _staff(server: str, username: str) -> requests.Session:
    desk = requests.Session()
    login = {**form_of_csrf(desk, f"{server}/staff/login"), "username": username}
    answer = desk.post(
        f"{server}/staff/login", data={**login, "password": PASSWORD}, allow_redirects=False
    )
    assert answer.status_code == 303
    return desk


def test_paid_clicked_eight_times_is_paid_once(
    app: Flask, server: str, demo: dict[CaseState, int]
) -> None:
    claim_id = demo[CaseState.APPROVED]
    with app.app_context():
        amount = db.session.get(Claim, claim_id).approved_amount
    assert isinstance(amount, Decimal)
    desk = _staff(server, "handler")
    case = f"{server}/staff/case/{claim_id}"
    form = form_of(desk, case, f"/staff/case/{claim_id}/pay")
    paid = {
        "paid_amount": str(amount),
        "paid_on": today_in_china().isoformat(),
        "reference": "20261202001",
    }
    sent = at_once(desk, f"{case}/pay", {**form, **paid})
    assert answers(sent) == {(303, f"/staff/case/{claim_id}")}
    events = sa.select(StatusEvent).where(
        StatusEvent.claim_id == claim_id, StatusEvent.to_state == CaseState.PAID
    )
    assert count(app, events) == 1


def test_documents_asked_for_eight_times_at_once_are_asked_once(
    app: Flask, server: str, demo: dict[CaseState, int]
) -> None:
    claim_id = demo[CaseState.UNDER_REVIEW]
    desk = _staff(server, "handler")
    case = f"{server}/staff/case/{claim_id}"
    form = form_of(desk, case, f"/staff/case/{claim_id}/request")
    ask = {"kinds": DocumentKind.MEDICAL_RECORD.value, "message": "请补交病历"}
    sent = at_once(desk, f"{case}/request", {**form, **ask})
    assert answers(sent) == {(303, f"/staff/case/{claim_id}")}
    events = sa.select(StatusEvent).where(
        StatusEvent.claim_id == claim_id, StatusEvent.to_state == CaseState.DOCUMENTS_NEEDED
    )
    assert count(app, events) == 1


def test_form_keys_are_forgotten_after_two_days(app: Flask) -> None:
    with app.app_context():
        db.session.add(SubmittedForm(key="old", at=utcnow() - once.KEPT - timedelta(minutes=1)))
        db.session.add(SubmittedForm(key="new", at=utcnow() - timedelta(hours=1)))
        db.session.commit()
        assert once.forget_old() == 1
        assert db.session.scalars(sa.select(SubmittedForm.key)).all() == ["new"]


def test_a_photo_in_the_intake_tapped_eight_times_is_one_photo(app: Flask, server: str) -> None:
    """The draft's documents step: one photo in the draft, one stored file, one reading."""
    tablet = requests.Session()
    for step, answer in SELF_MEDICAL[:6]:
        form = form_of_csrf(tablet, f"{server}/claim/{step}")
        tablet.post(f"{server}/claim/{step}", data={**form, **answer}, timeout=60)
    action = "/claim/documents/medical_receipt/photos"
    form = form_of(tablet, f"{server}/claim/documents", action)
    sent = at_once(
        tablet, server + action, form, {"photo": ("r.jpg", photo(size=(903, 700)), "image/jpeg")}
    )
    assert answers(sent) == {(303, "/claim/documents#document-medical_receipt")}, answers(sent)
    assert len(photos_in_draft(app, "medical_receipt")) == 1
    assert count(app, sa.select(OcrReading)) == 1
