"""OCR in the intake over HTTP: the ID card photo read by the real engine, confirmed, used.

The queue runs immediately in tests, so the reading is done when the upload returns; the
waiting panel, the time limit and the failure paths are driven by setting the reading's state.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pytest
import sqlalchemy as sa
from flask import Flask
from PIL import Image

from kiosk.demo import demo_id_number
from kiosk.ocr.samples import id_card, receipt
from kiosk.platform.extensions import db
from kiosk.platform.models import Draft, OcrReading, ReadingStatus
from kiosk.services.jobs import requeue_interrupted
from kiosk.services.readings import perform
from tests.integration.test_intake import SELF_MEDICAL, Kiosk, errors, soup
from tests.integration.test_intake_documents import upload

NUMBER = demo_id_number(date(1948, 12, 31), 11)
NAME = "陈美华"


def jpeg(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def in_app_context(app: Flask):
    """The test's own look at the database, beside the requests the client makes."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture(scope="module")
def card_photo() -> bytes:
    return jpeg(id_card(random.Random(5), name=NAME, number=NUMBER).image)


def upload_card(kiosk: Kiosk, photo: bytes, *, follow: bool = False):
    kiosk.through(("who", {"who": "self"}))
    token = soup(kiosk.get("/claim/identity")).select_one("input[name=csrf_token]")["value"]
    return kiosk.client.post(
        "/claim/identity/photo",
        data={"csrf_token": token, "photo": (BytesIO(photo), "card.jpg")},
        content_type="multipart/form-data",
        follow_redirects=follow,
    )


def confirm(kiosk: Kiosk, path: str, data: dict):
    token = soup(kiosk.get(path)).select_one("input[name=csrf_token]")["value"]
    return kiosk.client.post(path, data={"csrf_token": token, **data})


@pytest.mark.one_database
def test_the_card_is_read_and_each_field_confirmed(kiosk: Kiosk, card_photo: bytes) -> None:
    response = upload_card(kiosk, card_photo)
    assert response.status_code == 303
    path = response.headers["Location"]
    page = soup(kiosk.get(path))
    assert page.h1.get_text(strip=True) == "请核对身份证上的信息"
    shown = page.select_one("#id_number .read-text").get_text(strip=True)
    assert shown == " ".join((NUMBER[:4], NUMBER[4:6], NUMBER[6:10], NUMBER[10:14], NUMBER[14:]))
    assert page.select_one("#name .read-text").get_text(strip=True) == NAME
    # Checked by its checksum and the 出生 line: offered as right, but still confirmable.
    assert page.select_one("#ok-id_number-yes").has_attr("checked")
    crop = kiosk.get(page.select_one("#id_number img.read-crop")["src"])
    assert crop.status_code == 200 and crop.mimetype == "image/jpeg"
    assert crop.headers["Cache-Control"] == "no-store"

    response = confirm(kiosk, path, {"ok-id_number": "yes", "ok-name": "yes"})
    assert response.status_code == 303, errors(response)
    assert response.headers["Location"].endswith("/claim/phone")
    answers = db.session.scalars(sa.select(Draft)).one().answers
    assert (answers["id_number"], answers["name"]) == (NUMBER, NAME)
    assert answers["identity_from"] == "id_card"
    assert len(answers["photos"]["insured_id_card"]) == 1  # the document is taken care of


def test_a_field_left_unconfirmed_is_asked_again_and_nothing_is_lost(
    kiosk: Kiosk, card_photo: bytes
) -> None:
    path = upload_card(kiosk, card_photo).headers["Location"]
    response = confirm(kiosk, path, {"ok-id_number": "yes"})
    assert response.status_code == 200
    assert errors(response) == {"name": "请点“对”，或者点“改一下”再改正"}
    page = soup(response)
    assert page.select_one("#ok-id_number-yes").has_attr("checked")


