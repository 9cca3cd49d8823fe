"""The web entry point for gunicorn: `gunicorn kiosk.wsgi:app`."""

import ctypes
import sys

from kiosk import create_app
from kiosk.platform.database import check_schema_is_current
from kiosk.services import jobs  # noqa: F401  (so web processes can enqueue the jobs)

APP_LOAD_ERROR = 4  # gunicorn stops the whole server, rather than restarting workers forever
M_ARENA_MAX = -8  # glibc's mallopt parameter
GIL_TURN_SECONDS = 0.001  # Python's default is 0.005


def _two_malloc_arenas() -> None:
    """At most two C heaps, however many threads serve: glibc gives each thread its own (up
    to eight a core), and each keeps the memory it freed; 2-3 MB a worker (bench/throughput.py)."""
    try:
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, 2)
    except (OSError, AttributeError):  # not glibc: its own allocator decides
        pass


def _short_gil_turns() -> None:
    """Hand the GIL on after 1 ms instead of 5 (ADR 0053): a request thread back from a
    query, a write or an fsync waits for the running thread's turn to end, and a photo
    upload or a submit comes back from about 15 of them."""
    sys.setswitchinterval(GIL_TURN_SECONDS)


_two_malloc_arenas()
_short_gil_turns()

app = create_app(migrations=False)
try:
    check_schema_is_current(app)
except SystemExit as stop:  # a database behind the code does not heal by trying again
    print(stop, file=sys.stderr)
    raise SystemExit(APP_LOAD_ERROR) from None
