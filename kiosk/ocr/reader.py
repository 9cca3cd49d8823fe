"""Read one document photo: prepare the page, read its lines, parse and check the fields.

`read_image` is what the app and the worker use; `read_document(path, kind)` is the plain
contract of the command line (`python -m kiosk.ocr`). Engines stay loaded in the process, so
a worker reads page after page without loading the models again.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np
from PIL import Image

from kiosk.claims.calendar import today_in_china
from kiosk.ocr.engines import DIGITS, Engine, engine, release_memory
from kiosk.ocr.fields import Field, digits_only
from kiosk.ocr.hospitals import Hospital, district_hospitals
from kiosk.ocr.images import load_image
from kiosk.ocr.lines import Box, Line
from kiosk.ocr.parsers import (
    DISCHARGE_FIELDS,
    ID_CARD_FIELDS,
    RECEIPT_FIELDS,
    a_document_date,
    an_amount,
    parse_discharge_summary,
    parse_id_card,
    parse_receipt,
)
from kiosk.ocr.prepare import (
    black_ink,
    fade_seal,
    inks_apart,
    prepare,
    red_as_black,
    red_text_boxes,
    resize_long_side,
    to_array,
)

if TYPE_CHECKING:
    import opencc

KINDS = ("receipt", "id_card", "discharge_summary")
# Of each kind, the fields a claim needs most: what the benchmark counts a document read by.
CRITICAL_FIELDS = {
    "receipt": ("total", "issue_date", "invoice_number"),
    "id_card": ("id_number", "name"),
    "discharge_summary": ("admission_date", "discharge_date"),
}
DEFAULT_ENGINE = "rapidocr"

# Fields worth a second, independent reading when no rule has confirmed them: the numbers a
# misread digit would make wrong without anyone noticing. Value: the characters they may hold.
_SECOND_READING = {
    "invoice_code": DIGITS,
    "invoice_number": DIGITS,
    "total": DIGITS + ".",
    "issue_date": DIGITS + "-",
    "id_number": DIGITS + "X",
}
# Of those, the ones a second reading may only doubt, never confirm: the same digits read
# twice prove the digits, not that the right cell was taken (合计 of one group of a list).
_DOUBT_ONLY = {"total"}


@dataclass
class Reading:
    """What was read from one photo: the fields, and the prepared page their boxes refer to."""

    kind: str
    fields: dict[str, Field]
    page: np.ndarray
    engine: str
    seconds: float
    hospital_grade: int | None = None  # 1-3 when the hospital is on the district's list

    def as_json(self) -> dict[str, object]:
        """The command line's object: the contract's keys first, then confidence and boxes."""
        values: dict[str, object]
        if self.kind == "receipt":
            values = {"doc_type": "receipt", **{k: self.fields[k].value for k in RECEIPT_FIELDS}}
        elif self.kind == "id_card":
            values = {"doc_type": "id_card", **{k: self.fields[k].value for k in ID_CARD_FIELDS}}
        else:
            values = {"doc_type": self.kind, **{k: self.fields[k].value for k in DISCHARGE_FIELDS}}
        values["confidence"] = {name: f.confidence for name, f in self.fields.items() if f.value}
        values["boxes"] = {name: f.box.as_list() for name, f in self.fields.items() if f.box}
        values["hospital_grade"] = self.hospital_grade
        values["doubts"] = {name: list(f.doubts) for name, f in self.fields.items() if f.doubts}
        values["engine"] = self.engine
        values["seconds"] = round(self.seconds, 3)
        return values


def engine_name() -> str:
    return os.environ.get("KIOSK_OCR_ENGINE", DEFAULT_ENGINE)


def hospital_list() -> tuple[Hospital, ...]:
    configured = os.environ.get("KIOSK_HOSPITALS_FILE")
    return district_hospitals(Path(configured) if configured else None)


@cache
def _to_simplified() -> opencc.OpenCC:
    import opencc

    return opencc.OpenCC("t2s")


def simplified(lines: list[Line]) -> list[Line]:
    """Lines in simplified characters: the recogniser sometimes returns 漢 for the printed 汉,
    and mainland receipts and ID cards are printed in simplified characters only."""
    convert = _to_simplified().convert
    return [replace(line, text=convert(line.text)) for line in lines]


def read_image(
    image: Image.Image,
    kind: str,
    *,
    engine_name_: str | None = None,
    hospitals: tuple[Hospital, ...] | None = None,
    today: date | None = None,
) -> Reading:
    """Read a decoded, upright photo of a document of `kind`."""
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}; choose one of {', '.join(KINDS)}")
    started = time.perf_counter()
    main = engine(engine_name_ or engine_name())
    today = today or today_in_china()
    hospitals = hospitals if hospitals is not None else hospital_list()
    photo = to_array(image)
    prepared = prepare(photo)
    read = read_page(across(prepared.page, prepared.squared, main), kind, main, today, hospitals)
    if prepared.guessed and (missing := _missing(read.fields, kind)):
        # The page's outline was a guess (no edge along it: glare, another sheet beside it),
        # and a field the claim needs most was not found: perhaps cut off. The whole photo is
        # read too, and the reading that found more of those fields kept.
        whole = prepare(photo, cut=False)
        again = read_page(across(whole.page, False, main), kind, main, today, hospitals)
        if len(_missing(again.fields, kind)) < len(missing):
            read = again
    fields = read.fields
    second = engine("tesseract")
    # Tesseract alone (KIOSK_OCR_ENGINE=tesseract): reading its own crop again is not a
    # second reader, so agreeing confirms nothing; disagreeing still asks the person.
    fields = second_reading(
        fields, (read.faded, read.page), second, confirms=second.name != main.name
    )
    grades = {hospital.name: hospital.grade for hospital in hospitals}
    hospital = fields.get("hospital")
    grade = grades.get(hospital.value or "") if hospital else None
    release_memory()
    return Reading(kind, fields, read.page, main.name, time.perf_counter() - started, grade)


@dataclass
class PageRead:
    """One page read: as prepared (`page`), with its seals faded (`faded`), and the fields
    parsed from its lines."""

    page: np.ndarray
    faded: np.ndarray
    fields: dict[str, Field]


def read_page(
    page: np.ndarray, kind: str, main: Engine, today: date, hospitals: tuple[Hospital, ...]
) -> PageRead:
    """The fields of a prepared page, read by `main`; turned first if its lines run down it
    or it reads upside down. What one pass over the page missed is looked for again where it
    may be: a paper form's red No., a date struck over the form's own print, an ID card's
    name."""
    faded = fade_seal(page)
    lines = simplified(main.read_lines(faded))
    if runs_down([line.box for line in lines]):
        # A page turned a quarter that its shape did not show (across() looks at tall pages
        # only): an A4 summary photographed sideways is wider than tall, its text running down.
        # The engine reads a line running down turned back a quarter (RapidOCR): its words
        # read so, the page is turned back the same way.
        turn = cv2.ROTATE_90_COUNTERCLOCKWISE if upright(lines, kind) else cv2.ROTATE_90_CLOCKWISE
        page = cv2.rotate(page, turn)
        faded = fade_seal(page)
        lines = simplified(main.read_lines(faded))
    if not upright(lines, kind):  # shot upside down, or turned the wrong way by across()
        turned = cv2.rotate(page, cv2.ROTATE_180)
        turned_faded = fade_seal(turned)
        turned_lines = simplified(main.read_lines(turned_faded))
        if upright(turned_lines, kind):
            page, faded, lines = turned, turned_faded, turned_lines
    if kind == "receipt":
        fields = parse_receipt(lines, hospitals=hospitals, today=today)
        red: list[Line] = []
        if fields["invoice_number"].value is None:  # a paper form's No., printed in red
            red = simplified(red_lines(page, main))
            if red:
                fields = parse_receipt(lines, hospitals=hospitals, today=today, red=red)
        issued = fields["issue_date"]
        if _unlabelled(issued) and (dates := dates_in_black(page, lines, main)):
            lines = [dates.get(index, line) for index, line in enumerate(lines)]
            fields = parse_receipt(lines, hospitals=hospitals, today=today, red=red)
            stay = (fields["admission_date"].value, fields["discharge_date"].value)
            if issued.value is not None and issued.value not in stay:
                # A date read as one the first time stands; read again, the lines may still
                # have told the stay's dates, or shown it was one of them.
                fields["issue_date"] = issued
    elif kind == "id_card":
        fields = parse_id_card(lines, today=today)
        if fields["name"].value is None and (found := look_beside(faded, lines, "姓名", main)):
            lines = lines + simplified(found)  # the name missed where the label says it is
            fields = parse_id_card(lines, today=today)
    else:
        fields = parse_discharge_summary(lines, hospitals=hospitals, today=today)
    return PageRead(page, faded, fields)


def _unlabelled(issued: Field) -> bool:
    """An issue date not found, or found without its label: perhaps a date the printer
    struck over the form's 年 月 日, not read as a date, is the one."""
    return issued.value is None or "no_date_label" in issued.doubts


