"""Demo data for `make run`: made-up people and claims in every state. Never real people."""

from __future__ import annotations

import functools
import hashlib
import io
import random
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from kiosk.claims.case_numbers import new_case_number
from kiosk.claims.identity import check_character, parse_id_number
from kiosk.claims.sla import priority_for
from kiosk.claims.states import CaseState, Role
from kiosk.claims.types import (
    ClaimType,
    DocumentKind,
    Exclusion,
    Relationship,
    Source,
    required_documents,
)
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, Document, DocumentPage, DocumentStatus, OcrStatus, Person
from kiosk.platform.storage import files, vault
from kiosk.services.cases import move_case, set_due
from kiosk.services.codes import give_codes
from kiosk.services.devices import default_branch
from kiosk.services.volunteers import issue_volunteer

DEMO_VOLUNTEER_CODE = "24681357"
# Back-office accounts for training, made only when there are no accounts at all. A real
# branch creates its own with `flask --app kiosk staff create` and deactivates these.
DEMO_STAFF_PASSWORD = "demo password 2026"
DEMO_STAFF = [
    ("demo-handler", "handler", "演示理赔员"),
    ("demo-approver", "approver", "演示主管甲"),
    ("demo-approver2", "approver", "演示主管乙"),
    ("demo-admin", "admin", "演示管理员"),
]

# (name, birth date, claim type, final state)
DEMO_PEOPLE = [
    ("陈美华", date(1946, 3, 8), ClaimType.HOSPITAL_ALLOWANCE, CaseState.SUBMITTED),
    ("林振国", date(1951, 11, 20), ClaimType.MEDICAL, CaseState.UNDER_REVIEW),
    ("黄秀英", date(1942, 6, 1), ClaimType.DISABILITY, CaseState.DOCUMENTS_NEEDED),
    ("郑德明", date(1955, 1, 15), ClaimType.MEDICAL, CaseState.APPROVED),
    ("吴玉兰", date(1939, 9, 30), ClaimType.HOSPITAL_ALLOWANCE, CaseState.PAID),
    ("蔡永福", date(1949, 4, 12), ClaimType.MEDICAL, CaseState.DECLINED),
    ("李桂芳", date(1944, 2, 22), ClaimType.DISABILITY, CaseState.AWAITING_APPROVAL),
]

_PATH = {
    CaseState.SUBMITTED: [],
    CaseState.UNDER_REVIEW: [CaseState.UNDER_REVIEW],
    CaseState.DOCUMENTS_NEEDED: [CaseState.UNDER_REVIEW, CaseState.DOCUMENTS_NEEDED],
    CaseState.APPROVED: [CaseState.UNDER_REVIEW, CaseState.APPROVED],
    CaseState.PAID: [CaseState.UNDER_REVIEW, CaseState.APPROVED, CaseState.PAID],
    CaseState.DECLINED: [CaseState.UNDER_REVIEW, CaseState.DECLINED],
    CaseState.AWAITING_APPROVAL: [CaseState.UNDER_REVIEW, CaseState.AWAITING_APPROVAL],
}
# What each demo document's photo shows; the other documents are listed without a photo.
_PHOTOGRAPHED = (DocumentKind.INSURED_ID_CARD, DocumentKind.MEDICAL_RECEIPT)


def tracking_tokens(seed_output: str) -> list[str]:
    """The tracking tokens in what `flask --app kiosk demo seed` printed (its lines
    STATE TRACKING_URL RECEIPT_URL), for the benchmarks and tests that follow a demo case."""
    return [
        line.split()[1].rsplit("/t/", 1)[1] for line in seed_output.splitlines() if "/t/" in line
    ]


def demo_id_number(born: date, sequence: int, region: str = "440514") -> str:
    """A well-formed ID number for a made-up person (valid checksum, Chaonan region code)."""
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def _demo_staff() -> None:
    from kiosk.platform.models import StaffRole, StaffUser
    from kiosk.services.accounts import create_staff

    if db.session.scalar(sa.select(sa.func.count(StaffUser.id))):
        return
    for username, role, name in DEMO_STAFF:
        create_staff(username, StaffRole(role), display_name=name, password=DEMO_STAFF_PASSWORD)


