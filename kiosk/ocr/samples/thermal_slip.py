"""A hospital's own outpatient payment slip from an 80 mm thermal printer at the cashier's window.

A narrow strip of grey, slightly uneven thermal print: the hospital's name, a title, the slip's
numbers (only one of them is the receipt number), the patient, the items, the total and the
ways it was paid (amounts that are not the total), the cashier and the time of payment.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from kiosk.ocr.amounts import capital_amount
from kiosk.ocr.samples import people
from kiosk.ocr.samples.page import Page

# Faces a receipt printer's driver uses: mostly monospaced CJK, now and then a proportional one.
_MONO = (
    (people.NOTO_SANS, 7),  # Noto Sans Mono CJK SC
    (people.WQY_ZENHEI, 1),  # WenQuanYi Zen Hei Mono
    (people.NOTO_SANS_BOLD, 7),
)

# (name, unit price) of what an outpatient pays for at the window.
OUTPATIENT_ITEMS = (
    ("诊查费", "10.00"), ("普通门诊诊查费", "6.00"), ("急诊诊查费", "15.00"),
    ("血常规", "20.00"), ("尿常规", "12.00"), ("C反应蛋白测定", "25.00"),
    ("DR胸部正位", "80.00"), ("DR膝关节正侧位", "110.00"), ("CT颅脑平扫", "220.00"),
    ("彩超(腹部)", "150.00"), ("心电图检查", "25.00"), ("清创缝合术", "120.00"),
    ("换药(中)", "30.00"), ("石膏固定", "180.00"), ("注射费", "3.50"), ("静脉输液", "12.00"),
    ("布洛芬缓释胶囊", "18.60"), ("头孢克肟胶囊", "32.40"), ("阿莫西林胶囊", "9.80"),
    ("云南白药气雾剂", "46.00"), ("双氯芬酸钠凝胶", "23.50"), ("氯化钠注射液", "4.20"),
    ("医用绷带", "5.00"), ("一次性注射器", "1.20"), ("西药费", ""), ("中成药费", ""),
    ("检查费", ""), ("化验费", ""), ("治疗费", ""), ("卫生材料费", ""),
)  # fmt: skip

TITLES = (
    "门诊收费收据", "门诊缴费凭证", "收费凭条", "门诊收费凭条", "门诊缴费清单",
    "门诊费用结算单", "自助缴费凭条", "门诊收费票据",
)  # fmt: skip
NUMBER_LABELS = ("发票号", "票据号", "收据号", "发票号码", "票据号码", "收据编号")
SERIAL_LABELS = ("流水号", "交易流水号", "结算流水号", "交易号", "单据号")
CLINIC_LABELS = ("门诊号", "病历号", "就诊号", "就诊卡号", "ID号")
NAME_LABELS = ("姓名", "患者", "患者姓名", "病人姓名")
DEPT_LABELS = ("科室", "就诊科室", "开单科室")
DOCTOR_LABELS = ("医生", "开单医生", "接诊医生", "医师")
TOTAL_LABELS = ("合计", "总金额", "费用合计", "合计金额", "应收金额", "费用总额")
CASHIER_LABELS = ("收费员", "操作员", "收款员", "收费员号")
TIME_LABELS = ("收费时间", "打印时间", "交易时间", "缴费时间", "结算时间")
FOOTERS = (
    "请妥善保管，遗失不补", "请核对金额，离开窗口概不负责", "祝您早日康复", "凭此单据取药",
    "此凭条不作报销凭证", "如需发票请到一楼收费处", "谢谢惠顾",
)  # fmt: skip
INSURANCE = ("城乡居民医保", "城镇职工医保", "自费", "普通门诊统筹", "异地医保")


@cache
def _face(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index)


def _date_time(rng: random.Random, moment: datetime) -> str:
    style = rng.randrange(5)
    if style == 0:
        return f"{moment:%Y-%m-%d %H:%M:%S}"
    if style == 1:
        return f"{moment:%Y/%m/%d %H:%M:%S}"
    if style == 2:
        return f"{moment:%Y-%m-%d %H:%M}"
    if style == 3:
        return f"{moment:%Y.%m.%d %H:%M:%S}"
    return f"{moment.year}年{moment.month:02d}月{moment.day:02d}日 {moment:%H:%M}"


def draw(rng: random.Random) -> Page:
    hospital = rng.choice(people.HOSPITALS)
    patient = people.invented_name(rng)
    number = f"{rng.randrange(0, 10**10):010d}"
    issued = people.random_date(rng, date(2026, 1, 5), date(2026, 11, 20))
    moment = datetime(issued.year, issued.month, issued.day) + timedelta(
        seconds=rng.randrange(7 * 3600 + 30 * 60, 18 * 3600)
    )

    items = []
    for name, price in rng.sample(OUTPATIENT_ITEMS, rng.randrange(1, 8)):
        quantity = rng.choice((1, 1, 1, 2, 3)) if price else 1
        unit = Decimal(price) if price else people.money(rng, 5, 400)
        items.append((name, quantity, unit, unit * quantity))
    total = sum((amount for *_, amount in items), Decimal("0"))

    # The canvas is ink coverage (0 = paper, 255 = full burn); the strip is cut to length after.
    width = rng.randrange(592, 644)
    canvas = Image.new("L", (width, 4000), 0)
    pen = ImageDraw.Draw(canvas)
    if rng.random() < 0.8:
        path, index = rng.choice(_MONO)
    else:
        path = rng.choice(people.ALL_FACES)
        index = 2 if "noto" in path else 0
    size = rng.randrange(22, 28)
    body = _face(path, index, size)
    margin = rng.randrange(14, 34)
    right = width - rng.randrange(14, 34)
    leading = int(size * rng.uniform(1.3, 1.6))
    y = rng.randrange(30, 70)

    def text(x: float, s: str, f: ImageFont.FreeTypeFont = body, anchor: str = "la") -> None:
        pen.text((x, y), s, font=f, fill=255, anchor=anchor)

    def line() -> None:
        nonlocal y
        y += leading

    def rule() -> None:
        nonlocal y
        rule_text = rng_rule
        while body.getlength(rule_text + rng_rule) <= right - margin:
            rule_text += rng_rule
        pen.text((margin, y), rule_text, font=body, fill=255)
        y += leading

    rng_rule = rng.choice(("-", "-", "=", "*", "—", "."))
    colon = rng.choice(("：", ":", ": "))

    # The heading: the hospital's name, big, sometimes bold, sometimes over two lines.
    head_size = rng.randrange(30, 40)
    head_path, head_index = rng.choice(
        ((path, index), (people.NOTO_SANS_BOLD, 2), (people.NOTO_SANS_BOLD, 7))
    )
    head_face = _face(head_path, head_index, head_size)
    if head_face.getlength(hospital) > right - margin:
        head_size = int(head_size * (right - margin) / head_face.getlength(hospital)) - 1
        head_face = _face(head_path, head_index, head_size)
    text(width / 2, hospital, head_face, "ma")
    y += int(head_size * 1.45)
    title = rng.choice(TITLES)
    title_face = _face(head_path, head_index, rng.randrange(26, 34))
    text(width / 2, title if rng.random() < 0.6 else f"（{title}）", title_face, "ma")
    y += int(title_face.size * 1.5)
    if rng.random() < 0.3:
        text(width / 2, rng.choice(("（患者联）", "（客户联）", "【补打】", "第1联")), body, "ma")
        line()
    rule()

    # The numbers block, in a varying order; the receipt number is only one of them.
    fields = [
        (rng.choice(NUMBER_LABELS), number),
        (rng.choice(SERIAL_LABELS), f"{rng.randrange(10**11, 10**16)}"),
        (rng.choice(CLINIC_LABELS), f"{rng.randrange(10**7, 10**11)}"),
    ]
    if rng.random() < 0.4:
        fields.append(("医保类型", rng.choice(INSURANCE)))
    rng.shuffle(fields)
    fields.insert(rng.randrange(0, len(fields) + 1), (rng.choice(NAME_LABELS), patient))
    if rng.random() < 0.5:
        fields.append(("性别", rng.choice("男女")))
    for label, value in fields:
        text(margin, f"{label}{colon}{value}")
        line()
    department = rng.choice(people.DEPARTMENTS)
    doctor = people.invented_name(rng)
    if rng.random() < 0.5:
        text(margin, f"{rng.choice(DEPT_LABELS)}{colon}{department}")
        text(margin + (right - margin) * 0.55, f"{rng.choice(DOCTOR_LABELS)}{colon}{doctor}")
        line()
    else:
        text(margin, f"{rng.choice(DEPT_LABELS)}{colon}{department}")
        line()
        text(margin, f"{rng.choice(DOCTOR_LABELS)}{colon}{doctor}")
        line()
    rule()

    # The items: name, quantity, (unit price,) amount.
    with_price = rng.random() < 0.45
    qty_x = margin + (right - margin) * rng.uniform(0.48, 0.56)
    price_x = margin + (right - margin) * 0.76
    text(margin, rng.choice(("项目", "项目名称", "收费项目", "名称")))
    text(qty_x, "数量", anchor="ma")
    if with_price:
        text(price_x, "单价", anchor="ma")
    text(right, "金额", anchor="ra")
    line()
    for name, quantity, unit, amount in items:
        shown = name
        limit = (qty_x - margin) - size * 1.2
        if body.getlength(shown) > limit:
            text(margin, shown)
            line()
            shown = ""
        text(margin, shown)
        text(qty_x, str(quantity), anchor="ma")
        if with_price:
            text(price_x, f"{unit:.2f}", anchor="ma")
        text(right, f"{amount:.2f}", anchor="ra")
        line()
    rule()

    # The total, then how it was paid: amounts that are not the total.
    big = rng.random() < 0.5
    total_face = _face(path, index, size + (6 if big else 0))
    text(margin, f"{rng.choice(TOTAL_LABELS)}{colon}", total_face)
    text(
        right,
        f"{rng.choice(('', '¥', '￥'))}{total:.2f}{rng.choice(('', '', '元'))}",
        total_face,
        "ra",
    )
    y += int(total_face.size * 1.5)
    if rng.random() < 0.3:
        text(margin, f"大写{colon}{capital_amount(total)}")
        line()
    insured = rng.random() < 0.6
    fund = (
        (total * Decimal(rng.choice(("0.5", "0.55", "0.6", "0.7")))).quantize(Decimal("0.01"))
        if insured
        else Decimal("0")
    )
    account = (
        min(people.money(rng, 0, 60), total - fund)
        if insured and rng.random() < 0.4
        else Decimal("0")
    )
    cash = total - fund - account
    payments = []
    if insured:
        payments.append((rng.choice(("医保支付", "统筹支付", "医保统筹", "基金支付")), fund))
        if account:
            payments.append(("个人账户", account))
        payments.append((rng.choice(("个人支付", "现金支付", "自付金额", "个人自付")), cash))
    method = rng.choice(("现金", "微信", "支付宝", "银联卡", "现金"))
    if method == "现金":
        paid = (cash // 10 + 1) * 10 if rng.random() < 0.6 else cash
        payments.append(("实收", paid))
        payments.append(("找零", paid - cash))
    else:
        payments.append((f"{method}支付", cash))
    for label, amount in payments:
        text(margin, f"{label}{colon}")
        text(right, f"{amount:.2f}", anchor="ra")
        line()
    rule()
    cashier = people.invented_name(rng) if rng.random() < 0.6 else f"{rng.randrange(1000, 9999)}"
    text(margin, f"{rng.choice(CASHIER_LABELS)}{colon}{cashier}")
    line()
    stamp_label = rng.choice(TIME_LABELS)
    text(margin, f"{stamp_label}{colon}{_date_time(rng, moment)}")
    line()
    if rng.random() < 0.25:  # a reprint a little later the same day
        later = moment + timedelta(seconds=rng.randrange(20, 3600))
        if later.date() == moment.date():
            text(margin, f"补打时间{colon}{_date_time(rng, later)}")
            line()
    if rng.random() < 0.5:
        text(margin, f"窗口{colon}{rng.randrange(1, 12)}号窗口")
        line()
    y += leading // 2
    for footer in rng.sample(FOOTERS, rng.randrange(0, 3)):
        text(width / 2, footer, anchor="ma")
        line()
    if rng.random() < 0.5:  # a one-dimensional barcode of the serial number
        y += leading // 3
        x = margin + rng.randrange(30, 80)
        end = right - rng.randrange(30, 80)
        while x < end:
            bar = rng.choice((2, 2, 3, 4, 6))
            pen.rectangle((x, y, x + bar - 1, y + 70), fill=255)
            x += bar + rng.choice((2, 3, 4, 5))
        y += 90
    height = y + rng.randrange(50, 140)
    canvas = canvas.crop((0, 0, width, height))
    return Page(image=_thermal(canvas, rng), truth=_truth(hospital, patient, number, issued, total))


def _thermal(coverage: Image.Image, rng: random.Random) -> Image.Image:
    """Coverage to grey thermal print on slightly warm paper, unevenly burnt."""
    cover = (
        np.asarray(coverage.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.7)))).astype(
            np.float32
        )
        / 255.0
    )
    h, w = cover.shape
    noise = np.random.default_rng(rng.randrange(2**32))
    burn = rng.uniform(0.5, 0.88) * np.ones((h, w), np.float32)
    if rng.random() < 0.55:  # a worn head element: a vertical band prints faint
        centre, spread = rng.uniform(0.1, 0.9) * w, rng.uniform(15, 90)
        depth = rng.uniform(0.3, 0.7)
        xs = np.arange(w, dtype=np.float32)
        burn *= 1 - depth * np.exp(-(((xs - centre) / spread) ** 2))[None, :]
    if rng.random() < 0.4:  # the whole strip fades toward one end (old paper, weak head)
        ys = np.linspace(0, 1, h, dtype=np.float32)[:, None]
        burn *= 1 - rng.uniform(0.1, 0.35) * (ys if rng.random() < 0.5 else 1 - ys)
    burn *= np.clip(1 + 0.18 * noise.standard_normal((h, w)).astype(np.float32), 0.4, 1.3)
    tone = rng.randrange(234, 251)
    paper = np.array(
        [tone, tone - rng.randrange(0, 3), tone - rng.randrange(0, 7)]
    )  # white, faintly warm
    ink = np.array([rng.randrange(40, 80)] * 3) + np.array([0, 0, rng.randrange(0, 14)])
    alpha = np.clip(cover * burn, 0, 1)[..., None]
    pixels = paper * (1 - alpha) + ink * alpha
    pixels += 2.0 * noise.standard_normal((h, w, 1))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def _truth(
    hospital: str, patient: str, number: str, issued: date, total: Decimal
) -> dict[str, str | None]:
    return {
        "doc_type": "receipt",
        "kind": "outpatient",
        "hospital": hospital,
        "patient_name": patient,
        "invoice_code": None,
        "invoice_number": number,
        "issue_date": issued.isoformat(),
        "total": f"{total:.2f}",
        "admission_date": None,
        "discharge_date": None,
    }
