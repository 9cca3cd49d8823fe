"""Static files under names that carry a hash of their content (`css/kiosk.3f2a9c1b0d4e.css`),
so a browser keeps each for a year without asking again and fetches it anew only when it
changes; CSS, JS and SVG go gzip-compressed to browsers that accept it. The files hold no
personal data, so every cache may keep them. A plain name still works, revalidated as before."""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request
from werkzeug.wrappers import Response

IMMUTABLE = "public, max-age=31536000, immutable"
COMPRESSED = {".css", ".js", ".svg"}


@dataclass(frozen=True)
class Asset:
    mimetype: str
    body: bytes
    gzipped: bytes | None


class Assets:
    """Every file of the static folder, read once at start: its hashed name and its bytes."""

    def __init__(self, folder: Path) -> None:
        self.hashed: dict[str, str] = {}  # css/kiosk.css -> css/kiosk.<hash>.css
        self.files: dict[str, Asset] = {}  # css/kiosk.<hash>.css -> the file
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix()
            body = path.read_bytes()
            digest = hashlib.sha256(body).hexdigest()[:12]
            hashed = str(Path(name).with_suffix(f".{digest}{path.suffix}"))
            mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            small = gzip.compress(body, mtime=0) if path.suffix in COMPRESSED else None
            self.hashed[name] = hashed
            self.files[hashed] = Asset(mimetype, body, small)

    def response(self, hashed: str) -> Response | None:
        """The file under its hashed name, compressed if the browser accepts it; None if no
        file has that name."""
        asset = self.files.get(hashed)
        if asset is None:
            return None
        compressed = asset.gzipped is not None and "gzip" in request.accept_encodings
        body = asset.gzipped if compressed and asset.gzipped is not None else asset.body
        response = Response(body, mimetype=asset.mimetype)
        if compressed:
            response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["Cache-Control"] = IMMUTABLE
        return response


def setup_assets(app: Flask) -> None:
    """`url_for("static", filename=...)` gives the hashed name, and the static view serves it."""
    assert app.static_folder is not None
    assets = Assets(Path(app.static_folder))

    @app.url_defaults
    def hashed_name(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = assets.hashed.get(values["filename"], values["filename"])

    def static(filename: str) -> Response:
        response = assets.response(filename)
        return response if response is not None else app.send_static_file(filename)

    app.view_functions["static"] = static
    setup_template_links(app)


def setup_template_links(app: Flask) -> None:
    """Templates build a link to a page without arguments, or to a static file, once per
    process: such a link is the same on every page (a staff page has twenty in its menu, each
    a route look-up). A link with arguments is built each time, as before."""
    build = app.url_for
    made: dict[tuple[str, str, str], str] = {}

    def url_for(endpoint: str, **values: Any) -> str:
        plain = not values or (endpoint == "static" and values.keys() == {"filename"})
        if not plain or endpoint.startswith(".") or not has_request_context():
            return build(endpoint, **values)
        key = (endpoint, values.get("filename", ""), request.script_root)
        link = made.get(key)
        if link is None:
            link = made[key] = build(endpoint, **values)
        return link

    app.jinja_env.globals["url_for"] = url_for
