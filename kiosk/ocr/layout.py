"""Finding a field's value on a page of any layout: by its label, where the value sits, its form.

Receipts of one kind come in many layouts: the value of 票据号码 may follow its label in the
same text line, stand in the next cell to the right, sit under the label, or be printed a
little off by a dot-matrix printer out of register. A `Page` holds the text lines an engine
read and answers, for a label, the texts near it in order of likelihood: the rest of the same
line, then the lines to its right on the same row, then the line below. Each text is cut at
the next label of the vocabulary, so a value never runs on into a neighbouring cell
("…医院 复核人:王芳" gives "…医院"), and a label is never taken for a value.

Labels are found longest first, so that 交款人统一社会信用代码 is one label, not 交款人 followed
by a value "统一社会信用代码".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from statistics import median

from kiosk.ocr.lines import Box, Line

_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９：（）￥，．－／～　【】［］",
    "0123456789:()¥,.-/~ ()()",
)
_BETWEEN_CJK = re.compile(r"(?<=[\u3000-\u9fff])\s+(?=[\u3000-\u9fff])")


def clean(text: str) -> str:
    """Full-width digits and punctuation as ASCII, no spaces between Chinese characters."""
    return _BETWEEN_CJK.sub("", text.translate(_FULL_WIDTH)).strip()


@dataclass(frozen=True)
class Piece:
    """One text line as read: cleaned text, the engine's score, its box, whether in red ink."""

    text: str
    score: float
    box: Box
    red: bool = False

    def part(self, start: int, end: int) -> Box:
        """The box of characters start..end, cut in proportion to their printed widths."""
        units = [_width(char) for char in self.text]
        total = sum(units) or 1
        width = self.box.right - self.box.left
        left = self.box.left + width * sum(units[:start]) // total
        right = self.box.left + width * sum(units[:end]) // total
        pad = self.box.height // 4
        return Box(
            max(self.box.left, left - pad),
            self.box.top,
            min(self.box.right, right + pad),
            self.box.bottom,
        )


def _width(char: str) -> int:
    """Half-em units: Chinese characters and full-width punctuation take two."""
    return 2 if ord(char) > 0x2E80 or char in "():¥," else 1


@dataclass(frozen=True)
class Text:
    """A stretch of text that may hold a value: where it is and how it stands to the label."""

    text: str
    box: Box
    score: float
    piece: Piece
    offset: int = 0  # where `text` starts in the piece's text

    def span(self, start: int, end: int) -> Box:
        """The box of characters start..end of this text."""
        return self.piece.part(self.offset + start, self.offset + end)

    @classmethod
    def whole(cls, piece: Piece) -> Text:
        """All of a line's text."""
        return cls(piece.text, piece.box, piece.score, piece)


@dataclass(frozen=True)
class Hit:
    """A label found in a piece: which label, and where in the piece's text."""

    label: str
    piece: Piece
    start: int
    end: int


def label_pattern(label: str) -> str:
    """A regular expression for a printed label: spaces allowed between its characters, and
    the brackets of （大写） optional."""
    parts = []
    for char in label:
        if char in "()":
            parts.append(r"\(?" if char == "(" else r"\)?")
        else:
            parts.append(re.escape(char))
    return r"\s*".join(parts)


# Labels short and common enough to end longer labels the vocabulary does not know.
GENERIC = frozenset({"日期", "合计", "金额", "姓名", "天数", "患者", "病人", "总计", "时间"})
UNKNOWN = "?"
_CJK = re.compile(r"[\u4e00-\u9fff]")


