"""Key rotation: every encrypted column and stored file re-encrypted under the newest key
(KIOSK_ENCRYPTION_KEY lists it first), after which the oldest key can be removed.

A batch at a time, each committed, and a value already under the newest key is left alone:
interrupted, the command is run again and goes on where it stopped (ADR 0044)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa

from kiosk.platform.extensions import db
from kiosk.platform.models import EncryptedJSON, EncryptedText
from kiosk.platform.storage import files, vault

BATCH = 500


@dataclass
class Rotation:
    """What a run re-encrypted, by table.column (and "files"), and what already was."""

    rotated: dict[str, int] = field(default_factory=dict)
    already: int = 0

    def lines(self) -> list[str]:
        done = [f"{where}: {n} re-encrypted" for where, n in sorted(self.rotated.items()) if n]
        return [*done, f"{self.already} values and files were under the newest key already"]


def encrypted_columns() -> Iterator[tuple[sa.Table, list[str]]]:
    """Every table with encrypted columns, and those columns' names."""
    for table in db.metadata.sorted_tables:
        names = [
            c.name for c in table.columns if isinstance(c.type, (EncryptedText, EncryptedJSON))
        ]
        if names:
            yield table, names


def rotate_keys(after_batch: Callable[[str], None] = lambda where: None) -> Rotation:
    """Re-encrypt what is not under the newest key yet; `after_batch` is told after each
    committed batch (the command prints progress; a test stops there)."""
    report = Rotation()
    for table, names in encrypted_columns():
        _rotate_table(table, names, report, after_batch)
    store = files()
    names = store.names()
    for start in range(0, len(names), BATCH):
        for name in names[start : start + BATCH]:
            if store.rotate(name):
                report.rotated["files"] = report.rotated.get("files", 0) + 1
            else:
                report.already += 1
        after_batch("files")
    return report


def _rotate_table(
    table: sa.Table, names: list[str], report: Rotation, after_batch: Callable[[str], None]
) -> None:
    (key,) = table.primary_key.columns  # every table here has a one-column key
    # The columns as the bytes stored, past the models' decrypting types.
    raw = sa.table(table.name, sa.column(key.name), *(sa.column(n, sa.LargeBinary) for n in names))
    last = None
    while True:
        query = sa.select(raw).order_by(raw.c[key.name]).limit(BATCH)
        if last is not None:
            query = query.where(raw.c[key.name] > last)
        rows = db.session.execute(query).all()
        if not rows:
            return
        for row in rows:
            changed, was = {}, []
            for name in names:
                token = getattr(row, name)
                if token is None:
                    continue
                if vault().is_newest(bytes(token)):
                    report.already += 1
                else:
                    changed[name] = vault().rotate(bytes(token))
                    was.append(raw.c[name] == token)
            if changed:
                # Only if nobody wrote the row meanwhile: their value is under the newest key.
                db.session.execute(
                    raw.update().where(raw.c[key.name] == row[0], *was).values(**changed)
                )
                for name in changed:
                    where = f"{table.name}.{name}"
                    report.rotated[where] = report.rotated.get(where, 0) + 1
        db.session.commit()
        last = rows[-1][0]
        after_batch(table.name)
