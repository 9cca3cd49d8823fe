"""Key rotation (issue 16): `flask --app kiosk keys rotate` re-encrypts every encrypted value
and stored file under the newest key, goes on where it stopped when interrupted, and then
the oldest key can be removed with everything still readable and found."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from flask import Flask

from kiosk import create_app
from kiosk.platform.config import ConfigError, from_environment
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, Person
from kiosk.platform.storage import files, vault
from kiosk.services import keys
from tests.conftest import make_config
from tests.integration.test_intake import ACCOUNT, ID_NUMBER, SELF_MEDICAL, Kiosk


class Stop(Exception):
    pass


def test_rotate_interrupted_then_again_then_the_old_key_removed(
    app: Flask, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = app.config["ENCRYPTION_KEYS"][0]
    Kiosk(app.test_client()).through(*SELF_MEDICAL, ("check", {"consent": "yes"}))
    with app.app_context():
        stored = [files().save(f"photo {i}".encode()) for i in range(3)]
        token = db.session.scalars(sa.select(Claim)).one().tracking_token
    new = Fernet.generate_key().decode()
    both = create_app(make_config(tmp_path, database_url, ENCRYPTION_KEYS=(new, old)))
    monkeypatch.setattr(keys, "BATCH", 1)
    with both.app_context():
        calls = []

        def stop_after_two(where: str) -> None:
            calls.append(where)
            if len(calls) == 2:
                raise Stop

        with pytest.raises(Stop):  # the machine went down mid-way
            keys.rotate_keys(stop_after_two)
    result = both.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "files: 3 re-encrypted" in result.output and result.output.strip().endswith(
        "then the oldest key can go."
    )
    again = both.test_cli_runner().invoke(args=["keys", "rotate"]).output
    assert "re-encrypted" not in again.replace("were under", "")  # nothing left to do
    only_new = create_app(make_config(tmp_path, database_url, ENCRYPTION_KEYS=(new,)))
    with only_new.app_context():
        claim = db.session.scalars(sa.select(Claim)).one()
        assert claim.insured.id_number == ID_NUMBER and claim.bank_account_number == ACCOUNT
        found = db.session.scalars(
            sa.select(Person).where(Person.id_number_hash == vault().lookup_hash(ID_NUMBER))
        ).one()
        assert found.id == claim.insured_id  # the look-up hashes did not change
        assert [files().read(name) for name in stored] == [b"photo 0", b"photo 1", b"photo 2"]
        raw = db.session.execute(sa.text("SELECT bank_account_number FROM claim")).scalar()
        assert Fernet(new).decrypt(bytes(raw)).decode() == ACCOUNT
    assert only_new.test_client().get(f"/t/{token}").status_code == 200


def test_the_lookup_key_is_kept_and_may_be_set(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    first = from_environment({"KIOSK_DATA_DIR": str(tmp_path), "KIOSK_ENCRYPTION_KEY": key})
    assert (tmp_path / "lookup_key").read_text() == first.LOOKUP_KEY
    newer = Fernet.generate_key().decode()
    later = from_environment({"KIOSK_DATA_DIR": str(tmp_path), "KIOSK_ENCRYPTION_KEY": newer})
    assert later.LOOKUP_KEY == first.LOOKUP_KEY  # the oldest key gone, the hashes the same
    with pytest.raises(ConfigError, match="KIOSK_LOOKUP_KEY"):
        from_environment({"KIOSK_DATA_DIR": str(tmp_path), "KIOSK_LOOKUP_KEY": "short"})
