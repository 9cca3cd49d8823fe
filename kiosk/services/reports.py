"""导出: a CSV of the cases reported in a date range, personal data masked, for Excel (UTF-8
with a BOM). Every export is audited with its range and how many cases it held."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from kiosk.claims.masking import mask_id_number, mask_name
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, Person, StaffUser
from kiosk.services.accounts import audit
from kiosk.words import claimant as m
from kiosk.words import staff as w

EXPORT_MAX_DAYS = 366


@dataclass(frozen=True)
class CaseExport:
    text: str  # the CSV, BOM first
    rows: int  # cases in it
    filename: str


def range_allowed(start: date, end: date) -> bool:
    """A range runs forwards and spans at most a year (and a day)."""
    return start <= end and (end - start).days <= EXPORT_MAX_DAYS


def _row(claim: Claim, person: Person) -> list[object]:
    return [
        claim.case_number,
        claim.reported_on.isoformat(),
        str(m.CLAIM_TYPES[claim.claim_type][0]),
        str(w.STATES[claim.state]),
        str(w.PRIORITIES[claim.priority]),
        claim.branch,
        mask_name(person.name),
        mask_id_number(person.id_number or ""),
        claim.estimated_amount or "",
        claim.approved_amount or "",
        claim.paid_amount or "",
        claim.paid_on.isoformat() if claim.paid_on else "",
    ]


def export_cases(start: date, end: date, staff: StaffUser, ip: str) -> CaseExport:
    """The cases reported from `start` to `end`, masked, as CSV; the export is audited and
    committed."""
    found = db.session.execute(
        sa.select(Claim, Person)
        .join(Person, Claim.insured_id == Person.id)
        .where(Claim.reported_on.between(start, end))
        .where(*([Claim.branch == staff.branch] if staff.branch else []))  # their scope
        .order_by(Claim.reported_on, Claim.case_number)
    ).all()
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([str(h) for h in w.EXPORT_HEADINGS])
    for claim, person in found:
        writer.writerow(_row(claim, person))
    audit(
        staff,
        "cases.export",
        detail={"from": start.isoformat(), "to": end.isoformat(), "rows": len(found)},
        ip=ip,
    )
    db.session.commit()
    name = f"cases-{start.isoformat()}-{end.isoformat()}.csv"
    return CaseExport(out.getvalue(), len(found), name)
