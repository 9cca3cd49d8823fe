"""The retention purge (issue 16): closed cases past 5 years (10 for major ones) are listed,
an admin confirms, and the photos and personal data go; an anonymised row and the audit
entry of the purge stay, and the audit log is append-only again afterwards."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from kiosk.claims.calendar import CHINA, today_in_china
from kiosk.claims.retention import years_after
from kiosk.claims.states import CaseState
from kiosk.claims.types import ClaimType
from kiosk.platform.extensions import db
from kiosk.platform.models import AuditEvent, Claim, Person, PurgedCase
from kiosk.platform.storage import files
from kiosk.services import jobs
from tests.integration.desk import desk
from tests.integration.test_intake import soup


def closed(claim: Claim, claim_type: ClaimType, years: int, days: int) -> None:
    """Closed (paid) `years` years and `days` days before today, China time."""
    claim.claim_type, claim.state = claim_type, CaseState.PAID
    day = years_after(today_in_china(), -years) - timedelta(days=days)
    claim.state_since = datetime.combine(day, time(12), CHINA)


def test_cases_past_their_period_are_purged_when_an_admin_confirms(
    app: Flask, demo: dict[CaseState, int]
) -> None:
    ids = sorted(demo.values())
    with app.app_context():
        claims = [db.session.get_one(Claim, i) for i in ids[:5]]
        closed(claims[0], ClaimType.MEDICAL, 5, 1)  # past, by one day
        closed(claims[1], ClaimType.MEDICAL, 5, 0)  # its last day: kept
        closed(claims[2], ClaimType.DISABILITY, 6, 0)  # major: kept for 10
        closed(claims[3], ClaimType.DEATH, 10, 1)  # major, past by one day
        closed(claims[4], ClaimType.MEDICAL, 6, 0)  # marked major below: kept for 10
        db.session.commit()
        gone = [claims[0].id, claims[3].id]
        kept = [claims[1].id, claims[2].id, claims[4].id]
        people = [claims[0].insured_id, claims[3].insured_id]
        photos = [
            p.stored_name for c in (claims[0], claims[3]) for d in c.documents for p in d.pages
        ]
        assert photos, "the demo's cases have photos to purge"
        audited = db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.claim_id.in_(gone))
        )
    assert jobs.count_expired_cases.call_local() == 3  # the medical one closed 6 years ago too
    handler = desk(app, "handler")
    page = soup(handler.get(f"/staff/case/{kept[2]}"))
    lock = {i["name"]: i["value"] for i in page.select("form#major input[type=hidden]")}
    assert handler.client.post(f"/staff/case/{kept[2]}/major", data=lock).status_code == 303
    assert jobs.count_expired_cases.call_local() == 2
    admin = desk(app, "admin")
    page = soup(admin.get("/staff/retention"))
    assert len(page.select("[data-qa=expired-row]")) == 2
    confirmed = {"claim": [str(i) for i in gone + kept]}  # a forged id is re-checked
    assert admin.post("/staff/retention", confirmed).status_code == 303
    with app.app_context():
        left = set(db.session.scalars(sa.select(Claim.id)))
        assert not left & set(gone) and set(kept) <= left
        assert not db.session.scalars(sa.select(Person.id).where(Person.id.in_(people))).all()
        assert all(not (files().root / n[:2] / n).exists() for n in photos)
        stats = db.session.scalars(sa.select(PurgedCase).order_by(PurgedCase.id)).all()
        assert sorted(s.claim_type.value for s in stats) == ["death", "medical"]
        assert (
            db.session.scalar(
                sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.claim_id.is_(None))
            )
            >= audited
        )  # the case's audit rows kept, unlinked from it
        purges = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "case.purge")
        ).all()
        assert len(purges) == 2 and all(p.actor_staff_id for p in purges)
    with app.app_context(), pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text("UPDATE audit_event SET action = 'x'"))  # guard back
    assert soup(admin.get("/staff/retention")).select_one("[data-qa=none-expired]")
