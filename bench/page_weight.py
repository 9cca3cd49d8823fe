"""Print the bytes of each kiosk page as served: HTML plus the CSS, JS and images it links;
`first` is what a browser that accepts gzip is sent on its first view, `second` on the next
(files kept for a year are not asked for again). Last line:
`home_first_kb=F home_second_kb=S` (issue 14's goals: 30 and 6)."""

from __future__ import annotations

import gzip
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from cryptography.fernet import Fernet
from flask_migrate import upgrade

from kiosk import create_app
from kiosk.platform.config import Config

PAGES = ["/", "/claim/who", "/no-such-page"]


class Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.found.append(("css", a["href"]))
        elif tag == "script" and a.get("src"):
            self.found.append(("js", a["src"]))
        elif tag == "img" and a.get("src"):
            self.found.append(("img", a["src"]))


def main() -> None:
    data = Path(tempfile.mkdtemp())
    app = create_app(
        Config(
            DATA_DIR=data,
            QUEUE_URL="immediate",
            ENCRYPTION_KEYS=(Fernet.generate_key().decode(),),
            ENROL_THIS_MACHINE=True,  # the test client plays an enrolled tablet
        )
    )
    with app.app_context():
        upgrade()  # a fresh database, as `make run` makes it
    client = app.test_client()
    gzip_ok = {"Accept-Encoding": "gzip, deflate, br"}
    print(
        f"{'page':<16}{'html':>8}{'css':>8}{'js':>8}{'img':>8}{'total':>9}{'gzip':>9}"
        f"{'first':>9}{'second':>9}"
    )
    for path in PAGES:
        answer = client.get(path)
        assert answer.status_code in (200, 404), f"{path}: {answer.status_code}"
        html = answer.get_data()
        parser = Assets()
        parser.feed(html.decode())
        sizes = {"html": len(html), "css": 0, "js": 0, "img": 0}
        zipped = len(gzip.compress(html))
        page = client.get(path, headers=gzip_ok).get_data()  # compressed outside /staff
        first = second = len(page)  # the page itself is asked for on every view
        for kind, url in parser.found:
            body = client.get(url).get_data()
            sizes[kind] += len(body)
            zipped += len(gzip.compress(body))
            sent = client.get(url, headers=gzip_ok)
            first += len(sent.get_data())
            if "immutable" not in sent.headers.get("Cache-Control", ""):
                second += len(sent.get_data())  # asked for again (revalidated at best)
        total = sum(sizes.values())
        print(
            f"{path:<16}{sizes['html']:>8}{sizes['css']:>8}{sizes['js']:>8}{sizes['img']:>8}"
            f"{total:>9}{zipped:>9}{first:>9}{second:>9}"
        )
        if path == "/":
            home = (first, second)
    print(f"home_first_kb={home[0] / 1024:.1f} home_second_kb={home[1] / 1024:.1f}")


if __name__ == "__main__":
    main()
