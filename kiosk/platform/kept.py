"""Values a process keeps for a few seconds, by key: what every request asks for and what
changes seldom (the policies, a tablet's credential). Thread-safe; at most `size` keys, all
forgotten at once when full (a cache this small needs no eviction order)."""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    def __init__(self, seconds: float, size: int = 2000) -> None:
        self.seconds, self.size = seconds, size
        self._lock = threading.Lock()
        self._kept: dict[Hashable, tuple[float, V]] = {}

    def get(self, key: Hashable) -> tuple[bool, V | None]:
        """(True, value) if kept and younger than `seconds`; (False, None) otherwise."""
        with self._lock:
            kept = self._kept.get(key)
        if kept is None or time.monotonic() - kept[0] > self.seconds:
            return False, None
        return True, kept[1]

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            if len(self._kept) >= self.size:
                self._kept.clear()
            self._kept[key] = (time.monotonic(), value)

    def forget(self) -> None:
        with self._lock:
            self._kept.clear()
