"""Staff of a branch see their branch's cases only (issue 15): the work queue, the case pages,
the dashboard and the export; staff of no branch see the whole district's."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from kiosk.claims.calendar import today_in_china
from kiosk.claims.states import CaseState
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, Document, DocumentPage, StaffRole
from kiosk.services import jobs
from tests.integration.desk import desk, make_staff
from tests.integration.test_intake import soup

OTHER = "两英服务点"


def test_a_branch_handler_sees_only_the_branch_and_the_district_sees_all(
    app: Flask, demo: dict[CaseState, int]
) -> None:
    mine, theirs = demo[CaseState.UNDER_REVIEW], demo[CaseState.SUBMITTED]
    with app.app_context():
        db.session.get(Claim, mine).branch = OTHER
        make_staff("lianying", StaffRole.HANDLER, branch=OTHER)
        db.session.commit()
        their_page = db.session.scalar(
            sa.select(DocumentPage.id).join(Document).where(Document.claim_id == theirs)
        )
        total = db.session.scalar(sa.select(sa.func.count(Claim.id)))
    local, district = desk(app, "lianying"), desk(app, "handler")
    rows = soup(local.get("/staff/queue")).select("tbody tr")
    assert [OTHER in r.get_text() for r in rows] == [True]
    assert len(soup(district.get("/staff/queue")).select("tbody tr")) > 1
    # a case of another branch answers as if there were none, by any of its addresses
    assert local.get(f"/staff/case/{mine}").status_code == 200
    assert local.get(f"/staff/case/{theirs}").status_code == 404
    if their_page:
        assert local.get(f"/staff/page/{their_page}/image").status_code == 404
    assert district.get(f"/staff/case/{theirs}").status_code == 200
    # the dashboard and the export count the branch's cases
    jobs.count_dashboard_figures.call_local()
    figures = soup(local.get("/staff/dashboard")).select_one("figure.chart desc").get_text()
    assert sum(int(part.split(": ")[1]) for part in figures.split("; ")) == 1
    today = today_in_china()
    start = (today - timedelta(days=60)).isoformat()
    exported = local.get(f"/staff/export?from={start}&to={today.isoformat()}").text
    district_export = district.get(f"/staff/export?from={start}&to={today.isoformat()}").text
    assert len(exported.strip().splitlines()) == 2  # the heading and the one case
    assert len(district_export.strip().splitlines()) == 1 + total
