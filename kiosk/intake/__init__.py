"""The kiosk blueprint: the home page and the step-by-step intake."""

from kiosk.intake import (  # noqa: F401  (registers views)
    device,
    filters,
    reading,
    receipt,
    routes,
    session,
    supplement,
    visit,
    volunteer,
)
from kiosk.intake.blueprint import bp

__all__ = ["bp"]
