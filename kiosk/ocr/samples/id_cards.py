"""The front of the second-generation resident ID card (居民身份证), the side with the portrait.

85.6 x 54 mm at 20 px/mm, with rounded corners (the mask). Blue-grey labels in small type, the
values in black, the birth date as separate pieces (the digits in black, 年 月 日 printed in the
label colour), the address over two or three lines, the number in its own bold face at the
bottom, a portrait on the right and a fine guilloche behind everything.

`draw_new` is a recently issued card, crisp. `draw_old` is an elderly person's card issued 15 to
20 years ago: faded, yellowed, scratched, worn in a patch, printed a little off register.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import date
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from kiosk.ocr.samples import people
from kiosk.ocr.samples.page import Page

WIDTH, HEIGHT = 1712, 1080  # 85.6 x 54 mm at 20 px/mm
DEJAVU_MONO_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
DEJAVU_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
# Faces for the number: OCR-B-like monospaced bold, or a bold sans, never the values' face.
NUMBER_FACES = ((DEJAVU_MONO_BOLD, 0), (DEJAVU_BOLD, 0), (people.NOTO_SANS_BOLD, 7))
VALUE_FACES = (
    people.NOTO_SANS,
    people.WQY_ZENHEI,
    people.NOTO_SANS,
    people.NOTO_SERIF,
    people.UMING,
)


@cache
def _face(path: str, size: int, index: int = -1) -> ImageFont.FreeTypeFont:
    if index < 0:
        return people.font(size, path)
    return ImageFont.truetype(path, size, index=index)


def _name(rng: random.Random) -> str:
    if rng.random() < 0.05:  # four characters: a two-character surname and two given ones
        return (
            rng.choice(people.TWO_CHAR_SURNAMES)
            + rng.choice(people.GIVEN)
            + rng.choice(people.GIVEN)
        )
    return people.invented_name(rng)


def _person(
    rng: random.Random, number: str | None, born: tuple[date, date], x_share: float
) -> tuple[str, date, str]:
    if number:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        sex = "男" if int(number[16]) % 2 else "女"
        return sex, birth, number
    sex = rng.choice("男女")
    birth = people.random_date(rng, *born)
    return sex, birth, people.invented_id_number(rng, birth, sex, x_share=x_share)


def _background(rng: random.Random, old: bool) -> Image.Image:
    """A pale rainbow-tinted ground with fine guilloche lines and a rosette."""
    xs = np.linspace(0, 1, WIDTH, dtype=np.float32)[None, :, None]
    ys = np.linspace(0, 1, HEIGHT, dtype=np.float32)[:, None, None]
    if old:
        left = np.array(
            [rng.randrange(222, 236), rng.randrange(228, 240), rng.randrange(222, 236)], np.float32
        )
        right = np.array(
            [rng.randrange(232, 244), rng.randrange(224, 236), rng.randrange(214, 228)], np.float32
        )
    else:
        left = np.array(
            [rng.randrange(226, 240), rng.randrange(236, 248), rng.randrange(240, 252)], np.float32
        )
        right = np.array(
            [rng.randrange(240, 252), rng.randrange(232, 244), rng.randrange(232, 246)], np.float32
        )
    mix = xs * rng.uniform(0.7, 1.0) + ys * rng.uniform(0.0, 0.3)
    ground = left * (1 - mix) + right * mix
    card = Image.fromarray(np.clip(ground, 0, 255).astype(np.uint8), "RGB")
    pen = ImageDraw.Draw(card, "RGBA")
    hue = (
        rng.randrange(120, 180),
        rng.randrange(150, 200),
        rng.randrange(170, 215),
        rng.randrange(40, 80),
    )
    # Interleaved sine waves across the card: the guilloche.
    waves = rng.randrange(26, 44)
    amplitude, period = rng.uniform(18, 40), rng.uniform(160, 320)
    phase_step = rng.uniform(0.25, 0.6)
    for index in range(waves):
        base = HEIGHT * index / waves
        for sign in (1, -1):
            points: list[tuple[float, float]] = [
                (
                    x,
                    base
                    + sign * amplitude * math.sin(2 * math.pi * x / period + index * phase_step),
                )
                for x in range(0, WIDTH + 8, 8)
            ]
            pen.line(points, fill=hue, width=1)
    # A rosette (an epitrochoid) on the right, partly under the portrait.
    cx, cy = rng.uniform(0.62, 0.82) * WIDTH, rng.uniform(0.3, 0.7) * HEIGHT
    big, small, arm = rng.uniform(150, 230), rng.uniform(20, 45), rng.uniform(40, 90)
    rose = (hue[0] + 30, hue[1] - 20, hue[2], hue[3])
    points = []
    for step in range(2400):
        t = step * 2 * math.pi / 400
        points.append(
            (
                cx + (big + small) * math.cos(t) - arm * math.cos((big + small) / small * t),
                cy + (big + small) * math.sin(t) - arm * math.sin((big + small) / small * t),
            )
        )
    pen.line(points, fill=rose, width=1)
    # Faint pink-orange tint band typical of the card's rainbow print.
    tint = Image.new("RGBA", card.size, (0, 0, 0, 0))
    ImageDraw.Draw(tint).ellipse(
        (WIDTH * rng.uniform(0.1, 0.4), -HEIGHT * 0.3, WIDTH * rng.uniform(0.9, 1.3), HEIGHT * 0.6),
        fill=(250, 200, 170, rng.randrange(18, 40)),
    )
    tint = tint.filter(ImageFilter.GaussianBlur(120))
    return Image.alpha_composite(card.convert("RGBA"), tint).convert("RGB")


def _portrait(
    rng: random.Random, box: tuple[int, int, int, int], sex: str, elderly: bool
) -> Image.Image:
    """A drawn head and shoulders on a pale ground, soft at the edges (RGBA)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    pen = ImageDraw.Draw(layer)
    backdrop = rng.choice(((245, 247, 250), (236, 242, 250), (250, 250, 250)))
    pen.rectangle((0, 0, w, h), fill=(*backdrop, rng.randrange(150, 230)))
    skin = (rng.randrange(185, 225), rng.randrange(145, 180), rng.randrange(115, 150), 255)
    hair = (
        (rng.randrange(150, 200),) * 3
        if elderly and rng.random() < 0.6
        else (rng.randrange(20, 50),) * 3
    )
    cloth = rng.choice(((40, 45, 60), (70, 60, 55), (30, 30, 35), (90, 100, 120), (200, 200, 205)))
    cx = w / 2 + rng.uniform(-0.04, 0.04) * w
    head_w, head_h = w * rng.uniform(0.46, 0.56), h * rng.uniform(0.5, 0.58)
    top = h * rng.uniform(0.1, 0.16)
    long_hair = sex == "女" and rng.random() < 0.6
    if long_hair:  # hair behind the head, down to the shoulders
        pen.ellipse(
            (cx - head_w * 0.62, top - head_h * 0.06, cx + head_w * 0.62, top + head_h * 1.25),
            fill=(*hair, 255),
        )
    # Shoulders and neck, then the ears and head, then the hair over the top of it.
    pen.ellipse((cx - w * 0.7, top + head_h * 1.08, cx + w * 0.7, h * 1.6), fill=(*cloth, 255))
    pen.rectangle(
        (cx - head_w * 0.24, top + head_h * 0.75, cx + head_w * 0.24, top + head_h * 1.15),
        fill=skin,
    )
    pen.ellipse(
        (cx - w * 0.2, top + head_h * 1.02, cx + w * 0.2, top + head_h * 1.22), fill=(*cloth, 255)
    )
    pen.ellipse(
        (cx - head_w * 0.56, top + head_h * 0.4, cx - head_w * 0.4, top + head_h * 0.64), fill=skin
    )
    pen.ellipse(
        (cx + head_w * 0.4, top + head_h * 0.4, cx + head_w * 0.56, top + head_h * 0.64), fill=skin
    )
    pen.ellipse((cx - head_w / 2, top, cx + head_w / 2, top + head_h), fill=skin)
    bald = sex == "男" and elderly and rng.random() < 0.3
    cap = top - head_h * rng.uniform(0.02, 0.07)
    pen.chord(
        (cx - head_w * 0.53, cap, cx + head_w * 0.53, top + head_h * rng.uniform(0.45, 0.6)),
        180 if not bald else 200, 360 if not bald else 340, fill=(*hair, 255),
    )  # fmt: skip
    eye_y = top + head_h * 0.52
    for side in (-1, 1):
        ex = cx + side * head_w * 0.19
        pen.ellipse((ex - 9, eye_y - 5, ex + 9, eye_y + 5), fill=(40, 30, 30, 255))
        pen.line((ex - 18, eye_y - 22, ex + 18, eye_y - 24), fill=(*hair, 255), width=5)
    pen.line((cx, eye_y + 10, cx - 6, eye_y + head_h * 0.2), fill=(150, 110, 90, 255), width=3)
    mouth_y = top + head_h * 0.8
    pen.arc(
        (cx - head_w * 0.14, mouth_y - 12, cx + head_w * 0.14, mouth_y + 8),
        20,
        160,
        fill=(140, 80, 80, 255),
        width=4,
    )
    if elderly:
        for k in range(rng.randrange(1, 4)):  # lines of age on the forehead
            fy = top + head_h * (0.26 + 0.05 * k)
            pen.arc(
                (cx - head_w * 0.25, fy, cx + head_w * 0.25, fy + 16),
                200,
                340,
                fill=(160, 120, 100, 255),
                width=2,
            )
    layer = layer.filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 2.2)))
    # The printed photo fades into the card at its edges.
    fade = Image.new("L", (w, h), 0)
    ImageDraw.Draw(fade).rounded_rectangle((12, 12, w - 12, h - 12), radius=30, fill=255)
    fade = fade.filter(ImageFilter.GaussianBlur(14))
    alpha = Image.fromarray(
        (np.asarray(layer.getchannel("A")).astype(np.float32) * np.asarray(fade) / 255).astype(
            np.uint8
        )
    )
    layer.putalpha(alpha)
    return layer


