"""The thermal receipt printer, spoken to in ESC/POS (python-escpos): over the network
(`tcp://host:9100`) or USB (`usb://04b8:0202`, vendor and product id in hex). python-escpos
takes seconds to import, so it is imported when a receipt is printed, not with the web app."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from escpos.escpos import Escpos

log = logging.getLogger(__name__)

CHINESE_MODE = b"\x1c\x26"  # FS &: the printer reads two-byte GB18030 characters
CONNECT_SECONDS = 4
STATUS_SECONDS = 1.0  # a printer that does not answer the paper query is printed to anyway
QR_MODULE_DOTS = 8  # 1 mm a module at 203 dpi: a version-4 code is 33 mm, quiet zone apart


class PrinterProblem(Exception):
    """The receipt did not print. `reason` is "off" (cannot reach it), "no_paper" or "error"."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def open_printer(url: str) -> Escpos:
    """A python-escpos printer for `url`; PrinterProblem("off") when it cannot be reached."""
    from escpos.exceptions import Error as EscposError
    from escpos.printer import Network, Usb

    parts = urlsplit(url)
    try:
        if parts.scheme == "tcp":
            printer: Escpos = Network(parts.hostname or "", parts.port or 9100, CONNECT_SECONDS)
        elif parts.scheme == "usb":
            vendor, product = (int(x, 16) for x in parts.netloc.split(":"))
            printer = Usb(vendor, product, timeout=CONNECT_SECONDS * 1000)
        else:
            raise ValueError(f"KIOSK_PRINTER must start with tcp:// or usb://, not {url!r}")
        printer.open()
    except (EscposError, OSError) as exc:
        raise PrinterProblem("off", str(exc)) from exc
    return printer


def _paper_out(printer: Escpos) -> bool:
    """True only when the printer says so; a printer that does not answer is given the job."""
    from escpos.exceptions import Error as EscposError

    device = getattr(printer, "device", None)
    if isinstance(device, socket.socket):
        device.settimeout(STATUS_SECONDS)
    try:
        return printer.paper_status() == 0
    except (EscposError, OSError):
        return False
    finally:
        if isinstance(device, socket.socket):
            device.settimeout(CONNECT_SECONDS)


def _line(printer: Escpos, text: str = "") -> None:
    printer._raw(text.encode("gb18030") + b"\n")  # python-escpos's way to send raw bytes


def write_receipt(printer: Escpos, r: dict[str, Any], words: dict[str, Any]) -> None:
    """The receipt as ESC/POS: large case number, native QR code (error correction M), cut."""
    from escpos.constants import QR_ECLEVEL_M

    printer._raw(CHINESE_MODE)
    printer.set(align="center", bold=True, custom_size=True, width=2, height=2)
    _line(printer, words["title"])
    printer.set(align="center", normal_textsize=True)
    _line(printer, words["case_number_label"])
    printer.set(align="center", bold=True, custom_size=True, width=2, height=3)
    _line(printer, r["case_number"])
    printer.set(align="left", normal_textsize=True)
    for label, value in words["rows"]:
        _line(printer, f"{label}：{value}")
    _line(printer)
    for text in words["body"]:
        _line(printer, text)
    printer.set(align="center", normal_textsize=True)
    printer.qr(r["tracking_url"], ec=QR_ECLEVEL_M, size=QR_MODULE_DOTS, native=True)
    printer.set(align="center", bold=True, double_height=True)
    _line(printer, words["scan"])
    printer.set(align="center", normal_textsize=True)
    for text in words["footer"]:
        _line(printer, text)
    printer.cut()


def send_receipt(url: str, r: dict[str, Any], words: dict[str, Any]) -> None:
    """Print on the printer at `url`, or raise PrinterProblem saying why not."""
    _print(url, lambda printer: write_receipt(printer, r, words))


def send_test_page(url: str, lines: list[str]) -> None:
    """A short test ticket (the back office's 测试打印), or PrinterProblem saying why not."""

    def write(printer: Escpos) -> None:
        printer._raw(CHINESE_MODE)
        printer.set(align="center", normal_textsize=True)
        for text in lines:
            _line(printer, text)
        printer.cut()

    _print(url, write)


def _print(url: str, write: Callable[[Escpos], None]) -> None:
    from escpos.exceptions import Error as EscposError

    printer = open_printer(url)
    try:
        if _paper_out(printer):
            raise PrinterProblem("no_paper")
        write(printer)
    except (EscposError, OSError) as exc:
        raise PrinterProblem("error", str(exc)) from exc
    finally:
        try:
            printer.close()
        except (EscposError, OSError):
            log.warning("printer: could not close %s", url)