def seed_demo(today: date, *, only_if_empty: bool = True) -> list[Claim]:
    """Create the demo people, a volunteer and one claim in each state; by default nothing
    if the database has claims already (tests add a set beside theirs)."""
    if only_if_empty and db.session.scalar(sa.select(sa.func.count(Claim.id))):
        return []
    issue_volunteer("社区志愿者小李", "峡山街道", code=DEMO_VOLUNTEER_CODE)
    _demo_staff()
    claims = []
    for index, (name, born, claim_type, final_state) in enumerate(DEMO_PEOPLE):
        id_number = demo_id_number(born, 101 + 2 * index)
        parsed = parse_id_number(id_number, today=today)
        insured = Person(
            name=name,
            id_number=parsed.value,
            id_number_hash=vault().lookup_hash(parsed.value),
            birth_date=parsed.birth_date,
            sex=parsed.sex,
            phone=f"1380754{index:04d}",
        )
        amount = Decimal("360") if claim_type is ClaimType.HOSPITAL_ALLOWANCE else Decimal("820.50")
        claim = Claim(
            case_number=new_case_number(today),
            claim_type=claim_type,
            state=CaseState.SUBMITTED,
            priority=priority_for(claim_type, amount),
            source=Source.KIOSK,
            branch=default_branch().name,  # as a kiosk there would file it
            insured=insured,
            reporter_relationship=Relationship.SELF,
            accident_date=today - timedelta(days=20 + index),
            accident_place="home",
            accident_cause="fall",
            reported_on=today - timedelta(days=10),
            estimated_amount=amount,
            bank_name="中国农业银行",
            bank_account_holder=name,
            bank_account_number="6228480000000000000"[:-1] + str(index),
        )
        set_due(claim)
        give_codes(claim)
        for kind in required_documents(claim_type):
            missing = (
                final_state is CaseState.DOCUMENTS_NEEDED and kind is DocumentKind.MEDICAL_RECORD
            )
            document = Document(
                kind=kind, status=DocumentStatus.MISSING if missing else DocumentStatus.RECEIVED
            )
            if not missing and kind in _PHOTOGRAPHED:
                document.pages.append(_demo_page(kind, name, id_number, index))
            claim.documents.append(document)
        db.session.add(claim)
        db.session.flush()
        for target in _PATH[final_state]:
            move_case(
                claim,
                target,
                Role.SYSTEM if target is CaseState.UNDER_REVIEW else Role.HANDLER,
                reason="演示数据",
            )
        if final_state in (CaseState.APPROVED, CaseState.PAID):
            claim.approved_amount = amount
        if final_state is CaseState.PAID:
            claim.paid_amount, claim.paid_on = amount, today - timedelta(days=1)
        if final_state is CaseState.DECLINED:
            claim.decline_reason = Exclusion.NOT_ACCIDENT
        claims.append(claim)
    db.session.commit()
    return claims


@functools.lru_cache(maxsize=32)
def _demo_photo(kind: DocumentKind, name: str, id_number: str, index: int) -> bytes:
    """The JPEG of a demo document: drawn once a process (the same for the same person)."""
    from kiosk.ocr import samples  # Pillow drawing: only when demo data is made

    rng = random.Random(f"demo-{index}-{kind.value}")
    if kind is DocumentKind.INSURED_ID_CARD:
        sample = samples.id_card(rng, name=name, number=id_number)
    else:
        sample = samples.receipt(rng)
    buffer = io.BytesIO()
    sample.image.convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _demo_page(kind: DocumentKind, name: str, id_number: str, index: int) -> DocumentPage:
    """A generated photo of the document (an invented ID card or receipt), stored encrypted
    like any upload, so staff can practise reviewing pages."""
    data = _demo_photo(kind, name, id_number, index)
    return DocumentPage(
        stored_name=files().save(data),
        content_type="image/jpeg",
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        ocr_status=OcrStatus.NOT_NEEDED,  # not read: staff practise on the photo itself
        uploaded_via=Source.KIOSK,
    )
