"""The figures /metrics reads from the database at each scrape: the OCR queue, the outbox,
missed deadlines, claims by branch. Counts only, nothing personal."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import sqlalchemy as sa
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from kiosk.claims.calendar import today_in_china
from kiosk.claims.states import CaseState
from kiosk.platform.extensions import db
from kiosk.platform.models import (
    Claim,
    Notification,
    NotificationStatus,
    OcrReading,
    ReadingStatus,
    utcnow,
)

OPEN = [s for s in CaseState if s.is_open]


class KioskFigures(Collector):
    """Read at each scrape, inside the request's app context."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = utcnow()
        waiting, oldest = db.session.execute(
            sa.select(sa.func.count(OcrReading.id), sa.func.min(OcrReading.queued_at)).where(
                OcrReading.status.in_([ReadingStatus.QUEUED, ReadingStatus.READING])
            )
        ).one()
        yield GaugeMetricFamily(
            "kiosk_ocr_queue_depth", "Photos waiting for their reading", value=waiting
        )
        yield GaugeMetricFamily(
            "kiosk_ocr_oldest_wait_seconds",
            "How long the oldest waiting photo has waited",
            value=(now - oldest).total_seconds() if oldest else 0,
        )
        count, total = db.session.execute(
            sa.select(sa.func.count(OcrReading.id), sa.func.sum(OcrReading.seconds)).where(
                OcrReading.status == ReadingStatus.DONE,
                OcrReading.finished_at >= now - timedelta(hours=1),
            )
        ).one()
        yield GaugeMetricFamily(
            "kiosk_ocr_reading_seconds_last_hour",
            "Mean seconds a reading took, over the last hour's readings",
            value=float(total or 0) / count if count else 0,
        )
        outbox = GaugeMetricFamily(
            "kiosk_outbox_messages", "Text messages by state", labels=["state"]
        )
        counted = dict(
            db.session.execute(
                sa.select(Notification.status, sa.func.count(Notification.id))
                .where(
                    Notification.status.in_(
                        [
                            NotificationStatus.PENDING,
                            NotificationStatus.FAILED,
                            NotificationStatus.DEAD,
                        ]
                    )
                )
                .group_by(Notification.status)
            ).all()
        )
        for state in (
            NotificationStatus.PENDING,
            NotificationStatus.FAILED,
            NotificationStatus.DEAD,
        ):
            outbox.add_metric([state.value], counted.get(state, 0))
        yield outbox
        overdue = db.session.scalar(
            sa.select(sa.func.count(Claim.id)).where(
                Claim.state.in_(OPEN), Claim.due_on < today_in_china()
            )
        )
        yield GaugeMetricFamily(
            "kiosk_sla_overdue_cases", "Open cases past their step's deadline", value=overdue or 0
        )
        by_branch = GaugeMetricFamily(
            "kiosk_claims_submitted", "Claims submitted, by branch", labels=["branch"]
        )
        for branch, n in db.session.execute(
            sa.select(Claim.branch, sa.func.count(Claim.id)).group_by(Claim.branch)
        ):
            by_branch.add_metric([branch or "-"], n)
        yield by_branch
