"""Drive complete claims through the kiosk's HTTP interface and print server time per step,
and the taps and typed characters each claim type costs a person.

    .venv/bin/python bench/intake.py [--claims N]

Runs on SQLite, and on PostgreSQL too when KIOSK_TEST_POSTGRES_URL is set. No browser: each
step is the GET that shows it and the POST that answers it, through the real app (CSRF,
encryption, drafts, submission) in-process, so the time is the server's own. The identity is
given as a photo of a (generated) ID card: the OCR job runs between the upload and the
confirmation, untimed, as the worker would run it beside the web server.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import sqlalchemy as sa
from cryptography.fernet import Fernet
from flask_migrate import upgrade
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk import create_app  # noqa: E402
from kiosk.claims.calendar import today_in_china  # noqa: E402
from kiosk.claims.validation import luhn_ok  # noqa: E402
from kiosk.demo import demo_id_number  # noqa: E402
from kiosk.ocr.samples import id_card  # noqa: E402
from kiosk.platform.config import Config  # noqa: E402
from kiosk.platform.extensions import db  # noqa: E402
from kiosk.platform.models import OcrReading, ReadingStatus  # noqa: E402
from kiosk.services.readings import perform  # noqa: E402

TODAY = today_in_china()
ACCOUNT = next(
    f"622848000000000{n:04d}" for n in range(10000) if luhn_ok(f"622848000000000{n:04d}")
)


def receipt_photo(seed: int) -> bytes:
    image = Image.new("RGB", (1600, 1200), "white")
    image.paste(Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3)), (seed % 1400, 100))
    out = BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def script(claim_type: str, n: int) -> list[tuple[str, dict, list[tuple[str, str]]]]:
    """(step, form, what the person does): ("tap", label) or ("type", text) per action."""
    accident = TODAY - timedelta(days=3)
    steps = [
        ("who", {"who": "self"}, [("tap", "本人"), ("tap", "下一步")]),
        ("identity", {}, [("tap", "确认，下一步")]),  # by photo: see read_card()
        (
            "phone",
            {"phone": "13812345678"},
            [("tap", "号码框"), ("type", "13812345678"), ("tap", "下一步")],
        ),
        ("claim_type", {"claim_type": claim_type}, [("tap", "类型"), ("tap", "下一步")]),
    ]
    if claim_type == "transport_death":
        steps.append(
            ("transport", {"transport_mode": "road"}, [("tap", "汽车"), ("tap", "下一步")])
        )
    steps.append(("accident_date", {"day": accident.isoformat()}, [("tap", "前天")]))
    if claim_type == "hospital_allowance":
        steps.append(("admission_date", {"day": accident.isoformat()}, [("tap", "前天")]))
        steps.append(("discharge_date", {"day": TODAY.isoformat()}, [("tap", "今天")]))
    if claim_type in ("death", "transport_death", "disability"):
        steps.append(("outcome_date", {"day": TODAY.isoformat()}, [("tap", "今天")]))
    steps.append(
        (
            "place",
            {"place": "home", "cause": "fall"},
            [("tap", "在家里"), ("tap", "摔倒"), ("tap", "下一步")],
        )
    )
    steps.append(("documents", {}, [("tap", "下一步")]))
    steps.append(
        (
            "payment",
            {"bank": "abc", "holder": "陈美华", "account": ACCOUNT},
            [("tap", "农业银行"), ("tap", "卡号框"), ("type", ACCOUNT), ("tap", "下一步")],
        )
    )
    steps.append(("check", {"consent": "yes"}, [("tap", "同意"), ("tap", "提交报案")]))
    return steps


PHOTO_ACTIONS = [("tap", "拍照"), ("tap", "快门"), ("tap", "使用照片")]
UNCHECKED_YES = re.compile(rb'<input type="radio" name="ok-[^"]+" id="[^"]+-yes" value="yes" >')


def card_photo(n: int) -> bytes:
    number = demo_id_number(date(1948, 3, 1), n % 1000)
    sample = id_card(random.Random(n), name="陈美华", number=number)
    out = BytesIO()
    sample.image.save(out, "JPEG", quality=90)
    return out.getvalue()


def read_card(app, client, n: int, timings: dict[str, list[float]]) -> tuple[str, dict, int]:
    """Photograph the ID card, let the worker read it, open the 对 / 改一下 page.

    Returns the page's address, its form (对 for every field read) and the taps it costs
    beyond 确认 (a 对 for each field the reader was not sure of).
    """
    shown = client.get("/claim/identity")
    token = TOKEN.search(shown.data).group(1).decode()
    photo = card_photo(n)
    started = time.perf_counter()
    sent = client.post(
        "/claim/identity/photo",
        data={"csrf_token": token, "photo": (BytesIO(photo), "card.jpg")},
        content_type="multipart/form-data",
    )
    timings["identity (photo)"].append((time.perf_counter() - started) * 1000)
    with app.app_context():  # the worker's part, not the web server's
        for reading_id in db.session.scalars(
            sa.select(OcrReading.id).where(OcrReading.status == ReadingStatus.QUEUED)
        ):
            perform(reading_id)
    path = sent.headers["Location"]
    started = time.perf_counter()
    page = client.get(path)
    timings["identity (confirm show)"].append((time.perf_counter() - started) * 1000)
    extra_taps = len(UNCHECKED_YES.findall(page.data))
    form = {"ok-id_number": "yes", "ok-name": "yes"}
    return path, form, extra_taps


TOKEN = re.compile(rb'name="csrf_token" value="([^"]+)"')


def run(
    database_url: str, claims: int, data_dir: Path
) -> tuple[dict[str, list[float]], dict[str, tuple[int, int]]]:
    app = create_app(
        Config(
            DATA_DIR=data_dir,
            DATABASE_URL=database_url,
            QUEUE_URL=f"sqlite:///{data_dir}/queue.db",  # OCR jobs wait: read_card() runs them
            ENCRYPTION_KEYS=(Fernet.generate_key().decode(),),
            SECRET_KEY="bench-" + "x" * 40,
            ENROL_THIS_MACHINE=True,  # the bench's client is this machine, as the demo's tablet is
        )
    )
    with app.app_context():
        upgrade()
    timings: dict[str, list[float]] = defaultdict(list)
    effort: dict[str, tuple[int, int]] = {}
    types = ["hospital_allowance", "medical", "disability", "death", "transport_death"]
    for n in range(claims):
        claim_type = types[n % len(types)]
        client = app.test_client()
        taps = 1  # 申请理赔 on the home page
        typed = 0
        for step, form, actions in script(claim_type, n):
            if step == "identity":
                path, form, extra = read_card(app, client, n, timings)
                taps += len(PHOTO_ACTIONS) + extra
                token = TOKEN.search(client.get(path).data).group(1).decode()
                started = time.perf_counter()
                answered = client.post(path, data={"csrf_token": token, **form})
                timings["identity (confirm)"].append((time.perf_counter() - started) * 1000)
                assert answered.status_code == 303, answered.data[:2000]
                taps += 1
                continue
            started = time.perf_counter()
            shown = client.get(f"/claim/{step}")
            timings[f"{step} (show)"].append((time.perf_counter() - started) * 1000)
            assert shown.status_code == 200, (step, shown.status_code)
            token = TOKEN.search(shown.data).group(1).decode()
            if step == "documents" and claim_type == "hospital_allowance":
                for i in range(2):  # two receipts photographed
                    started = time.perf_counter()
                    sent = client.post(
                        "/claim/documents/expense_list/photos",
                        data={
                            "csrf_token": token,
                            "photo": (BytesIO(receipt_photo(n * 2 + i)), "r.jpg"),
                        },
                        content_type="multipart/form-data",
                    )
                    timings["documents (photo)"].append((time.perf_counter() - started) * 1000)
                    assert sent.status_code == 303, re.findall(
                        rb"field-error[^>]*>(.*?)</p>", sent.data, re.S
                    )
                    taps += len(PHOTO_ACTIONS)
            started = time.perf_counter()
            answered = client.post(f"/claim/{step}", data={"csrf_token": token, **form})
            timings[f"{step} (answer)"].append((time.perf_counter() - started) * 1000)
            assert answered.status_code == 303, (step, answered.status_code, answered.data[:300])
            taps += sum(1 for kind, _ in actions if kind == "tap")
            typed += sum(len(text) for kind, text in actions if kind == "type")
        effort[claim_type] = (taps, typed)
    with app.app_context():
        submitted = db.session.execute(sa.text("SELECT count(*) FROM claim")).scalar_one()
        assert submitted == claims, submitted
        db.engine.dispose()
    return timings, effort


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=50)
    args = parser.parse_args()
    databases = {"sqlite": None}
    if os.environ.get("KIOSK_TEST_POSTGRES_URL"):
        databases["postgresql"] = os.environ["KIOSK_TEST_POSTGRES_URL"]
    worst = 0.0
    effort: dict[str, tuple[int, int]] = {}
    for name, url in databases.items():
        with tempfile.TemporaryDirectory() as tmp:
            schema = None
            if url is None:
                url = f"sqlite:///{tmp}/bench.db"
            else:
                schema = f"bench_{os.getpid()}"
                engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
                with engine.begin() as c:
                    c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
                url = f"{url}?options=-csearch_path%3D{schema}"
            try:
                timings, effort = run(url, args.claims, Path(tmp))
            finally:
                if schema:
                    with engine.begin() as c:
                        c.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                    engine.dispose()
        print(f"\n{name}: {args.claims} claims, server time per request in ms")
        print(f"  {'step':<28}{'median':>8}{'p95':>8}{'n':>6}")
        for step, values in timings.items():
            print(
                f"  {step:<28}{statistics.median(values):>8.1f}{p95(values):>8.1f}{len(values):>6}"
            )
            worst = max(worst, p95(values))
    print(
        "\ntaps and typed characters per claim (no OCR yet: the ID number, name, phone and account are typed)"
    )
    for claim_type, (taps, typed) in effort.items():
        print(f"  {claim_type:<22} taps={taps:<4} typed={typed}")
    taps, typed = effort["hospital_allowance"]
    print(f"step_p95_ms={worst:.0f} taps={taps} typed={typed}")


if __name__ == "__main__":
    main()
