"""The kiosk blueprint: the home page and the step-by-step intake."""

from kiosk.intake import filters, reading, receipt, routes, session, supplement, visit, volunteer  # noqa: F401  (registers views)
from kiosk.intake.blueprint import bp

__all__ = ["bp"]
