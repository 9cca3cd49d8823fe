"""Stored files sealed with AES-256-GCM (ADR 0052): readable under any listed key, bound to
their names, refused when changed, and files written as Fernet tokens before still read and
rotated into the new format."""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from kiosk.platform import crypto
from kiosk.platform.crypto import SEALED, FileStore, Vault

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
PHOTO = secrets.token_bytes(300_000)


def raw(store: FileStore, name: str) -> Path:
    return store.root / name[:2] / name


def test_a_file_is_sealed_and_read_back(tmp_path: Path) -> None:
    store = FileStore(tmp_path, Vault((OLD,)))
    name = store.save(PHOTO)
    on_disk = raw(store, name).read_bytes()
    assert on_disk.startswith(SEALED) and PHOTO[:64] not in on_disk
    assert len(on_disk) == len(PHOTO) + 40  # header 12, nonce 12, tag 16: no base64
    assert store.read(name) == PHOTO
    assert store.save(PHOTO) != name and raw(store, store.save(PHOTO)).read_bytes() != on_disk


def test_a_changed_renamed_or_foreign_file_is_refused(tmp_path: Path) -> None:
    store = FileStore(tmp_path, Vault((OLD,)))
    name, other = store.save(PHOTO), store.save(b"another person's photo")
    sealed = bytearray(raw(store, name).read_bytes())
    sealed[-100] ^= 1
    raw(store, name).write_bytes(bytes(sealed))
    with pytest.raises(ValueError, match="no key opens it, or it was changed"):
        store.read(name)
    raw(store, name).write_bytes(raw(store, other).read_bytes())  # swapped in under this name
    with pytest.raises(ValueError, match="no key opens it"):
        store.read(name)
    with pytest.raises(ValueError, match="no key opens it"):
        FileStore(tmp_path, Vault((NEW,))).read(other)


def test_fernet_files_from_before_are_read_and_rotated_into_the_new_format(
    tmp_path: Path,
) -> None:
    old_store = FileStore(tmp_path, Vault((OLD,)))
    name = secrets.token_hex(16)
    raw(old_store, name).parent.mkdir(parents=True)
    raw(old_store, name).write_bytes(Fernet(OLD).encrypt(PHOTO))  # as written before ADR 0052
    sealed_old = old_store.save(b"thumbnail")
    assert old_store.read(name) == PHOTO

    both = FileStore(tmp_path, Vault((NEW, OLD)))
    assert both.read(name) == PHOTO and both.read(sealed_old) == b"thumbnail"
    fresh = both.save(b"new photo")
    assert [both.rotate(n) for n in (name, sealed_old, fresh)] == [True, True, False]
    assert [both.rotate(n) for n in (name, sealed_old)] == [False, False]  # done already

    only_new = FileStore(tmp_path, Vault((NEW,)))
    assert [only_new.read(n) for n in (name, sealed_old, fresh)] == [
        PHOTO,
        b"thumbnail",
        b"new photo",
    ]
    assert raw(only_new, name).read_bytes().startswith(SEALED)


def test_replace_seals_under_the_same_name(tmp_path: Path) -> None:
    store = FileStore(tmp_path, Vault((NEW, OLD)))
    name = store.save(b"unprepared upload")
    assert store.replace(name, b"prepared photo") and store.read(name) == b"prepared photo"
    store.delete(name)
    assert not store.replace(name, b"too late")


def test_a_write_that_fails_leaves_nothing_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk mid-write: the error reaches the caller, no half file or temporary file is
    left, and the store writes again once there is room."""
    store = FileStore(tmp_path / "uploads", Vault((OLD,)))  # no folder yet: made on the way
    first = store.save(PHOTO)

    def full_disk(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(crypto.os, "write", full_disk)
    with pytest.raises(OSError, match="No space left"):
        store.save(PHOTO)
    with pytest.raises(OSError, match="No space left"):
        store.replace(first, b"the turned photo")
    monkeypatch.undo()
    assert store.names() == [first] and list(store.root.rglob("*.tmp")) == []
    assert store.read(first) == PHOTO
    assert store.read(store.save(PHOTO)) == PHOTO


def test_a_write_the_kernel_takes_in_parts_is_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write
    monkeypatch.setattr(crypto.os, "write", lambda fd, data: real_write(fd, data[:4096]))
    store = FileStore(tmp_path, Vault((OLD,)))
    assert store.read(store.save(PHOTO)) == PHOTO
