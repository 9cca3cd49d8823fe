"""Seconds to import the insured roster, and to import next month's, at a district's size.

    .venv/bin/python bench/roster.py [--rows 300000]

On SQLite in a temporary folder (PostgreSQL as well when KIOSK_TEST_POSTGRES_URL is set),
through kiosk.services.roster as `flask --app kiosk roster import` runs it: a GBK file of
--rows residents, then the same list a month on with 1 % left out, 1 % new and 1 % with a
new address. Prints the seconds and the report of each, then
`first_s=F update_s=U people=N`; last line `rows=N seconds=S` (the first import, SQLite).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from cryptography.fernet import Fernet
from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk import create_app  # noqa: E402
from kiosk.demo import demo_id_number  # noqa: E402
from kiosk.platform.config import Config  # noqa: E402
from kiosk.platform.extensions import db  # noqa: E402
from kiosk.services.roster import import_roster  # noqa: E402
from tests.conftest import drop_postgres_schema, new_postgres_schema  # noqa: E402

TODAY = date(2026, 12, 1)


def people_file(numbers: range, moved: set[int]) -> bytes:
    lines = ["身份证号码,姓名,户籍地址,列入日期"]
    for n in numbers:
        born = date(1930, 1, 1) + timedelta(days=n % 12000)
        address = f"汕头市潮南区峡山街道{n % 97}社区{n % 31}栋" + ("新址" if n in moved else "")
        lines.append(f"{demo_id_number(born, n // 12000)},陈美华,{address},2026-01-05")
    return "\n".join(lines).encode("gb18030")


def run(database_url: str, people: int, folder: Path) -> tuple[float, float]:
    app = create_app(
        Config(
            DATA_DIR=folder,
            DATABASE_URL=database_url,
            QUEUE_URL="immediate",
            ENCRYPTION_KEYS=(Fernet.generate_key().decode(),),
            SECRET_KEY="bench-" + "x" * 40,
        )
    )
    # distinct people: birth day and sequence together (12,000 days x 1,000 numbers)
    first = people_file(range(people), set())
    step = max(1, people // 100)
    later = people_file(range(step, people + step), set(range(step, people, 100)))
    timings = []
    with app.app_context():
        upgrade()
        for data in (first, later):
            started = time.perf_counter()
            report = import_roster(data, TODAY)
            timings.append(time.perf_counter() - started)
            print(f"  {timings[-1]:6.1f} s  {report.summary()}")
        db.session.remove()
        db.engine.dispose()
    return timings[0], timings[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", "--people", dest="rows", type=int, default=300_000)
    people = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as tmp:
        print(f"sqlite, {people} people:")
        first, update = run(f"sqlite:///{tmp}/kiosk.db", people, Path(tmp))
        postgres = os.environ.get("KIOSK_TEST_POSTGRES_URL")
        if postgres:
            url, schema = new_postgres_schema(postgres, "bench_roster")
            try:
                print(f"postgresql, {people} people:")
                run(url, people, Path(tmp))
            finally:
                drop_postgres_schema(postgres, schema)
    print(f"first_s={first:.1f} update_s={update:.1f} people={people}")
    print(f"rows={people} seconds={first:.1f}")  # the first import, on SQLite


if __name__ == "__main__":
    main()
