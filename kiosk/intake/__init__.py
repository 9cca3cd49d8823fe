"""The kiosk blueprint: the home page and the step-by-step intake."""

from flask import Blueprint

bp = Blueprint("intake", __name__)

from kiosk.intake import filters, reading, receipt, routes, session, supplement, visit, volunteer  # noqa: E402,F401  (registers views)
