"""The worker's entry point: `huey_consumer kiosk.worker.huey`."""

from kiosk import create_app
from kiosk.platform.database import check_schema_is_current
from kiosk.platform.extensions import huey
from kiosk.services import jobs  # noqa: F401  (registers the jobs)

app = create_app(migrations=False)
check_schema_is_current(app)

__all__ = ["app", "huey"]
