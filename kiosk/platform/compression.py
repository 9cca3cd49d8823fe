"""Pages for the tablets and the families' phones, sent gzip-compressed; staff pages as they are.

A compressed page that holds a secret next to text an attacker chose can leak the secret
through its length (BREACH). Here the CSRF token is signed with the time, so its text
changes every second; the length of every compressed page is blurred by 0-100 random
characters in the gzip header's file name, as Django does ("Heal the BREACH"); and the
back office, whose pages show revealed ID numbers and bank accounts to desk computers that
also browse the web, is not compressed at all (it is on the office network). ADR 0048.
"""

from __future__ import annotations

import gzip
import secrets
from io import BytesIO

from flask import Flask, Response, request

SMALLEST = 1024  # below this gzip saves too little to be worth the CPU
UNCOMPRESSED_PREFIXES = ("/staff",)


def gzipped(body: bytes) -> bytes:
    """body in gzip, with a random file name of random length in its header."""
    out = BytesIO()
    name = secrets.token_hex(secrets.randbelow(51))
    with gzip.GzipFile(filename=name, mode="wb", compresslevel=6, fileobj=out, mtime=0) as f:
        f.write(body)
    return out.getvalue()


def setup_compression(app: Flask) -> None:
    @app.after_request
    def compress_page(response: Response) -> Response:
        if (
            response.mimetype != "text/html"
            or response.direct_passthrough
            or response.is_streamed
            or "Content-Encoding" in response.headers
            or request.path.startswith(UNCOMPRESSED_PREFIXES)
        ):
            return response
        response.vary.add("Accept-Encoding")
        if request.accept_encodings["gzip"] <= 0 or response.status_code < 200:
            return response
        body = response.get_data()
        if len(body) < SMALLEST:
            return response
        response.set_data(gzipped(body))
        response.headers["Content-Encoding"] = "gzip"
        return response
