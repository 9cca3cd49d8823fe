"""The database: durable SQLite settings, and a clear stop when it cannot be reached."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import CursorResult, Engine
from sqlalchemy.sql.dml import UpdateBase

from kiosk.platform.extensions import db


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL with synchronous=FULL: an acknowledged claim survives a power cut."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def setup_db(app: Flask, *, migrations: bool = True) -> None:
    """Bind SQLAlchemy, and Alembic (`flask db`) unless `migrations` is False (the web and
    worker processes: Alembic and Mako cost a process about 11 MB it never uses); tune
    SQLite, and check the database answers."""
    from kiosk.platform import models  # noqa: F401  (the tables must be known to Alembic and create_all)

    db.init_app(app)
    if migrations:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        if app.config["CHECK_DATABASE_AT_START"]:
            check_database(engine)


def check_schema_is_current(app: Flask) -> None:
    """Before serving: stop with one line if migrations have not been applied."""
    head = migration_head()
    with app.app_context(), db.engine.connect() as connection:
        try:
            current = connection.scalar(sa.text("SELECT version_num FROM alembic_version"))
        except sa.exc.DBAPIError:  # no table: never migrated
            current = None
    if current != head:
        raise SystemExit(
            f"kiosk: the database is at migration {current or 'none'}, not {head}: "
            "run `flask --app kiosk db upgrade` (make run does it)"
        )


_REVISION = re.compile(r"^(down_revision|revision) = ['\"]?([\w]+)['\"]?$", re.MULTILINE)


def migration_head() -> str:
    """The newest migration, read from the files' `revision` and `down_revision` lines, as
    Alembic would find it, without importing Alembic into a web process."""
    revisions, parents = set(), set()
    for path in MIGRATIONS_DIR.glob("versions/*.py"):
        found = dict(_REVISION.findall(path.read_text(encoding="utf-8")))
        revisions.add(found["revision"])
        parents.add(found.get("down_revision", "None"))
    (head,) = revisions - parents
    return head


def check_database(engine: Engine) -> None:
    """Connect once; on failure stop with one line that names the setting, never the password."""
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise SystemExit(
            f"kiosk: cannot reach the database at KIOSK_DATABASE_URL="
            f"{engine.url.render_as_string(hide_password=True)}: {reason}"
        ) from None


MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def rows_changed(statement: UpdateBase) -> int:
    """Run an UPDATE or DELETE in the session and tell how many rows it changed (what a
    conditional UPDATE that claims a row reports: 1 for the winner, 0 for the others)."""
    result = cast(CursorResult[Any], db.session.execute(statement))
    return result.rowcount or 0


def detach_audit_rows(claim_id: int) -> None:
    """Unlink a purged case's audit rows from it (claim_id to NULL): the one change the
    append-only log allows, made with its guard lifted for this statement only, inside the
    purge's transaction (PostgreSQL: the table owner disables the trigger, which is
    transactional DDL; SQLite: the triggers dropped and made again from their own SQL).
    A failure rolls the guard back with everything else (ADR 0012, ADR 0046)."""
    connection = db.session.connection()
    update = sa.text("UPDATE audit_event SET claim_id = NULL WHERE claim_id = :id")
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change"))
        connection.execute(update, {"id": claim_id})
        connection.execute(sa.text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change"))
        return
    guards = connection.execute(
        sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'"
        )
    ).all()
    for name, _sql in guards:
        connection.execute(sa.text(f'DROP TRIGGER "{name}"'))
    connection.execute(update, {"id": claim_id})
    for _name, sql in guards:
        connection.execute(sa.text(sql))
