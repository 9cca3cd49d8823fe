"""Backup under load and restore elsewhere (issue 16): the restored kiosk's claims, photos
and audit rows are those of the moment of the backup, whole; a damaged backup is refused."""

from __future__ import annotations

import secrets
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import sqlalchemy as sa
from flask import Flask

from kiosk import create_app
from kiosk.platform.extensions import db
from kiosk.platform.models import AuditEvent, Claim
from kiosk.platform.storage import files
from kiosk.services.backup import BackupProblem, backup, restore
from tests.conftest import make_config
from tests.integration.test_intake import SELF_MEDICAL, Kiosk


def claims_and_photos(app: Flask, stop: threading.Event, made: list[str]) -> None:
    """A tablet filing claims, and photos being stored, until told to stop."""
    while not stop.is_set():
        Kiosk(app.test_client()).through(*SELF_MEDICAL, ("check", {"consent": "yes"}))
        with app.app_context():
            made.append(files().save(secrets.token_bytes(2048)))


def empty_database_like(app: Flask, database_url: str, tmp_path: Path):
    """A new, empty database of the same kind: (url, drop)."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored' / 'kiosk.db'}", lambda: None
    name = f"restored_{secrets.token_hex(4)}"
    admin = sa.create_engine(
        urlunsplit(urlsplit(database_url)._replace(query="")), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    parts = urlsplit(database_url)
    url = urlunsplit(parts._replace(path=f"/{name}"))  # the same schema, in the new database

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def rows(app: Flask) -> tuple[dict[str, tuple], dict[int, tuple], dict[str, bytes]]:
    """Claims (decrypted), audit rows and the photos' plaintext, to compare two kiosks."""
    with app.app_context():
        claims = {
            c.case_number: (c.insured.id_number, c.bank_account_number, str(c.estimated_amount))
            for c in db.session.scalars(sa.select(Claim))
        }
        audit = {
            a.id: (a.action, a.claim_id, a.device_id)
            for a in db.session.scalars(sa.select(AuditEvent))
        }
        photos = {name: files().read(name) for name in files().names()}
        db.session.remove()
    return claims, audit, photos


def test_a_backup_under_load_restores_whole_elsewhere(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    stop, made = threading.Event(), []
    Kiosk(app.test_client()).through(*SELF_MEDICAL, ("check", {"consent": "yes"}))
    load = threading.Thread(target=claims_and_photos, args=(app, stop, made))
    load.start()
    try:
        while len(made) < 2:  # the tablet is busy
            load.join(0.05)
        with app.app_context():
            made_backup = backup(tmp_path / "backup")
    finally:
        stop.set()
        load.join(120)
    assert made_backup.rows["claim"] >= 3
    url, drop = empty_database_like(app, database_url, tmp_path)
    keys = {
        "ENCRYPTION_KEYS": app.config["ENCRYPTION_KEYS"],
        "LOOKUP_KEY": app.config["LOOKUP_KEY"],
    }
    try:
        elsewhere = create_app(make_config(tmp_path / "restored", url, **keys))
        result = elsewhere.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
        assert result.exit_code == 0, result.output
        source, restored = rows(app), rows(elsewhere)
        # what the backup holds is the source as it was: the same claims, audit rows, photos
        for mine, theirs in zip(restored, source, strict=True):
            assert mine and all(theirs[key] == value for key, value in mine.items())
        assert len(restored[0]) == made_backup.rows["claim"]
        assert len(restored[1]) == made_backup.rows["audit_event"]
        again = elsewhere.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
        assert again.exit_code != 0 and "holds files" in again.output
        with elsewhere.app_context():
            db.engine.dispose()
    finally:
        drop()


def test_a_damaged_or_partial_backup_is_refused(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        files().save(b"a photo")
        backup(tmp_path / "b")
        with pytest.raises(BackupProblem, match="not empty"):
            backup(tmp_path / "b")
    stored = next((tmp_path / "b" / "uploads").glob("*/*"))
    stored.write_bytes(stored.read_bytes()[:-1] + b"x")
    other = create_app(make_config(tmp_path / "other", f"sqlite:///{tmp_path / 'other.db'}"))
    with other.app_context():
        with pytest.raises(BackupProblem, match="checksum differs"):
            restore(tmp_path / "b")
        (tmp_path / "b" / "manifest.json").unlink()
        with pytest.raises(BackupProblem, match="not a whole backup"):
            restore(tmp_path / "b")
