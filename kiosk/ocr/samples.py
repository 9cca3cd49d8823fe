"""Invented hospital receipts and ID cards, photographed badly, with their ground truth.

Every document is rendered with Pillow and Debian's Noto CJK fonts from invented people and
numbers, then degraded the way a tablet camera degrades it: the page lies on a table at an
angle, in perspective, in uneven light, slightly out of focus, with a red stamp over the text,
saved as a noisy JPEG. The truth is a dict with exactly the keys of `python -m kiosk.ocr`.

    python -m kiosk.ocr.samples DIR [--receipts N] [--id-cards N] [--seed S] [--harsh]

writes DIR/receipt-001.jpg + receipt-001.json and so on, for bench/ocr.py.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from kiosk.claims.identity import check_character
from kiosk.ocr.amounts import capital_amount

SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SANS_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
SC = 2  # index of the Simplified Chinese face in the Noto CJK collections

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁沈"
GIVEN = "秀英桂兰玉珍凤兰淑华建国志强德明国华永福金花美玲春梅丽娟文彬振华宝山家明海燕"
ETHNICITIES = ["汉"] * 12 + ["壮", "回", "满", "畲", "瑶"]
HOSPITALS = [
    "汕头市潮南区人民医院",
    "汕头市潮南民生医院",
    "汕头市中心医院",
    "汕头大学医学院第一附属医院",
    "汕头市第二人民医院",
    "潮南区峡山街道社区卫生服务中心",
    "潮南区陈店镇卫生院",
]
STREETS = ["峡山街道", "陈店镇", "司马浦镇", "两英镇", "仙城镇", "胪岗镇", "成田镇", "井都镇"]
VILLAGES = ["东溪村", "南里社区", "新兴路", "中山北路", "和平里", "建设大道", "华侨新村"]
ITEMS = ["西药费", "中成药费", "检查费", "化验费", "治疗费", "诊查费", "材料费", "床位费", "护理费"]
REGIONS = ["440514", "440514", "440514", "440513", "440507", "445202"]


@dataclass(frozen=True)
class Camera:
    """How badly the tablet shoots: the ranges each photo's faults are drawn from."""

    perspective: float = 0.06  # each corner moves by up to this share of the side
    angle: float = 9  # degrees either way
    blur: tuple[float, float] = (0.3, 1.8)  # Gaussian radius, px
    quality: tuple[int, int] = (45, 88)  # JPEG
    sizes: tuple[int, ...] = (1600, 2048, 2400)  # the photo's longer side


STEADY = Camera()
# A hurried shot on an old tablet: small, soft, skewed, heavily compressed.
HARSH = Camera(perspective=0.1, angle=15, blur=(1.0, 2.6), quality=(30, 60), sizes=(1024, 1280))


@dataclass
class Sample:
    """One generated photo and what a perfect reader would say about it."""

    image: Image.Image
    truth: dict


def font(size: int, path: str = SANS) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=SC)


def invented_name(rng: random.Random) -> str:
    length = rng.choice([1, 2, 2])
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(length))


def invented_id_number(rng: random.Random, birth: date, sex: str) -> str:
    sequence = rng.randrange(0, 100) * 10 + int(rng.choice("13579" if sex == "男" else "02468"))
    first17 = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --- receipts ----------------------------------------------------------------------------