@pytest.mark.one_database
def test_改一下_takes_the_corrected_value_and_checks_it(kiosk: Kiosk, card_photo: bytes) -> None:
    path = upload_card(kiosk, card_photo).headers["Location"]
    wrong = NUMBER[:-1] + ("1" if NUMBER[-1] != "1" else "2")
    response = confirm(
        kiosk,
        path,
        {"ok-id_number": "edit", "edit-id_number": wrong, "ok-name": "edit", "edit-name": "陈美英"},
    )
    assert response.status_code == 200
    assert "id_number" in errors(response)
    assert soup(response).select_one("#edit-name")["value"] == "陈美英"
    response = confirm(
        kiosk, path, {"ok-id_number": "yes", "ok-name": "edit", "edit-name": "陈美英"}
    )
    assert response.status_code == 303
    assert db.session.scalars(sa.select(Draft)).one().answers["name"] == "陈美英"


@pytest.mark.one_database
def test_an_unsure_field_is_marked_and_not_pre_accepted(
    app: Flask, kiosk: Kiosk, card_photo: bytes
) -> None:
    path = upload_card(kiosk, card_photo).headers["Location"]
    reading = db.session.scalars(sa.select(OcrReading)).one()
    fields = dict(reading.fields)
    fields["name"] = {**fields["name"], "confidence": 0.5}
    reading.fields = fields
    db.session.commit()
    page = soup(kiosk.get(path))
    box = page.select_one(".confirm-field--unsure")
    assert box is not None and box.select_one("#name") is not None or box.get("id") == "name"
    assert "请仔细核对" in page.select_one("#name").get_text()
    assert not page.select_one("#ok-name-yes").has_attr("checked")
    assert not page.select_one("#ok-name-edit").has_attr("checked")


def test_waiting_then_slow_then_typing(app: Flask, kiosk: Kiosk, card_photo: bytes) -> None:
    path = upload_card(kiosk, card_photo).headers["Location"]
    reading = db.session.scalars(sa.select(OcrReading)).one()
    reading.status = ReadingStatus.QUEUED
    db.session.commit()
    page = soup(kiosk.get(path))
    assert page.h1.get_text(strip=True) == "正在识别身份证"
    assert page.select_one("noscript meta[http-equiv=refresh]") is not None
    poll = kiosk.get(path, headers={"HX-Request": "true", "HX-Trigger": "reading-poll"})
    assert poll.status_code == 204
    reading.queued_at -= timedelta(seconds=app.config["OCR_TIMEOUT_SECONDS"] + 1)
    db.session.commit()
    page = soup(kiosk.get(path))
    assert page.h1.get_text(strip=True) == "还在识别，比平时慢一些"  # slow, never "not read"
    assert "没能读出" not in page.get_text()
    assert page.select_one(".actions a[href='/claim/identity']").get_text(strip=True) == "自己输入"
    assert page.select_one(f".actions a[href='{path}']").get_text(strip=True) == "再等一下"
    # The slow page keeps asking; when the reading arrives its fields replace the panel.
    poll = kiosk.get(path, headers={"HX-Request": "true", "HX-Trigger": "reading-poll"})
    assert poll.status_code == 204
    reading.status = ReadingStatus.DONE
    db.session.commit()
    poll = kiosk.get(path, headers={"HX-Request": "true", "HX-Trigger": "reading-poll"})
    assert poll.status_code == 200
    assert soup(poll).h1.get_text(strip=True) == "请核对身份证上的信息"


def test_the_asker_gets_itself_until_the_reading_is_done_then_the_page(
    kiosk: Kiosk, card_photo: bytes
) -> None:
    """The waiting panel's small asker: itself again (0.4 s later) while reading; once done,
    the page, in the same answer, told to replace <main>."""
    path = upload_card(kiosk, card_photo).headers["Location"]
    reading = db.session.scalars(sa.select(OcrReading)).one()
    reading.status = ReadingStatus.QUEUED
    db.session.commit()
    asker = soup(kiosk.get(path)).select_one("#reading-asker")
    assert asker["hx-get"] == path and asker["hx-trigger"].startswith("load delay:")
    asking = {"HX-Request": "true", "HX-Trigger": "reading-asker"}
    again = kiosk.get(path, headers=asking)
    assert again.status_code == 200 and "HX-Retarget" not in again.headers
    assert soup(again).select_one("#reading-asker")["hx-trigger"] == "load delay:400ms"
    assert soup(again).h1 is None  # small: not the page
    reading.status = ReadingStatus.DONE
    db.session.commit()
    done = kiosk.get(path, headers=asking)
    assert done.headers["HX-Retarget"] == "main" and done.headers["HX-Reselect"] == "main"
    assert soup(done).h1.get_text(strip=True) == "请核对身份证上的信息"


