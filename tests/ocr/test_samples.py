"""The test-photo generators: every family draws, with truth of the right keys and forms."""

from __future__ import annotations

import random
import re
from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from kiosk.ocr import samples
from kiosk.ocr.amounts import parse_capital_amount
from kiosk.ocr.samples import camera, einvoice, paper_form
from kiosk.ocr.samples.page import TRUTH_KEYS, Page

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def drawable(family: str) -> None:
    if not samples.available(family):
        pytest.skip(f"{family}'s module is not written yet")


@pytest.mark.parametrize("family", sorted(samples.FAMILIES))
def test_every_family_draws_a_photo_with_exactly_its_truth_keys(family: str) -> None:
    drawable(family)
    kind = samples.FAMILIES[family][0]
    photo = samples.sample(family, "mild", random.Random(3))
    assert set(photo.truth) == set(TRUTH_KEYS[kind]) | {"_family", "_tier"}
    assert photo.truth["_family"] == family and photo.truth["_tier"] == "mild"
    assert photo.image.mode == "RGB" and max(photo.image.size) >= 1024


def test_the_registry_keeps_the_held_out_family_out_of_development() -> None:
    assert samples.HELD_OUT == ("thermal_slip",)
    assert "thermal_slip" not in samples.DEVELOPMENT
    assert set(samples.DEVELOPMENT) | set(samples.HELD_OUT) == set(samples.FAMILIES)


@pytest.mark.parametrize("tier", camera.TIERS)
def test_the_same_seed_gives_the_same_jpeg(tier: str) -> None:
    first = samples.sample("einvoice_a", tier, random.Random(7))
    second = samples.sample("einvoice_a", tier, random.Random(7))
    assert samples.jpeg_bytes(first.image) == samples.jpeg_bytes(second.image)
    assert first.truth == second.truth
    other = samples.sample("einvoice_a", tier, random.Random(8))
    assert samples.jpeg_bytes(other.image) != samples.jpeg_bytes(first.image)


@pytest.mark.parametrize(
    "draw", [einvoice.draw_a, einvoice.draw_b, paper_form.draw], ids=["a", "b", "paper"]
)
def test_receipt_truth_has_the_right_forms(draw) -> None:
    for seed in range(6):
        truth = draw(random.Random(seed)).truth
        assert truth["doc_type"] == "receipt" and truth["kind"] in ("outpatient", "inpatient")
        assert ISO.fullmatch(truth["issue_date"]) and date.fromisoformat(truth["issue_date"])
        assert truth["invoice_number"].isdigit()
        assert truth["invoice_code"] is None or re.fullmatch(r"\d{8}", truth["invoice_code"])
        assert re.fullmatch(r"\d+\.\d{2}", truth["total"]) and Decimal(truth["total"]) > 0
        assert truth["hospital"] and truth["patient_name"]
        if truth["kind"] == "inpatient":
            admission = date.fromisoformat(truth["admission_date"])
            discharge = date.fromisoformat(truth["discharge_date"])
            assert admission < discharge <= date.fromisoformat(truth["issue_date"])
        else:
            assert truth["admission_date"] is None and truth["discharge_date"] is None


def test_einvoice_numbers_have_their_lengths() -> None:
    for seed in range(6):
        truth = einvoice.draw_a(random.Random(seed)).truth
        assert re.fullmatch(r"\d{10}", truth["invoice_number"])
        assert re.fullmatch(r"\d{8}", truth["invoice_code"])
    for seed in range(6):
        assert re.fullmatch(r"\d{8}", paper_form.draw(random.Random(seed)).truth["invoice_number"])


def test_the_einvoice_total_is_the_sum_of_its_items() -> None:
    for seed in range(10):
        facts = einvoice.facts(random.Random(seed))
        assert facts["total"] == sum(item[3] for item in facts["items"])
        assert facts["fund"] + facts["account"] + facts["other"] + facts["cash"] == facts["total"]
        assert facts["cash"] != facts["total"] and facts["fund"] != facts["total"]
        # The 大写 the receipt prints says the same amount.
        from kiosk.ocr.amounts import capital_amount

        assert parse_capital_amount(capital_amount(facts["total"])) == facts["total"]


def test_the_paper_form_prints_its_number_in_red() -> None:
    for seed in range(4):
        layout: dict = {}
        page = paper_form.draw(random.Random(seed), layout)
        left, top, right, bottom = layout["number_box"]
        box = np.asarray(page.image.crop((left, top, right, bottom)), np.int32)
        red, green, blue = box[..., 0], box[..., 1], box[..., 2]
        inked = (red - green > 60) & (red - blue > 60)
        assert inked.mean() > 0.08  # the digits' strokes are red...
        dark = (red < 120) & (green < 120) & (blue < 120)
        assert dark.mean() < 0.02  # ...and nothing in the box prints black


def test_a_photo_takes_well_under_a_second() -> None:
    import time

    page = einvoice.draw_b(random.Random(1))
    for tier in camera.TIERS:
        start = time.perf_counter()
        camera.photograph(page, random.Random(2), tier)
        assert time.perf_counter() - start < 1.5  # generous: a loaded CI machine


def test_the_camera_turns_some_hard_photos_round() -> None:
    page = Page(einvoice.draw_a(random.Random(0)).image.resize((600, 400)), {})
    shapes = [camera.photograph(page, random.Random(seed), "hard").size for seed in (26, 27)]
    assert shapes[0][0] > shapes[0][1] and shapes[1][0] < shapes[1][1]  # seed 27: turned
    assert all(camera.photograph(page, random.Random(s), "mild").width > 1000 for s in range(3))


def test_write_stores_the_jpeg_and_its_truth(tmp_path) -> None:
    import json

    written = samples.write(tmp_path, ["paper_form"], ["clean"], count=1, seed=5)
    assert [p.name for p in written] == ["paper_form-clean-001.jpg"]
    assert written[0].read_bytes()[:2] == b"\xff\xd8"
    truth = json.loads((tmp_path / "paper_form-clean-001.json").read_text(encoding="utf-8"))
    assert truth["_family"] == "paper_form" and truth["_tier"] == "clean"


def test_the_old_entry_points_still_work() -> None:
    photo = samples.receipt(random.Random(3))
    assert photo.truth["doc_type"] == "receipt"
    card = samples.id_card(random.Random(5), name="林桂兰", number="440514195003120025")
    assert card.truth["name"] == "林桂兰" and card.truth["id_number"] == "440514195003120025"
    assert [s.truth["doc_type"] for s in samples.samples("receipt", 2, seed=1)] == ["receipt"] * 2
    assert samples.font(20).size == 20
