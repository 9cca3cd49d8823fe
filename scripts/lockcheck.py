"""Do the locks belong to pyproject.toml? Each lock's first line is a stamp of the
dependency lists it was compiled from; `make lock` writes it, `make venv` checks it.
requirements.lock is everything (make installs it); requirements-web.lock a web-only
machine's, without the OCR engines, at the same versions.

    python3 scripts/lockcheck.py           # exit 1 with a message when they differ
    python3 scripts/lockcheck.py --stamp   # after compiling: write the stamp into the locks
    python3 scripts/lockcheck.py --versions  # the full lock's pins, to compile the web lock
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = (ROOT / "requirements.lock", ROOT / "requirements-web.lock")
PREFIX = "# pyproject-dependencies-sha256: "


def stamp() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    lists = [project["requires-python"], project["dependencies"], project["optional-dependencies"]]
    return hashlib.sha256(json.dumps(lists, sort_keys=True).encode()).hexdigest()


def versions() -> str:
    """The full lock's pins with their markers, as constraints for the web lock."""
    pins = []
    for line in LOCKS[0].read_text("utf-8").splitlines():
        if line and not line.startswith((" ", "#")) and "==" in line:
            pins.append(line.rstrip(" \\"))
    return "\n".join(pins) + "\n"


def main(argv: list[str]) -> int:
    if argv[1:] == ["--versions"]:
        sys.stdout.write(versions())
        return 0
    for lock in LOCKS:
        lines = lock.read_text("utf-8").splitlines(keepends=True) if lock.exists() else []
        if argv[1:] == ["--stamp"]:
            body = [line for line in lines if not line.startswith(PREFIX)]
            lock.write_text(PREFIX + stamp() + "\n" + "".join(body), "utf-8")
            continue
        recorded = lines[0].removeprefix(PREFIX).strip() if lines and lines[0].startswith(PREFIX) else ""
        if recorded != stamp():
            print(
                f"{lock.name} does not match the dependencies in pyproject.toml:"
                " run `make lock` and commit the locks (README: Upgrading dependencies).",
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