def test_the_first_question_waits_about_as_long_as_recent_readings_took(
    app: Flask, kiosk: Kiosk, card_photo: bytes
) -> None:
    from kiosk.services.readings import first_ask

    path = upload_card(kiosk, card_photo).headers["Location"]
    mine = db.session.scalars(sa.select(OcrReading)).one()
    mine.status = ReadingStatus.QUEUED
    now = mine.queued_at
    assert first_ask(mine.photo_file, now) == timedelta(milliseconds=400)  # nothing to go by
    for n in range(8):  # readings done before: 2 s from queue to done, 1.5 s of reading each
        db.session.add(
            OcrReading(
                photo_file=f"earlier{n}",
                kind="id_card",
                status=ReadingStatus.DONE,
                queued_at=now - timedelta(minutes=n + 1),
                finished_at=now - timedelta(minutes=n + 1) + timedelta(seconds=2),
                seconds=1.5,
            )
        )
    db.session.add(
        OcrReading(
            photo_file="ahead",
            kind="receipt",
            status=ReadingStatus.READING,
            queued_at=now - timedelta(seconds=1),
        )
    )
    db.session.commit()
    assert first_ask(mine.photo_file, now) == timedelta(seconds=3.5)  # 2 s, and 1.5 s ahead
    assert first_ask(mine.photo_file, now + timedelta(seconds=3)) == timedelta(seconds=0.5)
    assert first_ask(mine.photo_file, now + timedelta(seconds=9)) == timedelta(milliseconds=400)
    mine.queued_at = datetime.now(UTC)  # just uploaded, as far as the page can tell
    db.session.commit()
    trigger = soup(kiosk.get(path)).select_one("#reading-asker")["hx-trigger"]
    assert 400 < int(trigger.removeprefix("load delay:").removesuffix("ms")) <= 3500


def test_a_failed_reading_offers_typing(kiosk: Kiosk, card_photo: bytes) -> None:
    path = upload_card(kiosk, card_photo).headers["Location"]
    reading = db.session.scalars(sa.select(OcrReading)).one()
    reading.status, reading.problem = ReadingStatus.FAILED, "engine_error"
    db.session.commit()
    page = soup(kiosk.get(path))
    assert page.h1.get_text(strip=True) == "没能读出身份证上的字"
    # The page says she may take a clearer photo: a button takes her to the camera.
    links = {a.get_text(strip=True): a["href"] for a in page.select(".actions a")}
    assert links == {"再拍一张": "/claim/identity#id-photo-title", "自己输入": "/claim/identity"}
    assert soup(kiosk.get("/claim/identity")).select_one("#id-photo-title") is not None
    assert kiosk.answer("identity", {"id_number": NUMBER, "name": NAME}).status_code == 303


def test_a_reading_that_missed_a_field_offers_another_photo(
    kiosk: Kiosk, card_photo: bytes
) -> None:
    path = upload_card(kiosk, card_photo).headers["Location"]
    assert "再拍一张" not in soup(kiosk.get(path)).get_text()  # both read: nothing to retake
    reading = db.session.scalars(sa.select(OcrReading)).one()
    reading.fields = {key: value for key, value in reading.fields.items() if key != "name"}
    db.session.commit()
    page = soup(kiosk.get(path))
    assert page.select_one("input#name") is not None  # typed instead
    retake = page.select_one(".actions a[href='/claim/identity#id-photo-title']")
    assert retake is not None and retake.get_text(strip=True) == "再拍一张"


def test_a_bad_photo_is_refused_on_the_identity_step(kiosk: Kiosk) -> None:
    response = upload_card(kiosk, b"not a photo", follow=True)
    page = soup(response)
    assert page.h1.get_text(strip=True) == "老人的身份证号码和姓名"
    assert "这不是照片" in page.select_one("#photo-error").get_text()


