"""OCR accuracy and speed on photos with ground truth: python bench/ocr.py DIR [--engine NAME].

Every image in DIR with a JSON file of the same name beside it (the keys of
`python -m kiosk.ocr`, plus "_family" and "_tier" when the photo says where it came from, and
"_redacted" or "_truncated": fields a real photo's publisher whited out, not scored) is
read once, in this process, as a worker would read it: the models load once, before the clock
starts. Printed: per-field accuracy per document kind; the share of documents whose critical
fields are all right and the share of fields right, per layout family and per photo tier;
fields marked sure but wrong (the dangerous case); median and p95 seconds per image; the
process's peak memory. The last line sums it up for scripts:

    receipt_critical=R id_critical=I receipt_fields=F id_fields=G sure_wrong=W median_s=M p95_s=P

Test photos: python -m kiosk.ocr.samples DIR (invented documents in several layout families).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.ocr.fields import SURE  # noqa: E402
from kiosk.ocr.reader import CRITICAL_FIELDS, read_document  # noqa: E402

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


def share(oks: list[bool]) -> float:
    return sum(oks) / len(oks) if oks else float("nan")


class Tally:
    """Critical-fields-all-right per document, right-or-not per field and seconds per
    document, for one group."""

    def __init__(self) -> None:
        self.critical: list[bool] = []
        self.fields: list[bool] = []
        self.seconds: list[float] = []

    def add(self, critical: bool, fields: list[bool], seconds: float) -> None:
        self.critical.append(critical)
        self.fields.extend(fields)
        self.seconds.append(seconds)

    def line(self, name: str) -> str:
        return (
            f"  {name:28} {len(self.critical):4} docs  critical {share(self.critical):6.3f}"
            f"  fields {share(self.fields):6.3f}  seconds median"
            f" {statistics.median(self.seconds):5.2f} p95 {percentile(self.seconds, 0.95):5.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--engine", choices=("rapidocr", "tesseract"))
    parser.add_argument("--limit", type=int, default=0, help="read only the first N documents")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also time plain RapidOCR (its defaults, the photo as it is) on the same photos",
    )
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
    per_field: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    by_kind: dict[str, Tally] = defaultdict(Tally)
    by_family: dict[str, Tally] = defaultdict(Tally)
    by_tier: dict[str, Tally] = defaultdict(Tally)
    sure_but_wrong: list[str] = []  # the dangerous case: a wrong value the reader is sure of
    sure_count = 0
    for image, truth in found:
        kind = truth["doc_type"]
        started = time.perf_counter()
        result = read_document(image, kind)
        seconds.append(time.perf_counter() - started)
        oks = []
        # Fields the photo cannot show (whited out, cut off by its publisher) are not scored.
        unknown = set(truth.get("_redacted", ())) | set(truth.get("_truncated", ()))
        for key, expected in truth.items():
            if key.startswith("_") or key == "doc_type" or key in unknown:
                continue
            ok = result.get(key) == expected
            oks.append(ok)
            per_field[kind][key].append(ok)
            if result.get("confidence", {}).get(key, 0) >= SURE and result.get(key) is not None:
                sure_count += 1
                if not ok:
                    sure_but_wrong.append(f"{image.name} {key}")
            if not ok and arguments.show_misses:
                print(f"  miss {image.name} {key}: read {result.get(key)!r}, truth {expected!r}")
        critical = all(
            result.get(key) == truth[key] for key in CRITICAL_FIELDS[kind] if key not in unknown
        )
        family, tier = truth.get("_family", "unknown"), truth.get("_tier", "unknown")
        for tally in (by_kind[kind], by_family[family], by_tier[f"{kind}/{tier}"]):
            tally.add(critical, oks, seconds[-1])

    engine = os.environ.get("KIOSK_OCR_ENGINE", "rapidocr")
    print(f"engine {engine}, {len(found)} documents in {arguments.directory}")
    for kind, fields in per_field.items():
        print(f"{kind}:")
        for key, oks in fields.items():
            print(f"  {key:16} {share(oks):6.3f} right")
    for title, tallies in (("by kind", by_kind), ("by family", by_family), ("by tier", by_tier)):
        print(title)
        for name in sorted(tallies):
            print(tallies[name].line(name))
    print(
        f"fields marked sure: {sure_count}, of which wrong: {len(sure_but_wrong)}"
        + (f" ({', '.join(sure_but_wrong[:8])})" if sure_but_wrong else "")
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    median, p95 = statistics.median(seconds), percentile(seconds, 0.95)
    print(f"seconds per image: median {median:.2f}, p95 {p95:.2f}; peak memory {peak_mb:.0f} MB")
    if arguments.baseline:
        from rapidocr import RapidOCR

        plain = RapidOCR(params={"Global.log_level": "error"})
        plain(str(found[0][0]))  # load: not timed
        plain_seconds = []
        for image, _truth in found:
            started = time.perf_counter()
            plain(str(image))
            plain_seconds.append(time.perf_counter() - started)
        plain_median = statistics.median(plain_seconds)
        print(
            f"plain RapidOCR, same photos: median {plain_median:.2f}, p95"
            f" {percentile(plain_seconds, 0.95):.2f}; this reader / plain = {median / plain_median:.2f}"
        )
    receipts, cards = by_kind["receipt"], by_kind["id_card"]
    print(
        f"receipt_critical={share(receipts.critical):.3f} id_critical={share(cards.critical):.3f}"
        f" receipt_fields={share(receipts.fields):.3f} id_fields={share(cards.fields):.3f}"
        f" sure_wrong={len(sure_but_wrong)} median_s={median:.2f} p95_s={p95:.2f}"
    )


if __name__ == "__main__":
    main()