def _missing(fields: dict[str, Field], kind: str) -> list[str]:
    """The fields a claim needs most (CRITICAL_FIELDS) not found on a page."""
    return [name for name in CRITICAL_FIELDS[kind] if fields[name].value is None]


_GLANCE_SIDE = 640


def across(page: np.ndarray, squared: bool, reader: Engine) -> np.ndarray:
    """The page turned a quarter when its text runs down it: a landscape receipt or card shot
    with the tablet held upright. A page wider than tall is taken as it is; a taller one is
    looked at first, since a thermal slip, an expense list or a discharge summary is printed
    tall. With an engine that cannot tell, a tall page cut out of a photo (`squared`) is
    turned, as receipts and cards are landscape; a flat scan is read as it stands. Whether
    the page then stands on its head, the reading tells (upright)."""
    if page.shape[0] <= page.shape[1] * 1.15:
        return page
    # Which way lines run shows on a small copy as well, in a quarter of the time.
    boxes = reader.line_boxes(resize_long_side(page, _GLANCE_SIDE))
    turn = runs_down(boxes) if boxes else squared  # squared: the engine cannot tell
    return cv2.rotate(page, cv2.ROTATE_90_CLOCKWISE) if turn else page


def runs_down(boxes: list[Box]) -> bool:
    """Whether more of the lines found run down the page than across it."""
    down = sum(1 for box in boxes if box.height > 1.5 * box.width)
    return down > sum(1 for box in boxes if box.width > 1.5 * box.height)


