"""Server time of the back office's work queue, case page and dashboard with many claims.

    .venv/bin/python bench/staff.py [--claims 100000] [--database-url URL] [--rounds 40]

Seeds N claims (people, documents, status events; encrypted like real ones) into a fresh
schema (PostgreSQL) or a temporary SQLite file, signs in a handler, and times, through the
real app in-process: the queue's first page, a filtered page (state and type), the overdue
page, the case page of random claims, and the dashboard (as the worker leaves it, its count
timed apart). Prints the median and p95 in
milliseconds of each, then `dashboard_p95_ms=NN`; the last line is
`queue_p95_ms=NN case_p95_ms=NN claims=N`.
"""

from __future__ import annotations

import argparse
import base64
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk import create_app  # noqa: E402
from kiosk.claims.calendar import today_in_china  # noqa: E402
from kiosk.claims.sla import priority_for, step_due  # noqa: E402
from kiosk.claims.states import CaseState, Role  # noqa: E402
from kiosk.claims.types import ClaimType, Relationship, Source, required_documents  # noqa: E402
from kiosk.platform.config import Config  # noqa: E402
from kiosk.platform.extensions import db  # noqa: E402
from kiosk.platform.models import (  # noqa: E402
    Claim,
    DashboardSnapshot,
    Document,
    DocumentStatus,
    Person,
    StaffRole,
    StatusEvent,
)
from kiosk.platform.storage import vault  # noqa: E402
from kiosk.services import dashboard  # noqa: E402
from kiosk.services.accounts import create_staff  # noqa: E402

STATES = [  # roughly how a year of cases spreads: most closed, a working queue open
    (CaseState.PAID, 55),
    (CaseState.DECLINED, 8),
    (CaseState.SUBMITTED, 6),
    (CaseState.UNDER_REVIEW, 10),
    (CaseState.DOCUMENTS_NEEDED, 12),
    (CaseState.AWAITING_APPROVAL, 3),
    (CaseState.APPROVED, 6),
]
BRANCHES = ["潮南区理赔服务点", "潮阳区理赔服务点", "金平区理赔服务点", "龙湖区理赔服务点"]
BATCH = 2000
DECIDED_WELL = (CaseState.APPROVED, CaseState.PAID)
BENCH_KEY = base64.urlsafe_b64encode(b"bench-only-key-not-for-real-use!").decode()


def _psycopg(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1]


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def inserted(table: sa.Table, rows: list[dict]) -> list[int]:
    """Insert the rows in one statement; their new ids, in the rows' order."""
    returning = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(db.session.scalars(returning, rows))


