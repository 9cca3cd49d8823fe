"""From the text lines of a page to the fields of a receipt, a discharge summary or an ID card.

No layout is assumed. Each field is looked for by its printed labels and their synonyms
(交款人 / 患者姓名 / 姓名 ...) wherever they are on the page, its value taken from the rest of
the label's line, the next cell to the right or the line below (kiosk.ocr.layout), and only
when the text has the value's own form: a number of the right length, a date, an amount, a
name, an institution's name. Some fields are also found by form alone where a label is often
lost (the red press-numbered No. of a paper receipt, the 大写 total, a date by 年 月 日).

Then the fields are checked against each other and against rules independent of the reading:
the ID number's checksum, birth date and sex digit; the 大写 total against the figure and the
items' sum; admission before discharge and 住院天数; dates that exist and are not in the
future. What passes a check is marked sure; what fails one is marked for the person.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from kiosk.claims.identity import InvalidIdNumber, parse_id_number
from kiosk.ocr.amounts import DIGITS as CAPITAL_NUMERALS
from kiosk.ocr.amounts import capital_amount, parse_capital_amount
from kiosk.ocr.fields import MISSING, Field, digits_only
from kiosk.ocr.hospitals import Hospital, match_hospital
from kiosk.ocr.layout import Hit, Page, Piece, Text, Vocabulary
from kiosk.ocr.lines import Box, Line, around
from kiosk.ocr.places import restore_places

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

# --- the labels ---------------------------------------------------------------------------

# Field labels, in order of preference; a label's synonyms as printed by different platforms.
NUMBER_LABELS = ("票据号码", "发票号码", "收据号码", "票据号", "发票号", "收据号", "单据号", "票号")
CODE_LABELS = ("票据代码", "发票代码")
# The bare 日期 last: _issue_date reads its value on its own line only.
ISSUED_LABELS = (
    "开票日期", "填开日期", "开具日期", "收费日期", "结算日期", "缴费日期", "开票时间",
    "收费时间", "结算时间", "缴费时间", "打印日期", "打印时间", "日期",
)  # fmt: skip
PAYER_LABELS = (
    "交款单位(人)",
    "交款人(单位)",
    "缴款人",
    "交款人",
    "患者姓名",
    "病人姓名",
    "姓名",
    "患者",
    "病人",
    "就诊人",
)
PAYEE_LABELS = (
    "收款单位(章)", "收款单位(盖章)", "收款单位", "医院名称", "医疗机构名称", "开票单位",
    "填开单位", "收费单位",
)  # fmt: skip
FIGURE_LABELS = (
    "(小写)", "金额合计(小写)", "合计(小写)", "合计金额", "金额合计", "费用合计", "总金额",
    "总费用", "费用总额", "合计", "总计", "¥",
)  # fmt: skip
CAPITAL_LABELS = (
    "金额合计(大写)", "合计(大写)", "合计人民币(大写)", "人民币(大写)", "合计人民币", "(大写)",
    "大写", "人民币",
)  # fmt: skip
# An inpatient's settlement: the deposit, plus what was paid on top or less what was refunded,
# is what the stay cost when no fund paid a part of it.
DEPOSIT_LABELS = ("预交金额", "预交金", "预交款", "预缴金额", "预缴金")
TOP_UP_LABELS = ("补交金额", "补缴金额", "补交", "补缴")
REFUND_LABELS = ("退款金额", "退还金额", "退款")
STAY_LABELS = ("住院时间", "住院日期", "住院期间")
VISIT_LABELS = ("就诊日期",)
ADMITTED_LABELS = ("入院日期", "入院时间")
DISCHARGED_LABELS = ("出院日期", "出院时间")
DAYS_LABELS = ("实际住院天数", "住院天数", "住院日数", "实际住院", "共住院", "天数")

# Labels of what is not read, so that no value runs on into them and none is taken for one.
OTHER_LABELS = (
    "交款人统一社会信用代码", "统一社会信用代码", "社会信用代码", "复核人", "收款人", "开票人",
    "收费员", "操作员", "校验码", "业务流水号", "流水号", "门诊号", "住院号", "病历号", "病案号",
    "医保编号", "医保类型", "医疗保险类型", "社会保障号码", "社会保障卡号", "医疗机构类型",
    *VISIT_LABELS, "出生日期", "性别", "年龄", "科室", "床号", "医生", "项目名称", "项目编码", "编码",
    "数量", "单位", "单价", "规格", "金额", "金额(元)", "备注", "其他信息", "医保统筹基金支付",
    "统筹基金支付", "统筹支付", "个人账户支付", "个人现金支付", "个人支付", "医保支付", "其他支付",
    "现金支付", "自付", "自费", "实收", "找零", "应收", "入院诊断",
    "出院诊断", "诊断", "诊疗经过", "出院医嘱", "医师签名", "签名", "打印次数", "电话", "地址",
    "财务专用章", "专用章", "监制章", "(章)", "(盖章)", "民族", "出生", "住址", "公民身份号码",
    "费用日期", "记账日期", "发生日期", "医嘱日期", "手术日期", "项目", "类别", "等级",
    "就诊号", "就诊卡号", "患者编号", "病人编号", "身份证号", "交易流水号", "结算号",
    *DEPOSIT_LABELS, *TOP_UP_LABELS, *REFUND_LABELS,
)  # fmt: skip

RECEIPT_WORDS = Vocabulary(
    NUMBER_LABELS + CODE_LABELS + ISSUED_LABELS + PAYER_LABELS + PAYEE_LABELS + FIGURE_LABELS
    + CAPITAL_LABELS + STAY_LABELS + ADMITTED_LABELS + DISCHARGED_LABELS + DAYS_LABELS
    + OTHER_LABELS
)  # fmt: skip
ID_CARD_WORDS = Vocabulary(("姓名", "性别", "民族", "出生", "住址", "公民身份号码", "签发机关"))

# --- the forms of values -------------------------------------------------------------------

_DIGIT_LIKE = "0-9OoIlSBD|"
_DAY_END = r"(?:(?!\d)|(?=\d{1,2}:\d{2}))"  # a day's digits end, or run on into a time
_DATE = re.compile(
    r"((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})" + _DAY_END + r"\s*日?"
)
# In a date's own context (after its label, or around a printed 年 月 日): digits apart.
_LOOSE_DATE = re.compile(r"((?:19|20)\d{2})\D{0,3}?(\d{1,2})\D{0,3}?(\d{1,2})" + _DAY_END)
_COMPACT_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d{1,7})\s?[.,]\s?(\d{2})(?![\d])")
_CAPITAL_RUN = re.compile(r"[零壹贰貳叁参肆伍陆陸柒捌玖拾佰仟万萬亿元圆角分整正〇两]{2,}")
_NAME = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff·]{1,5}")
_NOT_NAMES = {
    "男", "女", "汉族", "自费", "医保", "职工", "居民", "门诊", "住院", "本人", "现金", "无",
    "城乡居民", "城镇职工", "职工医保", "居民医保", "普通门诊", "自费病人", "个人",
}  # fmt: skip
_INSTITUTION = re.compile(
    r"[\u4e00-\u9fff()]{2,30}(?:附属医院|医院|卫生院|卫生服务中心|卫生服务站|服务中心|门诊部"
    r"|诊所|保健院|保健所|医务室|卫生所|医学中心)(?:[\u4e00-\u9fff]{0,6}(?:分院|院区))?"
)
_PAYEE_NAME = re.compile(r"[\u4e00-\u9fff]{2,30}(?:中心|院|所|室|部)(?:\([\u4e00-\u9fff]{2,20}\))?")
_NO = re.compile(r"(?:N[oO0º]|№)\s*[.:]?\s*([0-9OIlSB]{6,12})(?![0-9])")


def _date_of(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def a_date(text: str, *, loose: bool = False, since: int = 1900) -> tuple[date, int, int] | None:
    """The first real date in `text` in year `since` or later, with where it stands; `loose`
    also takes digits set apart by spaces (a form's 年 月 日 filled by a printer) and eight
    digits in a row."""
    patterns = [_DATE] + ([_COMPACT_DATE, _LOOSE_DATE] if loose else [])
    for pattern in patterns:
        for match in pattern.finditer(text):
            found = _date_of(*match.groups())
            if found is not None and found.year >= since:
                return found, match.start(), match.end()
    return None


# A receipt's, a stay's or a summary's date: this century. Before it, the digits were misread
# ("入院日期191212": a dot-matrix printer out of register, the 20 of 2019 lost in the label).
DOCUMENTS_SINCE = 2000
_SHORT_DATE = re.compile(r"\d?(\d{2})(\d{2})(\d{2})(?!\d)")


def a_document_date(text: str) -> tuple[date, int, int] | None:
    """A date on a receipt or a summary: in any printed style since 2000."""
    return a_date(text, loose=True, since=DOCUMENTS_SINCE)


def a_payment(text: str) -> tuple[Decimal, int, int] | None:
    """An amount more than nothing: no receipt totals 0.00 (that is 个人账户支付 beside it)."""
    found = an_amount(text)
    return found if found is not None and found[0] > 0 else None


def an_amount(text: str) -> tuple[Decimal, int, int] | None:
    match = _AMOUNT.search(text)
    if not match:
        return None
    try:
        value = Decimal(f"{match.group(1).replace(',', '')}.{match.group(2)}")
    except InvalidOperation:
        return None
    return value, match.start(), match.end()


def a_number(text: str, shortest: int, longest: int) -> tuple[str, int, int] | None:
    """The first run of `shortest`..`longest` digits (letters OCR confuses with digits read as
    digits, when the run is mostly digits)."""
    for match in re.finditer(f"[{_DIGIT_LIKE}][{_DIGIT_LIKE} ]*", text):
        run = match.group(0).rstrip()
        digits = digits_only(run)
        real = sum(char.isdigit() for char in run)
        if shortest <= len(digits) <= longest and real >= 0.7 * len(digits):
            return digits, match.start(), match.start() + len(run)
    return None


def a_name(text: str) -> tuple[str, int, int] | None:
    # A stray mark or two before the name (a box the recogniser made of a speck: ☑吕宝).
    lead = len(text) - len(re.sub(r"^[\s\W_]{0,3}", "", text))
    match = _NAME.match(text[lead:])
    if not match or re.match(r"\s*[\u4e00-\u9fff]{2,6}\s*:", text):
        return None  # nothing like a name, or a label (a misread one: 性刑：女)
    name = match.group(0)
    if name in _NOT_NAMES or len(name.replace("·", "")) > 4 and "·" not in name:
        return None
    if name.endswith("费"):  # a charge item (西药费) in the cell beside 姓名
        return None
    return name, lead + match.start(), lead + match.end()


def an_institution(text: str, *, labelled: bool = False) -> tuple[str, int, int] | None:
    """The name of a hospital or clinic, as printed (the longest that ends like one). After
    its label, any name ending in 中心 or 院 will do (急救中心, 研究院)."""
    compact = text.replace(" ", "")
    found = None
    pattern = _PAYEE_NAME if labelled else _INSTITUTION
    for match in pattern.finditer(compact):
        if found is None or len(match.group(0)) > len(found[0]):
            found = (match.group(0), match.start(), match.end())
    return found


Value = TypeVar("Value")
Form = Callable[[str], "tuple[Value, int, int] | None"]


def _first(
    page: Page, labels: Iterable[str], form: Form[Value], *, below: int = 2
) -> tuple[Value, Text, int, int, Hit] | None:
    """The first text near one of `labels` that has the form: (value, Text, start, end, Hit)."""
    for hit in _labelled(page, labels):
        for text in page.near(hit, below=below):
            found = form(text.text)
            if found is not None:
                value, start, end = found
                return value, text, start, end, hit
    return None


def _labelled(page: Page, labels: Iterable[str]) -> Iterator[Hit]:
    """The places `labels` are printed (Page.labelled), but for a bare 日期 that is what is
    left of 入院日期 or 出院日期 under the figures overprinting it (0017180日期, 2018-11-27院日期)."""
    for hit in page.labelled(labels):
        if hit.label != "日期" or not re.search(r"[\d院]$", hit.piece.text[: hit.start]):
            yield hit


def _field(value: str, text: Text, start: int, end: int) -> Field:
    return Field(value, round(text.score, 3), text.span(start, end))


def _labelled_date(page: Page, labels: Iterable[str], today: date, *, below: int = 1) -> Field:
    """The first date, in any printed style, near one of `labels`; MISSING if none. Six
    digits right after the label are read as YYMMDD, doubted: the label says a date stands
    there, the century is a guess."""
    found = _first(page, labels, a_document_date, below=below)
    if found:
        return _date_field(*found[:4], today)
    short = _first(page, labels, lambda text: _short_date(text, today), below=0)
    return _date_field(*short[:4], today).doubted("two_digit_year") if short else MISSING


def _short_date(text: str, today: date) -> tuple[date, int, int] | None:
    """YYMMDD at the start of `text`, after what is left of a lost 20 (0191229)."""
    match = _SHORT_DATE.match(text.strip())
    if not match:
        return None
    found = _date_of(str(2000 + int(match.group(1))), match.group(2), match.group(3))
    if found is None or found > today:
        return None
    lead = len(text) - len(text.lstrip())
    return found, lead + match.start(1), lead + match.end(3)


def _date_field(day: date, text: Text, start: int, end: int, today: date) -> Field:
    return _checked_date(_field(day.isoformat(), text, start, end), day, today)


def _checked_date(field: Field, day: date, today: date) -> Field:
    """A date field, doubted when the day is in the future or before 1900."""
    if day > today:
        return field.doubted("in_the_future")
    if day.year < 1900:
        return field.doubted("too_long_ago")
    return field


# --- receipts ------------------------------------------------------------------------------


def parse_receipt(
    lines: list[Line],
    *,
    hospitals: tuple[Hospital, ...],
    today: date,
    red: Iterable[Line] = (),
) -> dict[str, Field]:
    """The fields of a 门诊 or 住院 收费票据 (or an inpatient 费用清单), each checked where a rule
    allows. `red` are lines read from red ink (a paper form's press-numbered No.)."""
    page = Page(lines, RECEIPT_WORDS, red)
    fields: dict[str, Field] = dict.fromkeys(RECEIPT_FIELDS, MISSING)
    fields["kind"] = _kind(page)
    fields["invoice_code"] = _invoice_code(page)
    fields["invoice_number"] = _invoice_number(page, fields["invoice_code"])
    if found := _first(page, PAYER_LABELS, a_name):
        fields["patient_name"] = _field(*found[:4])
    elif before := _name_before_sex(page):
        fields["patient_name"] = before
    fields["total"] = _total(page)
    fields["hospital"] = _hospital(page, hospitals)
    admission, discharge = _stay(page, today)
    if fields["kind"].value == "inpatient" or admission.value:
        fields["admission_date"], fields["discharge_date"] = admission, discharge
    fields["issue_date"] = _issue_date(page, today)
    if fields["issue_date"] is MISSING and fields["discharge_date"].value:
        # An inpatient list printed with no date of its own is settled on the day of discharge.
        fields["issue_date"] = replace(fields["discharge_date"], checks=(), doubts=()).doubted(
            "no_date_label"
        )
    fields["issue_date"] = _not_before(
        fields["issue_date"],
        (
            (fields["discharge_date"], "issued_before_discharge"),
            (_labelled_date(page, VISIT_LABELS, today), "issued_before_visit"),
        ),
        today,
    )
    return {name: _settle(field) for name, field in fields.items()}


def _not_before(issued: Field, days: tuple[tuple[Field, str], ...], today: date) -> Field:
    """The issue date checked against the days it cannot come before (the discharge, the
    visit): doubted when it does; and when it is such a day with one digit misread (2020-01-29
    read for a visit on 2026-01-29), or a date with no label (an item's, on a list printed
    without a date of its own), that day; when its year is that day's with one digit misread
    (2006-01-14 for a discharge on 2026-01-13), the date in that year. For a person to
    check, always."""
    for day, doubt in days:
        read, before = issued.value, day.value
        if read and before and read < before:
            if _one_edit_apart(read, before) or "no_date_label" in issued.doubts:
                issued = replace(issued, value=before)
            elif mended := _in_the_year_of(read, before, today):
                issued = replace(issued, value=mended)
            issued = issued.doubted(doubt)
    return issued


def _in_the_year_of(issued: str, day: str, today: date) -> str | None:
    """The issue date put in the year of the day it cannot come before, when the two years
    are one digit apart and it then falls on or after that day, and not after today."""
    read, before = date.fromisoformat(issued), date.fromisoformat(day)
    if not _one_edit_apart(str(read.year), str(before.year)):
        return None
    mended = _in_year(read, before.year)
    return mended.isoformat() if mended and before <= mended <= today else None


def _kind(page: Page) -> Field:
    """Inpatient or outpatient, from the title (票据, 清单 ...) where it says, else any mention."""
    titles = [
        p.text for p in page.pieces if re.search("票据|收据|发票|清单|明细|凭证|凭条|收费", p.text)
    ]
    for title in titles:
        if "住院" in title:
            return Field("inpatient", 0.95)
        if "门诊" in title:
            return Field("outpatient", 0.95)
    text = page.text
    if re.search("住院|入院|出院", text):
        return Field("inpatient", 0.6)
    return Field("outpatient", 0.6 if "门诊" in text else 0.5)


def _invoice_code(page: Page) -> Field:
    """The 票据代码 by its label; on an e-invoice, else 8 digits alone in its head or after
    what is left of the label (码：44017897), doubted."""
    found = _first(page, CODE_LABELS, lambda text: a_number(text, 6, 12), below=1)
    if not found and "电子" in page.text and (alone := _lone_number(page, 8, _A_CODE_LABEL)):
        return alone.doubted("code_without_label")
    if not found:
        return MISSING
    field = _field(*found[:4])
    assert field.value is not None  # a field read from a number has it as its value
    return field if len(field.value) in (8, 10, 12) else field.doubted("not_8_digits")


def _invoice_number(page: Page, code: Field) -> Field:
    """The 票据号码 by its label; else a No. (red on paper forms); else the red number alone.

    An electronic receipt (one with an 8-digit 票据代码) numbers its receipts with 10 digits;
    a paper form's press-numbered No. has 7 to 10."""
    electronic = code.value is not None and len(code.value) == 8 or "电子" in page.text
    found = _first(page, NUMBER_LABELS, lambda text: a_number(text, 6, 12), below=1)
    if found:
        field = _field(*found[:4])
    elif marked := _no_mark(page) or _red_number(page):
        field = marked  # a paper form's press-numbered No.: 7 to 10 digits, whatever its code
        electronic = "电子" in page.text
    elif electronic and (alone := _lone_number(page, 10)):
        return alone.doubted("number_without_label")  # its form says what it is, not a label
    else:
        return MISSING
    assert field.value is not None  # each way reads a number as the value
    if electronic and len(field.value) != 10:
        return field.doubted("not_10_digits")
    if not 7 <= len(field.value) <= 12:
        return field.doubted("not_a_receipt_number")
    return field


def _name_before_sex(page: Page) -> Field | None:
    """A paper form's 姓名 lost (cut off at the photo's edge, faded): the name that stands
    just before 性别 on its row, as the form prints them. For a person to check."""
    for hit in page.labelled(("性别",)):
        if not page.starts_with_label(hit.piece):
            continue
        row = page.row_of(hit.piece)
        before = row[: row.index(hit.piece)]
        if before and not page.starts_with_label(before[-1]) and (found := a_name(before[-1].text)):
            return _field(found[0], Text.whole(before[-1]), *found[1:]).doubted("label_unread")
    return None


# What is left of a 票据号码 blurred past knowing: 联张号码, 当月码, 票出：
_A_NUMBER_LABEL = re.compile(r"[^\d\s]{1,3}(?:号?码\s*[:：]?|\s*[:：])\s*")
_A_CODE_LABEL = re.compile(r"[^\d\s]{0,3}码\s*[:：]?\s*")


def _lone_number(
    page: Page, digits: int, misread: re.Pattern[str] = _A_NUMBER_LABEL
) -> Field | None:
    """A number of exactly `digits` digits standing alone in the top third of the page (the
    receipt's head, where its number is printed), or after a label misread past knowing
    (`misread`: 联张号码 or 票出： for 票据号码), not the value of another label."""
    others = _others(page)
    head = _head(page)
    for piece in page.pieces:
        found = a_number(piece.text, digits, digits)
        if found is None or piece.box.top > head or id(piece) in others:
            continue
        labelled = misread.fullmatch(piece.text[: found[1]])  # its own label, misread
        if labelled or (_whole(found, piece) and not _labels_value(page, piece, others)):
            return _field(found[0], Text.whole(piece), *found[1:])
    return None


def _whole(found: tuple[object, int, int], piece: Piece) -> bool:
    """Whether the value `found` (value, start, end) is all of the piece's text but a mark."""
    return found[2] - found[1] >= len(piece.text.strip()) - 1


def _labels_value(page: Page, piece: Piece, labels: set[int]) -> bool:
    """Whether `piece` stands right after one of the pieces in `labels` (ids) on its row."""
    left_of_it = [p for p in page.row_of(piece) if p.box.right <= piece.box.left + 2]
    return any(id(p) in labels for p in left_of_it[-2:])


def _head(page: Page) -> float:
    """Where the page's head ends: a third of the way down its text."""
    return max((p.box.bottom for p in page.pieces), default=0) / 3


def _others(page: Page) -> set[int]:
    """The pieces (ids) that hold a label of what is not read (OTHER_LABELS)."""
    return {id(hit.piece) for hit in page.labelled(OTHER_LABELS)}


def _no_mark(page: Page) -> Field | None:
    for text in page.everywhere():
        match = _NO.search(text.text)
        if match:
            value = digits_only(match.group(1))
            return _field(value, text, match.start(1), match.end(1))
    return None


def _red_number(page: Page) -> Field | None:
    """A number printed in red in the page's head (its top third), where a paper form's No.
    is pressed; lower down, red over digits is a seal over a printed date or amount."""
    head = _head(page)
    for piece in page.pieces:
        if piece.red and piece.box.top < head and (found := a_number(piece.text, 7, 12)):
            value, start, end = found
            return Field(value, round(piece.score, 3), piece.part(start, end))
    return None


def _total(page: Page) -> Field:
    """The total in figures, checked against the 大写 total and against the items' sum.

    When the 大写 total was read, the figure that equals it is the total, wherever it
    stands; otherwise the figure after the most specific total label."""
    capital = _capital(page)
    figure = _first(page, FIGURE_LABELS, a_payment, below=1)
    if figure is None:  # the figure beside the 大写 total, its own label (¥, 小写) lost
        figure = _first(page, CAPITAL_LABELS, a_payment, below=0)
    total: Field | None = None
    read_as = ""  # the figure's characters as the engine read them (¥02.26 for ¥102.26)
    if figure is not None:
        total = _field(f"{figure[0]:.2f}", *figure[1:4])
        read_as = figure[1].text[figure[2] : figure[3]].replace(",", "")
    if capital is not None:
        capital_value, capital_text = capital
        in_capitals = Field(f"{capital_value:.2f}", capital_text.score, capital_text.box)
        if total is None:  # the figure's label was lost: the figure equal to the 大写
            total = _figure_equal_to(page, capital_value)
            if total is None and (
                whole := _figure_the_capitals_end(page, capital_text, capital_value)
            ):
                return whole.doubted("capital_partly_read")  # the 大写's head lost
            if total is None:  # no figure read (glare on it): the 大写, and the items' sum
                return _summed_up(page, in_capitals, "only_capital_read")
        assert total.value is not None  # a field read from an amount has it as its value
        if Decimal(total.value) == capital_value:
            total = total.checked("capital_total")
        elif twin := _figure_equal_to(page, capital_value):
            # The labelled figure misread (¥102.26 read ¥02.26), the 大写 and a figure
            # elsewhere (个人自付 102.26) agreeing: theirs is the total, shown in the labelled
            # figure's crop (the total as printed). Sure only when the labelled figure is that
            # one with a digit misread, lost or added (ADR 0050).
            assert twin.value is not None
            if _one_edit_apart(twin.value, read_as):
                total = replace(twin, box=total.box).checked("capital_total")
            else:
                total = replace(twin, box=total.box).doubted("capital_total_differs")
        elif _lost_some(in_capitals.value or "", read_as):
            # The figure is the 大写's with digits lost (¥0.78 for 770.78, glare on the
            # 77): the 大写 is the total, sure only if the items add up to it as well.
            return _summed_up(page, replace(in_capitals, box=total.box), "capital_total_differs")
        else:
            total = total.doubted("capital_total_differs")
    elif blotted := _capital_with_a_blot(page):
        # One numeral of the 大写 unreadable (盘 for 叁): the one figure on the page that
        # fits it is the total when the labelled figure does not; a person checks it.
        fits, blotted_text = blotted
        fitting = _figures_among(page, fits)
        summed = _items_sum(page, blotted_text.box)
        if total is not None and Decimal(total.value or "0") in fits:
            pass  # the labelled figure fits what is left of the 大写: kept as read
        elif len(fitting) == 1:
            total = next(iter(fitting.values())).doubted("capital_partly_read")
        elif not fitting and (summed in fits or (total is None and len(fits) == 1)):
            # No figure read; the items add up to one of the values, or only one is left
            value = summed if summed in fits else next(iter(fits))
            total = Field(f"{value:.2f}", blotted_text.score, blotted_text.box)
            total = total.doubted("capital_partly_read")
        elif total is not None:
            total = total.doubted("capital_total_differs")
    if total is None:
        total = _sum_shaped_like_capitals(page) or _largest_amount(page)
    if total is None:
        return MISSING
    assert total.value is not None
    if _items_sum(page, total.box) == Decimal(total.value):
        total = total.checked("sum_of_items")
    elif not total.checks:
        # A digit of the figure lost (¥55.34 for ¥455.34, ¥11566.93 read ↓1566.93), and the
        # items above it (none of them another label's value), or the deposit less the refund,
        # adding up to the figure with that digit: theirs is the total, for a person to check.
        # Never sure this way: a fund's share makes the settlement the person's part instead.
        read = read_as or total.value or ""
        for sum_of in (_items_sum(page, total.box, only_items=True), _settlement(page)):
            if sum_of is not None and _lost_one(f"{sum_of:.2f}", read):
                total = replace(total, value=f"{sum_of:.2f}").doubted("sum_differs")
                break
        else:
            # A digit of the figure misread (800.96 for 300.96) and the 大写 misread too: the
            # items' sum, when it is the figure with one digit changed and is printed again as
            # another label's value (个人自付 300.96), for a person to check.
            summed = _items_sum(page, total.box, only_items=True)
            if (
                summed is not None
                and "capital_total_differs" in total.doubts
                and _one_edit_apart(f"{summed:.2f}", read)
                and _printed_as_a_part(page, summed)
            ):
                total = replace(total, value=f"{summed:.2f}").doubted("sum_differs")
    return total


def _summed_up(page: Page, total: Field, doubt: str) -> Field:
    """A total taken from the 大写: confirmed when the items add up to it, else `doubt`ed."""
    assert total.value is not None
    if _items_sum(page, total.box) == Decimal(total.value):
        return total.checked("sum_of_items")
    return total.doubted(doubt)


def _sum_shaped_like_capitals(page: Page) -> Field | None:
    """No figure and no 大写 read (glare, blur): the items' sum, when written in 大写 it is
    about as long as the 大写 printed (a character more or less) and holds every numeral and
    unit read of it, in order (题件集佰模始陆元政角建分 for 陆仟柒佰捌拾陆元玖角肆分).
    For a person to check."""
    for hit in page.labelled(CAPITAL_LABELS):
        for text in page.near(hit, below=0):
            words = _capital_words(text.text).removesuffix("整")  # 肆角整 printed 肆角 too
            summed = _items_sum(page, text.box)
            if not summed:
                continue
            written = capital_amount(summed).removesuffix("整")
            read = [char for char in words if _CAPITAL_CELL.fullmatch(char)]
            if abs(len(written) - len(words)) > 1 or 3 * len(read) < len(words):
                continue
            rest = iter(written)
            if all(char in rest for char in read):
                field = Field(f"{summed:.2f}", text.score, text.box)
                return field.doubted("capital_partly_read")
    return None


def _figure_the_capitals_end(page: Page, capitals: Text, read: Decimal) -> Field | None:
    """The one figure right of a 大写 total read without its head (伍元玖角玖分, `read` 5.99,
    of 捌佰陆拾伍元玖角玖分, glare on the 捌佰陆拾) that, written in 大写, ends as the reading
    does, if only one does: the total, for a person to check."""
    tail = capital_amount(read).removesuffix("整")
    found = [
        _field(f"{amount[0]:.2f}", Text.whole(piece), *amount[1:])
        for piece in page.right_of(capitals.piece)
        if (amount := an_amount(piece.text))
        and amount[0] > read
        and capital_amount(amount[0]).removesuffix("整").endswith(tail)
    ]
    return found[0] if len(found) == 1 else None


def _figure_equal_to(page: Page, value: Decimal) -> Field | None:
    """The first amount in figures on the page equal to `value`, as a field (unchecked)."""
    return _figures_among(page, {value}).get(value)


def _figures_among(page: Page, values: set[Decimal]) -> dict[Decimal, Field]:
    """The first amount in figures on the page equal to each of `values` that stands on it,
    as fields (unchecked), in one pass over the page."""
    found: dict[Decimal, Field] = {}
    for text in page.everywhere():
        if (amount := an_amount(text.text)) and amount[0] in values and amount[0] not in found:
            found[amount[0]] = _field(f"{amount[0]:.2f}", text, *amount[1:])
    return found


def _printed_as_a_part(page: Page, value: Decimal) -> bool:
    """Whether `value` is printed as the value of a label that is not the total's (个人自付,
    预交金 ...): a figure read apart from the items and the total."""
    others = _others(page)
    return any(
        (amount := an_amount(piece.text)) is not None
        and amount[0] == value
        and (id(piece) in others or _labels_value(page, piece, others))
        for piece in page.pieces
    )


def _lost_some(whole: str, read: str) -> bool:
    """Whether `read` is `whole` with one or more characters lost and none changed."""
    rest = iter(whole)
    return 0 < len(read) < len(whole) and all(char in rest for char in read)


def _lost_one(whole: str, read: str) -> bool:
    """Whether `read` is `whole` with one character lost."""
    return len(read) == len(whole) - 1 and _one_edit_apart(whole, read)


def _one_edit_apart(one: str, other: str) -> bool:
    """Whether two figures differ by at most one character changed, lost or added."""
    if abs(len(one) - len(other)) > 1:
        return False
    if len(one) == len(other):
        return sum(a != b for a, b in zip(one, other, strict=True)) <= 1
    longer, shorter = (one, other) if len(one) > len(other) else (other, one)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _largest_amount(page: Page) -> Field | None:
    """With no total label and no 大写 read: the largest amount that stands alone, not as
    the value of another label (预交金, 个人支付 ...). Every other amount on a receipt is a
    part of the total, so this is the total unless a number was misread: never sure on its
    own (the items' sum may still confirm it)."""
    others = _others(page)
    best: tuple[Decimal, Piece, int, int] | None = None
    lone = 0
    for piece in page.pieces:
        found = an_amount(piece.text)
        if found is None or not _whole(found, piece):
            continue  # not an amount alone in its line
        if _labels_value(page, piece, others):
            continue  # the value of a label that is not the total's
        lone += 1
        if best is None or found[0] > best[0]:
            best = (found[0], piece, found[1], found[2])
    if best is None or lone < 2:  # no part of it beside it: perhaps not a receipt at all
        return None
    value, piece, start, end = best
    text = Text.whole(piece)
    return _field(f"{value:.2f}", text, start, end).unverified()


def _items_sum(page: Page, above: Box | None, *, only_items: bool = False) -> Decimal | None:
    """The sum of the item amounts: lines above the total (its box) that hold nothing but an
    amount; `only_items`: leaving out the values of labels that are not items (预交金, 个人自付)."""
    assert above is not None  # a total read from the page has a box
    others = _others(page) if only_items else set()
    items = [
        found[0]
        for piece in page.pieces
        if piece.box.bottom <= above.top
        and (found := an_amount(piece.text)) is not None
        and _whole(found, piece)
        and not (only_items and _labels_value(page, piece, others))
    ]
    return sum(items, Decimal(0)) if len(items) >= 2 else None


def _settlement(page: Page) -> Decimal | None:
    """预交 + 补交 - 退款, when the deposit and at least one of the others are printed; an
    amount printed but not read (补交金额 G00) counts as nothing."""
    deposit = _first(page, DEPOSIT_LABELS, an_amount, below=1)
    if deposit is None or not (page.labelled(TOP_UP_LABELS) or page.labelled(REFUND_LABELS)):
        return None
    top_up = _first(page, TOP_UP_LABELS, an_amount, below=1)
    refund = _first(page, REFUND_LABELS, an_amount, below=1)
    return deposit[0] + (top_up[0] if top_up else 0) - (refund[0] if refund else 0)


def _capital(page: Page) -> tuple[Decimal, Text] | None:
    """The total in 大写: after its label, or a line that is nothing but a 大写 amount.

    The numerals must make up the whole value: a misread character inside it (武万 for
    贰万) ends the run, and what is left is not read as a smaller amount ("拾元")."""
    for text in _capital_texts(page):
        words = _capital_words(text.text)
        run = _CAPITAL_RUN.search(words)
        if not run or len(run.group(0)) < 0.9 * len(re.sub(r"[^\u4e00-\u9fff]", "", words)):
            continue
        amount = run.group(0)
        if re.search("[元圆]", amount) and re.search("[角分整正元圆]$", amount):
            value = parse_capital_amount(amount)
            if value is not None and value > 0:
                return value, text
    return _capital_grid(page)


def _capital_texts(page: Page) -> list[Text]:
    """Where a 大写 total may be: after its labels first, then every line."""
    labelled = [text for hit in page.labelled(CAPITAL_LABELS) for text in page.near(hit, below=0)]
    return labelled + list(page.everywhere())


_GRID_UNITS = frozenset("万仟佰拾元角分")
_CAPITAL_CELL = re.compile(_CAPITAL_RUN.pattern.replace("{2,}", "+"))


def _capital_grid(page: Page) -> tuple[Decimal, Text] | None:
    """A 大写 total filled into a paper form's printed units (万 仟 佰 拾 元 角 分): the
    numerals are printed before their units by another machine, often a little lower and
    read as lines of their own. The numerals and units right of the label, on its row or up
    to a line below, are joined left to right; a unit with no numeral before it is empty."""
    for hit in page.labelled(CAPITAL_LABELS):
        label = hit.piece.box
        height = max(label.height, page.line_height)
        cells = [
            piece
            for piece in page.pieces
            if piece.box.left >= label.right - height
            and label.top - 0.5 * height <= piece.box.middle <= label.bottom + 0.9 * height
            and piece is not hit.piece
            and _CAPITAL_CELL.fullmatch(_capital_words(piece.text))
        ]
        if not any(set(_capital_words(p.text)) - _GRID_UNITS for p in cells):
            continue  # units alone: nothing filled in
        cells.sort(key=lambda piece: (piece.box.left + piece.box.right) / 2)
        joined = "".join(_capital_words(piece.text) for piece in cells)
        filled = "".join(
            char
            for index, char in enumerate(joined)
            if char not in _GRID_UNITS or (index and joined[index - 1] not in _GRID_UNITS)
        )
        value = parse_capital_amount(filled)
        if value is not None and value > 0:
            score = min(piece.score for piece in cells)
            return value, Text(filled, around(piece.box for piece in cells), score, cells[0])
    return None


def _capital_with_a_blot(page: Page) -> tuple[set[Decimal], Text] | None:
    """The values a 大写 total may have when one of its characters was misread as something
    that is no numeral (each numeral or unit in its place, those that make an amount), and
    where."""
    for text in _capital_texts(page):
        words = _capital_words(text.text)
        blots = [i for i, char in enumerate(words) if not _CAPITAL_CELL.fullmatch(char)]
        if len(blots) != 1 or len(words) < 4 or not re.search("[元圆]", words):
            continue
        if not re.search("[角分整正元圆]$", words):
            continue
        at = blots[0]
        # a numeral or a unit in its place (搭 is 拾 misread as often as 盘 is 叁)
        filled = {words[:at] + char + words[at + 1 :] for char in CAPITAL_NUMERALS + "拾佰仟万"}
        values = {
            value: _as_printed(amount) == _as_printed(capital_amount(value))
            for amount in filled
            if (value := parse_capital_amount(amount)) is not None and value > 0
        }
        # An amount is printed as the software writes it (陆佰伍拾捌元, never 陆佰伍零捌元):
        # only those, when any such fits
        found = {value for value, canonical in values.items() if canonical} or set(values)
        if found:
            return found, text
    return None


def _as_printed(capital: str) -> str:
    """A 大写 amount with 圆 as 元 and no closing 整 or 正: printed either way."""
    return capital.replace("圆", "元").removesuffix("整").removesuffix("正")


# Characters the recogniser reads in place of a capital numeral, on real receipts.
_CAPITAL_LOOKALIKES = str.maketrans("武貳弍玫染陸什任萬圓抬伯", "贰贰贰玖柒陆拾仟万圆拾佰")


def _capital_words(text: str) -> str:
    """A 大写 amount's text without 人民币, ¥ and spaces, lookalikes read as numerals."""
    text = re.sub(r"[\s¥]|人民币", "", text).translate(_CAPITAL_LOOKALIKES)
    return text


def _hospital(page: Page, hospitals: tuple[Hospital, ...]) -> Field:
    """The payee as printed after its label, else the institution named on the page (the
    heading of a slip or a list). A name close to one on the district's list is that name
    and confirmed; any other is kept as read, for the person to check."""
    found = _first(page, PAYEE_LABELS, lambda text: an_institution(text, labelled=True), below=1)
    if found:
        field = _field(*found[:4])
    else:
        named = [
            (text, match)
            for text in page.everywhere()
            if (match := an_institution(text.text)) is not None
        ]
        # Not a part of a name printed whole elsewhere (中心医院 of a seal's curved words)
        named = [
            (text, match)
            for text, match in named
            if not any(match[0] in other[0] and match[0] != other[0] for _, other in named)
        ]
        if not named:
            return MISSING
        # The biggest print first (a heading), then the highest on the page.
        text, match = max(named, key=lambda item: (item[0].box.height, -item[0].box.top))
        field = _field(match[0], text, match[1], match[2])
    assert field.value is not None  # a field read from a name has it as its value
    name = restore_places(field.value)
    field = replace(field, value=name)
    listed, likeness = match_hospital(name, hospitals)
    if listed is not None and likeness >= 0.9 and abs(len(listed.name) - len(name)) <= 1:
        return replace(field, value=listed.name).checked("hospital_list")
    return field


def _stay(page: Page, today: date) -> tuple[Field, Field]:
    """Admission and discharge: a range after 住院时间, or each after its own label."""
    admission = discharge = MISSING
    for hit in page.labelled(STAY_LABELS):
        for text in page.near(hit, below=0):
            first = a_document_date(text.text)
            second = a_document_date(text.text[first[2] :]) if first else None
            if first and second:
                admission = _date_field(first[0], text, first[1], first[2], today)
                offset = first[2]
                discharge = _date_field(
                    second[0], text, offset + second[1], offset + second[2], today
                )
                break
        if admission.value:
            break
    if not admission.value:
        admission = _labelled_date(page, ADMITTED_LABELS, today)
        discharge = _labelled_date(page, DISCHARGED_LABELS, today)
    if not (admission.value and discharge.value):
        admission, discharge = _stay_by_order(page, today) or (admission, discharge)
    return _check_stay(admission, discharge, _days(page), today)


# A day of one digit after a month of two (2023-02-1出院日期): its second digit overprinted
_CUT_DAY = re.compile(r"\D\d{2}\D\d$")


def _stay_by_order(page: Page, today: date) -> tuple[Field, Field] | None:
    """A paper form's labels overprinted by the dates beside them (2018.11.10 printed over
    入 of 入院日期): the row of the stay's labels holds two dates, admission first."""
    read: set[int] = set()  # the pieces of rows already read: several labels share a row
    for hit in page.labelled((*ADMITTED_LABELS, *DISCHARGED_LABELS, *DAYS_LABELS, "住院号")):
        if id(hit.piece) in read:
            continue
        row = page.row_of(hit.piece)
        read.update(id(piece) for piece in row)
        found: list[tuple[date, Field]] = []
        for piece in row:
            text, offset = Text.whole(piece), 0
            while (day := a_document_date(piece.text[offset:])) is not None:
                start, end = offset + day[1], offset + day[2]
                if not _CUT_DAY.search(piece.text[start:end]):
                    found.append((day[0], _date_field(day[0], text, start, end, today)))
                offset = end
        if len(found) == 2 and found[0][0] <= found[1][0]:
            return found[0][1], found[1][1]
    return None


def _days(page: Page) -> Field | None:
    """The printed 住院天数: after its label (住院天数：16天, the colon read 。), or as 住院28天,
    共住院28天 or 住12天 in a line."""
    for hit in page.labelled(DAYS_LABELS):
        for text in page.near(hit, below=0):
            match = re.match(r"[\s。，,：:]*(\d{1,3})\s*天?", text.text)
            if match:
                return _field(match.group(1), text, match.start(1), match.end(1))
    for text in page.everywhere():
        match = re.search(r"住院?\s*(\d{1,3})\s*天", text.text)
        if match:
            return _field(match.group(1), text, match.start(1), match.end(1))
    return None


def _issue_date(page: Page, today: date) -> Field:
    """The 开票日期 by its labels; else a date printed into a form's 年 月 日; else, with no
    label, the latest date on the page that no other label claims (to be checked)."""
    # A bare 日期 with its value under it is a column's head (the items' 费用日期): only a
    # date on its own line is its value.
    issued = _labelled_date(page, ISSUED_LABELS[:-1], today)
    if issued.value is None:
        issued = _labelled_date(page, ("日期",), today, below=0)
    if issued.value:
        return issued
    for hit in _labelled(page, ISSUED_LABELS):
        for text in page.near(hit, below=0):
            if found := _year_lost_a_digit(text.text, page):
                mended, start, end = found
                return _date_field(mended, text, start, end, today).doubted("year_partly_read")
            if _DATE.search(text.text):  # a date's shape, but no such day
                return Field(None, 0.0, text.box, doubts=("no_such_date",))
    claimed = {
        id(text.piece)
        for hit in page.labelled(
            ADMITTED_LABELS + DISCHARGED_LABELS + STAY_LABELS + VISIT_LABELS + ("出生日期", "出生")
        )
        for text in page.near(hit, below=0)
    }
    for piece in page.pieces:  # a form's printed 年 月 日, the digits printed in between
        if "年" in piece.text and id(piece) not in claimed:
            row = page.row_of(piece)
            joined = " ".join(p.text for p in row)
            day = a_document_date(joined) if re.search("年.*月", joined) else None
            if day and day[0] <= today:
                field = Field(day[0].isoformat(), round(min(p.score for p in row), 3), piece.box)
                return field.doubted("no_date_label")  # which date it is, a person says
    dated = [
        (day, text)
        for text in page.everywhere()
        if id(text.piece) not in claimed
        and (day := a_date(text.text, since=DOCUMENTS_SINCE) or _date_alone(text, today))
        and day[0] <= today  # a later one is misread (2036 for 2026), and would be the latest
    ]
    if not dated:
        return MISSING
    day, text = max(dated, key=lambda item: item[0][0])
    return _date_field(day[0], text, day[1], day[2], today).doubted("no_date_label")


_SHORT_YEAR_DATE = re.compile(r"(?<!\d)(2\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})(?!\d)")


def _year_lost_a_digit(text: str, page: Page) -> tuple[date, int, int] | None:
    """A date whose year lost a digit (206年08月13日), its year the one of the page's other
    dates (its stay's) that the three digits left are part of, when only one is."""
    match = _SHORT_YEAR_DATE.search(text)
    if match is None:
        return None
    short, month, day = match.groups()
    fits = [year for year in _years_on(page) if _lost_one(str(year), short)]
    found = _date_of(str(fits[0]), month, day) if len(fits) == 1 else None
    return (found, match.start(), match.end()) if found else None


def _years_on(page: Page) -> set[int]:
    """The years of the dates printed on the page."""
    return {found[0].year for text in page.everywhere() if (found := a_document_date(text.text))}


# Eight digits, or a year, month and day set apart by spaces: a whole line, nothing else.
_DATE_ALONE = re.compile(r"((?:19|20)\d{2})(?:(\d{2})(\d{2})|\s+(\d{1,2})\s+(\d{1,2}))")


def _date_alone(text: Text, today: date) -> tuple[date, int, int] | None:
    """A line of eight digits alone, or of a year, month and day set apart by spaces, that
    are a day of this century up to today: a date the printer struck into a form's 年 月 日,
    the form's own 年 月 日 lost with its pale ink ('20180424', '2021 03 18'). Digits after
    a label (门诊号) are not alone, and red ones are the form's press-numbered No. Taken only
    when no date is found any other way, and never as sure."""
    if text.piece.red:
        return None
    match = _DATE_ALONE.fullmatch(text.piece.text.strip())
    found = _date_of(*[part for part in match.groups() if part]) if match else None
    if found is None or found.year < DOCUMENTS_SINCE or found > today:
        return None
    return found, 0, len(text.text)


_LONGEST_STAY = timedelta(days=366)


def _years_mended(admission: Field, discharge: Field, today: date) -> tuple[Field, Field]:
    """A stay of years, or one that ends before it begins, where one date's year is the
    other's with a digit misread (入院 2006-08-23, 出院 2026-09-02): that date in the other's
    year, when the stay is then less than a year long; the year nearer today when either
    date could be the misread one. Doubted."""
    if not (admission.value and discharge.value):
        return admission, discharge
    start, end = date.fromisoformat(admission.value), date.fromisoformat(discharge.value)
    if timedelta(0) <= end - start <= _LONGEST_STAY:
        return admission, discharge
    if not _one_edit_apart(str(start.year), str(end.year)):
        return admission, discharge
    mended: list[tuple[Field, date]] = []  # the date taken as misread, and its day mended
    if (moved := _in_year(start, end.year)) and moved <= end and end - moved <= _LONGEST_STAY:
        mended.append((admission, moved))
    if (moved := _in_year(end, start.year)) and start <= moved and moved - start <= _LONGEST_STAY:
        mended.append((discharge, moved))
    mended = [(wrong, day) for wrong, day in mended if day <= today]
    if not mended:
        return admission, discharge
    wrong, day = max(mended, key=lambda item: item[1].year)
    fixed = replace(wrong, value=day.isoformat()).doubted("year_misread")
    return (fixed, discharge) if wrong is admission else (admission, fixed)


def _in_year(day: date, year: int) -> date | None:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return None


def _check_stay(
    admission: Field, discharge: Field, days: Field | None, today: date
) -> tuple[Field, Field]:
    """Admission before discharge (their years mended first, _years_mended), and the printed
    住院天数 equal to the dates' difference."""
    admission, discharge = _years_mended(admission, discharge, today)
    if not (admission.value and discharge.value):
        return admission, discharge
    start, end = date.fromisoformat(admission.value), date.fromisoformat(discharge.value)
    if start > end:
        return admission.doubted("after_discharge"), discharge.doubted("before_admission")
    if days is not None:
        assert days.value is not None  # _days reads the digits as the value
        stay = (end - start).days
        if int(days.value) == stay:
            return admission.checked("days_in_hospital"), discharge.checked("days_in_hospital")
        if int(days.value) != stay + 1:  # some hospitals count both days: no check either way
            return admission.doubted("days_differ"), discharge.doubted("days_differ")
    return admission, discharge


def _settle(field: Field) -> Field:
    """A field with no check either way is never sure on the engine's word alone."""
    return field.unverified() if field.value is not None else field


# --- discharge summaries -------------------------------------------------------------------


def parse_discharge_summary(
    lines: list[Line], *, hospitals: tuple[Hospital, ...], today: date
) -> dict[str, Field]:
    """The dates of a 出院小结 (出院记录): admission, discharge and the days between."""
    page = Page(lines, RECEIPT_WORDS)
    fields: dict[str, Field] = dict.fromkeys(DISCHARGE_FIELDS, MISSING)
    if found := _first(page, ("姓名", "患者姓名", "病人姓名"), a_name):
        fields["patient_name"] = _field(*found[:4])
    admission = _labelled_date(page, ADMITTED_LABELS, today)
    discharge = _labelled_date(page, DISCHARGED_LABELS, today)
    if admission.value is None and (told := _admitted_on(page, today)):
        admission = told.doubted("from_the_account")  # 住院经过: 于2026-06-24入院
    if (discharge.value is None or (admission.value or "") > discharge.value) and (
        signed := _written_on_leaving(page, today)
    ):
        # Read past knowing, or before the admission: a summary written on the day the
        # patient leaves (今日办理出院) is dated that day.
        if not admission.value or (signed.value or "") >= admission.value:
            discharge = signed.doubted("from_the_summary_date")
    days = _days(page)
    admission, discharge = _check_stay(admission, discharge, days, today)
    fields["admission_date"], fields["discharge_date"] = admission, discharge
    if days is not None and "days_in_hospital" in admission.checks:
        fields["days"] = days.checked("dates_between")  # the dates' difference
    elif days is not None:
        fields["days"] = days
    fields["hospital"] = _hospital(page, hospitals)
    return {name: _settle(field) for name, field in fields.items()}


# The account of the stay tells the day of admission again; a summary that says the patient
# leaves today was written, and is dated, on the day of discharge.
_ADMITTED_ON = re.compile(r"于([^于，。]{6,16}?)入院")
_LEAVES_TODAY = re.compile(r"今[日天].{0,4}出院")


def _admitted_on(page: Page, today: date) -> Field | None:
    """The date in '于2026-06-24入院' in the summary's account of the stay, if one is read."""
    for piece in page.pieces:
        for match in _ADMITTED_ON.finditer(piece.text):
            found = a_document_date(match.group(1))
            if found and found[2] == len(match.group(1).rstrip()):
                start = match.start(1)
                return _date_field(
                    found[0], Text.whole(piece), start + found[1], start + found[2], today
                )
    return None


def _written_on_leaving(page: Page, today: date) -> Field | None:
    """The summary's own date (日期, 签名日期: its lowest dated line that is not the stay's)
    when it says the patient leaves today."""
    if not _LEAVES_TODAY.search(page.text):
        return None
    stay = {
        id(hit.piece) for hit in page.labelled(ADMITTED_LABELS + DISCHARGED_LABELS + STAY_LABELS)
    }
    for piece in sorted(page.pieces, key=lambda piece: piece.box.top, reverse=True):
        if (
            "日期" in piece.text
            and id(piece) not in stay
            and (found := a_document_date(piece.text))
        ):
            return _date_field(found[0], Text.whole(piece), found[1], found[2], today)
    return None


# --- ID cards ------------------------------------------------------------------------------

# The 56 recognised ethnic groups, as printed on ID cards (without 族).
ETHNIC_GROUPS = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 "
    "俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()

_ID_NUMBER = re.compile(r"(?<![0-9])([0-9OoIlSBD]{17}[0-9Xx×])(?![0-9])")


def parse_id_card(lines: list[Line], *, today: date) -> dict[str, Field]:
    """The front of a resident ID card; the number checked against GB 11643 and the 出生 line."""
    page = Page(lines, ID_CARD_WORDS)
    fields: dict[str, Field] = dict.fromkeys(ID_CARD_FIELDS, MISSING)
    if found := _first(page, ("姓名",), a_name, below=1):
        fields["name"] = _field(*found[:4])
    else:
        fields["name"] = _unlabelled_name(page)
    sex = lambda text: _match(re.match(r"\s*([男女])", text))  # noqa: E731
    if found := _first(page, ("性别",), sex, below=0):
        fields["sex"] = _field(*found[:4])
    # A mark or two may stand between the label and the value (a colon, a box the recogniser
    # made of the gap).
    ethnic = lambda text: _match(re.match(r"[\W_]{0,3}([\u4e00-\u9fff]{1,6})", text))  # noqa: E731
    if found := _first(page, ("民族",), ethnic, below=0):
        fields["ethnicity"] = _ethnicity(_field(*found[:4]))
    else:
        fields["ethnicity"] = _unlabelled_ethnicity(page)
    fields["birth_date"] = _birth(page, today)
    fields["id_number"] = _id_number(page, today)
    fields["address"] = _address(page)
    return _cross_check_id_card(fields)


def _unlabelled_name(page: Page) -> Field:
    """With 姓名 not read: the name stands in the row above 性别 (or above the sex itself,
    when the label was not read either), in the values' column."""
    anchors = [hit.piece for hit in page.labelled(("性别",))]
    anchors += [p for p in page.pieces if re.fullmatch(r"[男女](?:民族.*)?", p.text.strip())]
    for anchor in anchors:
        height = max(anchor.box.height, page.line_height)
        above = [
            piece
            for piece in page.pieces
            if 0 < anchor.box.top - piece.box.bottom + height < 3 * height
            and piece.box.bottom <= anchor.box.top + 0.3 * height
            and piece.box.left >= anchor.box.left - height
            and not page.starts_with_label(piece)
        ]
        for piece in sorted(above, key=lambda p: p.box.left):
            if found := a_name(piece.text):
                return Field(found[0], round(piece.score, 3), piece.part(found[1], found[2]))
    return MISSING


def _unlabelled_ethnicity(page: Page) -> Field:
    """With 民族 not read: one of the 56 groups standing alone on the 性别 row, right of the
    sex, where every card prints it. Never sure: no label says what it is."""
    anchors = [hit.piece for hit in page.labelled(("性别",))]
    anchors += [piece for piece in page.pieces if piece.text.strip() in ("男", "女")]
    for anchor in anchors:
        for other in page.right_of(anchor, reach=12):
            group = other.text.strip().removesuffix("族")
            if group in ETHNIC_GROUPS:
                return Field(group, round(other.score, 3), other.box).unverified()
    return MISSING


def _match(match: re.Match[str] | None) -> tuple[str, int, int] | None:
    return (match.group(1), match.start(1), match.end(1)) if match else None


def _birth(page: Page, today: date) -> Field:
    """The 出生 line: its year, month and day often read as separate pieces of one row."""
    for hit in page.labelled(("出生",)):
        row = [hit.piece, *page.right_of(hit.piece, reach=10)]
        pieces = [hit.piece.text[hit.end :]] + [p.text for p in row[1:]]
        joined = " ".join(pieces)
        if found := a_date(joined, loose=True):
            box = around(piece.box for piece in row)
            score = round(min(piece.score for piece in row), 3)
            return _checked_date(Field(found[0].isoformat(), score, box), found[0], today)
    for piece in page.pieces:  # the label not read: the one date printed with 年 月 日
        if "年" in piece.text and (found := a_date(piece.text)):
            return _date_field(
                found[0],
                Text.whole(piece),
                found[1],
                found[2],
                today,
            )
    return MISSING


def _ethnicity(field: Field) -> Field:
    """The ethnic group, which must be one of the 56."""
    assert field.value is not None  # read from the 民族 line, never MISSING
    value = field.value.removesuffix("族")
    if value in ETHNIC_GROUPS:
        return replace(field, value=value).checked("ethnic_groups")
    for group in sorted(ETHNIC_GROUPS, key=len, reverse=True):
        if value.startswith(group):  # the recogniser ran on into the next label
            return replace(field, value=group).unverified()
    return field.doubted("not_an_ethnic_group")


def _address(page: Page) -> Field:
    """The 住址 lines: from the label down to the number's row, in the value's column."""
    hits = page.labelled(("住址",))
    if hits:
        hit = hits[0]
        label_left: float = hit.piece.box.left
        first = next(iter(page.near(hit, below=0)), None)
    else:  # the label not read: the address begins with its province or city
        first = next(
            (Text.whole(p) for p in page.pieces if _PROVINCE_OR_CITY.match(p.text)),
            None,
        )
        label_left = first.box.left - 4 * page.line_height if first else 0
    if first is None:
        return MISSING
    if not _PROVINCE_OR_CITY.match(first.text):  # the label beside the address's 2nd line
        first = _line_above(page, first) or first
    stop = min(
        (p.box.top for p in page.pieces if _NUMBER_ROW.search(p.text) or _ID_NUMBER.search(p.text)),
        default=10**6,
    )
    column = first.box.left
    height = max(first.box.height, page.line_height)
    parts = [first]
    for piece in page.pieces:
        # A tilted photo makes the first line's box tall: the next line's box starts inside it.
        below = min(first.box.height, page.line_height) / 2
        if piece is first.piece or piece.box.top <= first.box.top + below:
            continue
        if piece.box.middle <= first.box.middle:
            continue
        if piece.box.top >= stop - 0.3 * height:
            continue
        if not label_left - height <= piece.box.left <= column + 1.5 * height:
            continue  # a label's column, or the portrait's side of the card
        if piece.box.right <= column + 0.2 * height:
            continue  # wholly left of the value: a label (住址 misread as 主址), not a line of it
        if page.starts_with_label(piece):
            break
        parts.append(Text.whole(piece))
    # The 出生 line's date, when the label 住址 stands beside it in a tilted photo, or is
    # taken for the address's first line: an address never is a date.
    parts = [part for part in parts if not _BIRTH_LINE.fullmatch("".join(part.text.split()))]
    if not parts:
        return MISSING
    value = restore_places("".join("".join(part.text.split()) for part in parts))
    box = around(part.box for part in parts)
    return Field(value, round(min(part.score for part in parts), 3), box).unverified()


_PROVINCE_OR_CITY = re.compile(r"[\u4e00-\u9fff]{2,7}(?:省|自治区|市)")
# The card's number row, which ends the address: its label, even with 号码 lost, or a run of
# digits no address holds (the number with its head lost to glare).
_NUMBER_ROW = re.compile(r"公民身份|\d{10,}")
_BIRTH_LINE = re.compile(r"(?:出生)?\d{4}年\d{1,2}月\d{1,2}日?")


def _line_above(page: Page, line: Text) -> Text | None:
    """The address line just above `line`, in its column, that begins with a province or
    a city: in a tilted photo the label can sit beside the second line."""
    height = max(line.box.height, page.line_height)
    for piece in page.pieces:
        if (
            0 <= line.box.top - piece.box.top <= 1.3 * height
            and abs(piece.box.left - line.box.left) <= 1.5 * height
            and piece is not line.piece
            and _PROVINCE_OR_CITY.match(piece.text)
        ):
            return Text.whole(piece)
    return None


def _id_number(page: Page, today: date) -> Field:
    """The 18-character number; where several are read, one that passes its checksum."""
    found: list[Field] = []
    for piece in page.pieces:
        compact = piece.text.replace(" ", "")
        for match in _ID_NUMBER.finditer(compact):
            value = digits_only(match.group(1), allow_x=True)
            field = Field(value, round(piece.score, 3), piece.box)
            try:
                parse_id_number(value, today=today)
            except InvalidIdNumber as error:
                found.append(field.doubted(f"id_{error.problem.value}"))
                continue
            return field.checked("gb11643")
    return found[0] if found else MISSING


def _cross_check_id_card(fields: dict[str, Field]) -> dict[str, Field]:
    """The ID number's birth date and sex digit against the 出生 and 性别 lines."""
    number = fields["id_number"]
    if number.value and "gb11643" in number.checks:
        birth, sex = fields["birth_date"], fields["sex"]
        encoded = f"{number.value[6:10]}-{number.value[10:12]}-{number.value[12:14]}"
        encoded_sex = "男" if int(number.value[16]) % 2 else "女"
        if birth.value:
            # Disagreeing, the number's date is shown (doubted): a checksum-valid number is
            # right far more often than a line of small print read apart ('1934 1 23' read
            # as 1934-12-03).
            agree = birth.value == encoded
            fields["birth_date"] = (
                birth.checked("id_number")
                if agree
                else replace(birth, value=encoded).doubted("id_number_differs")
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
