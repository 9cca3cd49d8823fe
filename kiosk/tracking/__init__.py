"""The family's tracking page, /t/<token>: the case's progress, on a phone, with no login."""

from kiosk.tracking import routes  # noqa: F401  (registers views)
from kiosk.tracking.blueprint import bp

__all__ = ["bp"]
