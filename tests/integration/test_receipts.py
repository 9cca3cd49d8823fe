"""The printed receipt: its content, its codes, reprints, and the ESC/POS thermal printer
(python-escpos's Dummy printer, and a fake network printer on a real socket)."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from escpos.printer import Dummy
from flask import Flask

from kiosk.claims.case_numbers import format_case_number
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim
from kiosk.receipts.content import printed_words, receipt_view
from kiosk.receipts.printer import PrinterProblem, send_receipt, write_receipt
from kiosk.services.codes import find_by_supplement_code
from tests.integration.test_intake import ID_NUMBER, SELF_MEDICAL, Kiosk, soup

PAPER_OK, NO_PAPER = b"\x12", b"\x72"  # answers to DLE EOT 4 (python-escpos's masks)
QR_EC_M = b"\x1d(k\x03\x001E1"  # GS ( k: QR error correction level M
SENSITIVE = (ID_NUMBER, "13812345678", "6222020200112233445")


class FakePrinter:
    """A network receipt printer on a free local port: keeps what it is sent and answers
    the paper-status query as told (or not at all)."""

    def __init__(self, paper: bytes | None = PAPER_OK) -> None:
        self.paper, self.received = paper, bytearray()
        self.jobs = threading.Semaphore(0)  # released when a connection has been read to its end
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"tcp://127.0.0.1:{self._server.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            with connection:
                while chunk := connection.recv(65536):
                    self.received += chunk
                    if b"\x10\x04\x04" in chunk and self.paper is not None:
                        connection.sendall(self.paper)
            self.jobs.release()

    def wait(self) -> None:
        """Until the printer has read the whole of the next job."""
        assert self.jobs.acquire(timeout=10), "the printer got no job"

    def close(self) -> None:
        self._server.close()


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    fake = FakePrinter()
    yield fake
    fake.close()


def a_closed_port() -> str:
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"


def submit(kiosk: Kiosk):
    """A medical claim with its documents left for later; the done page it leads to."""
    kiosk.through(*SELF_MEDICAL)
    response = kiosk.answer("check", {"consent": "yes"}, follow=True)
    assert response.status_code == 200
    return response


def the_claim(app: Flask) -> Claim:
    return db.session.scalars(sa.select(Claim)).one()


def test_the_receipt_says_what_the_issue_lists_and_nothing_sensitive(
    app: Flask, kiosk: Kiosk
) -> None:
    submit(kiosk)
    with app.app_context():
        claim = the_claim(app)
        token, number, code = claim.tracking_token, claim.case_number, claim.supplement_code
    response = kiosk.get(f"/t/{token}/receipt")
    assert response.status_code == 200
    page = soup(response)
    text = page.get_text(" ", strip=True)
    assert page.select_one("[data-qa=case-number]").get_text(strip=True) == format_case_number(
        number
    )
    assert "陈*华" in text and "看了门诊" in text
    assert "还缺" in text and "医院收费票据" in text
    assert page.select_one("[data-qa=supplement-code]").get_text().replace(" ", "") == code
    assert "家人扫一扫，随时查看进度" in text
    assert "0754-87000000" in text
    assert page.select_one(".receipt-qr svg[role=img][aria-label]") is not None
    assert len(code) == 6 and code.isdigit()
    body = response.get_data(as_text=True) + str(response.headers)
    for secret in (*SENSITIVE, "陈美华"):
        assert secret not in body
    assert response.headers["Cache-Control"] == "no-store"
    a4 = soup(kiosk.get(f"/t/{token}/receipt?paper=a4"))
    assert a4.select_one("link[href*='/receipt-a4.']") is not None
    assert soup(kiosk.get(f"/t/{token}/receipt?paper=<b>")).select_one(
        "link[href*='/receipt-80mm.']"
    )


def test_a_wrong_or_revoked_token_gets_the_plain_404(app: Flask, kiosk: Kiosk) -> None:
    submit(kiosk)
    with app.app_context():
        claim = the_claim(app)
        token = claim.tracking_token
        claim.tracking_revoked_at = claim.submitted_at
        db.session.commit()
    other = "B" * len(token)
    revoked, unknown = kiosk.get(f"/t/{token}"), kiosk.get(f"/t/{other}")
    assert revoked.status_code == unknown.status_code == 404

    # The same page, but for the address it names (the language switch links back to it)
    # and its CSRF token (signed with the second it was made in).
    def page(response, address: str) -> str:
        html = response.get_data(as_text=True).replace(address, "T")
        return re.sub(r'name="csrf_token" value="[^"]+"', "", html)

    assert page(revoked, token) == page(unknown, other)
    assert kiosk.get(f"/t/{token}/receipt").status_code == 404


def test_the_supplement_code_opens_only_an_open_case(app: Flask, kiosk: Kiosk) -> None:
    submit(kiosk)
    with app.app_context():
        claim = the_claim(app)
        code = claim.supplement_code
        assert find_by_supplement_code(f"{code[:3]} {code[3:]}").id == claim.id
        assert find_by_supplement_code(code[:5]) is None
        other = f"{(int(code) + 1) % 10**6:06d}"
        assert find_by_supplement_code(other) is None
        assert claim.supplement_code_hash and code not in claim.supplement_code_hash


def test_escpos_output_has_the_case_the_qr_code_at_level_m_and_a_cut(
    app: Flask, kiosk: Kiosk
) -> None:
    submit(kiosk)
    with app.test_request_context():
        claim = the_claim(app)
        receipt = receipt_view(claim)
        dummy = Dummy()
        write_receipt(dummy, receipt, printed_words(receipt))
        output = dummy.output
        url = f"{app.config['PUBLIC_URL']}/t/{claim.tracking_token}".encode()
        assert QR_EC_M in output and url in output
        assert format_case_number(claim.case_number).encode() in output
        assert "陈*华".encode("gb18030") in output
        assert "家人扫一扫，随时查看进度".encode("gb18030") in output
        assert claim.supplement_code[:3].encode() in output
        assert output.endswith(b"\x1dVA\x00") or b"\x1dV" in output[-8:]  # the cut
        for secret in SENSITIVE:
            assert secret.encode() not in output


def test_submitting_prints_on_the_network_printer(
    app: Flask, kiosk: Kiosk, printer: FakePrinter
) -> None:
    app.config["PRINTER"] = printer.url
    page = soup(submit(kiosk))
    assert "回执正在打印" in page.select_one("[data-qa=printer]").get_text()
    printer.wait()
    with app.app_context():
        claim = the_claim(app)
        token_hash = claim.tracking_token_hash
        url = f"{app.config['PUBLIC_URL']}/t/{claim.tracking_token}".encode()
    assert url in printer.received
    printed = len(printer.received)
    # 再打印一张: the same link again, never a second token or a second claim.
    csrf = page.select_one("form[action$='/claim/done/print'] input[name=csrf_token]")["value"]
    again = kiosk.client.post("/claim/done/print", data={"csrf_token": csrf}, follow_redirects=True)
    assert "回执正在打印" in soup(again).get_text()
    printer.wait()
    assert printer.received[printed:].count(url) == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Claim.id))) == 1
        assert the_claim(app).tracking_token_hash == token_hash


@pytest.mark.parametrize("trouble", ["off", "no_paper"])
def test_a_printer_that_is_off_or_out_of_paper_is_said_plainly(
    app: Flask, kiosk: Kiosk, trouble: str
) -> None:
    fake = FakePrinter(paper=NO_PAPER)
    app.config["PRINTER"] = a_closed_port() if trouble == "off" else fake.url
    try:
        page = soup(submit(kiosk))
    finally:
        fake.close()
    message = page.select_one("[data-qa=printer]")
    assert message["role"] == "alert"
    assert ("没有纸" if trouble == "no_paper" else "没有开") in message.get_text()
    # The receipt's content is still on the screen.
    assert page.select_one("[data-qa=case-number]") is not None
    assert len(page.select_one("[data-qa=supplement-code]").get_text().replace(" ", "")) == 6
    assert page.select_one(".done-qr svg") is not None
    if trouble == "no_paper":
        assert b"\x1dV" not in fake.received  # nothing printed, nothing cut


def test_a_printer_that_does_not_answer_the_status_query_still_prints(app: Flask) -> None:
    fake = FakePrinter(paper=None)
    receipt = {
        "case_number": "26 1234 5678",
        "tracking_url": "http://kiosk.example/t/abc",
        "supplement_code": "123 456",
    }
    words = {
        "title": "回执",
        "case_number_label": "报案号",
        "rows": [],
        "body": [],
        "scan": "扫一扫",
        "footer": [],
    }
    try:
        send_receipt(fake.url, receipt, words)
        fake.wait()
    finally:
        fake.close()
    assert b"http://kiosk.example/t/abc" in fake.received


def test_a_printer_address_that_is_not_a_printer_is_refused() -> None:
    with pytest.raises(PrinterProblem) as problem:
        send_receipt(a_closed_port(), {}, {})
    assert problem.value.reason == "off"


def test_without_a_printer_the_done_page_asks_the_browser_to_print_once(kiosk: Kiosk) -> None:
    page = soup(submit(kiosk))
    button = page.select_one("[data-print]")
    assert button["data-print"].endswith("/claim/done/receipt")
    assert button.has_attr("data-print-now")
    again = soup(kiosk.get("/claim/done"))
    assert not again.select_one("[data-print]").has_attr("data-print-now")
    receipt = kiosk.get("/claim/done/receipt")
    assert receipt.status_code == 200
    assert soup(receipt).select_one("[data-qa=case-number]") is not None
