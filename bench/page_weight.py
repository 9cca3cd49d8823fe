"""Print the bytes of each kiosk page as served: HTML plus the CSS, JS and images it links."""

from __future__ import annotations

import gzip
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from cryptography.fernet import Fernet

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
            DATA_DIR=data, QUEUE_URL="immediate", ENCRYPTION_KEYS=(Fernet.generate_key().decode(),)
        )
    )
    client = app.test_client()
    print(f"{'page':<16}{'html':>8}{'css':>8}{'js':>8}{'img':>8}{'total':>9}{'gzip':>9}")
    for path in PAGES:
        html = client.get(path).get_data()
        parser = Assets()
        parser.feed(html.decode())
        sizes = {"html": len(html), "css": 0, "js": 0, "img": 0}
        zipped = len(gzip.compress(html))
        for kind, url in parser.found:
            body = client.get(url).get_data()
            sizes[kind] += len(body)
            zipped += len(gzip.compress(body))
        total = sum(sizes.values())
        print(
            f"{path:<16}{sizes['html']:>8}{sizes['css']:>8}{sizes['js']:>8}{sizes['img']:>8}"
            f"{total:>9}{zipped:>9}"
        )


if __name__ == "__main__":
    main()