def test_the_same_photo_twice_shows_the_first_reading(kiosk: Kiosk, card_photo: bytes) -> None:
    first = upload_card(kiosk, card_photo).headers["Location"]
    token = soup(kiosk.get("/claim/identity")).select_one("input[name=csrf_token]")["value"]
    again = kiosk.client.post(
        "/claim/identity/photo",
        data={"csrf_token": token, "photo": (BytesIO(card_photo), "card.jpg")},
        content_type="multipart/form-data",
    )
    assert again.headers["Location"] == first
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OcrReading)) == 1


def test_someone_elses_photo_is_not_found(app: Flask, kiosk: Kiosk, card_photo: bytes) -> None:
    path = upload_card(kiosk, card_photo).headers["Location"]
    other = app.test_client()
    assert other.get(path).status_code in (302, 404)
    assert (
        other.get(
            path.replace("/claim/identity/card/", "/claim/photos/") + "/crop/name"
        ).status_code
        == 404
    )


def test_interrupted_readings_are_queued_again(app: Flask, kiosk: Kiosk, card_photo: bytes) -> None:
    upload_card(kiosk, card_photo)
    reading = db.session.scalars(sa.select(OcrReading)).one()
    done_fields = reading.fields
    reading.status, reading.fields = ReadingStatus.READING, None
    reading.queued_at -= timedelta(minutes=5)
    db.session.commit()
    assert requeue_interrupted() == 1  # the immediate queue reads it again at once
    db.session.refresh(reading)
    assert reading.status == ReadingStatus.DONE
    assert reading.fields["id_number"]["value"] == done_fields["id_number"]["value"]
    assert requeue_interrupted() == 0


# --- receipts ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def receipt_sample():
    return receipt(random.Random(3))


def at_receipts(kiosk: Kiosk, sample) -> str:
    kiosk.through(*SELF_MEDICAL[:6])
    response = upload(kiosk, "medical_receipt", (jpeg(sample.image), "receipt.jpg"))
    assert response.status_code == 303
    kiosk.through(("documents", {}))
    return db.session.scalars(sa.select(Draft)).one().answers["photos"]["medical_receipt"][0]["id"]


@pytest.mark.one_database
def test_a_receipt_total_is_read_and_confirmed(kiosk: Kiosk, receipt_sample) -> None:
    photo_id = at_receipts(kiosk, receipt_sample)
    page = soup(kiosk.get("/claim/receipts"))
    name = f"amount-{photo_id}"
    field = page.select_one(f"#{name}")
    shown = field.select_one(".read-text").get_text(strip=True)
    assert shown.replace("¥", "").replace(",", "") == receipt_sample.truth["total"]
    assert kiosk.get(field.select_one("img.read-crop")["src"]).mimetype == "image/jpeg"
    response = kiosk.answer("receipts", {f"ok-{name}": "yes"})
    assert response.status_code == 303, errors(response)
    answers = db.session.scalars(sa.select(Draft)).one().answers
    assert answers["receipt_amounts"] == {photo_id: receipt_sample.truth["total"]}


@pytest.mark.one_database
def test_a_receipt_total_corrected_by_hand_is_checked(kiosk: Kiosk, receipt_sample) -> None:
    photo_id = at_receipts(kiosk, receipt_sample)
    name = f"amount-{photo_id}"
    response = kiosk.answer("receipts", {f"ok-{name}": "edit", f"edit-{name}": "12x"})
    assert response.status_code == 200 and name in errors(response)
    assert soup(response).select_one(f"#edit-{name}")["value"] == "12x"
    response = kiosk.answer("receipts", {f"ok-{name}": "edit", f"edit-{name}": "88.50"})
    assert response.status_code == 303
    answers = db.session.scalars(sa.select(Draft)).one().answers
    assert answers["receipt_amounts"] == {photo_id: "88.50"}


def test_receipts_wait_for_their_reading_then_offer_typing(
    app: Flask, kiosk: Kiosk, receipt_sample
) -> None:
    photo_id = at_receipts(kiosk, receipt_sample)
    reading = db.session.scalars(sa.select(OcrReading)).one()
    reading.status = ReadingStatus.QUEUED
    db.session.commit()
    page = soup(kiosk.get("/claim/receipts"))
    assert page.h1.get_text(strip=True) == "正在识别票据"
    assert (
        kiosk.get(
            "/claim/receipts", headers={"HX-Request": "true", "HX-Trigger": "reading-poll"}
        ).status_code
        == 204
    )
    reading.status = ReadingStatus.FAILED
    db.session.commit()
    page = soup(kiosk.get("/claim/receipts"))
    assert page.select_one(f"input#amount-{photo_id}") is not None
    assert kiosk.answer("receipts", {f"amount-{photo_id}": "35.00"}).status_code == 303


