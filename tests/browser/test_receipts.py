"""The receipt as chromium draws and prints it: the QR code decodes to exactly the tracking
link on screen and in the 80 mm PDF, the PDF is 80 mm wide with the code wholly inside."""

from __future__ import annotations

import io

import pypdfium2
import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from kiosk.claims.calendar import today_in_china
from kiosk.claims.states import CaseState
from kiosk.demo import DEMO_PEOPLE, seed_demo
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, DocumentStatus, Person
from tests.browser.kit import new_context

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
MM = 72 / 25.4  # PDF points in a millimetre


def demo_claim(live_server, state: CaseState) -> tuple[str, str]:
    """(token, tracking URL) of the demo claim in `state`."""
    claim = demo(live_server, state)
    return claim.tracking_token, f"{live_server.app.config['PUBLIC_URL']}/t/{claim.tracking_token}"


def demo(live_server, state: CaseState) -> Claim:
    """A demo claim in `state`, made now if the other tests' claims left none."""
    with live_server.app.app_context():
        query = (
            sa.select(Claim)
            .join(Claim.insured)
            .where(Claim.state == state, Person.name.in_([p[0] for p in DEMO_PEOPLE]))
        )
        claim = db.session.scalars(query).first()
        if claim is None:
            seed_demo(today_in_china(), only_if_empty=False)
            claim = db.session.scalars(query).first()
        claim.missing_count = sum(d.status is DocumentStatus.MISSING for d in claim.documents)
        db.session.expunge(claim)
        return claim


def decode(image: Image.Image) -> list[zxingcpp.Result]:
    return [r for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.parametrize("size", ["normal", "xl"])
def test_the_receipt_on_a_phone_decodes_to_the_tracking_link(
    browser, live_server, check_page, size: str
) -> None:
    token, url = demo_claim(live_server, CaseState.DOCUMENTS_NEEDED)
    context = new_context(browser, viewport=PHONE, locale="zh-CN", has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/prefs/size/{size}?next=/")
    page.goto(f"{live_server.url}/t/{token}/receipt")
    check_page(page, f"receipt-{size}", text_size=size)
    shot = page.locator(".receipt-qr svg").screenshot()
    found = decode(Image.open(io.BytesIO(shot)))
    assert [r.text for r in found] == [url]
    assert found[0].ec_level == "M"
    context.close()


@pytest.mark.parametrize("state", [CaseState.SUBMITTED, CaseState.DOCUMENTS_NEEDED])
def test_the_80mm_pdf_fits_the_roll_with_the_qr_code_inside(
    page, live_server, state: CaseState, tmp_path
) -> None:
    token, url = demo_claim(live_server, state)
    page.goto(f"{live_server.url}/t/{token}/receipt")
    page.emulate_media(media="print")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, "the receipt is wider than the roll"
    pdf = pypdfium2.PdfDocument(page.pdf(prefer_css_page_size=True))
    assert len(pdf) == 1, "one receipt, one page"
    width, height = pdf[0].get_size()
    assert abs(width / MM - 80) < 0.5, width / MM
    scale = 300 / 72  # rendered at 300 dpi
    image = pdf[0].render(scale=scale).to_pil()
    image.save(tmp_path / "receipt.png")
    found = decode(image)
    assert [r.text for r in found] == [url]
    corners = found[0].position
    xs = [p.x for p in (corners.top_left, corners.top_right, corners.bottom_left)]
    ys = [p.y for p in (corners.top_left, corners.top_right, corners.bottom_left)]
    side_mm = (max(xs) - min(xs)) / scale / MM
    assert side_mm >= 30, f"the code is {side_mm:.1f} mm"
    module = (max(xs) - min(xs)) / 33  # a version-4 code is 33 modules wide
    quiet = 4 * module
    assert min(xs) - quiet >= 0 and max(xs) + quiet <= image.width
    assert min(ys) - quiet >= 0 and max(ys) + quiet <= image.height


def test_the_a4_pdf_is_one_a4_page(page, live_server) -> None:
    token, url = demo_claim(live_server, CaseState.PAID)
    page.goto(f"{live_server.url}/t/{token}/receipt?paper=a4")
    page.emulate_media(media="print")
    pdf = pypdfium2.PdfDocument(page.pdf(prefer_css_page_size=True))
    width, height = pdf[0].get_size()
    assert len(pdf) == 1 and round(width / MM) == 210 and round(height / MM) == 297
    assert [r.text for r in decode(pdf[0].render(scale=200 / 72).to_pil())] == [url]


def test_adding_documents_at_the_kiosk_by_touch(page, live_server, check_page) -> None:
    claim = demo(live_server, CaseState.DOCUMENTS_NEEDED)
    code = claim.supplement_code
    page.goto(f"{live_server.url}/prefs/size/xl?next=/")
    page.locator("[data-qa=supplement]").tap()
    check_page(page, "supplement-xl", text_size="xl")
    page.locator("#code").fill("000000" if code != "000000" else "000001")
    page.get_by_role("button", name="下一步").first.tap()
    expect(page.locator(".error-summary")).to_contain_text("补交材料码不对")
    check_page(page, "supplement-wrong-xl", text_size="xl")
    page.locator("#code").fill(code)
    page.get_by_role("button", name="下一步").first.tap()
    expect(page.locator(".document")).to_have_count(claim.missing_count)
    check_page(page, "supplement-documents-xl", text_size="xl")
