"""Kiosk-styled error pages: a way home, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


def setup_errors(app: Flask) -> None:
    @app.errorhandler(404)
    def not_found(error: HTTPException) -> ResponseReturnValue:
        return render_template("errors/404.html"), 404

    @app.errorhandler(413)
    def too_large(error: HTTPException) -> ResponseReturnValue:
        return render_template("errors/too_large.html"), 413

    @app.errorhandler(CSRFError)
    def expired(error: CSRFError) -> ResponseReturnValue:
        return render_template("errors/expired.html"), 400

    @app.errorhandler(HTTPException)
    def other_http(error: HTTPException) -> ResponseReturnValue:
        return render_template("errors/http.html", code=error.code), error.code or 500

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> ResponseReturnValue:
        # The traceback goes to the log (which holds no personal values), never to the page.
        log.exception("unhandled error")
        try:
            return render_template("errors/500.html"), 500
        except Exception:  # the template itself failed: plain words, still no trace
            return (
                "系统出了点问题，请找工作人员帮忙。 Something went wrong: please ask the staff.",
                500,
                {"Content-Type": "text/plain; charset=utf-8"},
            )
