"""Scanned PDFs from the back office, made into the JPEG pages every document is kept as.

A scanner at the counter usually saves a PDF. Each of its pages is drawn by PDFium
(pypdfium2: Chrome's own PDF renderer, with wheels for every platform) at 200 dpi and then
goes through the same checks as a photo: size, pixels, duplicates, ten pages a document.
PDFium is not thread-safe, so one drawing runs at a time in a process.
"""

from __future__ import annotations

import threading
from io import BytesIO

from werkzeug.datastructures import FileStorage

from kiosk.ocr.images import MAX_BYTES, MAX_PIXELS, to_jpeg
from kiosk.services.uploads import MAX_PHOTOS_PER_DOCUMENT

DPI = 200
SNIFF_BYTES = 1024  # a PDF's "%PDF-" comes first, after blank lines at most
_pdfium = threading.Lock()


class PdfRefused(Exception):
    """A PDF that cannot become pages: `problem` is one of the upload problems."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def is_pdf(data: bytes) -> bool:
    return data[:SNIFF_BYTES].lstrip().startswith(b"%PDF-")


def pdf_pages(data: bytes) -> list[bytes]:
    """Each page of the PDF as a JPEG; PdfRefused("corrupt" | "too_many" | "too_many_pixels")."""
    import pypdfium2  # only where a PDF is scanned in, not in every web process

    with _pdfium:
        try:
            pdf = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as error:  # damaged, or locked with a password
            raise PdfRefused("corrupt") from error
        try:
            if len(pdf) == 0:
                raise PdfRefused("corrupt")
            if len(pdf) > MAX_PHOTOS_PER_DOCUMENT:
                raise PdfRefused("too_many")
            pages = []
            for index in range(len(pdf)):
                page = pdf[index]
                try:
                    width, height = page.get_size()  # in points, 72 to the inch
                    if width * height * (DPI / 72) ** 2 > MAX_PIXELS:
                        raise PdfRefused("too_many_pixels")
                    image = page.render(scale=DPI / 72).to_pil().convert("RGB")
                finally:
                    page.close()
                pages.append(to_jpeg(image))
            return pages
        finally:
            pdf.close()


def expand_pdfs(uploads: list[FileStorage]) -> tuple[list[FileStorage], list[str]]:
    """The uploads with every PDF replaced by its pages; the problems of PDFs refused."""
    expanded: list[FileStorage] = []
    problems: list[str] = []
    for upload in uploads:
        head = upload.stream.read(SNIFF_BYTES)  # a photo is read once, later, by its checks
        upload.stream.seek(0)
        if not is_pdf(head):
            expanded.append(upload)
            continue
        data = upload.stream.read(MAX_BYTES + 1)
        try:
            if len(data) > MAX_BYTES:
                raise PdfRefused("too_large")
            pages = pdf_pages(data)
        except PdfRefused as refused:
            problems.append(refused.problem)
            continue
        name = upload.filename or "scan.pdf"
        expanded += [
            FileStorage(BytesIO(page), f"{name}-{n}.jpg", content_type="image/jpeg")
            for n, page in enumerate(pages, 1)
        ]
    return expanded, problems
