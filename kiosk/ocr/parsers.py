"""From the text lines of a page to the fields of a receipt, a discharge summary or an ID card.

Each parser finds its fields by their printed labels (票据号码, 公民身份号码, ...), then checks
them against each other and against rules that do not depend on the OCR: the ID number's
checksum and birth date, the total in 大写 against the total in figures and the sum of the
items, dates that exist and are not in the future. What passes a check is marked sure; what
fails one is marked for the person to look at.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation

from kiosk.claims.identity import InvalidIdNumber, parse_id_number
from kiosk.ocr.amounts import parse_capital_amount
from kiosk.ocr.engines import Line
from kiosk.ocr.fields import MISSING, Field, Row, digits_only, field_from, find, normalise, rows
from kiosk.ocr.hospitals import Hospital, match_hospital

RECEIPT_FIELDS = (
    "kind",
    "hospital",
    "patient_name",
    "invoice_code",
    "invoice_number",
    "issue_date",
    "total",
    "admission_date",
    "discharge_date",
)
ID_CARD_FIELDS = ("name", "sex", "ethnicity", "birth_date", "address", "id_number")
DISCHARGE_FIELDS = ("hospital", "patient_name", "admission_date", "discharge_date", "days")

_DATE = r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?"
_NAME = r"([\u4e00-\u9fff·]{2,6})"
_CAPITALS = "零壹贰贰叁参肆伍陆柒捌玖拾佰仟万亿元圆角分整正〇两"


def _date_of(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _date_field(match: re.Match[str], row: Row, first_group: int, today: date) -> Field:
    """A date from three groups (year, month, day), doubted if impossible or in the future."""
    found = _date_of(*(match.group(first_group + i) for i in range(3)))
    box, score = row.span(match.start(first_group), match.end(first_group + 2))
    if found is None:
        return Field(None, 0.0, box, doubts=("no_such_date",))
    result = Field(found.isoformat(), round(score, 3), box)
    if found > today:
        return result.doubted("in_the_future")
    if found.year < 1900:
        return result.doubted("too_long_ago")
    return result


# --- receipts ----------------------------------------------------------------------------

_CODE = re.compile(r"票据代码\s*:?\s*([0-9OoIlSB ]{6,12})")
_NUMBER = re.compile(r"票据号码\s*:?\s*([0-9OoIlSB ]{8,14})")
_PAYER = re.compile(r"(?:交款人|患者姓名|姓名)\s*:?\s*" + _NAME)
_ISSUED = re.compile(r"开票日期\s*:?\s*" + _DATE)
_STAY = re.compile(r"住院时间\s*:?\s*" + _DATE + r"\s*(?:至|到|-|~|—)\s*" + _DATE)
_DAYS = re.compile(r"住院天数\s*:?\s*(\d{1,3})\s*天?")
_CAPITAL_TOTAL = re.compile(r"大写\)?\s*:?\s*([" + _CAPITALS + r"]{2,})")
_FIGURE_TOTAL = re.compile(r"(?:小写\)?\s*:?\s*)?¥\s*([0-9,]+\.\d{2})")
_FIGURE_TOTAL_LABELLED = re.compile(r"小写\)?\s*:?\s*¥?\s*([0-9,]+\.\d{2})")
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,7}\.\d{2})(?![\d.])")
_PAYEE = re.compile(r"收款单位(?:\(章\))?\s*:?\s*(.+)")


def parse_receipt(
    lines: list[Line], *, hospitals: tuple[Hospital, ...], today: date
) -> dict[str, Field]:
    """The fields of a 门诊 or 住院 收费票据, each checked where a rule allows."""
    page = rows(lines)
    text = normalise_all(page)
    fields: dict[str, Field] = dict.fromkeys(RECEIPT_FIELDS, MISSING)

    inpatient = "住院" in text
    fields["kind"] = Field(
        "inpatient" if inpatient else "outpatient",
        0.95 if ("住院" in text or "门诊" in text) else 0.5,
    )
    fields["invoice_code"] = _numbered(page, _CODE, 8)
    fields["invoice_number"] = _numbered(page, _NUMBER, 10)
    if found := find(page, _PAYER):
        fields["patient_name"] = field_from(*found).unverified()
    if found := find(page, _ISSUED):
        fields["issue_date"] = _date_field(*found, 1, today)
    fields["total"] = _total(page)
    fields["hospital"] = _hospital(page, hospitals)
    if inpatient and (found := find(page, _STAY)):
        admission = _date_field(*found, 1, today)
        discharge = _date_field(*found, 4, today)
        admission, discharge = _check_stay(admission, discharge, find(page, _DAYS))
        fields["admission_date"], fields["discharge_date"] = admission, discharge
    if fields["issue_date"].value and fields["discharge_date"].value:
        if fields["issue_date"].value < fields["discharge_date"].value:
            fields["issue_date"] = fields["issue_date"].doubted("issued_before_discharge")
    return {name: _settle(field) for name, field in fields.items()}


def normalise_all(page: list[Row]) -> str:
    return "\n".join(normalise(row.text) for row in page)


def _numbered(page: list[Row], pattern: re.Pattern[str], length: int) -> Field:
    """A fixed-length number after its label; any other length is doubted."""
    found = find(page, pattern)
    if not found:
        return MISSING
    match, row = found
    value = digits_only(match.group(1))
    field = field_from(match, row, 1, value)
    return field if len(value) == length else field.doubted(f"not_{length}_digits")


def _total(page: list[Row]) -> Field:
    """The total in figures, checked against the 大写 total and against the items' sum."""
    figure = find(page, _FIGURE_TOTAL_LABELLED) or find(page, _FIGURE_TOTAL)
    capital = find(page, _CAPITAL_TOTAL)
    capital_value = parse_capital_amount(capital[0].group(1)) if capital else None
    if figure is None:
        if capital_value is None:
            return MISSING
        # Only the 大写 line was read: its value, to be confirmed by the person.
        match, row = capital
        return field_from(match, row, 1, f"{capital_value:.2f}").doubted("only_capital_read")
    match, row = figure
    try:
        value = Decimal(match.group(1).replace(",", ""))
    except InvalidOperation:
        return MISSING
    total = field_from(match, row, 1, f"{value:.2f}")
    if capital_value is not None:
        total = (
            total.checked("capital_total")
            if capital_value == value
            else total.doubted("capital_total_differs")
        )
    items = _item_amounts(page, exclude=row)
    if items and sum(items) == value:
        total = total.checked("sum_of_items")
    return total


