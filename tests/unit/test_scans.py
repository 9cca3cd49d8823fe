"""Scanned PDFs made into pages: refused plainly when they cannot be."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from kiosk.ocr.images import MAX_BYTES
from kiosk.services.scans import PdfRefused, expand_pdfs, is_pdf, pdf_pages


def pdf(size: tuple[int, int], dpi: float, pages: int = 1) -> bytes:
    images = [Image.new("RGB", size, "white") for _ in range(pages)]
    out = BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def test_each_page_becomes_a_jpeg() -> None:
    pages = pdf_pages(pdf((850, 1100), 100, pages=2))  # US letter at 100 dpi
    assert len(pages) == 2
    image = Image.open(BytesIO(pages[0]))
    assert image.format == "JPEG" and image.size == (1700, 2200)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"%PDF-1.7\n%%EOF", "corrupt"),
        (pdf((2000, 2000), 10), "too_many_pixels"),  # a page 200 inches wide
        (pdf((100, 100), 72, pages=11), "too_many"),
    ],
)
def test_pdfs_that_cannot_become_pages(data: bytes, problem: str) -> None:
    assert is_pdf(data)
    with pytest.raises(PdfRefused) as refused:
        pdf_pages(data)
    assert refused.value.problem == problem


def test_only_pdfs_are_taken_for_pdfs() -> None:
    assert not is_pdf(b"\xff\xd8\xff\xe0 a JPEG")
    assert is_pdf(b"\n  %PDF-1.4 with blank lines first")


def test_expand_pdfs_leaves_photos_and_refuses_a_huge_pdf() -> None:
    photo = FileStorage(BytesIO(b"\xff\xd8\xff\xe0 a JPEG"), "p.jpg")
    huge = FileStorage(BytesIO(b"%PDF-1.7\n" + b"0" * MAX_BYTES), "huge.pdf")
    scan = FileStorage(BytesIO(pdf((100, 100), 72, pages=2)), "scan.pdf")
    pages, problems = expand_pdfs([photo, huge, scan])
    assert problems == ["too_large"]
    assert pages[0] is photo and photo.stream.read() == b"\xff\xd8\xff\xe0 a JPEG"  # untouched
    assert [p.filename for p in pages[1:]] == ["scan.pdf-1.jpg", "scan.pdf-2.jpg"]


def test_every_upload_problem_has_words_for_staff() -> None:
    from kiosk.words.claimant import UPLOAD_PROBLEMS
    from kiosk.words.staff import SCAN_PROBLEMS

    assert SCAN_PROBLEMS.keys() == UPLOAD_PROBLEMS.keys()  # the same checks, staff's words
