"""Invented documents in many layouts, photographed at three levels of care, with their truth.

Each *family* draws one kind of document the way real ones of that make look (its own
layouts, faces, wording and distractors); the camera (`camera.photograph`) then makes a
scan, a tablet shot or a careless photo of it. One family, `HELD_OUT`, is kept out of
development so that a measurement on it says how the reader does on a layout it never saw.

    python -m kiosk.ocr.samples DIR [--count N] [--seed S] [--families a,b]
                                    [--tiers clean,hard] [--held-out | --development]

writes DIR/<family>-<tier>-001.jpg (the JPEG as the camera produced it) and a .json of its
truth beside it, for bench/ocr.py.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
from collections.abc import Callable, Iterable
from pathlib import Path

from PIL import Image

from kiosk.ocr.samples.camera import EXTRA_TIERS, TIERS, photograph
from kiosk.ocr.samples.page import TRUTH_KEYS, Page, Sample
from kiosk.ocr.samples.people import font

__all__ = [
    "DEVELOPMENT", "FAMILIES", "HELD_OUT", "TIERS", "TRUTH_KEYS", "Page", "Sample",
    "available", "font", "id_card", "receipt", "sample", "samples", "write",
]  # fmt: skip


def _lazy(module: str, function: str) -> Callable[[random.Random], Page]:
    """A draw function imported when first called (the module may not be written yet)."""

    def draw(rng: random.Random, **options: object) -> Page:
        page: Page = getattr(importlib.import_module(f"{__name__}.{module}"), function)(
            rng, **options
        )
        return page

    draw.__name__ = f"{module}.{function}"
    # The drawer says where it draws from, so `available` can look without drawing.
    draw.module = module  # type: ignore[attr-defined]  # read back by available()
    draw.function = function  # type: ignore[attr-defined]  # read back by available()
    return draw


FAMILIES: dict[str, tuple[str, Callable[[random.Random], Page]]] = {
    "einvoice_a": ("receipt", _lazy("einvoice", "draw_a")),
    "einvoice_b": ("receipt", _lazy("einvoice", "draw_b")),
    "paper_form": ("receipt", _lazy("paper_form", "draw")),
    "thermal_slip": ("receipt", _lazy("thermal_slip", "draw")),
    "expense_list": ("receipt", _lazy("expense_list", "draw")),
    "discharge_summary": ("discharge_summary", _lazy("discharge_summary", "draw")),
    "id_card_new": ("id_card", _lazy("id_cards", "draw_new")),
    "id_card_old": ("id_card", _lazy("id_cards", "draw_old")),
}
HELD_OUT = ("thermal_slip",)
DEVELOPMENT = tuple(name for name in FAMILIES if name not in HELD_OUT)


def available(family: str) -> bool:
    """Whether the family's module exists (and has its draw function) in this checkout."""
    draw = FAMILIES[family][1]
    try:
        module = importlib.import_module(f"{__name__}.{draw.module}")  # type: ignore[attr-defined]  # set by _lazy
    except ModuleNotFoundError:
        return False
    return hasattr(module, draw.function)  # type: ignore[attr-defined]  # set by _lazy


def sample(family: str, tier: str, rng: random.Random) -> Sample:
    """One photo of one document of `family` at `tier`, with its truth (+ _family, _tier)."""
    kind, draw = FAMILIES[family]
    page = draw(rng)
    truth = {key: page.truth[key] for key in TRUTH_KEYS[kind]}
    truth.update(_family=family, _tier=tier)
    return Sample(photograph(page, rng, tier), truth)


def write(
    directory: Path | str,
    families: Iterable[str] = DEVELOPMENT,
    tiers: Iterable[str] = TIERS,
    count: int = 10,
    seed: int = 2026,
) -> list[Path]:
    """`count` photos per family and tier in `directory`; returns the JPEG paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for family in families:
        for tier in tiers:
            rng = random.Random(f"{family}-{tier}-{seed}")
            for index in range(1, count + 1):
                photo = sample(family, tier, rng)
                stem = directory / f"{family}-{tier}-{index:03d}"
                stem.with_suffix(".jpg").write_bytes(jpeg_bytes(photo.image))
                stem.with_suffix(".json").write_text(
                    json.dumps(photo.truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
                )
                written.append(stem.with_suffix(".jpg"))
    return written


def jpeg_bytes(image: Image.Image) -> bytes:
    """The camera's own JPEG bytes when it kept them, else a fresh q90 encoding."""
    data: bytes | None = image.info.get("jpeg_bytes")
    if data:
        return data
    from io import BytesIO

    buffer = BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


# --- the old entry points (tests, the demo data and bench/ use them) -------------------------


def receipt(rng: random.Random, tier: str = "mild") -> Sample:
    """A photo of an electronic receipt (either platform's version)."""
    family = "einvoice_a" if rng.random() < 0.5 else "einvoice_b"
    return sample(family, tier, rng)


def id_card(
    rng: random.Random, name: str | None = None, number: str | None = None, tier: str = "mild"
) -> Sample:
    """A photo of the front of a new ID card, with that name and number when they are given."""
    from kiosk.ocr.samples.id_cards import draw_new

    page = draw_new(rng, name=name, number=number)
    truth = {key: page.truth[key] for key in TRUTH_KEYS["id_card"]}
    return Sample(photograph(page, rng, tier), truth)


def samples(kind: str, count: int, seed: int = 2026, tier: str = "mild") -> list[Sample]:
    """`count` photos of `kind` ("receipt", "id_card", ...), cycling through the development
    families of that kind; the same for the same seed."""
    families = [f for f in DEVELOPMENT if FAMILIES[f][0] == kind]
    if not families:
        raise ValueError(f"no family draws {kind!r}")
    rng = random.Random(f"{kind}-{seed}-{tier}")
    return [sample(families[k % len(families)], tier, rng) for k in range(count)]


# --- the command line ------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--count", type=int, default=10, help="per family and tier (10)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--families", help=f"comma-separated, of: {', '.join(FAMILIES)}")
    parser.add_argument("--tiers", default=",".join(TIERS), help="comma-separated (all)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--held-out", action="store_true", help=f"only {', '.join(HELD_OUT)}")
    which.add_argument("--development", action="store_true", help="all but the held-out")
    arguments = parser.parse_args(argv)

    if arguments.families:
        families = [f.strip() for f in arguments.families.split(",") if f.strip()]
        unknown = [f for f in families if f not in FAMILIES]
        if unknown:
            parser.error(f"unknown families: {', '.join(unknown)}")
    elif arguments.held_out:
        families = list(HELD_OUT)
    elif arguments.development:
        families = list(DEVELOPMENT)
    else:
        families = list(FAMILIES)
    if arguments.held_out and arguments.families:
        families = [f for f in families if f in HELD_OUT]
    if arguments.development and arguments.families:
        families = [f for f in families if f not in HELD_OUT]
    missing = [f for f in families if not available(f)]
    if missing:
        print(f"skipping families not written yet: {', '.join(missing)}")
        families = [f for f in families if f not in missing]
    tiers = [t.strip() for t in arguments.tiers.split(",") if t.strip()]
    unknown = [t for t in tiers if t not in TIERS + EXTRA_TIERS]
    if unknown:
        parser.error(f"unknown tiers: {', '.join(unknown)}")
    written = write(arguments.directory, families, tiers, arguments.count, arguments.seed)
    print(f"{len(written)} photos in {arguments.directory}")
