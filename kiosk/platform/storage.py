"""Binds the encryption keys and the encrypted upload store to the app."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from kiosk.platform.crypto import FileStore, Vault


def setup_storage(app: Flask) -> None:
    vault = Vault(app.config["ENCRYPTION_KEYS"], app.config["LOOKUP_KEY"])
    app.extensions["kiosk.vault"] = vault
    app.extensions["kiosk.files"] = FileStore(Path(app.config["DATA_DIR"]) / "uploads", vault)


def vault() -> Vault:
    return current_app.extensions["kiosk.vault"]


def files() -> FileStore:
    return current_app.extensions["kiosk.files"]
