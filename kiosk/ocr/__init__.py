"""Reading photos of receipts and ID cards: checks, preparation, engines, parsers.

`kiosk.ocr.read_document(path, kind) -> dict` is the plain contract (also the command line
`python -m kiosk.ocr IMAGE --kind receipt|id_card`). It is imported on first use, so that the
web process can check uploads (kiosk.ocr.images) without loading OpenCV or the OCR models.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "read_document":
        from kiosk.ocr.reader import read_document

        return read_document
    raise AttributeError(name)
