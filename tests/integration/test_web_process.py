"""A web process carries no OCR engine, no numpy and no printer library: the worker reads the
photos, and the printer library is imported when a receipt is printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
