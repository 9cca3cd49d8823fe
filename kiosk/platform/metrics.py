"""Prometheus metrics (issue 16): requests by route and status with their latency, counted
in each web process (multiprocess-safe when PROMETHEUS_MULTIPROC_DIR names a folder shared
by gunicorn's workers). Labels are route names, never paths: a path can hold a token."""

from __future__ import annotations

import time

from flask import Flask, g, request
from prometheus_client import Counter, Histogram
from werkzeug.wrappers import Response

REQUESTS = Counter(
    "kiosk_requests",
    "Requests answered, by route, method and status",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "kiosk_request_seconds",
    "Seconds to answer, by route",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def setup_metrics(app: Flask) -> None:
    @app.before_request
    def start_clock() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def count_request(response: Response) -> Response:
        started = g.pop("metrics_started", None)
        route = request.endpoint or "unmatched"
        REQUESTS.labels(route, request.method, str(response.status_code)).inc()
        if started is not None:
            LATENCY.labels(route).observe(time.perf_counter() - started)
        return response
