"""What the case page shows staff: every answer, personal data masked until 显示, each
document page with what OCR read beside what the customer confirmed, the benefit the rules
give, the timeline and the case's audit trail."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from kiosk.claims.actions import case_actions
from kiosk.claims.benefits import (
    TERMS,
    PolicyTerms,
    death_benefit,
    disability_benefit,
    medical_benefit,
    transport_death_benefit,
)
from kiosk.claims.calendar import CHINA, today_in_china
from kiosk.claims.case_numbers import format_case_number
from kiosk.claims.masking import mask_bank_account, mask_id_number, mask_name, mask_phone
from kiosk.claims.states import CaseState, Role
from kiosk.claims.types import ClaimType, DocumentKind
from kiosk.platform.models import Claim, DocumentPage, StaffUser
from kiosk.services import case_file, roster
from kiosk.services.policies import terms_of
from kiosk.services.review import first_approver_id, last_audit_id
from kiosk.services.worklist import days_late
from kiosk.words import claimant as m
from kiosk.words import staff as w


def _decimal(raw: Any) -> Decimal | None:
    try:
        return Decimal(str(raw)) if raw not in (None, "") else None
    except InvalidOperation:
        return None


def _field(fields: dict | None, name: str) -> Any:
    found = (fields or {}).get(name)
    return found.get("value") if isinstance(found, dict) else found


def receipt_totals(claim: Claim) -> list[Decimal]:
    """Each receipt page's total: what the customer confirmed, else what OCR read."""
    totals = []
    for document in claim.documents:
        if document.kind is not DocumentKind.MEDICAL_RECEIPT:
            continue
        for page in document.pages:
            total = _decimal(_field(page.confirmed_fields, "total")) or _decimal(
                _field(page.ocr_fields, "total")
            )
            if total is not None:
                totals.append(total)
    return totals


def benefit(claim: Claim, terms: PolicyTerms = TERMS) -> Decimal | None:
    """The amount the policy's rules give for this claim, from what is on file, under
    `terms` (kiosk.services.policies.terms_of: its policy's)."""
    kind = claim.claim_type
    if kind is ClaimType.DEATH:
        return death_benefit(terms)
    if kind is ClaimType.TRANSPORT_DEATH and claim.transport_mode:
        return transport_death_benefit(claim.transport_mode, terms)
    if kind is ClaimType.DISABILITY and claim.disability_grade:
        return disability_benefit(claim.disability_grade, terms)
    if kind is ClaimType.MEDICAL and (totals := receipt_totals(claim)):
        return medical_benefit(totals, terms)
    return claim.estimated_amount  # the hospital allowance, from the stays at the intake


def _page_rows(page: DocumentPage) -> list[dict[str, Any]]:
    """OCR beside confirmed, field by field, with differences marked."""
    names = list(dict.fromkeys([*(page.ocr_fields or {}), *(page.confirmed_fields or {})]))
    rows = []
    for name in names:
        read, confirmed = _field(page.ocr_fields, name), _field(page.confirmed_fields, name)
        rows.append(
            {
                "name": str(w.OCR_FIELDS.get(name, name)),
                "read": "" if read is None else str(read),
                "confirmed": "" if confirmed is None else str(confirmed),
                "differs": confirmed is not None and str(read) != str(confirmed),
                "sensitive": name in ("id_number",),
            }
        )
    return rows


def roster_words(id_number: str | None, accident_date: date) -> str:
    """参保名册: what the bureau's list says of the insured on the accident date."""
    standing = roster.standing_of(id_number, accident_date) if id_number else None
    return str(w.ROSTER[standing]) if standing else str(w.NO_ROSTER)


def case_page_view(claim: Claim, viewer: StaffUser, revealed: bool) -> dict[str, Any]:
    insured, reporter = claim.insured, claim.reporter

    def shown(value: str | None, mask: Any) -> str:
        return "" if not value else (value if revealed else mask(value))

    staff_names = case_file.staff_names()
    events = [
        {
            "at": e.at.astimezone(CHINA),
            "to": str(w.STATES[e.to_state]),
            "who": staff_names.get(e.actor_staff_id) or str(w.ACTORS.get(e.actor_role.value, "")),
            "reason": e.reason,
        }
        for e in claim.events
    ]
    audit = [
        {
            "at": a.at.astimezone(CHINA),
            "action": str(w.AUDIT_ACTIONS.get(a.action, a.action)),
            "who": staff_names.get(a.actor_staff_id) or str(w.ACTORS.get(a.actor_role.value, "")),
            "ip": a.ip,
        }
        for a in case_file.audit_trail(claim.id)
    ]
    notes = case_file.notes_of(claim.id)
    documents = [
        {
            "kind": d.kind.value,
            "title": str(m.DOCUMENTS[d.kind][0]),
            "status": str(w.DOCUMENT_STATES[d.status]),
            "outstanding": d.status.outstanding,
            "message": d.request_message,
            "pages": [
                {
                    "id": p.id,
                    "number": i,
                    "rows": _page_rows(p),
                    "ocr": str(w.OCR_STATES[p.ocr_status]),
                }
                for i, p in enumerate(d.pages, 1)
            ],
        }
        for d in claim.documents
    ]
    waiting_on = first_approver_id(claim) if claim.state is CaseState.AWAITING_APPROVAL else None
    return {
        "claim": claim,
        "case_number": format_case_number(claim.case_number),
        "state": str(w.STATES[claim.state]),
        "priority": str(w.PRIORITIES[claim.priority]),
        "late": days_late(claim.due_on, today_in_china()),
        "revealed": revealed,
        "insured": {
            "name": insured.name if revealed else mask_name(insured.name),
            "id_number": shown(insured.id_number, mask_id_number),
            "phone": shown(insured.phone, mask_phone),
            "birth_date": insured.birth_date,
            "roster": roster_words(insured.id_number, claim.accident_date),
        },
        "reporter": {
            "name": (reporter.name if revealed else mask_name(reporter.name)) if reporter else "",
            "phone": shown(reporter.phone, mask_phone) if reporter else "",
            "relationship": str(m.RELATIONSHIPS.get(claim.reporter_relationship, ""))
            if reporter
            else "",
        },
        "claim_type": str(m.CLAIM_TYPES[claim.claim_type][0]),
        "place": str(m.PLACES.get(claim.accident_place, claim.accident_place)),
        "cause": str(m.CAUSES.get(claim.accident_cause, claim.accident_cause)),
        "transport": str(m.TRANSPORT[claim.transport_mode]) if claim.transport_mode else "",
        "account": shown(claim.bank_account_number, mask_bank_account),
        "holder": claim.bank_account_holder if revealed else mask_name(claim.bank_account_holder),
        "source": str(w.SOURCES.get(claim.source.value, claim.source.value)),
        "benefit": benefit(claim, terms_of(claim)),
        "documents": documents,
        "document_kinds": {k.value: str(m.DOCUMENTS[k][0]) for k in DocumentKind},
        "events": events,
        "audit": audit,
        "notes": notes,
        "staff_names": staff_names,
        "version": claim.version,
        "seen": last_audit_id(claim),
        "can": case_actions(
            claim.state, Role(viewer.role.value), gave_first_approval=viewer.id == waiting_on
        ),
        "waiting_on": staff_names.get(waiting_on) if waiting_on else None,
        "exclusions": {k.value: str(v) for k, v in w.EXCLUSIONS.items()},
        "priorities": {k.value: str(v) for k, v in w.PRIORITIES.items()},
    }
