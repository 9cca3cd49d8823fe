"""The worker's entry point: `huey_consumer kiosk.worker.huey`."""

from . import create_app, tasks  # noqa: F401  (tasks registers the jobs)
from .database import check_schema_is_current
from .extensions import huey

app = create_app()
check_schema_is_current(app)

__all__ = ["app", "huey"]
