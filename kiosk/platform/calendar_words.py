"""Dates, times and yuan written the way the kiosk's two languages write them.

The kiosk speaks 中文 and English and writes dates in a handful of patterns (2026年3月7日,
March 7, 2026, 3月7日 星期六, 2026-03-07 14:05). Babel's formatting would read its CLDR
data for that: 5.5 MB a web process (ADR 0051). These functions write the same text from
a few tables, in the subset of the CLDR pattern language the kiosk's patterns use; a
pattern letter outside it is refused, so a new pattern cannot pass silently. The test
compares every pattern with Babel's own output.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal

ZH = "zh_CN"

_LONG = {ZH: "y年M月d日", "en": "MMMM d, y"}
_MONTHS = {
    "en": (
        "January February March April May June July August September October November December"
    ).split(),
    ZH: "一月 二月 三月 四月 五月 六月 七月 八月 九月 十月 十一月 十二月".split(),
}
_MONTHS_SHORT = {
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
    ZH: [f"{n}月" for n in range(1, 13)],
}
_WEEKDAYS = {  # Monday first, as date.weekday() counts
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
    ZH: "星期一 星期二 星期三 星期四 星期五 星期六 星期日".split(),
}
_WEEKDAYS_NARROW = {"en": list("MTWTFSS"), ZH: list("一二三四五六日")}
_CURRENCY_SIGN = {ZH: "¥", "en": "CN¥"}
_FIELD = re.compile(r"'[^']*'|([A-Za-z])\1*")
_CENT = Decimal("0.01")


def format_date(day: date, pattern: str, language: str) -> str:
    """`day` (a datetime counts by its own date) in `pattern` or "long"."""
    if isinstance(day, datetime):
        day = day.date()
    return _written(day, _LONG[language] if pattern == "long" else pattern, language)


def format_datetime(moment: datetime, pattern: str, language: str) -> str:
    """`moment` on its own clock (no time zone is changed) in `pattern`."""
    return _written(moment, pattern, language)


def format_money(amount: object, language: str) -> str:
    """An amount in yuan to the fen: ¥1,234.50 (CN¥ in English, as CLDR writes it)."""
    value = Decimal(str(amount)).quantize(_CENT, ROUND_HALF_EVEN)
    sign = "-" if value < 0 else ""
    return f"{sign}{_CURRENCY_SIGN[language]}{abs(value):,.2f}"


def _written(moment: date, pattern: str, language: str) -> str:
    def field(found: re.Match[str]) -> str:
        token = found.group(0)
        if token.startswith("'"):
            return token[1:-1] or "'"
        return _field(moment, token, language)

    return _FIELD.sub(field, pattern)


def _field(moment: date, token: str, language: str) -> str:
    letter, width = token[0], len(token)
    if letter == "y":
        return f"{moment.year:04d}" if width != 2 else f"{moment.year % 100:02d}"
    if letter == "M":
        if width >= 4:
            return _MONTHS[language][moment.month - 1]
        if width == 3:
            return _MONTHS_SHORT[language][moment.month - 1]
        return f"{moment.month:0{width}d}"
    if letter == "d" and width <= 2:
        return f"{moment.day:0{width}d}"
    if letter == "E" and width in (4, 5):
        names = _WEEKDAYS if width == 4 else _WEEKDAYS_NARROW
        return names[language][moment.weekday()]
    if letter in "Hms" and width <= 2 and isinstance(moment, datetime):
        number = {"H": moment.hour, "m": moment.minute, "s": moment.second}[letter]
        return f"{number:0{width}d}"
    raise ValueError(f"date pattern field {token!r} is not one the kiosk writes")
