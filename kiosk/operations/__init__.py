"""For the machines that run the kiosk: /healthz (the process answers) and /readyz (its
database, queue, upload store, worker and OCR queue), JSON, open, with nothing personal."""

from __future__ import annotations

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from kiosk.services.health import readiness

bp = Blueprint("operations", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    response = jsonify(status="ok")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/readyz")
def readyz() -> Response:
    """200 when every part answers, 503 (with which one) when any does not."""
    report = readiness()
    response = jsonify(report)
    response.status_code = 200 if report["ready"] else 503
    response.headers["Cache-Control"] = "no-store"
    return response
