"""The web entry point for gunicorn: `gunicorn kiosk.wsgi:app`."""

from . import create_app, tasks  # noqa: F401  (so web processes can enqueue the jobs)

app = create_app()
