"""Amounts in financial capitals (大写), as printed on every Chinese receipt: write and read.

壹仟贰佰叁拾肆元伍角陆分 is 1234.56. Receipts print the total twice, in 大写 and in figures
(小写); when both readings agree the figure can be trusted far more than either alone.
"""

from __future__ import annotations

from decimal import Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_DIGIT_VALUE = {char: index for index, char in enumerate(DIGITS)}
# Common variants: simplified forms OCR sometimes returns, and the old 圆 for 元.
_DIGIT_VALUE.update({"〇": 0, "O": 0, "两": 2, "贰": 2, "弍": 2, "叁": 3, "参": 3, "陸": 6})
_SMALL_UNITS = {"拾": 10, "佰": 100, "仟": 1000, "什": 10}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}
_YUAN = {"元", "圆"}
_END = {"整", "正"}


def capital_amount(amount: Decimal) -> str:
    """1234.56 -> 壹仟贰佰叁拾肆元伍角陆分; 1000 -> 壹仟元整; 0.5 -> 伍角."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    if amount < 0:
        raise ValueError("amount must not be negative")
    yuan, cents = divmod(int(amount * 100), 100)
    jiao, fen = divmod(cents, 10)
    text = _capital_integer(yuan) + "元" if yuan else ""
    if jiao:
        text += DIGITS[jiao] + "角"
    if fen:
        text += ("零" if yuan and not jiao else "") + DIGITS[fen] + "分"
    if not fen:
        text += "整" if text else "零元整"
    return text


def _capital_integer(number: int) -> str:
    groups = []
    while number:
        number, group = divmod(number, 10_000)
        groups.append(group)
    parts: list[str] = []
    for position in range(len(groups) - 1, -1, -1):
        group = groups[position]
        if not group:
            if parts and not parts[-1].endswith("零"):
                parts.append("零")
            continue
        if parts and group < 1000 and not parts[-1].endswith("零"):
            parts.append("零")
        parts.append(_capital_group(group) + ("", "万", "亿", "万亿")[position])
    return "".join(parts).rstrip("零")


def _capital_group(group: int) -> str:
    text, zero = "", False
    for unit, name in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        digit, group = divmod(group, unit)
        if digit:
            if zero and text:
                text += "零"
            text += DIGITS[digit] + name
            zero = False
        else:
            zero = True
    return text


def parse_capital_amount(text: str) -> Decimal | None:
    """The value of a 大写 amount, or None when the text is not one (a misread, say)."""
    text = "".join(char for char in text if not char.isspace())
    for prefix in ("人民币", "¥", "￥"):
        text = text.removeprefix(prefix)
    if not text:
        return None
    yuan_text, cents_text = "", text
    for marker in _YUAN:
        if marker in text:
            yuan_text, cents_text = text.split(marker, 1)
            break
    yuan = _parse_integer(yuan_text) if yuan_text else 0
    cents = _parse_cents(cents_text)
    if yuan is None or cents is None or (not yuan_text and not cents_text):
        return None
    return Decimal(yuan) + Decimal(cents) / 100


def _parse_integer(text: str) -> int | None:
    total = section = 0
    digit: int | None = None
    for char in text:
        if char in _DIGIT_VALUE:
            if digit is not None and digit != 0 and _DIGIT_VALUE[char] != 0:
                return None  # two digits in a row with no unit between: not a 大写 amount
            digit = _DIGIT_VALUE[char]
        elif char in _SMALL_UNITS:
            if digit is None:  # 拾元 = 10
                digit = 1 if _SMALL_UNITS[char] == 10 and section == 0 else None
                if digit is None:
                    return None
            section += digit * _SMALL_UNITS[char]
            digit = None
        elif char in _BIG_UNITS:
            total = (total + section + (digit or 0)) * _BIG_UNITS[char]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def _parse_cents(text: str) -> int | None:
    cents = 0
    digit: int | None = None
    for char in text:
        if char in _END:
            break
        if char in _DIGIT_VALUE:
            digit = _DIGIT_VALUE[char]
        elif char == "角" and digit is not None:
            cents += digit * 10
            digit = None
        elif char == "分" and digit is not None:
            cents += digit
            digit = None
        else:
            return None
    return None if digit else cents
