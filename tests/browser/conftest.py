"""Playwright driving Debian's chromium, and `check_page`: axe, type and target sizes, artifacts."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.kit import new_context

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
TABLET = {"width": 1024, "height": 768}

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "rules": {"color-contrast-enhanced": {"enabled": True}},
    "resultTypes": ["violations", "passes", "incomplete"],
}

# Measured in the page: text below the minimum size, targets below 64 x 64 or closer than 8px,
# and horizontal scrolling. Hidden and visually-hidden elements are left out.
MEASURE_JS = """
({minFont, minTarget, minGap}) => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none'
      && r.bottom > 0 && !el.closest('.visually-hidden');
  };
  const label = (el) =>
    el.tagName.toLowerCase() + ' "' + (el.innerText || el.value || '').trim().slice(0, 30) + '"';
  const smallText = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !visible(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < minFont) smallText.push(label(el) + ' ' + size + 'px');
  }
  const targets = [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], label')]
    .filter(visible)
    // Behind an open modal dialog the page is inert: only the dialog's targets count.
    .filter(el => !document.querySelector('dialog[open]') || el.closest('dialog[open]'))
    // A text field's label is not a target of its own: the field is.
    .filter(el => el.tagName !== 'LABEL' || (el.control && ['radio', 'checkbox', 'file'].includes(el.control.type)));
  const smallTargets = targets.map(el => [el, el.getBoundingClientRect()])
    .filter(([el, r]) => r.width < minTarget || r.height < minTarget)
    .map(([el, r]) => label(el) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
  const crowded = [];
  const rects = targets.map(el => [el, el.getBoundingClientRect()]);
  for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
    const [a, ra] = rects[i], [b, rb] = rects[j];
    if (a.contains(b) || b.contains(a)) continue;
    // A label and its own control are one target (the card is the radio button).
    if (a.control === b || b.control === a) continue;
    const dx = Math.max(0, Math.max(ra.left, rb.left) - Math.min(ra.right, rb.right));
    const dy = Math.max(0, Math.max(ra.top, rb.top) - Math.min(ra.bottom, rb.bottom));
    if (Math.max(dx, dy) < minGap) crowded.push(label(a) + ' ~ ' + label(b));
  }
  return {
    smallText, smallTargets, crowded,
    bodyFont: parseFloat(getComputedStyle(document.body).fontSize),
    horizontalScroll: document.documentElement.scrollWidth > document.documentElement.clientWidth,
    h1Count: document.querySelectorAll('h1').length,
  };
}
"""


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh tablet-sized page; fails the test if the page breaks its own CSP."""
    context = new_context(browser, viewport=TABLET, locale="zh-CN", has_touch=True)
    page = context.new_page()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            csp_errors.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    yield page
    context.close()
    assert not csp_errors, f"Content-Security-Policy violations: {csp_errors}"


class PageChecker:
    """Checks a kiosk or staff page the way DESIGN.md asks, and keeps a screenshot and the HTML."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self.folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        shutil.rmtree(self.folder, ignore_errors=True)  # only this run's pages
        self.axe = Axe()

    def __call__(
        self, page: Page, name: str, *, kiosk: bool = True, text_size: str = "normal"
    ) -> dict:
        self.folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(self.folder / f"{name}.png"), full_page=True)
        (self.folder / f"{name}.html").write_text(page.content(), encoding="utf-8")

        results = self.axe.run(page, options=AXE_OPTIONS)
        ran = {
            r["id"] for key in ("violations", "passes", "incomplete") for r in results.response[key]
        }
        assert "color-contrast-enhanced" in ran, "axe did not run the AAA contrast rule"
        assert results.violations_count == 0, results.generate_report()

        measured = page.evaluate(
            MEASURE_JS,
            {
                "minFont": 20 if kiosk else 12,
                "minTarget": 64 if kiosk else 24,
                "minGap": 8 if kiosk else 0,
            },
        )
        assert measured["h1Count"] == 1, "a page has exactly one h1"
        assert not measured["horizontalScroll"], "the page scrolls sideways"
        if kiosk:
            assert measured["bodyFont"] >= (32 if text_size == "xl" else 24), measured["bodyFont"]
            assert not measured["smallText"], f"text below 20px: {measured['smallText']}"
            assert not measured["smallTargets"], f"targets below 64x64: {measured['smallTargets']}"
            assert not measured["crowded"], f"targets closer than 8px: {measured['crowded']}"
        else:
            assert measured["bodyFont"] >= 16, measured["bodyFont"]
        return measured


@pytest.fixture
def check_page(request: pytest.FixtureRequest) -> PageChecker:
    return PageChecker(request)
