"""The benefit the case page proposes, from the policy's rules and what is on file, against a
table of cases worked out by hand from DOMAIN.md's terms."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiosk.claims.types import ClaimType, DocumentKind, TransportMode
from kiosk.platform.models import Claim, Document, DocumentPage, DocumentStatus
from kiosk.staff.case_view import benefit


def receipt(confirmed: str | None, read: str | None) -> DocumentPage:
    return DocumentPage(
        confirmed_fields={"total": confirmed} if confirmed else None,
        ocr_fields={"total": {"value": read, "confidence": 0.9}} if read else None,
    )


def claim(claim_type: ClaimType, **fields: object) -> Claim:
    pages = fields.pop("receipts", [])
    c = Claim(claim_type=claim_type, **fields)
    if pages:
        c.documents.append(
            Document(kind=DocumentKind.MEDICAL_RECEIPT, status=DocumentStatus.RECEIVED, pages=pages)
        )
    return c


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (claim(ClaimType.DEATH), "3000"),
        (claim(ClaimType.TRANSPORT_DEATH, transport_mode=TransportMode.ROAD), "30000"),
        (claim(ClaimType.TRANSPORT_DEATH, transport_mode=TransportMode.AIRCRAFT), "100000"),
        (claim(ClaimType.DISABILITY, disability_grade=1), "3000.00"),
        (claim(ClaimType.DISABILITY, disability_grade=4), "2100.00"),
        (claim(ClaimType.DISABILITY, disability_grade=10), "300.00"),
        (claim(ClaimType.DISABILITY, estimated_amount=Decimal("0")), "0"),  # no grade yet
        # receipts: what the customer confirmed wins over what OCR read
        (claim(ClaimType.MEDICAL, receipts=[receipt("256.80", "258.60")]), "256.80"),
        (
            claim(ClaimType.MEDICAL, receipts=[receipt(None, "100.10"), receipt("50", None)]),
            "150.10",
        ),
        (
            claim(ClaimType.MEDICAL, receipts=[receipt("9000", None), receipt("2500", None)]),
            "10000.00",
        ),
        (claim(ClaimType.MEDICAL, receipts=[receipt(None, "not a number")]), None),
        (claim(ClaimType.HOSPITAL_ALLOWANCE, estimated_amount=Decimal("360")), "360"),
    ],
)
def test_the_benefit_by_the_rules(case: Claim, expected: str | None) -> None:
    result = benefit(case)
    assert (None if result is None else Decimal(result)) == (
        None if expected is None else Decimal(expected)
    )