def seed(n: int) -> None:
    """N claims with their insured, documents and status events, a batch at a time as plain
    rows (one INSERT per table and batch, encrypted like real ones), not one object each."""
    rng = random.Random(7)
    states = [s for s, weight in STATES for _ in range(weight)]
    types = list(ClaimType)
    v = vault()
    for start in range(0, n, BATCH):
        numbers = range(start, min(start + BATCH, n))
        people = [
            {
                "name": "测试" + "甲乙丙丁戊己庚辛"[i % 8],
                "id_number": f"44051419481231{i % 10000:04d}",
                "phone": f"138{i:08d}",
            }
            for i in numbers
        ]
        person_ids = inserted(Person.__table__, people)
        claims, plans = [], []
        for i, person_id, person in zip(numbers, person_ids, people, strict=True):
            state, kind = rng.choice(states), rng.choice(types)
            amount = Decimal(rng.choice(["360", "820.50", "3000", "6400"]))
            since = datetime.now(UTC) - timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 23))
            priority = priority_for(kind, amount)
            claims.append(
                {
                    "case_number": f"9{i:09d}",
                    "tracking_token": f"bench-token-{i}",
                    "tracking_token_hash": v.lookup_hash(f"bench-token-{i}"),
                    "claim_type": kind,
                    "state": state,
                    "priority": priority,
                    "source": Source.KIOSK,
                    "branch": rng.choice(BRANCHES),
                    "insured_id": person_id,
                    "reporter_relationship": Relationship.SELF,
                    "accident_date": since.date() - timedelta(days=5),
                    "reported_on": since.date(),
                    "submitted_at": since,
                    "state_since": since,
                    "estimated_amount": amount,
                    "approved_amount": amount if state in DECIDED_WELL else None,
                    "bank_name": "中国农业银行",
                    "bank_account_holder": person["name"],
                    "bank_account_number": f"62284800{i:011d}",
                    "due_on": step_due(state, since, priority, amount),
                }
            )
            plans.append((kind, state, since))
        claim_ids = inserted(Claim.__table__, claims)
        documents, events = [], []
        for claim_id, (kind, state, since) in zip(claim_ids, plans, strict=True):
            for doc_kind in required_documents(kind):
                missing = state is CaseState.DOCUMENTS_NEEDED and rng.random() < 0.3
                status = DocumentStatus.MISSING if missing else DocumentStatus.RECEIVED
                documents.append({"claim_id": claim_id, "kind": doc_kind, "status": status})
            events.append(
                {"claim_id": claim_id, "to_state": state, "actor_role": Role.SYSTEM, "at": since}
            )
            if state in (*DECIDED_WELL, CaseState.DECLINED):
                # the dashboard measures these: when review began, and when it was decided
                path = [CaseState.UNDER_REVIEW]
                if state is not CaseState.DECLINED:
                    path.append(CaseState.APPROVED)
                for day, step in enumerate(path, 1):
                    at = since + timedelta(days=day)
                    events.append(
                        {
                            "claim_id": claim_id,
                            "to_state": step,
                            "actor_role": Role.SYSTEM,
                            "at": at,
                        }
                    )
        db.session.execute(sa.insert(Document.__table__), documents)
        db.session.execute(sa.insert(StatusEvent.__table__), events)
        db.session.commit()
        print(f"  seeded {numbers.stop} of {n}", file=sys.stderr, end="\r")
    print(file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema")
    parser.add_argument("--schema", default="", help="time a schema kept earlier; no seeding")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="bench-staff-"))
    url, schema = args.database_url or f"sqlite:///{data_dir}/kiosk.db", None
    if url.startswith(("postgresql://", "postgres://")):
        schema = args.schema or f"bench_staff_{int(time.time())}"
        if not args.schema:
            engine = sa.create_engine(_psycopg(url))
            with engine.begin() as connection:
                connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            engine.dispose()
        url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    app = create_app(
        Config(
            DATA_DIR=data_dir,
            DATABASE_URL=url,
            QUEUE_URL="immediate",
            ENCRYPTION_KEYS=(BENCH_KEY,),  # fixed, so a kept schema can be read again
            SECRET_KEY="bench-" + "x" * 40,
            RATELIMIT_STORAGE_URL="memory://",
        )
    )
    app.config["WTF_CSRF_ENABLED"] = False  # the benchmark times pages, not forms
    try:
        with app.app_context():
            upgrade()
            if not args.schema:
                started = time.perf_counter()
                seed(args.claims)
                print(f"seeded {args.claims} claims in {time.perf_counter() - started:.0f} s")
                create_staff("bench", StaffRole.HANDLER, password="bench password 123")
            claims = db.session.scalar(sa.select(sa.func.count(Claim.id)))
            open_ids = list(
                db.session.scalars(
                    sa.select(Claim.id).where(Claim.state.in_([s for s in CaseState if s.is_open]))
                )
            )
            if schema:  # what autovacuum does on a live database: statistics, visibility map
                db.session.commit()
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                    c.execute(sa.text("VACUUM ANALYZE"))
            counts = []  # what the worker does once a minute when a case moved
            for _ in range(3):
                db.session.execute(sa.delete(DashboardSnapshot))
                db.session.commit()
                start = time.perf_counter()
                dashboard.refresh(today_in_china())
                counts.append((time.perf_counter() - start) * 1000)
            print(f"worker's count of the dashboard: median {statistics.median(counts):.0f} ms")
        client = app.test_client()
        client.post("/staff/login", data={"username": "bench", "password": "bench password 123"})
        pages = {
            "queue_first": "/staff/queue",
            "queue_filtered": "/staff/queue?state=under_review&type=medical",
            "queue_overdue": "/staff/queue?overdue=1",
            "queue_page_5": "/staff/queue?page=5",
        }
        timings: dict[str, list[float]] = {name: [] for name in [*pages, "case", "dashboard"]}
        rng = random.Random(11)
        for _ in range(args.rounds):
            for name, path in pages.items():
                start = time.perf_counter()
                response = client.get(path)
                timings[name].append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (name, response.status_code)
            start = time.perf_counter()
            response = client.get(f"/staff/case/{rng.choice(open_ids)}")
            timings["case"].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
            start = time.perf_counter()
            response = client.get("/staff/dashboard")
            timings["dashboard"].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        for name, values in timings.items():
            print(
                f"{name:16} median {statistics.median(values):6.1f} ms  p95 {p95(values):6.1f} ms"
            )
        queue = p95([v for name in pages for v in timings[name]])
        print(f"dashboard_p95_ms={p95(timings['dashboard']):.0f}")
        print(f"queue_p95_ms={queue:.0f} case_p95_ms={p95(timings['case']):.0f} claims={claims}")
    finally:
        if schema and args.keep:
            print(f"kept schema {schema}: --schema {schema} times it again", file=sys.stderr)
        elif schema:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            engine = sa.create_engine(_psycopg(args.database_url))
            with engine.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()


if __name__ == "__main__":
    main()
