"""OCR accuracy and speed on photos with ground truth: python bench/ocr.py DIR [--engine NAME].

Every image in DIR with a JSON file of the same name beside it (the keys of
`python -m kiosk.ocr`) is read once, in this process, as a worker would read it: the models
load once, before the clock starts. Printed: per-field accuracy, the share of documents whose
critical fields are all right, the share whose every field is right, median and p95 seconds
per image, and the process's peak memory. The last line sums it up for scripts.

Test photos: python -m kiosk.ocr.samples DIR (invented receipts and ID cards).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.ocr.fields import SURE  # noqa: E402
from kiosk.ocr.reader import read_document  # noqa: E402

CRITICAL = {"receipt": ("total", "issue_date", "invoice_number"), "id_card": ("id_number", "name")}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic"}


def documents(directory: Path) -> list[tuple[Path, dict]]:
    found = []
    for image in sorted(directory.iterdir()):
        truth = image.with_suffix(".json")
        if image.suffix.lower() in IMAGE_SUFFIXES and truth.exists():
            found.append((image, json.loads(truth.read_text(encoding="utf-8"))))
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--engine", choices=("rapidocr", "tesseract"))
    parser.add_argument("--limit", type=int, default=0, help="read only the first N documents")
    parser.add_argument("--show-misses", action="store_true")
    arguments = parser.parse_args()
    if arguments.engine:
        os.environ["KIOSK_OCR_ENGINE"] = arguments.engine
    found = documents(arguments.directory)
    if arguments.limit:
        found = found[: arguments.limit]
    if not found:
        sys.exit(f"no images with ground truth in {arguments.directory}")

    read_document(found[0][0], found[0][1]["doc_type"])  # load the models: not timed
    seconds: list[float] = []
    right: dict[str, dict[str, list[bool]]] = {}
    critical_ok: dict[str, list[bool]] = {}
    all_ok: dict[str, list[bool]] = {}
    sure_but_wrong: list[str] = []  # the dangerous case: a wrong value the reader is sure of
    sure_count = 0
    for image, truth in found:
        kind = truth["doc_type"]
        started = time.perf_counter()
        result = read_document(image, kind)
        seconds.append(time.perf_counter() - started)
        per_field = right.setdefault(kind, {})
        for key, expected in truth.items():
            ok = result.get(key) == expected
            if result.get("confidence", {}).get(key, 0) >= SURE and result.get(key) is not None:
                sure_count += 1
                if not ok:
                    sure_but_wrong.append(f"{image.name} {key}")
            per_field.setdefault(key, []).append(ok)
            if not ok and arguments.show_misses:
                print(f"  miss {image.name} {key}: read {result.get(key)!r}, truth {expected!r}")
        critical_ok.setdefault(kind, []).append(
            all(result.get(key) == truth[key] for key in CRITICAL[kind])
        )
        all_ok.setdefault(kind, []).append(all(result.get(k) == v for k, v in truth.items()))

    engine = os.environ.get("KIOSK_OCR_ENGINE", "rapidocr")
    print(f"engine {engine}, {len(found)} documents in {arguments.directory}")
    for kind, fields in right.items():
        print(f"{kind}: {len(all_ok[kind])} documents")
        for key, oks in fields.items():
            if key != "doc_type":
                print(f"  {key:16} {100 * sum(oks) / len(oks):6.1f}% right")
        print(
            f"  critical fields all right {100 * sum(critical_ok[kind]) / len(critical_ok[kind]):6.1f}%"
        )
        print(f"  every field right         {100 * sum(all_ok[kind]) / len(all_ok[kind]):6.1f}%")
    print(
        f"fields marked sure: {sure_count}, of which wrong: {len(sure_but_wrong)}"
        + (f" ({', '.join(sure_but_wrong[:5])})" if sure_but_wrong else "")
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    median, p95 = statistics.median(seconds), percentile(seconds, 0.95)
    print(f"seconds per image: median {median:.2f}, p95 {p95:.2f}; peak memory {peak_mb:.0f} MB")
    summary = " ".join(
        f"{kind}_critical={100 * sum(critical_ok[kind]) / len(critical_ok[kind]):.1f}"
        f" {kind}_every={100 * sum(all_ok[kind]) / len(all_ok[kind]):.1f}"
        for kind in right
    )
    print(
        f"engine={engine} {summary} sure_wrong={len(sure_but_wrong)} median_s={median:.2f} p95_s={p95:.2f} peak_mb={peak_mb:.0f}"
    )


if __name__ == "__main__":
    main()
