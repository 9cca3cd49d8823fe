"""The kiosk's own date, time and yuan writing says what Babel's CLDR formatting says, for
every pattern the kiosk and its English catalogue use, on every day of a leap year."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.numbers import format_currency as babel_currency

from kiosk.platform import calendar_words

LANGUAGES = ("zh_CN", "en")
DATE_PATTERNS = [
    "long",
    "M月d日 EEEE",  # a home visit's day (SHORT_DAY_PATTERN) ...
    "EEEE d MMMM",  # ... and its English
    "yyyy年M月",  # the calendar's month ...
    "MMMM yyyy",  # ... and its English
    "EEEEE",  # the calendar's weekday heads
    "MMM d",
    "'Day' d",
]
TIME_PATTERNS = ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "y年M月d日 HH:mm"]
KIOSK = Path(__file__).resolve().parents[2] / "kiosk"


def every_day_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("pattern", DATE_PATTERNS)
def test_dates_are_written_as_babel_writes_them(language: str, pattern: str) -> None:
    for day in every_day_of(2028):
        assert calendar_words.format_date(day, pattern, language) == babel_date(
            day, pattern, locale=language
        )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("pattern", TIME_PATTERNS)
def test_moments_are_written_as_babel_writes_them(language: str, pattern: str) -> None:
    moment = datetime(2026, 12, 31, 23, 59, 58)
    for step in range(0, 400 * 3600, 3607):
        shown = moment + timedelta(seconds=step)
        assert calendar_words.format_datetime(shown, pattern, language) == babel_datetime(
            shown, pattern, locale=language
        )


def test_a_moment_is_given_its_date_by_the_day_it_falls_on() -> None:
    moment = datetime(2026, 3, 7, 23, 30)
    assert calendar_words.format_date(moment, "long", "zh_CN") == "2026年3月7日"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "amount",
    [0, 3, -3, "12.5", 1234.5, Decimal("0.005"), Decimal("0.015"), Decimal("1234567.891"), 10**9],
)
def test_yuan_are_written_as_babel_writes_them(language: str, amount: object) -> None:
    assert calendar_words.format_money(amount, language) == babel_currency(
        amount, "CNY", locale=language
    )


def test_a_pattern_field_it_does_not_know_is_refused() -> None:
    with pytest.raises(ValueError, match="'QQQ'"):
        calendar_words.format_date(date(2026, 3, 7), "QQQ y", "en")
    with pytest.raises(ValueError, match="'HH'"):  # a day has no hours
        calendar_words.format_date(date(2026, 3, 7), "HH", "en")


def test_every_pattern_the_kiosk_writes_is_one_it_knows() -> None:
    """The patterns in the code, the templates and the English catalogue are all tested above."""
    sources = [*KIOSK.rglob("*.py"), *KIOSK.rglob("*.html"), *KIOSK.rglob("messages.po")]
    found = set()
    for source in sources:
        if "samples" in source.parts:  # the OCR test photos' own printing, not the kiosk's
            continue
        text = source.read_text(encoding="utf-8")
        found |= set(re.findall(r'format_date(?:time)?\(.*?"([^"]+)"\)', text))
        found |= set(re.findall(r"format_date(?:time)?\(\s*'([^']+)'\s*\)", text))
        found |= set(re.findall(r'format_date(?:time)?\(_\("([^"]+)"\)\)', text))
        found |= set(re.findall(r'SHORT_DAY_PATTERN = _l\("([^"]+)"\)', text))
        if source.name == "messages.po":
            for msgid, msgstr in re.findall(r'msgid "([^"]+)"\nmsgstr "([^"]+)"', text):
                if msgid in found:
                    found.add(msgstr)
    assert found, "no pattern found: the search above no longer matches the code"
    known = {*DATE_PATTERNS, *TIME_PATTERNS, "yyyy-MM-dd"}
    assert found - known == set()
