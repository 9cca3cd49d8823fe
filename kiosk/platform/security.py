"""Response headers (a strict Content-Security-Policy, no inline script or style anywhere) and
the one limit shared by two blueprints: guesses at a case number."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

from kiosk.claims.case_numbers import normalise_case_number
from kiosk.platform import once
from kiosk.platform.extensions import csrf, limiter

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The kiosk prints the receipt from a hidden frame of its own page, and nothing else frames.
CSP_FRAMED_BY_SELF = CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'")


# Per case number, whoever asks and through whichever door (查询进度 at /track, 补交材料 at
# /supplement): guessing the six ID characters of one case from many addresses is as slow as
# from one.
CASE_LIMIT = "10 per hour"
case_number_guesses = limiter.shared_limit(
    CASE_LIMIT,
    scope="case-number",
    key_func=lambda: normalise_case_number(request.form.get("case_number", "")),
    methods=["POST"],
    exempt_when=lambda: request.form.get("by", "case") != "case",
)


def framed_by_self(response: Response) -> Response:
    """Let this one response be shown in a frame of the kiosk's own pages."""
    response.headers["Content-Security-Policy"] = CSP_FRAMED_BY_SELF
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def setup_security(app: Flask) -> None:
    csrf.init_app(app)
    limiter.init_app(app)
    app.jinja_env.globals["once_field"] = once.field

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "geolocation=(), microphone=()")
        # The same URL answers with a whole page or an htmx fragment.
        response.vary.add("HX-Request")
        if response.mimetype == "text/html":
            # Pages may hold personal data: never kept in a shared tablet's cache.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
