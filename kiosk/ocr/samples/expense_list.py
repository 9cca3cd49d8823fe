"""The inpatient expense list (住院费用清单) a hospital prints at discharge, on A4.

A heading, a block of the stay's particulars (the 住院号 is not a receipt number), a table of
charged items whose amounts add up to the printed total, what the insurer and the patient paid
and the deposit (amounts that are not the total), and the date it was printed or settled. It has
no receipt code or number.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from kiosk.ocr.amounts import capital_amount
from kiosk.ocr.samples import people
from kiosk.ocr.samples.page import Page

A4 = (1654, 2339)  # 210 x 297 mm at 200 dpi
CENT = Decimal("0.01")

# (code, name, specification, unit, unit price); bed and nursing are charged per day.
INPATIENT_ITEMS = (
    ("110900001", "床位费(三人间)", "", "日", "35.00"),
    ("110900002", "床位费(双人间)", "", "日", "60.00"),
    ("120100002", "Ⅱ级护理", "", "日", "18.00"),
    ("120100003", "Ⅰ级护理", "", "日", "28.00"),
    ("110200001", "住院诊查费", "", "日", "12.00"),
    ("250101001", "血常规(五分类)", "", "次", "22.00"),
    ("250301001", "肝功能检测", "", "项", "96.00"),
    ("250302001", "肾功能三项", "", "项", "45.00"),
    ("250402001", "凝血四项", "", "次", "88.00"),
    ("210102001", "DR摄影(髋关节)", "", "部位", "110.00"),
    ("210300001", "CT平扫(髋部)", "64排", "部位", "260.00"),
    ("220600001", "心电图", "十二导", "次", "25.00"),
    ("330100001", "腰硬联合麻醉", "", "次", "800.00"),
    ("331505001", "人工股骨头置换术", "", "次", "2600.00"),
    ("331506002", "股骨颈骨折闭合复位内固定术", "", "次", "2200.00"),
    ("121300001", "静脉输液", "", "组", "8.50"),
    ("121300002", "静脉输液(加组)", "", "组", "3.00"),
    ("120400001", "换药(大)", "", "次", "45.00"),
    ("XY0001021", "头孢呋辛钠注射液", "0.75g", "支", "12.68"),
    ("XY0003310", "氯化钠注射液", "100ml:0.9g", "袋", "3.85"),
    ("XY0005122", "低分子肝素钙注射液", "0.4ml:4100IU", "支", "38.20"),
    ("XY0002287", "氟比洛芬酯注射液", "5ml:50mg", "支", "29.70"),
    ("XY0007640", "塞来昔布胶囊", "0.2g*6粒", "盒", "21.30"),
    ("XY0004415", "奥美拉唑肠溶胶囊", "20mg*14粒", "盒", "16.50"),
    ("ZY0000831", "骨肽注射液", "2ml:10mg", "支", "6.40"),
    ("ZC0000512", "仙灵骨葆胶囊", "0.5g*40粒", "盒", "48.00"),
    ("CL0012033", "一次性使用输液器", "带针", "套", "2.80"),
    ("CL0020881", "医用脱脂纱布", "8cm*10cm", "包", "1.60"),
    ("CL0031207", "髋关节假体(双极)", "", "套", "6800.00"),
    ("CL0031560", "空心加压螺钉", "6.5*80mm", "枚", "1280.00"),
    ("CL0040021", "一次性导尿包", "", "个", "18.00"),
    ("270300001", "病理检查", "", "例", "150.00"),
    ("340200011", "康复评定", "", "次", "30.00"),
    ("340200032", "关节松动训练", "", "次", "40.00"),
)
TITLES = (
    "住院费用清单", "住院病人费用明细清单", "住院患者费用清单", "住院费用明细清单",
    "住院病人费用清单", "住院费用明细表", "出院病人费用清单",
)  # fmt: skip
SEAL_WORDS = ("住院收费专用章", "费用清单专用章", "收费专用章", "住院结算专用章")


def face(size: float, path: str) -> ImageFont.FreeTypeFont:
    return people.font(size, path)


def bold_of(path: str) -> str:
    return {people.NOTO_SANS: people.NOTO_SANS_BOLD, people.NOTO_SERIF: people.NOTO_SERIF_BOLD}.get(
        path, people.NOTO_SANS_BOLD
    )


def format_date(rng: random.Random, day: date | datetime, style: int | None = None) -> str:
    style = rng.randrange(4) if style is None else style
    if style == 0:
        return f"{day:%Y-%m-%d}"
    if style == 1:
        return f"{day.year}年{day.month:02d}月{day.day:02d}日"
    if style == 2:
        return f"{day:%Y/%m/%d}"
    return f"{day.year}年{day.month}月{day.day}日"


def seal(
    page: Image.Image, rng: random.Random, centre: tuple[float, float], name: str, words: str
) -> None:
    """A translucent red round seal: the name round the top, a star, the seal's words below."""
    radius = rng.randrange(120, 170)
    box = 2 * radius + 20
    layer = Image.new("L", (box, box), 0)
    pen = ImageDraw.Draw(layer)
    c = box / 2
    pen.ellipse(
        (c - radius, c - radius, c + radius, c + radius), outline=255, width=rng.randrange(6, 10)
    )
    name = name[:16]
    size = int(radius * rng.uniform(0.2, 0.26))
    glyph_face = face(size, people.NOTO_SANS_BOLD if rng.random() < 0.6 else people.NOTO_SERIF_BOLD)
    span = min(250.0, 18.0 * len(name))
    for index, char in enumerate(name):
        angle = -90 - span / 2 + span * (index + 0.5) / len(name)  # degrees, screen coordinates
        glyph = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(glyph).text((size, size), char, font=glyph_face, fill=255, anchor="mm")
        glyph = glyph.rotate(-(angle + 90), resample=Image.Resampling.BICUBIC)
        r = radius - size * 0.85
        x = c + r * math.cos(math.radians(angle)) - size
        y = c + r * math.sin(math.radians(angle)) - size
        layer.paste(255, (int(x), int(y)), glyph)
    pen.text((c, c), "★", font=face(int(radius * 0.5), people.NOTO_SANS), fill=255, anchor="mm")
    pen.text(
        (c, c + radius * 0.5),
        words,
        font=face(int(radius * 0.17), people.NOTO_SANS_BOLD),
        fill=255,
        anchor="mm",
    )
    layer = layer.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC)
    ink = np.asarray(layer).astype(np.float32) / 255
    patchy = np.random.default_rng(rng.randrange(2**32)).uniform(0.45, 1.0, ink.shape)
    alpha = ink * patchy * rng.uniform(0.55, 0.85)
    left, top = int(centre[0] - box / 2), int(centre[1] - box / 2)
    region = (max(left, 0), max(top, 0), min(left + box, page.width), min(top + box, page.height))
    if region[2] <= region[0] or region[3] <= region[1]:
        return
    under = np.asarray(page.crop(region)).astype(np.float32)
    a = alpha[region[1] - top : region[3] - top, region[0] - left : region[2] - left, None]
    red = np.array(
        [rng.randrange(200, 230), rng.randrange(20, 60), rng.randrange(30, 70)], np.float32
    )
    # Seal ink multiplies with the print under it, like a real stamp over toner.
    mixed = under * (1 - a) + np.minimum(under, red) * a
    page.paste(Image.fromarray(mixed.clip(0, 255).astype(np.uint8)), region[:2])


