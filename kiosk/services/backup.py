"""Backup and restore while the kiosk runs (issue 16, ADR 0045): the database as one
consistent snapshot (SQLite's online backup API; pg_dump in an exported snapshot for
PostgreSQL), the encrypted uploads, and a manifest with every file's SHA-256 and every
table's row count in that snapshot. The keys are not in it: they are kept apart.

`restore` checks every checksum first, then fills an empty data folder (and, for PostgreSQL,
an empty database) and checks the row counts against the manifest."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from kiosk.platform.extensions import db
from kiosk.platform.models import utcnow
from kiosk.platform.storage import files

MANIFEST = "manifest.json"  # written last: a backup without it is not whole
SQLITE_COPY = "kiosk.db"
POSTGRES_DUMP = "database.dump"


class BackupProblem(RuntimeError):
    """Why a backup or a restore could not be made, in one line for the operator."""


@dataclass(frozen=True)
class BackupMade:
    folder: Path
    rows: dict[str, int]
    files: int

    def summary(self) -> str:
        total = sum(self.rows.values())
        return (
            f"backup in {self.folder}: {total} rows in {len(self.rows)} tables, {self.files} files"
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _libpq(url: sa.engine.URL) -> str:
    """The SQLAlchemy URL as pg_dump and pg_restore read it (no driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _counts(connection: sa.Connection) -> dict[str, int]:
    return {
        table.name: connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0
        for table in db.metadata.sorted_tables
    }


def backup(folder: Path) -> BackupMade:
    """A consistent copy of the database and the uploads in `folder` (new or empty)."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupProblem(f"{folder} is not empty: a backup goes into a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    engine = db.engine
    if engine.dialect.name == "sqlite":
        rows = _sqlite_backup(engine, folder / SQLITE_COPY)
        database = SQLITE_COPY
    else:
        rows = _postgres_backup(engine, folder / POSTGRES_DUMP)
        database = POSTGRES_DUMP
    store = files()
    copied: dict[str, str] = {}
    for name in store.names():  # after the snapshot: every file it names is here already
        source = store.root / name[:2] / name
        target = folder / "uploads" / name[:2] / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(source, target)
        except FileNotFoundError:  # deleted since (a draft purged): not in the snapshot either
            continue
        copied[name] = _sha256(target)
    manifest = {
        "made_at": utcnow().isoformat(),
        "database": {
            "file": database,
            "kind": engine.dialect.name,
            "sha256": _sha256(folder / database),
        },
        "rows": rows,
        "files": copied,
    }
    written = folder / f".{MANIFEST}"
    written.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(written, folder / MANIFEST)
    return BackupMade(folder, rows, len(copied))


def _sqlite_backup(engine: sa.Engine, target: Path) -> dict[str, int]:
    source = sqlite3.connect(engine.url.database or "")
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # page by page, consistent, while others write
    finally:
        source.close()
        copy.close()
    copied = sa.create_engine(f"sqlite:///{target}")
    try:
        with copied.connect() as connection:
            return _counts(connection)
    finally:
        copied.dispose()


def _postgres_backup(engine: sa.Engine, target: Path) -> dict[str, int]:
    """pg_dump in the snapshot of a repeatable-read transaction whose counts go in the
    manifest: the dump and the counts are the same moment."""
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.scalar(sa.text("SELECT pg_export_snapshot()"))
            rows = _counts(connection)
            schema = connection.scalar(sa.text("SELECT current_schema()"))
            # a schema of its own (KIOSK_DATABASE_URL's search_path): that schema only
            only = [] if schema == "public" else [f"--schema={schema}"]
            done = subprocess.run(
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    *only,
                    "--no-owner",
                    f"--file={target}",
                    f"--dbname={_libpq(engine.url)}",
                ],
                capture_output=True,
                text=True,
                check=False,
            )
    if done.returncode != 0:
        raise BackupProblem(f"pg_dump failed: {done.stderr.strip().splitlines()[-1:]}")
    return rows


def restore(folder: Path) -> dict[str, int]:
    """Fill this kiosk's empty data folder and database from the backup in `folder`."""
    manifest = _checked_manifest(folder)
    store = files()
    if store.names():
        raise BackupProblem(f"{store.root} holds files: restore goes into an empty data folder")
    engine = db.engine
    if manifest["database"]["kind"] != engine.dialect.name:
        raise BackupProblem(
            f"the backup is of a {manifest['database']['kind']} database, this kiosk's is "
            f"{engine.dialect.name}"
        )
    with engine.connect() as connection:
        tables = sa.inspect(connection).get_table_names()
    if tables:
        raise BackupProblem("the database is not empty: restore goes into a new, empty one")
    engine.dispose()
    if engine.dialect.name == "sqlite":
        target = Path(engine.url.database or "")
        for journal in (
            target.with_name(target.name + "-wal"),
            target.with_name(target.name + "-shm"),
        ):
            journal.unlink(missing_ok=True)  # the empty database's, not the copy's
        shutil.copyfile(folder / SQLITE_COPY, target)
    else:
        _postgres_restore(engine, folder / POSTGRES_DUMP)
    for name in manifest["files"]:
        target = store.root / name[:2] / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / "uploads" / name[:2] / name, target)
    with engine.connect() as connection:
        rows = _counts(connection)
    if rows != manifest["rows"]:
        wrong = sorted(t for t in rows if rows[t] != manifest["rows"].get(t))
        raise BackupProblem(f"restored row counts differ from the manifest: {', '.join(wrong)}")
    return rows


def _checked_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupProblem(f"{folder} has no readable {MANIFEST}: not a whole backup") from None
    database = manifest["database"]
    if _sha256(folder / database["file"]) != database["sha256"]:
        raise BackupProblem(f"{database['file']}: its checksum is not the manifest's")
    for name, digest in manifest["files"].items():
        path = folder / "uploads" / name[:2] / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupProblem(f"uploads/{name[:2]}/{name}: missing or its checksum differs")
    return manifest


def _postgres_restore(engine: sa.Engine, dump: Path) -> None:
    done = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            f"--dbname={_libpq(engine.url)}",
            str(dump),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupProblem(f"pg_restore failed: {done.stderr.strip().splitlines()[-1:]}")
