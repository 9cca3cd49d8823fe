"""A web process carries no OCR engine, no numpy, no printer library and no Alembic: the
worker reads the photos, the printer library is imported when a receipt is printed, and
migrations are run by `flask db upgrade`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.demo import tracking_tokens

# What only the worker, the printer or a scanned PDF needs.
NOT_IN_THE_WEB = [
    "numpy",
    "cv2",
    "onnxruntime",
    "rapidocr",
    "tesserocr",
    "escpos",
    "usb",
    "pypdfium2",
    "alembic",  # only `flask db` migrates; the web process reads the version in one query
    "mako",
    "pillow_heif",  # registered at the first HEIC photo
    "qrcode",  # the printer's; the receipt's own QR code is drawn by segno
    "redis",  # with the SQLite queue (the default); huey.storage would import it
    "psycopg",  # with SQLite; huey.storage would import it for a storage the kiosk never uses
    "sqlalchemy.dialects.postgresql",  # with SQLite; a partial index's options loaded it
]
LOADED = "import json, sys; import kiosk.wsgi; print(json.dumps(sorted(sys.modules)))"


def test_the_web_app_loads_without_the_worker_s_and_the_printer_s_libraries(
    tmp_path: Path,
) -> None:
    env = os.environ | {"KIOSK_DATA_DIR": str(tmp_path), "KIOSK_LOG_LEVEL": "WARNING"}
    flask = str(Path(sys.executable).parent / "flask")
    subprocess.run([flask, "--app", "kiosk", "db", "upgrade"], env=env, check=True)
    done = subprocess.run(
        [sys.executable, "-c", LOADED], env=env, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert "kiosk.services.jobs" in loaded  # the web app was loaded whole
    assert [name for name in NOT_IN_THE_WEB if name in loaded] == []


def test_a_web_process_hands_the_gil_on_every_millisecond(tmp_path: Path) -> None:
    """ADR 0053: a thread back from a query or an fsync waits at most 1 ms for its turn."""
    env = os.environ | {"KIOSK_DATA_DIR": str(tmp_path), "KIOSK_LOG_LEVEL": "WARNING"}
    flask = str(Path(sys.executable).parent / "flask")
    subprocess.run([flask, "--app", "kiosk", "db", "upgrade"], env=env, check=True)
    script = "import sys; import kiosk.wsgi; print(sys.getswitchinterval())"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert float(done.stdout.split()[-1]) == pytest.approx(0.001)


def test_a_web_process_on_the_redis_queue_brings_redis_in_and_queues(tmp_path: Path) -> None:
    """The Redis queue still works in a process whose huey was imported without redis."""
    redis_url = os.environ.get("KIOSK_TEST_REDIS_URL")
    if not redis_url:
        if os.environ.get("CI"):
            pytest.fail("KIOSK_TEST_REDIS_URL is not set: CI must run the Redis queue test")
        pytest.skip("needs KIOSK_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)")
    env = os.environ | {
        "KIOSK_DATA_DIR": str(tmp_path),
        "KIOSK_LOG_LEVEL": "WARNING",
        "KIOSK_QUEUE_URL": redis_url,
    }
    flask = str(Path(sys.executable).parent / "flask")
    subprocess.run([flask, "--app", "kiosk", "db", "upgrade"], env=env, check=True)
    script = (
        "import sys; import kiosk.wsgi; "
        "from kiosk.platform.extensions import huey; from kiosk.services import jobs; "
        "assert type(huey.storage).__name__ == 'RedisStorage'; "
        "huey.flush(); jobs.prepare_photo('0' * 32); "  # a job for a file that is not there
        "print(len(huey), huey.storage.conn.ping()); huey.flush()"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["1", "True"]


def test_a_web_process_stops_when_the_database_is_behind_its_migrations(tmp_path: Path) -> None:
    env = os.environ | {"KIOSK_DATA_DIR": str(tmp_path), "KIOSK_LOG_LEVEL": "WARNING"}
    flask = str(Path(sys.executable).parent / "flask")
    subprocess.run([flask, "--app", "kiosk", "db", "upgrade", "0012"], env=env, check=True)
    done = subprocess.run(
        [sys.executable, "-c", "import kiosk.wsgi"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 4  # gunicorn stops rather than restarting workers
    assert "at migration 0012, not " in done.stderr
    subprocess.run([flask, "--app", "kiosk", "db", "upgrade"], env=env, check=True)
    done = subprocess.run([sys.executable, "-c", "import kiosk.wsgi"], env=env)
    assert done.returncode == 0


def test_the_newest_migration_is_found_as_alembic_finds_it() -> None:
    from alembic.script import ScriptDirectory

    from kiosk.platform.database import MIGRATIONS_DIR, migration_head

    assert migration_head() == ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


SERVES_PAGES = """
import json, re, sys
import babel.core, babel.localedata
import kiosk.wsgi
from kiosk.demo import DEMO_STAFF_PASSWORD
token = sys.argv[1]
app = kiosk.wsgi.app
family, staff = app.test_client(), app.test_client()
pages = [family.get("/t/" + token), family.get("/prefs/lang/en"), family.get("/t/" + token)]
login = staff.get("/staff/login").get_data(as_text=True)
csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login).group(1)
staff.post("/staff/login", data={"username": "demo-handler",
                                  "password": DEMO_STAFF_PASSWORD, "csrf_token": csrf})
pages.append(staff.get("/staff/queue"))
print(json.dumps({
    "statuses": [page.status_code for page in pages],
    "dates_shown": [bool(re.search(r"20[0-9][0-9]", page.get_data(as_text=True))) for page in pages],
    "cldr_loaded": babel.core._global_data is not None or bool(babel.localedata._cache),
}))
"""


@pytest.mark.parametrize("flags", [[], ["-OO"]], ids=["plain", "as-deployed"])
def test_pages_show_dates_without_loading_babel_s_cldr_data(
    tmp_path: Path, flags: list[str]
) -> None:
    """5.5 MB a web process (ADR 0051): the family's page in both languages and the staff
    queue write their dates without Babel's locale tables; and so they do in a process
    without docstrings and asserts, as the web processes run (ADR 0055)."""
    env = os.environ | {"KIOSK_DATA_DIR": str(tmp_path), "KIOSK_LOG_LEVEL": "WARNING"}
    flask = [str(Path(sys.executable).parent / "flask"), "--app", "kiosk"]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
    seeded = subprocess.run(
        [*flask, "demo", "seed"], env=env, check=True, capture_output=True, text=True
    ).stdout
    token = tracking_tokens(seeded)[0]
    done = subprocess.run(
        [sys.executable, *flags, "-c", SERVES_PAGES, token],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["statuses"] == [200, 303, 200, 200]
    assert seen["dates_shown"] == [True, False, True, True]
    assert seen["cldr_loaded"] is False