def red_lines(page: np.ndarray, reader: Engine) -> list[Line]:
    """The lines printed in red ink, read from crops where red shows dark."""
    lines = []
    for left, top, right, bottom in red_text_boxes(page):
        crop = red_as_black(page[top:bottom, left:right])
        read = reader.read_crop(crop)
        if read is not None and read.text.strip():
            lines.append(Line(read.text, read.score, Box(left, top, right, bottom)))
    return lines


# A date's beginning, or a form's printed 年 月 日: a line that may be a date read broken.
_DATE_LIKE = re.compile(r"(?:19|20)\d|[年月日]")
_MOST_DATES_AGAIN = 6
# A year alone, or a muddled one with its 年 ('20年2'): its month and day stand to its right.
_YEAR_ALONE = re.compile(r"\s*(?:19|20)\d{2}\s*年?\s*|[\d\s]*年[\d\s]*")
_YEAR_IN_BRACKETS = re.compile(r"[(（]\s*\d{2,4}\s*[)）]")
_DATE_WIDTHS = 3.5  # 'YYYY MM DD' spread over a form's 年 月 日: about this many years wide


def dates_in_black(page: np.ndarray, lines: list[Line], reader: Engine) -> dict[int, Line]:
    """Lines that look like a date but do not read as one, read again from one ink only: a
    dot-matrix printer out of register strikes the digits over a form's own 年 月 日, and
    the two read as one muddle ('202月 06 2' for 2021 06 29, '20年2' for 2022年). First the
    black print alone (black_ink), then each of the crop's two inks alone (inks_apart).
    A line holding a year alone (read alone, or muddled with its 年) is read on to its right,
    where its month and day stand. Each that now reads as a date, by its index, the date
    written whole after the words before it (入院日期2021年06月29日)."""
    candidates = [index for index, line in enumerate(lines) if _broken_date(line.text)]
    found: dict[int, Line] = {}
    for index in candidates[:_MOST_DATES_AGAIN]:
        box = _date_extent(lines, index, page.shape[1])
        crop = crop_of(page, box)
        for inked in (black_ink(crop), *inks_apart(crop)):
            again = reader.read_crop(inked)
            if again is not None and (day := a_document_date(again.text)) is not None:
                # The words before the digits kept as first read (入院日期): one ink alone
                # may have lost them, the label of the date that follows.
                label = re.sub(r"\d.*", "", lines[index].text)
                whole = f"{label}{day[0].year}年{day[0].month:02d}月{day[0].day:02d}日"
                found[index] = replace(lines[index], text=whole, score=again.score, box=box)
                break
    return found


def _broken_date(text: str) -> bool:
    """A line that may be a date read broken: four digits or more and a date's beginning or
    a 年 月 日, or a 年 among two digits or more; not a date or an amount as read, nor a
    year in brackets."""
    if _YEAR_IN_BRACKETS.search(text):
        return False  # the form's own batch: 粤财综（2012）90号
    digits = sum(char.isdigit() for char in text)
    looks = (digits >= 4 and _DATE_LIKE.search(text)) or (digits >= 2 and "年" in text)
    return bool(looks) and a_document_date(text) is None and an_amount(text) is None