def slow(app: Flask, reading: OcrReading) -> None:
    """The reading still not done, past the time the person is asked to wait."""
    reading.status = ReadingStatus.QUEUED
    reading.queued_at -= timedelta(seconds=app.config["OCR_TIMEOUT_SECONDS"] + 1)
    db.session.commit()


def test_a_slow_receipt_is_told_as_slow_and_filled_in_when_read(
    app: Flask, kiosk: Kiosk, receipt_sample
) -> None:
    photo_id = at_receipts(kiosk, receipt_sample)
    reading = db.session.scalars(sa.select(OcrReading)).one()
    slow(app, reading)
    page = soup(kiosk.get("/claim/receipts"))
    box = page.select_one(f"#receipt-{photo_id}")
    assert "还在识别这张票据" in box.get_text() and "没读出" not in box.get_text()
    assert box.select_one(f"input#amount-{photo_id}") is not None
    # The box asks again while nothing is typed in it: 204 until the reading is done...
    poll = box["hx-get"]
    assert "[!this.querySelector('input').value]" in box["hx-trigger"]
    assert kiosk.get(poll, headers={"HX-Request": "true"}).status_code == 204
    reading.status = ReadingStatus.DONE
    db.session.commit()
    # ... then the read total, to confirm, takes its place.
    filled = soup(kiosk.get(poll, headers={"HX-Request": "true"}))
    assert filled.select_one(f"#receipt-{photo_id}").get("hx-get") is None
    assert filled.select_one(f"#ok-amount-{photo_id}-yes") is not None
    shown = filled.select_one(".read-text").get_text(strip=True)
    assert shown.replace("¥", "").replace(",", "") == receipt_sample.truth["total"]


def test_a_total_typed_while_the_reading_was_slow_is_kept_when_it_arrives(
    app: Flask, kiosk: Kiosk, receipt_sample
) -> None:
    photo_id = at_receipts(kiosk, receipt_sample)
    reading = db.session.scalars(sa.select(OcrReading)).one()
    slow(app, reading)
    assert soup(kiosk.get("/claim/receipts")).select_one(f"input#amount-{photo_id}") is not None
    reading.status = ReadingStatus.DONE  # read between the page and the person's tap
    db.session.commit()
    assert kiosk.answer("receipts", {f"amount-{photo_id}": "35.00"}).status_code == 303
    answers = db.session.scalars(sa.select(Draft)).one().answers
    assert answers["receipt_amounts"] == {photo_id: "35.00"}


def test_someone_elses_receipt_total_is_not_found(kiosk: Kiosk) -> None:
    assert kiosk.get("/claim/receipts/nobodys-photo/total").status_code == 404


# --- the hospital stay from the discharge summary ----------------------------------------


def discharge_summary_photo(
    admitted: date, discharged: date, hospital: str = "汕头市潮南区人民医院"
) -> bytes:
    """A plain 出院小结 page: the hospital, the patient and the two dates, photographed flat."""
    from PIL import ImageDraw

    from kiosk.ocr.samples import font

    page = Image.new("RGB", (1400, 1000), (250, 250, 246))
    draw = ImageDraw.Draw(page)
    draw.text((700, 60), hospital, font=font(56), fill=(20, 20, 20), anchor="mt")
    draw.text((700, 150), "出院小结", font=font(56), fill=(20, 20, 20), anchor="mt")
    draw.text((100, 280), f"姓名：{NAME}", font=font(40), fill=(20, 20, 20))
    draw.text((100, 380), f"入院日期：{admitted:%Y年%m月%d日}", font=font(40), fill=(20, 20, 20))
    draw.text((100, 480), f"出院日期：{discharged:%Y年%m月%d日}", font=font(40), fill=(20, 20, 20))
    days = (discharged - admitted).days
    draw.text((100, 580), f"实际住院：{days}天", font=font(40), fill=(20, 20, 20))
    return jpeg(page)


