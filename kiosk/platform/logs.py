"""The log's two forms: plain lines (the default) or one JSON object a line
(KIOSK_LOG_FORMAT=json), each with the request's id. What is logged never carries a
personal value; the id lets a line be matched with the proxy's and the other processes'."""

from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from werkzeug.wrappers import Response

TEXT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")  # what a proxy's id may look like


class RequestId(logging.Filter):
    """Every record gets `request_id`: the request's, or "-" outside one."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class JsonLines(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request id, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class KioskHandler(logging.StreamHandler):
    """The kiosk's own handler on the root logger (stderr), told apart from a host's."""


def setup_logging(level: str, form: str = "text") -> None:
    """One handler on the root logger (once per process, and only where the host, such as
    pytest, has put none), in the configured form and at the configured level."""
    root = logging.getLogger()
    root.setLevel(level)
    if not root.handlers:
        ours = KioskHandler()
        ours.addFilter(RequestId())
        root.addHandler(ours)
    for handler in root.handlers:
        if isinstance(handler, KioskHandler):
            handler.setFormatter(JsonLines() if form == "json" else logging.Formatter(TEXT))
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    # huey's consumer logs through a handler of its own.
    logging.getLogger("huey").propagate = False


def setup_request_ids(app: Flask) -> None:
    """Take the proxy's X-Request-Id when it looks like one, else make one; send it back."""

    @app.before_request
    def take_request_id() -> None:
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex

    @app.after_request
    def give_request_id(response: Response) -> Response:
        if "request_id" in g:
            response.headers["X-Request-Id"] = g.request_id
        return response
