"""The tracking blueprint, which every view module of kiosk.tracking adds its views to."""

from flask import Blueprint

bp = Blueprint("tracking", __name__)
