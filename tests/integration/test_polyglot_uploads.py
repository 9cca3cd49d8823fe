"""A photo posted at the kiosk that is also a web page and a ZIP is stored as a photo only."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from flask import Flask
from PIL import Image

from kiosk.platform.storage import files
from tests.integration.test_intake import SELF_MEDICAL, Kiosk
from tests.integration.test_intake_documents import photo, photos_in_draft, upload
from tests.ocr.test_polyglot import HTML, insert_after_first_scan, zip_archive


@pytest.fixture
def at_documents(kiosk: Kiosk) -> Kiosk:
    kiosk.through(*SELF_MEDICAL[:6])
    return kiosk


def progressive_photo() -> bytes:
    image = Image.open(BytesIO(photo()))
    out = BytesIO()
    image.save(out, "JPEG", progressive=True, comment=b"<script>alert(1)</script>")
    return out.getvalue()


@pytest.mark.parametrize(
    "hostile",
    [
        photo() + HTML + zip_archive(),
        insert_after_first_scan(progressive_photo(), HTML) + zip_archive(),
    ],
    ids=["trailers", "junk_between_scans"],
)
def test_a_polyglot_photo_is_stored_without_its_payload(
    app: Flask, at_documents: Kiosk, hostile: bytes
) -> None:
    assert upload(at_documents, "medical_receipt", (hostile, "receipt.jpg")).status_code == 303
    (record,) = photos_in_draft(app, "medical_receipt")
    with app.app_context():
        stored = files().read(record["file"])
        thumbnail = files().read(record["thumb"])
    for kept in (stored, thumbnail):
        assert b"<script" not in kept and b"<html" not in kept
        assert b"PK\x03\x04" not in kept and not zipfile.is_zipfile(BytesIO(kept))
        assert kept.endswith(b"\xff\xd9")
    assert record["size"] == len(hostile)  # what was sent; the worker kept only its pixels
    with Image.open(BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (800, 600)
        image.load()
