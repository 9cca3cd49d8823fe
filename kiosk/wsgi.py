"""The web entry point for gunicorn: `gunicorn kiosk.wsgi:app`."""

from . import create_app, tasks  # noqa: F401  (so web processes can enqueue the jobs)
from .database import check_schema_is_current

app = create_app()
check_schema_is_current(app)
