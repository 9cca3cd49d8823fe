"""Working days per China's statutory holidays and adjusted working weekends (调休).

The holiday data comes from the maintained `chinese_calendar` package. The State Council
publishes each year's arrangement late in the year before, so for a year the package does
not know yet we count Monday to Friday and log a warning once per year.
"""

from __future__ import annotations

import functools
import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

log = logging.getLogger(__name__)
CHINA = ZoneInfo("Asia/Shanghai")
_warned_years: set[int] = set()


def today_in_china(now: datetime | None = None) -> date:
    """The calendar date at the branch, whatever the server's own time zone."""
    return (now or datetime.now(CHINA)).astimezone(CHINA).date()


@functools.lru_cache(maxsize=8192)  # pure, and asked for every day of every deadline counted
def is_working_day(day: date) -> bool:
    """True on a working day, including an adjusted working Saturday or Sunday."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            log.warning(
                "no holiday calendar for %s: counting Monday to Friday as working days "
                "(upgrade the chinesecalendar package when the State Council publishes it)",
                day.year,
            )
        return day.weekday() < 5


def working_days_after(start: date, n: int) -> date:
    """The n-th working day after `start` (start itself never counts; n=0 gives `start`)."""
    if n < 0:
        raise ValueError("n must be zero or more")
    day = start
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_before(end: date, n: int) -> date:
    """The day n working days before `end`: working_days_after(result, n) == end when `end`
    is a working day."""
    day = end
    while n:
        day -= timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after `start` up to and including `end` (negative if end is
    before start). A deadline `d` is overdue by working_days_between(d, today) days.
    Dashboards count thousands of cases: a look-up per year, not a walk through each day."""
    if end < start:
        return -working_days_between(end, start)
    total = _running(end) - _running(start)
    for year in range(start.year, end.year):
        total += _year_running_count(year)[-1]
    return total


@functools.lru_cache(maxsize=64)
def _year_running_count(year: int) -> tuple[int, ...]:
    """For each day of `year`, the working days from 1 January up to and including it."""
    counts, total, day = [], 0, date(year, 1, 1)
    while day.year == year:
        total += is_working_day(day)
        counts.append(total)
        day += timedelta(days=1)
    return tuple(counts)


def _running(day: date) -> int:
    return _year_running_count(day.year)[day.timetuple().tm_yday - 1]