def _date_extent(lines: list[Line], index: int, width: int) -> Box:
    """Where the date a line begins may stand: the line itself, or, when it holds a year
    alone, the line and what follows it on its row (the lines next to it, each near the
    last, and at least _DATE_WIDTHS times its own width: the month and day may not have
    been found as text at all)."""
    box = lines[index].box
    if not _YEAR_ALONE.fullmatch(lines[index].text):
        return box
    right = box.right
    row = sorted(
        (line.box for line in lines if box.top < (line.box.top + line.box.bottom) / 2 < box.bottom),
        key=lambda found: found.left,
    )
    for other in row:
        if right <= other.left <= right + 2 * box.height:
            right = other.right
    right = max(right, box.left + round(_DATE_WIDTHS * (box.right - box.left)))
    return Box(box.left, box.top, min(width, right), box.bottom)


def look_beside(page: np.ndarray, lines: list[Line], label: str, reader: Engine) -> list[Line]:
    """The text found again right of a printed `label` that stands alone in its line: on a
    blurred or glaring photo the page's reading may miss a value its label shows the place
    of. The crop is about seven characters wide and a line taller than the label."""
    for line in lines:
        if line.text.replace(" ", "").strip(":：") != label:
            continue
        box, height = line.box, line.box.height
        top, bottom = max(box.top - height // 2, 0), min(box.bottom + height // 2, page.shape[0])
        left = box.right
        right = min(box.right + 7 * height, page.shape[1])
        if right - left < height or bottom - top < 8:
            continue
        found = reader.read_lines(page[top:bottom, left:right])
        return [replace(again, box=_moved(again.box, left, top)) for again in found]
    return []


def _moved(box: Box, right: int, down: int) -> Box:
    """A box of a crop, on the page the crop was cut from."""
    return Box(box.left + right, box.top + down, box.right + right, box.bottom + down)


# Printed words every document of a kind carries (a receipt or its 费用明细 by the form's words,
# the hospital's name or the amount column's head); none read means the page is upside down.
_LANDMARKS = {
    "receipt": ("票据", "收费", "合计", "大写", "开票", "费用", "清单", "明细", "金额", "医院"),
    "id_card": ("公民身份", "姓名", "出生", "住址", "性别"),
    "discharge_summary": ("出院", "入院", "住院"),
}


def upright(lines: list[Line], kind: str) -> bool:
    """Whether the lines read include at least one of the document's printed labels."""
    return any(landmark in line.text for line in lines for landmark in _LANDMARKS[kind])


def second_reading(
    fields: dict[str, Field],
    pages: tuple[np.ndarray, ...],
    reader: Engine,
    *,
    confirms: bool = True,
) -> dict[str, Field]:
    """Numbers no rule has confirmed are read again from their crop by a second engine.

    `pages` are the same page prepared in more than one way (seals faded, and not: red
    print shows only on the second). The same digits from both readers, on either page,
    confirm a number; different digits on every page mark it for the person to check. A
    field already confirmed, or already doubted, is left as it is. A total is only doubted
    this way, never confirmed (see _DOUBT_ONLY). Names are not read
    again: two readers agree as readily on the wrong cell (西药费 beside 姓名) as on the right
    one, so nothing but the person confirms a name.
    """
    result = dict(fields)
    for name in _SECOND_READING:
        field = fields.get(name)
        if field is None or field.value is None or field.box is None:
            continue
        if field.checks or field.doubts:
            continue
        alphabet = _SECOND_READING[name]
        agreed = read_any = False
        for page in pages:
            again = reader.read_crop(crop_of(page, field.box), alphabet)
            if again is None:
                continue
            read_any = True
            agreed = digits_only(again.text, allow_x=True) == digits_only(field.value, allow_x=True)
            if agreed:
                break
        if agreed and not confirms:
            continue  # the same engine agreeing with itself says nothing either way
        if agreed and name not in _DOUBT_ONLY:
            result[name] = field.checked("second_reader")
        elif read_any:
            result[name] = field.doubted("second_reader_differs")
    return result


def crop_of(page: np.ndarray, box: Box, margin: float = 0.15) -> np.ndarray:
    """The part of the page inside `box`, with a little margin around it."""
    pad = int(max(box.bottom - box.top, 8) * margin)
    top, bottom = max(box.top - pad, 0), min(box.bottom + pad, page.shape[0])
    left, right = max(box.left - pad, 0), min(box.right + pad, page.shape[1])
    return page[top:bottom, left:right]


def read_document(path: str | Path, kind: str) -> dict[str, object]:
    """Read the photo at `path` as a document of `kind` and return the command line's object.

    Raises kiosk.ocr.images.ImageRejected if the file is not a usable photo.
    """
    loaded = load_image(Path(path).read_bytes())
    return read_image(loaded.image, kind).as_json()
