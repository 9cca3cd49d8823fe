"""对 / 改一下: settling on a value OCR read, or on the one the person typed instead."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from kiosk.ocr.fields import SURE
from kiosk.words import claimant as m


def is_sure(read: dict[str, Any] | None) -> bool:
    """Whether a read field may be shown as pre-accepted (对 already chosen): the rule of
    kiosk.ocr.fields.Field.sure, on a field as stored. A doubted field is never sure."""
    return read is not None and read["value"] is not None and read["confidence"] >= SURE


def confirmed(
    form: MultiDict, name: str, read: dict[str, Any] | None, errors: dict[str, str]
) -> str:
    """The value the person settled on for a read field: the read one (对) or the typed one."""
    choice = form.get(f"ok-{name}")
    if read is not None and choice == "yes":
        return read["value"]
    if read is None or choice == "edit":
        return form.get(f"edit-{name}", form.get(name, ""))
    if form.get(name, "").strip():  # typed while the reading was slow, before it came
        return form[name]
    errors[name] = str(m.CONFIRM_CHOOSE)
    return ""


def id_number_groups(value: str) -> str:
    """4405 14 1950 0312 123X: region, county, year, month-day, sequence and check, to read aloud."""
    if len(value) != 18:
        return value
    return " ".join((value[:4], value[4:6], value[6:10], value[10:14], value[14:]))
