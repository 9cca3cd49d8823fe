"""The document families draw what their truth says, the same for the same seed."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from kiosk.claims.identity import check_character, parse_id_number
from kiosk.ocr.samples import discharge_summary, expense_list, id_cards, thermal_slip
from kiosk.ocr.samples.page import TRUTH_KEYS

FAMILIES = (
    ("receipt", thermal_slip.draw),
    ("receipt", expense_list.draw),
    ("discharge_summary", discharge_summary.draw),
    ("id_card", id_cards.draw_new),
    ("id_card", id_cards.draw_old),
)
DATE_KEYS = ("issue_date", "admission_date", "discharge_date", "birth_date")


@pytest.mark.parametrize(("kind", "draw"), FAMILIES)
def test_truth_has_exactly_the_keys_of_its_kind_and_iso_dates(kind, draw):
    for seed in range(3):
        page = draw(random.Random(seed))
        assert tuple(page.truth) == TRUTH_KEYS[kind]
        assert page.truth["doc_type"] == kind
        for key in DATE_KEYS:
            if page.truth.get(key) is not None:
                assert date.fromisoformat(page.truth[key]).isoformat() == page.truth[key]
        assert page.image.mode == "RGB"


@pytest.mark.parametrize(("kind", "draw"), FAMILIES)
def test_the_same_seed_draws_the_same_page(kind, draw):
    first, second = draw(random.Random(7)), draw(random.Random(7))
    assert first.truth == second.truth
    assert first.image.tobytes() == second.image.tobytes()


def test_a_thermal_slip_is_a_narrow_outpatient_strip():
    for seed in range(4):
        page = thermal_slip.draw(random.Random(seed))
        assert 560 <= page.image.width <= 660 < page.image.height
        assert page.truth["kind"] == "outpatient"
        assert page.truth["invoice_code"] is None
        assert len(page.truth["invoice_number"]) == 10
        assert page.truth["admission_date"] is None is page.truth["discharge_date"]


def test_an_expense_list_is_an_inpatient_list_without_receipt_numbers():
    for seed in range(5):
        truth = expense_list.draw(random.Random(seed)).truth
        assert truth["kind"] == "inpatient"
        assert truth["invoice_code"] is None and truth["invoice_number"] is None
        assert truth["admission_date"] < truth["discharge_date"] <= truth["issue_date"]


def test_an_expense_list_total_is_the_sum_of_its_printed_rows(monkeypatch):
    drawn = []
    real = expense_list.ImageDraw.ImageDraw.text

    def spy(self, xy, text, *args, **kwargs):
        drawn.append((xy[0], text, kwargs.get("anchor")))
        return real(self, xy, text, *args, **kwargs)

    monkeypatch.setattr(expense_list.ImageDraw.ImageDraw, "text", spy)
    for seed in range(8):
        drawn.clear()
        total = expense_list.draw(random.Random(seed)).truth["total"]
        # The amount column is the rightmost right-aligned column of the table.
        right = max(x for x, _, anchor in drawn if anchor == "rm")
        column = [Decimal(text) for x, text, anchor in drawn if anchor == "rm" and x == right]
        if column[-1] == Decimal(total) and sum(column[:-1]) == column[-1]:
            continue  # the table's own 合计 row closes the column
        assert f"{sum(column):.2f}" == total
        assert 8 <= len(column) <= 20


def test_discharge_days_are_the_date_difference_when_printed():
    printed = 0
    for seed in range(12):
        truth = discharge_summary.draw(random.Random(seed)).truth
        stay = date.fromisoformat(truth["discharge_date"]) - date.fromisoformat(
            truth["admission_date"]
        )
        if truth["days"] is not None:
            printed += 1
            assert truth["days"] == str(stay.days)
    assert printed


@pytest.mark.parametrize("draw", (id_cards.draw_new, id_cards.draw_old))
def test_id_cards_have_valid_numbers_that_agree_with_the_card(draw):
    for seed in range(6):
        page = draw(random.Random(seed))
        truth = page.truth
        number = parse_id_number(truth["id_number"], today=date(2026, 1, 1))
        assert number.birth_date.isoformat() == truth["birth_date"]
        assert number.sex == truth["sex"]
        assert 2 <= len(truth["name"]) <= 4
        assert " " not in truth["address"] and "族" not in truth["ethnicity"]
        assert page.image.size == (1712, 1080) and page.mask.size == page.image.size
        assert page.mask.getpixel((0, 0)) == 0 and page.mask.getpixel((856, 540)) == 255


def test_id_card_numbers_often_end_in_x():
    rng = random.Random(3)
    numbers = [
        id_cards._person(rng, None, (date(1930, 1, 1), date(1960, 1, 1)), 0.9)[2] for _ in range(60)
    ]
    assert sum(number.endswith("X") for number in numbers) >= 6


def test_id_card_follows_a_given_name_and_number():
    first17 = "44051419480305002"
    number = first17 + check_character(first17)
    page = id_cards.draw_old(random.Random(1), name="欧阳秀英", number=number)
    assert page.truth["name"] == "欧阳秀英"
    assert page.truth["id_number"] == number
    assert page.truth["birth_date"] == "1948-03-05"
    assert page.truth["sex"] == "女"
