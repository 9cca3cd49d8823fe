import logging
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from kiosk.claims import calendar
from kiosk.claims.calendar import is_working_day, working_days_after, working_days_between
from kiosk.claims.sla import (
    acknowledge_by,
    complaint_acknowledge_by,
    complaint_answer_due,
    complex_review_limit,
    first_review_due,
    next_progress_notice,
    next_step_due,
    payment_due,
    priority_for,
    review_due,
    step_due,
)
from kiosk.claims.states import CaseState
from kiosk.claims.types import ClaimType, Priority


def test_today_is_the_date_in_china() -> None:
    late_evening_utc = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)  # 01:30 on the 24th in China
    assert calendar.today_in_china(late_evening_utc) == date(2026, 11, 24)


def test_adjusted_working_saturday_and_spring_festival() -> None:
    assert is_working_day(date(2026, 2, 14))  # Saturday, 调休 working day
    assert not is_working_day(date(2026, 2, 16))  # Monday in the Spring Festival holiday
    assert is_working_day(date(2026, 1, 4))  # Sunday made a working day after New Year
    assert not is_working_day(date(2026, 1, 1))


def test_review_deadline_across_the_spring_festival() -> None:
    # Friday 13 Feb: Sat 14 (adjusted working day) is the 1st, the holiday runs 15-23,
    # then Tue 24 and Wed 25 are the 2nd and 3rd working days.
    assert review_due(date(2026, 2, 13)) == date(2026, 2, 25)


def test_payment_deadlines_by_amount() -> None:
    approved = date(2026, 9, 24)  # Thursday before Mid-autumn (25-27) and National Day (1-7)
    # 3 working days: 28, 29, 30 Sep
    assert payment_due(approved, Decimal("4999.99")) == date(2026, 9, 30)
    # 7 working days: 28, 29, 30 Sep, 8, 9 Oct, Saturday 10 Oct (adjusted), 12 Oct
    assert payment_due(approved, Decimal("5000")) == date(2026, 10, 12)


def test_progress_notice_every_three_working_days() -> None:
    assert next_progress_notice(date(2026, 11, 20)) == date(2026, 11, 25)  # Fri -> Wed


def test_complaint_answered_within_seven_working_days() -> None:
    assert complaint_answer_due(date(2026, 11, 23)) == date(2026, 12, 2)
    received = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    assert complaint_acknowledge_by(received) == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def test_report_acknowledged_within_five_minutes() -> None:
    reported = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    assert acknowledge_by(reported) == datetime(2026, 11, 23, 9, 35, tzinfo=UTC)


def test_complex_review_at_most_thirty_working_days() -> None:
    # From Mon 21 Sep 2026, 30 working days with Mid-autumn (25-27 Sep) and National Day
    # (1-7 Oct) off and Sat 10 Oct worked: Mon 9 Nov, 49 calendar days later.
    limit = complex_review_limit(date(2026, 9, 21))
    assert limit == date(2026, 11, 9)
    assert working_days_between(date(2026, 9, 21), limit) == 30


def test_working_days_after_zero_and_negative() -> None:
    assert working_days_after(date(2026, 2, 16), 0) == date(2026, 2, 16)
    with pytest.raises(ValueError):
        working_days_after(date(2026, 2, 16), -1)


def test_working_days_between_counts_overdue_days() -> None:
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 25)) == 3
    assert working_days_between(date(2026, 2, 25), date(2026, 2, 13)) == -3
    assert working_days_between(date(2026, 2, 25), date(2026, 2, 25)) == 0


def test_unknown_year_counts_monday_to_friday_and_warns_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(calendar, "_warned_years", set())
    with caplog.at_level(logging.WARNING, logger="kiosk.claims.calendar"):
        assert working_days_after(date(2099, 1, 2), 3) == date(2099, 1, 7)  # Fri -> Wed
        assert not is_working_day(date(2099, 1, 3))  # Saturday
        working_days_after(date(2099, 3, 2), 10)
    warnings = [r for r in caplog.records if "2099" in r.getMessage()]
    assert len(warnings) == 1


@pytest.mark.parametrize(
    ("claim_type", "amount", "kwargs", "priority"),
    [
        (ClaimType.DEATH, None, {}, Priority.EMERGENCY),
        (ClaimType.TRANSPORT_DEATH, Decimal("100"), {}, Priority.EMERGENCY),
        (ClaimType.MEDICAL, Decimal("300"), {"serious_injury": True}, Priority.EMERGENCY),
        (ClaimType.MEDICAL, Decimal("5000"), {}, Priority.HIGHER),
        (ClaimType.MEDICAL, Decimal("4999.99"), {}, Priority.GENERAL),
        (ClaimType.HOSPITAL_ALLOWANCE, Decimal("360"), {"disputed": True}, Priority.HIGHER),
        (ClaimType.DISABILITY, None, {}, Priority.GENERAL),
    ],
)
def test_priority(claim_type, amount, kwargs, priority) -> None:
    assert priority_for(claim_type, amount, **kwargs) is priority


def test_first_review_due_by_priority() -> None:
    submitted = datetime(2026, 2, 13, 10, 0, tzinfo=UTC)
    assert first_review_due(submitted, Priority.EMERGENCY) == submitted + timedelta(hours=24)
    assert first_review_due(submitted, Priority.HIGHER).date() == date(2026, 2, 25)
    assert first_review_due(submitted, Priority.GENERAL).date() == date(2026, 2, 27)


def test_next_step_due_per_state() -> None:
    assert next_step_due(CaseState.UNDER_REVIEW, date(2026, 2, 13)) == date(2026, 2, 25)
    assert next_step_due(CaseState.APPROVED, date(2026, 9, 24), amount=Decimal("100")) == date(
        2026, 9, 30
    )
    assert next_step_due(CaseState.DOCUMENTS_NEEDED, date(2026, 2, 13)) is None
    assert next_step_due(CaseState.PAID, date(2026, 2, 13)) is None


def test_a_complex_case_is_due_on_the_day_the_family_was_told() -> None:
    told = complex_review_limit(date(2026, 2, 13))
    assert next_step_due(CaseState.UNDER_REVIEW, date(2026, 3, 2), complex_until=told) == told
    assert next_step_due(CaseState.AWAITING_APPROVAL, date(2026, 3, 2), complex_until=told) == told
    entered = datetime(2026, 3, 2, 2, tzinfo=UTC)
    assert step_due(CaseState.UNDER_REVIEW, entered, Priority.GENERAL, None, told) == told
    assert step_due(CaseState.UNDER_REVIEW, entered, Priority.GENERAL, None) == date(2026, 3, 5)
    # once approved, payment has its own promise, complex or not
    paid_by = step_due(CaseState.APPROVED, entered, Priority.GENERAL, Decimal("100"), told)
    assert paid_by == payment_due(date(2026, 3, 2), Decimal("100"))
    assert next_step_due(CaseState.DOCUMENTS_NEEDED, date(2026, 3, 2), complex_until=told) is None
