"""Browser contexts for the tests, with `window.print` replaced by a recorder.

The recorder is a test double: a headless chromium asked to print while Playwright takes a
screenshot can stall the screenshot, and a test cannot see a real print dialog anyway. Each
frame's `print()` appends its path to the top window's `__printed`, so a test can check that
the kiosk asked to print, and what. What the printer gets is tested on the real path
(`test_receipts.py` renders the receipt to PDF with chromium's own print).
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, expect

# What a browser test may wait for one state (a locator, a navigation, a printed frame): long
# enough for a 2-core machine at load 15, where the live server reads photos inline (its
# queue is immediate) beside chromium. A test waits for the state, so on a quiet machine it takes what it takes.
BUDGET_MS = 60_000
expect.set_options(timeout=BUDGET_MS)

PRINT_RECORDER = """
window.print = function () {
  var top = window.top;
  (top.__printed = top.__printed || []).push(location.pathname);
};
"""


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    """`browser.new_context(**options)` with the print recorder in every frame."""
    context = browser.new_context(**options)
    context.set_default_timeout(BUDGET_MS)
    context.set_default_navigation_timeout(BUDGET_MS * 2)
    context.add_init_script(PRINT_RECORDER)
    return context


def wait_for_print(page: Page, path: str) -> None:
    """Waits until some frame of `page` has asked to print `path`."""
    page.wait_for_function("(path) => (window.__printed || []).includes(path)", arg=path)


def printed(page: Page) -> list[str]:
    """The paths the page's frames asked to print, in order."""
    return page.evaluate("window.__printed || []")
