"""Encryption at rest: sensitive columns, uploaded files, and keyed hashes for look-ups.

Columns are Fernet tokens. Stored files are AES-256-GCM (ADR 0052): a photo is a megabyte,
and Fernet's base64 and separate HMAC cost 30 times as much CPU as GCM for it; files written
before that are Fernet tokens still, read as such until `keys rotate` seals them anew."""

from __future__ import annotations

import base64
import fcntl
import hashlib
import hmac
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def derived_lookup_key(oldest: str) -> str:
    """The look-up key as it was derived from the oldest encryption key before it had a
    setting of its own (KIOSK_LOOKUP_KEY): kept as the default, so no stored hash changes."""
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"kiosk lookup hash"
    ).derive(base64.urlsafe_b64decode(oldest))
    return base64.urlsafe_b64encode(derived).decode()


# A sealed file: SEALED, the key's id, a random nonce, then AES-256-GCM's ciphertext and tag,
# with the header and the file's name as associated data. A Fernet token is base64 text, so
# it never starts with a NUL byte: the two formats cannot be taken for each other.
SEALED = b"\x00kf\x01"
_KEY_ID = 8
_NONCE = 12


class _FileKey:
    """The AES-256-GCM key for files, and its id, derived from one Fernet key (HKDF)."""

    def __init__(self, fernet_key: str) -> None:
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32 + _KEY_ID, salt=None, info=b"kiosk stored file"
        ).derive(base64.urlsafe_b64decode(fernet_key))
        self.aead = AESGCM(derived[:32])
        self.header = SEALED + derived[32:]


class Vault:
    """Encrypts with the first key, decrypts with any (so keys can be rotated by putting a new
    one first, `flask --app kiosk keys rotate`, then removing the old one). The look-up
    hashes have a key of their own, so no key rotation changes them."""

    def __init__(self, keys: tuple[str, ...], lookup_key: str | None = None) -> None:
        if not keys:
            raise ValueError("at least one key")
        self._newest = Fernet(keys[0])
        self._fernet = MultiFernet([Fernet(k) for k in keys])
        self._lookup_key = base64.urlsafe_b64decode(lookup_key or derived_lookup_key(keys[-1]))
        self._file_keys = [_FileKey(k) for k in keys]

    def is_newest(self, token: bytes) -> bool:
        """Whether `token` is encrypted under the newest key already."""
        try:
            self._newest.decrypt(token)
        except InvalidToken:
            return False
        return True

    def rotate(self, token: bytes) -> bytes:
        """The same plaintext, encrypted under the newest key."""
        return self._fernet.rotate(token)

    def encrypt(self, plaintext: bytes) -> bytes:
        return self._fernet.encrypt(plaintext)

    def decrypt(self, token: bytes) -> bytes:
        return self._fernet.decrypt(token)

    def seal(self, content: bytes, name: str) -> bytes:
        """A stored file's content, encrypted under the newest key and bound to its name."""
        header = self._file_keys[0].header
        nonce = os.urandom(_NONCE)
        return (
            header + nonce + self._file_keys[0].aead.encrypt(nonce, content, header + name.encode())
        )

    def unseal(self, token: bytes, name: str) -> bytes:
        """A stored file's content; InvalidToken if no key opens it, it was changed, or it is
        another file's (renamed). A file written before ADR 0052 is a Fernet token."""
        if not token.startswith(SEALED):
            return self._fernet.decrypt(token)
        header, start = token[: len(SEALED) + _KEY_ID], len(SEALED) + _KEY_ID
        for key in self._file_keys:
            if key.header == header:
                nonce = token[start : start + _NONCE]
                try:
                    return key.aead.decrypt(nonce, token[start + _NONCE :], header + name.encode())
                except InvalidTag:
                    break
        raise InvalidToken

    def is_sealed_newest(self, token: bytes) -> bool:
        """Whether a stored file is sealed under the newest key already (not a Fernet token)."""
        return token.startswith(self._file_keys[0].header)

    def lookup_hash(self, value: str) -> str:
        """A keyed hash (HMAC-SHA256) to find a row by an encrypted value without decrypting."""
        return hmac.new(self._lookup_key, value.encode(), hashlib.sha256).hexdigest()


class FileStore:
    """Uploaded files, encrypted, under a folder, with random names that say nothing.

    A file is only ever written whole (a temporary file, fsync, rename). Changing a file
    in place (`replace`, `rotate`) and deleting one hold the store's lock, so a file being
    deleted is never brought back by a change that read it just before."""

    def __init__(self, root: Path, vault: Vault) -> None:
        self.root = root
        self.vault = vault

    def save(self, content: bytes) -> str:
        """Encrypt and write durably; return the new file's name."""
        name = secrets.token_hex(16)
        path = self._path(name)
        sealed = self.vault.seal(content, name)
        try:
            _write_durably(path, sealed)
        except FileNotFoundError:  # the first file of its folder
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_durably(path, sealed)
        return name

    def read(self, name: str) -> bytes:
        try:
            return self.vault.unseal(self._path(name).read_bytes(), name)
        except InvalidToken:
            raise ValueError(f"stored file {name}: no key opens it, or it was changed") from None

    def names(self) -> list[str]:
        """Every stored file's name."""
        return sorted(p.name for p in self.root.glob("??/*") if len(p.name) == 32)

    def replace(self, name: str, content: bytes) -> bool:
        """Write new content under an existing name, durably; False if it was deleted."""
        path = self._path(name)
        with self._locked():
            if not path.exists():
                return False
            _write_durably(path, self.vault.seal(content, name))
        return True

    def rotate(self, name: str) -> bool:
        """Re-encrypt one file under the newest key (and in the newest format), durably;
        False if it already was (or is gone)."""
        path = self._path(name)
        with self._locked():
            try:
                token = path.read_bytes()
            except FileNotFoundError:
                return False
            if self.vault.is_sealed_newest(token):
                return False
            _write_durably(path, self.vault.seal(self.vault.unseal(token, name), name))
        return True

    def delete(self, name: str) -> None:
        path = self._path(name)
        with self._locked():
            path.unlink(missing_ok=True)

    def _path(self, name: str) -> Path:
        if len(name) != 32 or not all(c in "0123456789abcdef" for c in name):
            raise ValueError("not a stored file name")
        return self.root / name[:2] / name

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The store's lock, across the processes of this machine (held for one rename or
        unlink: a few milliseconds)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield


def _write_durably(path: Path, data: bytes) -> None:
    """The whole file or none of it, on disk before this returns. In as few system calls as
    can be (open, write, fsync, close, rename): in a web process each one gives up the GIL
    and waits for it back (ADR 0053)."""
    tmp = path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        try:
            left = memoryview(data)
            while left:  # one call, unless the kernel takes less
                left = left[os.write(fd, left) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
