"""Kiosk and family pages go gzip-compressed, their lengths blurred; staff pages do not (ADR 0048)."""

from __future__ import annotations

import gzip

from flask import Flask
from flask.testing import FlaskClient

from kiosk.platform.models import StaffRole
from tests.integration.desk import desk, make_staff
from tests.integration.test_intake import Kiosk

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_the_home_page_is_sent_compressed_to_a_browser_that_accepts_it(
    client: FlaskClient,
) -> None:
    plain = client.get("/")
    assert "Content-Encoding" not in plain.headers and "Accept-Encoding" in plain.headers["Vary"]
    packed = client.get("/", headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
    html = gzip.decompress(packed.data).decode()
    assert html.startswith("<!doctype html>") and html.rstrip().endswith("</html>")
    title = plain.get_data(as_text=True).split("<title>")[1].split("</title>")[0]
    assert f"<title>{title}</title>" in html  # the same page


def test_a_browser_that_refuses_gzip_gets_the_page_as_it_is(client: FlaskClient) -> None:
    for refusing in ({"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip;q=0, br"}):
        page = client.get("/", headers=refusing)
        assert "Content-Encoding" not in page.headers
        assert page.data.startswith(b"<!doctype html>")


def test_the_same_page_compresses_to_lengths_that_vary(client: FlaskClient) -> None:
    """Heal the BREACH: an observer of lengths learns less from each answer."""
    lengths = {len(client.get("/", headers=GZIP).data) for _ in range(12)}
    assert len(lengths) >= 4


def test_an_intake_step_is_compressed_with_its_form(kiosk: Kiosk) -> None:
    step = kiosk.get("/claim/who", headers=GZIP)
    assert step.headers.get("Content-Encoding") == "gzip"
    assert "csrf_token" in gzip.decompress(step.data).decode()


def test_staff_pages_are_never_compressed(app: Flask) -> None:
    with app.app_context():
        make_staff("handler", StaffRole.HANDLER)
    d = desk(app, "handler")
    for path in ("/staff/login", "/staff/"):
        page = d.client.get(path, headers=GZIP, follow_redirects=True)
        assert page.status_code == 200 and "Content-Encoding" not in page.headers
