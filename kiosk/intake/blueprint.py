"""The kiosk blueprint, which every view module of kiosk.intake adds its views to."""

from flask import Blueprint

bp = Blueprint("intake", __name__)
