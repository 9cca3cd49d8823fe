"""A web-only machine (issue 16): installed from requirements-web.lock, without the OCR
engines. Here a fresh process is kept from importing them at all, and a whole claim with a
photo goes through the kiosk and the back office; the photo waits for a worker to read it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OCR_ONLY = ("rapidocr", "onnxruntime", "cv2", "numpy", "tesserocr", "opencc")

SCRIPT = """
import importlib.abc, sys
BLOCKED = set(sys.argv[2].split(","))

class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (a web-only machine)")
        return None

sys.meta_path.insert(0, NotInstalled())
from pathlib import Path
from flask_migrate import upgrade
from kiosk import create_app
from kiosk.platform.config import Config
from tests.integration.test_intake import SELF_MEDICAL, Kiosk, soup
from tests.integration.test_intake_documents import photo, upload

data = Path(sys.argv[1])
config = Config(DATA_DIR=data, SECRET_KEY="w" * 40, QUEUE_URL=f"sqlite:///{data / 'q.db'}",
                ENROL_THIS_MACHINE=True, PASSWORD_HASH_COST="test", TESTING=True,
                OCR_TIMEOUT_SECONDS=0)  # no worker here: the person types the total
app = create_app(config)
with app.app_context():
    upgrade()
kiosk = Kiosk(app.test_client())
kiosk.through(*SELF_MEDICAL[:6])
assert upload(kiosk, "medical_receipt", (photo(), "r.jpg")).status_code in (200, 303)
kiosk.through(("documents", {}))
amounts = soup(kiosk.get("/claim/receipts")).select("input[name^=amount-]")
kiosk.through(("receipts", {i["name"]: "100" for i in amounts}), SELF_MEDICAL[-1])
kiosk.through(("check", {"consent": "yes"}))
assert kiosk.get("/claim/done").status_code == 200
assert "numpy" not in sys.modules and "rapidocr" not in sys.modules
print("whole claim without the OCR engines")
"""


def test_the_web_runs_without_the_ocr_engines(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), ",".join(OCR_ONLY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert "whole claim without the OCR engines" in done.stdout


def test_the_web_lock_leaves_the_ocr_engines_out() -> None:
    web = (ROOT / "requirements-web.lock").read_text()
    full = (ROOT / "requirements.lock").read_text()
    for package in ("rapidocr", "onnxruntime", "opencv-python-headless", "numpy", "tesserocr"):
        assert f"\n{package}==" in full and f"\n{package}==" not in web, package
    pins = {line.split(" ")[0] for line in full.splitlines() if "==" in line and line[0] != " "}
    for line in web.splitlines():
        if "==" in line and line[0] not in " #":
            assert line.split(" ")[0] in pins, line  # the same versions as the full lock
