"""A field read from a document: its value, how sure the reader is, and where it was read."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from kiosk.ocr.lines import Box

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

    def as_dict(self) -> dict[str, object]:
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