def receipt(rng: random.Random, camera: Camera = STEADY) -> Sample:
    """A 医疗门诊/住院收费票据 in the layout of Guangdong's electronic medical receipts."""
    inpatient = rng.random() < 0.5
    hospital = rng.choice(HOSPITALS)
    patient = invented_name(rng)
    code = f"{rng.randrange(10**7, 10**8)}"
    number = f"{rng.randrange(0, 10**10):010d}"
    issued = random_date(rng, date(2026, 1, 5), date(2026, 11, 20))
    admission = discharge = None
    if inpatient:
        discharge = issued - timedelta(days=rng.choice([0, 0, 1, 2]))
        admission = discharge - timedelta(days=rng.randrange(1, 40))
    count = rng.randrange(3, 7)
    items = [
        (name, Decimal(rng.randrange(500, 300000 if inpatient else 60000)) / 100)
        for name in rng.sample(ITEMS, count)
    ]
    total = sum((amount for _, amount in items), Decimal("0"))

    width, height = 1700, 1150
    page = Image.new("RGB", (width, height), (250, 248, 240))
    draw = ImageDraw.Draw(page)
    ink = (30, 30, 40)
    title = f"广东省医疗{'住院' if inpatient else '门诊'}收费票据（电子）"
    draw.text((width // 2, 60), title, font=font(54, SANS_BOLD), fill=(150, 40, 40), anchor="mt")
    small, body = font(34), font(36)
    draw.text((80, 170), f"票据代码：{code}", font=small, fill=ink)
    draw.text((width - 80, 170), f"票据号码：{number}", font=small, fill=ink, anchor="ra")
    draw.text((80, 230), f"交款人：{patient}", font=small, fill=ink)
    draw.text((width - 80, 230), f"开票日期：{issued:%Y-%m-%d}", font=small, fill=ink, anchor="ra")
    y = 290
    if inpatient:
        days = (discharge - admission).days
        draw.text(
            (80, y),
            f"住院时间：{admission:%Y-%m-%d} 至 {discharge:%Y-%m-%d}",
            font=small,
            fill=ink,
        )
        draw.text((width - 80, y), f"住院天数：{days}天", font=small, fill=ink, anchor="ra")
        y += 60
    draw.rectangle((70, y, width - 70, y + 480), outline=(120, 60, 60), width=3)
    draw.line((70, y + 60, width - 70, y + 60), fill=(120, 60, 60), width=2)
    draw.line((width // 2, y, width // 2, y + 480), fill=(120, 60, 60), width=2)
    for column in (90, width // 2 + 20):
        draw.text((column, y + 12), "项目名称", font=small, fill=ink)
    for column in (width // 2 - 100, width - 100):
        draw.text((column, y + 12), "金额", font=small, fill=ink, anchor="ra")
    for index, (name, amount) in enumerate(items):
        row, column = index % 3, index // 3
        left = 90 if column == 0 else width // 2 + 20
        right = width // 2 - 100 if column == 0 else width - 100
        top = y + 90 + row * 70
        draw.text((left, top), name, font=body, fill=ink)
        draw.text((right, top), f"{amount:.2f}", font=body, fill=ink, anchor="ra")
    y += 500
    draw.text((80, y), f"合计（大写）：{capital_amount(total)}", font=body, fill=ink)
    draw.text((width - 80, y), f"（小写）¥{total:.2f}", font=body, fill=ink, anchor="ra")
    y += 80
    draw.text((80, y), f"收款单位（章）：{hospital}", font=small, fill=ink)
    draw.text((width - 80, y), f"收款人：{invented_name(rng)}", font=small, fill=ink, anchor="ra")
    stamp(page, rng, (rng.randrange(900, 1400), y - rng.randrange(-40, 120)), hospital)

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
    return Sample(photograph(page, rng, camera), truth)


def stamp(page: Image.Image, rng: random.Random, centre: tuple[int, int], text: str) -> None:
    """A translucent red round seal, the kind hospitals press over the payee line."""
    radius = 150
    layer = Image.new("RGBA", page.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    red = (215, 30, 40, rng.randrange(110, 170))
    x, y = centre
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=red, width=9)
    seal = font(30, SANS_BOLD)
    for index, char in enumerate(text[:12]):
        angle = math.radians(200 + index * (140 / max(len(text[:12]) - 1, 1)))
        cx, cy = x + (radius - 36) * math.cos(angle), y + (radius - 36) * math.sin(angle)
        draw.text((cx, cy), char, font=seal, fill=red, anchor="mm")
    draw.text((x, y), "★", font=font(70), fill=red, anchor="mm")
    draw.text((x, y + 70), "财务专用章", font=seal, fill=red, anchor="mm")
    page.paste(Image.alpha_composite(page.convert("RGBA"), layer).convert("RGB"))


# --- ID cards ----------------------------------------------------------------------------


def id_card(
    rng: random.Random,
    name: str | None = None,
    number: str | None = None,
    camera: Camera = STEADY,
) -> Sample:
    """The front of a second-generation resident ID card (the side with the photo)."""
    if number:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        sex = "男" if int(number[16]) % 2 else "女"
    else:
        sex = rng.choice(["男", "女"])
        birth = random_date(rng, date(1930, 1, 1), date(1965, 12, 31))
        number = invented_id_number(rng, birth, sex)
    name = name or invented_name(rng)
    ethnicity = rng.choice(ETHNICITIES)
    address_lines = [
        f"广东省汕头市潮南区{rng.choice(STREETS)}",
        f"{rng.choice(VILLAGES)}{rng.randrange(1, 40)}巷{rng.randrange(1, 99)}号",
    ]

    width, height = 1712, 1080  # 85.6 x 54 mm at 20 px/mm
    page = Image.new("RGB", (width, height), (236, 240, 238))
    draw = ImageDraw.Draw(page)
    for offset in range(0, width, 24):  # the guilloche-like background pattern
        draw.arc((offset - 300, 500, offset + 300, 1400), 180, 360, fill=(214, 224, 226), width=2)
    label, value = (80, 110, 160), (20, 20, 20)
    lf, vf = font(44), font(52)
    draw.text((110, 110), "姓 名", font=lf, fill=label)
    draw.text((300, 104), name, font=font(58), fill=value)
    draw.text((110, 230), "性 别", font=lf, fill=label)
    draw.text((300, 226), sex, font=vf, fill=value)
    draw.text((520, 230), "民 族", font=lf, fill=label)
    draw.text((700, 226), ethnicity, font=vf, fill=value)
    draw.text((110, 350), "出 生", font=lf, fill=label)
    draw.text((300, 346), f"{birth.year}", font=vf, fill=value)
    draw.text((470, 350), "年", font=lf, fill=label)
    draw.text((560, 346), f"{birth.month}", font=vf, fill=value)
    draw.text((650, 350), "月", font=lf, fill=label)
    draw.text((730, 346), f"{birth.day}", font=vf, fill=value)
    draw.text((820, 350), "日", font=lf, fill=label)
    draw.text((110, 470), "住 址", font=lf, fill=label)
    for index, line in enumerate(address_lines):
        draw.text((300, 466 + index * 72), line, font=vf, fill=value)
    draw.text((110, 880), "公民身份号码", font=lf, fill=label)
    draw.text((520, 872), number, font=font(62, SANS_BOLD), fill=value)
    portrait = (1200, 140, 1600, 640)
    draw.rectangle(portrait, fill=(200, 208, 214))
    draw.ellipse((1300, 200, 1500, 420), fill=(150, 130, 120))
    draw.ellipse((1240, 430, 1560, 760), fill=(60, 70, 90))
    draw.rectangle((1200, 640, 1600, 780), fill=(236, 240, 238))

    truth = {
        "doc_type": "id_card",
        "name": name,
        "sex": sex,
        "ethnicity": ethnicity,
        "birth_date": birth.isoformat(),
        "address": "".join(address_lines),
        "id_number": number,
    }
    rounded = Image.new("L", page.size, 0)
    ImageDraw.Draw(rounded).rounded_rectangle((0, 0, width, height), radius=70, fill=255)
    card = Image.new("RGB", page.size, (0, 0, 0))
    card.paste(page, mask=rounded)
    return Sample(photograph(card, rng, camera, card_mask=rounded), truth)


# --- the tablet camera -------------------------------------------------------------------


def photograph(
    page: Image.Image,
    rng: random.Random,
    camera: Camera = STEADY,
    card_mask: Image.Image | None = None,
) -> Image.Image:
    """The page on a table, shot by a tablet: angle, perspective, light, focus, JPEG."""
    table = tuple(rng.randrange(60, 150) for _ in range(3))
    scale = rng.uniform(0.85, 1.1)
    w, h = int(page.width * scale), int(page.height * scale)
    margin = int(max(w, h) * 0.16)
    canvas = Image.new("RGB", (w + 2 * margin, h + 2 * margin), table)
    mask = (card_mask or Image.new("L", page.size, 255)).resize((w, h))
    canvas.paste(page.resize((w, h), Image.Resampling.LANCZOS), (margin, margin), mask)

    # Perspective and angle at once: each corner moves by up to 6% of the side, then the
    # whole shot turns by up to 9 degrees (OpenCV warps; Pillow's are ten times slower).
    jitter = lambda side: rng.uniform(-camera.perspective, camera.perspective) * side  # noqa: E731
    corners = np.float32(
        [(margin, margin), (margin + w, margin), (margin + w, margin + h), (margin, margin + h)]
    )
    moved = np.float32([(x + jitter(w), y + jitter(h)) for x, y in corners])
    size = (canvas.width, canvas.height)
    turn = cv2.getRotationMatrix2D(
        (size[0] / 2, size[1] / 2), rng.uniform(-camera.angle, camera.angle), 1.0
    )
    moved = cv2.transform(moved[None], turn)[0]
    matrix = cv2.getPerspectiveTransform(corners, moved)
    shot = cv2.warpPerspective(
        np.asarray(canvas),
        matrix,
        size,
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=table,
    )
    canvas = Image.fromarray(shot)

    # Light from one side: a linear shadow across the whole photo.
    pixels = np.asarray(canvas).astype(np.float32)
    rows_, columns = pixels.shape[:2]
    direction = rng.uniform(0, 2 * math.pi)
    ramp = np.arange(columns, dtype=np.float32)[None, :] * math.cos(direction) + np.arange(
        rows_, dtype=np.float32
    )[:, None] * math.sin(direction)
    ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
    light = (1.0 - rng.uniform(0.15, 0.45) * ramp) * rng.uniform(0.85, 1.0)
    pixels *= light[..., None]
    noise = np.random.default_rng(rng.randrange(2**32)).standard_normal(
        (rows_, columns, 1), np.float32
    )
    pixels += 4 * noise
    canvas = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))

    canvas = canvas.filter(ImageFilter.GaussianBlur(rng.uniform(*camera.blur)))
    if rng.random() < 0.1:  # a tablet that lost its orientation: the photo is turned round
        canvas = canvas.transpose(
            rng.choice(
                [Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_180, Image.Transpose.ROTATE_270]
            )
        )
    longest = rng.choice(camera.sizes)
    canvas.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    canvas.save(buffer, "JPEG", quality=rng.randrange(*camera.quality))
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def samples(kind: str, count: int, seed: int = 2026, camera: Camera = STEADY) -> list[Sample]:
    """`count` documents of `kind` ("receipt" or "id_card"), the same for the same seed."""
    rng = random.Random(f"{kind}-{seed}")
    if kind == "receipt":
        return [receipt(rng, camera) for _ in range(count)]
    return [id_card(rng, camera=camera) for _ in range(count)]


def write(
    directory: Path, receipts: int, id_cards: int, seed: int, camera: Camera = STEADY
) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for kind, count in (("receipt", receipts), ("id_card", id_cards)):
        for index, sample in enumerate(samples(kind, count, seed, camera), start=1):
            stem = directory / f"{kind.replace('_', '-')}-{index:03d}"
            sample.image.save(stem.with_suffix(".jpg"), "JPEG", quality=90)
            stem.with_suffix(".json").write_text(
                json.dumps(sample.truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--receipts", type=int, default=60)
    parser.add_argument("--id-cards", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--harsh", action="store_true", help="small, soft, skewed photos")
    arguments = parser.parse_args()
    camera = HARSH if arguments.harsh else STEADY
    write(arguments.directory, arguments.receipts, arguments.id_cards, arguments.seed, camera)


if __name__ == "__main__":
    main()
