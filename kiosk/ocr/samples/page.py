"""What a family of documents draws, and what the camera makes of it."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

# The keys of `python -m kiosk.ocr` per document kind: a sample's truth has exactly these
# (plus "_family" and "_tier", which say where it came from and are not compared).
TRUTH_KEYS = {
    "receipt": (
        "doc_type", "kind", "hospital", "patient_name", "invoice_code", "invoice_number",
        "issue_date", "total", "admission_date", "discharge_date",
    ),
    "id_card": ("doc_type", "name", "sex", "ethnicity", "birth_date", "address", "id_number"),
    "discharge_summary": (
        "doc_type", "hospital", "patient_name", "admission_date", "discharge_date", "days",
    ),
}  # fmt: skip


@dataclass
class Page:
    """One flat document as printed, before any camera: about 200 dpi, RGB.

    `mask` is the document's shape when it is not a plain rectangle (an ID card's rounded
    corners), white where the document is.
    """

    image: Image.Image
    truth: dict[str, str | None]
    mask: Image.Image | None = None


@dataclass
class Sample:
    """One photo of a document and what a perfect reader would say about it."""

    image: Image.Image
    truth: dict[str, str | None]
