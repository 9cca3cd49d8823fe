"""The tablet recipe (deploy/tablet): Debian's chromium started with the flags of
kiosk-browser.sh, enrolled by the QR code's link, shows the kiosk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser
SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "tablet" / "kiosk-browser.sh"


def recipe_flags() -> list[str]:
    """The chromium flags the script passes (its own profile folder aside)."""
    flags = re.findall(r"^\s+(--[\w-]+(?:=[^\s\\]+)?)", SCRIPT.read_text(), re.MULTILINE)
    return [f for f in flags if not f.startswith("--user-data-dir")]


def test_chromium_with_the_recipes_flags_enrols_and_shows_the_kiosk(
    browser, live_server, tmp_path
) -> None:
    flags = recipe_flags()
    assert {"--kiosk", "--kiosk-printing"} <= set(flags)
    result = live_server.app.test_cli_runner().invoke(args=["branch", "list"])
    branch = result.output.split("\t")[1] if result.output.strip() else None
    if branch is None:
        live_server.app.test_cli_runner().invoke(
            args=["branch", "add", "平板测试点", "--phone", "0754-87100009"]
        )
        branch = "平板测试点"
    code = live_server.app.test_cli_runner().invoke(args=["device", "enrol-code", branch])
    code = code.output.split()[-1]
    # the session's Playwright: a second one cannot start inside it
    tablet = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, *flags],
        viewport={"width": 1024, "height": 768},
        has_touch=True,
        locale="zh-CN",
    )
    page = tablet.pages[0] if tablet.pages else tablet.new_page()
    page.goto(f"{live_server.url}/enrol?code={code}")  # the QR code's link
    page.get_by_role("button", name="登记").tap()
    expect(page.get_by_role("status")).to_contain_text("此平板已登记到")
    expect(page.get_by_role("link", name=re.compile("申请理赔"))).to_be_visible()
    tablet.close()
