"""The district's place names, put back where the recogniser misread one character of them.

Shantou's place names carry characters rare elsewhere: 鮀 (鮀江, 鮀浦, 鮀莲: the city's old
name 鮀城) and 礐 (礐石, across the bay). The recogniser often reads them as a commoner
character of like shape (鸵, 蛇, 鲍, 沱, 配, 纶 for 鮀; 碧, 岩, 磐, 暑, 兽 for 礐), or as a stroke
(中/路 for 中礐路). In a name that is in Shantou (汕头 or one of its districts is in it), such a
character standing where the rare one makes a place name is read as the rare one; so is 巷
misread (挂, 港) between an address's numbers (36挂66号).

Likewise the city's and its districts' own names (汕头市, 潮阳区 ...): a three-character name
ending in 市, 区 or 县 that is no real name but one character away from exactly one of
Shantou's (油头市, 湖阳区) is read as that one, and so is the city's name without 市 before a
district's or the university's (油头潮南, 汕失大学). Real names one character away from Shantou's
(汕尾市, 潮州市) are left as they are. Nowhere else is anything changed.
"""

from __future__ import annotations

import re

SHANTOU = ("汕头", "潮南", "潮阳", "濠江", "金平", "龙湖", "澄海", "南澳", "鮀", "礐")

# The rare character, the characters it is misread as, and what follows it in place names.
_RARE = (
    ("鮀", "鸵驼蛇鲍鮑沱泥陀佗鲶鮎配纶", "江浦莲滨城济西东岛中"),
    ("礐", "碧岩磐暑譽誉礜学覺觉砦硝署兽", "石光"),
)
_PATTERNS = [
    (re.compile(f"[{misread}](?=[{following}])"), rare) for rare, misread, following in _RARE
] + [
    (re.compile("(?<=中)[碧岩磐暑譽誉礜学覺觉砦硝署兽/|](?=路)"), "礐"),  # 中礐路
    (re.compile(r"(?<=\d)[挂港卷巻苍](?=\d+号)"), "巷"),  # a lane's number: 36巷66号
]


# Shantou's city, districts and county, and the other real names of the province that are
# one character away from one of them (never "corrected").
SHANTOU_NAMES = ("汕头市", "金平区", "龙湖区", "濠江区", "潮阳区", "潮南区", "澄海区", "南澳县")
OTHER_NAMES = (
    "广州市", "深圳市", "珠海市", "佛山市", "韶关市", "湛江市", "肇庆市", "江门市", "茂名市",
    "惠州市", "梅州市", "汕尾市", "河源市", "阳江市", "清远市", "东莞市", "中山市", "潮州市",
    "揭阳市", "云浮市", "海珠区", "龙岗区", "南山区", "湘桥区", "潮安区", "榕城区", "揭东区",
    "南海区", "顺德区", "金湾区", "江海区", "惠阳区", "南澳岛",
)  # fmt: skip
_ADMIN = re.compile(r"[\u4e00-\u9fff]{2}[市区县]")
# The city's name with no 市, before a district's or the university's (油头潮南 ...)
_CITY_BEFORE = re.compile(r"[\u4e00-\u9fff]{2}(?=潮南|潮阳|濠江|金平|龙湖|澄海|南澳|大学)")


def _one_away(word: str, name: str) -> bool:
    return sum(a != b for a, b in zip(word, name, strict=True)) == 1


def restore_places(text: str) -> str:
    """`text` with a misread Shantou place name put back: the city's, its districts', and
    the rare characters 鮀 and 礐 (restore_rare)."""

    def put_back(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in SHANTOU_NAMES or word in OTHER_NAMES:
            return word
        near = [name for name in SHANTOU_NAMES if _one_away(word, name)]
        return near[0] if len(near) == 1 else word

    def city(match: re.Match[str]) -> str:
        word = match.group(0)
        return "汕头" if word != "汕尾" and _one_away(word, "汕头") else word

    return restore_rare(_CITY_BEFORE.sub(city, _ADMIN.sub(put_back, text)))


def restore_rare(text: str) -> str:
    """`text` with misread 鮀 and 礐 put back, when it names a place in Shantou."""
    if not any(word in text for word in SHANTOU):
        return text
    for pattern, rare in _PATTERNS:
        text = pattern.sub(rare, text)
    return text
