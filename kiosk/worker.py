"""The worker's entry point: `huey_consumer kiosk.worker.huey`."""

from kiosk import create_app, tasks  # noqa: F401  (tasks registers the jobs)
from kiosk.platform.database import check_schema_is_current
from kiosk.platform.extensions import huey

app = create_app()
check_schema_is_current(app)

__all__ = ["app", "huey"]
