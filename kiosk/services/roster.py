"""The insured roster (参保名册): the civil-affairs bureau's list of insured residents, a CSV
of ID number, name, registered address and the day each was listed, imported each month.

Each file is the whole list as it stands: people new to it are added, people it no longer
names are marked removed (kept, with the day), the rest left alone or brought up to date.
Nothing is imported while any row is refused, since a refused row is a person the new list
would otherwise seem to leave out; the report names every refused row and why, with the ID
number masked. One transaction: an import that fails half-way leaves the last one whole.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from kiosk.claims.eligibility import RosterStanding, roster_standing
from kiosk.claims.identity import InvalidIdNumber, parse_id_number
from kiosk.claims.masking import mask_id_number
from kiosk.claims.validation import InvalidInput, check_name, clean_text
from kiosk.platform.extensions import db
from kiosk.platform.models import RosterEntry
from kiosk.platform.storage import vault

# The bureau's headings, and the English ones, for each column.
COLUMNS = {
    "id_number": ("身份证号码", "身份证号", "公民身份号码", "id_number", "id number"),
    "name": ("姓名", "name"),
    "address": ("户籍地址", "户籍所在地", "地址", "registered_address", "address"),
    "listed_on": ("列入日期", "参保日期", "登记日期", "date_listed", "listed_on", "date listed"),
}
ADDRESS_MAX = 200
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_ID_PROBLEMS = {
    "length": "not 18 characters",
    "characters": "not 17 digits and a digit or X",
    "birth_date": "its birth date does not exist",
    "checksum": "its last character does not match (a typo?)",
}


@dataclass(frozen=True)
class ListedPerson:
    id_number: str
    name: str
    address: str
    listed_on: date


CONCURRENT_IMPORT = (
    "another roster import ran at the same moment: nothing imported from this file; "
    "run it again when that one has finished"
)


@dataclass
class RosterReport:
    """What an import did, or would do: counts, and a line for every refused row."""

    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    refused: list[str] = field(default_factory=list)
    imported: bool = False

    def summary(self) -> str:
        done = "imported" if self.imported else "nothing imported"
        return (
            f"{self.rows} rows: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.removed} removed, {len(self.refused)} refused; "
            f"{done}"
        )


def standing_of(id_number: str, accident_date: date) -> RosterStanding | None:
    """What the roster says of this person on the accident date; None when no roster has
    been imported (then only the age and the region code are checked, as before)."""
    mine = RosterEntry.id_number_hash == vault().lookup_hash(id_number)
    any_entry, listed_on, removed_on = db.session.execute(
        sa.select(  # one statement: whether there is a roster at all, and this person's entry
            sa.select(RosterEntry.id).limit(1).scalar_subquery(),
            sa.select(RosterEntry.listed_on).where(mine).scalar_subquery(),
            sa.select(RosterEntry.removed_on).where(mine).scalar_subquery(),
        )
    ).one()
    if any_entry is None:
        return None
    return roster_standing(listed_on, removed_on, accident_date)


def import_roster(data: bytes, today: date, *, dry_run: bool = False) -> RosterReport:
    """Read the file and, unless a row is refused or `dry_run`, make the roster its list."""
    report = RosterReport()
    people = list(_read(data, today, report))
    report.rows = len(people) + len(report.refused)
    if report.refused:
        return report
    try:
        _apply(people, today, report)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
            report.imported = True
    except (sa.exc.IntegrityError, sa.exc.OperationalError):
        # Another import wrote the same people first (or held SQLite's lock too long):
        # this one is rolled back whole and said so, not left as a traceback.
        db.session.rollback()
        report.added = report.updated = report.unchanged = report.removed = 0
        report.refused.append(CONCURRENT_IMPORT)
    return report


def _text_of(data: bytes) -> str:
    """UTF-8 (with or without its mark) or GBK, as the bureau's spreadsheets save it."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("the file is neither UTF-8 nor GBK text")