def _item_amounts(page: list[Row], exclude: Row) -> list[Decimal]:
    amounts = []
    for row in page:
        if row is exclude or "¥" in row.text or "小写" in row.text or "合计" in row.text:
            continue
        amounts.extend(Decimal(found) for found in _AMOUNT.findall(row.text))
    return amounts


def _hospital(page: list[Row], hospitals: tuple[Hospital, ...]) -> Field:
    """The payee hospital, matched to the district's list; a name not on it is doubted.

    When the 收款单位 label itself was not read (a seal over it), any row naming a listed
    hospital closely enough will do.
    """
    found = find(page, _PAYEE)
    if found is not None:
        match, row = found
        read = re.sub(r"收款人.*$", "", match.group(1)).strip()
        hospital, likeness = match_hospital(read, hospitals)
        field = field_from(match, row, 1, read)
    else:
        scored = [(match_hospital(row.text, hospitals), row) for row in page]
        if not scored:
            return MISSING
        (hospital, likeness), row = max(scored, key=lambda item: item[0][1])
        if likeness < 0.85:
            return MISSING
        field = Field(hospital.name, round(min(line.score for line in row.lines), 3), row.box)
    if hospital is not None and likeness >= 0.8:
        field = Field(hospital.name, field.confidence, field.box)
        return field.checked("hospital_list") if likeness >= 0.9 else field.unverified()
    return field.doubted("not_a_listed_hospital")


