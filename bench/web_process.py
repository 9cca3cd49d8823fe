"""What a web process costs before its first request: the seconds to import kiosk.wsgi, the
memory it then holds, and which heavy libraries came with it. Each round is a fresh Python.

    .venv/bin/python bench/web_process.py [--rounds 5]

Prints one line a round, then the medians; the last line is exactly
`import_s=S rss_mb=M heavy=NAMES` (issue 14's goals: import <= 1.5 s, a worker <= 80 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from kiosk.cli import WEB_PROCESS_ENVIRONMENT

HEAVY = ["numpy", "cv2", "onnxruntime", "rapidocr", "tesserocr", "escpos", "usb", "pypdfium2"]
CHILD = f"""
import json, resource, sys, time
started = time.perf_counter()
import kiosk.wsgi
seconds = time.perf_counter() - started
rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
heavy = [name for name in {HEAVY!r} if name in sys.modules]
print(json.dumps({{"seconds": seconds, "rss_mb": rss_mb, "heavy": heavy}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as data:
        env = os.environ | {"KIOSK_DATA_DIR": data, "KIOSK_LOG_LEVEL": "WARNING"}
        flask = str(Path(sys.executable).parent / "flask")
        subprocess.run(
            [flask, "--app", "kiosk", "db", "upgrade"], env=env, check=True, capture_output=True
        )
        results = []
        for number in range(rounds + 1):  # the first is a warm-up (the disk cache)
            done = subprocess.run(
                [sys.executable, "-c", CHILD],
                env=env | WEB_PROCESS_ENVIRONMENT,  # -OO, as the web processes run
                check=True,
                capture_output=True,
                text=True,
            )
            result = json.loads(done.stdout.splitlines()[-1])
            if number:
                results.append(result)
                print(f"round {number}: {result['seconds']:.2f} s, {result['rss_mb']:.0f} MB")
    seconds = statistics.median(r["seconds"] for r in results)
    rss = statistics.median(r["rss_mb"] for r in results)
    heavy = ",".join(results[-1]["heavy"]) or "none"
    print(f"import_s={seconds:.2f} rss_mb={rss:.0f} heavy={heavy}")


if __name__ == "__main__":
    main()