def at_allowance_documents(kiosk: Kiosk, accident: date, discharged: date) -> None:
    """A hospital allowance claim answered up to its documents, admitted on the accident day."""
    kiosk.through(
        ("who", {"who": "self"}),
        ("identity", {"id_number": NUMBER, "name": NAME}),
        ("phone", {"phone": "13812345678"}),
        ("claim_type", {"claim_type": "hospital_allowance"}),
        ("accident_date", {"day": accident.isoformat()}),
        ("admission_date", {"day": accident.isoformat()}),
        ("discharge_date", {"day": discharged.isoformat()}),
        ("place", {"place": "home", "cause": "fall"}),
    )


@pytest.mark.one_database
def test_discharge_summary_dates_can_replace_the_answers(kiosk: Kiosk) -> None:
    today = date.today()
    accident = today - timedelta(days=20)
    at_allowance_documents(kiosk, accident, today - timedelta(days=2))
    admitted, discharged = accident + timedelta(days=1), today - timedelta(days=5)
    upload(kiosk, "discharge_summary", (discharge_summary_photo(admitted, discharged), "s.jpg"))
    page = soup(kiosk.get("/claim/documents"))
    note = page.select_one(".stay-read").get_text(" ", strip=True)
    assert "和您前面选的日期不一样" in note
    assert "一级医院" not in note  # 潮南区人民医院 is grade 2
    form = page.select_one(".stay-read form")
    token = form.select_one("input[name=csrf_token]")["value"]
    kiosk.client.post(form["action"], data={"csrf_token": token})
    answers = db.session.scalars(sa.select(Draft)).one().answers
    assert (answers["admission_date"], answers["discharge_date"]) == (
        admitted.isoformat(),
        discharged.isoformat(),
    )
    page = soup(kiosk.get("/claim/documents"))
    assert "和您前面选的日期一样" in page.select_one(".stay-read").get_text()
    assert "已按出院小结改了住院和出院日期" in page.select_one("p.status").get_text()


def test_a_crashing_reading_is_retried_then_given_up(
    app: Flask, kiosk: Kiosk, card_photo: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload_card(kiosk, card_photo)
    reading = db.session.scalars(sa.select(OcrReading)).one()
    reading.status, reading.fields, reading.attempts = ReadingStatus.QUEUED, None, 0
    db.session.commit()

    def crash(*args, **kwargs):
        raise RuntimeError("onnxruntime fell over")

    monkeypatch.setattr("kiosk.ocr.reader.read_image", crash)
    for attempt in (1, 2):
        with pytest.raises(RuntimeError):  # raised again so that huey retries the job
            perform(reading.id)
        db.session.refresh(reading)
        assert (reading.status, reading.attempts) == (ReadingStatus.QUEUED, attempt)
    perform(reading.id)  # the last attempt: given up, and the person is offered to type
    db.session.refresh(reading)
    assert (reading.status, reading.problem) == (ReadingStatus.FAILED, "engine_error")


def test_a_done_reading_is_not_read_again(kiosk: Kiosk, card_photo: bytes, monkeypatch) -> None:
    upload_card(kiosk, card_photo)
    reading = db.session.scalars(sa.select(OcrReading)).one()
    monkeypatch.setattr("kiosk.ocr.reader.read_image", lambda *a, **k: pytest.fail("read again"))
    perform(reading.id)
    db.session.refresh(reading)
    assert reading.attempts == 1 and reading.status == ReadingStatus.DONE


@pytest.mark.one_database
def test_a_grade_1_hospital_is_pointed_out_for_the_allowance(kiosk: Kiosk) -> None:
    today = date.today()
    accident = today - timedelta(days=10)
    at_allowance_documents(kiosk, accident, today - timedelta(days=2))
    photo = discharge_summary_photo(accident, today - timedelta(days=2), "潮南区陈店镇卫生院")
    upload(kiosk, "discharge_summary", (photo, "s.jpg"))
    note = soup(kiosk.get("/claim/documents")).select_one(".stay-read").get_text(" ", strip=True)
    assert "潮南区陈店镇卫生院 是一级医院" in note
    assert "和您前面选的日期一样" in note
