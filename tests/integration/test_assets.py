"""Static files: named by their content's hash and kept a year, compressed when the browser
accepts it; the same bytes whatever the name or the encoding."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from flask.testing import FlaskClient

from kiosk.platform.assets import Assets

STATIC = Path(__file__).resolve().parents[2] / "kiosk/static"
HASHED = re.compile(r"/static/css/kiosk\.[0-9a-f]{12}\.css")


def test_a_page_links_its_files_by_hashed_names_kept_for_a_year(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    url = HASHED.search(page)
    assert url, "the home page links css/kiosk.css by its hashed name"
    assert "/static/vendor/htmx/htmx-2.0.11.min." in page
    response = client.get(url.group(0))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.get_data() == (STATIC / "css/kiosk.css").read_bytes()
    assert "Content-Encoding" not in response.headers


def test_css_and_js_are_sent_compressed_to_a_browser_that_accepts_it(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    url = HASHED.search(page)
    assert url
    response = client.get(url.group(0), headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    body = response.get_data()
    assert gzip.decompress(body) == (STATIC / "css/kiosk.css").read_bytes()
    assert len(body) < (STATIC / "css/kiosk.css").stat().st_size / 3


def test_a_plain_name_is_still_served_and_an_unknown_hash_is_not(client: FlaskClient) -> None:
    plain = client.get("/static/css/kiosk.css")
    assert plain.status_code == 200
    assert "immutable" not in plain.headers.get("Cache-Control", "")
    assert client.get("/static/css/kiosk.000000000000.css").status_code == 404


def test_a_changed_file_gets_a_new_name(tmp_path: Path) -> None:
    (tmp_path / "app.js").write_text("one")
    before = Assets(tmp_path).hashed["app.js"]
    (tmp_path / "app.js").write_text("two")
    after = Assets(tmp_path).hashed["app.js"]
    assert before != after and before.startswith("app.") and before.endswith(".js")


def test_links_kept_by_the_process_follow_the_path_the_site_is_served_under(
    client: FlaskClient,
) -> None:
    """Templates build an argument-free link once (a staff page has twenty in its menu); the
    same process serving the site under a prefix (a proxy's /kiosk) links under that prefix."""
    plain = client.get("/").get_data(as_text=True)
    prefixed = client.get("/", environ_overrides={"SCRIPT_NAME": "/kiosk"}).get_data(as_text=True)
    again = client.get("/").get_data(as_text=True)
    css = HASHED.search(plain)
    assert css
    assert f'href="{css.group(0)}"' in plain and f'href="{css.group(0)}"' in again
    assert f'href="/kiosk{css.group(0)}"' in prefixed
    assert 'href="/prefs/' in plain and 'href="/kiosk/prefs/' in prefixed
    assert 'href="/kiosk/prefs/' not in again