class Vocabulary:
    """Every label the reader knows, field labels and others, matched longest first.

    A label of four characters or more is also found with one of its characters misread
    (栗据号码 or T据号码 for 票据号码), or with one of its inner characters lost (入时间 for
    入院时间) when what is left is no other label's and could be no other label's remains
    (出日期: 出院日期 or 出生日期), where no label is read as printed."""

    def __init__(self, labels: Iterable[str]) -> None:
        self.labels = tuple(sorted(set(labels), key=len, reverse=True))
        self._pattern = re.compile("|".join(f"(?:{label_pattern(lab)})" for lab in self.labels))
        self._by_text = {_key(label): label for label in self.labels}
        fuzzy: list[tuple[re.Pattern[str], str]] = []
        remains: dict[str, set[str]] = {}  # what is left with an inner character lost
        for label in self.labels:
            plain = _key(label)
            if len(plain) >= 4:
                for index in range(len(plain)):
                    pattern = label_pattern(plain[:index]) + r"\s*[^\s\d:]\s*"
                    pattern += label_pattern(plain[index + 1 :])
                    fuzzy.append((re.compile(pattern), label))
                    if 0 < index < len(plain) - 1:
                        remains.setdefault(plain[:index] + plain[index + 1 :], set()).add(label)
        for remain, labels in remains.items():
            if len(labels) == 1 and remain not in self._by_text:
                fuzzy.append((re.compile(label_pattern(remain)), labels.pop()))
        self._fuzzy = fuzzy

    def hits(self, piece: Piece) -> list[Hit]:
        """The labels in a piece, left to right, none overlapping (the longest wins)."""
        found = []
        for match in self._pattern.finditer(piece.text):
            label = self._by_text.get(_key(match.group(0)))
            if label is not None and match.end() > match.start():
                if label in GENERIC and _CJK.match(piece.text[match.start() - 1 : match.start()]):
                    label = UNKNOWN  # the end of a label we do not know: 费用日期, 预交合计
                found.append(Hit(label, piece, match.start(), match.end()))
        for pattern, label in self._fuzzy:
            for match in pattern.finditer(piece.text):
                start, end = match.start(), match.end()
                overlapping = [h for h in found if h.start < end and start < h.end]
                # The end of a label we did not know (诊日期 of 装诊日期) is this one's, misread.
                if all(h.label == UNKNOWN and start <= h.start for h in overlapping):
                    found = [h for h in found if h not in overlapping]
                    found.append(Hit(label, piece, start, end))
        return sorted(found, key=lambda hit: hit.start)

    def cut(self, text: str) -> str:
        """`text` up to the first label in it."""
        match = self._pattern.search(text)
        return text[: match.start()] if match else text


def _key(label: str) -> str:
    return re.sub(r"[()\s]", "", label)