def _check_stay(
    admission: Field, discharge: Field, days: tuple[re.Match[str], Row] | None
) -> tuple[Field, Field]:
    """Admission before discharge, and the printed 住院天数 equal to the dates' difference."""
    if not (admission.value and discharge.value):
        return admission, discharge
    start, end = date.fromisoformat(admission.value), date.fromisoformat(discharge.value)
    if start > end:
        return admission.doubted("after_discharge"), discharge.doubted("before_admission")
    if days is not None:
        printed = int(days[0].group(1))
        if printed in ((end - start).days, (end - start).days + 1):
            return admission.checked("days_in_hospital"), discharge.checked("days_in_hospital")
        return admission.doubted("days_differ"), discharge.doubted("days_differ")
    return admission, discharge


def _settle(field: Field) -> Field:
    """A field with no check either way keeps a discounted score."""
    return field.unverified() if field.value is not None else field


# --- discharge summaries -----------------------------------------------------------------

_ADMITTED = re.compile(r"入院(?:日期|时间)\s*:?\s*" + _DATE)
_DISCHARGED = re.compile(r"出院(?:日期|时间)\s*:?\s*" + _DATE)
_SUMMARY_DAYS = re.compile(r"(?:实际)?住院(?:天数|日数)?\s*:?\s*(\d{1,3})\s*天")


def parse_discharge_summary(
    lines: list[Line], *, hospitals: tuple[Hospital, ...], today: date
) -> dict[str, Field]:
    """The dates of a 出院小结 (出院记录): admission, discharge and the days between."""
    page = rows(lines)
    fields: dict[str, Field] = dict.fromkeys(DISCHARGE_FIELDS, MISSING)
    if found := find(page, re.compile(r"姓名\s*:?\s*" + _NAME)):
        fields["patient_name"] = field_from(*found)
    if found := find(page, _ADMITTED):
        fields["admission_date"] = _date_field(*found, 1, today)
    if found := find(page, _DISCHARGED):
        fields["discharge_date"] = _date_field(*found, 1, today)
    days = find(page, _SUMMARY_DAYS)
    if days:
        fields["days"] = field_from(*days)
    fields["admission_date"], fields["discharge_date"] = _check_stay(
        fields["admission_date"], fields["discharge_date"], days
    )
    for row in page[:3]:  # the hospital's name heads the page
        hospital, likeness = match_hospital(row.text, hospitals)
        if hospital is not None and likeness >= 0.9:
            fields["hospital"] = Field(hospital.name, 0.97, row.box, checks=("hospital_list",))
            break
    return {name: _settle(field) for name, field in fields.items()}


# --- ID cards ----------------------------------------------------------------------------

# The 56 recognised ethnic groups, as printed on ID cards (without 族).
ETHNIC_GROUPS = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 "
    "俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()

