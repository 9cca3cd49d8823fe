"""The page's outline in a photo: the bright paper against the table, or, when another sheet
or a lamp's patch runs into the paper, the four-sided edge around the page itself, a card's
rounded corners included."""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.ocr.prepare import _edge_outlines, _order_corners, find_page

TABLE, PAPER, SHEET = (95, 100, 110), (235, 238, 240), (205, 208, 210)  # BGR
PAGE = np.array([[300, 200], [1500, 280], [1440, 1100], [240, 1020]], np.int32)  # tilted


def photo(*, sheet_behind: bool) -> np.ndarray:
    """A 1800 x 1300 photo of a tilted page on a desk; with another sheet of paper under it,
    reaching out past its top-right corner to the photo's edge."""
    picture = np.full((1300, 1800, 3), TABLE, np.uint8)
    if sheet_behind:
        sheet = np.array([[1000, 0], [1800, 0], [1800, 700], [1100, 650]], np.int32)
        cv2.fillPoly(picture, [sheet], SHEET)
    cv2.fillPoly(picture, [PAGE], PAPER)
    for row in range(400, 900, 60):  # lines of print
        cv2.line(picture, (450, row), (1300, row + 60), (40, 40, 40), 6)
    return picture


def test_a_page_on_a_desk_is_found_by_its_four_corners() -> None:
    outline = find_page(photo(sheet_behind=False))
    assert outline is not None
    assert outline.on_edges
    assert np.abs(outline.corners - PAGE).max() < 15  # top-left first, clockwise, within 15 px


def test_a_sheet_under_the_page_is_not_taken_for_part_of_it() -> None:
    """Bright paper both: the region runs on into the other sheet, but its corners have no
    edge under them; the page's own outline has."""
    outline = find_page(photo(sheet_behind=True))
    assert outline is not None
    assert outline.on_edges
    assert np.abs(outline.corners - PAGE).max() < 15


def test_a_page_with_no_edge_along_it_is_a_guess() -> None:
    """Blurred past any edge, with another sheet run into it: the bright region's corners are
    all there is, and the outline says it is a guess (the reader then reads the whole photo
    too when a needed field is missing)."""
    outline = find_page(cv2.GaussianBlur(photo(sheet_behind=True), (0, 0), 10))
    assert outline is not None
    assert not outline.on_edges


def test_a_flat_scan_is_read_as_it_is() -> None:
    """Nothing but paper in the photo: no outline to look for (the table's edges would be
    the printed table's)."""
    scan = np.full((1300, 1800, 3), PAPER, np.uint8)
    cv2.rectangle(scan, (200, 300), (1600, 1000), (40, 40, 40), 4)  # a printed table's frame
    assert find_page(scan) is None


CARD = np.array([[420, 260], [1560, 380], [1500, 1080], [300, 960]], np.float32)  # tilted


def card_photo() -> np.ndarray:
    """A 1800 x 1300 photo of an ID card (85.6 x 54 mm, corners rounded 3 mm) held at an
    angle over a desk, another sheet of paper under its top right."""
    picture = np.full((1300, 1800, 3), TABLE, np.uint8)
    sheet = np.array([[1100, 0], [1800, 0], [1800, 760], [1200, 700]], np.int32)
    cv2.fillPoly(picture, [sheet], SHEET)
    width, height, radius = 856, 540, 32  # the card at 10 px a millimetre
    shape = np.zeros((height, width), np.uint8)
    cv2.rectangle(shape, (radius, 0), (width - radius, height), 255, -1)
    cv2.rectangle(shape, (0, radius), (width, height - radius), 255, -1)
    for x in (radius, width - radius):
        for y in (radius, height - radius):
            cv2.circle(shape, (x, y), radius, 255, -1)
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    matrix = cv2.getPerspectiveTransform(corners, CARD)
    on_photo = cv2.warpPerspective(shape, matrix, (1800, 1300)) > 127
    picture[on_photo] = PAPER
    for row in range(450, 900, 90):  # lines of print
        cv2.line(picture, (550, row), (1200, row + 50), (40, 40, 40), 6)
    return picture


def test_a_card_s_rounded_corners_are_found_where_its_sides_meet() -> None:
    """Cutting the rounded corners short, an outline runs off the card's edges; the four
    sides' own lines, met, run along them (seen on careless photos of ID cards)."""
    outline = find_page(card_photo())
    assert outline is not None
    assert outline.on_edges
    assert np.abs(outline.corners - CARD).max() < 15


def test_an_outline_broken_by_glare_comes_before_a_printed_frame_inside_it() -> None:
    """The page's edge, broken where glare washes it out, is an open line that encloses next
    to nothing of its own; the receipt's printed frame inside it is closed. The page's is the
    larger outline, and comes first (the frame taken for the page cut off the receipt's head
    with its number and date, seen on careless photos of e-invoices)."""
    gray = np.full((360, 640), 100, np.uint8)
    page = np.array([[60, 40], [580, 60], [560, 330], [50, 310]], np.int32)
    cv2.polylines(gray, [page[[3, 0, 1, 2]]], False, 235, 3)  # the bottom side washed out
    frame = np.array([[150, 120], [480, 130], [470, 260], [140, 250]], np.int32)
    cv2.polylines(gray, [frame], True, 40, 3)
    first = _edge_outlines(gray)[0]
    assert np.abs(_order_corners(first) - page).max() < 8
