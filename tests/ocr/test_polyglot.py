"""Polyglot uploads: a photo that is also a web page or an archive is stored as a photo only.

Whatever a hostile file carries besides its picture (bytes after the end-of-image marker,
metadata segments, junk between the scans of a progressive JPEG) must not reach the store.
Every file is generated here; the payloads are harmless strings that are easy to look for.
"""

from __future__ import annotations

import struct
import zipfile
from io import BytesIO

import pytest
from PIL import ExifTags, Image, ImageCms

from kiosk.ocr.images import load_image, quick_jpeg, to_jpeg
from kiosk.services.scans import pdf_pages

SIZE = (800, 600)
SCRIPT = b"<script>alert(document.cookie)</script>"
HTML = b"<!doctype html><html><body>" + SCRIPT + b"</body></html>"


def picture() -> Image.Image:
    image = Image.new("RGB", SIZE, "white")
    image.paste((200, 0, 0), (0, 0, 100, 100))
    return image


def jpeg(**params: object) -> bytes:
    out = BytesIO()
    picture().save(out, "JPEG", **params)
    return out.getvalue()


def zip_archive() -> bytes:
    """A real ZIP (stored, not deflated, so its HTML is there to be found in plain bytes)."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("index.html", HTML)
    return out.getvalue()


def icc_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body


def end_of_first_scan(data: bytes) -> int:
    """Where the entropy-coded data of the first scan ends: at the next real marker."""
    position = 2
    while data[position + 1] != 0xDA:  # segments up to the first start of scan
        position += 2 + struct.unpack(">H", data[position + 2 : position + 4])[0]
    position += 2 + struct.unpack(">H", data[position + 2 : position + 4])[0]
    while not (data[position] == 0xFF and data[position + 1] not in {0x00, *range(0xD0, 0xD8)}):
        position += 1
    return position


def insert_after_first_scan(data: bytes, extra: bytes) -> bytes:
    cut = end_of_first_scan(data)
    assert data[cut + 1] != 0xD9, "the JPEG has one scan only"
    return data[:cut] + extra + data[cut:]


def insert_before_eoi(data: bytes, extra: bytes) -> bytes:
    assert data.endswith(b"\xff\xd9")
    return data[:-2] + extra + data[-2:]


# (id, hostile upload, bytes of which no trace may be stored)
HOSTILE = [
    ("html_after_eoi", jpeg() + HTML, [b"<script", b"<html"]),
    ("zip_after_eoi", jpeg() + zip_archive(), [b"PK\x03\x04", b"PK\x05\x06", b"<script"]),
    ("icc_profile", jpeg(icc_profile=icc_profile()), [b"ICC_PROFILE", b"acsp"]),
    ("comment_in_header", jpeg(comment=SCRIPT), [b"<script"]),
    (
        "comment_between_scans",
        insert_after_first_scan(jpeg(progressive=True), segment(0xFE, SCRIPT)),
        [b"<script"],
    ),
    (
        "junk_between_scans",  # not a segment at all: raw bytes after the first scan's data
        insert_after_first_scan(jpeg(progressive=True), HTML),
        [b"<script", b"<html"],
    ),
    ("junk_before_eoi", insert_before_eoi(jpeg(), HTML), [b"<script", b"<html"]),
    (
        "everything_at_once",
        insert_after_first_scan(
            jpeg(progressive=True, icc_profile=icc_profile(), comment=SCRIPT), HTML
        )
        + zip_archive(),
        [b"<script", b"PK\x03\x04", b"ICC_PROFILE"],
    ),
]


def assert_only_the_picture(stored: bytes, traces: list[bytes]) -> None:
    for trace in traces:
        assert trace not in stored
    assert not zipfile.is_zipfile(BytesIO(stored))
    assert stored.endswith(b"\xff\xd9")  # nothing after the end of the image
    with Image.open(BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == SIZE
        assert not image.getexif() and "icc_profile" not in image.info
        assert "comment" not in image.info
        image.load()


@pytest.mark.parametrize(("data", "traces"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_the_hostile_file_is_a_photo_that_pillow_reads(data: bytes, traces: list[bytes]) -> None:
    # The test below would prove nothing if the payload were not there or the photo unreadable.
    assert all(trace in data for trace in traces)
    with Image.open(BytesIO(data)) as image:
        image.load()
        assert image.size == SIZE


@pytest.mark.parametrize(("data", "traces"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_the_fast_path_stores_the_picture_and_nothing_else(
    data: bytes, traces: list[bytes]
) -> None:
    quick = quick_jpeg(data)
    assert quick is not None  # an upright, small JPEG: this is the path such a file takes
    assert (quick.width, quick.height) == SIZE
    assert_only_the_picture(quick.stored, traces)


def on_its_side() -> Image.Exif:
    """EXIF saying "turn me": such a photo takes the slow path, which turns it upright."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    return exif


def png() -> bytes:
    out = BytesIO()
    picture().save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        jpeg(exif=on_its_side()) + HTML + zip_archive(),
        jpeg(exif=on_its_side(), icc_profile=icc_profile(), comment=SCRIPT),
        png() + HTML + zip_archive(),
    ],
    ids=["sideways_jpeg_with_trailers", "sideways_jpeg_with_metadata", "png_with_trailers"],
)
def test_the_slow_path_stores_the_picture_and_nothing_else(data: bytes) -> None:
    assert quick_jpeg(data) is None
    loaded = load_image(data)
    stored = to_jpeg(loaded.image)
    for trace in (b"<script", b"PK\x03\x04", b"ICC_PROFILE"):
        assert trace not in stored
    assert not zipfile.is_zipfile(BytesIO(stored)) and stored.endswith(b"\xff\xd9")
    with Image.open(BytesIO(stored)) as image:
        assert image.size in (SIZE, SIZE[::-1])


def test_a_scanned_pdf_with_a_trailer_becomes_clean_pages() -> None:
    out = BytesIO()
    picture().save(out, "PDF", resolution=200)
    data = out.getvalue() + HTML + zip_archive()
    (page,) = pdf_pages(data)
    quick = quick_jpeg(page)  # the page then goes through the photo checks like any upload
    stored = quick.stored if quick is not None else page
    assert b"<script" not in stored and b"PK\x03\x04" not in stored
    assert stored.endswith(b"\xff\xd9")