class Page:
    """The text lines of one page, with the geometry to look around a label."""

    def __init__(self, lines: Iterable[Line], vocabulary: Vocabulary, red: Iterable[Line] = ()):
        pieces = [Piece(clean(line.text), line.score, line.box) for line in lines]
        pieces += [Piece(clean(line.text), line.score, line.box, red=True) for line in red]
        self.pieces = sorted(
            (piece for piece in pieces if piece.text), key=lambda p: (p.box.top, p.box.left)
        )
        self.vocabulary = vocabulary
        self.line_height = median([p.box.height for p in self.pieces]) if self.pieces else 30
        self._hits = {id(piece): vocabulary.hits(piece) for piece in self.pieces}

    @property
    def text(self) -> str:
        return "\n".join(piece.text for piece in self.pieces)

    def labelled(self, labels: Iterable[str]) -> list[Hit]:
        """Every place one of `labels` is printed, in the order of `labels`, then top to bottom."""
        wanted = list(labels)
        found = [hit for piece in self.pieces for hit in self._hits[id(piece)]]
        return sorted(
            (hit for hit in found if hit.label in wanted),
            key=lambda hit: (wanted.index(hit.label), hit.piece.box.top),
        )

    def starts_with_label(self, piece: Piece) -> bool:
        hits = self._hits[id(piece)]
        return bool(hits) and not _value_chars(piece.text[: hits[0].start])

    def near(self, hit: Hit, *, below: int = 2) -> Iterator[Text]:
        """The texts that may hold the value of the label `hit`, the likeliest first.

        The rest of its line; then each line to its right on the same row, until one starts
        with a label; then up to `below` lines under the label.
        """
        piece = hit.piece
        rest = piece.text[hit.end :]
        offset = hit.end + len(rest) - len(rest.lstrip(" :;.·"))
        value = self.vocabulary.cut(piece.text[offset:]).rstrip(" :")
        if _value_chars(value):
            yield Text(value, piece.part(offset, offset + len(value)), piece.score, piece, offset)
            if len(value) < len(piece.text) - offset:
                return  # another label follows in the same line: the value was between them
        for other in self.right_of(piece):
            if self.starts_with_label(other):
                break
            text = self.vocabulary.cut(other.text).strip(" :")
            if _value_chars(text):
                yield Text(text, other.box, other.score, other)
        for other in self.under(piece)[:below]:
            if self.starts_with_label(other):
                continue
            text = self.vocabulary.cut(other.text).strip(" :")
            if _value_chars(text):
                yield Text(text, other.box, other.score, other)

    def right_of(self, piece: Piece, *, reach: float = 25) -> list[Piece]:
        """Lines on the same row to the right of `piece`, nearest first. A row may be a little
        crooked (a printer out of register, a page in perspective): the middles may differ by
        up to 0.7 of a line's height. A line may start a little inside the label's box (a ¥
        found apart from its figure, its box reaching into the figure's)."""
        height = max(piece.box.height, self.line_height)
        found = []
        for other in self.pieces:
            if other is piece or other.box.left < piece.box.right - height * 0.75:
                continue
            if abs(other.box.middle - piece.box.middle) > 0.7 * height:
                continue
            if other.box.left - piece.box.right > reach * height:
                continue
            found.append(other)

        def off_row(other: Piece) -> float:
            return abs(other.box.middle - piece.box.middle)

        # A crooked row drifts further from the label the further right it goes; a line half
        # a line off before one that is level with the label is the next row's (an item's
        # 48.00 just above the line 总计 ... 9387.20)
        found = [
            other
            for other in found
            if off_row(other) <= 0.5 * height
            or not any(
                farther.box.left > other.box.left and off_row(farther) < 0.25 * height
                for farther in found
            )
        ]
        return sorted(found, key=lambda other: other.box.left)

    def row_of(self, piece: Piece, *, reach: float = 4) -> list[Piece]:
        """`piece` and the lines in a chain beside it on either side (each at most `reach`
        line heights from the next), left to right."""
        height = max(piece.box.height, self.line_height)
        same_row = [
            other
            for other in self.pieces
            if abs(other.box.middle - piece.box.middle) <= 0.7 * height
        ]
        left, right = piece.box.left, piece.box.right
        row = [piece]
        grown = True
        while grown:
            grown = False
            for other in same_row:
                if other in row:
                    continue
                if (
                    other.box.left - right <= reach * height
                    and left - other.box.right <= reach * height
                ):
                    row.append(other)
                    left, right = min(left, other.box.left), max(right, other.box.right)
                    grown = True
        return sorted(row, key=lambda other: other.box.left)

    def under(self, piece: Piece) -> list[Piece]:
        """Lines below `piece` that overlap it sideways or start near its left edge, nearest
        first, within about two lines."""
        height = max(piece.box.height, self.line_height)
        found = []
        for other in self.pieces:
            gap = other.box.top - piece.box.bottom
            if other is piece or gap < -0.3 * height or gap > 2.2 * height:
                continue
            overlap = min(other.box.right, piece.box.right) - max(other.box.left, piece.box.left)
            if overlap > 0 or abs(other.box.left - piece.box.left) < 2 * height:
                found.append(other)
        return sorted(found, key=lambda other: other.box.top)

    def everywhere(self) -> Iterator[Text]:
        """Every line, cut into the stretches between its labels, top to bottom."""
        for piece in self.pieces:
            start = 0
            for hit in [*self._hits[id(piece)], None]:
                end = hit.start if hit else len(piece.text)
                text = piece.text[start:end]
                if _value_chars(text):
                    lead = len(text) - len(text.lstrip(" :;"))
                    text = text.strip(" :;")
                    yield Text(
                        text,
                        piece.part(start + lead, end),
                        piece.score,
                        piece,
                        start + lead,
                    )
                if hit:
                    start = hit.end


def _value_chars(text: str) -> bool:
    return bool(re.search(r"[0-9A-Za-z\u4e00-\u9fff¥]", text))
