"""The dashboard's figures and charts, and the masked CSV export."""

from __future__ import annotations

import csv
import io
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from kiosk.claims.calendar import today_in_china, working_days_between
from kiosk.claims.states import CaseState
from kiosk.platform.extensions import db
from kiosk.platform.models import AuditEvent, Claim, DashboardSnapshot
from kiosk.services import dashboard, jobs
from kiosk.services.dashboard import figures
from tests.integration.desk import desk
from tests.integration.test_intake import soup
from tests.integration.test_statements import statements


def test_the_dashboard_counts_and_times(app: Flask, demo: dict) -> None:
    today = today_in_china()
    with app.app_context():
        f = figures(today)
        reported = db.session.get(Claim, demo[CaseState.PAID]).reported_on
    assert sum(f.by_state.values()) == 7 and f.by_state[CaseState.PAID] == 1
    assert f.median_days_to_decision == working_days_between(reported, today)
    assert f.payment_kept == (1, 1) and f.review_kept[1] == 3  # approved, paid, declined
    assert sum(n for _, n in f.weekly) == 7
    page = soup(desk(app, "boss").get("/staff/dashboard"))
    charts = page.select("figure.chart svg[role=img]")
    assert len(charts) == 3
    assert "已赔付: 1" in charts[1].select_one("desc").get_text()
    assert page.select_one("figure.chart details table") is not None


def test_the_export_is_masked_bounded_and_audited(app: Flask, demo: dict) -> None:
    today = today_in_china()
    with app.app_context():
        people = [
            (c.insured.name, c.insured.id_number) for c in db.session.scalars(sa.select(Claim))
        ]
    d = desk(app, "handler")
    start = (today - timedelta(days=30)).isoformat()
    response = d.get(f"/staff/export?from={start}&to={today.isoformat()}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "报案号" and len(rows) == 8
    for name, id_number in people:
        assert name not in text and id_number not in text
        assert id_number[:4] + "*" * 10 + id_number[-4:] in text
    assert d.get(f"/staff/export?from={today.isoformat()}&to={start}").status_code == 400
    assert d.get("/staff/export?from=2020-01-01&to=2026-12-01").status_code == 400
    assert d.get("/staff/export?from=x&to=").status_code == 400
    with app.app_context():
        export = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "cases.export")
        ).one()
    assert export.detail["rows"] == 7


def test_a_complex_case_is_kept_to_the_day_the_family_was_told(app: Flask, demo: dict) -> None:
    today = today_in_china()
    with app.app_context():
        declined = db.session.get(Claim, demo[CaseState.DECLINED])
        declined.complex_reason = "需要核实。"
        declined.complex_until = today - timedelta(days=400)  # told a day long before deciding
        db.session.commit()
        missed = figures(today).review_kept
        declined.complex_until = today + timedelta(days=40)
        db.session.commit()
        kept = figures(today).review_kept
    assert missed[1] == kept[1] == 3
    assert kept[0] == missed[0] + 1


def test_the_page_shows_the_figures_the_worker_counted_until_it_counts_again(
    app: Flask, demo: dict
) -> None:
    today = today_in_china()
    boss = desk(app, "boss")

    def paid_on_page() -> str:
        charts = soup(boss.get("/staff/dashboard")).select("figure.chart svg[role=img] desc")
        return charts[1].get_text()

    assert "已赔付: 1" in paid_on_page()  # never counted: the first view counts
    with app.app_context():
        assert not dashboard.refresh(today), "nothing changed, so nothing is counted again"
        approved = db.session.get(Claim, demo[CaseState.APPROVED])
        approved.state = CaseState.PAID
        db.session.commit()
    assert "已赔付: 1" in paid_on_page()  # the page does not count
    with app.app_context():
        assert dashboard.refresh(today)
    assert "已赔付: 2" in paid_on_page()


def test_a_dashboard_view_reads_one_row_not_the_claims(app: Flask, demo: dict) -> None:
    boss = desk(app, "boss")
    boss.get("/staff/dashboard")
    with statements(app) as sent:
        assert boss.get("/staff/dashboard").status_code == 200
    assert not [s for s in sent if re.search(r"\b(claim|status_event)\b", s)], sent


def test_figures_the_worker_stopped_counting_say_so(app: Flask, demo: dict) -> None:
    boss = desk(app, "boss")
    assert "很久没有更新" not in boss.get("/staff/dashboard").get_data(as_text=True)
    with app.app_context():
        snapshot = db.session.get(DashboardSnapshot, dashboard.EVERY_BRANCH)
        snapshot.counted_at -= timedelta(hours=2)
        db.session.commit()
    assert "很久没有更新" in boss.get("/staff/dashboard").get_data(as_text=True)


def test_figures_stored_by_an_older_version_are_counted_again(app: Flask, demo: dict) -> None:
    with app.app_context():
        db.session.add(
            DashboardSnapshot(
                scope=dashboard.EVERY_BRANCH,
                figures={"by_state": {"no such state": 1}},
                counted_from="old",
                counted_at=datetime.now(UTC),
            )
        )
        db.session.commit()
    page = soup(desk(app, "boss").get("/staff/dashboard"))
    assert "已赔付: 1" in page.select("figure.chart svg[role=img] desc")[1].get_text()


def test_two_first_views_at_once_both_get_the_figures(app: Flask, demo: dict) -> None:
    today = today_in_china()

    def first_view() -> int:
        with app.app_context():
            figures = dashboard.latest(today)
            db.session.remove()
        return sum(figures.by_state.values())

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda _: first_view(), range(4))) == [7] * 4


def test_the_worker_counts_every_minute(app: Flask, demo: dict) -> None:
    jobs.count_dashboard_figures.call_local()
    with app.app_context():
        snapshot = db.session.get(DashboardSnapshot, dashboard.EVERY_BRANCH)
        assert sum(snapshot.figures["by_state"].values()) == 7
