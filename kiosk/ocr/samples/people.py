"""Invented people, places, hospitals and numbers for the test photos, and the fonts to draw them.

Nothing here is a real person: names are drawn from common surnames and given-name characters,
ID numbers are made valid (GB 11643 check character) for invented birth dates. The places
include the district's rare characters (鮀 in 鮀浦, 礐 in 礐石) that a reader must not lose.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from PIL import ImageFont

from kiosk.claims.identity import check_character

NOTO_SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
NOTO_SANS_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
NOTO_SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
NOTO_SERIF_BOLD = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
WQY_ZENHEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # Debian fonts-wqy-zenhei
UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"  # Debian fonts-arphic-uming (a Song face)
UKAI = "/usr/share/fonts/truetype/arphic/ukai.ttc"  # Debian fonts-arphic-ukai (a Kai face)
_SC = {NOTO_SANS: 2, NOTO_SANS_BOLD: 2, NOTO_SERIF: 2, NOTO_SERIF_BOLD: 2}  # the SC face

# Faces that print receipts: the reader must not depend on one of them.
SANS_FACES = (NOTO_SANS, WQY_ZENHEI)
SONG_FACES = (NOTO_SERIF, UMING)
ALL_FACES = (NOTO_SANS, NOTO_SERIF, WQY_ZENHEI, UMING)


@cache
def font(size: float, path: str = NOTO_SANS) -> ImageFont.FreeTypeFont:
    """A Chinese font at `size` px (Noto's collections open at their Simplified face)."""
    return ImageFont.truetype(path, size, index=_SC.get(path, 0))


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁沈"
    "翁洪蚁纪庄詹柯"  # common in Chaoshan
)
TWO_CHAR_SURNAMES = ("欧阳", "司马", "上官", "诸葛")
GIVEN = (
    "秀英桂兰玉珍凤淑华建国志强德明永福金花美玲春梅丽娟文彬振宝山家海燕"
    "瑞娥銮婵钿惜乌耀炳锦坤"  # characters often seen in Chaoshan elders' names
)
ETHNICITIES = ("汉",) * 14 + ("壮", "回", "满", "畲", "瑶", "土家", "维吾尔")
# Region codes: mostly the district (Chaonan 440514), some from Shantou's other districts.
REGIONS = ("440514", "440514", "440514", "440513", "440507", "440511", "440512", "445202")

# Addresses: (street or town, villages), with the district's rare characters among them.
PLACES = {
    "广东省汕头市潮南区": (
        ("峡山街道", ("东溪村", "南里社区", "新兴路", "桃溪村")),
        ("陈店镇", ("陈店村", "溪口社区", "文光路")),
        ("司马浦镇", ("大布下村", "仙港村")),
        ("两英镇", ("东北社区", "西新村")),
        ("胪岗镇", ("新庆村", "上胪村")),
        ("成田镇", ("上盐村", "大寮村")),
    ),
    "广东省汕头市金平区": (
        ("鮀江街道", ("鮀莲村", "新溪社区")),
        ("月浦街道", ("月浦村", "联韩社区")),
    ),
    "广东省汕头市濠江区": (("礐石街道", ("礐石社区", "中礐路", "海旁路")),),
    "广东省汕头市龙湖区": (("鸥汀街道", ("鸥汀村", "东墩社区")), ("外砂街道", ("蓬中村",))),
}

# Hospitals: those on the shipped list (kiosk/ocr/data/hospitals.csv) and some that are not.
LISTED_HOSPITALS = (
    "汕头市潮南区人民医院",
    "汕头市潮南民生医院",
    "汕头市中心医院",
    "汕头大学医学院第一附属医院",
)
UNLISTED_HOSPITALS = (
    "汕头市第二人民医院",
    "汕头市潮阳区大峰医院",
    "潮南区峡山街道社区卫生服务中心",
    "潮南区陈店镇卫生院",
    "汕头市濠江区礐石医院",
    "汕头潮南鮀滨骨科医院",
    "汕头市中医医院",
)
HOSPITALS = LISTED_HOSPITALS + UNLISTED_HOSPITALS

# Charge items as printed on receipts and expense lists.
ITEMS = (
    "西药费", "中成药费", "中草药费", "检查费", "化验费", "治疗费", "诊查费", "卫生材料费",
    "床位费", "护理费", "放射费", "手术费", "其他费",
)  # fmt: skip
DEPARTMENTS = ("骨科", "外科", "急诊科", "内科", "神经外科", "康复科", "创伤骨科")


def invented_name(rng: random.Random) -> str:
    """A name of two to four characters, now and then with a two-character surname."""
    if rng.random() < 0.04:
        return rng.choice(TWO_CHAR_SURNAMES) + rng.choice(GIVEN)
    length = rng.choice([1, 2, 2, 2])
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(length))


def invented_id_number(rng: random.Random, birth: date, sex: str, *, x_share: float = 0.1) -> str:
    """A valid 18-character number for `birth` and `sex`; about `x_share` of them end in X."""
    while True:
        sequence = rng.randrange(0, 100) * 10 + int(rng.choice("13579" if sex == "男" else "02468"))
        first17 = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{sequence:03d}"
        check = check_character(first17)
        if (check == "X") == (rng.random() < x_share) or rng.random() < 0.3:
            return first17 + check


def invented_address(rng: random.Random) -> str:
    """A full address, one string: province, city, district, street, village, lane, number."""
    area = rng.choice(sorted(PLACES))
    street, villages = rng.choice(PLACES[area])
    return f"{area}{street}{rng.choice(villages)}{rng.randrange(1, 40)}巷{rng.randrange(1, 99)}号"


def random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def money(rng: random.Random, low: int, high: int) -> Decimal:
    """An amount in yuan with fen, between `low` and `high` yuan."""
    return Decimal(rng.randrange(low * 100, high * 100)) / 100
