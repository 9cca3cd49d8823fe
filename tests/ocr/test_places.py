"""Shantou's place names put back where one character was misread, and nothing else changed."""

from __future__ import annotations

import pytest

from kiosk.ocr.places import restore_places


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("汕头潮南鸵滨骨科医院", "汕头潮南鮀滨骨科医院"),
        ("汕头潮南配滨骨科医院", "汕头潮南鮀滨骨科医院"),
        ("汕头潮南纶滨骨科医院", "汕头潮南鮀滨骨科医院"),
        ("广东省汕头市金平区鲍江街道鲍莲村2巷1号", "广东省汕头市金平区鮀江街道鮀莲村2巷1号"),
        ("广东省汕头市濠江区碧石街道中碧路1号", "广东省汕头市濠江区礐石街道中礐路1号"),
        ("广东省汕头市濠江区兽石街道海旁路14巷18号", "广东省汕头市濠江区礐石街道海旁路14巷18号"),
        ("广东省汕头市濠江区礐石街道中/路13巷15号", "广东省汕头市濠江区礐石街道中礐路13巷15号"),
        ("广东省汕头市金平区鮀江街道鮀莲村36挂66号", "广东省汕头市金平区鮀江街道鮀莲村36巷66号"),
        ("油头市中医医院", "汕头市中医医院"),
        ("汕头市湖阳区大峰医院", "汕头市潮阳区大峰医院"),
        ("油头潮南鮀滨骨科医院", "汕头潮南鮀滨骨科医院"),
        ("汕失大学医学院第一附属医院", "汕头大学医学院第一附属医院"),
    ],
)
def test_misread_shantou_names_are_put_back(read, meant):
    assert restore_places(read) == meant


@pytest.mark.parametrize(
    "text",
    [
        "汕尾市人民医院",  # a real city one character from 汕头市
        "潮州市中心医院",
        "广州市碧石路3号",  # not in Shantou: 碧 stays
        "汕头市潮南区人民医院",
        "汕头市第二人民医院",
        "湖南省长沙市岳麓区",
        "汕尾潮南路",  # 汕尾 is a city of its own
        "中山大学附属第一医院",
        "广州市天河区中/路3号",  # not in Shantou: nothing is put back
        "汕头市龙湖区珠港新城3座12号",  # 港 with no lane number before it
        "汕头市金平区金砂路88号",
    ],
)
def test_real_names_and_places_elsewhere_are_left_alone(text):
    assert restore_places(text) == text
