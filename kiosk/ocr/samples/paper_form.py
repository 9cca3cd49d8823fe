"""The older pre-printed 广东省医疗收费票据, filled in by a hospital's dot-matrix printer.

The form comes printed in one ink (red, or blue-green): the title, the 门诊/住院 box, the
labels, an item grid whose item names are printed and whose amount cells are empty, the
合计人民币（大写） line with its ¥, the 收款单位（盖章） and 收款人 labels and the 年 月 日 of the
date, the copy's name down the right edge. A numbering machine has stamped the number at the
top right in red (No 12345678). The hospital's printer then fills it in, in black or dark blue
ribbon, never quite in register: the whole print sits off by up to half a cell and a little
askew, so values run over the labels and the rules. Last, the cashier's rubber stamp.

The truth's invoice_number is the red number (eight digits); invoice_code is the small
pre-printed 票据代码 when the form has one, else None.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from kiosk.ocr.amounts import capital_amount
from kiosk.ocr.samples import people
from kiosk.ocr.samples.einvoice import seal
from kiosk.ocr.samples.page import Page

FORM_INKS = ((200, 45, 55), (185, 40, 60), (30, 125, 120), (20, 110, 130))
RIBBONS = ((25, 25, 30), (40, 40, 45), (30, 40, 95), (35, 45, 110))
NUMBER_REDS = ((210, 30, 35), (190, 20, 30), (225, 45, 45))
OUTPATIENT_ITEMS = (
    "西药费", "中成药费", "中草药费", "检查费", "治疗费", "放射费",
    "手术费", "化验费", "输血费", "输氧费", "诊查费", "其他",
)  # fmt: skip
INPATIENT_ITEMS = (
    "床位费", "西药费", "中成药费", "中草药费", "检查费", "治疗费",
    "放射费", "手术费", "化验费", "输血费", "护理费", "其他",
)  # fmt: skip
CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = "万仟佰拾元角分"


def draw(
    rng: random.Random, layout: dict[str, tuple[int, int, int, int] | None] | None = None
) -> Page:
    """One filled form. `layout`, if given, receives the red number's box ("number_box")."""
    inpatient = rng.random() < 0.3
    width = rng.randint(1720, 1900)
    height = int(width * rng.uniform(0.56, 0.62))
    paper = rng.choice(((250, 249, 245), (252, 250, 246), (248, 246, 240), (250, 245, 245)))
    page = Image.new("RGB", (width, height), paper)
    form = ImageDraw.Draw(page)
    ink = rng.choice(FORM_INKS)
    face = rng.choice((people.NOTO_SERIF, people.UMING, people.NOTO_SANS, people.WQY_ZENHEI))
    label_size = rng.randint(27, 33)
    label = people.font(label_size, face)
    rule = rng.choice([2, 2, 3])

    # --- the facts ---------------------------------------------------------------------------
    hospital = rng.choice(people.HOSPITALS)
    patient = people.invented_name(rng)
    sex = rng.choice("男女")
    birth = people.random_date(rng, date(1935, 1, 1), date(2012, 12, 31))
    id_number = people.invented_id_number(rng, birth, sex)
    issued = people.random_date(rng, date(2018, 1, 2), date(2024, 12, 28))
    admission = discharge = None
    if inpatient:
        discharge = issued - timedelta(days=rng.choice([0, 0, 1, 3]))
        admission = discharge - timedelta(days=rng.randrange(1, 30))
    names = INPATIENT_ITEMS if inpatient else OUTPATIENT_ITEMS
    chosen = rng.sample(names, rng.randint(3, 8) if inpatient else rng.randint(1, 5))
    amounts = {
        name: people.money(rng, 20, 5000) if inpatient else people.money(rng, 2, 300)
        for name in chosen
    }
    total = sum(amounts.values(), Decimal("0"))
    number = f"{rng.randrange(0, 10**8):08d}"
    code = f"44{rng.randrange(0, 10**6):06d}" if rng.random() < 0.5 else None

    # --- the pre-printed form ----------------------------------------------------------------
    margin_x = int(width * rng.uniform(0.05, 0.07))
    right = width - int(width * rng.uniform(0.07, 0.09))  # the copy's name runs down the edge
    inner = right - margin_x
    title = "广东省医疗收费票据"
    title_size = rng.randint(58, 70)
    title_font = people.font(
        title_size, rng.choice((people.NOTO_SERIF_BOLD, people.NOTO_SANS_BOLD))
    )
    title_y = int(height * 0.05)
    title_w = form.textlength(title, font=title_font)
    title_x = width / 2 - title_w / 2 - 40
    form.text((title_x, title_y), title, font=title_font, fill=ink)
    kind = "住院" if inpatient else "门诊"
    box_font = people.font(int(title_size * 0.6), face)
    bx = title_x + title_w + 24
    box_w = form.textlength(kind, font=box_font) + 24
    form.rectangle((bx, title_y + 4, bx + box_w, title_y + title_size + 4), outline=ink, width=rule)
    form.text(
        (bx + box_w / 2, title_y + title_size / 2 + 4), kind, font=box_font, fill=ink, anchor="mm"
    )
    # The supervision seal, printed with the form (an oval over the title's middle).
    oval = Image.new("L", (260, 170), 0)
    od = ImageDraw.Draw(oval)
    od.ellipse((4, 4, 256, 166), outline=255, width=4)
    od.text(
        (130, 60),
        "广东省财政厅",
        font=people.font(28, people.NOTO_SERIF_BOLD),
        fill=255,
        anchor="mm",
    )
    od.text((130, 112), "监制", font=people.font(30, people.NOTO_SERIF_BOLD), fill=255, anchor="mm")
    oval_at = (int(width / 2 - 130 - 40), int(title_y - 45 + title_size / 2))
    page.paste(Image.new("RGB", oval.size, ink), oval_at, oval.point(lambda v: v * 0.55))
    y = title_y + title_size + int(label_size * 1.2)
    small = people.font(max(16, label_size - 9), face)
    if code:
        form.text((margin_x, title_y + 6), f"票据代码 {code}", font=small, fill=ink)
    if rng.random() < 0.6:  # the printer's licence: not a code
        form.text((margin_x, title_y + 6 + small.size * 1.5),
                  f"粤财综（{rng.choice([2012, 2014, 2016])}）{rng.randint(10, 99)}号",
                  font=small, fill=ink)  # fmt: skip

    # The red number, by the numbering machine.
    style = rng.choice(["No ", "No", "NO.", "№ "])
    digits = number
    number_font = people.font(
        rng.randint(40, 50), rng.choice((people.NOTO_SANS_BOLD, people.NOTO_SERIF_BOLD))
    )
    nx = right - form.textlength(style + digits, font=number_font) - rng.randint(0, 30)
    ny = title_y + rng.randint(-5, 25)
    number_layer = Image.new("L", page.size, 0)
    ImageDraw.Draw(number_layer).text((nx, ny), style + digits, font=number_font, fill=255)
    box = number_layer.getbbox()
    if layout is not None:
        layout["number_box"] = box
    _ink(page, np.asarray(number_layer, np.float32) / 255 * rng.uniform(0.8, 0.95),
         rng.choice(NUMBER_REDS), rng, patchy=0.25)  # fmt: skip

    # The header cells.
    cell_h = int(label_size * rng.uniform(1.9, 2.2))
    if inpatient:
        header = [("姓名", 0.07, 0.1), ("性别", 0.06, 0.04), ("住院号", 0.08, 0.09),
                  ("入院日期", 0.09, 0.11), ("出院日期", 0.09, 0.11)]  # fmt: skip
    else:
        header = [("姓名", 0.07, 0.11), ("性别", 0.06, 0.05), ("医保类型", 0.09, 0.1),
                  ("社会保障号码", 0.12, 0.21)]  # fmt: skip
    header.append(("门诊号" if not inpatient else "住院天数", 0.08 if not inpatient else 0.09, 0))
    used = sum(a + b for _, a, b in header)
    header[-1] = (header[-1][0], header[-1][1], 1 - used)
    spots: dict[str, tuple[float, float]] = {}  # where the printer aims each value (left, mid-y)
    x: float = margin_x
    form.rectangle((margin_x, y, right, y + cell_h), outline=ink, width=rule)
    for text, label_share, value_share in header:
        w = inner * label_share
        form.text((x + w / 2, y + cell_h / 2), text, font=fitted(form, text, face, label_size, w - 8),
                  fill=ink, anchor="mm")  # fmt: skip
        form.line((x + w, y, x + w, y + cell_h), fill=ink, width=1)
        spots[text] = (x + w + 10, y + cell_h / 2)
        x += w + inner * value_share
        form.line((x, y, x, y + cell_h), fill=ink, width=rule)
    y += cell_h

    # The item grid: pairs of (item, amount) columns, three rows of them.
    pairs = 4
    rows = math.ceil(len(names) / pairs)
    item_w = inner / pairs * rng.uniform(0.48, 0.56)
    amount_w = inner / pairs - item_w
    form.rectangle((margin_x, y, right, y + cell_h * (rows + 1)), outline=ink, width=rule)
    for k in range(pairs):
        x = margin_x + k * (item_w + amount_w)
        form.text((x + item_w / 2, y + cell_h / 2), "项  目", font=label, fill=ink, anchor="mm")
        form.text(
            (x + item_w + amount_w / 2, y + cell_h / 2), "金  额", font=label, fill=ink, anchor="mm"
        )
        form.line((x + item_w, y, x + item_w, y + cell_h * (rows + 1)), fill=ink, width=1)
        if k:
            form.line((x, y, x, y + cell_h * (rows + 1)), fill=ink, width=rule)
    for r in range(rows + 1):
        form.line(
            (margin_x, y + cell_h * r, right, y + cell_h * r), fill=ink, width=1 if r > 1 else rule
        )
    by_column = rng.random() < 0.5  # item names run down the columns, or along the rows
    for index, name in enumerate(names):
        k, r = (index // rows, index % rows) if by_column else (index % pairs, index // pairs)
        x = margin_x + k * (item_w + amount_w)
        cy = y + cell_h * (r + 1.5)
        form.text((x + item_w / 2, cy), name, font=label, fill=ink, anchor="mm")
        spots[name] = (x + item_w + amount_w - 14, cy)
    y += cell_h * (rows + 1)

    # Payments (distractors) and the total.
    if inpatient:
        payments = [("预交金额", 0.13), ("补交金额", 0.13), ("退款金额", 0.13)]
    else:
        payments = [("医保统筹支付", 0.16), ("个人账户支付", 0.16), ("个人自付", 0.1)]
    x = margin_x
    form.rectangle((margin_x, y, right, y + cell_h), outline=ink, width=rule)
    for text, share in payments:
        w = inner * share
        form.text((x + w / 2, y + cell_h / 2), text, font=fitted(form, text, face, label_size, w - 8),
                  fill=ink, anchor="mm")  # fmt: skip
        form.line((x + w, y, x + w, y + cell_h), fill=ink, width=1)
        spots[text] = (x + w + 12, y + cell_h / 2)
        x += w + inner * (1 / 3 - share)
        form.line((x, y, x, y + cell_h), fill=ink, width=rule)
    y += cell_h
    form.rectangle((margin_x, y, right, y + cell_h), outline=ink, width=rule)
    capital_label = "合计人民币（大写）"
    form.text((margin_x + 12, y + cell_h / 2), capital_label, font=label, fill=ink, anchor="lm")
    cx = margin_x + 24 + form.textlength(capital_label, font=label)
    unit_boxes = rng.random() < 0.55  # 万 仟 佰 拾 元 角 分 printed with gaps for the digits
    unit_spots = []
    if unit_boxes:
        gap = (inner * 0.62 - (cx - margin_x)) / len(UNITS)
        for k, unit in enumerate(UNITS):
            ux = cx + gap * (k + 1) - label_size
            form.text((ux, y + cell_h / 2), unit, font=label, fill=ink, anchor="lm")
            unit_spots.append((ux - label_size * 0.8, y + cell_h / 2))  # just before its unit
    spots["大写"] = (cx, y + cell_h / 2)
    yuan_x = margin_x + inner * 0.68
    form.text((yuan_x, y + cell_h / 2), "¥", font=label, fill=ink, anchor="lm")
    spots["¥"] = (yuan_x + label_size * 1.1, y + cell_h / 2)
    y += cell_h

    # The signature line: 收款单位（盖章）, 收款人, and the date's 年 月 日.
    y += int(label_size * 0.6)
    line_y = y + label_size / 2
    form.text((margin_x, line_y), "收款单位（盖章）", font=label, fill=ink, anchor="lm")
    spots["收款单位"] = (margin_x + form.textlength("收款单位（盖章）", font=label) + 10, line_y)
    cashier_x = margin_x + inner * rng.uniform(0.45, 0.52)
    form.text((cashier_x, line_y), "收款人", font=label, fill=ink, anchor="lm")
    spots["收款人"] = (cashier_x + form.textlength("收款人", font=label) + 14, line_y)
    date_x = margin_x + inner * rng.uniform(0.7, 0.74)
    year_gap, part_gap = label_size * 3.4, label_size * 2.3
    marks = [("年", date_x + year_gap), ("月", date_x + year_gap + label_size + part_gap),
             ("日", date_x + year_gap + 2 * (label_size + part_gap))]  # fmt: skip
    for mark, mx in marks:
        form.text((mx, line_y), mark, font=label, fill=ink, anchor="lm")
    # The copy's name, down the right edge.
    copy = rng.choice(["第二联 收据联", "第二联 收据联 交付款人", "第一联 收据联"])
    vx = right + (width - right) / 2
    vy: float = int(height * 0.25)
    for char in copy:
        if char == " ":
            vy += small.size
            continue
        form.text((vx, vy), char, font=small, fill=ink, anchor="mm")
        vy += small.size * 1.15

    # --- the dot-matrix print ----------------------------------------------------------------
    print_layer = Image.new("L", page.size, 0)
    printer = ImageDraw.Draw(print_layer)
    print_face = rng.choice((people.NOTO_SANS, people.WQY_ZENHEI, people.UMING, people.NOTO_SERIF))
    pitch = rng.choice([2, 2, 3])  # a 24-pin head's fine dots, or a coarser 9-pin look
    print_size = rng.randint(30, 36) if pitch == 2 else rng.randint(35, 40)
    pf = people.font(print_size, print_face)
    heavy = 1 if pitch == 3 or print_face in (people.UMING, people.NOTO_SERIF) else 0

    def put(spot: tuple[float, float], text: str, anchor: str = "lm") -> None:
        printer.text(spot, text, font=pf, fill=255, anchor=anchor, stroke_width=heavy,
                     stroke_fill=255)  # fmt: skip

    put(spots["姓名"], patient)
    put(spots["性别"], sex)
    if inpatient:
        assert admission is not None and discharge is not None  # drawn above for a stay
        put(spots["住院号"], f"{rng.randrange(10**5, 10**8)}")
        put(spots["入院日期"], _print_date(rng, admission))
        put(spots["出院日期"], _print_date(rng, discharge))
        put(spots["住院天数"], str((discharge - admission).days))
        prepaid = (total * Decimal("1.2") / 100).to_integral_value(ROUND_CEILING) * 100
        put(spots["预交金额"], f"{prepaid:.2f}")
        put(spots["补交金额"], "0.00")
        put(spots["退款金额"], f"{prepaid - total:.2f}")
    else:
        insured = rng.random() < 0.7
        put(
            spots["医保类型"],
            rng.choice(["城乡居民", "职工医保", "居民医保"]) if insured else "自费",
        )
        if rng.random() < 0.7:
            put(spots["社会保障号码"], id_number)
        put(spots["门诊号"], f"{rng.randrange(10**5, 10**9)}")
        fund = (
            (total * Decimal(rng.uniform(0.3, 0.6))).quantize(Decimal("0.01"))
            if insured
            else Decimal(0)
        )
        put(spots["医保统筹支付"], f"{fund:.2f}")
        put(spots["个人账户支付"], "0.00")
        put(spots["个人自付"], f"{total - fund:.2f}")
    for name, amount in amounts.items():
        put(spots[name], f"{amount:.2f}", anchor="rm")
    if unit_boxes:
        for char, spot in zip(_capital_digits(total), unit_spots, strict=True):
            put(spot, char, anchor="mm")
    else:
        put(spots["大写"], capital_amount(total))
    put(spots["¥"], f"{total:.2f}")
    put(spots["收款单位"], hospital)
    put(spots["收款人"], people.invented_name(rng))
    # The date, aimed just before 年, 月 and 日.
    for text, (_, mx) in zip((f"{issued:%Y}", f"{issued:%m}", f"{issued:%d}"), marks, strict=True):
        put((mx - 8, line_y), text, anchor="rm")
    if rng.random() < 0.6:  # the operator and the time of printing, at the bottom
        put((margin_x + 8, line_y + print_size * 1.6),
            f"操作员:{rng.randint(100, 999)}  {issued:%Y-%m-%d} {rng.randint(8, 17):02d}:"
            f"{rng.randint(0, 59):02d}  流水号:{rng.randrange(10**9, 10**10)}")  # fmt: skip

    # Out of register: the whole print off by up to half a cell, a little askew.
    dx = rng.uniform(-0.5, 0.5) * cell_h * 1.6
    dy = rng.uniform(-0.5, 0.5) * cell_h
    turn = rng.uniform(-0.9, 0.9) if rng.random() < 0.6 else 0.0
    matrix: np.ndarray = cv2.getRotationMatrix2D((width / 2, height / 2), turn, 1.0)
    matrix[:, 2] += (dx, dy)
    printed = cv2.warpAffine(np.asarray(print_layer), matrix, page.size, flags=cv2.INTER_LINEAR)
    _ink(page, _dots(printed, rng, pitch), rng.choice(RIBBONS), rng, patchy=0.0)

    seal_r = rng.uniform(140, 170)
    seal_y = line_y - rng.uniform(30, 110)
    bottom = int(max(line_y + label_size * rng.uniform(3.0, 4.5), seal_y + seal_r + 12))
    if bottom < page.height:
        page = page.crop((0, 0, width, bottom))
    # The cashier's rubber stamp over the payee line.
    payee_x = spots["收款单位"][0] + rng.uniform(0.1, 0.6) * (cashier_x - spots["收款单位"][0])
    seal(page, rng, (payee_x, seal_y), seal_r, hospital,
         rng.choice(["财务专用章", "收费专用章"]), electronic=False)  # fmt: skip

    truth = {
        "doc_type": "receipt",
        "kind": "inpatient" if inpatient else "outpatient",
        "hospital": hospital,
        "patient_name": patient,
        "invoice_code": code,
        "invoice_number": number,
        "issue_date": issued.isoformat(),
        "total": f"{total:.2f}",
        "admission_date": admission.isoformat() if admission else None,
        "discharge_date": discharge.isoformat() if discharge else None,
    }
    return Page(page, truth)


def fitted(
    draw: ImageDraw.ImageDraw, text: str, face: str, size: int, room: float
) -> ImageFont.FreeTypeFont:
    while size > 12 and draw.textlength(text, font=people.font(size, face)) > room:
        size -= 1
    return people.font(size, face)


def _print_date(rng: random.Random, day: date) -> str:
    return rng.choice([f"{day:%Y-%m-%d}", f"{day:%Y.%m.%d}", f"{day:%Y%m%d}"])


def _capital_digits(total: Decimal) -> list[str]:
    """The seven 大写 digits for the 万 仟 佰 拾 元 角 分 boxes (leading zeros left blank)."""
    fen = int((total * 100).to_integral_value())
    digits = f"{fen:07d}"[-7:]
    out, leading = [], True
    for k, d in enumerate(digits):
        if leading and d == "0" and k < 4:
            out.append("")
        else:
            leading = False
            out.append(CAPITAL_DIGITS[int(d)])
    return out


def _dots(layer: np.ndarray, rng: random.Random, pitch: int) -> np.ndarray:
    """Resample rendered text into a grid of round dots, as a 9- or 24-pin head prints it."""
    height, width = layer.shape
    grid_h, grid_w = height // pitch, width // pitch
    coverage = cv2.resize(layer[: grid_h * pitch, : grid_w * pitch], (grid_w, grid_h),
                          interpolation=cv2.INTER_AREA).astype(np.float32) / 255  # fmt: skip
    on = (coverage > rng.uniform(0.25, 0.4)).astype(np.float32)
    # Each pin's dot: a little darker or lighter; and the ribbon wears in bands.
    strength = np.array([rng.uniform(0.8, 1.0) for _ in range(37)], dtype=np.float32)
    per_dot = strength[(np.arange(grid_h * grid_w) * 7919) % 37].reshape(grid_h, grid_w)
    bands = np.interp(np.arange(grid_h), np.linspace(0, grid_h, 12),
                      [rng.uniform(0.7, 1.0) for _ in range(12)]).astype(np.float32)  # fmt: skip
    on *= per_dot * bands[:, None]
    up = cv2.resize(on, (grid_w * pitch, grid_h * pitch), interpolation=cv2.INTER_NEAREST)
    yy, xx = np.mgrid[0:pitch, 0:pitch].astype(np.float32) + 0.5
    radius = pitch * rng.uniform(0.5, 0.62)
    disk = np.clip(radius - np.hypot(xx - pitch / 2, yy - pitch / 2) + 0.5, 0, 1)
    dotted = up * np.tile(disk, (grid_h, grid_w))
    out = np.zeros((height, width), np.float32)
    out[: grid_h * pitch, : grid_w * pitch] = dotted
    alpha: np.ndarray = np.clip(cv2.GaussianBlur(out, (0, 0), 0.5) * rng.uniform(0.9, 1.1), 0, 1)
    return alpha


def _ink(
    page: Image.Image,
    alpha: np.ndarray,
    colour: tuple[int, int, int],
    rng: random.Random,
    patchy: float,
) -> None:
    """Lay `colour` over `page` where `alpha` says, multiplied (ink does not cover ink)."""
    if patchy:
        h, w = alpha.shape
        coarse = np.array(
            [[rng.uniform(1 - patchy, 1) for _ in range(48)] for _ in range(8)], dtype=np.float32
        )
        alpha = alpha * cv2.resize(coarse, (w, h), interpolation=cv2.INTER_LINEAR)
    under = np.asarray(page, np.float32)
    tint = np.array(colour, dtype=np.float32) / 255
    mixed = under * (1 - alpha[..., None] * (1 - tint))
    page.paste(Image.fromarray(np.clip(mixed, 0, 255).astype(np.uint8)))