def paper(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    tone = rng.randrange(243, 256)
    return Image.new("RGB", size, (tone, tone, max(tone - rng.randrange(0, 8), 0)))


def draw(rng: random.Random) -> Page:
    hospital = rng.choice(people.HOSPITALS)
    patient = people.invented_name(rng)
    sex = rng.choice("男女")
    discharge = people.random_date(rng, date(2026, 1, 10), date(2026, 11, 20))
    stay = rng.randrange(2, 36)
    admission = discharge - timedelta(days=stay)
    settled = discharge + timedelta(days=rng.choice((0, 0, 0, 1, 2, 5)))
    department = rng.choice(people.DEPARTMENTS)

    rows = []
    chosen: list[tuple[str, str, str, str, str]]
    wanted, chosen, groups = rng.randrange(8, 21), [], set()
    for item in rng.sample(INPATIENT_ITEMS, len(INPATIENT_ITEMS)):
        group = (
            "bed"
            if item[1].startswith("床位费")
            else "care"
            if item[1].endswith("级护理")
            else item[1]
        )
        if group not in groups and len(chosen) < wanted:
            groups.add(group)
            chosen.append(item)
    for code, name, spec, unit, price_text in chosen:
        if unit == "日":
            quantity = Decimal(stay)
        elif unit == "枚":
            quantity = Decimal(rng.randrange(1, 4))
        elif Decimal(price_text) >= 500 or unit in ("例", "部位"):
            quantity = Decimal(1)
        elif unit in ("项", "次") and not code.startswith(("12", "34")):
            quantity = Decimal(rng.randrange(1, 4))
        else:
            quantity = Decimal(rng.randrange(1, 15))
        amount = (Decimal(price_text) * quantity).quantize(CENT, ROUND_HALF_UP)
        when = admission + timedelta(days=rng.randrange(0, stay + 1))
        rows.append((code, name, spec, unit, quantity, Decimal(price_text), amount, when))
    if rng.random() < 0.5:
        rows.sort(key=lambda row: row[7])
    total = sum((row[6] for row in rows), Decimal("0"))

    landscape = rng.random() < 0.35
    size = (A4[1], A4[0]) if landscape else A4
    page = paper(rng, size)
    pen = ImageDraw.Draw(page)
    width, height = size
    ink = tuple([rng.randrange(10, 45)] * 3)
    path = rng.choice(people.ALL_FACES)
    text_size = rng.randrange(28, 36)
    margin = rng.randrange(90, 170)
    right = width - rng.randrange(90, 170)
    y = rng.randrange(80, 160)

    heading = face(rng.randrange(44, 60), bold_of(path) if rng.random() < 0.7 else path)
    title = rng.choice(TITLES)
    if rng.random() < 0.7:
        pen.text((width / 2, y), hospital, font=heading, fill=ink, anchor="ma")
        y += int(heading.size * 1.5)
        title_face = face(rng.randrange(38, 50), bold_of(path))
        pen.text((width / 2, y), title, font=title_face, fill=ink, anchor="ma")
        y += int(title_face.size * 1.7)
    else:  # one line: the hospital's name and the title together
        pen.text((width / 2, y), f"{hospital}{title}", font=heading, fill=ink, anchor="ma")
        y += int(heading.size * 1.8)

    # The particulars, in rows of label：value cells.
    colon = rng.choice(("：", ":"))
    timed = rng.random() < 0.4
    come = datetime(
        admission.year, admission.month, admission.day, rng.randrange(0, 24), rng.randrange(60)
    )
    go = datetime(
        discharge.year, discharge.month, discharge.day, rng.randrange(8, 17), rng.randrange(60)
    )
    date_style = rng.randrange(4)
    if timed:
        come_text, go_text = f"{come:%Y-%m-%d %H:%M}", f"{go:%Y-%m-%d %H:%M}"
    else:
        come_text, go_text = (
            format_date(rng, admission, date_style),
            format_date(rng, discharge, date_style),
        )
    word = "时间" if timed or rng.random() < 0.3 else "日期"
    cells = [
        (rng.choice(("住院号", "住院号码", "病案号")), f"{rng.randrange(10**5, 10**9)}"),
        (rng.choice(("姓名", "患者姓名", "病人姓名")), patient),
        ("性别", sex),
        ("年龄", f"{rng.randrange(18, 96)}{rng.choice(('岁', '岁', ''))}"),
        (rng.choice(("科室", "科别", "住院科室")), department),
        ("床号", f"{rng.choice(('', '', '加'))}{rng.randrange(1, 60):02d}{rng.choice(('', '床'))}"),
        (f"入院{word}", come_text),
        (f"出院{word}", go_text),
    ]
    if rng.random() < 0.7:
        cells.append(("住院天数", f"{stay}{rng.choice(('', '天'))}"))
    if rng.random() < 0.5:
        cells.append(
            rng.choice(
                (
                    ("费别", rng.choice(("城乡居民", "职工医保", "自费"))),
                    ("医保类型", "城乡居民医保"),
                )
            )
        )
    if rng.random() < 0.3:
        rng.shuffle(cells)
    per_row = rng.choice((3, 4)) if not landscape else rng.choice((4, 5))
    cell_width = (right - margin) / per_row
    info_face = face(text_size + rng.randrange(-2, 3), path)
    for index, (label, value) in enumerate(cells):
        cell_column, cell_row = index % per_row, index // per_row
        x = margin + cell_column * cell_width
        cell_y = y + cell_row * int(info_face.size * 1.7)
        shown = f"{label}{colon}{value}"
        f = info_face
        while f.getlength(shown) > cell_width - 12 and f.size > 18:
            f = face(f.size - 2, path)
        pen.text((x, cell_y), shown, font=f, fill=ink)
    y += (len(cells) + per_row - 1) // per_row * int(info_face.size * 1.7) + 20

    # The table.
    columns = ["name", "quantity", "amount"]
    for optional, share in (
        ("code", 0.7),
        ("spec", 0.6),
        ("unit", 0.75),
        ("price", 0.85),
        ("date", 0.35),
        ("class", 0.3),
    ):
        if rng.random() < share:
            columns.append(optional)
    order = ["date", "code", "name", "class", "spec", "unit", "price", "quantity", "amount"]
    columns = [c for c in order if c in columns]
    heads = {
        "date": rng.choice(("日期", "费用日期")),
        "code": rng.choice(("项目编码", "编码", "项目代码")),
        "name": rng.choice(("项目名称", "收费项目", "名称")),
        "class": rng.choice(("类别", "甲乙类", "医保类别")),
        "spec": "规格",
        "unit": "单位",
        "price": "单价",
        "quantity": "数量",
        "amount": "金额",
    }
    weights = {
        "date": 1.6,
        "code": 1.7,
        "name": 3.6,
        "class": 0.9,
        "spec": 1.9,
        "unit": 0.8,
        "price": 1.2,
        "quantity": 0.9,
        "amount": 1.4,
    }
    scale = (right - margin) / sum(weights[c] for c in columns)
    edges: list[float] = [margin]
    for c in columns:
        edges.append(edges[-1] + weights[c] * scale)
    row_height = int(text_size * rng.uniform(1.45, 1.8))
    room = height - y - 9 * text_size  # leave the foot its space
    if row_height * (len(rows) + 2) > room:
        row_height = room // (len(rows) + 2)
        text_size = min(text_size, int(row_height / 1.3))
    grid = rng.choice(("full", "rows", "head"))
    line_ink = tuple(min(v + 40, 160) for v in ink)
    table_top = y
    cell_face = face(text_size - rng.randrange(0, 5), path)

    def put(column: str, index: int, value: str, f: ImageFont.FreeTypeFont = cell_face) -> None:
        left, right_edge = edges[index] + 8, edges[index + 1] - 8
        while f.getlength(value) > right_edge - left and f.size > 16:
            f = face(f.size - 2, path)
        middle = y + row_height / 2
        if column in ("price", "quantity", "amount"):
            pen.text((right_edge, middle), value, font=f, fill=ink, anchor="rm")
        elif column in ("unit", "class", "date"):
            pen.text(((left + right_edge) / 2, middle), value, font=f, fill=ink, anchor="mm")
        else:
            pen.text((left, middle), value, font=f, fill=ink, anchor="lm")

    pen.line((margin, y, right, y), fill=line_ink, width=2)
    for index, column in enumerate(columns):
        left, right_edge = edges[index], edges[index + 1]
        pen.text(
            ((left + right_edge) / 2, y + row_height / 2),
            heads[column],
            font=face(cell_face.size, bold_of(path)),
            fill=ink,
            anchor="mm",
        )
    y += row_height
    pen.line((margin, y, right, y), fill=line_ink, width=2)
    long_dates = rng.random() < 0.7
    four_places = rng.random() < 0.3
    for code, name, spec, unit, quantity, price, amount, when in rows:
        values = {
            "date": f"{when:%Y-%m-%d}" if long_dates else f"{when:%m-%d}",
            "code": code,
            "name": name,
            "class": rng.choice(("甲", "甲", "乙", "丙")),
            "spec": spec,
            "unit": unit,
            "price": f"{price:.4f}" if four_places else f"{price:.2f}",
            "quantity": f"{quantity}",
            "amount": f"{amount:.2f}",
        }
        for index, column in enumerate(columns):
            put(column, index, values[column])
        y += row_height
        if grid in ("full", "rows"):
            pen.line((margin, y, right, y), fill=line_ink, width=1)
    total_label = rng.choice(("合计", "合  计", "总计", "费用合计"))
    in_table = rng.random() < 0.75
    if in_table:
        put("name", columns.index("name"), total_label, face(cell_face.size, bold_of(path)))
        put("amount", columns.index("amount"), f"{total:.2f}", face(cell_face.size, bold_of(path)))
        y += row_height
    pen.line((margin, y, right, y), fill=line_ink, width=2)
    if grid == "full":
        for edge in edges:
            pen.line((edge, table_top, edge, y), fill=line_ink, width=1)
    y += int(text_size * 1.2)

    # Below the table: the total again or only here, and amounts that are not the total.
    insured = rng.random() < 0.75
    fund = (
        (total * Decimal(rng.choice(("0.55", "0.6", "0.65", "0.7", "0.75")))).quantize(CENT)
        if insured
        else Decimal(0)
    )
    own = total - fund
    deposit = Decimal(rng.choice((1000, 2000, 3000, 5000, 8000, 10000)))
    lines = []
    if not in_table or rng.random() < 0.6:
        lines.append(
            f"{rng.choice(('总费用', '费用总额', '合计金额', '总金额'))}{colon}{total:.2f}{rng.choice(('', '元'))}"
        )
    if rng.random() < 0.35:
        lines.append(f"大写{colon}{capital_amount(total)}")
    extras = []
    if insured:
        extras.append(f"{rng.choice(('医保支付', '统筹支付', '基金支付'))}{colon}{fund:.2f}")
        extras.append(f"{rng.choice(('自付', '个人自付', '个人支付'))}{colon}{own:.2f}")
    if rng.random() < 0.6:
        extras.append(f"{rng.choice(('预交金', '预交款', '预缴金额'))}{colon}{deposit:.2f}")
        if rng.random() < 0.5:
            change = deposit - own
            extras.append(f"{'退款' if change >= 0 else '补缴'}{colon}{abs(change):.2f}")
    rng.shuffle(extras)
    # Amounts share a line two or three at a time, spaced out.
    for start in range(0, len(extras), rng.choice((2, 3))):
        lines.append(rng.choice(("    ", "      ", "        ")).join(extras[start : start + 3]))
    foot_face = face(text_size, path)
    for text_line in lines:
        pen.text((margin, y), text_line, font=foot_face, fill=ink)
        y += int(text_size * 1.7)
    y += int(text_size * 0.6)
    date_label = rng.choice(("打印日期", "结算日期", "打印时间", "结算时间"))
    if "时间" in date_label:
        date_text = f"{settled:%Y-%m-%d} {rng.randrange(8, 18):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
    else:
        date_text = format_date(rng, settled)
    left_text = (
        f"{rng.choice(('打印人', '操作员', '制表人', '收费员'))}{colon}{people.invented_name(rng)}"
    )
    pen.text((margin, y), left_text, font=foot_face, fill=ink)
    pen.text((right, y), f"{date_label}{colon}{date_text}", font=foot_face, fill=ink, anchor="ra")
    seal_at = (right - rng.randrange(120, 420), y + rng.randrange(-60, 60))
    y += int(text_size * 1.8)
    if rng.random() < 0.5:
        pen.text(
            (margin, y),
            rng.choice(("注：本清单仅供参考，以收费票据为准。", "患者（家属）签字：", "备注：")),
            font=foot_face,
            fill=ink,
        )
    if rng.random() < 0.6:
        pen.text(
            (width / 2, height - 70),
            rng.choice(("第1页 共1页", "第 1 页/共 1 页", "- 1 -")),
            font=face(24, path),
            fill=ink,
            anchor="ms",
        )
    if rng.random() < 0.65:
        seal(page, rng, seal_at, hospital, rng.choice(SEAL_WORDS))

    truth = {
        "doc_type": "receipt",
        "kind": "inpatient",
        "hospital": hospital,
        "patient_name": patient,
        "invoice_code": None,
        "invoice_number": None,
        "issue_date": settled.isoformat(),
        "total": f"{total:.2f}",
        "admission_date": admission.isoformat(),
        "discharge_date": discharge.isoformat(),
    }
    return Page(image=page, truth=truth)
