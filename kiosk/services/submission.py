"""Turning a finished draft into a claim, exactly once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from kiosk.claims.benefits import (
    TERMS,
    HospitalStay,
    PolicyTerms,
    death_benefit,
    hospital_allowance,
    medical_benefit,
    transport_death_benefit,
)
from kiosk.claims.case_numbers import new_case_number
from kiosk.claims.sla import priority_for
from kiosk.claims.states import INITIAL_STATE, CaseState, Role
from kiosk.claims.types import (
    BANKS,
    ClaimType,
    DocumentKind,
    Relationship,
    Source,
    TransportMode,
    required_documents,
)
from kiosk.platform.database import rows_changed
from kiosk.platform.extensions import db
from kiosk.platform.models import (
    AuditEvent,
    Claim,
    Document,
    DocumentPage,
    DocumentStatus,
    Draft,
    OcrReading,
    OcrStatus,
    Person,
    ReadingStatus,
    StatusEvent,
    utcnow,
)
from kiosk.platform.storage import vault
from kiosk.services import notifications, policies, readings
from kiosk.services.cases import move_case, set_due
from kiosk.services.codes import give_codes
from kiosk.services.drafts import Answers, delete_draft_files


def estimated_amount(answers: Mapping[str, Any], terms: PolicyTerms = TERMS) -> Decimal | None:
    """What the answers alone tell of the benefit (fixed sums) under `terms`, the policy in
    force on the accident date; the rest needs documents."""
    claim_type = ClaimType(answers["claim_type"])
    if claim_type is ClaimType.DEATH:
        return death_benefit(terms)
    if claim_type is ClaimType.TRANSPORT_DEATH:
        return transport_death_benefit(TransportMode(answers["transport_mode"]), terms)
    stay = hospital_stay(answers)
    if stay is not None:
        return hospital_allowance([stay], terms=terms).amount
    amounts = answers.get("receipt_amounts")
    if claim_type is ClaimType.MEDICAL and amounts:
        return medical_benefit([Decimal(a) for a in amounts.values()], terms)
    return None


def hospital_stay(answers: Mapping[str, Any]) -> HospitalStay | None:
    """The stay the person told us of, once both dates are known (grade checked by staff)."""
    if answers.get("admission_date") and answers.get("discharge_date"):
        return HospitalStay(
            date.fromisoformat(answers["admission_date"]),
            date.fromisoformat(answers["discharge_date"]),
        )
    return None


def _claim_from(answers: Answers, draft: Draft, today: date, branch: str) -> Claim:
    insured = Person(
        name=answers["name"],
        id_number=answers["id_number"],
        id_number_hash=vault().lookup_hash(answers["id_number"]),
        birth_date=date.fromisoformat(answers["birth_date"]),
        sex=answers["sex"],
        phone=answers.get("phone") or None,
    )
    reporter = None
    relationship = Relationship.SELF
    if answers.get("who") == "family":
        reporter = Person(name=answers["reporter_name"], phone=answers["reporter_phone"])
        relationship = Relationship(answers["reporter_relationship"])
    claim_type = ClaimType(answers["claim_type"])
    policy = policies.policy_on(branch, date.fromisoformat(answers["accident_date"]))
    amount = estimated_amount(answers, policy.terms if policy else TERMS)
    bank = answers["bank_other"] if answers["bank"] == "other" else BANKS[answers["bank"]]
    claim = Claim(
        case_number=new_case_number(today),
        claim_type=claim_type,
        state=INITIAL_STATE,
        priority=priority_for(claim_type, amount),
        source=Source(answers["source"])
        if answers.get("source")
        else (Source.VOLUNTEER if draft.volunteer_id else Source.KIOSK),
        branch=branch,
        policy_id=policy.id if policy else None,  # None: the settings' terms
        insured=insured,
        reporter=reporter,
        reporter_relationship=relationship,
        assisted_by_id=draft.volunteer_id,
        accident_date=date.fromisoformat(answers["accident_date"]),
        accident_place=answers["place"],
        accident_cause=answers["cause"],
        accident_description=answers.get("description", ""),
        consequence_date=(
            date.fromisoformat(answers["outcome_date"]) if answers.get("outcome_date") else None
        ),
        transport_mode=TransportMode(answers["transport_mode"])
        if answers.get("transport_mode")
        else None,
        bank_name=bank,
        bank_account_holder=answers["holder"],
        bank_account_number=answers["account"],
        sensitive_consent_at=utcnow(),
        estimated_amount=amount,
        reported_on=today,
    )
    set_due(claim)
    give_codes(claim)
    read = readings.readings_of(
        [photo["file"] for photos in answers.get("photos", {}).values() for photo in photos]
    )
    for kind in required_documents(claim_type, claimant_is_insured=reporter is None):
        photos = answers.get("photos", {}).get(kind.value, [])
        on_paper = kind.value in answers.get("paper_received", [])  # 手工受理: seen by staff
        document = Document(
            kind=kind,
            status=DocumentStatus.RECEIVED if photos or on_paper else DocumentStatus.MISSING,
        )
        for photo in photos:
            status, fields = ocr_of(read.get(photo["file"]))
            document.pages.append(
                DocumentPage(
                    stored_name=photo["file"],
                    content_type="image/jpeg",
                    size_bytes=photo.get("size", 0),
                    sha256=photo["sha256"],
                    ocr_status=status,
                    ocr_fields=fields,
                    confirmed_fields=confirmed_of(kind, photo, answers),
                    uploaded_via=Source.VOLUNTEER if draft.volunteer_id else Source.KIOSK,
                )
            )
        claim.documents.append(document)
    role = Role.VOLUNTEER if draft.volunteer_id else Role.CUSTOMER
    claim.events.append(
        StatusEvent(
            from_state=None,
            to_state=INITIAL_STATE,
            actor_role=role,
            actor_volunteer_id=draft.volunteer_id,
        )
    )
    return claim


def submit_draft(draft_id: str, *, today: date, branch: str) -> Claim:
    """Create the claim for this draft, or return the one already created for it: a double
    tap, a resend or two tabs give one claim and one case number."""
    for attempt in range(5):
        # The request has just loaded the draft: the first round takes it as loaded (the
        # UPDATE below still finds out whether somebody else took it meanwhile); a round
        # after a lost race reads it afresh.
        draft = db.session.get(Draft, draft_id, populate_existing=attempt > 0)
        if draft is None:
            raise LookupError("no such draft")
        if draft.claim_id is not None:
            return db.session.get_one(Claim, draft.claim_id)
        answers = dict(draft.answers)  # kept: the thumbnails are deleted after the commit
        claim = _claim_from(cast(Answers, answers), draft, today, branch)
        try:
            db.session.add(claim)
            db.session.flush()
            # Take the draft only if nobody took it meanwhile; on PostgreSQL a second
            # submitter waits here for the first to commit, then finds nothing to update.
            won = rows_changed(
                sa.update(Draft)
                .where(Draft.id == draft_id, Draft.claim_id.is_(None))
                .values(claim_id=claim.id)
                .execution_options(synchronize_session=False)
            )
            if not won:
                db.session.rollback()
                continue  # the next round finds the claim the other submitter made
            db.session.add(
                AuditEvent(
                    at=utcnow(),  # the same columns as the move's row: one INSERT for both
                    actor_role=Role.VOLUNTEER if draft.volunteer_id else Role.CUSTOMER,
                    actor_volunteer_id=draft.volunteer_id,
                    action="claim.submit",
                    claim_id=claim.id,
                    detail={"case_number": claim.case_number, "source": claim.source.value},
                    ip="",
                )
            )  # before the move's own: the order they happened in
            if any(d.status is not DocumentStatus.RECEIVED for d in claim.documents):
                # the move puts its 还缺材料 message in the outbox
                move_case(claim, CaseState.DOCUMENTS_NEEDED, Role.SYSTEM, reason="报案时材料未齐")
            else:
                notifications.queue_for(claim, "state:1", today)  # 已受理
            claim_id = claim.id
            db.session.commit()
            # Its id kept as known, so that the page after it does not read the claim back
            # just to put its id in the session; anything else of it is read when used.
            set_committed_value(claim, "id", claim_id)
            delete_draft_files(answers, submitted=True)  # the thumbnails; no reload of the draft
            return claim
        except (sa.exc.IntegrityError, sa.exc.OperationalError):
            # A case number drawn twice, or SQLite busy with the other submitter: again.
            db.session.rollback()
    raise RuntimeError("could not submit the draft")


def ocr_of(reading: OcrReading | None) -> tuple[OcrStatus, dict[str, Any] | None]:
    """What OCR made of a photo so far, for staff to see beside what the person confirmed."""
    if reading is None:
        return OcrStatus.NOT_NEEDED, None
    status = {
        ReadingStatus.DONE: OcrStatus.DONE,
        ReadingStatus.FAILED: OcrStatus.FAILED,
    }.get(reading.status, OcrStatus.PENDING)
    return status, reading.fields


def confirmed_of(
    kind: DocumentKind, photo: dict[str, Any], answers: Answers
) -> dict[str, Any] | None:
    """The values the person settled on from this photo (对 or 改一下), if any."""
    if kind == DocumentKind.MEDICAL_RECEIPT and photo["id"] in answers.get("receipt_amounts", {}):
        return {"total": answers["receipt_amounts"][photo["id"]]}
    if kind == DocumentKind.INSURED_ID_CARD and answers.get("identity_from") == "id_card":
        return {"id_number": answers["id_number"], "name": answers["name"]}
    return None
