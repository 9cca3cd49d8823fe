"""python -m kiosk.ocr IMAGE --kind receipt|id_card: print what the photo says, as JSON."""

from __future__ import annotations

import argparse
import json
import sys

from kiosk.ocr.images import ImageRejected
from kiosk.ocr.reader import KINDS, read_document

# What an unusable file is, in words a person can act on.
REASONS = {
    "empty": "the file is empty",
    "too_large": "the file is larger than 20 MB",
    "not_an_image": "the file is not a JPEG, PNG, WebP or HEIC photo",
    "corrupt": "the photo is damaged and cannot be decoded",
    "too_many_pixels": "the photo has more than 40 million pixels",
    "too_small": "the photo is smaller than 200 pixels on a side",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.ocr", description=__doc__)
    parser.add_argument("image", help="a photo: JPEG, PNG, WebP or HEIC")
    parser.add_argument("--kind", required=True, choices=KINDS)
    arguments = parser.parse_args(argv)
    try:
        result = read_document(arguments.image, arguments.kind)
    except FileNotFoundError:
        print(f"kiosk.ocr: {arguments.image}: no such file", file=sys.stderr)
        return 2
    except IsADirectoryError:
        print(f"kiosk.ocr: {arguments.image}: is a directory, not a photo", file=sys.stderr)
        return 2
    except ImageRejected as rejected:
        reason = REASONS.get(rejected.problem.value, rejected.problem.value)
        print(f"kiosk.ocr: {arguments.image}: cannot read it: {reason}", file=sys.stderr)
        return 1
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
