"""Text messages to the insured's and the reporter's phones: one at every state change and one
every 3 working days while a case is open, each with the case number, the current step, the
expected date and the tracking link. They are written to the outbox (Notification) in the
same transaction as their cause and sent later by a Sender, which claims each row before it sends it; a failed send is
retried after growing waits (RETRY_AFTER), and after the last it is left DEAD for staff."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

import sqlalchemy as sa
from flask import current_app

from kiosk.claims.calendar import CHINA, today_in_china, working_days_before
from kiosk.claims.case_numbers import format_case_number
from kiosk.claims.masking import mask_phone
from kiosk.claims.sla import PROGRESS_NOTICE_WORKING_DAYS, next_step_due
from kiosk.claims.states import CaseState
from kiosk.platform.database import rows_changed
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, Notification, NotificationStatus, utcnow

log = logging.getLogger(__name__)
# The customer's words for each step (the second-level review is still 审核中 to them).
STEPS = {
    CaseState.SUBMITTED: "已受理",
    CaseState.UNDER_REVIEW: "审核中",
    CaseState.AWAITING_APPROVAL: "审核中",
    CaseState.DOCUMENTS_NEEDED: "待补材料",
    CaseState.APPROVED: "审核通过",
    CaseState.PAID: "已赔付",
    CaseState.DECLINED: "不予赔付",
}


def message_for(claim: Claim, today: date) -> str:
    """One short text: case number, step, the date of the next step, the tracking link."""
    state = claim.state.as_customer_sees_it
    parts = [f"【意外险理赔】报案号{format_case_number(claim.case_number)}：{STEPS[state]}。"]
    due = next_step_due(
        state, today, amount=claim.approved_amount, complex_until=claim.complex_until
    )
    if state is CaseState.DOCUMENTS_NEEDED:
        parts.append("还缺材料，可扫回执二维码上传，或带到服务点补交。")
    elif due is not None and claim.complex_until == due:
        parts.append(
            f"案件较复杂，需要多一些时间，最晚{due.month}月{due.day}日前审核完，原因见进度页。"
        )
    elif due is not None:
        parts.append(f"预计{due.month}月{due.day}日前完成下一步。")
    if state is CaseState.PAID and claim.paid_amount is not None:
        parts.append(f"赔款{claim.paid_amount:,.2f}元已打到您的账户。")
    parts.append(f"查看进度：{current_app.config['PUBLIC_URL']}/t/{claim.tracking_token}")
    return "".join(parts)


def _phones(claim: Claim) -> list[tuple[str, str]]:
    phones = [("insured", claim.insured.phone)]
    if claim.reporter is not None:
        phones.append(("reporter", claim.reporter.phone))
    seen, result = set(), []
    for recipient, phone in phones:
        if phone and phone not in seen:
            seen.add(phone)
            result.append((recipient, phone))
    return result


def queue_for(claim: Claim, key: str, today: date | None = None) -> int:
    """Put the claim's current message in the outbox for each phone, once per `key`.
    The caller commits, with the change that caused it."""
    today = today or today_in_china()
    body = message_for(claim, today)
    phones = {f"{claim.id}:{who}:{key}": (who, phone) for who, phone in _phones(claim)}
    queued = set(
        db.session.scalars(
            sa.select(Notification.dedupe_key).where(Notification.dedupe_key.in_(list(phones)))
        )
    )  # one question for every phone, whether or not its message is in the outbox already
    added = 0
    for dedupe_key, (recipient, phone) in phones.items():
        if dedupe_key not in queued:
            db.session.add(
                Notification(
                    claim_id=claim.id,
                    dedupe_key=dedupe_key,
                    recipient=recipient,
                    phone=phone,
                    body=body,
                    status=NotificationStatus.PENDING,
                )
            )
            added += 1
    return added


def _midnight_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), CHINA)


def queue_progress_notices(today: date) -> int:
    """Every open case whose last message is PROGRESS_NOTICE_WORKING_DAYS working days old
    or more gets a progress message today (once: the key is the day)."""
    cutoff = working_days_before(today, PROGRESS_NOTICE_WORKING_DAYS)
    last = (
        sa.select(Notification.claim_id, sa.func.max(Notification.created_at).label("at"))
        .group_by(Notification.claim_id)
        .subquery()
    )
    claims = db.session.scalars(
        sa.select(Claim)
        .outerjoin(last, last.c.claim_id == Claim.id)
        .where(Claim.state.in_([s for s in CaseState if s.is_open]))
        .where(sa.or_(last.c.at.is_(None), last.c.at < _midnight_after(cutoff)))
    ).all()
    added = sum(queue_for(claim, f"progress:{today.isoformat()}", today) for claim in claims)
    db.session.commit()
    return added


class SendError(Exception):
    """The message did not go; it will be tried again."""


class Sender(Protocol):
    delivers: bool  # False: the message is only written to the log (no gateway is set)

    def send(self, phone: str, body: str) -> None: ...


class RecordingSender:
    """No gateway set: the message is recorded in the log (the phone masked), not sent."""

    delivers = False

    def send(self, phone: str, body: str) -> None:
        log.info(
            "text message to %s recorded, no gateway set (%d characters)",
            mask_phone(phone),
            len(body),
        )


@dataclass
class GatewaySender:
    """An SMS gateway that takes a JSON POST {"to", "text"} and answers 2xx when it has it."""

    url: str
    timeout: float = 5.0
    token: str = ""
    delivers = True

    def send(self, phone: str, body: str) -> None:
        request = urllib.request.Request(
            self.url,
            data=json.dumps({"to": phone, "text": body}, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"}
            | ({"Authorization": f"Bearer {self.token}"} if self.token else {}),
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                if not 200 <= response.status < 300:
                    raise SendError(f"gateway answered {response.status}")
        except urllib.error.HTTPError as exc:
            raise SendError(f"gateway answered {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SendError(f"gateway unreachable: {type(exc).__name__}") from None


def sender() -> Sender:
    url = current_app.config.get("SMS_GATEWAY_URL", "")
    if not url:
        return RecordingSender()
    return GatewaySender(
        url,
        timeout=current_app.config.get("SMS_TIMEOUT", 5.0),
        token=current_app.config.get("SMS_GATEWAY_TOKEN", ""),
    )


# Waits after each failed try: a gateway down for minutes or hours loses nothing; after the
# last one (about 13 hours after the first try) the message is DEAD and staff see it.
RETRY_AFTER = tuple(timedelta(minutes=m) for m in (1, 2, 5, 10, 20, 40, 60, 120, 240, 300))
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
CLAIM_FOR = timedelta(minutes=10)  # a sender that died mid-send frees its rows after this


def _claimable(now: datetime) -> sa.ColumnElement[bool]:
    """Due (new, or failed and its wait over), or left SENDING by a sender that died."""
    return sa.or_(
        sa.and_(
            Notification.status.in_([NotificationStatus.PENDING, NotificationStatus.FAILED]),
            sa.or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now),
        ),
        sa.and_(
            Notification.status == NotificationStatus.SENDING, Notification.claimed_until < now
        ),
    )


def _claim(note_id: int, now: datetime) -> bool:
    """Take one message for this sender: an UPDATE only one concurrent sender can win."""
    won = rows_changed(
        sa.update(Notification)
        .where(Notification.id == note_id, _claimable(now))
        .values(
            status=NotificationStatus.SENDING,
            claimed_until=now + CLAIM_FOR,
            attempts=Notification.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return won == 1


def send_pending(via: Sender | None = None, limit: int = 200) -> dict[str, int]:
    """Send what is due in the outbox (new, and failed before once its wait is over), each
    message claimed first, so that any number of senders at once send each message once.
    Counts what happened."""
    via = via or sender()
    counts = {"sent": 0, "recorded": 0, "failed": 0, "dead": 0}
    due = sa.select(Notification.id).where(_claimable(utcnow())).order_by(Notification.id)
    for note_id in db.session.scalars(due.limit(limit)).all():
        if not _claim(note_id, utcnow()):
            continue  # another sender has it
        note = db.session.get(Notification, note_id, populate_existing=True)
        assert note is not None
        try:
            via.send(note.phone, note.body)
        except SendError as exc:
            note.last_error = str(exc)[:500]
            dead = note.attempts >= MAX_ATTEMPTS
            note.status = NotificationStatus.DEAD if dead else NotificationStatus.FAILED
            if not dead:
                note.next_attempt_at = utcnow() + RETRY_AFTER[note.attempts - 1]
            counts["dead" if dead else "failed"] += 1
            log.warning("text message %d not sent (attempt %d): %s", note.id, note.attempts, exc)
        else:
            note.status = NotificationStatus.SENT if via.delivers else NotificationStatus.RECORDED
            note.sent_at = utcnow()
            counts["sent" if via.delivers else "recorded"] += 1
        note.claimed_until = None
        db.session.commit()
    return counts
