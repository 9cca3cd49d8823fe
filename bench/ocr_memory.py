"""Does the OCR worker's memory stay flat? One process reads many photos, as the worker does.

    .venv/bin/python bench/ocr_memory.py [--readings 500] [--pool 40]

Draws a pool of photos (receipts of every development family and ID cards, mild and hard
tiers, each its own size) as JPEG files, in a process of its own (drawing leaves its own
memory behind), then, in this one, decodes
and reads them in turn (`load_image`, `read_image`: what the worker's job does with a
stored photo), `--readings` times. Prints the process's resident memory
after the engines' first page and every 50 readings, and its peak; the last line is
`rss_after_first_mb=A rss_last_mb=L peak_mb=P growth_mb_per_100=G readings=N`, G being
the slope of the resident memory over the second half of the run.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.ocr.images import load_image  # noqa: E402
from kiosk.ocr.reader import read_image  # noqa: E402
from kiosk.ocr.samples import DEVELOPMENT, FAMILIES, id_card, jpeg_bytes, sample  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 2**20


def draw(size: int, folder: Path) -> None:
    """The pool, as files named by kind: receipt-07.jpg, id_card-03.jpg."""
    rng = random.Random(14)
    families = [f for f in DEVELOPMENT if FAMILIES[f][0] == "receipt"]
    for n in range(size):
        tier = "hard" if n % 3 == 2 else "mild"
        if n % 4 == 3:
            kind, image = "id_card", id_card(rng, tier=tier).image
        else:
            kind, image = "receipt", sample(families[n % len(families)], tier, rng).image
        (folder / f"{kind}-{n:02d}.jpg").write_bytes(jpeg_bytes(image))


def pool(size: int) -> list[tuple[str, bytes]]:
    folder = Path(tempfile.mkdtemp(prefix="bench-ocr-memory-"))
    subprocess.run(
        [sys.executable, __file__, "--draw", str(folder), "--pool", str(size)], check=True
    )
    return [(p.name.split("-")[0], p.read_bytes()) for p in sorted(folder.glob("*.jpg"))]


def slope(points: list[tuple[int, float]]) -> float:
    """Least-squares MB per reading."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    spread = sum((x - mx) ** 2 for x, _ in points) or 1.0
    return sum((x - mx) * (y - my) for x, y in points) / spread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=500)
    parser.add_argument("--pool", type=int, default=40)
    parser.add_argument("--draw", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.draw:
        return draw(args.pool, args.draw)
    photos = pool(args.pool)
    print(f"pool of {len(photos)} photos drawn; {rss_mb():.0f} MB before reading")
    started = time.perf_counter()
    after_first = 0.0
    points: list[tuple[int, float]] = []
    for n in range(1, args.readings + 1):
        kind, data = photos[(n - 1) % len(photos)]
        read_image(load_image(data).image, kind)
        points.append((n, rss_mb()))
        if n == 1:
            after_first = points[-1][1]
        if n == 1 or n % 50 == 0:
            rate = n / (time.perf_counter() - started)
            print(f"  after {n:4} readings: {points[-1][1]:5.0f} MB ({rate:.2f} readings/s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    growth = slope(points[len(points) // 2 :]) * 100
    print(
        f"rss_after_first_mb={after_first:.0f} rss_last_mb={points[-1][1]:.0f} "
        f"peak_mb={peak:.0f} growth_mb_per_100={growth:.1f} readings={args.readings}"
    )


if __name__ == "__main__":
    main()
