"""Does requirements.lock belong to pyproject.toml? The lock's first line is a stamp of the
dependency lists it was compiled from; `make lock` writes it, `make venv` checks it.

    python3 scripts/lockcheck.py           # exit 1 with a message when they differ
    python3 scripts/lockcheck.py --stamp   # after compiling: write the stamp into the lock
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PREFIX = "# pyproject-dependencies-sha256: "


def stamp() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    lists = [project["requires-python"], project["dependencies"], project["optional-dependencies"]]
    return hashlib.sha256(json.dumps(lists, sort_keys=True).encode()).hexdigest()


def main(argv: list[str]) -> int:
    lines = LOCK.read_text("utf-8").splitlines(keepends=True) if LOCK.exists() else []
    if argv[1:] == ["--stamp"]:
        body = [line for line in lines if not line.startswith(PREFIX)]
        LOCK.write_text(PREFIX + stamp() + "\n" + "".join(body), "utf-8")
        return 0
    recorded = lines[0].removeprefix(PREFIX).strip() if lines and lines[0].startswith(PREFIX) else ""
    if recorded != stamp():
        print(
            "requirements.lock does not match the dependencies in pyproject.toml:"
            " run `make lock` and commit both files (README: Upgrading dependencies).",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