def _read(data: bytes, today: date, report: RosterReport) -> Iterator[ListedPerson]:
    try:
        text = _text_of(data)
    except ValueError as unreadable:
        report.refused.append(f"file: {unreadable}")
        return
    rows = ((n, row) for n, row in enumerate(csv.reader(io.StringIO(text)), 1) if any(row))
    header = next(rows, None)
    if header is None:
        report.refused.append("file: empty")
        return
    n, names = header[0], [clean_text(cell).lower() for cell in header[1]]
    where: dict[str, int] = {}
    for column, headings in COLUMNS.items():
        found = [i for i, name in enumerate(names) if name in headings]
        if not found:
            report.refused.append(f"row {n}: no {headings[0]} ({headings[-1]}) column")
        else:
            where[column] = found[0]
    if len(where) < len(COLUMNS):
        return
    seen: dict[str, int] = {}
    for n, row in rows:
        cells = {column: (row[i] if i < len(row) else "") for column, i in where.items()}
        person, problem = _person(cells, today)
        if person is not None and person.id_number in seen:
            masked = mask_id_number(person.id_number)
            problem = f"ID number {masked} is on row {seen[person.id_number]} already"
        if problem:
            report.refused.append(f"row {n}: {problem}")
            continue
        assert person is not None
        seen[person.id_number] = n
        yield person


def _person(cells: dict[str, str], today: date) -> tuple[ListedPerson | None, str]:
    raw_id = clean_text(cells["id_number"]).replace(" ", "")
    try:
        number = parse_id_number(raw_id, today=today).value
    except InvalidIdNumber as bad:
        shown = mask_id_number(raw_id) if len(raw_id) == 18 else repr(raw_id[:4] + "…")
        return None, f"ID number {shown}: {_ID_PROBLEMS[bad.problem.value]}"
    try:
        name = check_name(cells["name"])
    except InvalidInput as bad:
        return None, f"name {clean_text(cells['name'])[:30]!r}: {bad.problem.value}"
    address = clean_text(cells["address"]).replace("\n", " ")
    if len(address) > ADDRESS_MAX:
        return None, f"address: at most {ADDRESS_MAX} characters ({len(address)})"
    listed_on = _date(cells["listed_on"])
    if listed_on is None or listed_on > today:
        return None, f"date listed {clean_text(cells['listed_on'])[:20]!r}: not a date up to today"
    return ListedPerson(number, name, address, listed_on), ""


def _date(raw: str) -> date | None:
    match = _DATE.match(clean_text(raw))
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _apply(people: list[ListedPerson], today: date, report: RosterReport) -> None:
    """Make the roster the list `people`, in the session's transaction, in a few statements."""
    keys = vault()
    known = {
        row.id_number_hash: row
        for row in db.session.execute(
            sa.select(
                RosterEntry.id,
                RosterEntry.id_number_hash,
                RosterEntry.row_hash,
                RosterEntry.removed_on,
            )
        )
    }
    added, updated, listed = [], [], set()
    for person in people:
        digest = keys.lookup_hash(person.id_number)
        row_hash = keys.lookup_hash(f"{person.name}\n{person.address}\n{person.listed_on}")
        listed.add(digest)
        values = {
            "name": person.name,
            "address": person.address,
            "listed_on": person.listed_on,
            "row_hash": row_hash,
            "removed_on": None,
        }
        old = known.get(digest)
        if old is None:
            added.append({"id_number": person.id_number, "id_number_hash": digest, **values})
        elif old.row_hash != row_hash or old.removed_on is not None:
            updated.append({"id": old.id, **values})
        else:
            report.unchanged += 1
    gone = [row.id for digest, row in known.items() if digest not in listed and not row.removed_on]
    if added:
        db.session.execute(sa.insert(RosterEntry), added)
    if updated:
        db.session.execute(sa.update(RosterEntry), updated)
    for start in range(0, len(gone), 10_000):
        db.session.execute(
            sa.update(RosterEntry)
            .where(RosterEntry.id.in_(gone[start : start + 10_000]))
            .values(removed_on=today)
            .execution_options(synchronize_session=False)
        )
    report.added, report.updated, report.removed = len(added), len(updated), len(gone)
