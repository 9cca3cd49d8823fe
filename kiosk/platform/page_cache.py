"""Pages kept rendered in this process, by a key that names everything they show.

Held in the process's own memory and never sent with cache headers: a page is handed back
only to a request whose key is the same, and the key holds what gave access (the tracking
token), so no one is shown what they could not already open. Forms in a kept page carry a
stand-in for the CSRF token, filled with the asker's own token as the page goes out.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager

from flask import current_app, g
from flask_wtf.csrf import generate_csrf

# Random per process, so no text typed into a case can be taken for it.
CSRF_STAND_IN = "csrf-" + secrets.token_hex(16)


class PageCache:
    """The last `size` pages rendered, least recently shown dropped first; thread-safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._pages: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()

    def page(self, key: Hashable, render: Callable[[], str]) -> str:
        """The page kept under `key`, or `render()` kept there; its CSRF stand-in filled."""
        with self._lock:
            html = self._pages.get(key)
            if html is not None:
                self._pages.move_to_end(key)
        if html is None:
            with _csrf_stood_in():
                html = render()
            with self._lock:
                self._pages[key] = html
                while len(self._pages) > self.size:
                    self._pages.popitem(last=False)
        return html.replace(CSRF_STAND_IN, generate_csrf()) if CSRF_STAND_IN in html else html


@contextmanager
def _csrf_stood_in() -> Iterator[None]:
    """Meanwhile every `csrf_token()` (macros' included) renders the stand-in: Flask-WTF
    hands out the token it finds in `g` under the field's name (see generate_csrf)."""
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    own = g.pop(name, None)
    setattr(g, name, CSRF_STAND_IN)
    try:
        yield
    finally:
        g.pop(name)
        if own is not None:
            setattr(g, name, own)
