"""Server time to render the family's tracking page, the receipt (80 mm and A4 pages) and the
receipt as ESC/POS bytes, for the demo claims in every state.

    .venv/bin/python bench/tracking.py [--rounds N]

On SQLite in a temporary folder, through the real app in-process (encryption, masking, the
QR code drawn each time). Prints the median and p95 in milliseconds for each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from cryptography.fernet import Fernet
from escpos.printer import Dummy
from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk import create_app  # noqa: E402
from kiosk.claims.calendar import today_in_china  # noqa: E402
from kiosk.demo import seed_demo  # noqa: E402
from kiosk.platform.config import Config  # noqa: E402
from kiosk.platform.extensions import db  # noqa: E402
from kiosk.platform.models import Claim  # noqa: E402
from kiosk.receipts.content import printed_words, receipt_view  # noqa: E402
from kiosk.receipts.printer import write_receipt  # noqa: E402


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="bench-tracking-"))
    app = create_app(
        Config(
            DATA_DIR=data_dir,
            DATABASE_URL=f"sqlite:///{data_dir}/kiosk.db",
            QUEUE_URL="immediate",
            ENCRYPTION_KEYS=(Fernet.generate_key().decode(),),
            SECRET_KEY="bench-" + "x" * 40,
            RATELIMIT_STORAGE_URL="memory://",
        )
    )
    with app.app_context():
        upgrade()
        seed_demo(today_in_china())
        tokens = list(db.session.scalars(sa.select(Claim.tracking_token)))
    client = app.test_client()
    timings: dict[str, list[float]] = {"tracking": [], "receipt_80mm": [], "receipt_a4": []}
    timings["escpos"] = []
    paths = {
        "tracking": "/t/{}",
        "receipt_80mm": "/t/{}/receipt",
        "receipt_a4": "/t/{}/receipt?paper=a4",
    }
    for _ in range(args.rounds):
        for token in tokens:
            for name, path in paths.items():
                start = time.perf_counter()
                response = client.get(path.format(token))
                timings[name].append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (name, response.status_code)
            with app.test_request_context():
                claim = db.session.scalar(
                    sa.select(Claim).where(Claim.tracking_token_hash.isnot(None)).limit(1)
                )
                start = time.perf_counter()
                receipt = receipt_view(claim)
                write_receipt(Dummy(), receipt, printed_words(receipt))
                timings["escpos"].append((time.perf_counter() - start) * 1000)
                db.session.remove()
    for name, values in timings.items():
        print(
            f"{name:13s} n={len(values):4d} median_ms={statistics.median(values):6.1f} "
            f"p95_ms={p95(values):6.1f}"
        )


if __name__ == "__main__":
    main()
