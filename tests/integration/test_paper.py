"""手工受理: the blank paper form, and a paper claim entered through the kiosk's own checks,
kept with the form's date, marked as paper and as entered by the staff member."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import sqlalchemy as sa
from flask import Flask
from PIL import Image

from kiosk.claims.calendar import today_in_china
from kiosk.claims.states import CaseState
from kiosk.claims.types import DocumentKind, Source
from kiosk.platform.extensions import db
from kiosk.platform.models import AuditEvent, Claim, DocumentPage, DocumentStatus, StaffUser
from tests.integration.desk import desk
from tests.integration.test_intake import ACCOUNT, ID_NUMBER, errors, soup
from tests.integration.test_intake_documents import photo

TODAY = today_in_china()


def paper_claim(**changes: object) -> dict:
    form = {
        "reported_on": (TODAY - timedelta(days=3)).isoformat(),
        "who": "family",
        "reporter_name": "陈小明",
        "reporter_relationship": "child",
        "reporter_phone": "13912345678",
        "id_number": ID_NUMBER,
        "name": "陈美华",
        "phone": "",
        "claim_type": "medical",
        "accident_date": (TODAY - timedelta(days=6)).isoformat(),
        "place": "home",
        "cause": "fall",
        "description": "下楼梯时摔倒",
        "receipts_total": "456.70",
        "bank": "abc",
        "holder": "陈美华",
        "account": ACCOUNT,
        "received": ["insured_id_card", "medical_receipt"],
        "signed": "yes",
    }
    form.update(changes)
    return form


def test_the_blank_form_asks_what_the_kiosk_asks(app: Flask, demo: dict) -> None:
    page = soup(desk(app, "handler").get("/staff/paper-form"))
    text = page.get_text()
    for question in (
        "身份证号码",
        "住院了",
        "看了门诊",
        "乘坐公共交通出事",
        "中国农业银行",
        "签字",
    ):
        assert question in text
    assert len(page.select(".cell")) == 11 + 18 + 11 + 19


def test_a_paper_claim_is_checked_like_a_kiosk_one(app: Flask, demo: dict) -> None:
    d = desk(app, "handler")
    response = d.post("/staff/paper", {})
    assert response.status_code == 422
    errors = {a["href"].lstrip("#") for a in soup(response).select(".error-summary a")}
    assert {"reported_on", "who", "id_number", "name", "claim_type", "signed"} <= errors
    wrong = paper_claim(
        id_number=ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1"),
        reported_on=(TODAY + timedelta(days=1)).isoformat(),
        receipts_total="abc",
    )
    page = soup(d.post("/staff/paper", wrong))
    errors = {a["href"].lstrip("#") for a in page.select(".error-summary a")}
    assert {"id_number", "reported_on", "receipts_total"} <= errors
    assert page.select_one("#name")["value"] == "陈美华"  # nothing typed is lost


def test_a_paper_claim_keeps_the_form_date_and_who_entered_it(app: Flask, demo: dict) -> None:
    d = desk(app, "handler")
    response = d.post("/staff/paper", paper_claim())
    assert response.status_code == 303, soup(response).select_one(".error-summary")
    claim_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        handler = db.session.scalars(
            sa.select(StaffUser).where(StaffUser.username == "handler")
        ).one()
        assert claim.source is Source.PAPER and claim.entered_by_id == handler.id
        assert claim.reported_on == TODAY - timedelta(days=3)
        assert claim.case_number.startswith(f"{claim.reported_on:%y}")
        assert claim.estimated_amount == Decimal("456.70")
        status = {d.kind: d.status for d in claim.documents}
        assert status[DocumentKind.INSURED_ID_CARD] is DocumentStatus.RECEIVED
        assert status[DocumentKind.MEDICAL_RECORD] is DocumentStatus.MISSING
        assert claim.state is CaseState.DOCUMENTS_NEEDED
        assert claim.events[0].actor_staff_id == handler.id
        assert claim.reporter.phone == "13912345678"
        assert db.session.scalar(
            sa.select(AuditEvent.action).where(
                AuditEvent.claim_id == claim_id, AuditEvent.action == "claim.paper"
            )
        )
    page = soup(d.get(f"/staff/case/{claim_id}"))
    assert "纸质报案" in page.get_text()


def scan(d, claim_id: int, kind: str, *blobs: tuple[bytes, str]):
    """上传扫描件 from the case page's form, for the document of this kind."""
    page = soup(d.get(f"/staff/case/{claim_id}"))
    form = page.select_one("form#scans")
    lock = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    data = {**lock, "kind": kind, "scan": [(BytesIO(b), name) for b, name in blobs]}
    return d.client.post(form["action"], data=data, content_type="multipart/form-data")


