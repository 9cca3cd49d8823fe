"""How soon the waiting panel shows a finished reading, and what the waiting costs the server.

    .venv/bin/python bench/waiting.py [--rounds 20] [--code DIR]

Runs the kiosk as a new machine would (gunicorn and the real OCR worker, SQLite, a temporary
KIOSK_DATA_DIR) and Debian's chromium. Each round photographs a generated ID card on the
identity step, as a person would, and waits for the confirmation. The browser notes the
moment the confirmation heading appears (checked every animation frame); the reading's
finished_at is in the database: the difference is how long the person waited for nothing.
Every request the page made from the upload to the confirmation is counted (photos and
static files apart). `--code DIR` runs another tree's kiosk/ (for instance an older commit's
worktree) under the same bench. Last line: `shown_p95_ms=NN requests_per_wait=R rounds=N`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import BIN, Server, flask_command, free_port, kiosk_environment, snapshot_code  # noqa: E402

from kiosk.ocr.samples import id_card  # noqa: E402

CONFIRM = "请核对身份证上的信息"
SEEN = f"""() => {{
  const h1 = document.querySelector("h1");
  if (h1 && h1.textContent.includes("{CONFIRM}")) {{ window.__seen ||= Date.now(); return true; }}
  return false;
}}"""


def card(n: int) -> bytes:
    out = BytesIO()
    number = f"44051419481231{n % 1000:03d}X"[:18]
    id_card(random.Random(n), name="陈美华", number=number).image.save(out, "JPEG", quality=90)
    return out.getvalue()


def counted(url: str, kept: list[str]) -> None:
    """A request the waiting costs the server: not a photo, not a static file."""
    if "/static/" not in url and "/claim/photos/" not in url:
        kept.append(url)


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--code", type=Path, help="a folder with kiosk/ and migrations/")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-waiting-"))
    code = args.code or snapshot_code(folder / "code")
    data_dir, port = folder / "data", free_port()
    env = kiosk_environment(data_dir, code, port)
    subprocess.run(
        [str(BIN / "pybabel"), "compile", "-d", str(code / "kiosk/translations")],
        capture_output=True,
        check=True,
    )
    flask_command(env, "db", "upgrade")
    server = Server(env, port, 1, 8, folder / "server.log")
    worker_log = (folder / "worker.log").open("ab")
    worker = subprocess.Popen(
        [str(BIN / "huey_consumer"), "kiosk.worker.huey", "-w", "1"],
        env=env,
        cwd=code,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    database = sa.create_engine(f"sqlite:///{data_dir}/kiosk.db")
    shown: list[float] = []
    asked: list[int] = []
    try:
        server.start()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium")
            for n in range(args.rounds):
                context = browser.new_context(locale="zh-CN", has_touch=True)
                page = context.new_page()
                page.goto(f"{server.url}/claim")
                page.get_by_text("我是被保险人本人", exact=True).tap()
                page.get_by_role("button", name="下一步").tap()
                page.locator("#photo").wait_for()
                requests: list[str] = []
                page.on("request", lambda r, kept=requests: counted(r.url, kept))
                page.locator("#photo").set_input_files(
                    files=[{"name": "card.jpg", "mimeType": "image/jpeg", "buffer": card(n)}]
                )
                page.wait_for_function(SEEN, polling="raf", timeout=180_000)
                seen = page.evaluate("window.__seen") / 1000
                with database.connect() as c:
                    finished = c.execute(
                        sa.text("SELECT finished_at FROM ocr_reading ORDER BY id DESC LIMIT 1")
                    ).scalar_one()
                done = datetime.fromisoformat(str(finished)).replace(tzinfo=UTC).timestamp()
                shown.append((seen - done) * 1000)
                asked.append(len(requests) - 1)  # the upload itself is not waiting
                context.close()
                print(f"  round {n + 1}: shown {shown[-1]:.0f} ms after, {asked[-1]} requests")
            browser.close()
    finally:
        server.kill()
        worker.terminate()
        worker.wait()
    print(
        f"shown after the reading: median {statistics.median(shown):.0f} ms, p95 {p95(shown):.0f}"
    )
    print(f"requests while waiting: median {statistics.median(asked):g}, most {max(asked)}")
    print(
        f"shown_p95_ms={p95(shown):.0f} "
        f"requests_per_wait={statistics.mean(asked):.1f} rounds={args.rounds}"
    )


if __name__ == "__main__":
    main()