def _wrap_address(address: str, font: ImageFont.FreeTypeFont, chars: int) -> list[str]:
    """Lines no wider than `chars` Chinese characters of `font` (digits are narrower)."""
    limit = font.getlength("中") * chars + 1
    lines, current = [], ""
    for char in address:
        if font.getlength(current + char) > limit:
            lines.append(current)
            current = ""
        current += char
    return lines + [current] if current else lines


def _draw(rng: random.Random, name: str | None, number: str | None, old: bool) -> Page:
    born = (date(1930, 1, 1), date(1962, 12, 31)) if old else (date(1935, 1, 1), date(2004, 12, 31))
    sex, birth, number = _person(rng, number, born, x_share=0.9)  # about 1 in 5 end in X
    name = name or _name(rng)
    ethnicity = rng.choice(people.ETHNICITIES)
    address = people.invented_address(rng)

    card = _background(rng, old)
    text = Image.new("RGBA", card.size, (0, 0, 0, 0))  # the personal print, laid on after
    pen = ImageDraw.Draw(text)
    jitter = 35 if old else 15
    dx: Callable[[], int] = lambda: rng.randrange(-jitter, jitter + 1)  # noqa: E731
    if old:
        label_ink = (rng.randrange(60, 100), rng.randrange(110, 140), rng.randrange(150, 180), 255)
    else:
        label_ink = (rng.randrange(30, 70), rng.randrange(100, 130), rng.randrange(160, 200), 255)
    value_ink = (rng.randrange(5, 30), rng.randrange(5, 30), rng.randrange(5, 35), 255)
    label_face = _face(rng.choice((people.NOTO_SANS, people.WQY_ZENHEI)), rng.randrange(40, 48))
    value_path = rng.choice(VALUE_FACES)
    value_size = rng.randrange(50, 60)
    value_face = _face(value_path, value_size)
    spaced = rng.random() < 0.5  # 姓 名 or 姓名

    def label(x: float, y: float, word: str) -> None:
        shown = " ".join(word) if spaced and len(word) == 2 else word
        pen.text((x, y), shown, font=label_face, fill=label_ink, anchor="ls")

    label_x = 110 + dx()
    value_x = label_x + rng.randrange(170, 215)
    row = rng.randrange(122, 138)  # row spacing
    first = rng.randrange(150, 185) + dx() // 2
    # 姓名
    label(label_x, first, "姓名")
    name_face = _face(value_path, value_size + rng.randrange(0, 8))
    pen.text((value_x, first), name, font=name_face, fill=value_ink, anchor="ls")
    # 性别 民族
    y = first + row
    label(label_x, y, "性别")
    pen.text((value_x, y), sex, font=value_face, fill=value_ink, anchor="ls")
    nation_x = value_x + rng.randrange(200, 260)
    label(nation_x, y, "民族")
    pen.text(
        (nation_x + rng.randrange(150, 185), y),
        ethnicity,
        font=value_face,
        fill=value_ink,
        anchor="ls",
    )
    # 出生 1948 年 3 月 5 日: the digits are printed into the template's gaps.
    y += row
    label(label_x, y, "出生")
    x: float = value_x
    gap = rng.randrange(14, 30)
    for piece, word in ((f"{birth.year}", "年"), (f"{birth.month}", "月"), (f"{birth.day}", "日")):
        pen.text((x, y), piece, font=value_face, fill=value_ink, anchor="ls")
        x += value_face.getlength(piece) + gap
        pen.text((x, y), word, font=label_face, fill=label_ink, anchor="ls")
        x += label_face.getlength(word) + gap + rng.randrange(0, 20)
    # 住址 over two or three lines.
    y += row
    label(label_x, y, "住址")
    lines = _wrap_address(address, value_face, rng.choice((10, 11, 11, 11, 12)))
    leading = int(value_size * rng.uniform(1.18, 1.35))
    for index, line in enumerate(lines):
        pen.text((value_x, y + index * leading), line, font=value_face, fill=value_ink, anchor="ls")
    # 公民身份号码 and the number.
    y = rng.randrange(905, 945) + dx() // 2
    label(label_x, y, "公民身份号码")
    path, index = rng.choice(NUMBER_FACES)
    number_face = _face(path, rng.randrange(58, 70), index)
    x = label_x + label_face.getlength("公民身份号码") + rng.randrange(70, 130)
    advance = number_face.getlength("0") + rng.randrange(2, 10)
    for char in number:
        pen.text((x, y), char, font=number_face, fill=value_ink, anchor="ls")
        x += advance

    # The portrait, on the right, printed with the personal data.
    px = rng.randrange(1090, 1160) + dx()
    py = rng.randrange(90, 150) + dx() // 2
    pw, ph = rng.randrange(470, 520), rng.randrange(590, 640)
    portrait = _portrait(rng, (px, py, px + pw, py + ph), sex, elderly=old or birth.year < 1965)
    text.alpha_composite(portrait, (px, py))
    if old:  # the personal print off register against the card's own print
        text = text.transform(
            text.size,
            Image.Transform.AFFINE,
            (1, 0, rng.randrange(-25, 26), 0, 1, rng.randrange(-18, 19)),
        )
    card = Image.alpha_composite(card.convert("RGBA"), text).convert("RGB")
    card = card.filter(ImageFilter.GaussianBlur(0.5 if not old else rng.uniform(0.8, 1.4)))
    if old:
        card = _wear(card, rng)

    mask = Image.new("L", card.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, WIDTH - 1, HEIGHT - 1), radius=rng.randrange(60, 80), fill=255
    )
    flat = Image.new("RGB", card.size, (0, 0, 0))
    flat.paste(card, mask=mask)
    truth: dict[str, str | None] = {
        "doc_type": "id_card",
        "name": name,
        "sex": sex,
        "ethnicity": ethnicity,
        "birth_date": birth.isoformat(),
        "address": "".join(lines),
        "id_number": number,
    }
    return Page(image=flat, truth=truth, mask=mask)


