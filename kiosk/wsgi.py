"""The web entry point for gunicorn: `gunicorn kiosk.wsgi:app`."""

import sys

from kiosk import create_app
from kiosk.platform.database import check_schema_is_current
from kiosk.services import jobs  # noqa: F401  (so web processes can enqueue the jobs)

APP_LOAD_ERROR = 4  # gunicorn stops the whole server, rather than restarting workers forever

app = create_app(migrations=False)
try:
    check_schema_is_current(app)
except SystemExit as stop:  # a database behind the code does not heal by trying again
    print(stop, file=sys.stderr)
    raise SystemExit(APP_LOAD_ERROR) from None
