"""The demo command, the vendored htmx, and the English catalogue."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import sqlalchemy as sa
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask import Flask
from PIL import Image

from kiosk.claims.states import CaseState
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, DocumentPage, StatusEvent, Volunteer
from kiosk.platform.storage import files

ROOT = Path(__file__).resolve().parents[2]
HTMX = ROOT / "kiosk/static/vendor/htmx/htmx-2.0.11.min.js"
# sha256 of dist/htmx.min.js in the npm package htmx.org@2.0.11
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"


def test_demo_seed_makes_a_claim_in_every_state_once(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "volunteer code" in result.stderr
    public = app.config["PUBLIC_URL"]
    client = app.test_client()
    printed = set()
    for line in result.stdout.splitlines():  # STATE TRACKING_URL RECEIPT_URL
        state, tracking, receipt = line.split(" ")
        printed.add(CaseState(state))
        assert tracking.startswith(f"{public}/t/") and receipt == f"{tracking}/receipt"
        assert client.get(tracking.removeprefix(public)).status_code == 200
        assert client.get(receipt.removeprefix(public)).status_code == 200
    assert printed == set(CaseState)
    with app.app_context():
        assert set(db.session.scalars(sa.select(Claim.state))) == set(CaseState)
        assert db.session.scalar(sa.select(sa.func.count(Volunteer.id))) == 1
        moved = db.session.scalar(sa.select(sa.func.count(StatusEvent.id)))
        pages = db.session.scalars(sa.select(DocumentPage)).all()
        assert len(pages) >= len(CaseState)  # an ID card photo in every claim, and receipts
        photo = Image.open(io.BytesIO(files().read(pages[0].stored_name)))
        assert photo.format == "JPEG" and photo.width >= 1000
    again = runner.invoke(args=["demo", "seed"])
    assert "nothing added" in again.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(StatusEvent.id))) == moved


def test_vendored_htmx_is_the_pinned_release() -> None:
    assert hashlib.sha256(HTMX.read_bytes()).hexdigest() == HTMX_SHA256
    assert (HTMX.parent / "LICENSE").read_text().startswith("Zero-Clause BSD")


def test_every_message_has_an_english_translation() -> None:
    with open(ROOT / "kiosk/translations/en/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f)
    translated = {m.id for m in catalog if m.id and m.string and "fuzzy" not in m.flags}
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    in_code = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(
            str(ROOT / "kiosk"),
            method_map,
            keywords={"_": None, "_l": None, "gettext": None, "lazy_gettext": None},
        )
    }
    missing = sorted(in_code - translated)
    assert not missing, f"untranslated into English: {missing}"
