"""Photos of documents at the kiosk, and the hospital-allowance estimate."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pillow_heif
import pytest
import sqlalchemy as sa
from flask import Flask
from PIL import Image

from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, Document, DocumentPage, DocumentStatus, Draft, utcnow
from kiosk.platform.storage import files
from kiosk.services import jobs
from tests.integration.test_intake import SELF_MEDICAL, TODAY, Kiosk, errors, soup


def photo(
    fmt: str = "JPEG", size: tuple[int, int] = (800, 600), exif_orientation: int | None = None
) -> bytes:
    image = Image.new("RGB", size, "white")
    image.paste((200, 0, 0), (0, 0, 100, 100))
    out = BytesIO()
    if fmt == "HEIF":
        pillow_heif.from_pillow(image).save(out, quality=60)
    elif exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()


def upload(kiosk: Kiosk, kind: str, *blobs: tuple[bytes, str]):
    token = soup(kiosk.get("/claim/documents")).select_one("input[name=csrf_token]")["value"]
    data = {"csrf_token": token, "photo": [(BytesIO(b), name) for b, name in blobs]}
    return kiosk.client.post(
        f"/claim/documents/{kind}/photos", data=data, content_type="multipart/form-data"
    )


def photos_in_draft(app: Flask, kind: str) -> list[dict]:
    with app.app_context():
        return db.session.scalar(sa.select(Draft)).answers.get("photos", {}).get(kind, [])


@pytest.fixture
def at_documents(kiosk: Kiosk) -> Kiosk:
    kiosk.through(*SELF_MEDICAL[:6])
    return kiosk


def test_document_page_lists_each_document_with_a_sample_and_a_camera_button(
    at_documents: Kiosk,
) -> None:
    page = soup(at_documents.get("/claim/documents"))
    kinds = [li["id"].removeprefix("document-") for li in page.select("li.document")]
    assert kinds == ["insured_id_card", "medical_receipt", "medical_record", "bank_account"]
    first = page.select_one("li.document")
    assert first.select_one("img.sample")["alt"].startswith("样例")
    camera = first.select_one("input[type=file]")
    assert (
        camera["accept"] == "image/*"
        and camera["capture"] == "environment"
        and camera.has_attr("multiple")
    )
    assert "以后再补" in first.select_one(".document-status").get_text()


def test_photos_are_stored_encrypted_shown_only_to_this_session_and_removable(
    app: Flask, at_documents: Kiosk, client
) -> None:
    jpeg = photo()
    response = upload(
        at_documents, "medical_receipt", (jpeg, "receipt.jpg"), (photo("PNG"), "second.png")
    )
    assert response.status_code == 303
    page = soup(at_documents.get("/claim/documents"))
    assert "已收到 2 张照片" in page.select_one("[role=status]").get_text()
    stored = photos_in_draft(app, "medical_receipt")
    assert len(stored) == 2
    with app.app_context():
        on_disk = (files().root / stored[0]["file"][:2] / stored[0]["file"]).read_bytes()
        assert jpeg[:64] not in on_disk and b"JFIF" not in on_disk
    thumb = page.select("li#document-medical_receipt ul.thumbs img")[0]["src"]
    shown = at_documents.get(thumb)
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    assert shown.headers["Cache-Control"] == "no-store"
    assert Image.open(BytesIO(shown.data)).size[0] <= 240
    stranger = app.test_client()  # another tablet, another session
    assert stranger.get(thumb).status_code == 404
    remove = page.select("li#document-medical_receipt ul.thumbs form")[0]["action"]
    token = page.select_one("input[name=csrf_token]")["value"]
    assert at_documents.client.post(remove, data={"csrf_token": token}).status_code == 303
    assert len(photos_in_draft(app, "medical_receipt")) == 1
    with app.app_context():
        assert not (files().root / stored[0]["file"][:2] / stored[0]["file"]).exists()


@pytest.mark.parametrize(
    ("blob", "name", "message"),
    [
        (b"%PDF-1.7 receipt", "receipt.jpg", "这不是照片"),
        (b"", "empty.jpg", "这张照片是空的"),
        (photo()[:2000], "cut.jpg", "这张照片打不开"),
        (photo(size=(120, 90)), "tiny.jpg", "这张照片太小"),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "x.svg",
            "这不是照片",
        ),
    ],
)
def test_bad_uploads_are_explained_and_nothing_is_lost(
    app: Flask, at_documents: Kiosk, blob: bytes, name: str, message: str
) -> None:
    upload(at_documents, "medical_receipt", (photo(), "good.jpg"))
    response = upload(at_documents, "medical_receipt", (blob, name))
    assert response.status_code == 200
    assert message in errors(response)["photo-medical_receipt"]
    assert len(photos_in_draft(app, "medical_receipt")) == 1  # the good one is still there
    assert soup(response).title.get_text().startswith("错误：")


def test_the_same_photo_twice_is_kept_once(app: Flask, at_documents: Kiosk) -> None:
    jpeg = photo()
    upload(at_documents, "insured_id_card", (jpeg, "a.jpg"))
    response = upload(at_documents, "insured_id_card", (jpeg, "a.jpg"))
    assert "这张照片已经传过了" in errors(response)["photo-insured_id_card"]
    assert len(photos_in_draft(app, "insured_id_card")) == 1


def test_iphone_heic_and_a_photo_on_its_side_are_accepted_upright(
    app: Flask, at_documents: Kiosk
) -> None:
    assert (
        upload(at_documents, "insured_id_card", (photo("HEIF"), "IMG_0001.HEIC")).status_code == 303
    )
    assert (
        upload(at_documents, "bank_account", (photo(exif_orientation=6), "side.jpg")).status_code
        == 303
    )
    sideways = photos_in_draft(app, "bank_account")[0]
    assert (sideways["width"], sideways["height"]) == (600, 800)


def test_submitted_photos_become_document_pages_and_thumbnails_go(
    app: Flask, at_documents: Kiosk
) -> None:
    upload(at_documents, "medical_receipt", (photo(), "r.jpg"))
    receipt = photos_in_draft(app, "medical_receipt")[0]
    thumb = receipt["thumb"]
    at_documents.through(
        SELF_MEDICAL[6], ("receipts", {f"amount-{receipt['id']}": "88"}), SELF_MEDICAL[7]
    )
    missing = [li.get_text() for li in soup(at_documents.get("/claim/check")).select(".missing li")]
    assert "医院收费票据" not in missing and "病历" in missing
    at_documents.answer("check", {"consent": "yes"})
    with app.app_context():
        claim = db.session.scalar(sa.select(Claim))
        statuses = {d.kind.value: d.status for d in claim.documents}
        assert statuses["medical_receipt"] is DocumentStatus.RECEIVED
        assert statuses["medical_record"] is DocumentStatus.MISSING
        page = db.session.scalar(sa.select(DocumentPage))
        assert files().read(page.stored_name)[:2] == b"\xff\xd8"
        assert not (files().root / thumb[:2] / thumb).exists()
        done = soup(at_documents.get("/claim/done")).get_text()
        assert "医院收费票据" not in done.split("接下来")[1].split("材料齐全后")[0]


def test_expired_drafts_are_purged_with_their_photos(app: Flask, at_documents: Kiosk) -> None:
    upload(at_documents, "medical_receipt", (photo(), "r.jpg"))
    stored = photos_in_draft(app, "medical_receipt")[0]
    with app.app_context():
        draft = db.session.scalar(sa.select(Draft))
        draft.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert jobs.purge_expired_drafts().get() == 1
    with app.app_context():
        for name in (stored["file"], stored["thumb"]):
            assert not (files().root / name[:2] / name).exists()
        assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 0


def test_hospital_allowance_estimate_in_large_figures(app: Flask, kiosk: Kiosk) -> None:
    accident = TODAY - timedelta(days=20)
    kiosk.through(
        *SELF_MEDICAL[:3],
        ("claim_type", {"claim_type": "hospital_allowance"}),
        ("accident_date", {"day": accident.isoformat()}),
    )
    before = kiosk.answer("admission_date", {"day": (accident - timedelta(days=1)).isoformat()})
    assert "住院日期不能早于意外发生的日期" in errors(before)["admission_date"]
    kiosk.through(("admission_date", {"day": accident.isoformat()}))
    wrong = kiosk.answer("discharge_date", {"day": (accident - timedelta(days=1)).isoformat()})
    assert "出院日期不能早于住院日期" in errors(wrong)["discharge_date"]
    kiosk.through(
        ("discharge_date", {"day": (accident + timedelta(days=12)).isoformat()}),
        ("place", {"place": "home", "cause": "fall"}),
    )
    estimate = soup(kiosk.get("/claim/documents")).select_one(".estimate-figure").get_text()
    assert estimate == "30元 × 12天 = 360元"
    kiosk.through(("documents", {}), SELF_MEDICAL[-1])
    check = soup(kiosk.get("/claim/check"))
    assert check.select_one(".estimate-figure").get_text() == "30元 × 12天 = 360元"
    assert "每次住院最多算90天" in check.select_one(".estimate").get_text()
    kiosk.answer("check", {"consent": "yes"})
    with app.app_context():
        assert str(db.session.scalar(sa.select(Claim.estimated_amount))) == "360.00"


def test_still_in_hospital(kiosk: Kiosk) -> None:
    kiosk.through(
        *SELF_MEDICAL[:3],
        ("claim_type", {"claim_type": "hospital_allowance"}),
        ("accident_date", {"day": TODAY.isoformat()}),
        ("admission_date", {"day": TODAY.isoformat()}),
        ("discharge_date", {"day": "still"}),
        ("place", {"place": "home", "cause": "fall"}),
    )
    text = soup(kiosk.get("/claim/documents")).select_one(".estimate").get_text()
    assert "出院后按实际住院天数计算" in text


def test_receipt_totals_add_up_on_screen(app: Flask, at_documents: Kiosk) -> None:
    upload(at_documents, "medical_receipt", (photo(), "a.jpg"), (photo("PNG"), "b.png"))
    at_documents.through(("documents", {}))
    page = soup(at_documents.get("/claim/receipts"))
    fields = [i["name"] for i in page.select("input[name^=amount-]")]
    assert len(fields) == 2
    bad = at_documents.answer("receipts", {fields[0]: "12.345", fields[1]: ""})
    # Nothing read from these blank photos, so the second may stay empty: staff read it.
    assert errors(bad) == {fields[0]: "金额只能是数字，例如 1234.50"}
    assert soup(bad).select_one(f"#{fields[0]}")["value"] == "12.345"
    at_documents.through(("receipts", {fields[0]: "1,200.50", fields[1]: "99.5"}))
    assert (
        soup(at_documents.get("/claim/receipts")).select_one(".estimate-figure").get_text()
        == "¥1,300.00"
    )
    at_documents.through(SELF_MEDICAL[-1])
    rows = {
        r.dt.get_text(strip=True): r.select("dd")[0].get_text(strip=True)
        for r in soup(at_documents.get("/claim/check")).select(".summary-row")
    }
    assert rows["票据合计"] == "¥1,300.00"


def test_an_upload_over_the_request_limit_is_explained_and_nothing_is_lost(
    app: Flask, at_documents: Kiosk
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 50_000  # the real limit is 64 MB; same path, smaller
    upload(at_documents, "medical_receipt", (photo(), "small.jpg"))
    response = upload(at_documents, "medical_receipt", (b"\xff\xd8" + b"0" * 60_000, "huge.jpg"))
    assert response.status_code == 413
    assert soup(response).h1.get_text() == "照片太大了"
    assert len(photos_in_draft(app, "medical_receipt")) == 1
    assert soup(at_documents.get("/claim/documents")).select(
        "li#document-medical_receipt ul.thumbs img"
    )


def test_a_decompression_bomb_is_refused(app: Flask, at_documents: Kiosk) -> None:
    bomb = BytesIO()
    Image.new("1", (12_000, 12_000)).save(bomb, "PNG")  # 144 Mpx in a few kB
    response = upload(at_documents, "medical_receipt", (bomb.getvalue(), "bomb.png"))
    assert "这张照片太大了，请再拍一次" in errors(response)["photo-medical_receipt"]
