"""Guangdong's electronic medical receipts (医疗门诊/住院收费票据（电子）) printed to paper.

A hospital issues the receipt on the 广东省财政电子票据 platform and the patient prints the PDF
(or the hospital prints it for them): a QR code, the title in dark red, the 财政部 监制章, the
code, number, check code and date, the payer and the payer's 统一社会信用代码 (for a person, the
ID number), a table of charges, the total in 大写 and 小写, a 备注 block full of other numbers
and dates, and the payee line with the hospital's electronic 财务专用章 pressed over it.

Two platform versions are drawn, as two families:

    draw_a  the national template: fields in free rows above a bordered table whose charges
            run in two halves side by side (项目名称 数量 单位 金额 备注 twice);
    draw_b  a boxed template: every field in a grid cell (label cell, value cell), one charge
            table with more rows, the payee, reviewer and cashier in the bottom row's cells.

Each varies its face, sizes, columns, label wording, colours, outpatient/inpatient, the
number of charges, where the QR code sits, and the stamps.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import qrcode
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from kiosk.ocr.amounts import capital_amount
from kiosk.ocr.samples import people
from kiosk.ocr.samples.page import Page

PAPER = ((252, 252, 250), (248, 247, 242), (245, 246, 248), (250, 249, 244))
INK = ((20, 20, 22), (35, 35, 38), (28, 26, 30), (45, 45, 50))
TEMPLATE_INK = ((150, 60, 45), (130, 55, 40), (160, 70, 60), (120, 40, 40))  # brown-red
TITLE_INK = ((140, 30, 30), (120, 40, 30), (150, 45, 35), (110, 30, 25))
SEAL_RED = ((225, 35, 40), (210, 30, 45), (230, 50, 50), (200, 25, 35))

INSTITUTION_TYPES = ("综合医院", "中医医院", "专科医院", "基层医疗卫生机构", "非营利性医疗机构")
INSURANCE_TYPES = ("职工基本医疗保险", "城乡居民基本医疗保险", "城乡居民医保", "职工医保")
UNITS = ("项", "次", "", "", "组", "盒")


# --- shared pieces: seals, QR codes, text ---------------------------------------------------


def seal(
    page: Image.Image,
    rng: random.Random,
    centre: tuple[float, float],
    radius: float,
    arc_text: str,
    centre_text: str = "财务专用章",
    *,
    star: bool = True,
    code: str | None = None,
    electronic: bool = True,
    oval: float = 1.0,
) -> None:
    """Press a round red seal onto `page` (multiplied in, so the text under it shows).

    `electronic` seals (the e-receipt's signature image) are crisp; pressed ones have
    uneven ink, gaps and a blur, and sit at a careless angle.
    """
    size = int(radius * 2 + 8)
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    c = size / 2
    ring = max(3, int(radius * rng.uniform(0.035, 0.055)))
    draw.ellipse((c - radius, c - radius, c + radius, c + radius), outline=255, width=ring)
    if rng.random() < 0.2:  # a thin inner ring
        inner = radius - ring * 2.2
        draw.ellipse((c - inner, c - inner, c + inner, c + inner), outline=255, width=1)
    face = rng.choice(
        (people.NOTO_SANS_BOLD, people.NOTO_SERIF_BOLD, people.WQY_ZENHEI, people.UMING)
    )
    chars = list(arc_text)
    char_size = int(radius * rng.uniform(0.24, 0.3) * (1 if len(chars) <= 12 else 12 / len(chars)))
    char_size = max(12, char_size)
    span = min(300, 150 + 10 * len(chars))
    text_radius = radius - ring - char_size * 0.65
    glyph_font = people.font(char_size, face)
    for index, char in enumerate(chars):
        angle = -90 - span / 2 + span * (index + 0.5) / len(chars)  # degrees, 0 = east
        glyph = Image.new("L", (char_size * 2, char_size * 2), 0)
        ImageDraw.Draw(glyph).text(
            (char_size, char_size), char, font=glyph_font, fill=255, anchor="mm"
        )
        # Squeeze the glyphs a little, as seal carvers do, then turn each to face outwards.
        glyph = glyph.resize((int(char_size * 1.6), char_size * 2))
        glyph = glyph.rotate(-(angle + 90), resample=Image.Resampling.BILINEAR, expand=True)
        x = c + text_radius * math.cos(math.radians(angle)) - glyph.width / 2
        y = c + text_radius * math.sin(math.radians(angle)) - glyph.height / 2
        mask.paste(255, (int(x), int(y)), glyph)
    if star:
        points = []
        star_radius = radius * rng.uniform(0.22, 0.3)
        for k in range(10):
            r = star_radius if k % 2 == 0 else star_radius * 0.38
            a = math.radians(-90 + 36 * k)
            points.append((c + r * math.cos(a), c - radius * 0.02 + r * math.sin(a)))
        draw.polygon(points, fill=255)
    if centre_text:
        small = people.font(max(12, int(radius * rng.uniform(0.17, 0.21))), face)
        draw.text((c, c + radius * 0.5), centre_text, font=small, fill=255, anchor="mm")
    if code:
        tiny = people.font(max(10, int(radius * 0.1)), people.NOTO_SANS)
        draw.text((c, c + radius * 0.78), code, font=tiny, fill=255, anchor="mm")

    if oval != 1.0:
        mask = mask.resize((int(size * oval), size))
    if electronic:
        strength = rng.uniform(0.8, 0.95)
        mask = mask.rotate(rng.uniform(-3, 3), resample=Image.Resampling.BILINEAR)
        alpha = np.asarray(mask, np.float32) / 255 * strength
    else:  # a rubber stamp: patchy ink, a heavier side, soft edges, any angle
        mask = mask.rotate(rng.uniform(-35, 35), resample=Image.Resampling.BILINEAR)
        mask = mask.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.4)))
        alpha = np.asarray(mask, np.float32) / 255
        h, w = alpha.shape
        speckle = np.asarray(
            Image.fromarray(
                (np.array([rng.random() for _ in range(24 * 24)]).reshape(24, 24) * 255).astype(
                    np.uint8
                )
            ).resize((w, h), Image.Resampling.BICUBIC),
            np.float32,
        )
        heavy = np.linspace(rng.uniform(0.5, 0.8), rng.uniform(0.9, 1.0), w, dtype=np.float32)
        if rng.random() < 0.5:
            heavy = heavy[::-1]
        alpha = alpha * np.clip(0.35 + speckle / 255 * 0.9, 0, 1) * heavy[None, :]
    colour = np.array(rng.choice(SEAL_RED), dtype=np.float32) / 255
    left, top = int(centre[0] - alpha.shape[1] / 2), int(centre[1] - alpha.shape[0] / 2)
    region = (left, top, left + alpha.shape[1], top + alpha.shape[0])
    under = np.asarray(page.crop(region), np.float32)
    blended = under * (1 - alpha[..., None] * (1 - colour))
    page.paste(Image.fromarray(np.clip(blended, 0, 255).astype(np.uint8)), region[:2])


def qr_image(rng: random.Random, size: int, payload: str) -> Image.Image:
    """A real QR code of `payload` (the verification link), `size` px square, no border."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    matrix = np.array(code.get_matrix(), dtype=np.uint8)
    image = Image.fromarray(((1 - matrix) * 255).astype(np.uint8))
    return image.resize((size, size), Image.Resampling.NEAREST).convert("RGB")


def fitted(
    draw: ImageDraw.ImageDraw, text: str, face: str, size: int, room: float
) -> ImageFont.FreeTypeFont:
    """The font of `face` at `size`, or smaller until `text` fits in `room` px."""
    while size > 12 and draw.textlength(text, font=people.font(size, face)) > room:
        size -= 1
    return people.font(size, face)


def colon(rng: random.Random) -> str:
    return "：" if rng.random() < 0.8 else ":"


def iso_or_cn(rng: random.Random, day: date) -> str:
    return (
        f"{day:%Y-%m-%d}" if rng.random() < 0.6 else f"{day.year}年{day.month:02d}月{day.day:02d}日"
    )


# --- the receipt's facts --------------------------------------------------------------------


def facts(rng: random.Random, inpatient: bool | None = None) -> dict[str, Any]:
    """Everything one receipt says, invented; `truth` among it."""
    if inpatient is None:
        inpatient = rng.random() < 0.45
    hospital = rng.choice(people.HOSPITALS)
    sex = rng.choice("男女")
    birth = people.random_date(rng, date(1935, 1, 1), date(2010, 12, 31))
    patient = people.invented_name(rng)
    id_number = people.invented_id_number(rng, birth, sex)
    issued = people.random_date(rng, date(2025, 1, 6), date(2026, 11, 28))
    admission = discharge = None
    if inpatient:
        discharge = issued - timedelta(days=rng.choice([0, 0, 0, 1, 2, 5]))
        admission = discharge - timedelta(days=rng.randrange(1, 35))
        visit = discharge
    else:
        visit = issued - timedelta(days=rng.choice([0, 0, 0, 1, 3, 12]))
    names = list(people.ITEMS)
    if not inpatient:
        names = [n for n in names if n not in ("床位费", "护理费")] + ["一般诊疗费", "注射费"]
    count = rng.randint(4, 11) if inpatient else rng.randint(1, 8)
    chosen = rng.sample(names, min(count, len(names)))
    high = 6000 if inpatient else 450
    items = []
    for name in chosen:
        amount = people.money(rng, 1, high) if rng.random() < 0.8 else people.money(rng, 1, 40)
        quantity = "1" if rng.random() < 0.8 else str(rng.randint(2, 12))
        items.append((name, quantity, rng.choice(UNITS), amount))
    total = sum((item[3] for item in items), Decimal("0"))
    fund = (total * Decimal(rng.uniform(0.3, 0.7))).quantize(Decimal("0.01"))
    if fund in (Decimal("0"), total):
        fund = (total / 2).quantize(Decimal("0.01"))
    account = min(people.money(rng, 0, 80) if rng.random() < 0.4 else Decimal("0.00"), total - fund)
    other = Decimal("0.00")
    cash = total - fund - account - other
    return {
        "inpatient": inpatient,
        "hospital": hospital,
        "patient": patient,
        "sex": sex,
        "id_number": id_number,
        "code": f"44{rng.choice(['06', '05', '01', '00'])}{rng.randrange(0, 10**4):04d}",
        "number": f"{rng.randrange(0, 10**10):010d}",
        "check": "".join(rng.choice("0123456789abcdef") for _ in range(6)),
        "issued": issued,
        "visit": visit,
        "admission": admission,
        "discharge": discharge,
        "items": items,
        "total": total,
        "fund": fund,
        "account": account,
        "other": other,
        "cash": cash,
        "serial": f"{visit:%Y%m%d}{rng.randrange(10**9, 10**10)}",
        "visit_number": f"{rng.randrange(10**7, 10**10)}",
        "insurance_number": f"{rng.choice(['4405', '4400', 'H4405'])}{rng.randrange(10**11, 10**12)}",
        "institution": rng.choice(INSTITUTION_TYPES),
        "insurance": rng.choice(INSURANCE_TYPES),
        "reviewer": people.invented_name(rng),
        "cashier": people.invented_name(rng),
        "seal_code": f"44051{rng.randrange(10**7, 10**8)}" if rng.random() < 0.5 else None,
    }


def truth_of(f: dict[str, Any]) -> dict[str, str | None]:
    return {
        "doc_type": "receipt",
        "kind": "inpatient" if f["inpatient"] else "outpatient",
        "hospital": f["hospital"],
        "patient_name": f["patient"],
        "invoice_code": f["code"],
        "invoice_number": f["number"],
        "issue_date": f["issued"].isoformat(),
        "total": f"{f['total']:.2f}",
        "admission_date": f["admission"].isoformat() if f["admission"] else None,
        "discharge_date": f["discharge"].isoformat() if f["discharge"] else None,
    }


def remarks(rng: random.Random, f: dict[str, Any], c: str) -> list[str]:
    """The 备注 lines: other numbers, dates and amounts, none of them the answer."""
    visit_label = "住院号" if f["inpatient"] else rng.choice(["门诊号", "门诊号", "就诊号"])
    entries = [
        f"业务流水号{c}{f['serial']}",
        f"{visit_label}{c}{f['visit_number']}",
    ]
    if f["inpatient"]:
        if rng.random() < 0.5:
            entries.append(f"住院时间{c}{f['admission']:%Y-%m-%d}至{f['discharge']:%Y-%m-%d}")
        else:
            entries.append(f"入院日期{c}{iso_or_cn(rng, f['admission'])}")
            entries.append(f"出院日期{c}{iso_or_cn(rng, f['discharge'])}")
        if rng.random() < 0.6:
            entries.append(f"住院天数{c}{(f['discharge'] - f['admission']).days}")
    else:
        entries.append(f"就诊日期{c}{iso_or_cn(rng, f['visit'])}")
    entries += [
        f"医疗机构类型{c}{f['institution']}",
        f"医保类型{c}{f['insurance']}",
        f"医保编号{c}{f['insurance_number']}",
        f"性别{c}{f['sex']}",
        f"医保统筹基金支付{c}{f['fund']:.2f}",
        f"其他支付{c}{f['other']:.2f}",
        f"个人账户支付{c}{f['account']:.2f}",
        f"个人现金支付{c}{f['cash']:.2f}",
    ]
    if rng.random() < 0.4:
        entries.append(f"个人自付{c}{f['cash'] * Decimal('0.3'):.2f}")
    return entries


def qr_payload(f: dict[str, Any]) -> str:
    return (
        f"https://pjcy.gdczt.gov.cn/check?code={f['code']}&no={f['number']}"
        f"&chk={f['check']}&d={f['issued']:%Y%m%d}"
    )


def wrap_entries(
    draw: ImageDraw.ImageDraw,
    entries: list[str],
    font: ImageFont.FreeTypeFont,
    room: float,
    gap: str = "  ",
) -> list[str]:
    """Lay the entries out in lines no wider than `room`, several to a line."""
    lines, current = [], ""
    for entry in entries:
        trial = f"{current}{gap}{entry}" if current else entry
        if current and draw.textlength(trial, font=font) > room:
            lines.append(current)
            current = entry
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


# --- variant A: the national template --------------------------------------------------------


def draw_a(rng: random.Random) -> Page:
    f = facts(rng)
    width = rng.randint(1760, 1960)
    height = int(width * rng.uniform(0.64, 0.72))
    page = Image.new("RGB", (width, height), rng.choice(PAPER))
    draw = ImageDraw.Draw(page)
    face = rng.choice(people.ALL_FACES)
    colour_print = rng.random() < 0.75
    ink = rng.choice(INK)
    frame = rng.choice(TEMPLATE_INK) if colour_print else (60, 60, 60)
    title_ink = rng.choice(TITLE_INK) if colour_print else (40, 40, 40)
    c = colon(rng)
    size = rng.randint(25, 31)
    body = people.font(size, face)
    label_font = people.font(size, face)
    margin = int(width * rng.uniform(0.045, 0.07))

    # Title, QR code, the 监制章 over the title.
    title = f"医疗{'住院' if f['inpatient'] else '门诊'}收费票据（电子）"
    if rng.random() < 0.25:
        title = "广东省" + title
    title_face = rng.choice((people.NOTO_SERIF_BOLD, people.NOTO_SANS_BOLD, people.UMING, face))
    title_size = rng.randint(46, 60)
    title_y = int(height * rng.uniform(0.05, 0.075))
    draw.text((width / 2, title_y), title, font=people.font(title_size, title_face),
              fill=title_ink, anchor="mt")  # fmt: skip
    title_w = draw.textlength(title, font=people.font(title_size, title_face))
    if rng.random() < 0.6:  # the double rule under the title
        y = title_y + title_size + 10
        draw.line((width / 2 - title_w / 2, y, width / 2 + title_w / 2, y), fill=title_ink, width=3)
        draw.line((width / 2 - title_w / 2, y + 6, width / 2 + title_w / 2, y + 6),
                  fill=title_ink, width=1)  # fmt: skip
    qr_size = rng.randint(150, 200)
    qr_left = rng.random() < 0.7
    qr_x = margin if qr_left else width - margin - qr_size
    page.paste(qr_image(rng, qr_size, qr_payload(f)), (qr_x, int(height * 0.03)))

    # The fields above the table: 票据代码/号码, the payer and his code, check code and date.
    y = max(title_y + title_size + 40, int(height * 0.03) + qr_size + 14)
    row_h = int(size * rng.uniform(1.55, 1.85))
    right_x = int(width * rng.uniform(0.6, 0.68))
    code_label = rng.choice(
        ["交款人统一社会信用代码", "交款人统一社会信用代码", "统一社会信用代码"]
    )
    payer = rng.choice(["交款人", "交款人", "交款单位（人）"])
    date_text = iso_or_cn(rng, f["issued"])
    pairs = [
        ((f"票据代码{c}", f["code"]), (f"票据号码{c}", f["number"])),
        ((f"{code_label}{c}", f["id_number"]), (f"{payer}{c}", f["patient"])),
        ((f"校验码{c}", f["check"]), (f"开票日期{c}", date_text)),
    ]
    if rng.random() < 0.4:
        pairs[1] = (pairs[1][1], pairs[1][0])  # the name first, its code beside it
    if rng.random() < 0.3:
        pairs[0], pairs[2] = pairs[2], pairs[0]
    x: float  # a left edge, in px
    for left, right in pairs:
        for (label, value), x in ((left, margin), (right, right_x)):
            draw.text((x, y), label, font=label_font, fill=frame)
            lx = x + draw.textlength(label, font=label_font)
            room = (right_x - 20 if x == margin else width - margin) - lx
            draw.text((lx, y), value, font=fitted(draw, value, face, size, room), fill=ink)
        y += row_h

    # The charge table, in two halves.
    top = y + 8
    inner_w = width - 2 * margin
    half = inner_w / 2
    name_w = half * rng.uniform(0.36, 0.42)
    qty_w, unit_w = half * rng.uniform(0.1, 0.13), half * rng.uniform(0.09, 0.12)
    amount_w = half * rng.uniform(0.2, 0.24)
    columns = [name_w, qty_w, unit_w, amount_w]
    columns.append(half - sum(columns))  # 备注
    heads = ["项目名称", "数量", "单位", rng.choice(["金额（元）", "金额(元)", "金额"]), "备注"]
    rows = max(math.ceil(len(f["items"]) / 2), rng.randint(3, 5))
    cell_h = int(size * rng.uniform(1.45, 1.7))
    line_w = rng.choice([1, 2, 2, 3])
    table_h = cell_h * (rows + 1)
    bottom = top + table_h
    draw.rectangle((margin, top, width - margin, bottom), outline=frame, width=line_w)
    draw.line((margin, top + cell_h, width - margin, top + cell_h), fill=frame, width=line_w)
    head_font = people.font(max(14, size - 2), face)
    for side in range(2):
        x = margin + side * half
        if side:
            draw.line((x, top, x, bottom), fill=frame, width=line_w)
        for head, w in zip(heads, columns, strict=True):
            draw.text((x + w / 2, top + cell_h / 2), head, font=head_font, fill=frame, anchor="mm")
            x += w
    align = rng.choice(["right", "right", "centre"])
    for index, (name, quantity, unit, amount) in enumerate(f["items"]):
        side, row = divmod(index, rows)
        x = margin + side * half
        cy = top + cell_h * (row + 1.5)
        draw.text((x + 10, cy), name, font=fitted(draw, name, face, size, name_w - 14),
                  fill=ink, anchor="lm")  # fmt: skip
        draw.text((x + name_w + qty_w / 2, cy), quantity, font=body, fill=ink, anchor="mm")
        draw.text((x + name_w + qty_w + unit_w / 2, cy), unit, font=body, fill=ink, anchor="mm")
        ax = x + name_w + qty_w + unit_w
        draw.text(
            (ax + amount_w - 10, cy) if align == "right" else (ax + amount_w / 2, cy),
            f"{amount:.2f}", font=body, fill=ink, anchor="rm" if align == "right" else "mm",
        )  # fmt: skip

    # The total: 大写 and 小写 in one ruled row.
    y = bottom
    total_h = int(cell_h * 1.15)
    draw.rectangle((margin, y, width - margin, y + total_h), outline=frame, width=line_w)
    cy = y + total_h / 2
    label = rng.choice(["金额合计（大写）", "金额合计(大写)", "合计金额（大写）"])
    draw.text((margin + 12, cy), label, font=label_font, fill=frame, anchor="lm")
    x = margin + 24 + draw.textlength(label, font=label_font)
    draw.text((x, cy), capital_amount(f["total"]), font=body, fill=ink, anchor="lm")
    small_x = margin + inner_w * rng.uniform(0.6, 0.7)
    small_label = rng.choice(["（小写）", "(小写)"])
    draw.text((small_x, cy), small_label, font=label_font, fill=frame, anchor="lm")
    figure = f"{'¥' if rng.random() < 0.5 else ''}{f['total']:.2f}"
    draw.text((small_x + draw.textlength(small_label, font=label_font) + 8, cy), figure,
              font=body, fill=ink, anchor="lm")  # fmt: skip

    # 备注 and 其他信息: ruled blocks with the label stacked in a narrow first column.
    y += total_h
    note_font = people.font(max(15, size - rng.randint(3, 6)), face)
    label_w = int(size * 1.9)
    room = inner_w - label_w - 24
    entries = remarks(rng, f, c)
    split = rng.randint(3, 6)
    blocks = [("备注", entries[:split]), ("其他信息", entries[split:])]
    if rng.random() < 0.35:
        blocks = [("备注", entries)]
    line_h = int(note_font.size * 1.45)
    for label, block in blocks:
        lines = wrap_entries(draw, block, note_font, room, gap=rng.choice(["  ", "   ", "；"]))
        block_h = max(line_h * len(lines) + 16, int(size * 1.25) * len(label) + 12)
        draw.rectangle((margin, y, width - margin, y + block_h), outline=frame, width=line_w)
        draw.line((margin + label_w, y, margin + label_w, y + block_h), fill=frame, width=line_w)
        step = block_h / (len(label) + 1)
        for k, char in enumerate(label):
            draw.text((margin + label_w / 2, y + step * (k + 1)), char, font=label_font,
                      fill=frame, anchor="mm")  # fmt: skip
        for k, line in enumerate(lines):
            draw.text((margin + label_w + 12, y + 10 + k * line_h), line, font=note_font, fill=ink)
        y += block_h

    # The payee row: 收款单位（章）, 复核人, 收款人 in the same row.
    y += int(size * rng.uniform(0.7, 1.2))
    payee = rng.choice(["收款单位（章）", "收款单位(章)", "收款单位（章）"])
    draw.text((margin, y), payee + c, font=label_font, fill=frame)
    hx = margin + draw.textlength(payee + c, font=label_font)
    reviewer_x = int(margin + inner_w * rng.uniform(0.55, 0.62))
    draw.text((hx, y), f["hospital"], font=fitted(draw, f["hospital"], face, size, reviewer_x - hx - 20),
              fill=ink)  # fmt: skip
    cashier_x = int(margin + inner_w * rng.uniform(0.78, 0.83))
    for label, name, x in (
        ("复核人", f["reviewer"], reviewer_x),
        ("收款人", f["cashier"], cashier_x),
    ):
        draw.text((x, y), label + c, font=label_font, fill=frame)
        draw.text((x + draw.textlength(label + c, font=label_font), y), name, font=body, fill=ink)

    page = _fit_height(page, y + size * 2 + int(height * rng.uniform(0.03, 0.08)), width)
    _stamps(page, rng, f, title_w, title_y, title_size,
            (hx + rng.uniform(0.2, 0.7) * (reviewer_x - hx), y + size / 2))  # fmt: skip
    return Page(page, truth_of(f))


def _fit_height(page: Image.Image, needed: float, width: int) -> Image.Image:
    """The page cut (or grown) to `needed` px, never squarer than A5 landscape."""
    height = max(int(needed), int(width * 0.5))
    if height == page.height:
        return page
    fitted_page = Image.new("RGB", (width, height), page.getpixel((2, 2)))
    fitted_page.paste(page.crop((0, 0, width, min(page.height, height))), (0, 0))
    return fitted_page


def _stamps(
    page: Image.Image,
    rng: random.Random,
    f: dict[str, Any],
    title_w: float,
    title_y: int,
    title_size: int,
    payee_at: tuple[float, float],
) -> None:
    """The 监制章 by the title and the hospital's 财务专用章 over the payee line."""
    width = page.width
    radius = rng.uniform(85, 115)
    side = rng.choice([-1, 1, 0])
    x = width / 2 + side * (title_w / 2 + radius * rng.uniform(0.3, 1.1))
    seal(page, rng, (x, title_y + title_size / 2 + rng.uniform(-10, 30)), radius,
         rng.choice(["财政部票据监制章", "广东省财政厅", "财政部监制"]),
         rng.choice(["票据监制章", "监制章", ""]), star=rng.random() < 0.7,
         oval=rng.choice([1.0, 1.0, 1.25]))  # fmt: skip
    big = rng.uniform(140, 175)
    seal(page, rng, (payee_at[0], payee_at[1] + rng.uniform(-big * 0.5, big * 0.3)), big,
         f["hospital"], rng.choice(["财务专用章", "财务专用章", "收费专用章"]),
         code=f["seal_code"], electronic=True)  # fmt: skip


# --- variant B: the boxed template ----------------------------------------------------------


def draw_b(rng: random.Random) -> Page:
    f = facts(rng)
    width = rng.randint(1760, 1960)
    page_h = int(width * rng.uniform(0.66, 0.8))
    page = Image.new("RGB", (width, page_h), rng.choice(PAPER))
    draw = ImageDraw.Draw(page)
    face = rng.choice(people.ALL_FACES)
    colour_print = rng.random() < 0.7
    ink = rng.choice(INK)
    frame = rng.choice(TEMPLATE_INK) if colour_print else (50, 50, 50)
    title_ink = rng.choice(TITLE_INK) if colour_print else (35, 35, 35)
    c = "" if rng.random() < 0.6 else colon(rng)  # labels in cells often go without a colon
    size = rng.randint(24, 30)
    body = people.font(size, face)
    margin = int(width * rng.uniform(0.04, 0.06))
    inner_w = width - 2 * margin
    line_w = rng.choice([1, 2, 2])
    cell_h = int(size * rng.uniform(1.6, 1.9))

    title = f"医疗{'住院' if f['inpatient'] else '门诊'}收费票据（电子）"
    if rng.random() < 0.3:
        title = "广东省" + title
    title_face = rng.choice((people.NOTO_SERIF_BOLD, people.NOTO_SANS_BOLD, face))
    title_size = rng.randint(44, 58)
    title_y = int(page_h * rng.uniform(0.04, 0.06))
    title_font = people.font(title_size, title_face)
    draw.text((width / 2, title_y), title, font=title_font, fill=title_ink, anchor="mt")
    title_w = draw.textlength(title, font=title_font)
    qr_size = rng.randint(140, 190)
    qr_right = rng.random() < 0.6
    qr_x = width - margin - qr_size if qr_right else margin
    qr_y = int(page_h * 0.025)
    page.paste(qr_image(rng, qr_size, qr_payload(f)), (qr_x, qr_y))

    # The four numbers: on one or two lines above the grid, left of/under the QR code.
    y = (
        max(title_y + title_size + 30, qr_y + qr_size + 12)
        if rng.random() < 0.5
        else (title_y + title_size + 30)
    )
    top_fields = [
        (f"票据代码{colon(rng)}", f["code"]),
        (f"票据号码{colon(rng)}", f["number"]),
        (f"校验码{colon(rng)}", f["check"]),
        (f"开票日期{colon(rng)}", iso_or_cn(rng, f["issued"])),
    ]
    usable = (qr_x - margin - 20) if qr_right and y < qr_y + qr_size else inner_w
    start = margin if qr_right or y >= qr_y + qr_size else margin + qr_size + 20
    if y < qr_y + qr_size and not qr_right:
        usable = inner_w - qr_size - 20
    per_row = 2 if rng.random() < 0.6 or usable < inner_w * 0.8 else 4
    for k in range(0, 4, per_row):
        for j, (label, value) in enumerate(top_fields[k : k + per_row]):
            x = start + j * usable / per_row
            draw.text((x, y), label, font=body, fill=frame)
            draw.text((x + draw.textlength(label, font=body), y), value, font=body, fill=ink)
        y += int(size * 1.6)
    y = max(y, qr_y + qr_size + 8) + 6

    def cells(top: float, spec: list[tuple[str, float, bool]]) -> None:
        """One grid row: (text, width share, is a label) cells, ruled round."""
        x: float = margin
        for text, share, is_label in spec:
            w = inner_w * share
            draw.rectangle((x, top, x + w, top + cell_h), outline=frame, width=line_w)
            if text:
                fnt = fitted(draw, text, face, size, w - 16)
                if is_label:
                    draw.text(
                        (x + w / 2, top + cell_h / 2), text, font=fnt, fill=frame, anchor="mm"
                    )
                else:
                    draw.text((x + 10, top + cell_h / 2), text, font=fnt, fill=ink, anchor="lm")
            x += w

    # The payer row, then the visit row.
    code_label = rng.choice(["交款人统一社会信用代码", "统一社会信用代码"])
    payer = [(f"交款人{c}", 0.12, True), (f["patient"], 0.2, False)]
    code_cells = [(f"{code_label}{c}", 0.3, True), (f["id_number"], 0.38, False)]
    grid = payer + code_cells if rng.random() < 0.5 else code_cells + payer
    cells(y, grid)
    y += cell_h
    if f["inpatient"]:
        if rng.random() < 0.5:
            stay = [("住院时间", 0.12, True),
                    (f"{f['admission']:%Y-%m-%d}至{f['discharge']:%Y-%m-%d}", 0.32, False)]  # fmt: skip
        else:
            stay = [("入院日期", 0.12, True), (iso_or_cn(rng, f["admission"]), 0.16, False),
                    ("出院日期", 0.12, True), (iso_or_cn(rng, f["discharge"]), 0.16, False)]  # fmt: skip
        used = sum(s for _, s, _ in stay)
        rest = 1 - used
        cells(y, [("住院号", 0.1, True), (f["visit_number"], rest - 0.1 - 0.12 - 0.06, False),
                  *stay, ("住院天数", 0.12, True),
                  (str((f["discharge"] - f["admission"]).days), 0.06, False)])  # fmt: skip
    else:
        cells(y, [(rng.choice(["门诊号", "就诊号"]), 0.1, True), (f["visit_number"], 0.16, False),
                  ("就诊日期", 0.12, True), (iso_or_cn(rng, f["visit"]), 0.17, False),
                  ("性别", 0.08, True), (f["sex"], 0.06, False),
                  ("医保类型", 0.11, True), (f["insurance"], 0.2, False)])  # fmt: skip
    y += cell_h

    # The charge table: one set of columns, a row per charge and some blank rows.
    shares = [0.34, 0.1, 0.1, 0.18, 0.28]
    if rng.random() < 0.4:
        shares = [0.3, 0.12, 0.1, 0.2, 0.28]
    heads = [
        rng.choice(["项目名称", "项目"]),
        "数量",
        "单位",
        rng.choice(["金额（元）", "金额(元)"]),
        "备注",
    ]
    cells(y, [(h, s, True) for h, s in zip(heads, shares, strict=True)])
    y += cell_h
    blank = rng.randint(0, 2)
    amount_left = rng.random() < 0.3
    for name, quantity, unit, amount in f["items"] + [("", "", "", None)] * blank:
        x = margin
        for share in shares:
            w = inner_w * share
            draw.rectangle((x, y, x + w, y + cell_h), outline=frame, width=line_w)
            x += w
        cy = y + cell_h / 2
        if amount is not None:
            draw.text((margin + 12, cy), name, font=body, fill=ink, anchor="lm")
            qx = margin + inner_w * shares[0]
            draw.text(
                (qx + inner_w * shares[1] / 2, cy), quantity, font=body, fill=ink, anchor="mm"
            )
            ux = qx + inner_w * shares[1]
            draw.text((ux + inner_w * shares[2] / 2, cy), unit, font=body, fill=ink, anchor="mm")
            ax = ux + inner_w * shares[2]
            if amount_left:
                draw.text((ax + 12, cy), f"{amount:.2f}", font=body, fill=ink, anchor="lm")
            else:
                draw.text((ax + inner_w * shares[3] - 12, cy), f"{amount:.2f}", font=body,
                          fill=ink, anchor="rm")  # fmt: skip
        y += cell_h

    # The total row.
    figure = f"{'¥' if rng.random() < 0.6 else ''}{f['total']:.2f}"
    cells(y, [(rng.choice(["金额合计（大写）", "合计（大写）"]), 0.2, True),
              (capital_amount(f["total"]), 0.44, False),
              (rng.choice(["（小写）", "小写"]), 0.12, True), (figure, 0.24, False)])  # fmt: skip
    y += cell_h

    # 备注: one tall cell with the label, one with the lines.
    note_font = people.font(max(15, size - rng.randint(3, 6)), face)
    entries = [e for e in remarks(rng, f, colon(rng)) if not e.startswith(("住院", "入院", "出院"))]
    label_share = 0.1
    lines = wrap_entries(draw, entries, note_font, inner_w * (1 - label_share) - 24, gap="  ")
    line_h = int(note_font.size * 1.45)
    block_h = line_h * len(lines) + 16
    draw.rectangle(
        (margin, y, margin + inner_w * label_share, y + block_h), outline=frame, width=line_w
    )
    draw.rectangle((margin + inner_w * label_share, y, width - margin, y + block_h), outline=frame,
                   width=line_w)  # fmt: skip
    draw.text((margin + inner_w * label_share / 2, y + block_h / 2),
              rng.choice(["备注", "其他信息", "备 注"]), font=body, fill=frame, anchor="mm")  # fmt: skip
    for k, line in enumerate(lines):
        draw.text((margin + inner_w * label_share + 12, y + 8 + k * line_h), line, font=note_font,
                  fill=ink)  # fmt: skip
    y += block_h

    # The payee row: hospital, reviewer, cashier, each label in its cell, values beside.
    payee_top = y
    cells(y, [(rng.choice(["收款单位（章）", "收款单位(章)"]), 0.16, True), (f["hospital"], 0.38, False),
              ("复核人", 0.1, True), (f["reviewer"], 0.13, False),
              ("收款人", 0.1, True), (f["cashier"], 0.13, False)])  # fmt: skip
    y += cell_h

    # The page was sized before the content: crop or grow to fit, keeping a bottom margin.
    page = _fit_height(page, y + page_h * rng.uniform(0.04, 0.07), width)
    payee_x = margin + inner_w * rng.uniform(0.25, 0.45)
    _stamps(page, rng, f, title_w, title_y, title_size,
            (payee_x, payee_top + cell_h / 2))  # fmt: skip
    return Page(page, truth_of(f))


def draw(rng: random.Random) -> Page:
    """Either platform version."""
    return draw_a(rng) if rng.random() < 0.5 else draw_b(rng)