_ID_NAME = re.compile(r"姓\s*名\s*:?\s*" + _NAME)
_SEX = re.compile(r"性\s*别\s*:?\s*([男女])")
_ETHNICITY = re.compile(r"民\s*族[^\u4e00-\u9fff]*([\u4e00-\u9fff]{1,6})")
_BIRTH = re.compile(r"出\s*生\s*:?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_ID_NUMBER = re.compile(r"(?<![0-9])([0-9OoIlSB]{17}[0-9Xx×])(?![0-9])")
_ADDRESS_LABEL = re.compile(r"住\s*址\s*:?\s*(.*)")
_NUMBER_LABEL = re.compile(r"公民身份号码")


def parse_id_card(lines: list[Line], *, today: date) -> dict[str, Field]:
    """The front of a resident ID card; the number checked against GB 11643 and the 出生 line."""
    page = rows(lines)
    fields: dict[str, Field] = dict.fromkeys(ID_CARD_FIELDS, MISSING)
    if found := find(page, _ID_NAME):
        fields["name"] = field_from(*found)
    if found := find(page, _SEX):
        fields["sex"] = field_from(*found)
    if found := find(page, _ETHNICITY):
        fields["ethnicity"] = _ethnicity(field_from(*found))
    if found := find(page, _BIRTH):
        fields["birth_date"] = _date_field(*found, 1, today)
    fields["address"] = _address(page)
    fields["id_number"] = _id_number(page, today)
    return _cross_check_id_card(fields)


def _ethnicity(field: Field) -> Field:
    """The ethnic group, which must be one of the 56."""
    value = field.value.removesuffix("族")
    if value in ETHNIC_GROUPS:
        return replace(field, value=value).checked("ethnic_groups")
    for group in sorted(ETHNIC_GROUPS, key=len, reverse=True):
        if value.startswith(group):  # the recogniser ran on into the next label
            return replace(field, value=group).unverified()
    return field.doubted("not_an_ethnic_group")


def _address(page: list[Row]) -> Field:
    """The 住址 lines: from the label down to the number's row, joined with no space."""
    start = next((i for i, row in enumerate(page) if _ADDRESS_LABEL.search(row.text)), None)
    if start is None:
        return MISSING
    label_line = next(line for line in page[start].lines if _ADDRESS_LABEL.search(line.text))
    parts: list[str] = []
    box = None
    score = 1.0
    for row in page[start:]:
        if _NUMBER_LABEL.search(row.text) or _ID_NUMBER.search(row.text.replace(" ", "")):
            break
        for line in row.lines:
            text = line.text
            if line is label_line:
                text = _ADDRESS_LABEL.search(text).group(1)
            elif line.box.right <= label_line.box.right:
                continue  # another label in the left column
            elif line.box.left > label_line.box.right + 10 * label_line.box.height:
                continue  # the portrait's side of the card
            text = "".join(text.split())
            if text:
                parts.append(text)
                box = line.box if box is None else box.union(line.box)
                score = min(score, line.score)
    if not parts:
        return MISSING
    return Field("".join(parts), round(score, 3), box).unverified()


def _id_number(page: list[Row], today: date) -> Field:
    for row in page:
        compact = row.text.replace(" ", "")
        match = _ID_NUMBER.search(compact)
        if not match:
            continue
        value = digits_only(match.group(1), allow_x=True)
        box = next(
            (line.box for line in row.lines if len(digits_only(line.text, allow_x=True)) >= 15),
            row.box,
        )
        score = min(line.score for line in row.lines)
        field = Field(value, round(score, 3), box)
        try:
            parse_id_number(value, today=today)
        except InvalidIdNumber as error:
            return field.doubted(f"id_{error.problem.value}")
        return field.checked("gb11643")
    return MISSING


def _cross_check_id_card(fields: dict[str, Field]) -> dict[str, Field]:
    """The ID number's birth date and sex digit against the 出生 and 性别 lines."""
    number = fields["id_number"]
    if number.value and "gb11643" in number.checks:
        birth, sex = fields["birth_date"], fields["sex"]
        encoded = f"{number.value[6:10]}-{number.value[10:12]}-{number.value[12:14]}"
        encoded_sex = "男" if int(number.value[16]) % 2 else "女"
        if birth.value:
            agree = birth.value == encoded
            fields["birth_date"] = (
                birth.checked("id_number") if agree else birth.doubted("id_number_differs")
            )
            fields["id_number"] = (
                number.checked("birth_line") if agree else number.doubted("birth_line_differs")
            )
        else:  # the 出生 line was not read: the number, checksum-valid, carries the date
            fields["birth_date"] = Field(
                encoded, number.confidence, number.box, ("from_id_number",)
            )
        if sex.value:
            fields["sex"] = (
                sex.checked("id_number")
                if sex.value == encoded_sex
                else sex.doubted("id_number_differs")
            )
        else:
            fields["sex"] = Field(encoded_sex, number.confidence, number.box, ("from_id_number",))
    return {name: _settle(field) for name, field in fields.items()}
