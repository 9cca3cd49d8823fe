"""The family's tracking page, /t/<token>: the case's progress, on a phone, with no login."""

from flask import Blueprint

bp = Blueprint("tracking", __name__)

from kiosk.tracking import routes  # noqa: E402,F401  (registers views)
