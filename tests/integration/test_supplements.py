"""补交材料: at the kiosk by the receipt's code (or case number and ID digits), and from the
tracking link; the case goes back to review when nothing is missing; nothing is shown back."""

from __future__ import annotations

from io import BytesIO

import pytest
import sqlalchemy as sa
from flask import Flask

from kiosk.claims.states import CaseState
from kiosk.platform.extensions import db
from kiosk.platform.models import AuditEvent, Claim, DocumentPage, DocumentStatus
from tests.integration.test_intake import ID_NUMBER, SELF_MEDICAL, Kiosk, errors, soup
from tests.integration.test_intake_documents import photo


@pytest.fixture
def case(app: Flask, kiosk: Kiosk) -> dict:
    """A medical claim submitted with every document left for later, then a fresh tablet."""
    kiosk.through(*SELF_MEDICAL, ("check", {"consent": "yes"}))
    kiosk.client.post("/session/end")
    with app.app_context():
        claim = db.session.scalars(sa.select(Claim)).one()
        assert claim.state is CaseState.DOCUMENTS_NEEDED
        return {
            "code": claim.supplement_code,
            "number": claim.case_number,
            "token": claim.tracking_token,
            "missing": [
                d.kind.value for d in claim.documents if d.status is DocumentStatus.MISSING
            ],
        }


def csrf(kiosk: Kiosk, path: str) -> str:
    return soup(kiosk.get(path)).select_one("input[name=csrf_token]")["value"]


def open_case(kiosk: Kiosk, **form: str):
    return kiosk.client.post("/supplement", data={"csrf_token": csrf(kiosk, "/supplement"), **form})


def send(kiosk: Kiosk, path: str, page: str, *blobs: bytes):
    data = {
        "csrf_token": csrf(kiosk, page),
        "photo": [(BytesIO(b), f"p{i}.jpg") for i, b in enumerate(blobs)],
    }
    return kiosk.client.post(path, data=data, content_type="multipart/form-data")


def state(app: Flask) -> CaseState:
    with app.app_context():
        return db.session.scalars(sa.select(Claim.state)).one()


def test_the_kiosk_code_opens_the_missing_documents_and_completing_them_reopens_review(
    app: Flask, kiosk: Kiosk, case: dict
) -> None:
    home = soup(kiosk.get("/"))
    assert home.select_one("[data-qa=supplement]")["href"] == "/supplement"
    opened = open_case(kiosk, by="code", code=f"{case['code'][:3]} {case['code'][3:]}")
    assert opened.status_code == 303 and opened.headers["Location"] == "/supplement/documents"
    page = soup(kiosk.get("/supplement/documents"))
    assert [li["id"] for li in page.select(".document")] == [
        f"document-{k}" for k in case["missing"]
    ]
    assert "陈*华" in page.get_text() and "陈美华" not in page.get_text()
    for index, kind in enumerate(case["missing"]):
        assert state(app) is CaseState.DOCUMENTS_NEEDED
        sent = send(
            kiosk,
            f"/supplement/documents/{kind}",
            "/supplement/documents",
            photo(size=(800 + index, 600)),
        )
        assert sent.status_code == 303
    assert state(app) is CaseState.UNDER_REVIEW
    page = soup(kiosk.get("/supplement/documents"))
    assert page.select_one("[data-qa=all-in]") is not None
    assert "已收到 1 张照片" in page.get_text()
    # Never the photos themselves: only the sample pictures.
    assert all("sample-" in img["src"] for img in page.select("main img.sample"))
    assert not [
        i for i in page.select("main img") if "sample-" not in i["src"] and "svg" not in i["src"]
    ]
    tracking = soup(kiosk.get(f"/t/{case['token']}"))
    assert tracking.select_one("[aria-current=step]").get_text(strip=True).startswith("审核中")
    with app.app_context():
        pages = db.session.scalars(sa.select(DocumentPage)).all()
        assert len(pages) == len(case["missing"])
        moves = db.session.scalars(sa.select(AuditEvent.action)).all()
        assert moves.count("document.add") == len(case["missing"])


def test_a_wrong_code_says_so_and_the_case_number_with_id_digits_also_works(
    kiosk: Kiosk, case: dict
) -> None:
    wrong = f"{(int(case['code']) + 1) % 10**6:06d}"
    page = open_case(kiosk, by="code", code=wrong)
    assert errors(page) == {"code": "补交材料码不对，请对照回执再输入一次，或用报案号和身份证后6位"}
    assert soup(page).select_one("#code")["value"] == wrong
    assert errors(open_case(kiosk, by="code", code="")) == {
        "code": "请输入回执上的补交材料码（6位数字）"
    }
    assert "case_number" in errors(
        open_case(kiosk, by="case", case_number=case["number"], id_last_six="000000")
    )
    assert errors(open_case(kiosk, by="case", case_number="", id_last_six=" ")) == {
        "case_number": "请输入报案号（10位数字，在报案回执上）",
        "id_last_six": "请输入老人身份证号码的最后6位",
    }
    right = open_case(kiosk, by="case", case_number=case["number"], id_last_six=ID_NUMBER[-6:])
    assert right.headers["Location"] == "/supplement/documents"
    assert (
        kiosk.client.post(
            "/supplement/done", data={"csrf_token": csrf(kiosk, "/supplement/documents")}
        ).status_code
        == 303
    )
    assert kiosk.get("/supplement/documents").headers["Location"] == "/supplement"


def test_guessing_codes_is_rate_limited(kiosk: Kiosk, case: dict) -> None:
    token = csrf(kiosk, "/supplement")
    statuses = [
        kiosk.client.post(
            "/supplement", data={"csrf_token": token, "by": "code", "code": f"{n:06d}"}
        ).status_code
        for n in range(12)
    ]
    assert statuses[:10] == [200] * 10 and 429 in statuses[10:]


def test_the_tracking_link_can_add_but_never_fetch_a_document(
    app: Flask, kiosk: Kiosk, case: dict
) -> None:
    link = f"/t/{case['token']}"
    page = soup(kiosk.get(link))
    forms = page.select("form.upload")
    assert [f["action"] for f in forms] == [f"{link}/documents/{k}" for k in case["missing"]]
    assert all(not f.select_one("input[type=file]").has_attr("capture") for f in forms)
    kind = case["missing"][0]
    sent = send(kiosk, f"{link}/documents/{kind}", link, photo())
    assert sent.status_code == 303
    after = kiosk.get(sent.headers["Location"])
    assert "已收到 1 张照片" in soup(after).get_text()
    with app.app_context():
        stored = db.session.scalars(sa.select(DocumentPage.stored_name)).one()
    body = after.get_data(as_text=True)
    assert stored not in body
    for path in (
        f"{link}/documents/{kind}",
        f"/claim/photos/{stored}",
        f"/t/{case['token']}/{stored}",
    ):
        assert kiosk.get(path).status_code in (404, 405)
    # Not an image: a plain message, the case as it was.
    bad = send(kiosk, f"{link}/documents/{case['missing'][1]}", link, b"%PDF-1.4 not a photo")
    assert bad.status_code == 200
    assert f"photo-{case['missing'][1]}" in errors(bad)
    assert (
        kiosk.client.post(
            f"/t/{'A' * 32}/documents/{kind}", data={"csrf_token": csrf(kiosk, link)}
        ).status_code
        == 404
    )
    assert ID_NUMBER not in body
