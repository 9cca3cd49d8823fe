"""The worker's entry point: `huey_consumer kiosk.worker.huey`."""

from . import create_app, tasks  # noqa: F401  (tasks registers the jobs)
from .extensions import huey

app = create_app()

__all__ = ["app", "huey"]
