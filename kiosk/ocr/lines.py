"""A line of text as an engine read it, and the box it stands in: plain values, so that what
reads a field's box (the web's confirming screens) needs neither numpy nor an engine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """A rectangle on the prepared page, in pixels."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    def union(self, other: Box) -> Box:
        return Box(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )

    def as_list(self) -> list[int]:
        return [self.left, self.top, self.right, self.bottom]


def around(boxes: Iterable[Box]) -> Box:
    """The smallest box holding all of `boxes` (at least one)."""
    first, *rest = boxes
    for box in rest:
        first = first.union(box)
    return first


@dataclass(frozen=True)
class Line:
    """One line of text as an engine read it, its score (0-1) and where it stands."""

    text: str
    score: float
    box: Box
