"""For the machines that run the kiosk: /healthz (the process answers), /readyz (its
database, queue, upload store, worker and OCR queue) and /metrics (Prometheus)."""

from __future__ import annotations

import ipaddress
import os

from flask import Blueprint, abort, current_app, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from werkzeug.wrappers import Response

from kiosk.services.health import readiness
from kiosk.services.metrics import KioskFigures

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


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus: this process's (or, under gunicorn with PROMETHEUS_MULTIPROC_DIR, every
    worker's) request counts and latencies, and the database's figures. Only for the
    addresses of KIOSK_METRICS_FROM (this machine by default): the figures are the
    district's business."""
    address = ipaddress.ip_address(request.remote_addr or "0.0.0.0")
    if not any(address in network for network in current_app.config["METRICS_NETWORKS"]):
        abort(404)
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    figures = CollectorRegistry()
    figures.register(KioskFigures())
    response = Response(
        generate_latest(registry) + generate_latest(figures), mimetype=CONTENT_TYPE_LATEST
    )
    response.headers["Cache-Control"] = "no-store"
    return response