def _wear(card: Image.Image, rng: random.Random) -> Image.Image:
    """Fifteen years in a wallet: faded, yellowed, a rubbed patch, scratches."""
    pixels: np.ndarray = np.asarray(card).astype(np.float32)
    contrast = rng.uniform(0.55, 0.75)
    pixels = 200 + (pixels - 200) * contrast  # lower contrast, towards a light grey-beige
    pixels *= np.array(
        [1.0, rng.uniform(0.95, 0.98), rng.uniform(0.82, 0.9)], np.float32
    )  # yellowed
    pixels += np.array([6, 4, 0], np.float32)
    h, w = pixels.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    for _ in range(rng.randrange(1, 3)):  # rubbed patches, where the print is nearly gone
        cx, cy = rng.uniform(0.1, 0.9) * w, rng.uniform(0.15, 0.9) * h
        rx, ry = rng.uniform(80, 260), rng.uniform(50, 160)
        weight = np.exp(-(((xs - cx) / rx) ** 2 + ((ys - cy) / ry) ** 2))[..., None] * rng.uniform(
            0.35, 0.6
        )
        pixels = pixels * (1 - weight) + 218 * weight
    noise = np.random.default_rng(rng.randrange(2**32))
    pixels += noise.normal(0, 3.5, (h, w, 1))
    worn = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    pen = ImageDraw.Draw(worn, "RGBA")
    for _ in range(rng.randrange(12, 40)):  # scratches, light and dark, mostly short
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        angle = rng.uniform(0, math.pi)
        length = rng.uniform(40, 500)
        shade = rng.choice(((255, 255, 245), (120, 110, 90)))
        pen.line(
            (x, y, x + length * math.cos(angle), y + length * math.sin(angle)),
            fill=(*shade, rng.randrange(40, 110)),
            width=rng.choice((1, 1, 2)),
        )
    return worn


def draw_new(rng: random.Random, name: str | None = None, number: str | None = None) -> Page:
    """A recently issued card, crisp."""
    return _draw(rng, name, number, old=False)


def draw_old(rng: random.Random, name: str | None = None, number: str | None = None) -> Page:
    """An elderly person's card issued 15 to 20 years ago, faded and worn."""
    return _draw(rng, name, number, old=True)
