"""The district's hospitals and their grade, to recognise a hospital name read from a receipt.

The list is a CSV file (name,grade), replaceable per branch with KIOSK_HOSPITALS_FILE. The
grade matters because the hospital allowance is paid only for grade 2 hospitals or higher.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DEFAULT_FILE = Path(__file__).parent / "data" / "hospitals.csv"


@dataclass(frozen=True)
class Hospital:
    name: str
    grade: int  # 1, 2 or 3 (一级, 二级, 三级)


class HospitalListError(ValueError):
    """The hospital list file cannot be used; the message says where and why."""


@cache
def load_hospitals(path: Path = DEFAULT_FILE) -> tuple[Hospital, ...]:
    """The hospitals listed in `path`; a bad file stops with the line at fault."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            hospitals = []
            for number, row in enumerate(reader, start=2):
                name, grade = (row.get("name") or "").strip(), (row.get("grade") or "").strip()
                if not name or grade not in {"1", "2", "3"}:
                    raise HospitalListError(
                        f"{path}:{number}: need a name and a grade of 1, 2 or 3"
                    )
                hospitals.append(Hospital(name, int(grade)))
    except OSError as error:
        raise HospitalListError(f"{path}: {error.strerror}") from error
    if not hospitals:
        raise HospitalListError(f"{path}: no hospitals listed")
    return tuple(hospitals)


def district_hospitals(path: Path | None = None) -> tuple[Hospital, ...]:
    """The configured list (KIOSK_HOSPITALS_FILE), or the one shipped with the kiosk."""
    return load_hospitals(path or DEFAULT_FILE)


def match_hospital(text: str, hospitals: tuple[Hospital, ...]) -> tuple[Hospital | None, float]:
    """The listed hospital `text` most likely names, and how alike the two are (0-1).

    A listed name inside the text (a seal's words around it) counts as a full match.
    Otherwise each name is compared, by edit similarity, with every stretch of the text as
    long as the name, so that words run on from a seal or the next column do not hide it;
    one or two misread characters still match.
    """
    text = "".join(text.split())
    if not text:
        return None, 0.0
    for hospital in sorted(hospitals, key=lambda h: -len(h.name)):
        if hospital.name in text:
            return hospital, 1.0
    best, likeness = None, 0.0
    for hospital in hospitals:
        size = len(hospital.name)
        stretches = {text[i : i + size] for i in range(max(1, len(text) - size + 1))}
        for stretch in stretches:
            ratio = difflib.SequenceMatcher(None, stretch, hospital.name).ratio()
            if ratio > likeness:
                best, likeness = hospital, ratio
    return best, round(likeness, 3)
