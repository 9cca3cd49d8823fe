"""A field read from a document: its value, how sure the reader is, and where it was read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from kiosk.ocr.engines import Box, Line

# At or above this, a field may be shown as "looks right"; below it, it is marked
# 请仔细核对 and never pre-accepted.
SURE = 0.9
UNCONFIRMED = 0.89  # the most a field no independent check confirmed may have


@dataclass(frozen=True)
class Field:
    """One value read from a document.

    `checks` names the independent checks it passed (a checksum, the 大写 total, a second
    reader); `doubts` names those it failed. Confidence comes from both and the engine's score.
    """

    value: str | None
    confidence: float = 0.0
    box: Box | None = None
    checks: tuple[str, ...] = ()
    doubts: tuple[str, ...] = field(default=())

    @property
    def sure(self) -> bool:
        return self.value is not None and self.confidence >= SURE

    def checked(self, check: str) -> Field:
        """This field, confirmed by an independent check. A field another check contradicted
        stays doubted: one agreeing check does not outweigh one that disagrees."""
        confidence = self.confidence if self.doubts else max(self.confidence, 0.97)
        return replace(self, checks=(*self.checks, check), confidence=confidence)

    def doubted(self, doubt: str) -> Field:
        """This field, contradicted by a check: it must be looked at by a person."""
        return replace(self, doubts=(*self.doubts, doubt), confidence=min(self.confidence, 0.4))

    def as_dict(self) -> dict:
        """The field as stored with a reading (JSON): value, confidence, box, checks, doubts."""
        return {
            "value": self.value,
            "confidence": self.confidence,
            "box": self.box.as_list() if self.box else None,
            "checks": list(self.checks),
            "doubts": list(self.doubts),
        }

    def unverified(self) -> Field:
        """This field with no check to confirm it: the engine's score, a little discounted, and
        never sure: a person confirms what nothing independent has confirmed."""
        if self.checks or self.doubts:
            return self
        return replace(self, confidence=min(round(self.confidence * 0.92, 3), UNCONFIRMED))


MISSING = Field(None)


@dataclass(frozen=True)
class Row:
    """Lines standing side by side on the page, read left to right as one text."""

    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def box(self) -> Box:
        box = self.lines[0].box
        for line in self.lines[1:]:
            box = box.union(line.box)
        return box

    def span(self, start: int, end: int) -> tuple[Box, float]:
        """The box of characters start..end of the row text, and the lowest score of their lines.

        Within a line the box is cut in proportion to character widths (a Chinese character
        is about twice as wide as a digit), so that a value's crop leaves out its label.
        """
        box: Box | None = None
        score = 1.0
        offset = 0
        for line in self.lines:
            line_end = offset + len(line.text)
            if offset < end and line_end > start:
                part = _part_of(line, max(start, offset) - offset, min(end, line_end) - offset)
                box = part if box is None else box.union(part)
                score = min(score, line.score)
            offset = line_end + 1
        return (box or self.box), score


def _width(char: str) -> int:
    """A character's printed width in half-em units: Chinese characters and the punctuation
    printed full-width on Chinese documents (read back as ASCII by normalise) take two."""
    return 2 if ord(char) > 0x2E80 or char in "():¥，" else 1


def _part_of(line: Line, start: int, end: int) -> Box:
    units = [_width(char) for char in line.text]
    total = sum(units) or 1
    width = line.box.right - line.box.left
    pad = line.box.height // 4
    left = line.box.left + width * sum(units[:start]) // total
    right = line.box.left + width * sum(units[:end]) // total
    return Box(
        max(line.box.left, left - pad),
        line.box.top,
        min(line.box.right, right + pad),
        line.box.bottom,
    )


def rows(lines: list[Line]) -> list[Row]:
    """Group lines into rows, top to bottom: a line joins a row when their middles are close."""
    ordered = sorted(lines, key=lambda line: line.box.middle)
    grouped: list[list[Line]] = []
    for line in ordered:
        if grouped:
            last = grouped[-1]
            middle = sum(item.box.middle for item in last) / len(last)
            height = max(min(item.box.height for item in last), line.box.height, 1)
            if abs(line.box.middle - middle) < 0.5 * height:
                last.append(line)
                continue
        grouped.append([line])
    return [Row(tuple(sorted(group, key=lambda line: line.box.left))) for group in grouped]


_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９：（）￥，．－／～　",
    "0123456789:()¥,.-/~ ",
)


def normalise(text: str) -> str:
    """Full-width digits and punctuation as ASCII; the yen sign as ¥."""
    return text.translate(_FULL_WIDTH)


_LOOKALIKE_DIGITS = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "I": "1",
        "l": "1",
        "|": "1",
        "Z": "2",
        "S": "5",
        "B": "8",
        "g": "9",
    }
)


def digits_only(text: str, *, allow_x: bool = False) -> str:
    """The digits in `text`, with the letters OCR confuses with digits read as those digits."""
    text = normalise(text)
    if allow_x:
        text = text.replace("x", "X").replace("×", "X")
    text = text.translate(_LOOKALIKE_DIGITS)
    keep = "0123456789X" if allow_x else "0123456789"
    return "".join(char for char in text if char in keep)


def find(rows_: list[Row], pattern: re.Pattern[str]) -> tuple[re.Match[str], Row] | None:
    """The first row whose text matches `pattern`, with the match."""
    for row in rows_:
        match = pattern.search(normalise(row.text))
        if match:
            return match, row
    return None


def field_from(
    match: re.Match[str], row: Row, group: int | str = 1, value: str | None = None
) -> Field:
    """A field for one group of a match in a row, with the box and score of its lines."""
    box, score = row.span(match.start(group), match.end(group))
    return Field(value if value is not None else match.group(group), round(score, 3), box)