def test_staff_add_scans_of_paper_documents_and_the_case_goes_back_to_review(
    app: Flask, demo: dict
) -> None:
    d = desk(app, "handler")
    claim_id = int(d.post("/staff/paper", paper_claim()).headers["Location"].rsplit("/", 1)[1])

    refused = scan(d, claim_id, "medical_record", (b"GIF89a not a scan", "scan.gif"))
    assert refused.status_code == 422
    assert "只收PDF，或JPG、PNG、HEIC图片" in soup(refused).select_one("#scan-error").text
    broken = scan(d, claim_id, "medical_record", (b"%PDF-1.4 cut off in the middle", "s.pdf"))
    assert "文件打不开" in soup(broken).select_one("#scan-error").text
    nothing = scan(d, claim_id, "")
    assert errors(nothing) == {"scan-kind": "请选择这是哪项材料", "scan": "请选择要上传的文件"}
    chosen = soup(d.get(f"/staff/case/{claim_id}")).select_one("#scan-kind option[selected]")
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        first_missing = next(doc.kind.value for doc in claim.documents if doc.status.outstanding)
    assert chosen["value"] == first_missing != "insured_id_card"  # received on paper already
    not_asked = scan(d, claim_id, "death_certificate", (photo(), "d.jpg"))
    assert not_asked.status_code == 409
    assert "这个案件没有这项材料" in soup(not_asked).select_one("#scans-error").text

    done = scan(d, claim_id, "medical_record", (photo(), "p1.jpg"), (photo("PNG"), "p2.png"))
    assert done.status_code == 303
    again = scan(d, claim_id, "medical_record", (photo(), "p1-again.jpg"))
    assert "这个文件已经传过了" in soup(again).select_one("#scan-error").text
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        record = next(doc for doc in claim.documents if doc.kind is DocumentKind.MEDICAL_RECORD)
        assert record.status is DocumentStatus.RECEIVED and len(record.pages) == 2
        assert {p.uploaded_via for p in record.pages} == {Source.PAPER}
        still_missing = [doc.kind.value for doc in claim.documents if doc.status.outstanding]
        assert still_missing and claim.state is CaseState.DOCUMENTS_NEEDED
    for kind in still_missing:
        assert scan(d, claim_id, kind, (photo(), f"{kind}.jpg")).status_code == 303
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        assert claim.state is CaseState.UNDER_REVIEW  # nothing is missing any more
        handler = db.session.scalars(sa.select(StaffUser).where(StaffUser.username == "handler"))
        added = db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.claim_id == claim_id, AuditEvent.action == "document.scan"
            )
        ).first()
        assert added.actor_staff_id == handler.one().id and added.ip
        assert added.detail == {"kind": "medical_record", "pages": 2, "via": "paper"}
        page_id = db.session.scalars(sa.select(DocumentPage.id)).first()
    image = d.get(f"/staff/page/{page_id}/image")
    assert image.status_code == 200 and image.data[:3] == b"\xff\xd8\xff"


def test_scans_are_refused_once_the_case_is_with_the_approver_or_closed(
    app: Flask, demo: dict
) -> None:
    d = desk(app, "handler")
    for state in (CaseState.AWAITING_APPROVAL, CaseState.PAID, CaseState.DECLINED):
        page = soup(d.get(f"/staff/case/{demo[state]}"))
        assert page.select_one("form#scans") is None, state
        with app.app_context():
            lock = {"version": db.session.get(Claim, demo[state]).version, "seen": 0}
            kind = db.session.get(Claim, demo[state]).documents[0].kind.value
        response = d.client.post(
            f"/staff/case/{demo[state]}/scans",
            data={
                "csrf_token": d.token(),
                **lock,
                "kind": kind,
                "scan": (BytesIO(photo()), "a.jpg"),
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 409, state
        assert "案件现在的状态不能做这个操作" in soup(response).get_text()


def pdf(pages: int) -> bytes:
    """A scanned PDF: `pages` A5 pages, each drawn differently."""
    images = [Image.new("RGB", (1240, 1748), (255, 255 - n, 255)) for n in range(pages)]
    for n, image in enumerate(images):
        image.paste((0, 0, 0), (100, 100 + 40 * n, 900, 130 + 40 * n))
    out = BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=150)
    return out.getvalue()


def test_a_scanned_pdf_becomes_one_page_each(app: Flask, demo: dict) -> None:
    d = desk(app, "handler")
    claim_id = int(d.post("/staff/paper", paper_claim()).headers["Location"].rsplit("/", 1)[1])
    assert scan(d, claim_id, "medical_record", (pdf(3), "病历.pdf")).status_code == 303
    again = scan(d, claim_id, "medical_record", (pdf(3), "病历-again.pdf"))
    assert "这个文件已经传过了" in soup(again).select_one("#scan-error").text
    too_long = scan(d, claim_id, "medical_receipt", (pdf(11), "long.pdf"))
    assert "一项材料最多10页" in soup(too_long).select_one("#scan-error").text
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        record = next(doc for doc in claim.documents if doc.kind is DocumentKind.MEDICAL_RECORD)
        assert len(record.pages) == 3 and {p.content_type for p in record.pages} == {"image/jpeg"}
        page_ids = [p.id for p in record.pages]
    first = Image.open(BytesIO(d.get(f"/staff/page/{page_ids[0]}/image").data))
    assert first.format == "JPEG"  # drawn at 200 dpi: 1240 x 1748 at 150 dpi, times 4/3
    assert abs(first.width - 1653) <= 1 and abs(first.height - 2331) <= 1
